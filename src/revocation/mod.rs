//! Ending sessions before they expire, without a session store: a shared list of the ids of
//! ended sessions, each kept only as long as its token could still be used.
//!
//! A sealed token cannot be taken back, but its session id can be refused. With a
//! [`RevocationList`] configured ([`SessionConfig::with_revocation_list`]),
//! [`Session::revoke`](crate::Session::revoke) records the session's id with a time to live equal
//! to what is left of the token's life, so the list only ever holds ids of tokens that would
//! still open, and empties itself. Every request whose token opens is checked against the list:
//! one round trip per request.
//!
//! To make that cheaper, check less often: keep a short local cache of "not revoked" answers
//! (a revocation then takes up to the cache's lifetime to reach every server), or check only on
//! the routes that matter by using the list in a
//! [`validate`](crate::SessionConfig::with_validate) hook of a layer on those routes.
//!
//! [`SessionConfig::with_revocation_list`]: crate::SessionConfig::with_revocation_list

use std::{fmt, future::Future, pin::Pin, time::Duration};

use crate::token::SessionId;

#[cfg(feature = "redis")]
mod redis;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use self::redis::RedisRevocationList;

/// A boxed error from a hook or a revocation list.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A boxed, sendable future, as the [`RevocationList`] methods return.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// A shared list of revoked session ids, e.g. in Redis (feature `redis`).
///
/// Implementations must never hang: bound every call with a timeout and return an error when
/// it passes. What an error means for the request is the configuration's choice
/// ([`WhenUnreachable`]).
pub trait RevocationList: Send + Sync + 'static {
    /// Whether `id` was revoked.
    fn is_revoked(&self, id: SessionId) -> BoxFuture<'_, Result<bool, BoxError>>;

    /// Records `id` as revoked for `ttl` (what is left of its token's life); after that the
    /// token is refused anyway, so the entry may go.
    fn revoke(&self, id: SessionId, ttl: Duration) -> BoxFuture<'_, Result<(), BoxError>>;
}

/// What to do with a session whose revocation check failed (list unreachable or timed out).
/// Every choice logs an event at `warn` level and the session as `reason="unverified"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WhenUnreachable {
    /// Refuse the session (fail closed): the handler gets a new, empty session. Safe, but
    /// while the list is down every user starts a new session: a mini program client logs in
    /// again, so a blip becomes a login storm, and writes made meanwhile replace the users'
    /// tokens for good. A logout meanwhile still names the refused session's id to the list
    /// (and logs an error when it cannot be recorded).
    Refuse,
    /// Answer `503 Service Unavailable` with `Retry-After` and leave the client's token alone
    /// (the handler does not run): nothing is lost and no one logs in again; requests fail
    /// until the list answers. Recommended for header-carried sessions (mini programs, apps),
    /// whose clients retry.
    Unavailable,
    /// Accept the session (fail open): the service stays up, but a revoked token is accepted
    /// while the list is down.
    Allow,
}

impl WhenUnreachable {
    /// The `Retry-After` of [`WhenUnreachable::Unavailable`]'s answer, in seconds.
    pub const RETRY_AFTER_SECS: u32 = 5;
}

impl fmt::Display for WhenUnreachable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Refuse => "refuse",
            Self::Unavailable => "unavailable",
            Self::Allow => "allow",
        })
    }
}

/// The error a [`RevocationList`] returns when its store did not answer in time (for example
/// [`RedisRevocationList`]'s per-call timeout). Return
/// it from a list of your own, boxed, so that the layer counts the check as a timeout rather
/// than another error (feature `metrics`); either way the [`WhenUnreachable`] policy decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut(Duration);

impl TimedOut {
    /// No answer within `timeout`.
    #[must_use]
    pub const fn after(timeout: Duration) -> Self {
        Self(timeout)
    }

    /// The timeout that passed.
    #[must_use]
    pub const fn timeout(&self) -> Duration {
        self.0
    }
}

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no answer from the revocation list within {:?}", self.0)
    }
}

impl std::error::Error for TimedOut {}
