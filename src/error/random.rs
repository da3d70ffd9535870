//! [`RandomError`]: the one home of a failing CSPRNG.

use std::fmt;

/// The operating system's random number generator failed: no key, nonce, session id or line can
/// be drawn. This crate draws randomness from nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RandomError;

impl fmt::Display for RandomError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the operating system's random number generator failed")
    }
}

impl std::error::Error for RandomError {}

impl RandomError {
    /// Fills `bytes` from the operating system's CSPRNG.
    pub(crate) fn fill(bytes: &mut [u8]) -> Result<(), Self> {
        getrandom::fill(bytes).map_err(|_| Self)
    }

    /// `N` bytes from the operating system's CSPRNG.
    pub(crate) fn bytes<const N: usize>() -> Result<[u8; N], Self> {
        let mut bytes = [0u8; N];
        Self::fill(&mut bytes)?;
        Ok(bytes)
    }
}
