//! The session a handler reads and changes.
//!
//! A [`Session`] is a cheap handle: clones share one state, and each request gets its own. All
//! methods are synchronous (there is no store to wait for) and no lock is ever held across an
//! `.await` or while user code runs, except serde's (de)serialization of the value at hand.

use std::{
    fmt, io,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};
use time::{OffsetDateTime, PrimitiveDateTime};

use crate::{
    error::{SealError, SessionError},
    token::{Codec, Envelope, Opened, SessionId},
};

/// A session: a map from string keys to JSON values, its id and its times.
///
/// Get it in an axum handler with the [`Session`] extractor (feature `axum`), or from the
/// request's extensions in any tower service behind [`SessionLayer`](crate::SessionLayer).
///
/// ```
/// # fn handler(session: sealed_session::Session) -> Result<String, sealed_session::SessionError> {
/// let n: u64 = session.get("n")?.unwrap_or(0);
/// session.insert("n", n + 1)?;
/// Ok(format!("{n}"))
/// # }
/// ```
#[derive(Clone)]
pub struct Session {
    state: Arc<Mutex<State>>,
}

/// What the layer tells a new session about the request.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// The time of the request, Unix ms.
    pub(crate) now_ms: u64,
    /// The configured max age, ms.
    pub(crate) max_age_ms: u64,
    /// The absolute lifetime, ms.
    pub(crate) absolute_ms: Option<u64>,
    /// The size cap in characters, and how many of them the carrier takes besides the token.
    pub(crate) cap: usize,
    pub(crate) carrier_overhead: usize,
}

#[derive(Debug)]
struct State {
    data: Map<String, Value>,
    /// `None` until needed: a new session that is never touched costs no random id.
    sid: Option<SessionId>,
    created_ms: u64,
    expires_ms: u64,
    max_age_ms: u64,
    limits: Limits,
    /// `Some(i)` if the session came from a token opened with key `i`.
    opened_with: Option<usize>,
    /// Data, id or max age changed: the client needs a new token.
    changed: bool,
    /// [`Session::touch`] asked for a fresh expiry.
    touched: bool,
    destroyed: bool,
    /// [`Session::revoke`] was called: the id goes on the revocation list.
    revoked: bool,
}

/// What the response must do with the client's token.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing: the client's copy (if any) is still right.
    Keep,
    /// Tell the client to drop its token.
    Clear,
    /// Send this new token, which expires in `lifetime_ms`.
    Token { token: String, lifetime_ms: u64 },
}

/// What a session needs at the end of a request, before any hook runs.
#[derive(Debug, PartialEq, Eq)]
enum Decision {
    Keep,
    Clear,
    /// Seal; with a fresh expiry (`now + max_age`), or keeping the token's.
    Seal {
        fresh_expiry: bool,
    },
}

/// When to re-issue an unchanged session.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reissue {
    pub(crate) renew: bool,
    pub(crate) rolling: bool,
}

impl State {
    fn expiry_from(&self, now_ms: u64) -> u64 {
        let expires = now_ms.saturating_add(self.max_age_ms);
        match self.limits.absolute_ms {
            Some(abs) => expires.min(self.created_ms.saturating_add(abs)),
            None => expires,
        }
    }

    fn token_len(&self) -> Result<usize, SessionError> {
        let mut counter = Counter(0);
        serde_json::to_writer(&mut counter, &self.data)?;
        Ok(Codec::token_len(counter.0) + self.limits.carrier_overhead)
    }

    fn decide(&self, reissue: Reissue) -> Decision {
        if self.destroyed {
            return Decision::Clear;
        }
        let now = self.limits.now_ms;
        let opened = self.opened_with.is_some();
        let renew_due =
            reissue.renew && opened && self.expires_ms.saturating_sub(now) < self.max_age_ms / 2;
        if self.changed || self.touched || (opened && reissue.rolling) || renew_due {
            Decision::Seal { fresh_expiry: true }
        } else if self.opened_with.is_some_and(|i| i > 0) {
            // Re-seal under the current key, keeping both times: rotation never extends a session.
            Decision::Seal {
                fresh_expiry: false,
            }
        } else {
            Decision::Keep
        }
    }

