//! The end of a request, as the session sees it: what the client's token becomes (the
//! [`TokenUpdate`]), the `before_seal` step, the seal, and what goes on the revocation list. The
//! response policy around it (the `500`, the warning, the record) is `crate::response`.

use std::time::Duration;

use super::{SealWith, Session, State};
use crate::{
    error::{RandomError, SessionError},
    metrics::IssueCause,
    token::{Data, Envelope, Line, SessionId},
};

/// What a response tells the client about its token; the carriers write it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum TokenUpdate {
    /// Nothing: the client's copy (if any) is still right.
    Keep,
    /// Nothing, though a token was due: the handler answered 5xx, so the client keeps its own.
    Withheld,
    /// Tell the client to drop its token.
    Clear,
    /// Send this new token, which expires in `lifetime_ms` (a cookie's `Max-Age`), issued for
    /// `cause`.
    Token {
        token: String,
        lifetime_ms: u64,
        cause: IssueCause,
    },
}

/// A session id to put on the revocation list, and for how long.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Revocation {
    pub(crate) id: SessionId,
    pub(crate) ttl: Duration,
}

/// What a session needs at the end of a request, before any hook runs.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Keep,
    /// A token was due, but the handler answered 5xx.
    Withheld,
    Clear,
    /// Seal, for `cause`; with a fresh expiry (`now + max_age`), or keeping the token's (only
    /// a re-seal under the sealing key: rotation never extends a session).
    Seal {
        fresh_expiry: bool,
        cause: IssueCause,
    },
}

/// When to re-issue an unchanged session.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reissue {
    pub(crate) renew: bool,
    pub(crate) rolling: bool,
}

impl State {
    /// The generation of the token this request brought: 0 for a new session (or a version 1
    /// token).
    pub(super) fn opened_generation(&self) -> u32 {
        self.token.map_or(0, |token| token.generation)
    }

    /// The generation the next seal carries (`docs/token-format.md`, *Line and generation*): a
    /// seal caused by a change, or a new line's first token, carries the opened generation plus
    /// one; a re-seal that changes nothing (renew, rolling, touch, a newer key) keeps it.
    fn sealed_generation(&self) -> u32 {
        let opened = self.opened_generation();
        if self.changed || self.token.is_none() {
            opened.saturating_add(1)
        } else {
            opened
        }
    }

    fn decide(&self, reissue: Reissue, handler_failed: bool) -> Decision {
        if self.destroyed {
            return Decision::Clear;
        }
        match self.seal_cause(reissue) {
            None => Decision::Keep,
            // After a 5xx nothing is issued, not even a renewal: the client keeps its token,
            // and a half-done change is not committed, unless the handler asked for it.
            Some(_) if handler_failed && !self.commit_on_error => Decision::Withheld,
            Some((fresh_expiry, cause)) => Decision::Seal {
                fresh_expiry,
                cause,
            },
        }
    }

    /// Whether the session must be sealed, with a fresh expiry or not, and why: the first that
    /// holds of new, changed, touched, renewed, rolling, rotated, regenerated (a regenerated
    /// session has changed, and counts as regenerated unless an earlier cause holds).
    fn seal_cause(&self, reissue: Reissue) -> Option<(bool, IssueCause)> {
        let now = self.limits.now_ms;
        let opened = self.opened_with.is_some();
        // Renew when less than half is left, unless the absolute lifetime already caps the
        // expiry (a new token would expire at the same moment).
        let renew_due = reissue.renew
            && opened
            && self.expires_ms.saturating_sub(now) < self.max_age_ms / 2
            && self.expiry_from(now) > self.expires_ms;
        let fresh_expiry = self.changed || self.touched || (opened && reissue.rolling) || renew_due;
        let cause = if !opened && (self.changed || self.touched) {
            IssueCause::New
        } else if self.changed && !self.regenerated {
            IssueCause::Changed
        } else if self.touched {
            IssueCause::Touched
        } else if renew_due {
            IssueCause::Renewed
        } else if opened && reissue.rolling {
            IssueCause::Rolling
        } else if self.opened_with.is_some_and(|k| k.rotating_out) {
            IssueCause::Rotated
        } else if self.changed {
            IssueCause::Regenerated
        } else {
            return None;
        };
        Some((fresh_expiry, cause))
    }
}

