//! The token codec: seal a session into a header-safe string, open it back.
//!
//! A sealed token gives its content confidentiality, integrity and authenticity: a client can
//! neither read the session data, nor change it, nor make up a token of its own. What a client
//! *can* see is the token's length, the key id, the session's line and write generation
//! (version 2), and that the token changes when the server re-seals it.
//!
//! This module knows nothing of HTTP: it turns an [`Envelope`] and a JSON object into a string
//! and back, and can be used on its own (for example to hand a session to a non-HTTP service).
//!
//! # Format
//!
//! The whole format, with the reason each opening step refuses a token with and the test
//! vectors, is in the repository's `docs/token-format.md`. In short, a version 2 token (what
//! this codec seals unless told otherwise) is `base64url` without padding (RFC 4648, section 5)
//! of
//!
//! ```text
//! 0x02 | key id (4) | line (4) | generation (u32 BE) | nonce (24) | ciphertext (n) | tag (16)
//! ```
//!
//! sealed with XChaCha20-Poly1305 and the additional data
//! `version || key id || line || generation || context`, so that none of the clear fields can
//! be changed and a token cannot be moved to an application with another context string.
//! Version 1 (still opened) is `0x01 | key id | nonce | ciphertext | tag` with the additional
//! data `version || key id || context`. The plaintext of both is
//!
//! ```text
//! created_ms (u64 BE) | expires_ms (u64 BE) | max_age_ms (u64 BE) | session id (16) | JSON object
//! ```
//!
//! The key id is `SHA-256("sealed-session:kid:v1" || key)[0..4]`; the nonce is fresh from the
//! operating system for every seal. Opening checks, in order: the length cap (before decoding
//! anything), the encoding, the version and its minimum length, the key id (an unknown one
//! costs no decryption), the tag, a creation time in the future, the expiry and absolute
//! lifetime, and that the data is a JSON object.
//!
//! ```
//! use sealed_session::{Key, Keys, token::{Codec, Envelope, Line, SessionId}};
//! let codec = Codec::new(Keys::single(Key::generate()));
//! let envelope = Envelope {
//!     created_ms: 1_700_000_000_000,
//!     expires_ms: 1_700_086_400_000,
//!     max_age_ms: 86_400_000,
//!     sid: SessionId::random().unwrap(),
//!     line: Line::random().unwrap(),
//!     generation: 1,
//! };
//! let mut data = sealed_session::token::Data::new();
//! data.insert("user", &42).unwrap();
//! let token = codec.seal(&envelope, &data).unwrap();
//! let opened = codec.open(token.as_bytes(), 1_700_000_000_001).unwrap();
//! assert_eq!(opened.envelope, envelope);
//! assert_eq!(opened.data, data);
//! assert_eq!(opened.data.get::<u32>("user").unwrap(), Some(42));
//! assert_eq!(opened.key_index, 0);
//! ```

use std::{fmt, sync::Arc, time::Duration};

use base64_simd::URL_SAFE_NO_PAD;

use crate::{
    aead::{self, NONCE_LEN, TAG_LEN},
    clock::{Clock, SystemClock, duration_ms},
    defaults::{DEFAULT_ABSOLUTE_LIFETIME, DEFAULT_CLOCK_SKEW, DEFAULT_MAX_LEN},
    error::{RandomError, Refusal, SessionError},
    key::{KID_LEN, Key, KeyId, Keys, SessionKeys},
};

mod data;
mod envelope;
#[cfg(test)]
mod tests;

pub use data::{Data, MAX_DEPTH, Raw};
pub use envelope::{ENVELOPE_LEN, Envelope, LINE_LEN, Line, SID_LEN, SessionId};

/// Which token format version a codec seals. Both are always opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TokenVersion {
    /// Version 1: no line or generation in the clear. Seal it only while a fleet is upgraded
    /// from a build that cannot open version 2 (see the README's upgrade notes); each seal
    /// then starts a new line, so clients report parallel writes as `refused`.
    V1,
    /// Version 2 (the default): the line and the write generation in the clear, authenticated.
    #[default]
    V2,
}

impl TokenVersion {
    /// The version byte.
    #[must_use]
    pub const fn byte(self) -> u8 {
        match self {
            Self::V1 => 1,
            Self::V2 => 2,
        }
    }

    const fn from_byte(byte: u8) -> Option<Self> {
        match byte {
            1 => Some(Self::V1),
            2 => Some(Self::V2),
            _ => None,
        }
    }

    /// Bytes before the nonce: version and kid, then (version 2) line and generation. They are
    /// also the start of the additional data.
    const fn head_len(self) -> usize {
        match self {
            Self::V1 => 1 + KID_LEN,
            Self::V2 => 1 + KID_LEN + LINE_LEN + 4,
        }
    }

