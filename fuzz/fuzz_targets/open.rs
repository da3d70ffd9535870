//! `Codec::open` on arbitrary bytes, with a fixed key, at any time.
//!
//! Input: 8 bytes of `now_ms` (little endian), one mode byte, then either the token bytes
//! themselves (even mode) or a plaintext that is sealed into a valid token first (odd mode).
#![no_main]

mod sealer;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sealed_session::token::Codec;

fn codec() -> &'static Codec {
    static CODEC: OnceLock<Codec> = OnceLock::new();
    CODEC.get_or_init(|| Codec::new(sealer::keys()))
}

fuzz_target!(|input: &[u8]| {
    let Some((head, rest)) = input.split_first_chunk::<9>() else {
        return;
    };
    let now_ms = u64::from_le_bytes(head[..8].try_into().unwrap());
    let token = if head[8] % 2 == 0 {
        rest.to_vec()
    } else {
        sealer::seal_plaintext(rest).into_bytes()
    };
    if let Ok(opened) = codec().open(&token, now_ms) {
        // What opened is a live session: not expired, inside the absolute lifetime, and its
        // data serializes again.
        let envelope = opened.envelope;
        assert!(now_ms < envelope.expires_ms);
        let abs = codec().absolute_lifetime_ms().unwrap();
        assert!(now_ms < envelope.created_ms.saturating_add(abs));
        serde_json::to_vec(&opened.data).unwrap();
    }
});