    /// Turns a destroyed session back into a new one, for a handler that logs out then in.
    fn revive(&mut self) {
        if self.destroyed {
            let now = self.limits.now_ms;
            self.destroyed = false;
            self.revoked = false;
            self.sid = None;
            self.created_ms = now;
            self.max_age_ms = self.limits.max_age_ms;
            self.expires_ms = self.expiry_from(now);
            self.opened_with = None;
        }
    }
}

/// Counts the bytes serde_json would write, without keeping them.
struct Counter(usize);

impl io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn datetime(ms: u64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(PrimitiveDateTime::MAX.assume_utc())
}

impl Session {
    /// A new, empty session for a request at `limits.now_ms`.
    pub(crate) fn fresh(limits: Limits) -> Self {
        let mut state = State {
            data: Map::new(),
            sid: None,
            created_ms: limits.now_ms,
            expires_ms: 0,
            max_age_ms: limits.max_age_ms,
            limits,
            opened_with: None,
            changed: false,
            touched: false,
            destroyed: false,
            revoked: false,
        };
        state.expires_ms = state.expiry_from(limits.now_ms);
        Self::wrap(state)
    }

    /// The session of a token that opened.
    pub(crate) fn opened(opened: Opened, limits: Limits) -> Self {
        let Opened {
            envelope,
            data,
            key_index,
        } = opened;
        Self::wrap(State {
            data,
            sid: Some(envelope.sid),
            created_ms: envelope.created_ms,
            expires_ms: envelope.expires_ms,
            max_age_ms: envelope.max_age_ms,
            limits,
            opened_with: Some(key_index),
            changed: false,
            touched: false,
            destroyed: false,
            revoked: false,
        })
    }

