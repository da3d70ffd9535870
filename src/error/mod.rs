//! Every error of the crate, grouped by the moment it can happen.
//!
//! - start-up: [`KeyError`] and [`ConfigError`] (and `KeyFileError`, feature `key-file`, at a
//!   key file's reload too), returned by the constructors so a running
//!   application can never hold a bad configuration;
//! - per request: a bad token is never an error; it is a [`Refusal`], reported as a `tracing`
//!   event, and the handler simply gets a new, empty session;
//! - in a handler, and when a token is sealed: [`SessionError`], from
//!   [`Session::insert`](crate::Session::insert), [`Session::get`](crate::Session::get) and
//!   [`Codec::seal`](crate::token::Codec::seal) (the layer turns a failed seal into a `500`);
//! - anywhere randomness is drawn: [`RandomError`], the one home of a failing CSPRNG.
//!
//! Each `Display` says its own level only; the cause, if any, is its `source()` (hyper's rule),
//! so an error reporter that walks the chain prints each message once.
//!
//! No error text ever contains key bytes, token bytes or session data.

use std::fmt;

mod config;
mod key;
#[cfg(feature = "key-file")]
mod key_file;
mod random;
mod refusal;
mod session;
#[cfg(test)]
mod tests;

pub use config::ConfigError;
pub use key::{KeyError, KeyHint};
#[cfg(feature = "key-file")]
pub use key_file::{KeyFileError, KeyFileProblem};
pub use random::RandomError;
pub use refusal::Refusal;
pub use session::SessionError;

/// Writes an error as a user should see it when `main` returns it: its `Display`, each cause
/// on a line of its own, then which error it is. `{:#?}` writes the same.
pub(crate) fn report(
    f: &mut fmt::Formatter<'_>,
    error: &dyn std::error::Error,
    what: &str,
) -> fmt::Result {
    write!(f, "{error}")?;
    let mut source = error.source();
    while let Some(cause) = source {
        write!(f, "\n  caused by: {cause}")?;
        source = cause.source();
    }
    write!(f, "\n  ({what})")
}
