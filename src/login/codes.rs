//! What a platform's own codes mean: each [`Documented`] code is one [`Class`] of outcome, and
//! says what it means in the error's text.

/// The outcome of a platform's code (see [`LoginError`](super::LoginError)'s table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// The login code is at fault.
    BadCode,
    /// Too many logins.
    RateLimited,
    /// The platform refuses, for its own reasons.
    Refused,
    /// The platform failed; try again.
    Upstream,
    /// The app's settings are wrong.
    Config,
}

/// One of a platform's codes, and what it means.
#[derive(Debug)]
pub struct Documented {
    /// The code as the platform writes it (numbers as their decimal text).
    pub code: &'static str,
    /// Which outcome it is.
    pub class: Class,
    /// What it means, for the error's text.
    pub meaning: &'static str,
}

impl Documented {
    /// A code that says the login code is at fault.
    pub const fn bad_code(code: &'static str, meaning: &'static str) -> Self {
        Self::new(code, Class::BadCode, meaning)
    }

    /// A code that says the user (or the app) logs in too often.
    pub const fn rate_limited(code: &'static str, meaning: &'static str) -> Self {
        Self::new(code, Class::RateLimited, meaning)
    }

    /// A code that refuses this login for the platform's own reasons.
    pub const fn refused(code: &'static str, meaning: &'static str) -> Self {
        Self::new(code, Class::Refused, meaning)
    }

    /// A code that says the platform failed (busy, system error): try again.
    pub const fn upstream(code: &'static str, meaning: &'static str) -> Self {
        Self::new(code, Class::Upstream, meaning)
    }

    /// A code that says the app's settings are wrong (app id, secret, key, permission).
    pub const fn config(code: &'static str, meaning: &'static str) -> Self {
        Self::new(code, Class::Config, meaning)
    }

    const fn new(code: &'static str, class: Class, meaning: &'static str) -> Self {
        Self {
            code,
            class,
            meaning,
        }
    }
}
