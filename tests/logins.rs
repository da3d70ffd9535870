//! The `qq`, `douyin` and `alipay` features, the `MiniProgramLogin` trait they share with
//! `wechat`, and `examples/wechat_login.rs` serving `POST /login/{platform}`, against stand-ins
//! for each platform's API on 127.0.0.1 (tests/logins/standins.rs), over real HTTP.

mod common;
#[path = "logins/standins.rs"]
#[allow(unreachable_pub)]
mod standins;

#[path = "../examples/wechat_login.rs"]
#[allow(dead_code, unreachable_pub)]
mod example;

use std::{
    sync::{Arc, atomic::Ordering},
    time::Duration,
};

use common::{Site, T0, config, inspect, serve};
use sealed_session::{
    ManualClock, SessionLayer,
    alipay::{AlipayClient, AlipayConfig, AlipayConfigError, AlipayError},
    douyin::{DouyinClient, DouyinConfig, DouyinError},
    login::{LoginCode, LoginError, MiniProgramLogin, Platform},
    qq::{QqClient, QqConfig, QqError},
};
use serde_json::{Value, json};
use standins::*;

/// Ample for loopback on a loaded machine, and what `slow` waits for.
const TIMEOUT: Duration = Duration::from_secs(2);

fn qq(base: &str) -> QqClient {
    QqClient::new(
        QqConfig::new(QQ_APPID, QQ_SECRET)
            .with_api_base(base)
            .with_timeout(TIMEOUT),
    )
    .unwrap()
}

fn douyin(base: &str, secret: &str) -> DouyinClient {
    DouyinClient::new(
        DouyinConfig::new(DOUYIN_APPID, secret)
            .with_api_base(base)
            .with_timeout(TIMEOUT),
    )
    .unwrap()
}

fn alipay_with(gateway: &str, app_id: &str, private: &str, public: &str) -> AlipayClient {
    let config = AlipayConfig::new(app_id, key(private), key(public))
        .with_gateway(gateway)
        .with_timeout(TIMEOUT);
    AlipayClient::new(config).unwrap()
}

fn alipay(gateway: &str) -> AlipayClient {
    alipay_with(
        gateway,
        ALIPAY_APPID,
        "app-private-pkcs8",
        "alipay-public-spki",
    )
}

/// Every text an error shows: Display, Debug and its sources'.
fn all_text(e: &dyn std::error::Error) -> String {
    let mut text = format!("{e} {e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        text += &format!(" {s} {s:?}");
        source = s.source();
    }
    text
}

// ---- QQ ----

#[tokio::test]
async fn qq_logs_in_at_its_own_api_with_the_jscode2session_shape() {
    let (base, _) = qq_stand_in().await;
    let client = qq(&base);
    let identity = client.code2session("union-alice").await.unwrap();
    assert_eq!(
        (identity.platform, identity.user_id.as_str()),
        (Platform::Qq, "qq-alice")
    );
    assert_eq!(identity.unionid.as_deref(), Some("qu-alice"));
    assert_eq!(
        identity.secret.unwrap().expose_secret(),
        session_key_of("alice")
    );
    // Through the trait, as a `dyn`.
    let dynamic: &dyn MiniProgramLogin = &client;
    assert_eq!(dynamic.platform(), Platform::Qq);
    let again = dynamic.exchange(&LoginCode::new("good-bob")).await.unwrap();
    assert_eq!(again.user_id, "qq-bob");
}

