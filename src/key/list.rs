//! [`Keys`]: the rotation list, and which of its keys seals at a given time.

use std::fmt;

use zeroize::Zeroizing;

use super::{Key, KeyId};
use crate::error::KeyError;

/// An ordered, non-empty list of keys with distinct key ids: every key opens, one seals.
///
/// In a list without times (what [`Keys::new`], [`Keys::parse`] and `SESSION_KEYS` make) the
/// first key seals. A key may also carry a time from which it seals ([`Keys::timed`], or
/// `seal-after=` in a key file): before that time it only opens, and the key that seals at a
/// time `t` is the first key of the list whose time has passed ([`Keys::sealing_index_at`]). A
/// token opened by a key listed after that one is re-sealed with it; one opened by a key listed
/// before it (a newer key whose time has not come on this instance yet) is kept as it is.
///
/// To rotate across a fleet in one step, put the new key first with a time a few minutes
/// ahead (every instance must know the key by then): the guide's *Key rotation* page. Without
/// times it takes three: add the new key *second* on every instance, then move it *first* on
/// every instance, then, once the old tokens have expired or been re-sealed, drop the old key.
#[derive(Clone, PartialEq, Eq)]
pub struct Keys {
    keys: Vec<Key>,
    /// For each key, the Unix time in ms from which it seals; `None`: always.
    seal_after: Vec<Option<u64>>,
}

/// What a key of a list does at a given time ([`Keys::state_at`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyState {
    /// It seals new tokens (and opens).
    Sealing,
    /// It only opens: a key listed after the sealing one, being rotated out (or kept to open
    /// what it sealed).
    OpeningOnly,
    /// It opens, and will seal from this Unix time in ms (listed before the sealing key).
    SealingFrom(u64),
}

impl Keys {
    /// A rotation list from keys, the sealing key first.
    ///
    /// # Errors
    ///
    /// [`KeyError::Empty`] for an empty list, [`KeyError::DuplicateKid`] if two keys share an id.
    pub fn new(keys: Vec<Key>) -> Result<Self, KeyError> {
        Self::timed(keys.into_iter().map(|key| (key, None)))
    }

    /// A rotation list from keys each with the Unix time in ms from which it seals (`None`:
    /// always), in the list's order.
    ///
    /// ```
    /// use sealed_session::{Key, Keys};
    /// let (old, new) = (Key::generate(), Key::generate());
    /// let at = 1_796_464_800_000; // 2026-12-05T10:00:00Z
    /// let keys = Keys::timed([(new.clone(), Some(at)), (old.clone(), None)])?;
    /// assert_eq!(keys.sealing_at(at - 1), &old);
    /// assert_eq!(keys.sealing_at(at), &new);
    /// # Ok::<(), sealed_session::KeyError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`Keys::new`].
    pub fn timed(keys: impl IntoIterator<Item = (Key, Option<u64>)>) -> Result<Self, KeyError> {
        let (keys, seal_after): (Vec<Key>, Vec<Option<u64>>) = keys.into_iter().unzip();
        if keys.is_empty() {
            return Err(KeyError::Empty);
        }
        if let Some(i) = first_duplicate(&keys) {
            return Err(KeyError::DuplicateKid {
                kid: keys[i].id.to_string(),
            });
        }
        Ok(Self { keys, seal_after })
    }

    /// A list of one key.
    #[must_use]
    pub fn single(key: Key) -> Self {
        Self {
            keys: vec![key],
            seal_after: vec![None],
        }
    }

    /// Parses comma-separated base64 keys, the sealing key first. Blanks around keys are ignored.
    ///
    /// # Errors
    ///
    /// Any [`KeyError`] except `MissingEnv`; `index` names the faulty key.
    pub fn parse(list: &str) -> Result<Self, KeyError> {
        let parts = || list.split(',').filter(|part| !part.trim().is_empty());
        let count = parts().count();
        let keys = parts()
            .enumerate()
            .map(|(index, part)| Key::parse_at(part, index, count))
            .collect::<Result<Vec<_>, _>>()?;
        Self::new(keys)
    }

    /// Reads and parses the environment variable `name` (e.g. `"SESSION_KEYS"`), as [`Keys::parse`].
    ///
    /// # Errors
    ///
    /// [`KeyError::MissingEnv`] if it is unset, else as [`Keys::parse`].
    pub fn from_env(name: &str) -> Result<Self, KeyError> {
        let value = Zeroizing::new(std::env::var(name).map_err(|_| KeyError::MissingEnv {
            name: name.to_owned(),
        })?);
        Self::parse(&value)
    }

    /// The first key of the list: in a list without times, the key that seals. In a list with
    /// times, the key that seals at a given time is [`Keys::sealing_at`].
    #[must_use]
    pub fn first(&self) -> &Key {
        &self.keys[0]
    }

    /// The position of the key that seals at `now_ms` (Unix ms): the first key whose time has
    /// passed (`seal_after <= now_ms`), a key without a time counting as passed. If no key's
    /// time has passed (a list made in code; a key file is refused so), the key whose time
    /// comes first.
    #[must_use]
    pub fn sealing_index_at(&self, now_ms: u64) -> usize {
        let passed = |t: &Option<u64>| t.is_none_or(|t| t <= now_ms);
        match self.seal_after.iter().position(passed) {
            Some(i) => i,
            None => (0..self.keys.len())
                .min_by_key(|&i| self.seal_after[i])
                .unwrap_or(0),
        }
    }

