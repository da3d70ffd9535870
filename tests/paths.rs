//! The public paths of the login platforms as they were before every platform shared one client
//! (`LoginClient`), one configuration (`LoginConfig`) and one error (`LoginError`): each still
//! names something, with the methods it had, so that this file stops compiling if a path
//! disappears. The platforms' names are now aliases (`QqClient` is `LoginClient<QqApi>`).
//!
//! What did not stay, by design, is listed in the CHANGELOG with its replacement: the variants of
//! the per-platform error enums (their predicates and `errcode`/`platform_code` instead),
//! `DouyinError::err_no`, `AlipayError::code` and `WechatError::is_access_token_invalid`.

use std::{future::Future, time::Duration};

use sealed_session::{
    ManualClock,
    alipay::{self, AlipayClient, AlipayConfig, AlipayConfigError, AlipayError},
    douyin::{self, DouyinClient, DouyinConfig, DouyinConfigError, DouyinError},
    login::{
        Identity, LoginCode, LoginError, LoginFuture, MiniProgramLogin, Platform, PlatformSecret,
    },
    qq::{self, QqClient, QqConfig, QqConfigError, QqError},
    wechat::{
        self, AccessToken, AccessTokens, Code2Session, MAX_ENCRYPTED_DATA_LEN, MAX_PHONE_CODE_LEN,
        OpenDataError, OpenDataField, OpenDataJson, OpenDataKind, OpenDataRules, PhoneCode,
        PhoneNumber, REFRESH_AHEAD, ShareInfo, StepInfo, UserInfo, Watermark, WatermarkRule, WeRun,
        WechatClient, WechatConfig, WechatConfigError, WechatError, WechatSessionKey,
        decrypt_bytes,
    },
};

/// `future` answers `T` (it is never run: nothing is sent).
fn answers<T>(future: impl Future<Output = T>) {
    drop(future);
}

/// Nothing listens here.
const NOWHERE: &str = "http://127.0.0.1:9";

#[test]
fn the_platforms_paths_and_methods_stay() {
    let _: [&str; 5] = [
        qq::DEFAULT_API_BASE,
        douyin::DEFAULT_API_BASE,
        wechat::DEFAULT_API_BASE,
        alipay::DEFAULT_GATEWAY,
        "",
    ];
    let _: [Duration; 5] = [
        qq::DEFAULT_TIMEOUT,
        douyin::DEFAULT_TIMEOUT,
        wechat::DEFAULT_TIMEOUT,
        alipay::DEFAULT_TIMEOUT,
        REFRESH_AHEAD,
    ];
    let _: [usize; 10] = [
        qq::MAX_CODE_LEN,
        qq::MAX_ANSWER_LEN,
        douyin::MAX_CODE_LEN,
        douyin::MAX_ANSWER_LEN,
        wechat::MAX_CODE_LEN,
        wechat::MAX_ANSWER_LEN,
        alipay::MAX_CODE_LEN,
        alipay::MAX_ANSWER_LEN,
        MAX_PHONE_CODE_LEN,
        MAX_ENCRYPTED_DATA_LEN,
    ];

    let _: fn() -> Result<QqConfig, QqConfigError> = QqConfig::from_env;
    let config: QqConfig = QqConfig::new("1", "s")
        .with_api_base(NOWHERE)
        .with_timeout(Duration::from_secs(1));
    let qq: Result<QqClient, QqConfigError> = QqClient::new(config);
    let qq = qq.unwrap();
    answers::<Result<Identity, QqError>>(qq.code2session("code"));

    let _: fn() -> Result<DouyinConfig, DouyinConfigError> = DouyinConfig::from_env;
    let config = DouyinConfig::new("tt", "s").with_api_base(NOWHERE);
    let douyin: Result<DouyinClient, DouyinConfigError> = DouyinClient::new(config);
    let douyin = douyin.unwrap();
    answers::<Result<Identity, DouyinError>>(douyin.code2session("code", "anonymous"));

    let _: fn() -> Result<WechatConfig, WechatConfigError> = WechatConfig::from_env;
    let config = WechatConfig::new("wx", "s")
        .with_api_base(NOWHERE)
        .with_timeout(Duration::from_secs(1));
    let wechat: Result<WechatClient, WechatConfigError> = WechatClient::new(config);
    let wechat = wechat.unwrap();
    // Breaking, as the CHANGELOG says: WeChat's exchange answers an `Identity` like the others.
    answers::<Result<sealed_session::login::Identity, WechatError>>(wechat.code2session("code"));

    let _: fn() -> Result<AlipayConfig, AlipayConfigError> = AlipayConfig::from_env;
    let config = AlipayConfig::new("2021", "not a key", "not a key")
        .with_gateway(NOWHERE)
        .with_timeout(Duration::from_secs(1));
    let alipay: Result<AlipayClient, AlipayConfigError> = AlipayClient::new(config);
    assert!(alipay.is_err(), "keys that are not keys are refused");
    let _ =
        |alipay: &AlipayClient| answers::<Result<Identity, AlipayError>>(alipay.oauth_token("c"));

    // The trait every client implements, as a `dyn`.
    let logins: [&dyn MiniProgramLogin; 3] = [&qq, &douyin, &wechat];
    let code = LoginCode::new("code").with_anonymous_code("anonymous");
    for login in logins {
        let _: Platform = login.platform();
        let future: LoginFuture<'_> = login.exchange(&code);
        drop(future);
    }
}

