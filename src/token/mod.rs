//! The version 1 token codec: seal a session into a header-safe string, open it back.
//!
//! A sealed token gives its content confidentiality, integrity and authenticity: a client can
//! neither read the session data, nor change it, nor make up a token of its own. What a client
//! *can* see is the token's length, the key id, and that it changes when the server re-seals it.
//!
//! This module knows nothing of HTTP: it turns an [`Envelope`] and a JSON object into a string
//! and back, and can be used on its own (for example to hand a session to a non-HTTP service).
//!
//! # Format
//!
//! The whole format, with the reason each opening step refuses a token with and the test
//! vectors, is in the repository's `docs/token-format.md`. In short, the token is `base64url` without padding (RFC 4648, section 5) of
//!
//! ```text
//! version (1 byte, 0x01) | key id (4) | nonce (24) | XChaCha20-Poly1305 ciphertext (n) | tag (16)
//! ```
//!
//! sealed with the additional data `version || key id || context`, so that a token cannot be moved
//! to another key slot or to an application with another context string. The plaintext is
//!
//! ```text
//! created_ms (u64 BE) | expires_ms (u64 BE) | max_age_ms (u64 BE) | session id (16) | JSON object
//! ```
//!
//! The key id is `SHA-256("sealed-session:kid:v1" || key)[0..4]`; the nonce is fresh from the
//! operating system for every seal. Opening checks, in order: the length cap (before decoding
//! anything), the encoding, the minimum length and version, the key id (an unknown one costs no
//! decryption), the tag, the expiry and absolute lifetime, and that the data is a JSON object.
//!
//! ```
//! use sealed_session::{Key, Keys, token::{Codec, Envelope, SessionId}};
//! let codec = Codec::new(Keys::single(Key::generate()));
//! let envelope = Envelope {
//!     created_ms: 1_700_000_000_000,
//!     expires_ms: 1_700_086_400_000,
//!     max_age_ms: 86_400_000,
//!     sid: SessionId::random().unwrap(),
//! };
//! let mut data = serde_json::Map::new();
//! data.insert("user".into(), 42.into());
//! let token = codec.seal(&envelope, &data).unwrap();
//! let opened = codec.open(token.as_bytes(), 1_700_000_000_001).unwrap();
//! assert_eq!(opened.envelope, envelope);
//! assert_eq!(opened.data, data);
//! assert_eq!(opened.key_index, 0);
//! ```

use std::{fmt, time::Duration};

use base64_simd::{Out, URL_SAFE_NO_PAD};
use serde_json::{Map, Value};

use crate::{
    aead::{self, NONCE_LEN, TAG_LEN},
    clock::duration_ms,
    defaults::{DEFAULT_ABSOLUTE_LIFETIME, DEFAULT_MAX_LEN},
    error::{RandomError, Refusal, SessionError},
    key::{KID_LEN, KeyId, Keys},
};

/// The token format version this crate writes and reads.
pub const VERSION: u8 = 1;
/// Length of the clear prefix: version, key id, nonce.
const PREFIX_LEN: usize = 1 + KID_LEN + NONCE_LEN;
/// Length of the fixed part of the plaintext: three times, and the session id.
pub const ENVELOPE_LEN: usize = 8 + 8 + 8 + SID_LEN;
/// Length of a session id.
pub const SID_LEN: usize = 16;
/// Bytes a token has besides the JSON data.
const OVERHEAD: usize = PREFIX_LEN + ENVELOPE_LEN + TAG_LEN;
/// The shortest token that can be valid: its data is at least `{}`.
const MIN_RAW_LEN: usize = OVERHEAD + 2;
/// Tokens of up to this many bytes (1365 characters) are decoded on the stack.
const STACK_RAW_LEN: usize = 1024;

// Offsets of docs/token-format.md, held by the compiler.
const _: () = assert!(PREFIX_LEN == 29 && ENVELOPE_LEN == 40 && MIN_RAW_LEN == 87);

/// A session id: 16 random bytes, kept across re-seals, replaced by
/// [`Session::cycle_id`](crate::Session::cycle_id). Printed as 32 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub [u8; SID_LEN]);

impl SessionId {
    /// A new id from the operating system's CSPRNG.
    ///
    /// # Errors
    ///
    /// [`RandomError`] if the operating system's random number generator fails.
    pub fn random() -> Result<Self, RandomError> {
        let mut sid = [0u8; SID_LEN];
        RandomError::fill(&mut sid)?;
        Ok(Self(sid))
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::key::write_hex(f, &self.0)
    }
}

impl fmt::Debug for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SessionId({self})")
    }
}

/// The fixed-size part of a session's plaintext: its times and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Envelope {
    /// Unix time in ms when the session was first created; kept across re-seals.
    pub created_ms: u64,
    /// Unix time in ms from which the token is refused.
    pub expires_ms: u64,
    /// This session's lifetime in ms.
    pub max_age_ms: u64,
    /// The session id.
    pub sid: SessionId,
}