#[tokio::test]
async fn qq_documented_errcodes_become_typed_errors() {
    let (base, seen) = qq_stand_in().await;
    let client = qq(&base);
    for (code, check) in [
        (
            "e40029",
            (|e| matches!(e, QqError::InvalidCode)) as fn(&QqError) -> bool,
        ),
        ("e45011", |e| matches!(e, QqError::RateLimited)),
        ("e-1", |e| matches!(e, QqError::SystemBusy)),
        ("e40013", |e| {
            matches!(e, QqError::Other { code: 40013, .. })
        }),
        ("status-503", |e| {
            matches!(e, QqError::Status { status: 503 })
        }),
        ("html", |e| matches!(e, QqError::NotJson)),
        ("nokey", |e| {
            matches!(
                e,
                QqError::MissingField {
                    field: "session_key"
                }
            )
        }),
        ("slow", |e| matches!(e, QqError::Timeout)),
    ] {
        let e = client.code2session(code).await.unwrap_err();
        assert!(check(&e), "{code}: {e:?}");
    }
    client.code2session("good-carol").await.unwrap();
    let used = client.code2session("good-carol").await.unwrap_err();
    assert!(
        matches!(used, QqError::InvalidCode) && used.is_bad_code(),
        "{used:?}"
    );
    let before = seen.hits.load(Ordering::SeqCst);
    assert!(matches!(
        client.code2session("a b").await,
        Err(QqError::BadCode)
    ));
    assert_eq!(
        seen.hits.load(Ordering::SeqCst),
        before,
        "an implausible code is not sent"
    );
}

// ---- Douyin ----

#[tokio::test]
async fn douyin_posts_json_and_reads_err_no_and_data() {
    let (base, _) = douyin_stand_in().await;
    let client = douyin(&base, DOUYIN_SECRET);
    let code = LoginCode::new("good-dora").with_anonymous_code("dev1");
    let identity = client.exchange(&code).await.unwrap();
    assert_eq!(
        (identity.platform, identity.user_id.as_str()),
        (Platform::Douyin, "tt-dora")
    );
    assert_eq!(identity.anonymous_id.as_deref(), Some("anon-dev1"));
    assert_eq!(identity.unionid.as_deref(), Some("tu-dora"));
    assert!(!identity.anonymous);
    assert_eq!(
        identity.secret.unwrap().expose_secret(),
        session_key_of("dora")
    );

    let anonymous = client.code2session("", "dev2").await.unwrap();
    assert!(anonymous.anonymous && anonymous.secret.is_none());
    assert_eq!(anonymous.user_id, "anon-dev2");
}

#[tokio::test]
async fn douyin_documented_err_nos_become_typed_errors() {
    let (base, seen) = douyin_stand_in().await;
    let client = douyin(&base, DOUYIN_SECRET);
    for (code, check) in [
        (
            "e40018",
            (|e| matches!(e, DouyinError::InvalidCode)) as fn(&DouyinError) -> bool,
        ),
        ("e40019", |e| matches!(e, DouyinError::InvalidAnonymousCode)),
        ("e40014", |e| matches!(e, DouyinError::InvalidParams)),
        ("e40015", |e| matches!(e, DouyinError::InvalidAppid)),
        ("e40017", |e| matches!(e, DouyinError::InvalidSecret)),
        ("e-1", |e| matches!(e, DouyinError::SystemError)),
        ("e12345", |e| {
            matches!(e, DouyinError::Other { code: 12345, .. })
        }),
        ("status-502", |e| {
            matches!(e, DouyinError::Status { status: 502 })
        }),
        ("html", |e| matches!(e, DouyinError::NotJson)),
    ] {
        let e = client.code2session(code, "").await.unwrap_err();
        assert!(check(&e), "{code}: {e:?}");
        if let Some(n) = code.strip_prefix('e') {
            assert_eq!(e.err_no().map(|n| n.to_string()).as_deref(), Some(n));
        }
    }
    let wrong = douyin(&base, "wrong-secret")
        .code2session("good-x", "")
        .await
        .unwrap_err();
    assert!(matches!(wrong, DouyinError::InvalidSecret), "{wrong:?}");
    assert!(!all_text(&wrong).contains("wrong-secret"));
    client.code2session("good-eve", "").await.unwrap();
    assert!(
        client
            .code2session("good-eve", "")
            .await
            .unwrap_err()
            .is_bad_code()
    );
    let before = seen.hits.load(Ordering::SeqCst);
    assert!(matches!(
        client.code2session("", "").await,
        Err(DouyinError::BadCode)
    ));
    assert!(matches!(
        client.code2session("a\nb", "").await,
        Err(DouyinError::BadCode)
    ));
    assert_eq!(seen.hits.load(Ordering::SeqCst), before);
}

