//! The test application: one route per thing a handler can do to a session.

use std::time::Duration;

use axum::{
    Json, Router,
    extract::Path,
    http::StatusCode,
    routing::{get, post},
};
use sealed_session::{ManualClock, Session, SessionConfig, SessionLayer};

use super::{Site, serve};
use serde_json::{Value, json};

/// The test routes behind `layer`, applied with `Router::layer`.
pub fn app(layer: SessionLayer) -> Router {
    routes().layer(layer)
}

/// The test routes, with no session layer.
pub fn routes() -> Router {
    Router::new()
        .route("/peek", get(peek))
        .route("/count", get(count))
        .route("/nothing", get(|| async { "no session here" }))
        .route(
            "/cycle",
            post(|s: Session| async move {
                s.cycle_id();
                peek(s).await
            }),
        )
        .route(
            "/regenerate",
            post(|s: Session| async move {
                s.regenerate();
                s.insert("user", 7).unwrap();
                peek(s).await
            }),
        )
        .route(
            "/relogin",
            post(|s: Session| async move {
                // Log out, then in again, in one request.
                s.destroy();
                s.insert("n", 100).unwrap();
                peek(s).await
            }),
        )
        .route(
            "/destroy",
            post(|s: Session| async move {
                s.destroy();
                "bye"
            }),
        )
        .route(
            "/revoke",
            post(|s: Session| async move {
                s.revoke();
                "bye"
            }),
        )
        .route(
            "/touch",
            post(|s: Session| async move {
                s.touch();
                "touched"
            }),
        )
        .route(
            "/max-age/{secs}",
            post(|s: Session, Path(secs): Path<u64>| async move {
                s.set_max_age(Duration::from_secs(secs));
                peek(s).await
            }),
        )
        .route("/big/{len}", post(big))
}

/// Reads, changes nothing.
async fn peek(session: Session) -> Json<Value> {
    Json(json!({
        "is_new": session.is_new(),
        "id": session.id().to_string(),
        "len": session.len(),
        "n": session.get_value("n"),
        "created_ms": session.created_ms(),
        "expires_ms": session.expires_ms(),
        "max_age_ms": u64::try_from(session.max_age().as_millis()).unwrap(),
        "generation": session.generation(),
    }))
}

/// Increments `n` and answers its new value.
async fn count(session: Session) -> String {
    let n: u64 = session.get("n").unwrap().unwrap_or(0) + 1;
    session.insert("n", n).unwrap();
    n.to_string()
}

/// Stores a string of `len` characters under `big`; a 413 with the error's text if it does not fit.
async fn big(session: Session, Path(len): Path<usize>) -> (StatusCode, String) {
    match session.insert("big", "x".repeat(len)) {
        Ok(()) => (StatusCode::OK, "stored".into()),
        Err(e) => (StatusCode::PAYLOAD_TOO_LARGE, e.to_string()),
    }
}

impl Site {
    /// Serves [`app`] with `config` on a free port.
    pub async fn start(config: SessionConfig, clock: ManualClock) -> Self {
        let base = serve(app(SessionLayer::new(config).unwrap())).await;
        Self::at(base, clock)
    }
}