    fn wrap(state: State) -> Self {
        Self {
            state: Arc::new(Mutex::new(state)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic elsewhere while the lock was held cannot leave the state half-written (every
        // change is one assignment or is undone before returning), so a poisoned lock is usable.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The value under `key`, converted to `T`; `None` if there is none.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if the stored value does not convert to `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        let state = self.lock();
        state
            .data
            .get(key)
            .map(T::deserialize)
            .transpose()
            .map_err(SessionError::Json)
    }

    /// A copy of the JSON value under `key`.
    #[must_use]
    pub fn get_value(&self, key: &str) -> Option<Value> {
        self.lock().data.get(key).cloned()
    }

    /// Stores `value` under `key`, replacing any previous value.
    ///
    /// The size cap is checked now, against the length the sealed token would have: if the
    /// token would be too long, nothing changes and the error gives both sizes. Storing a value
    /// equal to the one already there is not a change (no new token is sent for it).
    /// On a destroyed session, `insert` starts a new one.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if `value` cannot be represented as JSON (e.g. a map with
    /// non-string keys), [`SessionError::TooLarge`] if the token would pass the size cap.
    #[doc(alias = "set")]
    pub fn insert<T: Serialize>(&self, key: &str, value: T) -> Result<(), SessionError> {
        let value = serde_json::to_value(value)?;
        let mut state = self.lock();
        if !state.destroyed && state.data.get(key) == Some(&value) {
            return Ok(());
        }
        let old = state.data.insert(key.to_owned(), value);
        let len = state.token_len()?;
        if len > state.limits.cap {
            match old {
                Some(old) => state.data.insert(key.to_owned(), old),
                None => state.data.remove(key),
            };
            return Err(SessionError::TooLarge {
                len,
                cap: state.limits.cap,
            });
        }
        // `destroy` emptied the data, so the new value is all a revived session holds.
        state.revive();
        state.changed = true;
        Ok(())
    }

    /// Removes the value under `key` and returns it.
    #[must_use = "use `remove` for its value, or ignore it with `let _ =`"]
    pub fn remove(&self, key: &str) -> Option<Value> {
        let mut state = self.lock();
        let old = state.data.remove(key);
        state.changed |= old.is_some();
        old
    }

    /// Removes every value, keeping the session (its id and times).
    pub fn clear(&self) {
        let mut state = self.lock();
        if !state.data.is_empty() {
            state.data.clear();
            state.changed = true;
        }
    }

    /// The number of values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().data.len()
    }

    /// Whether there are no values.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.lock().data.is_empty()
    }

    /// The keys, in order.
    #[must_use]
    pub fn keys(&self) -> Vec<String> {
        self.lock().data.keys().cloned().collect()
    }

    /// The session id: random, kept across re-seals, replaced by [`Session::cycle_id`].
    ///
    /// # Panics
    ///
    /// If the session is new, has no id yet, and the operating system's random number
    /// generator fails.
    #[must_use]
    pub fn id(&self) -> SessionId {
        let mut state = self.lock();
        *state.sid.get_or_insert_with(|| {
            SessionId::random().expect("the operating system's random number generator failed")
        })
    }

    /// Whether this session was made for this request (no valid token came with it).
    #[must_use]
    pub fn is_new(&self) -> bool {
        self.lock().opened_with.is_none()
    }

    /// When the session was first created; kept across re-seals.
    #[must_use]
    pub fn created_at(&self) -> OffsetDateTime {
        datetime(self.created_ms())
    }

    /// When the session was first created, in Unix ms.
    #[must_use]
    pub fn created_ms(&self) -> u64 {
        self.lock().created_ms
    }

    /// When the client's token stops being accepted, as it stands now (a re-seal at the end of
    /// this request may move it later, never past the absolute lifetime).
    #[must_use]
    pub fn expires_at(&self) -> OffsetDateTime {
        datetime(self.expires_ms())
    }

    /// [`Session::expires_at`] in Unix ms.
    #[must_use]
    pub fn expires_ms(&self) -> u64 {
        self.lock().expires_ms
    }

    /// This session's lifetime: the configured max age, or what [`Session::set_max_age`] set.
    #[must_use]
    pub fn max_age(&self) -> Duration {
        Duration::from_millis(self.lock().max_age_ms)
    }

    /// Gives this session its own lifetime (e.g. 30 days for "remember me") from now on. The
    /// absolute lifetime still bounds it. A zero max age makes the token expire at once.
    #[doc(alias = "maxAge")]
    pub fn set_max_age(&self, max_age: Duration) {
        let mut state = self.lock();
        state.max_age_ms = crate::token::duration_ms(max_age);
        state.expires_ms = state.expiry_from(state.limits.now_ms);
        state.changed = true;
    }

    /// Sends the client a token with a fresh expiry (`now + max_age`, within the absolute
    /// lifetime), even if nothing changed.
    #[doc(alias = "resetMaxAge")]
    pub fn touch(&self) {
        let mut state = self.lock();
        state.expires_ms = state.expiry_from(state.limits.now_ms);
        state.touched = true;
    }

    /// Gives the session a new id and keeps its data. Call it when privileges change, at login
    /// above all, so an id seen before login is worth nothing after.
    #[doc(alias = "regenerate")]
    #[doc(alias = "cycle")]
    pub fn cycle_id(&self) {
        let mut state = self.lock();
        state.revive();
        state.sid = None;
        state.changed = true;
    }

    /// Ends the session: its data is cleared and the response tells the client to drop its
    /// token (the header is sent with an empty value).
    ///
    /// A stateless token that a client kept a copy of stays valid until it expires; see the
    /// crate's *Limitations* for how to refuse it sooner.
    #[doc(alias = "flush")]
    #[doc(alias = "delete")]
    pub fn destroy(&self) {
        let mut state = self.lock();
        state.data.clear();
        state.destroyed = true;
    }

    /// Ends the session like [`Session::destroy`], and also puts its id on the layer's
    /// revocation list (see [`revocation`](crate::revocation)), so that a copy of the token
    /// kept elsewhere is refused by every server until it would have expired. Without a
    /// revocation list this is `destroy` plus a `warn` event.
    #[doc(alias = "logout")]
    pub fn revoke(&self) {
        let mut state = self.lock();
        state.data.clear();
        state.destroyed = true;
        state.revoked = true;
    }

    /// The id to put on the revocation list, and for how long: until the last moment any token
    /// of this session could be accepted (the absolute lifetime if there is one, else the later
    /// of this token's expiry and `now + max_age`). `None` if not revoked, or if no token of
    /// this session was ever issued.
    pub(crate) fn revocation(&self) -> Option<(SessionId, Duration)> {
        let state = self.lock();
        if !state.revoked || state.opened_with.is_none() {
            return None;
        }
        let now = state.limits.now_ms;
        let until = match state.limits.absolute_ms {
            Some(abs) => state.created_ms.saturating_add(abs),
            None => state.expires_ms.max(now.saturating_add(state.max_age_ms)),
        };
        Some((state.sid?, Duration::from_millis(until.saturating_sub(now))))
    }

    /// Whether [`Session::destroy`] was called (and nothing was inserted after it).
    #[must_use]
    pub fn is_destroyed(&self) -> bool {
        self.lock().destroyed
    }

    /// Decides what the response must carry, runs `before_seal` if a token is to be sealed,
    /// and seals it. The hook runs without the lock held, so it can use the session.
    pub(crate) fn finish<H>(
        &self,
        reissue: Reissue,
        before_seal: impl FnOnce(&Self) -> Result<(), H>,
        seal: impl FnOnce(&Envelope, &Map<String, Value>) -> Result<String, SealError>,
    ) -> Result<Outcome, Failure<H>> {
        let first = self.lock().decide(reissue);
        if let Decision::Seal { .. } = first {
            before_seal(self).map_err(Failure::Hook)?;
        }
        let mut state = self.lock();
        let fresh_expiry = match state.decide(reissue) {
            Decision::Keep => return Ok(Outcome::Keep),
            Decision::Clear => return Ok(Outcome::Clear),
            Decision::Seal { fresh_expiry } => fresh_expiry,
        };
        let now = state.limits.now_ms;
        if fresh_expiry {
            state.expires_ms = state.expiry_from(now);
        }
        let sid = match state.sid {
            Some(sid) => sid,
            None => *state
                .sid
                .insert(SessionId::random().map_err(Failure::Seal)?),
        };
        let envelope = Envelope {
            created_ms: state.created_ms,
            expires_ms: state.expires_ms,
            max_age_ms: state.max_age_ms,
            sid,
        };
        let token = seal(&envelope, &state.data).map_err(Failure::Seal)?;
        Ok(Outcome::Token {
            token,
            lifetime_ms: state.expires_ms.saturating_sub(now),
        })
    }
}

/// Why [`Session::finish`] produced no outcome.
#[derive(Debug)]
pub(crate) enum Failure<H> {
    Hook(H),
    Seal(SealError),
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the data: only its size and the session's public facts.
        let state = self.lock();
        f.debug_struct("Session")
            .field("entries", &state.data.len())
            .field("is_new", &state.opened_with.is_none())
            .field("changed", &state.changed)
            .field("destroyed", &state.destroyed)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(cap: usize) -> Limits {
        Limits {
            now_ms: 1_000,
            max_age_ms: 10_000,
            absolute_ms: Some(50_000),
            cap,
            carrier_overhead: 0,
        }
    }

