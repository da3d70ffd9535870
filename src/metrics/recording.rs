//! The recording side, with the feature on: handles registered once, and the rare events
//! through the facade's macros.

use std::time::Duration;

use metrics::{Counter, Histogram, counter, histogram};

use super::{CheckAnswer, ClearCause, IssueCause, names};
use crate::{error::Refusal, revocation::WhenUnreachable};

/// The refusal reasons a request is counted under: every one but `missing` (the first of
/// [`Refusal::ALL`]), which is counted apart.
const REFUSED: usize = Refusal::ALL.len() - 1;

const CHECK_ANSWERS: [CheckAnswer; 5] = [
    CheckAnswer::Revoked,
    CheckAnswer::NotRevoked,
    CheckAnswer::Error,
    CheckAnswer::Timeout,
    CheckAnswer::Panic,
];

const POLICIES: [WhenUnreachable; 3] = [
    WhenUnreachable::Refuse,
    WhenUnreachable::Unavailable,
    WhenUnreachable::Allow,
];

/// The request path's metrics, registered with the recorder installed when the layer is built:
/// each event is then one atomic increment, with no look-up by name.
#[derive(Clone)]
pub(crate) struct Handles {
    /// `[sealing, other][version 1, version 2]`.
    opened: [[Counter; 2]; 2],
    without_token: Counter,
    /// `Refusal::ALL[i + 1]`.
    refused: [Counter; REFUSED],
    issued: [Counter; IssueCause::ALL.len()],
    cleared: [Counter; 2],
    withheld: Counter,
    length: Histogram,
    checks: [Counter; CHECK_ANSWERS.len()],
    check_duration: Histogram,
    outage: [Counter; POLICIES.len()],
}

impl Handles {
    /// Registers every metric of the request path with the recorder installed now (each series
    /// then shows from zero, so a rate can be taken before its first event).
    pub(crate) fn register() -> Self {
        let opened = |key: &'static str, version: &'static str| counter!(names::TOKENS_OPENED, "key" => key, "version" => version);
        Self {
            opened: [
                [opened("sealing", "1"), opened("sealing", "2")],
                [opened("other", "1"), opened("other", "2")],
            ],
            without_token: counter!(names::REQUESTS_WITHOUT_TOKEN),
            refused: std::array::from_fn(
                |i| counter!(names::TOKENS_REFUSED, "reason" => Refusal::ALL[i + 1].as_str()),
            ),
            issued: IssueCause::ALL.map(|c| counter!(names::TOKENS_ISSUED, "cause" => c.as_str())),
            cleared: [
                counter!(names::TOKENS_CLEARED, "cause" => "destroy"),
                counter!(names::TOKENS_CLEARED, "cause" => "revoke"),
            ],
            withheld: counter!(names::TOKENS_WITHHELD),
            length: histogram!(names::TOKEN_LENGTH),
            checks: CHECK_ANSWERS
                .map(|a| counter!(names::REVOCATION_CHECKS, "answer" => check_answer(a))),
            check_duration: histogram!(names::REVOCATION_CHECK_DURATION),
            outage: POLICIES.map(|p| counter!(names::REVOCATION_OUTAGE, "policy" => policy(p))),
        }
    }

    /// A token opened with the sealing key (or another), of format `version`.
    pub(crate) fn opened(&self, sealing: bool, version: u8) {
        self.opened[usize::from(!sealing)][usize::from(version != 1)].increment(1);
    }

    /// A request without any token.
    pub(crate) fn without_token(&self) {
        self.without_token.increment(1);
    }

    /// A token refused for `reason` (`missing` is [`Handles::without_token`]).
    pub(crate) fn refused(&self, reason: Refusal) {
        if let Some(i) = Refusal::ALL[1..].iter().position(|r| *r == reason) {
            self.refused[i].increment(1);
        }
    }

    /// A token issued for `cause`, `len` characters long.
    pub(crate) fn issued(&self, cause: IssueCause, len: usize) {
        self.issued[cause as usize].increment(1);
        #[allow(clippy::cast_precision_loss)] // a token is at most a few KiB
        self.length.record(len as f64);
    }

    /// The client's token cleared.
    pub(crate) fn cleared(&self, cause: ClearCause) {
        self.cleared[cause as usize].increment(1);
    }

    /// A token withheld because the handler answered 5xx.
    pub(crate) fn withheld(&self) {
        self.withheld.increment(1);
    }

    /// A revocation-list check that answered `answer` after `took`.
    pub(crate) fn checked(&self, answer: CheckAnswer, took: Duration) {
        self.checks[answer as usize].increment(1);
        self.check_duration.record(took.as_secs_f64());
    }

    /// A request answered by the outage policy `when`.
    pub(crate) fn outage(&self, when: WhenUnreachable) {
        if let Some(i) = POLICIES.iter().position(|p| *p == when) {
            self.outage[i].increment(1);
        }
    }
}

const fn check_answer(answer: CheckAnswer) -> &'static str {
    match answer {
        CheckAnswer::Revoked => "revoked",
        CheckAnswer::NotRevoked => "not_revoked",
        CheckAnswer::Error => "error",
        CheckAnswer::Timeout => "timeout",
        CheckAnswer::Panic => "panic",
    }
}

fn policy(when: WhenUnreachable) -> &'static str {
    match when {
        WhenUnreachable::Refuse => "refuse",
        WhenUnreachable::Unavailable => "unavailable",
        // `Allow`, and any policy added later (none lets a request through silently).
        _ => "allow",
    }
}

/// An `insert` refused: `too_large` or `too_deep`.
pub(crate) fn insert_refused(reason: &'static str) {
    counter!(names::INSERTS_REFUSED, "reason" => reason).increment(1);
}

/// A session that could not be sealed (a 500).
pub(crate) fn seal_failed() {
    counter!(names::SEAL_FAILURES).increment(1);
}

/// A hook that failed (`error`) or panicked (`panic`): a 500.
pub(crate) fn hook_failed(hook: &'static str, kind: &'static str) {
    counter!(names::HOOK_FAILURES, "hook" => hook, "kind" => kind).increment(1);
}

/// A revocation that could not be recorded.
pub(crate) fn revocation_unrecorded() {
    counter!(names::REVOCATIONS_UNRECORDED).increment(1);
}

/// A login exchange on `platform` that ended in `outcome`.
#[cfg_attr(
    not(any(
        feature = "wechat",
        feature = "qq",
        feature = "douyin",
        feature = "alipay",
        feature = "baidu",
        feature = "kuaishou"
    )),
    allow(dead_code)
)]
pub(crate) fn login(platform: &'static str, outcome: &'static str) {
    counter!(names::LOGINS, "platform" => platform, "outcome" => outcome).increment(1);
}

/// A WeChat access-token fetch, for `cause`.
#[cfg_attr(not(feature = "wechat"), allow(dead_code))]
pub(crate) fn wechat_access_token_fetch(cause: &'static str) {
    counter!(names::WECHAT_ACCESS_TOKEN_FETCHES, "cause" => cause).increment(1);
}

/// A key reload (feature `key-file`) that ended in `outcome`: `changed`, `unchanged`, `refused`.
#[cfg_attr(not(feature = "key-file"), allow(dead_code))]
pub(crate) fn key_reload(outcome: &'static str) {
    counter!(names::KEY_RELOADS, "outcome" => outcome).increment(1);
}
