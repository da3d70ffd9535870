//! The request floor: a handler's session work by the shortest path with the fastest parts and
//! no layer, for the loopback servers (`benches/loopback_server.rs`) and the per-request counts
//! (`benches/common/request.rs`). The token is ours (version 2, the crate's key and format):
//! decoded with `base64-simd` into one buffer, opened in place with HChaCha20 + `ring`, its JSON
//! checked as one object borrowing every key and value from that buffer, and for a write the
//! JSON written back with one value replaced and sealed again. No key look-up, no expiry
//! check, no session state: only what the bytes need.

use std::{
    collections::BTreeMap,
    ops::Range,
    time::{SystemTime, UNIX_EPOCH},
};

use axum::{
    http::{HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use base64_simd::URL_SAFE_NO_PAD;
use ring::aead::Aad;
use sealed_session::Key;
use serde_json::value::RawValue;

use super::{
    KEY, PAYLOAD, Views,
    codec::{ring_key, ring_nonce},
};

/// The header the token rides in (the crate's default).
pub const HEADER: &str = sealed_session::DEFAULT_HEADER;
const DAY_MS: u64 = 86_400_000;
/// `version || kid || line || generation`.
const HEAD_LEN: usize = 13;
/// The head and the nonce: where the ciphertext starts.
const SEALED_AT: usize = HEAD_LEN + 24;
const ENVELOPE_LEN: usize = 40;

/// An opened token: its head and its decrypted bytes, in the one decoded buffer.
pub struct Opened {
    head: [u8; HEAD_LEN],
    raw: Vec<u8>,
    /// Where the plaintext (envelope, then JSON) lies in `raw`.
    plain: Range<usize>,
}

impl Opened {
    /// The request's token, opened in place; `None` if there is none or it does not open.
    pub fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let mut raw = URL_SAFE_NO_PAD
            .decode_to_vec(headers.get(HEADER)?.as_bytes())
            .ok()?;
        let head: [u8; HEAD_LEN] = raw.get(..HEAD_LEN)?.try_into().ok()?;
        let nonce: [u8; 24] = raw.get(HEAD_LEN..SEALED_AT)?.try_into().ok()?;
        let plain_len = ring_key(&KEY, &nonce)
            .open_in_place(ring_nonce(&nonce), Aad::from(&head), &mut raw[SEALED_AT..])
            .ok()?
            .len();
        (plain_len >= ENVELOPE_LEN).then_some(Self {
            head,
            raw,
            plain: SEALED_AT..SEALED_AT + plain_len,
        })
    }

    /// The JSON text, borrowed from the buffer.
    pub fn json(&self) -> &str {
        std::str::from_utf8(&self.raw[self.plain.start + ENVELOPE_LEN..self.plain.end])
            .expect("the crate seals UTF-8")
    }

    /// The JSON checked as one object: every key and value borrowed, none parsed.
    pub fn object(&self) -> BTreeMap<&str, &RawValue> {
        serde_json::from_str(self.json()).expect("the crate seals one object")
    }

    /// A new token for `json`: the same line, one more generation, a new expiry.
    pub fn reseal(&self, json: &str) -> String {
        let mut envelope: [u8; ENVELOPE_LEN] = self.raw
            [self.plain.start..self.plain.start + ENVELOPE_LEN]
            .try_into()
            .expect("40 bytes");
        envelope[8..16].copy_from_slice(&(now_ms() + DAY_MS).to_be_bytes());
        let mut head = self.head;
        let generation = u32::from_be_bytes(head[9..13].try_into().expect("4 bytes")) + 1;
        head[9..13].copy_from_slice(&generation.to_be_bytes());
        seal(head, &envelope, json.as_bytes())
    }
}

/// The counter stored under `views` in `object` (none yet: empty), parsed now.
pub fn views(object: &BTreeMap<&str, &RawValue>) -> Views {
    object
        .get("views")
        .map(|v| serde_json::from_str(v.get()).expect("the crate seals a map of counts"))
        .unwrap_or_default()
}

/// A new token for `opened` with `views` stored under `views` in its `object`, every other
/// value's text as it was.
pub fn with_views(opened: &Opened, object: &BTreeMap<&str, &RawValue>, views: &Views) -> String {
    let views = serde_json::to_string(views).expect("a map of counts serializes");
    opened.reseal(&replaced(object, "views", &views))
}

/// `object` written back as JSON with `key`'s value replaced by `value` (every other value's
/// text as it was), in key order.
pub fn replaced(object: &BTreeMap<&str, &RawValue>, key: &str, value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2 * object.len() * 16);
    out.push('{');
    let mut placed = false;
    fn write(out: &mut String, k: &str, v: &str) {
        if out.len() > 1 {
            out.push(',');
        }
        out.push('"');
        out.push_str(k);
        out.push_str("\":");
        out.push_str(v);
    }
    for (k, v) in object {
        if !placed && *k >= key {
            write(&mut out, key, value);
            placed = true;
            if *k == key {
                continue;
            }
        }
        write(&mut out, k, v.get());
    }
    if !placed {
        write(&mut out, key, value);
    }
    out.push('}');
    out
}

/// A new token holding the reference payload.
pub fn seed() -> String {
    fresh(PAYLOAD.as_bytes())
}

/// A token for a new session holding `json`: its times from now, a fixed id and line (the
/// floor keeps no state that would need them random).
pub fn fresh(json: &[u8]) -> String {
    let now = now_ms();
    let mut envelope = [0u8; ENVELOPE_LEN];
    envelope[..8].copy_from_slice(&now.to_be_bytes());
    envelope[8..16].copy_from_slice(&(now + DAY_MS).to_be_bytes());
    envelope[16..24].copy_from_slice(&DAY_MS.to_be_bytes());
    envelope[24..].copy_from_slice(&[7; 16]);
    let kid = Key::from_bytes(KEY).id().0;
    let mut head = [2, 0, 0, 0, 0, 7, 7, 7, 7, 0, 0, 0, 1];
    head[1..5].copy_from_slice(&kid);
    seal(head, &envelope, json)
}

/// `body` with `token` in the session header.
pub fn with_token(token: String, body: String) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        HEADER,
        HeaderValue::try_from(token).expect("base64url is a header value"),
    );
    response
}

fn now_ms() -> u64 {
    u64::try_from(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_millis(),
    )
    .expect("in range")
}

/// Seals `json` with `envelope` under `head`: the token.
fn seal(head: [u8; HEAD_LEN], envelope: &[u8; ENVELOPE_LEN], json: &[u8]) -> String {
    let mut nonce = [0u8; 24];
    getrandom::fill(&mut nonce).expect("OS random");
    let mut buf = Vec::with_capacity(SEALED_AT + ENVELOPE_LEN + json.len() + 16);
    buf.extend_from_slice(&head);
    buf.extend_from_slice(&nonce);
    buf.extend_from_slice(envelope);
    buf.extend_from_slice(json);
    let tag = ring_key(&KEY, &nonce)
        .seal_in_place_separate_tag(ring_nonce(&nonce), Aad::from(&head), &mut buf[SEALED_AT..])
        .expect("seals");
    buf.extend_from_slice(tag.as_ref());
    URL_SAFE_NO_PAD.encode_to_string(&buf)
}
