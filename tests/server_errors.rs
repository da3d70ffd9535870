//! A handler that answers 5xx commits nothing: no write, renewal or re-seal reaches the client,
//! unless the handler asks for it; `destroy` and `revoke` still clear the client's token.

mod common;

use axum::{Router, http::StatusCode, routing::post};
use common::{HOUR, Site, T0, config, inspect, serve};
use sealed_session::{ManualClock, Session, SessionLayer};

fn app(layer: SessionLayer) -> Router {
    Router::new()
        .route(
            "/half-login",
            post(|s: Session| async move {
                // A login whose second insert failed upstream: the first must not be committed.
                s.clear();
                s.cycle_id();
                s.insert("openid", "o-new").unwrap();
                StatusCode::INTERNAL_SERVER_ERROR
            }),
        )
        .route(
            "/fail-after-commit",
            post(|s: Session| async move {
                s.insert("audit", "kept").unwrap();
                s.commit_on_error();
                StatusCode::SERVICE_UNAVAILABLE
            }),
        )
        .route(
            "/fail-after-destroy",
            post(|s: Session| async move {
                s.destroy();
                StatusCode::BAD_GATEWAY
            }),
        )
        .route(
            "/fail-read",
            post(|_: Session| async { StatusCode::INTERNAL_SERVER_ERROR }),
        )
        .route(
            "/too-large",
            post(|s: Session| async move {
                s.insert("big", "x".repeat(10_000))?;
                Ok::<_, sealed_session::SessionError>("stored")
            }),
        )
        .route(
            "/login",
            post(|s: Session| async move {
                s.insert("openid", "o-old").unwrap();
                "ok"
            }),
        )
        .layer(layer)
}

async fn site(clock: &ManualClock, rolling: bool) -> Site {
    let layer = SessionLayer::new(config(&[1], clock).with_rolling(rolling)).unwrap();
    Site::at(serve(app(layer)).await, clock.clone())
}

#[tokio::test]
async fn a_failed_login_issues_no_token_and_the_client_keeps_its_own() {
    // Exercise: a logged-in client whose new login fails half-way (500 after an insert).
    // Expectation: no session header at all; the client's token still holds the old login.
    let clock = ManualClock::new(T0);
    let site = site(&clock, false).await;
    let token = site.post("/login", None).await.new_token();
    let failed = site.post("/half-login", Some(&token)).await;
    assert_eq!(failed.status, 500);
    assert_eq!(
        failed.token, None,
        "nothing half-written reaches the client"
    );
    assert_eq!(
        inspect(&[1], &token).data.get_value("openid").unwrap(),
        "o-old"
    );
}

#[tokio::test]
async fn a_5xx_re_issues_nothing_not_even_a_renewal() {
    // Exercise: a rolling server (every response re-issues) whose handler answers 500, and a
    // renewal due (13 hours on).
    // Expectation: no header.
    let clock = ManualClock::new(T0);
    let site = site(&clock, true).await;
    let token = site.post("/login", None).await.new_token();
    clock.advance(13 * HOUR);
    let failed = site.post("/fail-read", Some(&token)).await;
    assert_eq!((failed.status, failed.token), (500, None));
}

#[tokio::test]
async fn commit_on_error_seals_anyway_and_destroy_still_clears() {
    // Exercise: a handler that asks to commit and answers 503; one that destroys and answers
    // 502.
    // Expectation: the first sends its new token; the second clears the client's token.
    let clock = ManualClock::new(T0);
    let site = site(&clock, false).await;
    let token = site.post("/login", None).await.new_token();
    let committed = site.post("/fail-after-commit", Some(&token)).await;
    assert_eq!(committed.status, 503);
    let sealed = inspect(&[1], &committed.new_token());
    assert_eq!(sealed.data.get_value("audit").unwrap(), "kept");
    let destroyed = site.post("/fail-after-destroy", Some(&token)).await;
    assert_eq!(destroyed.status, 502);
    assert_eq!(destroyed.token.as_deref(), Some(""));
}

#[tokio::test]
async fn a_session_error_with_question_mark_answers_a_generic_500() {
    // Exercise: a handler that returns `Result<_, SessionError>` and fails an insert with `?`.
    // Expectation: a 500 with a generic body, an error event with the reason, no data anywhere.
    let (events, _guard) = common::Events::capture();
    let clock = ManualClock::new(T0);
    let site = site(&clock, false).await;
    let reply = site.post("/too-large", None).await;
    assert_eq!((reply.status, reply.body.as_str()), (500, "session error"));
    assert_eq!(reply.token, None);
    let lines = events.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("ERROR") && l.contains("session too large")),
        "{lines:?}"
    );
    assert!(lines.iter().all(|l| !l.contains("xxxx")));
}
