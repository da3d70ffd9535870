//! [`KeyError`]: why a key or a key list was refused at start-up, and the hint it gives.

use std::fmt;

use super::report;

/// Why a key or a key list was refused at start-up.
///
/// Its `Debug` (what `main` returning `Result<_, Box<dyn Error>>` prints) is its `Display` text,
/// so a user sees what to fix, not `BadBase64 { index: 0 }`.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key list is empty.
    Empty,
    /// The environment variable holding the keys is not set (or not valid UTF-8).
    MissingEnv {
        /// The variable's name.
        name: String,
    },
    /// A key is not valid base64 (standard or URL-safe alphabet, padding optional).
    BadBase64 {
        /// Position of the key in the list, from 0 (messages count from 1).
        index: usize,
        /// How many keys the list has.
        count: usize,
        /// What the key looks like instead, if it looks like something.
        hint: KeyHint,
    },
    /// A key does not decode to exactly 32 bytes.
    BadLength {
        /// Position of the key in the list, from 0 (messages count from 1).
        index: usize,
        /// How many keys the list has.
        count: usize,
        /// How many bytes it decoded to.
        got: usize,
        /// What the key looks like instead, if it looks like something.
        hint: KeyHint,
    },
    /// Two keys of one list have the same key id (the same key listed twice, most likely).
    DuplicateKid {
        /// The shared key id, as 8 hex digits (public: it is written in every token).
        kid: String,
    },
}

/// What a refused key looks like, for a hint that says how to give it instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyHint {
    /// Nothing in particular.
    None,
    /// 64 hex digits, as `openssl rand -hex 32` prints.
    Hex,
    /// Wrapped in quotes, as some `.env` loaders pass a value on.
    Quoted,
}

impl fmt::Display for KeyHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::None => Ok(()),
            Self::Hex => f.write_str(
                "; it looks like hex (as `openssl rand -hex 32` prints): give the key in base64 \
                 instead, e.g. `openssl rand -base64 32`, or convert it with \
                 `echo <hex> | xxd -r -p | base64`",
            ),
            Self::Quoted => f.write_str(
                "; it is wrapped in quotes (some .env loaders pass them on): remove the quotes",
            ),
        }
    }
}

/// How to make a key, anywhere: the shell and the API.
const MAKE_A_KEY: &str = "make one with `openssl rand -base64 32`, or in Rust with \
                          `sealed_session::Key::generate().to_base64()`";

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => write!(
                f,
                "no session key given: pass at least one 32-byte key in base64 ({MAKE_A_KEY})"
            ),
            Self::MissingEnv { name } => write!(
                f,
                "environment variable {name} is not set: set it to one or more comma-separated \
                 base64 keys ({MAKE_A_KEY})"
            ),
            Self::BadBase64 { index, count, hint } => write!(
                f,
                "session key {} of {count} is not valid base64: expected 43 or 44 characters of \
                 the standard or URL-safe base64 alphabet{hint}",
                index + 1
            ),
            Self::BadLength {
                index,
                count,
                got,
                hint,
            } => write!(
                f,
                "session key {} of {count} has the wrong length: expected 32 bytes (43 or 44 \
                 base64 characters), got {got} bytes{hint}",
                index + 1
            ),
            Self::DuplicateKid { kid } => write!(
                f,
                "two session keys share the key id {kid}: each key may appear once in the list"
            ),
        }
    }
}

impl std::error::Error for KeyError {}

impl fmt::Debug for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            Self::Empty => "KeyError::Empty",
            Self::MissingEnv { .. } => "KeyError::MissingEnv",
            Self::BadBase64 { .. } => "KeyError::BadBase64",
            Self::BadLength { .. } => "KeyError::BadLength",
            Self::DuplicateKid { .. } => "KeyError::DuplicateKid",
        };
        report(f, self, what)
    }
}