    const KEEP: Reissue = Reissue {
        renew: true,
        rolling: false,
    };

    fn no_hook(_: &Session) -> Result<(), ()> {
        Ok(())
    }

    fn seal_ok(_: &Envelope, data: &Map<String, Value>) -> Result<String, SealError> {
        Ok(serde_json::to_string(data).unwrap())
    }

    #[test]
    fn clones_share_one_state() {
        let a = Session::fresh(limits(4096));
        let b = a.clone();
        a.insert("k", 1).unwrap();
        assert_eq!(b.get::<i32>("k").unwrap(), Some(1));
        assert_eq!(a.id(), b.id());
    }

    #[test]
    fn typed_get_reports_a_wrong_type() {
        let s = Session::fresh(limits(4096));
        s.insert("k", "text").unwrap();
        assert!(matches!(s.get::<u32>("k"), Err(SessionError::Json(_))));
        assert_eq!(s.get::<String>("absent").unwrap(), None);
    }

    #[test]
    fn too_large_insert_restores_the_previous_value() {
        let s = Session::fresh(limits(200));
        s.insert("k", "small").unwrap();
        let err = s.insert("k", "x".repeat(500)).unwrap_err();
        assert!(
            matches!(err, SessionError::TooLarge { cap: 200, .. }),
            "{err}"
        );
        assert_eq!(s.get::<String>("k").unwrap().as_deref(), Some("small"));
        assert!(s.insert("other", "y".repeat(500)).is_err());
        assert_eq!(s.keys(), vec!["k".to_owned()]);
    }

