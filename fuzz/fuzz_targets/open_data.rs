//! WeChat's `encryptedData` decryption on any input: any bytes for the key, the IV and the data
//! (base64-encoded as they arrive, so every length reaches the length checks), and the raw input
//! as text for all three (so every malformed base64 reaches the decoder). Decryption must never
//! panic; a key or IV of the wrong length must be refused by name.
//!
//! Input: one byte of key length, one of IV length, then key, IV and data bytes.
#![no_main]

use base64::{Engine as _, engine::general_purpose::STANDARD};
use libfuzzer_sys::fuzz_target;
use sealed_session::wechat::{
    OpenDataError, OpenDataJson, OpenDataRules, UserInfo, WechatSessionKey, decrypt_bytes,
};

fuzz_target!(|input: &[u8]| {
    let rules = OpenDataRules::new("wx0123456789abcdef");
    if let Ok(text) = std::str::from_utf8(input) {
        let _ = rules.decrypt::<UserInfo>(&WechatSessionKey::new(text), text, text);
    }
    let [key_len, iv_len, rest @ ..] = input else {
        return;
    };
    let (key_len, iv_len) = (usize::from(*key_len % 33), usize::from(*iv_len % 33));
    if rest.len() < key_len + iv_len {
        return;
    }
    let (key, rest) = rest.split_at(key_len);
    let (iv, data) = rest.split_at(iv_len);
    let (key, iv, data) = (
        STANDARD.encode(key),
        STANDARD.encode(iv),
        STANDARD.encode(data),
    );
    let result = rules.decrypt::<OpenDataJson>(&WechatSessionKey::new(key.clone()), &data, &iv);
    if key_len != 16 {
        assert_eq!(
            result.unwrap_err(),
            OpenDataError::BadKeyLength { got: key_len }
        );
    } else if iv_len != 16 {
        assert_eq!(
            result.unwrap_err(),
            OpenDataError::BadIvLength { got: iv_len }
        );
    }
    let _ = decrypt_bytes(&key, &data, &iv);
});