// ---- Alipay ----

#[tokio::test]
async fn alipay_signs_with_the_app_key_and_verifies_alipays_answer() {
    let (gateway, _) = alipay_stand_in().await;
    for (n, private) in ["app-private-pkcs8", "app-private-pkcs1"]
        .into_iter()
        .enumerate()
    {
        let client = alipay_with(&gateway, ALIPAY_APPID, private, "alipay-public-spki");
        let user = format!("fay{n}");
        let identity = client.oauth_token(&format!("good-{user}")).await.unwrap();
        assert_eq!(
            (identity.platform, identity.user_id.clone()),
            (Platform::Alipay, format!("al-{user}"))
        );
        assert_eq!(
            identity.secret.as_ref().unwrap().expose_secret(),
            access_token_of(&user)
        );
        assert!(!format!("{identity:?}").contains(&access_token_of(&user)));
    }
    let old = alipay(&gateway).oauth_token("userid-only").await.unwrap();
    assert_eq!(
        old.user_id, "2088old",
        "user_id when Alipay sends no open_id"
    );
}

#[tokio::test]
async fn alipay_documented_error_codes_become_typed_errors() {
    let (gateway, _) = alipay_stand_in().await;
    let client = alipay(&gateway);
    for (code, check) in [
        (
            "sub-isv.code-invalid",
            (|e| matches!(e, AlipayError::InvalidCode)) as fn(&AlipayError) -> bool,
        ),
        ("sub-isv.grant-type-invalid", |e| {
            matches!(e, AlipayError::GrantTypeInvalid)
        }),
        ("sub-isv.unmatched-app-id", |e| {
            matches!(e, AlipayError::UnmatchedAppId)
        }),
        ("sub-isv.invalid-app-id", |e| {
            matches!(e, AlipayError::InvalidAppId)
        }),
        ("sub-isv.invalid-signature", |e| {
            matches!(e, AlipayError::InvalidSignature)
        }),
        ("code-40006", |e| {
            matches!(e, AlipayError::InsufficientPermissions)
        }),
        ("code-20000", |e| {
            matches!(e, AlipayError::ServiceUnavailable)
        }),
        (
            "code-40004",
            |e| matches!(e, AlipayError::Other { code, .. } if code == "40004"),
        ),
        ("forged", |e| matches!(e, AlipayError::BadSignature)),
        ("unsigned", |e| matches!(e, AlipayError::Unsigned)),
        ("html", |e| matches!(e, AlipayError::NotJson)),
    ] {
        let e = client.oauth_token(code).await.unwrap_err();
        assert!(check(&e), "{code}: {e:?}");
    }
    client.oauth_token("good-gil").await.unwrap();
    let used = client.oauth_token("good-gil").await.unwrap_err();
    assert!(
        matches!(used, AlipayError::InvalidCode) && used.is_bad_code(),
        "{used:?}"
    );
    assert_eq!(used.code(), Some("isv.code-invalid"));

    // A key pair that does not match what the stand-in has for the app: Alipay refuses the
    // request's signature. An unknown app id gets Alipay's unsigned error.
    let wrong_key = alipay_with(
        &gateway,
        ALIPAY_APPID,
        "alipay-private-pkcs8",
        "alipay-public-spki",
    );
    assert!(matches!(
        wrong_key.oauth_token("good-x").await,
        Err(AlipayError::InvalidSignature)
    ));
    let unknown = alipay_with(
        &gateway,
        "2021999",
        "app-private-pkcs8",
        "alipay-public-spki",
    );
    assert!(matches!(
        unknown.oauth_token("good-x").await,
        Err(AlipayError::InvalidAppId)
    ));
    // The wrong public key configured: every answer fails its check.
    let wrong_public = alipay_with(
        &gateway,
        ALIPAY_APPID,
        "app-private-pkcs8",
        "app-public-spki",
    );
    assert!(matches!(
        wrong_public.oauth_token("good-hal").await,
        Err(AlipayError::BadSignature)
    ));
}

