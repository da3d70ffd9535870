//! The three servers of the loopback benchmark (`benches/loopback.sh`), one per mode, all with
//! the views example's routes plus a seed and a one-key read:
//!
//! - `ours`: the views example's handlers behind `SessionLayer` (every default);
//! - `bare`: the same routes with no session at all;
//! - `floor`: the same session work by the shortest path with the fastest parts and no layer:
//!   the token's bytes (version 2, the crate's key and format) decoded with `base64-simd`,
//!   opened with HChaCha20 + `ring`, the one value the route needs found in the JSON without
//!   parsing the rest, and (for a write) the JSON written back and sealed again.
//!
//! Routes: `GET /foo` (count the views of `/foo`: a write), `GET /views` (answer the counts:
//! read only), `GET /user` (answer `user_id` of the reference payload: a one-key read),
//! `GET /seed` (a new session holding the reference payload). `PORT` picks the port.
#![allow(missing_docs)]

mod common;

use std::{
    collections::BTreeMap,
    time::{SystemTime, UNIX_EPOCH},
};

use axum::{
    Json, Router,
    extract::OriginalUri,
    http::{HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use base64_simd::URL_SAFE_NO_PAD;
use ring::aead::Aad;
use sealed_session::{Key, Keys, Session, SessionConfig, SessionLayer};
use serde_json::{Value, json, value::RawValue};

use common::{
    KEY, PAYLOAD,
    codec::{ring_key, ring_nonce},
};

const HEADER: &str = "x-session";
const DAY_MS: u64 = 86_400_000;
type Views = BTreeMap<String, u64>;

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

// ---- floor: the shortest path ----

/// The version 2 head of our tokens: version, kid, line, generation.
fn head(line: [u8; 4], generation: u32) -> [u8; 13] {
    let kid = Key::from_bytes(KEY).id().0;
    let g = generation.to_be_bytes();
    [
        2, kid[0], kid[1], kid[2], kid[3], line[0], line[1], line[2], line[3], g[0], g[1], g[2],
        g[3],
    ]
}

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis(),
    )
    .unwrap()
}

/// Seals `json` with `envelope` (40 bytes) under `head`: the token.
fn seal(head: [u8; 13], envelope: &[u8], json: &[u8]) -> String {
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).unwrap();
    let mut buf = Vec::with_capacity(37 + 40 + json.len() + 16);
    buf.extend_from_slice(&head);
    buf.extend_from_slice(&nonce);
    buf.extend_from_slice(envelope);
    buf.extend_from_slice(json);
    let tag = ring_key(&KEY, &nonce)
        .seal_in_place_separate_tag(ring_nonce(&nonce), Aad::from(&head), &mut buf[37..])
        .unwrap();
    buf.extend_from_slice(tag.as_ref());
    URL_SAFE_NO_PAD.encode_to_string(&buf)
}

/// An opened token: its head and its decrypted bytes, in the one decoded buffer.
struct Opened {
    head: [u8; 13],
    raw: Vec<u8>,
    /// Where the plaintext (envelope, then JSON) lies in `raw`.
    plain: std::ops::Range<usize>,
}

impl Opened {
    fn envelope(&self) -> &[u8] {
        &self.raw[self.plain.start..self.plain.start + 40]
    }

    /// The JSON text, borrowed from the buffer (no copy).
    fn json(&self) -> &str {
        std::str::from_utf8(&self.raw[self.plain.start + 40..self.plain.end]).unwrap()
    }
}

/// Opens the request's token in place.
fn open(headers: &HeaderMap) -> Option<Opened> {
    let mut raw = URL_SAFE_NO_PAD
        .decode_to_vec(headers.get(HEADER)?.as_bytes())
        .ok()?;
    let head: [u8; 13] = raw.get(..13)?.try_into().ok()?;
    let nonce: [u8; 24] = raw.get(13..37)?.try_into().ok()?;
    let plain_len = ring_key(&KEY, &nonce)
        .open_in_place(ring_nonce(&nonce), Aad::from(&head), &mut raw[37..])
        .ok()?
        .len();
    if plain_len < 40 {
        return None;
    }
    Some(Opened {
        head,
        raw,
        plain: 37..37 + plain_len,
    })
}

/// The raw text of `key` in the JSON object `json`, without parsing the other values.
fn raw_value<'a>(json: &'a str, key: &str) -> Option<&'a RawValue> {
    let object: BTreeMap<&str, &RawValue> = serde_json::from_str(json).ok()?;
    object.get(key).copied()
}

fn with_token(token: String, body: String) -> Response {
    let mut response = body.into_response();
    response
        .headers_mut()
        .insert(HEADER, HeaderValue::try_from(token).unwrap());
    response
}

async fn floor_count(headers: HeaderMap) -> Response {
    let Some(opened) = open(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let (head, json) = (opened.head, opened.json());
    let object: BTreeMap<&str, &RawValue> = serde_json::from_str(json).unwrap();
    let mut views: Views = object
        .get("views")
        .map_or_else(Views::new, |v| serde_json::from_str(v.get()).unwrap());
    let n = views.entry("/foo".to_owned()).or_default();
    *n += 1;
    let n = *n;
    let views = serde_json::to_string(&views).unwrap();
    // The JSON written back: every other value as it was, `views` new.
    let mut out = String::with_capacity(json.len() + 8);
    out.push('{');
    let mut first = true;
    let mut write = |key: &str, value: &str| {
        if !first {
            out.push(',');
        }
        first = false;
        out.push('"');
        out.push_str(key);
        out.push_str("\":");
        out.push_str(value);
    };
    for (key, value) in &object {
        if *key != "views" {
            write(key, value.get());
        }
    }
    write("views", &views);
    out.push('}');
    let mut envelope: [u8; 40] = opened.envelope().try_into().unwrap();
    envelope[8..16].copy_from_slice(&(now_ms() + DAY_MS).to_be_bytes());
    let generation = u32::from_be_bytes(head[9..13].try_into().unwrap()) + 1;
    let token = seal(head_with(head, generation), &envelope, out.as_bytes());
    with_token(token, format!("you viewed this page {n} times"))
}

fn head_with(head: [u8; 13], generation: u32) -> [u8; 13] {
    let mut next = head;
    next[9..13].copy_from_slice(&generation.to_be_bytes());
    next
}

async fn floor_views(headers: HeaderMap) -> Response {
    let Some(opened) = open(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let views =
        raw_value(opened.json(), "views").map_or_else(|| "{}".to_owned(), |v| v.get().to_owned());
    ([("content-type", "application/json")], views).into_response()
}

async fn floor_user(headers: HeaderMap) -> Response {
    let Some(opened) = open(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    raw_value(opened.json(), "user_id")
        .map_or_else(|| "0".to_owned(), |v| v.get().to_owned())
        .into_response()
}

async fn floor_seed() -> Response {
    let now = now_ms();
    let mut envelope = Vec::with_capacity(40);
    envelope.extend_from_slice(&now.to_be_bytes());
    envelope.extend_from_slice(&(now + DAY_MS).to_be_bytes());
    envelope.extend_from_slice(&DAY_MS.to_be_bytes());
    envelope.extend_from_slice(&[7; 16]);
    let token = seal(head([7; 4], 1), &envelope, PAYLOAD.as_bytes());
    with_token(token, String::new())
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
