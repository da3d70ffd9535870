//! [`SessionKeys`]: what a codec seals and opens with, a fixed [`Keys`] or a reloading
//! `KeySource`.

use std::{fmt, sync::Arc};

#[cfg(feature = "key-file")]
use super::KeySource;
use super::Keys;

/// The keys a [`Codec`](crate::token::Codec) (and so a layer) seals and opens with: a fixed
/// [`Keys`] list, or (feature `key-file`) a [`KeySource`] whose list changes while the server
/// runs. Made by `From`: [`SessionConfig::new`](crate::SessionConfig::new) and
/// [`Codec::new`](crate::token::Codec::new) take either.
#[derive(Clone)]
pub struct SessionKeys(Ring);

#[derive(Clone)]
enum Ring {
    Fixed(Arc<Keys>),
    #[cfg(feature = "key-file")]
    Source(KeySource),
}

impl SessionKeys {
    /// The list in use now.
    #[must_use]
    pub fn current(&self) -> Arc<Keys> {
        match &self.0 {
            Ring::Fixed(keys) => Arc::clone(keys),
            #[cfg(feature = "key-file")]
            Ring::Source(source) => source.current(),
        }
    }

    /// Calls `f` with the list in use now: one load, for everything one token needs.
    #[inline]
    pub(crate) fn with<R>(&self, f: impl FnOnce(&Keys) -> R) -> R {
        match &self.0 {
            Ring::Fixed(keys) => f(keys),
            #[cfg(feature = "key-file")]
            Ring::Source(source) => source.with(f),
        }
    }
}

impl From<Keys> for SessionKeys {
    fn from(keys: Keys) -> Self {
        Self(Ring::Fixed(Arc::new(keys)))
    }
}

#[cfg(feature = "key-file")]
impl From<KeySource> for SessionKeys {
    fn from(source: KeySource) -> Self {
        Self(Ring::Source(source))
    }
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Ring::Fixed(keys) => keys.fmt(f),
            #[cfg(feature = "key-file")]
            Ring::Source(source) => source.fmt(f),
        }
    }
}