#[test]
fn alipay_keys_that_ring_cannot_use_are_refused_at_start_up() {
    let good = || (key("app-private-pkcs8"), key("alipay-public-spki"));
    let (private, public) = good();
    let e = AlipayClient::new(AlipayConfig::new(
        ALIPAY_APPID,
        "bm90IGEga2V5",
        public.clone(),
    ))
    .unwrap_err();
    assert!(matches!(e, AlipayConfigError::BadPrivateKey), "{e:?}");
    let e = AlipayClient::new(AlipayConfig::new(ALIPAY_APPID, private.clone(), "%%%")).unwrap_err();
    assert!(matches!(e, AlipayConfigError::BadPublicKey), "{e:?}");
    let e = AlipayClient::new(AlipayConfig::new("", private.clone(), public.clone())).unwrap_err();
    assert!(matches!(e, AlipayConfigError::EmptyAppId));
    let e =
        AlipayClient::new(AlipayConfig::new(ALIPAY_APPID, private, public).with_gateway("ftp://x"))
            .unwrap_err();
    assert!(matches!(e, AlipayConfigError::BadGateway { .. }));
}

#[test]
fn debug_does_not_leak_the_private_key_or_secrets() {
    let private = key("app-private-pkcs8");
    let config = AlipayConfig::new(ALIPAY_APPID, private.clone(), key("alipay-public-spki"));
    let client = AlipayClient::new(config.clone()).unwrap();
    // Any 40-character piece of the key's base64 would show a leak.
    let piece = &private[200..240];
    for debug in [format!("{config:?}"), format!("{client:#?}")] {
        assert!(debug.contains(ALIPAY_APPID), "{debug}");
        assert!(!debug.contains(piece), "{debug}");
    }
    for debug in [
        format!(
            "{:?}",
            QqClient::new(QqConfig::new("1", "qq-s3cr3t")).unwrap()
        ),
        format!("{:?}", QqConfig::new("1", "qq-s3cr3t")),
        format!(
            "{:?}",
            DouyinClient::new(DouyinConfig::new("tt", "tt-s3cr3t")).unwrap()
        ),
    ] {
        assert!(!debug.contains("s3cr3t"), "{debug}");
    }
}