#[test]
fn the_shared_login_types_stay() {
    let mut identity: Identity = Identity::new(Platform::Wechat, "o-1");
    identity.unionid = Some("u-1".into());
    identity.anonymous_id = None;
    identity.anonymous = false;
    identity.secret = Some(PlatformSecret::new("k"));
    let _: (&Platform, &String, &str) = (
        &identity.platform,
        &identity.user_id,
        identity.secret.as_ref().unwrap().expose_secret(),
    );
    let code = LoginCode::new("c");
    let _: (&String, &Option<String>) = (&code.code, &code.anonymous_code);
    for platform in [
        Platform::Wechat,
        Platform::Qq,
        Platform::Douyin,
        Platform::Alipay,
    ] {
        assert_eq!(Platform::from_name(platform.as_str()), Some(platform));
    }
    let _: fn(&LoginError) -> Platform = LoginError::platform;
    let _: fn(&LoginError) -> bool = LoginError::is_bad_code;
    let _: fn(&LoginError) -> bool = LoginError::is_timeout;
    let _ = |e: &LoginError| e.platform_code().map(str::to_owned);
    let _: fn(&QqError) -> Option<i64> = QqError::errcode;
    let _: fn(&WechatError) -> Option<i64> = WechatError::errcode;
}

#[tokio::test]
async fn wechats_other_apis_stay() {
    let client = WechatClient::new(WechatConfig::new("wx", "s").with_api_base(NOWHERE)).unwrap();
    let tokens: Result<AccessTokens, WechatConfigError> = AccessTokens::new(&client);
    let tokens = tokens.unwrap();
    let _ = AccessTokens::with_clock(&client, ManualClock::new(0)).unwrap();
    answers::<Result<AccessToken, WechatError>>(tokens.get());
    answers::<Result<AccessToken, WechatError>>(tokens.force_refresh());
    let _ = |token: &AccessToken| {
        let _: &str = token.expose_secret();
        answers::<Result<AccessToken, WechatError>>(tokens.refetch(token));
    };
    answers::<Result<u8, WechatError>>(tokens.with_token(|_token| async { Ok(1) }));
    answers::<Result<PhoneNumber, WechatError>>(tokens.phone_number(&PhoneCode::new("p")));
    let key = WechatSessionKey::new("tiihtNczf5v6AKRyjwEUhQ==");
    let _: &str = key.expose_secret();
    answers::<Result<(), WechatError>>(tokens.check_session_key("o-1", &key));
    let _ = |login: Code2Session| {
        let _: (String, WechatSessionKey, Option<String>) =
            (login.openid, login.session_key, login.unionid);
    };

    let rules = OpenDataRules::new("wx").with_max_age(Duration::from_secs(60));
    let data: Result<OpenDataJson, OpenDataError> = rules.decrypt(&key, "e", "iv");
    let e = data.unwrap_err();
    let _: (&str, bool) = (e.kind(), e.is_stale_session_key());
    let _ = |json: OpenDataJson| (json.as_map().len(), json.into_map_without_watermark());
    let _ = rules.decrypt_at::<UserInfo>(&key, "e", "iv", std::time::SystemTime::UNIX_EPOCH);
    let _ = decrypt_bytes(key.expose_secret(), "e", "iv");
    fn kinds<T: OpenDataKind>() {}
    kinds::<UserInfo>();
    kinds::<ShareInfo>();
    kinds::<WeRun>();
    kinds::<PhoneNumber>();
    let _: Option<(StepInfo, Watermark, WatermarkRule, OpenDataField)> = None;
}
