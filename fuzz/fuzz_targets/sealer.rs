//! What both targets share: the fixed key, and a token sealed around any plaintext, so the
//! fuzzer also reaches what happens after decryption (envelope, expiry, JSON).

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

/// A v1 token (docs/token-format.md) whose plaintext is `plain`, sealed with [`KEY`] under the
/// empty context, built by an independent XChaCha20-Poly1305.
pub fn seal_plaintext(plain: &[u8]) -> String {
    let kid = Key::from_bytes(KEY).id().0;
    let nonce = [7u8; 24];
    let mut aad = vec![1u8];
    aad.extend_from_slice(&kid);
    let sealed = XChaCha20Poly1305::new_from_slice(&KEY)
        .unwrap()
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plain,
                aad: &aad,
            },
        )
        .unwrap();
    let mut raw = vec![1u8];
    raw.extend_from_slice(&kid);
    raw.extend_from_slice(&nonce);
    raw.extend_from_slice(&sealed);
    URL_SAFE_NO_PAD.encode(raw)
}
