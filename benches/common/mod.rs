//! Fixtures shared by the benchmarks: the reference payload, our codec and its floor, the
//! request floor, the peers, and the routers of the per-request comparison. Each bench target
//! uses a part of it.
#![allow(dead_code, unreachable_pub)]

pub mod codec;
pub mod floor;
pub mod request;

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// The view counter every per-request contestant reads and bumps: path to count.
pub type Views = BTreeMap<String, u64>;

/// The reference payload of every benchmark (issue 4), 145 bytes of JSON.
pub const PAYLOAD: &str = r#"{"user_id":123456,"openid":"oAbCdEfGhIjKlMnOpQrStUvWxYz12","session_key":"tiihtNczf5v6AKRyjwEUhQ==","views":{"/foo":3,"/bar":5},"roles":["user"]}"#;

/// The reference payload as the map a session holds.
pub fn payload() -> Map<String, Value> {
    serde_json::from_str(PAYLOAD).expect("the reference payload is a JSON object")
}

/// A fixed 32-byte key for every contestant (benchmarks need no secrecy).
pub const KEY: [u8; 32] = [0x42; 32];

/// Our keys: `KEY` alone, as a fixed `Keys`, or, with the feature `key-file` and
/// `BENCH_KEYS=source`, held by a `KeySource` (a list that can reload: each open and seal loads
/// it), for BENCHMARKS.md's key-source rows.
pub fn our_keys() -> sealed_session::SessionKeys {
    let keys = sealed_session::Keys::single(sealed_session::Key::from_bytes(KEY));
    #[cfg(feature = "key-file")]
    if std::env::var("BENCH_KEYS").as_deref() == Ok("source") {
        return sealed_session::KeySource::from_keys(keys).into();
    }
    keys.into()
}