    #[test]
    fn carrier_overhead_counts_against_the_cap() {
        let plain = Session::fresh(limits(200));
        let with_overhead = Session::fresh(Limits {
            carrier_overhead: 60,
            ..limits(200)
        });
        let value = "x".repeat(40);
        assert!(plain.insert("k", &value).is_ok());
        assert!(with_overhead.insert("k", &value).is_err());
    }

    #[test]
    fn equal_insert_is_not_a_change() {
        let s = Session::fresh(limits(4096));
        assert_eq!(s.finish(KEEP, no_hook, seal_ok).unwrap(), Outcome::Keep);
        s.insert("k", 1).unwrap();
        assert!(matches!(
            s.finish(KEEP, no_hook, seal_ok).unwrap(),
            Outcome::Token {
                lifetime_ms: 10_000,
                ..
            }
        ));
        s.lock().changed = false;
        s.insert("k", 1).unwrap();
        assert_eq!(s.finish(KEEP, no_hook, seal_ok).unwrap(), Outcome::Keep);
        assert_eq!(s.remove("absent"), None);
        s.clear();
        assert!(matches!(
            s.finish(KEEP, no_hook, seal_ok).unwrap(),
            Outcome::Token { .. }
        ));
    }

    #[test]
    fn destroy_clears_and_insert_after_it_starts_a_new_session() {
        let s = Session::fresh(limits(4096));
        s.insert("a", 1).unwrap();
        let first = s.id();
        s.destroy();
        assert!(s.is_empty());
        assert_eq!(s.finish(KEEP, no_hook, seal_ok).unwrap(), Outcome::Clear);
        s.insert("b", 2).unwrap();
        assert!(!s.is_destroyed());
        assert_ne!(s.id(), first);
        assert_eq!(s.keys(), vec!["b".to_owned()]);
    }

    #[test]
    fn debug_shows_no_data() {
        let s = Session::fresh(limits(4096));
        s.insert("secret", "hunter2").unwrap();
        let debug = format!("{s:?}");
        assert!(
            !debug.contains("hunter2") && !debug.contains("secret"),
            "{debug}"
        );
        assert!(debug.contains("entries: 1"), "{debug}");
    }

    #[test]
    fn seal_failure_is_returned_not_swallowed() {
        let s = Session::fresh(limits(4096));
        s.insert("k", 1).unwrap();
        let err = s
            .finish(KEEP, no_hook, |_, _| {
                Err(SealError::TooLarge { len: 9, cap: 1 })
            })
            .unwrap_err();
        assert!(matches!(
            err,
            Failure::Seal(SealError::TooLarge { len: 9, cap: 1 })
        ));
    }

    #[test]
    fn before_seal_runs_only_when_sealing_and_its_changes_are_sealed() {
        let s = Session::fresh(limits(4096));
        let hook = |s: &Session| s.insert("saved", true).map_err(|_| ());
        assert_eq!(s.finish(KEEP, hook, seal_ok).unwrap(), Outcome::Keep);
        assert!(s.is_empty(), "no seal, no hook");
        s.insert("k", 1).unwrap();
        let Outcome::Token { token, .. } = s.finish(KEEP, hook, seal_ok).unwrap() else {
            panic!("expected a token");
        };
        assert_eq!(token, r#"{"k":1,"saved":true}"#);
        let failing = |_: &Session| Err("no");
        assert!(matches!(
            s.finish(KEEP, failing, seal_ok),
            Err(Failure::Hook("no"))
        ));
    }

    #[test]
    fn revocation_lasts_until_the_absolute_lifetime() {
        let fresh = Session::fresh(limits(4096));
        fresh.revoke();
        assert_eq!(fresh.revocation(), None, "no token was ever issued");
        let opened = Session::opened(
            Opened {
                envelope: Envelope {
                    created_ms: 500,
                    expires_ms: 9_000,
                    max_age_ms: 10_000,
                    sid: SessionId([3; 16]),
                },
                data: Map::new(),
                key_index: 0,
            },
            limits(4096),
        );
        assert_eq!(opened.revocation(), None);
        opened.revoke();
        assert!(opened.is_destroyed());
        // created 500 + absolute 50 000 - now 1 000
        assert_eq!(
            opened.revocation(),
            Some((SessionId([3; 16]), Duration::from_millis(49_500)))
        );
    }
}
