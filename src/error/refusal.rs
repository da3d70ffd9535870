//! [`Refusal`]: why an incoming token was refused.

use std::fmt;

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
    /// Every reason, `Missing` first (the metrics count it apart).
    #[cfg(any(test, feature = "metrics"))]
    pub(crate) const ALL: [Self; 12] = [
        Self::Missing,
        Self::TooLong,
        Self::Malformed,
        Self::UnknownKey,
        Self::Forged,
        Self::CreatedInFuture,
        Self::Expired,
        Self::PastAbsoluteLifetime,
        Self::BadData,
        Self::Revoked,
        Self::Invalid,
        Self::Unverified,
    ];

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
