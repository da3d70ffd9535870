//! A version 2 token's clear prefix: any 13 bytes of version, kid, line and generation in front
//! of a body sealed for a given prefix. Opening must never panic, must refuse any prefix but the
//! one sealed (every clear byte is authenticated), and must give exactly its line and
//! generation when it opens.
//!
//! Input: 13 bytes of the prefix to seal under, 13 bytes of the prefix sent, then a plaintext.
#![no_main]

mod sealer;

use std::sync::OnceLock;

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use libfuzzer_sys::fuzz_target;
use sealed_session::token::Codec;

fn codec() -> &'static Codec {
    static CODEC: OnceLock<Codec> = OnceLock::new();
    CODEC.get_or_init(|| {
        Codec::new(sealer::keys())
            .with_absolute_lifetime(None)
            .with_clock_skew(std::time::Duration::MAX)
    })
}

fuzz_target!(|input: &[u8]| {
    let Some((sealed_head, rest)) = input.split_first_chunk::<13>() else {
        return;
    };
    let Some((sent_head, plain)) = rest.split_first_chunk::<13>() else {
        return;
    };
    let line: [u8; 4] = sealed_head[5..9].try_into().unwrap();
    let generation = u32::from_be_bytes(sealed_head[9..13].try_into().unwrap());
    let token = sealer::seal_plaintext_v2(line, generation, plain);
    let mut raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
    // The sealer wrote version 2 and the key's kid; send the fuzzer's prefix instead.
    let sealed_prefix: [u8; 13] = raw[..13].try_into().unwrap();
    raw[..13].copy_from_slice(sent_head);
    let sent = URL_SAFE_NO_PAD.encode(&raw);
    match codec().open(sent.as_bytes(), 0) {
        Ok(opened) => {
            assert_eq!(&raw[..13], &sealed_prefix, "a changed prefix opened");
            assert_eq!(opened.envelope.line.0, line);
            assert_eq!(opened.envelope.generation, generation);
        }
        Err(_) => {}
    }
});
