//! [`SessionView`]: everything that can be read of a session, for handlers (through
//! [`Session`](super::Session), which derefs to it) and for the `validate` hook (which gets it
//! alone, read-only).

use std::{
    fmt,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use serde::de::DeserializeOwned;
use serde_json::Value;
use time::{OffsetDateTime, PrimitiveDateTime};

use super::State;
use crate::{error::SessionError, token::SessionId};

/// Read access to a session: its values, id and times.
///
/// A [`Session`](super::Session) derefs to it, so a handler calls these methods on its session
/// directly; a [`validate`](crate::SessionConfig::with_validate) hook gets a `SessionView` and
/// can only read. Clones share one state.
#[derive(Clone)]
pub struct SessionView {
    pub(super) state: Arc<Mutex<State>>,
}

fn datetime(ms: u64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(PrimitiveDateTime::MAX.assume_utc())
}

impl SessionView {
    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
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
        // Only this value is parsed, now.
        self.lock().data.get(key)
    }

    /// The JSON value under `key`, parsed now. `None` also for stored JSON that a `Value` cannot
    /// hold (see [`Data::get_value`](crate::token::Data::get_value)); [`SessionView::get`] into
    /// `Value` says why.
    #[must_use]
    pub fn get_value(&self, key: &str) -> Option<Value> {
        self.lock().data.get_value(key)
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
        self.lock().data.keys().map(str::to_owned).collect()
    }

    /// The session id: random, kept across re-seals, replaced by
    /// [`Session::cycle_id`](super::Session::cycle_id).
    ///
    /// A new session's id is drawn when first asked for, and kept only if the session is
    /// written in this request: the id of a new, untouched session is not the one its next
    /// request sees.
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

    /// [`SessionView::expires_at`] in Unix ms.
    #[must_use]
    pub fn expires_ms(&self) -> u64 {
        self.lock().expires_ms
    }

    /// The write generation of the token this request brought: 0 for a new session or a
    /// version 1 token. If the session changes, the response's token carries one more; a
    /// re-seal that changes nothing keeps it. See `docs/token-format.md`, *Line and generation*.
    #[must_use]
    pub fn generation(&self) -> u32 {
        self.lock().opened_generation()
    }

    /// This session's lifetime: the configured max age, or what
    /// [`Session::set_max_age`](super::Session::set_max_age) set.
    #[must_use]
    pub fn max_age(&self) -> Duration {
        Duration::from_millis(self.lock().max_age_ms)
    }

    /// Whether [`Session::destroy`](super::Session::destroy) or
    /// [`Session::revoke`](super::Session::revoke) was called and the session was not revived
    /// since (by `insert` or `cycle_id`, which start a new session).
    #[must_use]
    pub fn is_destroyed(&self) -> bool {
        self.lock().destroyed
    }
}

impl fmt::Debug for SessionView {
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
