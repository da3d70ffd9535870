//! `Codec::open` on arbitrary bytes, with a fixed key, at any time.
//!
//! Input: 8 bytes of `now_ms` (little endian), one mode byte, then either the token bytes
//! themselves (mode 0 mod 3), or a plaintext that is sealed into a valid version 1 token first
//! (mode 1), or 4 bytes of line, 4 of generation and a plaintext sealed into a valid version 2
//! token (mode 2).
#![no_main]

mod sealer;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sealed_session::{SessionError, token::Codec};

fn codec() -> &'static Codec {
    static CODEC: OnceLock<Codec> = OnceLock::new();
    CODEC.get_or_init(|| Codec::new(sealer::keys()))
}

fuzz_target!(|input: &[u8]| {
    let Some((head, rest)) = input.split_first_chunk::<9>() else {
        return;
    };
    let now_ms = u64::from_le_bytes(head[..8].try_into().unwrap());
    // The line and generation a sealed token must open with.
    let mut expected = None;
    let token = match head[8] % 3 {
        0 => rest.to_vec(),
        1 => {
            expected = Some(([7u8; 4], 0));
            sealer::seal_plaintext(rest).into_bytes()
        }
        _ => {
            let Some((clear, plain)) = rest.split_first_chunk::<8>() else {
                return;
            };
            let line: [u8; 4] = clear[..4].try_into().unwrap();
            let generation = u32::from_be_bytes(clear[4..].try_into().unwrap());
            expected = Some((line, generation));
            sealer::seal_plaintext_v2(line, generation, plain).into_bytes()
        }
    };
    if let Ok(opened) = codec().open(&token, now_ms) {
        // What opened is a live session: not expired, inside the absolute lifetime, and its
        // data serializes again.
        let envelope = opened.envelope;
        assert!(now_ms < envelope.expires_ms);
        let abs = codec().absolute_lifetime_ms().unwrap();
        assert!(now_ms < envelope.created_ms.saturating_add(abs));
        // Every value it holds is there as text and parses, or is JSON that `Value` cannot
        // hold: a number beyond f64 ("number out of range"), or a string with a surrogate
        // escape (`\uD800` to `\uDFFF`) that is not part of a pair.
        serde_json::to_vec(&opened.data.to_map()).unwrap();
        for key in opened.data.keys() {
            let raw = opened.data.get_raw(key).unwrap();
            if let Err(err) = opened.data.get::<serde_json::Value>(key) {
                let SessionError::Json(err) = err else {
                    panic!("not a JSON error: {err}")
                };
                assert!(
                    err.to_string().contains("number out of range") || has_surrogate_escape(raw),
                    "{err}"
                );
            }
        }
        // A version 1 token's line is its nonce's first bytes, its generation 0.
        if let Some((line, generation)) = expected {
            assert_eq!(
                (opened.envelope.line.0, opened.envelope.generation),
                (line, generation)
            );
        }
    }
});

/// Whether `raw` holds a `\u` escape of a UTF-16 surrogate (`\uD800` to `\uDFFF`).
fn has_surrogate_escape(raw: &str) -> bool {
    raw.as_bytes().windows(4).any(|w| {
        w[0] == b'\\' && w[1] == b'u' && w[2].eq_ignore_ascii_case(&b'd') && {
            let c = w[3].to_ascii_lowercase();
            (b'8'..=b'9').contains(&c) || (b'a'..=b'f').contains(&c)
        }
    })
}
