//! Every error of the crate, grouped by the moment it can happen.
//!
//! - start-up: [`KeyError`] and [`ConfigError`], returned by the constructors so a running
//!   application can never hold a bad configuration;
//! - per request: a bad token is never an error; it is a [`Refusal`], reported as a `tracing`
//!   event, and the handler simply gets a new, empty session;
//! - in a handler, and when a token is sealed: [`SessionError`], from
//!   [`Session::insert`](crate::Session::insert), [`Session::get`](crate::Session::get) and
//!   [`Codec::seal`](crate::token::Codec::seal) (the layer turns a failed seal into a `500`);
//! - anywhere randomness is drawn: [`RandomError`], the one home of a failing CSPRNG.
//!
//! Each `Display` says its own level only; the cause, if any, is its `source()` (hyper's rule),
//! so an error reporter that walks the chain prints each message once.
//!
//! No error text ever contains key bytes, token bytes or session data.

use std::fmt;

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

/// Writes an error as a user should see it when `main` returns it: its `Display`, each cause
/// on a line of its own, then which error it is. `{:#?}` writes the same.
pub(crate) fn report(
    f: &mut fmt::Formatter<'_>,
    error: &dyn std::error::Error,
    what: &str,
) -> fmt::Result {
    write!(f, "{error}")?;
    let mut source = error.source();
    while let Some(cause) = source {
        write!(f, "\n  caused by: {cause}")?;
        source = cause.source();
    }
    write!(f, "\n  ({what})")
}

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

/// The operating system's random number generator failed: no key, nonce, session id or line can
/// be drawn. This crate draws randomness from nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RandomError;

impl fmt::Display for RandomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the operating system's random number generator failed")
    }
}

impl std::error::Error for RandomError {}

impl RandomError {
    /// Fills `bytes` from the operating system's CSPRNG.
    pub(crate) fn fill(bytes: &mut [u8]) -> Result<(), Self> {
        getrandom::fill(bytes).map_err(|_| Self)
    }
}

/// Why a [`SessionConfig`](crate::SessionConfig) was refused when the layer was built.
///
/// Like [`KeyError`], its `Debug` is its `Display` text, then its cause.
#[derive(Clone, PartialEq, Eq)]
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
            Self::Key(_) => f.write_str("the session keys cannot be used"),
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

impl fmt::Debug for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            Self::Key(_) => "ConfigError::Key",
            Self::ZeroMaxAge => "ConfigError::ZeroMaxAge",
            Self::ZeroAbsoluteLifetime => "ConfigError::ZeroAbsoluteLifetime",
            Self::BadHeaderName { .. } => "ConfigError::BadHeaderName",
            Self::NoCarrier => "ConfigError::NoCarrier",
            Self::DuplicateCarrier { .. } => "ConfigError::DuplicateCarrier",
            Self::BadCookieName { .. } => "ConfigError::BadCookieName",
            Self::BadCookieAttribute { .. } => "ConfigError::BadCookieAttribute",
            Self::CapTooSmall { .. } => "ConfigError::CapTooSmall",
        };
        report(f, self, what)
    }
}

impl From<KeyError> for ConfigError {
    fn from(e: KeyError) -> Self {
        Self::Key(e)
    }
}

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
    /// The session was created further in the future than the allowed clock skew (60 s by
    /// default): only a key holder can make such a token, a server with a wrong clock for one,
    /// and it would escape the absolute lifetime.
    CreatedInFuture,
    /// The token's own expiry has passed.
    Expired,
    /// The session is older than the absolute lifetime.
    PastAbsoluteLifetime,
    /// The decrypted data is not a JSON object.
    BadData,
    /// The revocation list has the session's id: [`Session::revoke`](crate::Session::revoke)
    /// ended it.
    Revoked,
    /// The application's [`validate`](crate::SessionConfig::with_validate) hook refused it.
    Invalid,
    /// The revocation list could not be asked (unreachable, timed out or failed), and the
    /// configured [`WhenUnreachable`](crate::WhenUnreachable) refuses what it cannot check.
    Unverified,
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
            Self::CreatedInFuture => "created_in_future",
            Self::Expired => "expired",
            Self::PastAbsoluteLifetime => "past_absolute_lifetime",
            Self::BadData => "bad_data",
            Self::Revoked => "revoked",
            Self::Invalid => "invalid",
            Self::Unverified => "unverified",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::error::Error for Refusal {}

#[cfg(test)]
mod tests {
    use std::error::Error;

    use super::*;

    /// What an error reporter prints: each level's `Display`, walking `source()`.
    fn report(error: &dyn Error) -> Vec<String> {
        let mut levels = vec![error.to_string()];
        let mut next = error.source();
        while let Some(e) = next {
            levels.push(e.to_string());
            next = e.source();
        }
        levels
    }

    #[test]
    fn a_reporter_that_walks_the_chain_prints_each_message_once() {
        // Exercise: errors with a cause, reported level by level.
        // Expectation: the cause's message appears once, in its own level only.
        let key = KeyError::BadLength {
            index: 0,
            count: 1,
            got: 16,
            hint: KeyHint::None,
        };
        let levels = report(&ConfigError::Key(key.clone()));
        assert_eq!(
            levels,
            [ConfigError::Key(key.clone()).to_string(), key.to_string()]
        );
        assert_eq!(levels.concat().matches("wrong length").count(), 1);

        let levels = report(&SessionError::Random(RandomError));
        assert_eq!(levels.len(), 2);
        assert_eq!(
            levels.concat().matches("random number generator").count(),
            1
        );

        let too_large = SessionError::TooLarge {
            len: 5000,
            cap: 4096,
        };
        assert_eq!(report(&too_large).len(), 1);
    }

    #[test]
    fn refusal_names_are_distinct_and_stable() {
        let all = [
            Refusal::Missing,
            Refusal::TooLong,
            Refusal::Malformed,
            Refusal::UnknownKey,
            Refusal::Forged,
            Refusal::CreatedInFuture,
            Refusal::Expired,
            Refusal::PastAbsoluteLifetime,
            Refusal::BadData,
            Refusal::Revoked,
            Refusal::Invalid,
            Refusal::Unverified,
        ];
        let names: std::collections::HashSet<_> = all.iter().map(|r| r.as_str()).collect();
        assert_eq!(names.len(), all.len());
        assert_eq!(Refusal::Unverified.to_string(), "unverified");
        assert_eq!(Refusal::Invalid.to_string(), "invalid");
    }
}