impl Envelope {
    fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.created_ms.to_be_bytes());
        out.extend_from_slice(&self.expires_ms.to_be_bytes());
        out.extend_from_slice(&self.max_age_ms.to_be_bytes());
        out.extend_from_slice(&self.sid.0);
    }

    fn read(plain: &[u8; ENVELOPE_LEN]) -> Self {
        let u64_at = |i: usize| u64::from_be_bytes(plain[i..i + 8].try_into().expect("8 bytes"));
        let mut sid = [0u8; SID_LEN];
        sid.copy_from_slice(&plain[24..40]);
        Self {
            created_ms: u64_at(0),
            expires_ms: u64_at(8),
            max_age_ms: u64_at(16),
            sid: SessionId(sid),
        }
    }
}

/// A token that opened.
#[derive(Clone, PartialEq)]
pub struct Opened {
    /// Its times and id.
    pub envelope: Envelope,
    /// Its data.
    pub data: Map<String, Value>,
    /// Position in the key list of the key that opened it; `0` is the sealing key, anything
    /// else means the token should be re-sealed under the current key.
    pub key_index: usize,
}

impl fmt::Debug for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opened")
            .field("envelope", &self.envelope)
            .field("data", &format_args!("<{} entries>", self.data.len()))
            .field("key_index", &self.key_index)
            .finish()
    }
}

/// Seals and opens version 1 tokens with a key list, a context string, a size cap and an
/// absolute lifetime. Built once at start-up; cheap to share.
#[derive(Clone)]
pub struct Codec {
    keys: Keys,
    /// `version || kid || context` for each key, in key order: built once, not per token.
    aads: Vec<Box<[u8]>>,
    context_len: usize,
    max_len: usize,
    absolute_ms: Option<u64>,
}

impl fmt::Debug for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Codec")
            .field("keys", &self.keys)
            .field("context_len", &self.context_len)
            .field("max_len", &self.max_len)
            .field("absolute_ms", &self.absolute_ms)
            .finish_non_exhaustive()
    }
}

impl Codec {
    /// A codec with an empty context, a cap of [`DEFAULT_MAX_LEN`] characters and an absolute
    /// lifetime of [`DEFAULT_ABSOLUTE_LIFETIME`].
    #[must_use]
    pub fn new(keys: Keys) -> Self {
        let mut codec = Self {
            keys,
            aads: Vec::new(),
            context_len: 0,
            max_len: DEFAULT_MAX_LEN,
            absolute_ms: Some(duration_ms(DEFAULT_ABSOLUTE_LIFETIME)),
        };
        codec.set_context("");
        codec
    }

    /// Sets the context string, bound into every token as additional data: two applications
    /// that share keys but not a context cannot read each other's tokens. Default: empty.
    #[must_use]
    pub fn with_context(mut self, context: &str) -> Self {
        self.set_context(context);
        self
    }

    fn set_context(&mut self, context: &str) {
        self.context_len = context.len();
        self.aads = self
            .keys
            .as_slice()
            .iter()
            .map(|key| {
                let mut aad = Vec::with_capacity(1 + KID_LEN + context.len());
                aad.push(VERSION);
                aad.extend_from_slice(&key.id().0);
                aad.extend_from_slice(context.as_bytes());
                aad.into_boxed_slice()
            })
            .collect();
    }

