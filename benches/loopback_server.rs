//! The three servers of the loopback benchmark (`benches/loopback.sh`), one per mode, all with
//! the views example's routes plus a seed and a one-key read:
//!
//! - `ours`: the views example's handlers behind `SessionLayer` (every default);
//! - `bare`: the same routes with no session at all;
//! - `floor`: the same session work by the shortest path with the fastest parts and no layer
//!   (`benches/common/floor.rs`): the token's bytes (version 2, the crate's key and format)
//!   decoded with `base64-simd`, opened in place with HChaCha20 + `ring`, the JSON checked as
//!   one object borrowing every value, and (for a write) written back with the new value and
//!   sealed again.
//!
//! Routes: `GET /foo` (count the views of `/foo`: a write), `GET /views` (answer the counts:
//! read only), `GET /user` (answer `user_id` of the reference payload: a one-key read),
//! `GET /seed` (a new session holding the reference payload). `PORT` picks the port.
#![allow(missing_docs)]

mod common;

use axum::{
    Json, Router,
    extract::OriginalUri,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use sealed_session::{Key, Keys, Session, SessionConfig, SessionLayer};
use serde_json::{Value, json};

use common::{
    KEY, PAYLOAD, Views,
    floor::{self, Opened},
};

// ---- ours: the views example, plus /seed and /user ----

async fn ours_count(session: Session, OriginalUri(uri): OriginalUri) -> String {
    let mut views: Views = session.get("views").ok().flatten().unwrap_or_default();
    let n = views.entry(uri.path().to_owned()).or_default();
    *n += 1;
    let n = *n;
    session.insert("views", &views).expect("fits");
    format!("you viewed this page {n} times")
}

async fn ours_views(session: Session) -> Json<Value> {
    Json(session.get_value("views").unwrap_or_else(|| json!({})))
}

async fn ours_user(session: Session) -> String {
    let user: Option<u64> = session.get("user_id").ok().flatten();
    user.unwrap_or(0).to_string()
}

async fn ours_seed(session: Session) {
    let payload: serde_json::Map<String, Value> = serde_json::from_str(PAYLOAD).unwrap();
    for (key, value) in payload {
        session.insert(&key, value).expect("fits");
    }
}

fn ours() -> Router {
    let layer = SessionLayer::new(SessionConfig::new(Keys::single(Key::from_bytes(KEY)))).unwrap();
    Router::new()
        .route("/foo", get(ours_count))
        .route("/views", get(ours_views))
        .route("/user", get(ours_user))
        .route("/seed", get(ours_seed))
        .layer(layer)
}

// ---- bare: no session ----

fn bare() -> Router {
    Router::new()
        .route("/foo", get(|| async { "you viewed this page 1 times" }))
        .route("/views", get(|| async { Json(json!({})) }))
        .route("/user", get(|| async { "0" }))
        .route("/seed", get(|| async {}))
}

// ---- floor: the shortest path (benches/common/floor.rs) ----

async fn floor_count(headers: HeaderMap) -> Response {
    let Some(opened) = Opened::from_headers(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let object = opened.object();
    let mut views = floor::views(&object);
    let n = views.entry("/foo".to_owned()).or_default();
    *n += 1;
    let n = *n;
    floor::with_token(
        floor::with_views(&opened, &object, &views),
        format!("you viewed this page {n} times"),
    )
}

async fn floor_views(headers: HeaderMap) -> Response {
    let Some(opened) = Opened::from_headers(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let views = opened
        .object()
        .get("views")
        .map_or_else(|| "{}".to_owned(), |v| v.get().to_owned());
    ([("content-type", "application/json")], views).into_response()
}

async fn floor_user(headers: HeaderMap) -> Response {
    let Some(opened) = Opened::from_headers(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    opened
        .object()
        .get("user_id")
        .map_or_else(|| "0".to_owned(), |v| v.get().to_owned())
        .into_response()
}

async fn floor_seed() -> Response {
    floor::with_token(floor::seed(), String::new())
}

fn floor() -> Router {
    Router::new()
        .route("/foo", get(floor_count))
        .route("/views", get(floor_views))
        .route("/user", get(floor_user))
        .route("/seed", get(floor_seed))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let app = match mode.as_str() {
        "ours" => ours(),
        "bare" => bare(),
        "floor" => floor(),
        _ => panic!("usage: loopback_server ours|bare|floor (PORT in the environment)"),
    };
    let port: u16 = std::env::var("PORT").map_or(0, |p| p.parse().expect("PORT is a port"));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}
