//! Every error of the crate, grouped by the moment it can happen.
//!
//! - start-up: [`KeyError`] and [`ConfigError`], returned by the constructors so a running
//!   application can never hold a bad configuration;
//! - per request: a bad token is never an error; it is a [`Refusal`], reported as a `tracing`
//!   event, and the handler simply gets a new, empty session;
//! - in a handler: [`SessionError`], from [`Session::insert`](crate::Session::insert) and
//!   [`Session::get`](crate::Session::get);
//! - at response time: [`SealError`], which the layer turns into a `500`.
//!
//! No error text ever contains key bytes, token bytes or session data.

use std::fmt;

/// Why a key or a key list was refused at start-up.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        /// Position of the key in the list, from 0.
        index: usize,
    },
    /// A key does not decode to exactly 32 bytes.
    BadLength {
        /// Position of the key in the list, from 0.
        index: usize,
        /// How many bytes it decoded to.
        got: usize,
    },
    /// Two keys of one list have the same key id (the same key listed twice, most likely).
    DuplicateKid {
        /// The shared key id, as 8 hex digits (public: it is written in every token).
        kid: String,
    },
    /// The operating system's random number generator failed.
    Random,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str(
                "no session key given: pass at least one 32-byte key in base64 \
                 (make one with `cargo run --example keygen`)",
            ),
            Self::MissingEnv { name } => write!(
                f,
                "environment variable {name} is not set: set it to one or more comma-separated \
                 base64 keys (make one with `cargo run --example keygen`)"
            ),
            Self::BadBase64 { index } => write!(
                f,
                "session key #{index} is not valid base64: expected 43 or 44 characters of the \
                 standard or URL-safe base64 alphabet"
            ),
            Self::BadLength { index, got } => write!(
                f,
                "session key #{index} has the wrong length: expected 32 bytes, got {got} bytes"
            ),
            Self::DuplicateKid { kid } => write!(
                f,
                "two session keys share the key id {kid}: each key may appear once in the list"
            ),
            Self::Random => f.write_str("the operating system's random number generator failed"),
        }
    }
}

impl std::error::Error for KeyError {}

/// Why a [`SessionConfig`](crate::SessionConfig) was refused when the layer was built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// A key problem. The crate's constructors return [`KeyError`] directly; this variant lets
    /// one `?` turn either kind of start-up error into a `ConfigError`.
    Key(KeyError),
    /// `max_age` is zero.
    ZeroMaxAge,
    /// The absolute lifetime is zero (turn it off with `None` instead).
    ZeroAbsoluteLifetime,
    /// The header name is not a valid HTTP header name.
    BadHeaderName {
        /// The name that was given.
        name: String,
    },
    /// No carrier was configured.
    NoCarrier,
    /// A carrier was listed twice.
    DuplicateCarrier {
        /// The carrier, by name.
        carrier: String,
    },
    /// The cookie name is empty or has a character a cookie name cannot have.
    BadCookieName {
        /// The name that was given.
        name: String,
    },
    /// The cookie's `Path` or `Domain` has a `;`, a control character or a non-ASCII one.
    BadCookieAttribute {
        /// `"path"` or `"domain"`.
        attribute: &'static str,
    },
    /// The size cap is too small to hold even an empty session.
    CapTooSmall {
        /// The cap that was given, in characters.
        cap: usize,
        /// The smallest cap that can hold an empty session on this carrier.
        min: usize,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Key(e) => e.fmt(f),
            Self::ZeroMaxAge => f.write_str(
                "max_age is zero: give sessions a lifetime, e.g. `.with_max_age(Duration::from_secs(86_400))`",
            ),
            Self::ZeroAbsoluteLifetime => f.write_str(
                "absolute lifetime is zero: give a positive duration, or `None` to turn it off",
            ),
            Self::BadHeaderName { name } => {
                write!(f, "{name:?} is not a valid HTTP header name")
            }
            Self::NoCarrier => f.write_str(
                "no carrier configured: pass at least one to `with_carriers`, e.g. `[Carrier::Header]`",
            ),
            Self::DuplicateCarrier { carrier } => {
                write!(f, "carrier {carrier} is listed twice in `with_carriers`: list each once")
            }
            Self::BadCookieName { name } => write!(
                f,
                "{name:?} is not a valid cookie name: use letters, digits and `-`, `_`, `.` only"
            ),
            Self::BadCookieAttribute { attribute } => write!(
                f,
                "the cookie's {attribute} may hold only visible ASCII characters other than `;`"
            ),
            Self::CapTooSmall { cap, min } => write!(
                f,
                "size cap of {cap} characters cannot hold even an empty session: expected at least {min}"
            ),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Key(e) => Some(e),
            _ => None,
        }
    }
}

