//! The view counter from express-session's README, over a header instead of a cookie.
//!
//! ```sh
//! cargo run --example views
//! curl -i localhost:3000/foo                       # note the x-session response header
//! curl -i -H "x-session: <that value>" localhost:3000/foo
//! curl -H "x-session: <the newest value>" localhost:3000/views
//! ```
//!
//! Keys come from `SESSION_KEYS` (comma-separated base64, the first seals); without it a random
//! key is made, and sessions end when the server stops. `PORT` picks the port (default 3000).

#[path = "support/mod.rs"]
mod support;

use std::collections::BTreeMap;

use axum::{Json, Router, extract::OriginalUri, http::StatusCode, routing::get};
use sealed_session::{Session, SessionConfig, SessionLayer};
use serde_json::{Value, json};

const VIEWS: &str = "views";

type Views = BTreeMap<String, u64>;

async fn count(
    session: Session,
    OriginalUri(uri): OriginalUri,
) -> Result<String, (StatusCode, String)> {
    let fail = |e: sealed_session::SessionError| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    let mut views: Views = session.get(VIEWS).map_err(fail)?.unwrap_or_default();
    let n = views.entry(uri.path().to_owned()).or_default();
    *n += 1;
    let n = *n;
    session.insert(VIEWS, &views).map_err(fail)?;
    Ok(format!("you viewed this page {n} times"))
}

async fn show(session: Session) -> Json<Value> {
    Json(session.get_value(VIEWS).unwrap_or_else(|| json!({})))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    support::init_logging();
    let keys = support::keys()?;
    let app = Router::new()
        .route("/foo", get(count))
        .route("/bar", get(count))
        .route("/views", get(show))
        .layer(SessionLayer::new(SessionConfig::new(keys))?);
    let listener = support::bind(support::port("PORT", 3000)?).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
