//! Douyin: JSON in, `err_no`/`data` out, anonymous logins, and every documented err_no.

use sealed_session::login::{LoginCode, Platform};

use super::*;

#[tokio::test]
async fn douyin_posts_json_and_reads_err_no_and_data() {
    let (base, _) = stand_in(douyin_router).await;
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
async fn douyin_documented_err_nos_have_their_outcome() {
    let (base, seen) = stand_in(douyin_router).await;
    let client = douyin(&base, DOUYIN_SECRET);
    for (code, outcome) in [
        ("e40018", "bad code"),
        ("e40019", "bad code"),
        ("e40014", "refused"),
        ("e40015", "misconfigured"),
        ("e40017", "misconfigured"),
        ("e-1", "upstream"),
        ("e12345", "refused"),
    ] {
        let e = client.code2session(code, "").await.unwrap_err();
        assert_eq!(outcome_of(&e), outcome, "{code}: {e:?}");
        assert_eq!(
            e.errcode().map(|n| n.to_string()).as_deref(),
            Some(&code[1..])
        );
    }
    a_wrong_secret_is_the_settings_fault(&douyin(&base, "wrong-secret"), "DOUYIN_SECRET").await;
    let before = seen.hits.load(std::sync::atomic::Ordering::SeqCst);
    assert!(client.code2session("", "").await.unwrap_err().is_bad_code());
    assert!(
        client
            .code2session("c", "a b")
            .await
            .unwrap_err()
            .is_bad_code()
    );
    assert_eq!(seen.hits.load(std::sync::atomic::Ordering::SeqCst), before);
}
