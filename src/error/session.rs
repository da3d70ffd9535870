//! [`SessionError`]: what a handler or a seal can fail with.

use std::fmt;

use super::RandomError;

/// An error from a [`Session`](crate::Session) method in a handler, or from sealing a token.
///
/// Its `Display`, `Debug` and `source` never show serde_json's message, which can quote the
/// session data (`invalid type: string "…", expected u32`): only the kind of JSON error.
#[non_exhaustive]
pub enum SessionError {
    /// The value could not be converted to or from JSON. The serde_json error is here for code
    /// that chooses to look at it; it is never printed by this crate.
    Json(serde_json::Error),
    /// The change would make the sealed token longer than the size cap. The session is left as
    /// it was before the call.
    TooLarge {
        /// The length the carrier's value would have had, in characters: the token, and on the
        /// cookie carrier the `Set-Cookie` attributes around it.
        len: usize,
        /// The configured cap, in characters.
        cap: usize,
    },
    /// The value nests arrays and objects deeper than a session keeps (so that every session
    /// that can be written opens again). The session is left as it was before the call.
    TooDeep {
        /// How deeply the value nests.
        depth: usize,
        /// The most a value may nest: [`token::MAX_DEPTH`](crate::token::MAX_DEPTH).
        max: usize,
    },
    /// No randomness for the token's nonce or the session's id.
    Random(RandomError),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(
                f,
                "session value does not convert to or from JSON: {}",
                json_kind(e)
            ),
            Self::TooLarge { len, cap } => write!(
                f,
                "session too large: what the carrier sends (the sealed token, and on the cookie \
                 carrier the cookie's attributes) would be {len} characters, the cap is {cap}; \
                 store less in the session (keep large data server-side and store its id)"
            ),
            Self::TooDeep { depth, max } => write!(
                f,
                "session value nests {depth} levels of arrays and objects, more than the {max} a \
                 session keeps; store it flatter (or as a string)"
            ),
            Self::Random(_) => f.write_str("the session token could not be sealed"),
        }
    }
}

/// The source of [`SessionError::Random`]; never serde_json's error, whose message can quote
/// the data.
impl std::error::Error for SessionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Random(e) => Some(e),
            _ => None,
        }
    }
}

impl From<serde_json::Error> for SessionError {
    fn from(e: serde_json::Error) -> Self {
        Self::Json(e)
    }
}

impl From<RandomError> for SessionError {
    fn from(e: RandomError) -> Self {
        Self::Random(e)
    }
}

impl fmt::Debug for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The kind of the serde_json error, never its message.
            Self::Json(e) => f
                .debug_tuple("Json")
                .field(&format_args!("{:?} error, message withheld", e.classify()))
                .finish(),
            Self::TooLarge { len, cap } => f
                .debug_struct("TooLarge")
                .field("len", len)
                .field("cap", cap)
                .finish(),
            Self::TooDeep { depth, max } => f
                .debug_struct("TooDeep")
                .field("depth", depth)
                .field("max", max)
                .finish(),
            Self::Random(e) => f.debug_tuple("Random").field(e).finish(),
        }
    }
}

/// What may be said of a serde_json error: its kind, never its message.
fn json_kind(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Data => {
            "a type or shape mismatch (serde_json's message is withheld: it can quote session data)"
        }
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "invalid JSON",
        serde_json::error::Category::Io => "an I/O error",
    }
}