    /// Bytes a token of this version has besides the JSON data.
    const fn overhead(self) -> usize {
        self.head_len() + NONCE_LEN + ENVELOPE_LEN + TAG_LEN
    }

    /// The shortest token of this version that can be valid: its data is at least `{}`.
    const fn min_len(self) -> usize {
        self.overhead() + 2
    }
}

/// Additional data of up to this many bytes (the head and the context) is built on the stack.
const STACK_AAD_LEN: usize = 128;

// Offsets and lengths of docs/token-format.md, held by the compiler.
const _: () = assert!(
    TokenVersion::V1.head_len() + NONCE_LEN == 29
        && TokenVersion::V2.head_len() + NONCE_LEN == 37
        && ENVELOPE_LEN == 40
        && TokenVersion::V1.min_len() == 87
        && TokenVersion::V2.min_len() == 95
);

/// A token that opened.
#[derive(Clone, PartialEq)]
pub struct Opened {
    /// Its times, id, line and generation.
    pub envelope: Envelope,
    /// Its data, each value unparsed until read.
    pub data: Data,
    /// Position in the key list of the key that opened it.
    pub key_index: usize,
    /// The id of the key that opened it.
    pub key_id: KeyId,
    /// Position in the key list of the key that seals at the time it was opened
    /// ([`Keys::sealing_index_at`]): `0` in a list without times. A token whose `key_index` is
    /// greater was sealed by a key being rotated out, and should be re-sealed.
    pub sealing_index: usize,
    /// The format version it was sealed with.
    pub version: TokenVersion,
}

impl fmt::Debug for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opened")
            .field("envelope", &self.envelope)
            .field("data", &format_args!("<{} entries>", self.data.len()))
            .field("key_index", &self.key_index)
            .field("key_id", &self.key_id)
            .field("sealing_index", &self.sealing_index)
            .field("version", &self.version)
            .finish()
    }
}

/// Seals and opens tokens with a key list, a context string, a size cap and an absolute
/// lifetime. Built once at start-up; cheap to share.
#[derive(Clone)]
pub struct Codec {
    keys: SessionKeys,
    /// The context string's bytes: the end of every token's additional data.
    context: Box<[u8]>,
    max_len: usize,
    absolute_ms: Option<u64>,
    skew_ms: u64,
    seal_version: TokenVersion,
}

impl fmt::Debug for Codec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Codec")
            .field("keys", &self.keys)
            .field("context_len", &self.context.len())
            .field("max_len", &self.max_len)
            .field("absolute_ms", &self.absolute_ms)
            .field("skew_ms", &self.skew_ms)
            .field("seal_version", &self.seal_version)
            .finish_non_exhaustive()
    }
}

/// Calls `f` with `head || context`, built on the stack when it is short.
fn with_aad<R>(head: &[u8], context: &[u8], f: impl FnOnce(&[u8]) -> R) -> R {
    let len = head.len() + context.len();
    if len <= STACK_AAD_LEN {
        let mut buf = [0u8; STACK_AAD_LEN];
        buf[..head.len()].copy_from_slice(head);
        buf[head.len()..len].copy_from_slice(context);
        f(&buf[..len])
    } else {
        f(&[head, context].concat())
    }
}

impl Codec {
    /// A codec with an empty context, a cap of [`DEFAULT_MAX_LEN`] characters and an absolute
    /// lifetime of [`DEFAULT_ABSOLUTE_LIFETIME`], sealing version 2.
    ///
    /// `keys` is a [`Keys`] list, or (feature `key-file`) a [`KeySource`](crate::KeySource)
    /// whose list may change while the codec is in use: each seal and each open loads the list
    /// once.
    #[must_use]
    pub fn new(keys: impl Into<SessionKeys>) -> Self {
        Self {
            keys: keys.into(),
            context: Box::default(),
            max_len: DEFAULT_MAX_LEN,
            absolute_ms: Some(duration_ms(DEFAULT_ABSOLUTE_LIFETIME)),
            skew_ms: duration_ms(DEFAULT_CLOCK_SKEW),
            seal_version: TokenVersion::V2,
        }
    }

