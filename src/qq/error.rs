//! What can go wrong with QQ: building the client ([`QqConfigError`]) and an exchange
//! ([`QqError`]). No error text contains the app secret, the login code, the session key or the
//! body of QQ's answer.

use std::{error::Error, fmt};

use crate::login::{http::HttpFailure, jscode::JsCodeFailure};

type Source = Box<dyn Error + Send + Sync>;

/// Why a `qq.login` code could not be exchanged.
#[derive(Debug)]
#[non_exhaustive]
pub enum QqError {
    /// The code is empty, longer than [`MAX_CODE_LEN`](super::MAX_CODE_LEN) or not printable
    /// ASCII; it was not sent to QQ.
    BadCode,
    /// errcode `40029`: QQ does not know the code (mistyped, expired, used, or from another app).
    InvalidCode,
    /// errcode `45011`: too many logins for this user (QQ's limit is 100 a minute per user).
    RateLimited,
    /// errcode `-1`: QQ is busy; try again in a moment.
    SystemBusy,
    /// Any other non-zero errcode (e.g. a wrong app id or app secret).
    Other {
        /// QQ's `errcode`.
        code: i64,
        /// QQ's `errmsg`, cut to 200 characters.
        msg: String,
    },
    /// QQ answered with an HTTP status other than 200.
    Status {
        /// The status code.
        status: u16,
    },
    /// The answer's body is not the JSON object QQ documents.
    NotJson,
    /// The answer is JSON without an error code, but lacks a field a login needs.
    MissingField {
        /// `"openid"` or `"session_key"`.
        field: &'static str,
    },
    /// The answer is longer than [`MAX_ANSWER_LEN`](super::MAX_ANSWER_LEN).
    AnswerTooLarge,
    /// No complete answer within the configured timeout.
    Timeout,
    /// The request could not be sent or the answer not read (DNS, connection, TLS, ...).
    Transport(Source),
}

impl QqError {
    /// QQ's `errcode` behind this error, if QQ sent one.
    #[must_use]
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Self::InvalidCode => Some(40029),
            Self::RateLimited => Some(45011),
            Self::SystemBusy => Some(-1),
            Self::Other { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// `true` when the code the client sent is at fault ([`BadCode`](Self::BadCode),
    /// [`InvalidCode`](Self::InvalidCode)): answer `400`; the client should call `qq.login` again.
    #[must_use]
    pub fn is_bad_code(&self) -> bool {
        matches!(self, Self::BadCode | Self::InvalidCode)
    }

    pub(crate) fn from_failure(failure: JsCodeFailure) -> Self {
        match failure {
            JsCodeFailure::Http(HttpFailure::Status(status)) => Self::Status { status },
            JsCodeFailure::Http(HttpFailure::TooLarge) => Self::AnswerTooLarge,
            JsCodeFailure::Http(HttpFailure::Timeout) => Self::Timeout,
            JsCodeFailure::Http(HttpFailure::Transport(e)) => Self::Transport(e),
            JsCodeFailure::NotJson => Self::NotJson,
            JsCodeFailure::MissingField(field) => Self::MissingField { field },
            JsCodeFailure::Errcode { code, msg } => match code {
                40029 => Self::InvalidCode,
                45011 => Self::RateLimited,
                -1 => Self::SystemBusy,
                code => Self::Other {
                    code,
                    msg: crate::login::jscode::cut(msg.as_deref()),
                },
            },
        }
    }
}

impl fmt::Display for QqError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadCode => write!(
                f,
                "the login code is empty, longer than {} characters or not printable ASCII: \
                 send the code from qq.login as it is",
                super::MAX_CODE_LEN
            ),
            Self::InvalidCode => f.write_str(
                "QQ refused the login code as invalid (errcode 40029): call qq.login again and \
                 send the new code (a code works once); check that the app id is the mini program's",
            ),
            Self::RateLimited => f.write_str(
                "QQ refused the login as too frequent for this user (errcode 45011): try again later",
            ),
            Self::SystemBusy => f.write_str("QQ is busy (errcode -1): try again in a moment"),
            Self::Other { code, msg } => write!(
                f,
                "QQ refused the login: errcode {code}, {msg:?}; check QQ_APPID and QQ_SECRET"
            ),
            Self::Status { status } => write!(
                f,
                "QQ's API answered with HTTP status {status} instead of 200: check the API base URL"
            ),
            Self::NotJson => f.write_str(
                "QQ's API answered with something that is not a JSON object: check the API base URL",
            ),
            Self::MissingField { field } => {
                write!(f, "QQ's answer has no error code and no `{field}`")
            }
            Self::AnswerTooLarge => write!(
                f,
                "QQ's answer is longer than {} bytes: check the API base URL",
                super::MAX_ANSWER_LEN
            ),
            Self::Timeout => f.write_str("QQ's API did not answer within the timeout"),
            Self::Transport(_) => f.write_str(
                "could not reach QQ's API (connection, TLS or a broken answer; see the source)",
            ),
        }
    }
}

impl Error for QqError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Why a [`QqClient`](super::QqClient) could not be built.
#[non_exhaustive]
pub enum QqConfigError {
    /// `QQ_APPID` or `QQ_SECRET` is not set (or not UTF-8).
    MissingEnv {
        /// The variable's name.
        name: &'static str,
    },
    /// The app id or the app secret is empty.
    Empty {
        /// `"app id"` or `"app secret"`.
        what: &'static str,
    },
    /// The API base URL is not an `http` or `https` URL without query or fragment.
    BadApiBase {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The timeout is zero.
    ZeroTimeout,
    /// The HTTP client could not be built (its TLS setup failed).
    HttpClient(Source),
}

impl fmt::Display for QqConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingEnv { name } => write!(
                f,
                "environment variable {name} is not set: set QQ_APPID and QQ_SECRET to the QQ \
                 mini program's app id and app secret"
            ),
            Self::Empty { what } => write!(f, "the QQ {what} is empty"),
            Self::BadApiBase { reason } => write!(
                f,
                "the QQ API base URL is not usable: {reason}; expected e.g. {}",
                super::DEFAULT_API_BASE
            ),
            Self::ZeroTimeout => f.write_str("the QQ API timeout is zero: give it a few seconds"),
            Self::HttpClient(_) => f.write_str("the HTTP client for QQ's API could not be built"),
        }
    }
}

impl Error for QqConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::HttpClient(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// What `main` prints when it returns this error: the message and its causes, not the variant.
impl fmt::Debug for QqConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::error::report(f, self, "QqConfigError")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_errcodes_have_their_own_variants() {
        for (code, expected) in [
            (40029, "InvalidCode"),
            (45011, "RateLimited"),
            (-1, "SystemBusy"),
        ] {
            let e = QqError::from_failure(JsCodeFailure::Errcode { code, msg: None });
            assert_eq!(format!("{e:?}"), expected);
            assert_eq!(e.errcode(), Some(code));
            assert!(e.to_string().contains(&format!("errcode {code}")), "{e}");
        }
        assert!(QqError::InvalidCode.is_bad_code() && !QqError::SystemBusy.is_bad_code());
    }
}
