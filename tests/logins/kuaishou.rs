//! Kuaishou: the union id, and the documented `result` codes. Its login itself (the form of
//! `app_id`, `app_secret` and `js_code` in, `result`, `open_id` and `session_key` out) is tested
//! with every platform's (every_platform.rs).

use sealed_session::login::LoginCode;

use super::*;

#[tokio::test]
async fn kuaishou_reads_the_union_id_when_sent() {
    let (base, _) = stand_in(kuaishou_router).await;
    let client = kuaishou(&base, KUAISHOU_SECRET);
    let plain = client.exchange(&LoginCode::new("good-kai")).await.unwrap();
    assert_eq!(plain.unionid, None);
    let with_union = client.exchange(&LoginCode::new("union-kim")).await.unwrap();
    assert_eq!(
        (with_union.user_id.as_str(), with_union.unionid.as_deref()),
        ("ks-kim", Some("ku-kim"))
    );
}

#[tokio::test]
async fn kuaishou_documented_results_have_their_outcome() {
    let (base, _) = stand_in(kuaishou_router).await;
    let client = kuaishou(&base, KUAISHOU_SECRET);
    for (code, outcome) in [
        ("r100200100", "bad code"),
        ("r100200101", "misconfigured"),
        ("r100200199", "refused"),
    ] {
        let e = client.exchange(&LoginCode::new(code)).await.unwrap_err();
        assert_eq!(outcome_of(&e), outcome, "{code}: {e:?}");
        assert_eq!(e.platform_code(), Some(&code[1..]));
        assert!(
            e.to_string().contains(&format!("result {}", &code[1..])),
            "{e}"
        );
    }
    a_wrong_secret_is_the_settings_fault(&kuaishou(&base, "wrong-secret"), "KUAISHOU_SECRET").await;
    an_answer_without_a_session_key_is_upstream(&client).await;
}
