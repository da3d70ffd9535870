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

/// A platform's code as its answer holds it: a number (`errcode`, `err_no`, `result`, `errno`)
/// or a text (Baidu's OAuth 2.0 `error`, Alipay's `code` and `sub_code`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A number.
    Number(i64),
    /// A text.
    Text(&'static str),
}

impl Code {
    /// Whether `code`, as the answer has it (a number as its decimal text), is this code.
    pub fn is(self, code: &str) -> bool {
        match self {
            Self::Number(number) => code.parse() == Ok(number),
            Self::Text(text) => text == code,
        }
    }
}

/// One of a platform's codes, and what it means.
#[derive(Debug)]
pub struct Documented {
    /// The code.
    pub code: Code,
    /// Which outcome it is.
    pub class: Class,
    /// What it means, for the error's text.
    pub meaning: &'static str,
}

impl Documented {
    /// A code that says the login code is at fault.
    pub const fn bad_code(code: Code, meaning: &'static str) -> Self {
        Self::new(code, Class::BadCode, meaning)
    }

    /// A code that says the user (or the app) logs in too often.
    pub const fn rate_limited(code: Code, meaning: &'static str) -> Self {
        Self::new(code, Class::RateLimited, meaning)
    }

    /// A code that refuses this login for the platform's own reasons.
    pub const fn refused(code: Code, meaning: &'static str) -> Self {
        Self::new(code, Class::Refused, meaning)
    }

    /// A code that says the platform failed (busy, system error): try again.
    pub const fn upstream(code: Code, meaning: &'static str) -> Self {
        Self::new(code, Class::Upstream, meaning)
    }

    /// A code that says the app's settings are wrong (app id, secret, key, permission).
    pub const fn config(code: Code, meaning: &'static str) -> Self {
        Self::new(code, Class::Config, meaning)
    }

    const fn new(code: Code, class: Class, meaning: &'static str) -> Self {
        Self {
            code,
            class,
            meaning,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Code::{Number, Text};

    #[test]
    fn a_code_is_the_one_its_answer_writes() {
        assert!(Number(-1).is("-1") && Number(40029).is("40029"));
        assert!(Text("invalid_grant").is("invalid_grant") && Text("40006").is("40006"));
        for (code, written) in [(Number(1), "x"), (Number(1), ""), (Text("a"), "A")] {
            assert!(!code.is(written), "{code:?} {written}");
        }
    }
}