#[tokio::test]
async fn errors_never_show_secrets_keys_or_codes() {
    let (gateway, _) = alipay_stand_in().await;
    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let private = key("app-private-pkcs8");
    let errors: Vec<LoginError> = vec![
        qq(&dead)
            .exchange(&LoginCode::new("good-code-1"))
            .await
            .unwrap_err(),
        douyin(&dead, DOUYIN_SECRET)
            .exchange(&LoginCode::new("good-code-2"))
            .await
            .unwrap_err(),
        alipay(&format!("{dead}/gateway.do"))
            .exchange(&LoginCode::new("good-code-3"))
            .await
            .unwrap_err(),
        alipay(&gateway)
            .exchange(&LoginCode::new("sub-isv.code-invalid"))
            .await
            .unwrap_err(),
    ];
    for e in &errors {
        let text = all_text(e);
        for secret in [
            QQ_SECRET,
            DOUYIN_SECRET,
            &private[100..140],
            "good-code-1",
            "good-code-2",
            "good-code-3",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(
        errors[..3]
            .iter()
            .all(|e| !e.is_bad_code() && !e.is_timeout())
    );
    assert!(errors[3].is_bad_code());
    assert_eq!(errors[3].platform(), Platform::Alipay);
    assert_eq!(
        errors[3].platform_code().as_deref(),
        Some("isv.code-invalid")
    );
}

// ---- the example: POST /login/{platform} ----

async fn example_site() -> String {
    let (qq_base, _) = qq_stand_in().await;
    let (douyin_base, _) = douyin_stand_in().await;
    let (gateway, _) = alipay_stand_in().await;
    let logins: Vec<Arc<dyn MiniProgramLogin>> = vec![
        Arc::new(qq(&qq_base)),
        Arc::new(douyin(&douyin_base, DOUYIN_SECRET)),
        Arc::new(alipay(&gateway)),
    ];
    let clock = ManualClock::new(T0);
    serve(example::router(
        logins,
        SessionLayer::new(config(&[1], &clock)).unwrap(),
    ))
    .await
}

async fn post(site: &str, path: &str, body: Value, token: Option<&str>) -> common::Reply {
    Site::at(site.to_owned(), ManualClock::new(T0))
        .send_json("POST", path, Some(&body.to_string()), token)
        .await
}

#[tokio::test]
async fn the_example_logs_in_with_each_platform_and_keeps_it_in_the_session() {
    let site = example_site().await;
    for (platform, body, openid, secret) in [
        (
            "qq",
            json!({ "code": "good-ivy" }),
            "qq-ivy",
            session_key_of("ivy"),
        ),
        (
            "douyin",
            json!({ "code": "good-ivy", "anonymous_code": "d9" }),
            "tt-ivy",
            session_key_of("ivy"),
        ),
        (
            "alipay",
            json!({ "code": "good-ivy" }),
            "al-ivy",
            access_token_of("ivy"),
        ),
    ] {
        let reply = post(&site, &format!("/login/{platform}"), body, None).await;
        assert_eq!(reply.status, 200, "{platform}: {}", reply.body);
        assert_eq!(
            reply.json(),
            json!({ "platform": platform, "openid": openid })
        );
        assert!(!reply.body.contains(&secret));
        let token = reply.new_token();
        let opened = inspect(&[1], &token);
        assert_eq!(opened.data["platform"], platform);
        assert_eq!(opened.data["openid"], openid);
        assert_eq!(opened.data["platform_secret"], secret.as_str());
        let me = Site::at(site.clone(), ManualClock::new(T0))
            .get("/me", Some(&token))
            .await;
        assert_eq!(me.json(), json!({ "platform": platform, "openid": openid }));
    }
}

#[tokio::test]
async fn the_example_answers_platform_errors_as_json() {
    let site = example_site().await;
    for (path, code, status, kind, errcode) in [
        ("/login/qq", "e40029", 400, "bad_code", json!(40029)),
        ("/login/qq", "e45011", 502, "qq", json!(45011)),
        ("/login/qq", "slow", 504, "qq_timeout", Value::Null),
        ("/login/douyin", "e40018", 400, "bad_code", json!(40018)),
        ("/login/douyin", "e40017", 502, "douyin", json!(40017)),
        (
            "/login/alipay",
            "sub-isv.code-invalid",
            400,
            "bad_code",
            json!("isv.code-invalid"),
        ),
        ("/login/alipay", "code-20000", 502, "alipay", json!(20000)),
        ("/login/alipay", "forged", 502, "alipay", Value::Null),
        (
            "/login/wechat",
            "good-x",
            404,
            "unknown_platform",
            Value::Null,
        ),
        (
            "/login/weixin",
            "good-x",
            404,
            "unknown_platform",
            Value::Null,
        ),
    ] {
        let reply = post(&site, path, json!({ "code": code }), None).await;
        assert_eq!(reply.status, status, "{path} {code}: {}", reply.body);
        assert_eq!(reply.json()["error"], kind, "{path} {code}");
        assert_eq!(reply.json()["errcode"], errcode, "{path} {code}");
        assert!(!reply.json()["message"].as_str().unwrap().is_empty());
        assert_eq!(reply.token, None);
    }
    let unknown = post(&site, "/login/wechat", json!({ "code": "x" }), None).await;
    assert!(
        unknown.json()["message"]
            .as_str()
            .unwrap()
            .contains("alipay, douyin, qq")
    );
}
