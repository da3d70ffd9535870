//! Every default of the layer and the codec, in one place; each `with_*` method of
//! [`SessionConfig`](crate::SessionConfig) and [`Codec`](crate::token::Codec) names the one it
//! replaces.

use std::time::Duration;

/// The header that carries the token, both ways.
pub const DEFAULT_HEADER: &str = "x-session";
/// How long a session lives after it is sealed: 24 hours.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(24 * 3600);
/// The most a session can live from its creation, whatever re-seals it: 30 days.
pub const DEFAULT_ABSOLUTE_LIFETIME: Duration = Duration::from_secs(30 * 24 * 3600);
/// The size cap, in characters of the value the carrier sends: 4096, what every browser keeps
/// in a cookie and every proxy passes in a header.
pub const DEFAULT_MAX_LEN: usize = 4096;
/// How far ahead of the server's clock a token's creation time may lie (clocks of a fleet
/// differ a little): 60 seconds. A token created further ahead is refused (`created_in_future`).
pub const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(60);
/// The longest a fleet should take to reload a changed key file: 60 seconds. A
/// [`KeySource::watch`](crate::KeySource::watch) interval of at most this keeps
/// [`DEFAULT_ROTATION_MARGIN`] safe.
pub const RECOMMENDED_RELOAD_INTERVAL: Duration = Duration::from_secs(60);
/// How far ahead a new key's `seal-after` must lie, at the least, when `sealed-session keys
/// rotate` adds it: 180 seconds, two reload intervals ([`RECOMMENDED_RELOAD_INTERVAL`]) plus the
/// clock skew allowance ([`DEFAULT_CLOCK_SKEW`]), so that every instance knows the key before
/// any instance seals with it.
pub const DEFAULT_ROTATION_MARGIN: Duration =
    Duration::from_secs(2 * RECOMMENDED_RELOAD_INTERVAL.as_secs() + DEFAULT_CLOCK_SKEW.as_secs());
