//! Alipay: RSA2 both ways with ring, every documented code, and nothing secret in `Debug` or
//! errors (of every platform).

use sealed_session::{
    alipay::{AlipayConfigError, AlipayError},
    login::{LoginCode, LoginError, MiniProgramLogin, Platform},
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
