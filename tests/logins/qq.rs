//! QQ: `jscode2session` at its own API base, and every documented errcode.

use std::sync::atomic::Ordering;

use sealed_session::{
    login::{LoginCode, MiniProgramLogin, Platform},
    qq::QqError,
};

use super::*;

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
