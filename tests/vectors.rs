//! Fixed tokens that must open after every change (`tests/vectors/v1.json`, `v2.json`), each also rebuilt
//! with an independent XChaCha20-Poly1305 (RustCrypto's) from its parameters, byte for byte; and
//! fixed tokens that must be refused, each with the reason it must be refused with
//! (`tests/vectors/fail.json`). The format and the reasons: `docs/token-format.md`.

mod common;

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use sealed_session::{Key, Keys, token::Codec};
use serde_json::Value;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// The passing vectors of both versions.
fn vectors() -> Vec<Value> {
    let mut all = vectors_of(include_str!("vectors/v1.json"));
    all.extend(vectors_of(include_str!("vectors/v2.json")));
    all
}

fn vectors_of(text: &str) -> Vec<Value> {
    let file: Value = serde_json::from_str(text).unwrap();
    file["vectors"].as_array().unwrap().clone()
}

fn u64_of(v: &Value, field: &str) -> u64 {
    v[field].as_u64().unwrap()
}

/// The token built from the vector's parameters by the format page alone, with an independent
/// XChaCha20-Poly1305.
fn rebuild(v: &Value) -> String {
    let seal_key = u64_of(v, "seal_key") as usize;
    let key: [u8; 32] = URL_SAFE_NO_PAD
        .decode(v["keys"][seal_key].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let nonce: [u8; 24] = hex(v["nonce"].as_str().unwrap()).try_into().unwrap();
    let sid: [u8; 16] = hex(v["sid"].as_str().unwrap()).try_into().unwrap();
    let times = ["created_ms", "expires_ms", "max_age_ms"].map(|field| u64_of(v, field));
    let data = serde_json::to_vec(&v["data"]).unwrap();
    let plain = common::plaintext(times, sid, &data);
    let context = v["context"].as_str().unwrap().as_bytes();
    match v.get("line") {
        None => common::seal_by_hand(key, nonce, context, &plain),
        Some(line) => common::seal_v2_by_hand(
            key,
            hex(line.as_str().unwrap()).try_into().unwrap(),
            u64_of(v, "generation").try_into().unwrap(),
            nonce,
            context,
            &plain,
        ),
    }
}

fn keys_of(v: &Value) -> Keys {
    let list: Vec<&str> = v["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect();
    Keys::parse(&list.join(",")).unwrap()
}

#[test]
fn every_vector_rebuilds_byte_for_byte_with_an_independent_aead() {
    for v in vectors() {
        let rebuilt = rebuild(&v);
        assert_eq!(
            rebuilt,
            v["token"].as_str().unwrap(),
            "vector {}",
            v["name"]
        );
    }
}

#[test]
fn every_vector_opens_with_its_fields() {
    for v in vectors() {
        let name = &v["name"];
        let codec = Codec::new(keys_of(&v))
            .with_context(v["context"].as_str().unwrap())
            .with_absolute_lifetime(None);
        let token = v["token"].as_str().unwrap();
        let opened = codec
            .open(token.as_bytes(), u64_of(&v, "open_at_ms"))
            .unwrap();
        assert_eq!(
            opened.envelope.created_ms,
            u64_of(&v, "created_ms"),
            "{name}"
        );
        assert_eq!(
            opened.envelope.expires_ms,
            u64_of(&v, "expires_ms"),
            "{name}"
        );
        assert_eq!(
            opened.envelope.max_age_ms,
            u64_of(&v, "max_age_ms"),
            "{name}"
        );
        assert_eq!(
            opened.envelope.sid.0.as_slice(),
            hex(v["sid"].as_str().unwrap()),
            "{name}"
        );
        assert_eq!(Value::Object(opened.data.to_map()), v["data"], "{name}");
        assert_eq!(opened.key_index as u64, u64_of(&v, "seal_key"), "{name}");
        // Version 1: generation 0, the line of bytes 5 to 8 (its nonce's first four).
        let line = v["line"]
            .as_str()
            .unwrap_or(&v["nonce"].as_str().unwrap()[..8]);
        assert_eq!(opened.envelope.line.to_string(), line, "{name}");
        assert_eq!(
            u64::from(opened.envelope.generation),
            v["generation"].as_u64().unwrap_or(0),
            "{name}"
        );
    }
}

#[test]
fn both_versions_have_vectors_and_version_2_its_public_ones() {
    let v2 = vectors_of(include_str!("vectors/v2.json"));
    assert!(v2.len() >= 6 && vectors_of(include_str!("vectors/v1.json")).len() >= 5);
    let public = v2.iter().find(|v| v["name"] == "public").unwrap();
    assert_eq!(
        public["token"],
        "AgBUuiDAwcLDAAAAB0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11ifY0ShkC9PfseS5l_QrmgBg"
    );
    for v in &v2 {
        let raw = URL_SAFE_NO_PAD
            .decode(v["token"].as_str().unwrap())
            .unwrap();
        assert_eq!(raw[0], 2, "{}", v["name"]);
    }
}

#[test]
fn the_public_vector_has_the_documented_key_id() {
    let key = Key::from_base64("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8").unwrap();
    assert_eq!(key.id().to_string(), "0054ba20");
}

#[test]
fn every_failing_vector_is_refused_with_its_reason() {
    // Exercise: each token of `fail.json`, opened with its keys, context, cap and absolute
    // lifetime at its time. Expectation: refused, with exactly the reason the vector names.
    let failing = vectors_of(include_str!("vectors/fail.json"));
    assert!(failing.len() >= 20, "fail.json lost vectors");
    for v in failing {
        let name = &v["name"];
        let absolute = v["absolute_lifetime_ms"]
            .as_u64()
            .map(std::time::Duration::from_millis);
        let codec = Codec::new(keys_of(&v))
            .with_context(v["context"].as_str().unwrap())
            .with_max_len(u64_of(&v, "max_len") as usize)
            .with_absolute_lifetime(absolute);
        let token = v["token"].as_str().unwrap();
        let refusal = codec
            .open(token.as_bytes(), u64_of(&v, "open_at_ms"))
            .expect_err(&format!("{name} opened"));
        assert_eq!(refusal.as_str(), v["reason"], "{name}");
    }
}

#[test]
fn failing_vectors_cover_every_opening_step() {
    let failing = vectors_of(include_str!("vectors/fail.json"));
    for reason in [
        "missing",
        "too_long",
        "malformed",
        "unknown_key",
        "forged",
        "expired",
        "past_absolute_lifetime",
        "bad_data",
    ] {
        assert!(
            failing.iter().any(|v| v["reason"] == reason),
            "no failing vector for {reason}"
        );
    }
}