impl Session {
    /// The id to put on the revocation list, and for how long: until the last moment the token
    /// the client brought could be accepted (the absolute lifetime if there is one, else the
    /// later of its expiry and `now + max_age`). `None` if not revoked, or if the request came
    /// without a token that opened (then no token of this session was ever issued).
    pub(crate) fn revocation(&self) -> Option<Revocation> {
        let state = self.lock();
        let token = state.revoked?;
        let now = state.limits.now_ms;
        let until = match state.limits.absolute_ms {
            Some(abs) => token.created_ms.saturating_add(abs),
            None => token.expires_ms.max(now.saturating_add(token.max_age_ms)),
        };
        Some(Revocation {
            id: token.sid,
            ttl: Duration::from_millis(until.saturating_sub(now)),
        })
    }

    /// Decides what the response must carry (`handler_failed`: the handler answered 5xx), runs
    /// `before_seal` if a token is to be sealed, and seals it. The hook runs without the lock held, so it can use the session.
    pub(crate) fn finish<H>(
        &self,
        reissue: Reissue,
        handler_failed: bool,
        before_seal: impl FnOnce(&Self) -> Result<(), H>,
        seal: impl FnOnce(&Envelope, &Data, SealWith) -> Result<String, SessionError>,
    ) -> Result<TokenUpdate, Failure<H>> {
        let first = self.lock().decide(reissue, handler_failed);
        if let Decision::Seal { .. } = first {
            before_seal(self).map_err(Failure::Hook)?;
        }
        let mut state = self.lock();
        let (fresh_expiry, cause) = match state.decide(reissue, handler_failed) {
            Decision::Keep => return Ok(TokenUpdate::Keep),
            Decision::Withheld => return Ok(TokenUpdate::Withheld),
            Decision::Clear => return Ok(TokenUpdate::Clear),
            Decision::Seal {
                fresh_expiry,
                cause,
            } => (fresh_expiry, cause),
        };
        let now = state.limits.now_ms;
        if fresh_expiry {
            state.expires_ms = state.expiry_from(now);
        }
        let random = |e: RandomError| Failure::Seal(e.into());
        let sid = match state.sid {
            Some(sid) => sid,
            None => *state.sid.insert(SessionId::random().map_err(random)?),
        };
        let line = match state.line {
            Some(line) => line,
            None => *state.line.insert(Line::random().map_err(random)?),
        };
        let envelope = Envelope {
            created_ms: state.created_ms,
            expires_ms: state.expires_ms,
            max_age_ms: state.max_age_ms,
            sid,
            line,
            generation: state.sealed_generation(),
        };
        let with = SealWith {
            now_ms: now,
            opened_with: state.opened_with.map(|k| k.id),
        };
        let token = seal(&envelope, &state.data, with).map_err(|error| match error {
            // Only a change is checked against the cap as it is made; a re-issue of an unchanged
            // session can still be too long (a version 1 token near the cap, re-sealed as the
            // longer version 2).
            SessionError::TooLarge { len, cap } if !state.changed => {
                Failure::TooLargeToReissue { len, cap }
            }
            error => Failure::Seal(error),
        })?;
        Ok(TokenUpdate::Token {
            token,
            lifetime_ms: state.expires_ms.saturating_sub(now),
            cause,
        })
    }
}

/// Why [`Session::finish`] produced no outcome.
#[derive(Debug)]
pub(crate) enum Failure<H> {
    Hook(H),
    Seal(SessionError),
    /// An unchanged session whose re-issued token would pass the cap: the client's token is
    /// still valid, so it is kept.
    TooLargeToReissue {
        len: usize,
        cap: usize,
    },
}
