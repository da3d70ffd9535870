//! Baidu: errors in both documented shapes (OAuth 2.0 `error` with status 400, and `errno`).
//! Its login itself (the form of `code`, `client_id` and `sk` in, `openid` and `session_key`
//! out) is tested with every platform's (every_platform.rs).

use sealed_session::login::LoginCode;

use super::*;

#[tokio::test]
async fn baidu_documented_codes_have_their_outcome() {
    let (base, _) = stand_in(baidu_router).await;
    let client = baidu(&base, BAIDU_SECRET);
    // Baidu's OAuth 2.0 error list; the ones of other OAuth flows are kept as sent.
    for (code, outcome) in [
        ("oauth-invalid_grant", "bad code"),
        ("oauth-invalid_client", "misconfigured"),
        ("oauth-unauthorized_client", "misconfigured"),
        ("oauth-invalid_request", "refused"),
        ("oauth-unsupported_grant_type", "refused"),
        ("oauth-invalid_scope", "refused"),
        ("oauth-expired_token", "refused"),
        ("oauth-redirect_uri_mismatch", "refused"),
        ("oauth-unsupported_response_type", "refused"),
        ("oauth-slow_down", "refused"),
        ("oauth-authorization_pending", "refused"),
        ("oauth-authorization_declined", "refused"),
        ("oauth-invalid_referer", "refused"),
        ("errno-10010100", "refused"),
        ("errno-10010199", "refused"),
    ] {
        let e = client.exchange(&LoginCode::new(code)).await.unwrap_err();
        assert_eq!(outcome_of(&e), outcome, "{code}: {e:?}");
        let sent = code.split_once('-').unwrap().1;
        assert_eq!(e.platform_code(), Some(sent), "{code}");
    }
    a_wrong_secret_is_the_settings_fault(&baidu(&base, "wrong-secret"), "BAIDU_APPKEY").await;
    an_answer_without_a_session_key_is_upstream(&client).await;
}

#[tokio::test]
async fn baidus_description_of_a_used_code_does_not_show_the_code() {
    // Exercise: a used code, which Baidu refuses with `invalid_grant` and a description that
    // quotes it ("Invalid authorization code: <code>").
    // Expectation: a bad code, and the error's text never holds the code.
    let (base, _) = stand_in(baidu_router).await;
    let client = baidu(&base, BAIDU_SECRET);
    client.exchange(&LoginCode::new("good-zed")).await.unwrap();
    let e = client
        .exchange(&LoginCode::new("good-zed"))
        .await
        .unwrap_err();
    assert!(e.is_bad_code(), "{e:?}");
    assert!(!all_text(&e).contains("good-zed"), "{}", all_text(&e));
}
