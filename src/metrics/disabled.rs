//! The feature off: the same calls, each empty, so the request path needs no `cfg`.

use std::time::Duration;

use super::{CheckAnswer, ClearCause, IssueCause};
use crate::{error::Refusal, revocation::WhenUnreachable};

/// Nothing to register without the feature.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Handles;

#[allow(clippy::unused_self, clippy::trivially_copy_pass_by_ref)] // the same calls as with the feature
impl Handles {
    pub(crate) fn register() -> Self {
        Self
    }
    #[inline(always)]
    pub(crate) fn opened(&self, _sealing: bool, _version: u8) {}
    #[inline(always)]
    pub(crate) fn without_token(&self) {}
    #[inline(always)]
    pub(crate) fn refused(&self, _reason: Refusal) {}
    #[inline(always)]
    pub(crate) fn issued(&self, _cause: IssueCause, _len: usize) {}
    #[inline(always)]
    pub(crate) fn cleared(&self, _cause: ClearCause) {}
    #[inline(always)]
    pub(crate) fn withheld(&self) {}
    #[inline(always)]
    pub(crate) fn checked(&self, _answer: CheckAnswer, _took: Duration) {}
    #[inline(always)]
    pub(crate) fn outage(&self, _when: WhenUnreachable) {}
}

#[inline(always)]
pub(crate) fn insert_refused(_reason: &'static str) {}
#[inline(always)]
pub(crate) fn seal_failed() {}
#[inline(always)]
pub(crate) fn hook_failed(_hook: &'static str, _kind: &'static str) {}
#[inline(always)]
pub(crate) fn revocation_unrecorded() {}
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
#[inline(always)]
pub(crate) fn login(_platform: &'static str, _outcome: &'static str) {}
#[cfg_attr(not(feature = "wechat"), allow(dead_code))]
#[inline(always)]
pub(crate) fn wechat_access_token_fetch(_cause: &'static str) {}
#[cfg_attr(not(feature = "key-file"), allow(dead_code))]
#[inline(always)]
pub(crate) fn key_reload(_outcome: &'static str) {}
