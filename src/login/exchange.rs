//! [`MiniProgramLogin`]: the one shape every platform's client has, usable as a `dyn`.

use std::{future::Future, pin::Pin};

use super::{
    error::LoginError,
    identity::{Identity, LoginCode, Platform},
};

/// The future an exchange returns (boxed, so that the trait can be used as `dyn`).
pub type LoginFuture<'a> = Pin<Box<dyn Future<Output = Result<Identity, LoginError>> + Send + 'a>>;

/// A platform's login exchange: the one shape every platform's client has.
pub trait MiniProgramLogin: Send + Sync + std::fmt::Debug {
    /// The platform this client logs in with.
    fn platform(&self) -> Platform;

    /// Exchanges the client's login code with the platform for the user's identity.
    ///
    /// # Errors
    ///
    /// A [`LoginError`]: a code the platform refuses ([`LoginError::is_bad_code`]), one of its
    /// other codes, a broken or late answer, or a failed connection.
    fn exchange<'a>(&'a self, code: &'a LoginCode) -> LoginFuture<'a>;
}
