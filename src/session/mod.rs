//! The session a handler reads and changes.
//!
//! A [`Session`] is a cheap handle: clones share one state, and each request gets its own. All
//! methods are synchronous (there is no store to wait for) and no lock is ever held across an
//! `.await` or while user code runs, except serde's (de)serialization of the value at hand.

use std::{
    fmt,
    ops::Deref,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use serde::{Serialize, de::DeserializeOwned};
use serde_json::Value;

use crate::{
    clock::duration_ms,
    error::SessionError,
    key::KeyId,
    metrics,
    token::{Codec, Data, Envelope, Line, Opened, SessionId},
};

/// A session: a map from string keys to JSON values, its id and its times.
///
/// The changes are its own methods; everything that reads it is on [`SessionView`], which a
/// `Session` derefs to (`session.get(..)`, `session.id()`, `session.expires_at()`, ...).
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
    view: SessionView,
}

impl Deref for Session {
    type Target = SessionView;

    fn deref(&self) -> &SessionView {
        &self.view
    }
}

/// The terms a session of one request lives under: the time of the request, and the max age,
/// absolute lifetime and size cap it is sealed with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RequestTerms {
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

impl RequestTerms {
    /// Whether a token for `json_len` bytes of data, with what the carrier adds, is within the
    /// cap; the error says how long it would be.
    fn fits(&self, json_len: usize) -> Result<(), SessionError> {
        let len = Codec::token_len(json_len) + self.carrier_overhead;
        if len > self.cap {
            return Err(SessionError::TooLarge { len, cap: self.cap });
        }
        Ok(())
    }
}

/// The key a session's token opened with.
#[derive(Debug, Clone, Copy)]
struct OpenedKey {
    id: KeyId,
    /// Listed after the key that sealed at the time of opening: a key being rotated out, so
    /// the token is re-sealed.
    rotating_out: bool,
}

/// What a seal needs besides the envelope and the data: the request's time, which picks the
/// sealing key, and the key the session came with, which a re-seal keeps if it is newer.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SealWith {
    pub(crate) now_ms: u64,
    pub(crate) opened_with: Option<KeyId>,
}

#[derive(Debug)]
struct State {
    data: Data,
    /// `None` until needed: a new session that is never touched costs no random id.
    sid: Option<SessionId>,
    /// The session's line: the opened token's, or `None` until a new session is first sealed.
    /// Kept for life, id cycling and revival included.
    line: Option<Line>,
    created_ms: u64,
    expires_ms: u64,
    max_age_ms: u64,
    limits: RequestTerms,
    /// The key of the token the session came from, if one opened (and the session was not
    /// destroyed and revived since).
    opened_with: Option<OpenedKey>,
    /// The envelope of the token this request brought, if it opened; never changes.
    token: Option<Envelope>,
    /// Data, id or max age changed: the client needs a new token.
    changed: bool,
    /// [`Session::regenerate`] was called (a login): what the metrics count the seal under.
    regenerated: bool,
    /// [`Session::touch`] asked for a fresh expiry.
    touched: bool,
    /// [`Session::commit_on_error`]: seal even if the handler answers 5xx.
    commit_on_error: bool,
    destroyed: bool,
    /// [`Session::revoke`] was called on a session that came with a token: that token's
    /// envelope, whose id goes on the revocation list whatever happens to the session after.
    revoked: Option<Envelope>,
    /// The envelope of a token that opened but could not be checked against the revocation
    /// list (this session replaces it): what `revoke` names to the list.
    unverified: Option<Envelope>,
}

impl State {
    fn expiry_from(&self, now_ms: u64) -> u64 {
        let expires = now_ms.saturating_add(self.max_age_ms);
        match self.limits.absolute_ms {
            Some(abs) => expires.min(self.created_ms.saturating_add(abs)),
            None => expires,
        }
    }

    /// Turns a destroyed session back into a new one, for a handler that logs out then in.
    fn revive(&mut self) {
        if self.destroyed {
            let now = self.limits.now_ms;
            // `revoked` stays: the token the client brought is still to be listed.
            self.destroyed = false;
            self.sid = None;
            self.created_ms = now;
            self.max_age_ms = self.limits.max_age_ms;
            self.expires_ms = self.expiry_from(now);
            self.opened_with = None;
        }
    }
}

impl Session {
    /// A new, empty session for a request at `limits.now_ms`.
    pub(crate) fn fresh(limits: RequestTerms) -> Self {
        let mut state = State {
            data: Data::new(),
            sid: None,
            line: None,
            created_ms: limits.now_ms,
            expires_ms: 0,
            max_age_ms: limits.max_age_ms,
            limits,
            opened_with: None,
            token: None,
            changed: false,
            regenerated: false,
            touched: false,
            commit_on_error: false,
            destroyed: false,
            revoked: None,
            unverified: None,
        };
        state.expires_ms = state.expiry_from(limits.now_ms);
        Self::wrap(state)
    }

    /// The session of a token that opened.
    pub(crate) fn opened(opened: Opened, limits: RequestTerms) -> Self {
        let Opened {
            envelope,
            data,
            key_index,
            key_id,
            sealing_index,
            version: _,
        } = opened;
        let opened_with = OpenedKey {
            id: key_id,
            rotating_out: key_index > sealing_index,
        };
        Self::wrap(State {
            data,
            sid: Some(envelope.sid),
            line: Some(envelope.line),
            created_ms: envelope.created_ms,
            expires_ms: envelope.expires_ms,
            max_age_ms: envelope.max_age_ms,
            limits,
            opened_with: Some(opened_with),
            token: Some(envelope),
            changed: false,
            regenerated: false,
            touched: false,
            commit_on_error: false,
            destroyed: false,
            revoked: None,
            unverified: None,
        })
    }

