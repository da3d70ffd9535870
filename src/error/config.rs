//! [`ConfigError`]: why a configuration was refused when the layer was built.

use std::fmt;

use super::{KeyError, report};

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