impl From<KeyError> for ConfigError {
    fn from(e: KeyError) -> Self {
        Self::Key(e)
    }
}

/// An error from a [`Session`](crate::Session) method in a handler.
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
        /// The length the token would have had, in characters.
        len: usize,
        /// The configured cap, in characters.
        cap: usize,
    },
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
                "session too large: the sealed token would be {len} characters, the cap is {cap}; \
                 store less in the session (keep large data server-side and store its id)"
            ),
        }
    }
}

impl fmt::Debug for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => f.debug_tuple("Json").field(&JsonKind(e)).finish(),
            Self::TooLarge { len, cap } => f
                .debug_struct("TooLarge")
                .field("len", len)
                .field("cap", cap)
                .finish(),
        }
    }
}

/// No source: serde_json's error would print its message, which can quote the data.
impl std::error::Error for SessionError {}

impl From<serde_json::Error> for SessionError {
    fn from(e: serde_json::Error) -> Self {
        Self::Json(e)
    }
}

/// Why a token could not be sealed.
///
/// Like [`SessionError`], it never shows serde_json's message, which can quote the data.
#[non_exhaustive]
pub enum SealError {
    /// The session data could not be serialized. The serde_json error is never printed by this
    /// crate.
    Json(serde_json::Error),
    /// The sealed token would be longer than the cap.
    TooLarge {
        /// The length the token would have had, in characters.
        len: usize,
        /// The configured cap, in characters.
        cap: usize,
    },
    /// The operating system's random number generator failed.
    Random,
}

impl fmt::Display for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => write!(f, "session data could not be serialized: {}", json_kind(e)),
            Self::TooLarge { len, cap } => write!(
                f,
                "sealed session token would be {len} characters, over the cap of {cap}"
            ),
            Self::Random => f.write_str("the operating system's random number generator failed"),
        }
    }
}

impl fmt::Debug for SealError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Json(e) => f.debug_tuple("Json").field(&JsonKind(e)).finish(),
            Self::TooLarge { len, cap } => f
                .debug_struct("TooLarge")
                .field("len", len)
                .field("cap", cap)
                .finish(),
            Self::Random => f.write_str("Random"),
        }
    }
}

/// No source: serde_json's error would print its message, which can quote the data.
impl std::error::Error for SealError {}

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

/// `Debug` of a serde_json error without its message.
struct JsonKind<'a>(&'a serde_json::Error);

impl fmt::Debug for JsonKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} error, message withheld", self.0.classify())
    }
}

/// Why an incoming token was refused. A refusal never fails a request: the handler gets a new,
/// empty session and the reason goes into a `tracing` event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Refusal {
    /// No token was sent.
    Missing,
    /// The token is longer than the size cap; nothing was decoded.
    TooLong,
    /// Not base64url without padding, too short, or of an unknown version.
    Malformed,
    /// Sealed with a key that is not in the key list; nothing was decrypted.
    UnknownKey,
    /// Decryption failed: the token was altered, forged, or sealed under another context.
    Forged,
    /// The token's own expiry has passed.
    Expired,
    /// The session is older than the absolute lifetime.
    PastAbsoluteLifetime,
    /// The decrypted data is not a JSON object.
    BadData,
    /// An application hook or the revocation list refused the session.
    Revoked,
}

impl Refusal {
    /// A short, stable, lower-case name, used as the `reason` field of the `tracing` event.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::TooLong => "too_long",
            Self::Malformed => "malformed",
            Self::UnknownKey => "unknown_key",
            Self::Forged => "forged",
            Self::Expired => "expired",
            Self::PastAbsoluteLifetime => "past_absolute_lifetime",
            Self::BadData => "bad_data",
            Self::Revoked => "revoked",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::error::Error for Refusal {}
