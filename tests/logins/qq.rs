//! QQ: `jscode2session` at its own API base, and every documented errcode.

use sealed_session::login::{LoginCode, MiniProgramLogin, Platform};

use super::*;

#[tokio::test]
async fn qq_logs_in_at_its_own_api_with_the_jscode2session_shape() {
    let (base, _) = stand_in(qq_router).await;
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
async fn qq_documented_errcodes_have_their_outcome() {
    let (base, _) = stand_in(qq_router).await;
    let client = qq(&base);
    for (code, outcome) in [
        ("e40029", "bad code"),
        ("e45011", "rate limited"),
        ("e-1", "upstream"),
        ("e40013", "refused"),
    ] {
        let e = client.code2session(code).await.unwrap_err();
        assert_eq!(outcome_of(&e), outcome, "{code}: {e:?}");
        assert_eq!(e.platform_code(), Some(&code[1..]));
        assert!(
            e.to_string().contains(&format!("errcode {}", &code[1..])),
            "{e}"
        );
    }
    an_answer_without_a_session_key_is_upstream(&client).await;
}