    /// Sets the context string, bound into every token as additional data: two applications
    /// that share keys but not a context cannot read each other's tokens. Default: empty.
    #[must_use]
    pub fn with_context(mut self, context: &str) -> Self {
        self.context = context.as_bytes().into();
        self
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

    /// Sets how far ahead of `now` a token's creation time may lie before it is refused as
    /// [`Refusal::CreatedInFuture`] (such a token would escape the absolute lifetime). Default:
    /// 60 seconds ([`DEFAULT_CLOCK_SKEW`]).
    #[must_use]
    pub fn with_clock_skew(mut self, skew: Duration) -> Self {
        self.skew_ms = duration_ms(skew);
        self
    }

    /// Sets the version that [`Codec::seal`] writes; both are always opened. Default:
    /// [`TokenVersion::V2`].
    #[must_use]
    pub fn with_seal_version(mut self, version: TokenVersion) -> Self {
        self.seal_version = version;
        self
    }

    /// The key list in use now.
    #[must_use]
    pub fn keys(&self) -> Arc<Keys> {
        self.keys.current()
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

    /// The version [`Codec::seal`] writes.
    #[must_use]
    pub fn seal_version(&self) -> TokenVersion {
        self.seal_version
    }

    /// The length in characters of the version 2 token for `data_len` bytes of JSON: the
    /// longer version, so a size check made with it holds whichever version is sealed.
    #[must_use]
    pub const fn token_len(data_len: usize) -> usize {
        Self::token_len_of(TokenVersion::V2, data_len)
    }

    /// The length in characters of a token of `version` for `data_len` bytes of JSON.
    #[must_use]
    pub const fn token_len_of(version: TokenVersion, data_len: usize) -> usize {
        (version.overhead() + data_len)
            .saturating_mul(4)
            .div_ceil(3)
    }

    /// The most bytes of JSON data whose version 2 token still fits in `max_len` characters, or
    /// `None` if not even `{}` fits.
    #[must_use]
    pub const fn data_budget(max_len: usize) -> Option<usize> {
        // A token of n bytes is ceil(4n / 3) characters, so at most floor(3 * max_len / 4) bytes fit.
        let raw = max_len.saturating_mul(3) / 4;
        let version = TokenVersion::V2;
        if raw < version.min_len() {
            None
        } else {
            Some(raw - version.overhead())
        }
    }

    /// Seals `data` with the key that seals now by the system clock (the first key, in a list
    /// without times) and a fresh nonce from the operating system, in the configured version
    /// (version 1 has no line or generation: those of `envelope` are not written).
    ///
    /// # Errors
    ///
    /// [`SessionError::TooLarge`] if the token would pass the cap, [`SessionError::Random`] if
    /// the operating system's RNG fails.
    pub fn seal(&self, envelope: &Envelope, data: &Data) -> Result<String, SessionError> {
        self.seal_when(envelope, data, || SystemClock.now_ms(), None)
    }

    /// [`Codec::seal`] with the key that seals at `now_ms` (Unix ms;
    /// [`Keys::sealing_index_at`]).
    ///
    /// # Errors
    ///
    /// As [`Codec::seal`].
    pub fn seal_at(
        &self,
        envelope: &Envelope,
        data: &Data,
        now_ms: u64,
    ) -> Result<String, SessionError> {
        self.seal_keeping(envelope, data, now_ms, None)
    }

    /// Seals with the key that seals at `now_ms`, or with `opened_with` if that key is listed
    /// before it: a session that came sealed by a newer key (from an instance whose clock is
    /// ahead) keeps it, and never goes back to the older one.
    pub(crate) fn seal_keeping(
        &self,
        envelope: &Envelope,
        data: &Data,
        now_ms: u64,
        opened_with: Option<KeyId>,
    ) -> Result<String, SessionError> {
        self.seal_when(envelope, data, || now_ms, opened_with)
    }

    /// [`Codec::seal_keeping`], asking the time only of a list whose first key has one (else the
    /// first key seals at any time).
    fn seal_when(
        &self,
        envelope: &Envelope,
        data: &Data,
        now_ms: impl FnOnce() -> u64,
        opened_with: Option<KeyId>,
    ) -> Result<String, SessionError> {
        let nonce = RandomError::bytes::<NONCE_LEN>()?;
        self.keys.with(|keys| {
            let sealing = match keys.seal_after_ms(0) {
                None => 0,
                Some(_) => keys.sealing_index_at(now_ms()),
            };
            // The newer (listed first) of the sealing key and the one the session came with.
            let index = opened_with
                .and_then(|id| keys.position(id))
                .map_or(sealing, |opened| opened.min(sealing));
            let key = &keys.as_slice()[index];
            self.seal_with_key(key, self.seal_version, envelope, data, &nonce)
        })
    }

    /// Seals with the list's first key and a given nonce: the public vectors' way.
    #[cfg(test)]
    fn seal_with_nonce(
        &self,
        version: TokenVersion,
        envelope: &Envelope,
        data: &Data,
        nonce: &[u8; NONCE_LEN],
    ) -> Result<String, SessionError> {
        let keys = self.keys();
        self.seal_with_key(keys.first(), version, envelope, data, nonce)
    }

    fn seal_with_key(
        &self,
        key: &Key,
        version: TokenVersion,
        envelope: &Envelope,
        data: &Data,
        nonce: &[u8; NONCE_LEN],
    ) -> Result<String, SessionError> {
        // One buffer: head, nonce, then the plaintext, encrypted in place, then the tag.
        let len = Self::token_len_of(version, data.json_len());
        if len > self.max_len {
            return Err(SessionError::TooLarge {
                len,
                cap: self.max_len,
            });
        }
        let mut buf = Vec::with_capacity(version.overhead() + data.json_len());
        buf.push(version.byte());
        buf.extend_from_slice(&key.id().0);
        if version == TokenVersion::V2 {
            buf.extend_from_slice(&envelope.line.0);
            buf.extend_from_slice(&envelope.generation.to_be_bytes());
        }
        buf.extend_from_slice(nonce);
        let prefix_len = buf.len();
        envelope.write(&mut buf);
        data.write(&mut buf);
        debug_assert_eq!(buf.len() - prefix_len - ENVELOPE_LEN, data.json_len());
        let (prefix, plain) = buf.split_at_mut(prefix_len);
        let head = &prefix[..version.head_len()];
        let tag = with_aad(head, &self.context, |aad| {
            aead::seal_in_place(key.bytes(), nonce, aad, plain)
        });
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
        // Decoded into the one buffer the opened data keeps: the plaintext is decrypted in
        // place and the JSON text stays where it is, never copied. Refuses a length no
        // base64url text can have.
        let mut buf = URL_SAFE_NO_PAD
            .decode_to_vec(token)
            .map_err(|_| Refusal::Malformed)?;
        let version = buf
            .first()
            .copied()
            .and_then(TokenVersion::from_byte)
            .ok_or(Refusal::Malformed)?;
        if buf.len() < version.min_len() {
            return Err(Refusal::Malformed);
        }
        let key_id = KeyId(buf[1..1 + KID_LEN].try_into().expect("4 bytes"));
        let sealed_at = version.head_len() + NONCE_LEN;
        let (prefix, sealed) = buf.split_at_mut(sealed_at);
        let (head, nonce) = prefix.split_at(version.head_len());
        let nonce: &[u8; NONCE_LEN] = nonce.try_into().expect("24 bytes");
        let (line, generation) = match version {
            // Version 1 has no line: its nonce's first bytes stand for it.
            TokenVersion::V1 => (Line(nonce[..LINE_LEN].try_into().expect("4 bytes")), 0),
            TokenVersion::V2 => (
                Line(head[5..9].try_into().expect("4 bytes")),
                u32::from_be_bytes(head[9..13].try_into().expect("4 bytes")),
            ),
        };
        // One load of the list for the key, its position and the sealing key's.
        let (key_index, sealing_index, plain_len) = self.keys.with(|keys| {
            let key_index = keys.position(key_id).ok_or(Refusal::UnknownKey)?;
            let key = &keys.as_slice()[key_index];
            let plain_len = with_aad(head, &self.context, |aad| {
                aead::open_in_place(key.bytes(), nonce, aad, sealed)
            })
            .ok_or(Refusal::Forged)?;
            Ok((key_index, keys.sealing_index_at(now_ms), plain_len))
        })?;
        let fixed = &sealed[..ENVELOPE_LEN];
        let envelope = Envelope::read(fixed.try_into().expect("40 bytes"), line, generation);
        if envelope.created_ms > now_ms.saturating_add(self.skew_ms) {
            return Err(Refusal::CreatedInFuture);
        }
        if now_ms >= envelope.expires_ms {
            return Err(Refusal::Expired);
        }
        if let Some(abs) = self.absolute_ms {
            if now_ms >= envelope.created_ms.saturating_add(abs) {
                return Err(Refusal::PastAbsoluteLifetime);
            }
        }
        // The JSON text alone: the tag cut off, the head, nonce and envelope moved out. One
        // UTF-8 check of the whole text, then a check that it is one object, whose values stay
        // unparsed until read.
        buf.truncate(sealed_at + plain_len);
        buf.drain(..sealed_at + ENVELOPE_LEN);
        let json = String::from_utf8(buf).map_err(|_| Refusal::BadData)?;
        let data = Data::from_json(json).map_err(|_| Refusal::BadData)?;
        Ok(Opened {
            envelope,
            data,
            key_index,
            key_id,
            sealing_index,
            version,
        })
    }
}
