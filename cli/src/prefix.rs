//! What a token's clear prefix says, read without any key: whether it could be a token at all,
//! its version, key id, line and generation. Nothing here is authenticated until the token
//! opens (`docs/token-format.md`).

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};

/// The shortest valid token of each version, in bytes.
const MIN_V1: usize = 87;
const MIN_V2: usize = 95;

/// Reads the clear prefix. The result is a JSON object with `could_be_token`, `length` and
/// either the fields or a `problem` naming the refusal a reader would give.
pub(crate) fn inspect(token: &str) -> Value {
    let length = token.len();
    if token.is_empty() {
        return json!({ "could_be_token": false, "length": 0, "problem": "missing" });
    }
    let Some(raw) = decode(token) else {
        return json!({
            "could_be_token": false,
            "length": length,
            "problem": "malformed",
            "detail": "not canonical base64url without padding",
        });
    };
    let (version, min) = match raw.first() {
        Some(1) => (1, MIN_V1),
        Some(2) => (2, MIN_V2),
        _ => {
            return json!({
                "could_be_token": false,
                "length": length,
                "problem": "malformed",
                "detail": "unknown version",
            });
        }
    };
    if raw.len() < min {
        return json!({
            "could_be_token": false,
            "length": length,
            "version": version,
            "problem": "malformed",
            "detail": format!("{} bytes, shorter than the {min} of the shortest version {version} token", raw.len()),
        });
    }
    let hex = |range: std::ops::Range<usize>| raw.get(range).map(hex).unwrap_or_default();
    let generation = if version == 1 {
        0
    } else {
        raw.get(9..13)
            .and_then(|b| <[u8; 4]>::try_from(b).ok())
            .map_or(0, u32::from_be_bytes)
    };
    json!({
        "could_be_token": true,
        "length": length,
        "version": version,
        "kid": hex(1..5),
        "line": hex(5..9),
        "generation": generation,
        "data_bytes": raw.len().saturating_sub(min) + 2,
    })
}

/// Strict base64url without padding, canonical trailing bits (as the crate's decoder).
fn decode(token: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(token).ok()
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    const V2: &str = "AgBUuiDAwcLDAAAAB0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11ifY0ShkC9PfseS5l_QrmgBg";

    #[test]
    fn reads_the_public_version_2_vector() {
        let seen = inspect(V2);
        assert_eq!(seen["could_be_token"], true);
        assert_eq!(seen["version"], 2);
        assert_eq!(seen["kid"], "0054ba20");
        assert_eq!(seen["line"], "c0c1c2c3");
        assert_eq!(seen["generation"], 7);
        assert_eq!(seen["length"], 151);
        assert_eq!(seen["data_bytes"], 20);
    }

    #[test]
    fn says_why_something_is_not_a_token() {
        for (text, problem) in [
            ("", "missing"),
            ("not a token", "malformed"),
            ("AA=", "malformed"),
            ("AwAAAA", "malformed"),
            (&V2[..124], "malformed"),
        ] {
            let seen = inspect(text);
            assert_eq!(seen["could_be_token"], false, "{text}");
            assert_eq!(seen["problem"], problem, "{text}");
        }
        let last = V2.len() - 1;
        assert_eq!(
            inspect(&format!("{}h", &V2[..last]))["problem"],
            "malformed"
        );
    }
}
