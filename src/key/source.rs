//! [`KeySource`]: a key list that changes while the server runs, read from a key file or
//! pushed by the application (feature `key-file`).

use std::{
    fmt,
    path::{Path, PathBuf},
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use arc_swap::ArcSwap;
use sha2::{Digest, Sha256};

use super::Keys;
use crate::{
    clock::{Clock, SystemClock},
    error::{KeyFileError, KeyFileProblem},
    metrics,
};

/// A key list that can change while the server runs: read from a key file
/// (`docs/key-file.md`) and re-read by [`KeySource::reload`] (or periodically by
/// [`KeySource::watch`]), or replaced by the application ([`KeySource::replace`], for keys from
/// a secrets manager). Hand it to [`SessionConfig::new`](crate::SessionConfig::new) (or
/// [`Codec::new`](crate::token::Codec::new)) instead of a [`Keys`]; clones share the list.
///
/// A request only loads the current list (an atomic pointer load, `arc-swap`): it never reads
/// the file and never waits for a reload. A reload compares the bytes read with the last good
/// ones by their hash, not by the file's time, so a file replaced by a rename (a Kubernetes
/// secret volume swaps a symlink to a new directory) is seen. A file that is refused keeps the
/// last good list, logs an error naming the line and what is wrong (never the line), and is
/// counted (`sealed_session_key_reloads_total{outcome="refused"}` with the feature `metrics`).
///
/// ```no_run
/// use std::time::Duration;
/// use sealed_session::{KeySource, SessionConfig, SessionLayer};
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let keys = KeySource::from_file("/run/secrets/session/keys")?;
/// tokio::spawn(keys.clone().watch(Duration::from_secs(30)));
/// let layer = SessionLayer::new(SessionConfig::new(keys))?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct KeySource {
    inner: Arc<Inner>,
}

struct Inner {
    current: ArcSwap<Keys>,
    path: Option<PathBuf>,
    clock: Arc<dyn Clock>,
    /// The hash of the bytes of the file last loaded; held while reloading, so reloads take
    /// turns.
    loaded: Mutex<Option<[u8; 32]>>,
}

/// What a [`KeySource::reload`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reload {
    /// The file holds what was loaded last (or the source has no file): nothing changed.
    Unchanged,
    /// The file changed and its new list is in use.
    Changed,
}

impl KeySource {
    /// Reads the key file at `path` now, with the system clock deciding which key seals.
    ///
    /// # Errors
    ///
    /// A [`KeyFileError`] for a file that cannot be read or is refused: at start-up, that is the
    /// end (there is no last good list to keep).
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, KeyFileError> {
        Self::from_file_with_clock(path, SystemClock)
    }

    /// [`KeySource::from_file`] with a clock of your own (a [`ManualClock`](crate::ManualClock)
    /// in tests): the clock that decides, at each load, whether some key seals now.
    ///
    /// # Errors
    ///
    /// As [`KeySource::from_file`].
    pub fn from_file_with_clock(
        path: impl AsRef<Path>,
        clock: impl Clock,
    ) -> Result<Self, KeyFileError> {
        let path = path.as_ref().to_owned();
        let clock: Arc<dyn Clock> = Arc::new(clock);
        let (keys, hash) = load(&path, clock.as_ref())?;
        Ok(Self {
            inner: Arc::new(Inner {
                current: ArcSwap::from_pointee(keys),
                path: Some(path),
                clock,
                loaded: Mutex::new(Some(hash)),
            }),
        })
    }

    /// A source without a file, holding `keys` until [`KeySource::replace`] puts others.
    #[must_use]
    pub fn from_keys(keys: Keys) -> Self {
        Self {
            inner: Arc::new(Inner {
                current: ArcSwap::from_pointee(keys),
                path: None,
                clock: Arc::new(SystemClock),
                loaded: Mutex::new(None),
            }),
        }
    }

    /// The list in use now.
    #[must_use]
    pub fn current(&self) -> Arc<Keys> {
        self.inner.current.load_full()
    }

    /// Calls `f` with the list in use now, without counting a reference.
    #[inline]
    pub(crate) fn with<R>(&self, f: impl FnOnce(&Keys) -> R) -> R {
        f(&self.inner.current.load())
    }