    /// A new session in place of this opened one, which the revocation list could not check:
    /// it remembers the opened token, so a logout still names its id to the list.
    pub(crate) fn unverified_replacement(&self) -> Self {
        let state = self.lock();
        let fresh = Self::fresh(state.limits);
        fresh.lock().unverified = state.token;
        fresh
    }

    fn wrap(state: State) -> Self {
        Self {
            view: SessionView {
                state: Arc::new(Mutex::new(state)),
            },
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.view.lock()
    }

    /// The session, read-only: what a `validate` hook gets.
    #[must_use]
    pub fn view(&self) -> &SessionView {
        &self.view
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
    /// non-string keys), [`SessionError::TooDeep`] if it nests arrays and objects deeper than
    /// [`MAX_DEPTH`](crate::token::MAX_DEPTH) (so that every session written opens again),
    /// [`SessionError::TooLarge`] if the token would pass the size cap.
    #[doc(alias = "set")]
    pub fn insert<T: Serialize>(&self, key: &str, value: T) -> Result<(), SessionError> {
        // Serialized once, outside the lock; kept as text until read.
        let raw = Data::to_raw(&value).inspect_err(metrics::insert_error)?;
        let mut guard = self.lock();
        let state = &mut *guard;
        let limits = &state.limits;
        // One look-up of the key: an equal value is no change, a value past the cap none either.
        // `destroy` emptied the data, so a destroyed session never holds the value already.
        if state
            .data
            .insert_raw(key, raw, |json_len| limits.fits(json_len))
            .inspect_err(metrics::insert_error)?
        {
            // The new value is all a revived session holds.
            state.revive();
            state.changed = true;
        }
        Ok(())
    }

    /// Removes the value under `key` and returns it converted to `T`, as [`SessionView::get`]
    /// reads it; `None` if there was none. A value that does not convert to `T` stays where it
    /// is, and the error says so.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if the stored value does not convert to `T` (nothing is removed).
    pub fn remove<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        let mut state = self.lock();
        let Some(typed) = state.data.get::<T>(key)? else {
            return Ok(None);
        };
        state.data.remove(key);
        state.changed = true;
        Ok(Some(typed))
    }

    /// Removes the value under `key` and returns it as JSON; `None` if there was none.
    // Not `must_use`: removing for the effect alone is the common case, as with `HashMap::remove`.
    #[allow(clippy::must_use_candidate)]
    pub fn remove_value(&self, key: &str) -> Option<Value> {
        let mut state = self.lock();
        let old = state.data.remove(key)?;
        state.changed = true;
        // Every stored text was checked as JSON when it was made.
        Some(serde_json::from_str(&old).unwrap_or(Value::Null))
    }

    /// Removes every value, keeping the session (its id and times).
    pub fn clear(&self) {
        let mut state = self.lock();
        if !state.data.is_empty() {
            state.data.clear();
            state.changed = true;
        }
    }

    /// Gives this session its own lifetime (e.g. 30 days for "remember me") from now on. The
    /// absolute lifetime still bounds it: there is no per-session absolute lifetime (the token
    /// format has no field for one), so a max age longer than the configured absolute lifetime
    /// ends at the absolute lifetime all the same. After a login, call it after
    /// [`Session::regenerate`], which counts the absolute lifetime from the login. A zero max age makes the token expire at once.
    #[doc(alias = "maxAge")]
    pub fn set_max_age(&self, max_age: Duration) {
        let mut state = self.lock();
        state.max_age_ms = duration_ms(max_age);
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

    /// Starts the session anew for a login: clears the data, draws a new id, and counts its
    /// age (the absolute lifetime) from now, with the configured max age. It stays on its line
    /// (so the client's parallel-request rule still knows it) and its next token carries one
    /// more generation. Call it when a user logs in, then insert who they are.
    ///
    /// [`Session::cycle_id`] keeps the data and the creation time; `regenerate` is the only
    /// call that restarts the absolute lifetime (OWASP counts it from authentication), so an
    /// anonymous session 29 days old does not end a day after the login.
    #[doc(alias = "login")]
    pub fn regenerate(&self) {
        let mut state = self.lock();
        state.revive();
        let now = state.limits.now_ms;
        state.data.clear();
        state.sid = None;
        state.created_ms = now;
        state.max_age_ms = state.limits.max_age_ms;
        state.expires_ms = state.expiry_from(now);
        state.changed = true;
        state.regenerated = true;
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

    /// Seals this session's changes (and any re-issue) even if the handler answers with a
    /// server error (5xx). By default a 5xx issues no token: the client keeps the one it sent,
    /// so a handler that fails half-way through a change (a login whose last insert failed,
    /// say) commits nothing. `destroy` and `revoke` clear the client's token whatever the status.
    pub fn commit_on_error(&self) {
        self.lock().commit_on_error = true;
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
        self.destroy();
        let mut state = self.lock();
        state.revoked = state.token.or(state.unverified);
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.view, f)
    }
}

mod outcome;
#[cfg(test)]
mod tests;
mod view;

pub(crate) use outcome::{Failure, Reissue, Revocation, TokenUpdate};
pub use view::SessionView;
