//! What a token says of its session besides the data: its id, its times, and (version 2) its
//! line and write generation. See `docs/token-format.md`.

use std::fmt;

use crate::error::RandomError;

/// Length of a session id.
pub const SID_LEN: usize = 16;
/// Length of a line.
pub const LINE_LEN: usize = 4;
/// Length of the fixed part of the plaintext: three times, and the session id.
pub const ENVELOPE_LEN: usize = 8 + 8 + 8 + SID_LEN;

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
        RandomError::bytes().map(Self)
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

/// A session's **line**: 4 random bytes, in the clear in a version 2 token, chosen when the
/// session is first written and kept by every later seal of it (cycling the id included). It
/// links a session's tokens so that a client can tell one session from another; it grants
/// nothing. A version 1 token's line is the first 4 bytes of its nonce. Printed as 8 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Line(pub [u8; LINE_LEN]);

impl Line {
    /// A new line from the operating system's CSPRNG.
    ///
    /// # Errors
    ///
    /// [`RandomError`] if the operating system's random number generator fails.
    pub fn random() -> Result<Self, RandomError> {
        RandomError::bytes().map(Self)
    }
}

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::key::write_hex(f, &self.0)
    }
}

impl fmt::Debug for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Line({self})")
    }
}

/// Everything a token says of its session besides the data.
///
/// The times and the id are sealed inside the token; the line and the generation (version 2)
/// are in its clear prefix, authenticated as additional data, so a client can read them.
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
    /// The session's line (for a version 1 token, the first 4 bytes of its nonce).
    pub line: Line,
    /// The write generation: 1 for a line's first token, one more for every seal caused by a
    /// change, the same for a re-seal that changes nothing; 0 for a version 1 token.
    pub generation: u32,
}

impl Envelope {
    /// Writes the plaintext's fixed part: the three times and the id.
    pub(super) fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.created_ms.to_be_bytes());
        out.extend_from_slice(&self.expires_ms.to_be_bytes());
        out.extend_from_slice(&self.max_age_ms.to_be_bytes());
        out.extend_from_slice(&self.sid.0);
    }

    /// Reads the plaintext's fixed part; the line and generation come from the clear prefix.
    pub(super) fn read(plain: &[u8; ENVELOPE_LEN], line: Line, generation: u32) -> Self {
        let u64_at = |i: usize| u64::from_be_bytes(plain[i..i + 8].try_into().expect("8 bytes"));
        let mut sid = [0u8; SID_LEN];
        sid.copy_from_slice(&plain[24..40]);
        Self {
            created_ms: u64_at(0),
            expires_ms: u64_at(8),
            max_age_ms: u64_at(16),
            sid: SessionId(sid),
            line,
            generation,
        }
    }
}
