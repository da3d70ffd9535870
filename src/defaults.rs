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