    /// Sets the size cap in characters: longer tokens are refused before decoding, and sealing
    /// one fails. Default: `4096`.
    #[must_use]
    pub fn with_max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    /// Sets the absolute lifetime counted from `created_ms`, which no re-seal extends; `None`
    /// turns it off. Default: 30 days.
    #[must_use]
    pub fn with_absolute_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.absolute_ms = lifetime.map(duration_ms);
        self
    }

    /// The key list.
    #[must_use]
    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// The size cap, in characters.
    #[must_use]
    pub fn max_len(&self) -> usize {
        self.max_len
    }

    /// The absolute lifetime in ms, if any.
    #[must_use]
    pub fn absolute_lifetime_ms(&self) -> Option<u64> {
        self.absolute_ms
    }

    /// The length in characters of the token for `data_len` bytes of JSON.
    #[must_use]
    pub const fn token_len(data_len: usize) -> usize {
        (OVERHEAD + data_len).saturating_mul(4).div_ceil(3)
    }

    /// The most bytes of JSON data whose token still fits in `max_len` characters, or `None` if
    /// not even `{}` fits.
    #[must_use]
    pub const fn data_budget(max_len: usize) -> Option<usize> {
        // A token of n bytes is ceil(4n / 3) characters, so at most floor(3 * max_len / 4) bytes fit.
        let raw = max_len.saturating_mul(3) / 4;
        if raw < MIN_RAW_LEN {
            None
        } else {
            Some(raw - OVERHEAD)
        }
    }

    /// Seals `data` with the first key and a fresh nonce from the operating system.
    ///
    /// # Errors
    ///
    /// [`SessionError::TooLarge`] if the token would pass the cap, [`SessionError::Json`] if the
    /// data cannot be serialized, [`SessionError::Random`] if the operating system's RNG fails.
    pub fn seal(
        &self,
        envelope: &Envelope,
        data: &Map<String, Value>,
    ) -> Result<String, SessionError> {
        let mut nonce = [0u8; NONCE_LEN];
        RandomError::fill(&mut nonce)?;
        self.seal_with_nonce(envelope, data, &nonce)
    }

    fn seal_with_nonce(
        &self,
        envelope: &Envelope,
        data: &Map<String, Value>,
        nonce: &[u8; NONCE_LEN],
    ) -> Result<String, SessionError> {
        let key = self.keys.first();
        // One buffer: prefix, then the plaintext, encrypted in place, then the tag.
        let mut buf = Vec::with_capacity(OVERHEAD + 256);
        buf.push(VERSION);
        buf.extend_from_slice(&key.id().0);
        buf.extend_from_slice(nonce);
        envelope.write(&mut buf);
        serde_json::to_writer(&mut buf, data)?;
        let len = Self::token_len(buf.len() - PREFIX_LEN - ENVELOPE_LEN);
        if len > self.max_len {
            return Err(SessionError::TooLarge {
                len,
                cap: self.max_len,
            });
        }
        let tag = aead::seal_in_place(key.bytes(), nonce, &self.aads[0], &mut buf[PREFIX_LEN..]);
        buf.extend_from_slice(&tag);
        Ok(URL_SAFE_NO_PAD.encode_to_string(&buf))
    }

    /// Opens a token at time `now_ms` (Unix ms).
    ///
    /// # Errors
    ///
    /// The [`Refusal`] that says why the token was refused.
    pub fn open(&self, token: &[u8], now_ms: u64) -> Result<Opened, Refusal> {
        if token.is_empty() {
            return Err(Refusal::Missing);
        }
        if token.len() > self.max_len {
            return Err(Refusal::TooLong);
        }
        // Decode on the stack when the token fits (saves a heap allocation, and its free, per
        // request); longer tokens, up to the cap, go to the heap.
        // The exact length; refuses a length no base64url text can have.
        let len = URL_SAFE_NO_PAD
            .decoded_length(token)
            .map_err(|_| Refusal::Malformed)?;
        let mut stack = [0u8; STACK_RAW_LEN];
        let mut heap = Vec::new();
        let out: &mut [u8] = if len <= STACK_RAW_LEN {
            &mut stack[..len]
        } else {
            heap.resize(len, 0);
            &mut heap
        };
        let buf = URL_SAFE_NO_PAD
            .decode(token, Out::from_slice(out))
            .map_err(|_| Refusal::Malformed)?;
        if buf.len() < MIN_RAW_LEN || buf[0] != VERSION {
            return Err(Refusal::Malformed);
        }
        let kid = KeyId(buf[1..PREFIX_LEN - NONCE_LEN].try_into().expect("4 bytes"));
        let key_index = self.keys.position(kid).ok_or(Refusal::UnknownKey)?;
        let (prefix, sealed) = buf.split_at_mut(PREFIX_LEN);
        let nonce: &[u8; NONCE_LEN] = prefix[1 + KID_LEN..].try_into().expect("24 bytes");
        let key = &self.keys.as_slice()[key_index];
        let plain_len = aead::open_in_place(key.bytes(), nonce, &self.aads[key_index], sealed)
            .ok_or(Refusal::Forged)?;
        let (head, json) = sealed[..plain_len].split_at(ENVELOPE_LEN);
        let envelope = Envelope::read(head.try_into().expect("40 bytes"));
        if now_ms >= envelope.expires_ms {
            return Err(Refusal::Expired);
        }
        if let Some(abs) = self.absolute_ms {
            if now_ms >= envelope.created_ms.saturating_add(abs) {
                return Err(Refusal::PastAbsoluteLifetime);
            }
        }
        // One UTF-8 check of the whole text, then a parse that need not check each string again.
        let json = std::str::from_utf8(json).map_err(|_| Refusal::BadData)?;
        let data = serde_json::from_str(json).map_err(|_| Refusal::BadData)?;
        Ok(Opened {
            envelope,
            data,
            key_index,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::Key;

    const VECTOR_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    const VECTOR: &str = "AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlFQggV9mH8f7H9KT2083V2";
    const VECTOR_MY_APP: &str = "AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlOFWEUepidOXCVEsl2_6Ae";

    fn vector_codec() -> Codec {
        Codec::new(Keys::single(Key::from_base64(VECTOR_KEY).unwrap()))
    }

    fn vector_envelope() -> Envelope {
        Envelope {
            created_ms: 1_700_000_000_000,
            expires_ms: 1_700_086_400_000,
            max_age_ms: 86_400_000,
            sid: SessionId(std::array::from_fn(|i| 0xa0 + i as u8)),
        }
    }

    fn vector_data() -> Map<String, Value> {
        serde_json::from_str(r#"{"views":{"/foo":1}}"#).unwrap()
    }

    #[test]
    fn seals_the_public_vector_byte_for_byte() {
        let nonce: [u8; 24] = std::array::from_fn(|i| 0x40 + i as u8);
        let codec = vector_codec();
        let token = codec
            .seal_with_nonce(&vector_envelope(), &vector_data(), &nonce)
            .unwrap();
        assert_eq!(token, VECTOR);
        assert_eq!(token.len(), 140);
        let token = codec
            .with_context("my-app")
            .seal_with_nonce(&vector_envelope(), &vector_data(), &nonce)
            .unwrap();
        assert_eq!(token, VECTOR_MY_APP);
    }

    #[test]
    fn token_len_is_exact() {
        let codec = vector_codec();
        for n in 0..200 {
            let mut data = Map::new();
            data.insert("k".into(), "x".repeat(n).into());
            let json_len = serde_json::to_vec(&data).unwrap().len();
            let token = codec.seal(&vector_envelope(), &data).unwrap();
            assert_eq!(token.len(), Codec::token_len(json_len));
        }
    }

    #[test]
    fn tokens_open_on_both_sides_of_the_stack_buffer() {
        // Exercise: tokens whose bytes are just under, at and over the stack buffer, and one
        // near the default cap. Expectation: each opens to its data; one changed character
        // in each is refused.
        let codec = vector_codec();
        let stack_data = STACK_RAW_LEN - OVERHEAD - "{\"k\":\"\"}".len();
        for n in [
            0,
            stack_data - 3,
            stack_data - 1,
            stack_data,
            stack_data + 1,
            2900,
        ] {
            let mut data = Map::new();
            data.insert("k".into(), "x".repeat(n).into());
            let token = codec.seal(&vector_envelope(), &data).unwrap();
            let opened = codec.open(token.as_bytes(), 1_700_000_000_001).unwrap();
            assert_eq!(opened.data, data, "n {n}");
            let mut bad = token.into_bytes();
            let mid = bad.len() / 2;
            bad[mid] = if bad[mid] == b'A' { b'B' } else { b'A' };
            assert!(codec.open(&bad, 1_700_000_000_001).is_err(), "n {n}");
        }
    }

    /// A token whose data is `json` as given, valid or not.
    fn seal_raw(codec: &Codec, json: &[u8]) -> String {
        let key = codec.keys.first();
        let nonce = [9u8; NONCE_LEN];
        let mut buf = vec![VERSION];
        buf.extend_from_slice(&key.id().0);
        buf.extend_from_slice(&nonce);
        vector_envelope().write(&mut buf);
        buf.extend_from_slice(json);
        let tag = aead::seal_in_place(key.bytes(), &nonce, &codec.aads[0], &mut buf[PREFIX_LEN..]);
        buf.extend_from_slice(&tag);
        URL_SAFE_NO_PAD.encode_to_string(&buf)
    }

    #[test]
    fn data_that_is_not_utf8_is_refused() {
        // Exercise: authentic tokens whose JSON has invalid UTF-8 in a value, in a key, or
        // after the object. Expectation: each is refused as bad data; valid UTF-8 opens.
        let codec = vector_codec();
        let now = 1_700_000_000_001;
        for json in [&b"{\"a\":\"\xff\"}"[..], b"{\"\xc3\":1}", b"{\"a\":1}\xff"] {
            let token = seal_raw(&codec, json);
            assert_eq!(
                codec.open(token.as_bytes(), now).unwrap_err(),
                Refusal::BadData
            );
        }
        let token = seal_raw(&codec, "{\"a\":\"\u{e9}\"}".as_bytes());
        assert_eq!(
            codec.open(token.as_bytes(), now).unwrap().data["a"],
            "\u{e9}"
        );
    }

    #[test]
    fn data_budget_is_the_largest_that_fits() {
        for cap in [0, 100, 115, 116, 117, 4096, 4097, 4098, 4099] {
            match Codec::data_budget(cap) {
                None => assert!(Codec::token_len(2) > cap, "cap {cap}"),
                Some(n) => {
                    assert!(Codec::token_len(n) <= cap, "cap {cap}");
                    assert!(Codec::token_len(n + 1) > cap, "cap {cap}");
                }
            }
        }
    }
}