    /// The key that seals at `now_ms` (Unix ms): see [`Keys::sealing_index_at`].
    #[must_use]
    pub fn sealing_at(&self, now_ms: u64) -> &Key {
        &self.keys[self.sealing_index_at(now_ms)]
    }

    /// Whether some key seals at `now_ms` by its own time (not by the fallback of
    /// [`Keys::sealing_index_at`]).
    #[must_use]
    pub fn has_sealing_key_at(&self, now_ms: u64) -> bool {
        self.seal_after
            .iter()
            .any(|t| t.is_none_or(|t| t <= now_ms))
    }

    /// The Unix time in ms from which key `index` seals, if it has one.
    #[must_use]
    pub fn seal_after_ms(&self, index: usize) -> Option<u64> {
        self.seal_after.get(index).copied().flatten()
    }

    /// What key `index` does at `now_ms` (Unix ms); `None` past the end of the list.
    #[must_use]
    pub fn state_at(&self, index: usize, now_ms: u64) -> Option<KeyState> {
        let sealing = self.sealing_index_at(now_ms);
        let time = *self.seal_after.get(index)?;
        Some(match (index.cmp(&sealing), time) {
            (std::cmp::Ordering::Equal, _) => KeyState::Sealing,
            (std::cmp::Ordering::Less, Some(t)) => KeyState::SealingFrom(t),
            _ => KeyState::OpeningOnly,
        })
    }

    /// All keys, in the list's order.
    #[must_use]
    pub fn as_slice(&self) -> &[Key] {
        &self.keys
    }

    /// The position of the key with this id, if any.
    #[must_use]
    pub fn position(&self, id: KeyId) -> Option<usize> {
        self.keys.iter().position(|k| k.id == id)
    }
}

/// The position of the first key whose id an earlier key has.
fn first_duplicate(keys: &[Key]) -> Option<usize> {
    (0..keys.len()).find(|&i| keys[..i].iter().any(|k| k.id == keys[i].id))
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.keys.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: u64 = 1_796_464_800_000;

    fn two_timed() -> (Keys, Key, Key) {
        let (old, new) = (Key::from_bytes([1; 32]), Key::from_bytes([2; 32]));
        let keys = Keys::timed([(new.clone(), Some(AT)), (old.clone(), None)]).unwrap();
        (keys, old, new)
    }

    #[test]
    fn a_list_without_times_seals_with_its_first_key_at_any_time() {
        let (a, b) = (Key::from_bytes([1; 32]), Key::from_bytes([2; 32]));
        let keys = Keys::new(vec![a.clone(), b]).unwrap();
        for now in [0, AT, u64::MAX] {
            assert_eq!(keys.sealing_index_at(now), 0);
            assert_eq!(keys.sealing_at(now), &a);
            assert_eq!(keys.state_at(1, now), Some(KeyState::OpeningOnly));
        }
        assert_eq!(keys.state_at(2, AT), None);
    }

    #[test]
    fn a_timed_key_seals_from_its_time_on_the_millisecond() {
        let (keys, old, new) = two_timed();
        assert_eq!(keys.sealing_at(AT - 1), &old);
        assert_eq!(keys.sealing_at(AT), &new);
        assert_eq!(keys.sealing_at(AT + 1), &new);
        assert_eq!(keys.state_at(0, AT - 1), Some(KeyState::SealingFrom(AT)));
        assert_eq!(keys.state_at(1, AT - 1), Some(KeyState::Sealing));
        assert_eq!(keys.state_at(0, AT), Some(KeyState::Sealing));
        assert_eq!(keys.state_at(1, AT), Some(KeyState::OpeningOnly));
        assert_eq!(
            (
                keys.seal_after_ms(0),
                keys.seal_after_ms(1),
                keys.seal_after_ms(9)
            ),
            (Some(AT), None, None)
        );
        assert!(keys.has_sealing_key_at(0));
    }

    #[test]
    fn with_no_time_passed_the_earliest_key_seals() {
        let (a, b, c) = (
            Key::from_bytes([1; 32]),
            Key::from_bytes([2; 32]),
            Key::from_bytes([3; 32]),
        );
        let keys = Keys::timed([
            (a, Some(AT + 2)),
            (b.clone(), Some(AT + 1)),
            (c, Some(AT + 3)),
        ])
        .unwrap();
        assert!(!keys.has_sealing_key_at(AT));
        assert_eq!(keys.sealing_at(AT), &b);
        assert!(keys.has_sealing_key_at(AT + 1));
        // At AT + 2 the first key's time has passed: it seals, although b's passed earlier.
        assert_eq!(keys.sealing_index_at(AT + 2), 0);
    }

    #[test]
    fn timed_lists_are_checked_as_plain_ones() {
        let key = Key::from_bytes([1; 32]);
        assert_eq!(Keys::timed([]), Err(KeyError::Empty));
        let err = Keys::timed([(key.clone(), None), (key.clone(), Some(AT))]).unwrap_err();
        assert_eq!(
            err,
            KeyError::DuplicateKid {
                kid: key.id().to_string()
            }
        );
    }
}
