//! Counters and histograms of every session decision, on the [`metrics`] facade (feature
//! `metrics`): the crate records, the application installs the exporter (Prometheus, StatsD,
//! OpenTelemetry, ...). Without the feature every function here is empty and compiles away.
//!
//! The request path records through handles registered once when the layer is built, so
//! that a request costs an atomic increment per event and no look-up: install the recorder
//! before building [`SessionLayer`](crate::SessionLayer) (a layer built before it records
//! nothing). Rare events (a refused insert, a failed hook, a login) go through the facade's
//! macros at the moment they happen.
//!
//! Labels are bounded: reasons, causes, policies, platforms and outcomes from fixed lists, never
//! a key id, a session id, a user, a path, a code or a token. The guide's *Running a fleet* page
//! has the table of every metric.

/// The name of every metric the crate records, as Prometheus shows it (counters end in
/// `_total`, durations are in seconds).
pub mod names {
    /// Counter: tokens that opened; labels `key` (`sealing`: the key this instance seals with
    /// now; `other`) and `version` (`1`, `2`).
    pub const TOKENS_OPENED: &str = "sealed_session_tokens_opened_total";
    /// Counter: requests that carried no token at all (every new visitor; not a refusal).
    pub const REQUESTS_WITHOUT_TOKEN: &str = "sealed_session_requests_without_token_total";
    /// Counter: tokens refused; label `reason` (`docs/token-format.md`'s names, `missing` aside).
    pub const TOKENS_REFUSED: &str = "sealed_session_tokens_refused_total";
    /// Counter: tokens issued; label `cause` (`new`, `changed`, `touched`, `renewed`, `rolling`,
    /// `rotated`, `regenerated`).
    pub const TOKENS_ISSUED: &str = "sealed_session_tokens_issued_total";
    /// Counter: tokens cleared (the client told to drop its copy); label `cause` (`destroy`,
    /// `revoke`).
    pub const TOKENS_CLEARED: &str = "sealed_session_tokens_cleared_total";
    /// Counter: tokens that would have been issued, withheld because the handler answered 5xx.
    pub const TOKENS_WITHHELD: &str = "sealed_session_tokens_withheld_total";
    /// Histogram: the length of each issued token, in characters (bytes).
    pub const TOKEN_LENGTH: &str = "sealed_session_token_length_bytes";
    /// Counter: `insert`s refused; label `reason` (`too_large`, `too_deep`).
    pub const INSERTS_REFUSED: &str = "sealed_session_inserts_refused_total";
    /// Counter: revocation-list checks; label `answer` (`revoked`, `not_revoked`, `error`,
    /// `timeout`, `panic`).
    pub const REVOCATION_CHECKS: &str = "sealed_session_revocation_checks_total";
    /// Histogram: how long a revocation-list check took, in seconds.
    pub const REVOCATION_CHECK_DURATION: &str = "sealed_session_revocation_check_duration_seconds";
    /// Counter: requests the outage policy answered while the list could not; label `policy`
    /// (`refuse`: a new session; `unavailable`: a 503; `allow`: let through unchecked).
    pub const REVOCATION_OUTAGE: &str = "sealed_session_revocation_outage_requests_total";
    /// Counter: revocations that could not be recorded (the token stays valid until it expires).
    pub const REVOCATIONS_UNRECORDED: &str = "sealed_session_revocations_unrecorded_total";
    /// Counter: sessions that could not be sealed (the response became a 500).
    pub const SEAL_FAILURES: &str = "sealed_session_seal_failures_total";
    /// Counter: hooks that failed (the response became a 500); labels `hook` (`validate`,
    /// `before_seal`) and `kind` (`error`, `panic`).
    pub const HOOK_FAILURES: &str = "sealed_session_hook_failures_total";
    /// Counter: login exchanges; labels `platform` and `outcome` (`ok`, `bad_code`,
    /// `rate_limited`, `refused`, `upstream_error`, `timeout`, `misconfigured`).
    pub const LOGINS: &str = "sealed_session_logins_total";
    /// Counter: WeChat access-token fetches; label `cause` (`first`: none cached; `refresh`:
    /// the cached one near its expiry; `invalid_token`: a refetch after WeChat's 40001 or
    /// 42001; `forced`: `force_refresh`).
    pub const WECHAT_ACCESS_TOKEN_FETCHES: &str =
        "sealed_session_wechat_access_token_fetches_total";
    /// Counter: key reloads of a `KeySource` (feature `key-file`); label `outcome` (`changed`:
    /// a new list in use; `unchanged`; `refused`: the file was refused, the last good list
    /// stays, and an `error` event says why).
    pub const KEY_RELOADS: &str = "sealed_session_key_reloads_total";
}

/// The histogram buckets the guide recommends. Buckets are the exporter's to choose; these
/// fit what the crate records.
pub mod buckets {
    /// [`TOKEN_LENGTH`](super::names::TOKEN_LENGTH), in characters, up to the default cap of
    /// 4096; 3687 is 90% of it, the bucket the near-the-cap alert reads (with another cap, use
    /// its own 90%).
    pub const TOKEN_LENGTH: [f64; 8] =
        [128.0, 256.0, 512.0, 1024.0, 2048.0, 3072.0, 3687.0, 4096.0];
    /// [`REVOCATION_CHECK_DURATION`](super::names::REVOCATION_CHECK_DURATION), in seconds: 100 µs
    /// to 100 ms (the Redis list's default timeout).
    pub const REVOCATION_CHECK_SECONDS: [f64; 10] = [
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
    ];
}

/// Why a token was issued: the first that holds, in this order (see [`names::TOKENS_ISSUED`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IssueCause {
    /// A session without a token that opened, written.
    New,
    /// Data, id or max age changed (other than by `regenerate`).
    Changed,
    /// `Session::touch`.
    Touched,
    /// Less than half the max age was left.
    Renewed,
    /// `rolling` re-issues every response.
    Rolling,
    /// Re-sealed under the sealing key, its times kept.
    Rotated,
    /// `Session::regenerate` (a login).
    Regenerated,
}

impl IssueCause {
    /// Every cause, in the order that decides between several.
    #[cfg(feature = "metrics")]
    const ALL: [Self; 7] = [
        Self::New,
        Self::Changed,
        Self::Touched,
        Self::Renewed,
        Self::Rolling,
        Self::Rotated,
        Self::Regenerated,
    ];

    /// The label value.
    #[cfg(feature = "metrics")]
    const fn as_str(self) -> &'static str {
        match self {
            Self::New => "new",
            Self::Changed => "changed",
            Self::Touched => "touched",
            Self::Renewed => "renewed",
            Self::Rolling => "rolling",
            Self::Rotated => "rotated",
            Self::Regenerated => "regenerated",
        }
    }
}

/// Why a token was cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClearCause {
    Destroy,
    Revoke,
}

/// What a revocation-list check answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CheckAnswer {
    Revoked,
    NotRevoked,
    Error,
    Timeout,
    Panic,
}

/// Counts an `insert` refused with `error`, if it is one the metrics name.
pub(crate) fn insert_error(error: &crate::error::SessionError) {
    use crate::error::SessionError;
    match error {
        SessionError::TooLarge { .. } => insert_refused("too_large"),
        SessionError::TooDeep { .. } => insert_refused("too_deep"),
        _ => {}
    }
}

#[cfg(feature = "metrics")]
mod recording;
#[cfg(feature = "metrics")]
pub(crate) use recording::*;

#[cfg(not(feature = "metrics"))]
mod disabled;
#[cfg(not(feature = "metrics"))]
pub(crate) use disabled::*;
