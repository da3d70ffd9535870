//! Douyin: JSON in, `err_no`/`data` out, anonymous logins, and every documented err_no.

use std::sync::atomic::Ordering;

use sealed_session::{
    douyin::DouyinError,
    login::{LoginCode, MiniProgramLogin, Platform},
};

use super::*;

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