    /// Re-reads the file now. A file whose bytes are those loaded last changes nothing; a new
    /// one is loaded and put in use at once; a refused one changes nothing and is reported (an
    /// `error` event and the metric), every time it is read, until it is fixed.
    ///
    /// It reads the file on the calling thread (at most 64 KiB): call it from a task of its own
    /// ([`KeySource::watch`] does), not from a request.
    ///
    /// # Errors
    ///
    /// The [`KeyFileError`] of a refused file; the last good list stays in use.
    pub fn reload(&self) -> Result<Reload, KeyFileError> {
        let Some(path) = &self.inner.path else {
            return Ok(Reload::Unchanged);
        };
        let mut loaded = self
            .inner
            .loaded
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let outcome = read_and_hash(path).and_then(|(bytes, hash)| {
            if *loaded == Some(hash) {
                return Ok(Reload::Unchanged);
            }
            let keys = Keys::load_key_file(&bytes, self.inner.clock.now_ms())
                .map_err(|e| e.in_file(path.clone()))?;
            self.inner.current.store(Arc::new(keys));
            *loaded = Some(hash);
            Ok(Reload::Changed)
        });
        drop(loaded);
        report(&outcome);
        outcome
    }

    /// Puts `keys` in use now (keys from a secrets manager, say). A later
    /// [`KeySource::reload`] of a source read from a file loads the file again only when its
    /// bytes change.
    ///
    /// # Errors
    ///
    /// [`KeyFileProblem::NoneSealing`] if no key of `keys` seals now; the list in use stays.
    pub fn replace(&self, keys: Keys) -> Result<(), KeyFileError> {
        let outcome = if keys.has_sealing_key_at(self.inner.clock.now_ms()) {
            self.inner.current.store(Arc::new(keys));
            Ok(Reload::Changed)
        } else {
            Err(KeyFileError::new(None, KeyFileProblem::NoneSealing))
        };
        report(&outcome);
        outcome.map(|_| ())
    }

    /// Reloads every `every`, forever: spawn it on tokio
    /// (`tokio::spawn(source.clone().watch(every))`). The crate starts no task of its own.
    /// Each reload is [`KeySource::reload`]; a refused file is reported and the watch goes on.
    ///
    /// `keys rotate` refuses a `seal-after` less than 180 s ahead
    /// ([`DEFAULT_ROTATION_MARGIN`](crate::DEFAULT_ROTATION_MARGIN)), which is safe for an
    /// `every` of at most 60 s ([`RECOMMENDED_RELOAD_INTERVAL`](crate::RECOMMENDED_RELOAD_INTERVAL)).
    pub async fn watch(self, every: Duration) {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            // Reported by `reload`.
            let _ = self.reload();
        }
    }
}

/// The key file at `path`, loaded at the clock's time, and the hash of its bytes.
fn load(path: &Path, clock: &dyn Clock) -> Result<(Keys, [u8; 32]), KeyFileError> {
    let (bytes, hash) = read_and_hash(path)?;
    let keys =
        Keys::load_key_file(&bytes, clock.now_ms()).map_err(|e| e.in_file(path.to_owned()))?;
    Ok((keys, hash))
}

fn read_and_hash(path: &Path) -> Result<(zeroize::Zeroizing<Vec<u8>>, [u8; 32]), KeyFileError> {
    let bytes = super::file::read_capped(path).map_err(|e| e.in_file(path.to_owned()))?;
    let hash = Sha256::digest(bytes.as_slice()).into();
    Ok((bytes, hash))
}

/// The `error` event and the metric of a reload.
fn report(outcome: &Result<Reload, KeyFileError>) {
    match outcome {
        Ok(Reload::Unchanged) => metrics::key_reload("unchanged"),
        Ok(Reload::Changed) => {
            tracing::info!("session keys reloaded");
            metrics::key_reload("changed");
        }
        Err(error) => {
            tracing::error!(
                error = %error,
                reason = error.problem().code(),
                "session keys not reloaded: the last good list stays in use"
            );
            metrics::key_reload("refused");
        }
    }
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySource")
            .field("path", &self.inner.path)
            .field("current", &self.current())
            .finish_non_exhaustive()
    }
}
