//! What the targets share: the fixed key, and a token sealed around any plaintext, so the
//! fuzzer also reaches what happens after decryption (envelope, expiry, JSON).

// Each target uses a part of this module.
#![allow(dead_code)]

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};
use sealed_session::{Key, Keys};

/// The fuzzing key: fixed, so that crashes reproduce.
pub const KEY: [u8; 32] = [0x42; 32];

pub fn keys() -> Keys {
    Keys::single(Key::from_bytes(KEY))
}

/// A version 1 token (docs/token-format.md) whose plaintext is `plain`, sealed with [`KEY`]
/// under the empty context, built by an independent XChaCha20-Poly1305.
pub fn seal_plaintext(plain: &[u8]) -> String {
    let kid = Key::from_bytes(KEY).id().0;
    seal_with_head(&[&[1u8][..], &kid].concat(), plain)
}

/// The same as version 2, with its clear line and generation.
pub fn seal_plaintext_v2(line: [u8; 4], generation: u32, plain: &[u8]) -> String {
    let kid = Key::from_bytes(KEY).id().0;
    seal_with_head(
        &[&[2u8][..], &kid, &line, &generation.to_be_bytes()].concat(),
        plain,
    )
}

/// `base64url(head | nonce | ciphertext | tag)` with the additional data `head`.
fn seal_with_head(head: &[u8], plain: &[u8]) -> String {
    let nonce = [7u8; 24];
    let sealed = XChaCha20Poly1305::new_from_slice(&KEY)
        .unwrap()
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: head,
            },
        )
        .unwrap();
    URL_SAFE_NO_PAD.encode([head, &nonce, &sealed].concat())
}
