//! Alipay: RSA2 both ways with ring, every documented code, and nothing secret in `Debug` or
//! errors (of every platform).

use sealed_session::{
    baidu::BaiduApi,
    douyin::DouyinApi,
    kuaishou::KuaishouApi,
    login::{LoginCode, LoginError, Platform},
    qq::QqApi,
    wechat::WechatApi,
};

use super::*;

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
async fn alipay_documented_codes_have_their_outcome() {
    let (gateway, _) = alipay_stand_in().await;
    let client = alipay(&gateway);
    for (code, outcome, platform_code) in [
        ("sub-isv.code-invalid", "bad code", "isv.code-invalid"),
        (
            "sub-isv.unmatched-app-id",
            "bad code",
            "isv.unmatched-app-id",
        ),
        (
            "sub-isv.grant-type-invalid",
            "refused",
            "isv.grant-type-invalid",
        ),
        (
            "sub-isv.invalid-app-id",
            "misconfigured",
            "isv.invalid-app-id",
        ),
        (
            "sub-isv.invalid-signature",
            "misconfigured",
            "isv.invalid-signature",
        ),
        ("code-40006", "misconfigured", "40006"),
        ("code-20000", "upstream", "20000"),
        // An undocumented code: its sub_code, as Alipay sent it.
        ("code-40004", "refused", "isp.unknow-error"),
        ("sub-isv.something-new", "refused", "isv.something-new"),
    ] {
        let e = client.oauth_token(code).await.unwrap_err();
        assert_eq!(outcome_of(&e), outcome, "{code}: {e:?}");
        assert_eq!(e.platform_code(), Some(platform_code), "{code}");
    }
    for (code, expected) in [
        ("forged", "does not verify with Alipay's public key"),
        ("unsigned", "has no signature"),
    ] {
        let e = client.oauth_token(code).await.unwrap_err();
        assert!(
            e.is_upstream() && e.to_string().contains(expected),
            "{code}: {e}"
        );
    }

    // A key pair that does not match what the stand-in has for the app: Alipay refuses the
    // request's signature. An unknown app id gets Alipay's unsigned error.
    let wrong_key = alipay_with(
        &gateway,
        ALIPAY_APPID,
        "alipay-private-pkcs8",
        "alipay-public-spki",
    );
    let e = wrong_key.oauth_token("good-x").await.unwrap_err();
    assert_eq!(e.platform_code(), Some("isv.invalid-signature"));
    let unknown = alipay_with(
        &gateway,
        "2021999",
        "app-private-pkcs8",
        "alipay-public-spki",
    );
    let e = unknown.oauth_token("good-x").await.unwrap_err();
    assert!(
        e.is_config() && e.platform_code() == Some("isv.invalid-app-id"),
        "{e:?}"
    );
    // The wrong public key configured: every answer fails its check.
    let wrong_public = alipay_with(
        &gateway,
        ALIPAY_APPID,
        "app-private-pkcs8",
        "app-public-spki",
    );
    let e = wrong_public.oauth_token("good-hal").await.unwrap_err();
    assert!(
        e.is_upstream() && e.to_string().contains("ALIPAY_PUBLIC_KEY"),
        "{e}"
    );
}

#[test]
fn alipay_keys_that_ring_cannot_use_are_refused_at_start_up() {
    let good = || (key("app-private-pkcs8"), key("alipay-public-spki"));
    let (private, public) = good();
    let refused = |config: AlipayConfig| AlipayClient::new(config).unwrap_err().to_string();
    let text = refused(AlipayConfig::new(
        ALIPAY_APPID,
        "bm90IGEga2V5",
        public.clone(),
    ));
    assert!(
        text.contains("the Alipay private key is not usable"),
        "{text}"
    );
    let text = refused(AlipayConfig::new(ALIPAY_APPID, private.clone(), "%%%"));
    assert!(text.contains("Alipay's public key is not usable"), "{text}");
    let text = refused(AlipayConfig::new("", private.clone(), public.clone()));
    assert_eq!(text, "the Alipay app id is empty");
    let text = refused(AlipayConfig::new(ALIPAY_APPID, private, public).with_gateway("ftp://x"));
    assert!(text.contains("API base URL is not usable"), "{text}");
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
    /// The `Debug` of a configuration and of a client of every platform with an app secret.
    fn debug_of<P: LoginApi + WithAppSecret>() -> [String; 2] {
        let config = LoginConfig::<P>::new("app-1", "s3cr3t");
        let client = LoginClient::new(config.clone()).unwrap();
        [format!("{config:?}"), format!("{client:#?}")]
    }
    for debug in [
        debug_of::<QqApi>(),
        debug_of::<WechatApi>(),
        debug_of::<DouyinApi>(),
        debug_of::<BaiduApi>(),
        debug_of::<KuaishouApi>(),
    ]
    .concat()
    {
        assert!(debug.contains("app-1"), "{debug}");
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
        baidu(&dead, BAIDU_SECRET)
            .exchange(&LoginCode::new("good-code-4"))
            .await
            .unwrap_err(),
        kuaishou(&dead, KUAISHOU_SECRET)
            .exchange(&LoginCode::new("good-code-5"))
            .await
            .unwrap_err(),
    ];
    for e in &errors {
        let text = all_text(e);
        for secret in [
            QQ_SECRET,
            DOUYIN_SECRET,
            BAIDU_SECRET,
            KUAISHOU_SECRET,
            &private[100..140],
            "good-code-1",
            "good-code-2",
            "good-code-3",
            "good-code-4",
            "good-code-5",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
    assert!(
        errors[..3]
            .iter()
            .chain(&errors[4..])
            .all(|e| !e.is_bad_code() && !e.is_timeout())
    );
    assert!(errors[3].is_bad_code());
    assert_eq!(errors[3].platform(), Platform::Alipay);
    assert_eq!(errors[3].platform_code(), Some("isv.code-invalid"));
}
