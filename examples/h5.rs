//! A small H5 page that keeps a counter across reloads, in two ways:
//!
//! - **cookie carrier, same origin**: the page at `/` calls `POST /api/count` on its own origin;
//!   the browser keeps the `HttpOnly` session cookie. tower-http's `CsrfLayer` guards that
//!   route (the CSRF note in the README): a state-changing request from another origin, such
//!   as a forged form, gets `403`; the page's own `fetch` passes.
//! - **header carrier across origins**: the page at `/header` calls `POST /api/count` on a
//!   second origin (another port) with `fetch`; CORS allows the page's origin and the
//!   `x-session` request header and *exposes* the `x-session` response header, which the page
//!   keeps in `localStorage`, as a uni-app/Taro H5 build would.
//!
//! ```sh
//! cargo run --example h5 --features cookie
//! # prints, one per line: cookie-page <url>, header-page <url>, header-api <url>
//! ```
//!
//! Both listen on 127.0.0.1: `PORT` picks the pages' port and `API_PORT` the second origin's
//! (default 0: any free port). Keys come from `SESSION_KEYS` (comma-separated base64, the first
//! seals); without it a random key is made, and sessions end when the server stops. The browser
//! test in `tests/browser/` drives this example in headless Chromium.

#[path = "support/mod.rs"]
mod support;

use axum::{
    Json, Router,
    http::{HeaderName, HeaderValue, Method, StatusCode, header::CONTENT_TYPE},
    response::Html,
    routing::{get, post},
};
use sealed_session::{Carrier, CookieOptions, Keys, Session, SessionConfig, SessionLayer};
use serde_json::{Value, json};
use tower_http::{cors::CorsLayer, csrf::CsrfLayer};

const COOKIE_PAGE: &str = include_str!("h5/cookie.html");
const HEADER_PAGE: &str = include_str!("h5/header.html");
/// Where the header page learns the API's origin.
const API_ORIGIN_SLOT: &str = "{{API_ORIGIN}}";
const SESSION_HEADER: &str = "x-session";

/// Counts the calls of this session and answers `{"count": n}`.
async fn count(session: Session) -> Result<Json<Value>, (StatusCode, String)> {
    let fail = |e: sealed_session::SessionError| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string());
    let n = session.get::<u64>("count").map_err(fail)?.unwrap_or(0) + 1;
    session.insert("count", n).map_err(fail)?;
    Ok(Json(json!({ "count": n })))
}

/// The pages, and the cookie carrier's API on the same origin.
fn pages(keys: Keys, api_origin: &str) -> Result<Router, Box<dyn std::error::Error>> {
    let config = SessionConfig::new(keys)
        .with_carriers([Carrier::Cookie])
        // `Secure` by default: browsers accept it over plain HTTP on 127.0.0.1 and localhost.
        .with_cookie(CookieOptions::new());
    let header_page = HEADER_PAGE.replace(API_ORIGIN_SLOT, api_origin);
    Ok(Router::new()
        .route("/", get(Html(COOKIE_PAGE)))
        .route("/header", get(Html(header_page)))
        // The cookie routes only: a browser sends the cookie on its own, so a state-changing
        // request must come from this origin (Fetch Metadata and `Origin`, Go 1.25's scheme).
        .route("/api/count", post(count).route_layer(CsrfLayer::new()))
        .layer(SessionLayer::new(config)?))
}

/// The header carrier's API, on a second origin, open to the pages' origin through CORS.
fn api(keys: Keys, page_origin: &str) -> Result<Router, Box<dyn std::error::Error>> {
    let session = HeaderName::from_static(SESSION_HEADER);
    let cors = CorsLayer::new()
        .allow_origin(HeaderValue::from_str(page_origin)?)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([session.clone(), CONTENT_TYPE])
        .expose_headers([session]);
    Ok(Router::new()
        .route("/api/count", post(count))
        .layer(SessionLayer::new(SessionConfig::new(keys))?)
        // Outermost, so that preflights are answered before the session layer.
        .layer(cors))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    support::init_logging();
    let keys = support::keys()?;
    let page_listener = support::bind(support::port("PORT", 0)?).await?;
    let api_listener = support::bind(support::port("API_PORT", 0)?).await?;
    let page_origin = format!("http://{}", page_listener.local_addr()?);
    let api_origin = format!("http://{}", api_listener.local_addr()?);
    let pages = pages(keys.clone(), &api_origin)?;
    let api = api(keys, &page_origin)?;
    println!("cookie-page {page_origin}/");
    println!("header-page {page_origin}/header");
    println!("header-api {api_origin}");
    tokio::try_join!(async { axum::serve(page_listener, pages).await }, async {
        axum::serve(api_listener, api).await
    },)?;
    Ok(())
}
