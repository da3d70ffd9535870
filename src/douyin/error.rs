//! What can go wrong with Douyin: building the client ([`DouyinConfigError`]) and an exchange
//! ([`DouyinError`]). No error text contains the app secret, the codes, the session key or the
//! body of Douyin's answer.

use std::{error::Error, fmt};

use crate::login::http::HttpFailure;

type Source = Box<dyn Error + Send + Sync>;

/// Why a `tt.login` code could not be exchanged.
#[derive(Debug)]
#[non_exhaustive]
pub enum DouyinError {
    /// Neither a code nor an anonymous code worth sending (empty, longer than
    /// [`MAX_CODE_LEN`](super::MAX_CODE_LEN) or not printable ASCII); nothing was sent.
    BadCode,
    /// err_no `40018`: Douyin refuses the code (mistyped, expired, used, or another app's).
    InvalidCode,
    /// err_no `40019`: Douyin refuses the anonymous code.
    InvalidAnonymousCode,
    /// err_no `40014`: a parameter is missing or malformed.
    InvalidParams,
    /// err_no `40015`: Douyin does not know the app id.
    InvalidAppid,
    /// err_no `40017`: the app secret is wrong.
    InvalidSecret,
    /// err_no `-1`: Douyin's system error; try again.
    SystemError,
    /// Any other non-zero err_no.
    Other {
        /// Douyin's `err_no`.
        code: i64,
        /// Douyin's `err_tips`, cut to 200 characters.
        tips: String,
    },
    /// Douyin answered with an HTTP status other than 200.
    Status {
        /// The status code.
        status: u16,
    },
    /// The answer's body is not the JSON object Douyin documents.
    NotJson,
    /// The answer has `err_no` 0 but lacks a field a login needs.
    MissingField {
        /// `"data"`, `"openid"` or `"session_key"`.
        field: &'static str,
    },
    /// The answer is longer than [`MAX_ANSWER_LEN`](super::MAX_ANSWER_LEN).
    AnswerTooLarge,
    /// No complete answer within the configured timeout.
    Timeout,
    /// The request could not be sent or the answer not read.
    Transport(Source),
}

impl DouyinError {
    /// Douyin's `err_no` behind this error, if Douyin sent one.
    #[must_use]
    pub fn err_no(&self) -> Option<i64> {
        match self {
            Self::InvalidCode => Some(40018),
            Self::InvalidAnonymousCode => Some(40019),
            Self::InvalidParams => Some(40014),
            Self::InvalidAppid => Some(40015),
            Self::InvalidSecret => Some(40017),
            Self::SystemError => Some(-1),
            Self::Other { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// `true` when the codes the client sent are at fault: answer `400`, and the client should
    /// call `tt.login` again.
    #[must_use]
    pub fn is_bad_code(&self) -> bool {
        matches!(
            self,
            Self::BadCode | Self::InvalidCode | Self::InvalidAnonymousCode
        )
    }

    pub(crate) fn from_err_no(code: i64, tips: Option<&str>) -> Self {
        match code {
            40018 => Self::InvalidCode,
            40019 => Self::InvalidAnonymousCode,
            40014 => Self::InvalidParams,
            40015 => Self::InvalidAppid,
            40017 => Self::InvalidSecret,
            -1 => Self::SystemError,
            code => Self::Other {
                code,
                tips: tips.unwrap_or_default().chars().take(200).collect(),
            },
        }
    }
}

impl From<HttpFailure> for DouyinError {
    fn from(failure: HttpFailure) -> Self {
        match failure {
            HttpFailure::Status(status) => Self::Status { status },
            HttpFailure::TooLarge => Self::AnswerTooLarge,
            HttpFailure::Timeout => Self::Timeout,
            HttpFailure::Transport(e) => Self::Transport(e),
        }
    }
}

impl fmt::Display for DouyinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadCode => write!(
                f,
                "no login code worth sending (empty, longer than {} characters or not printable \
                 ASCII): post {{\"code\", \"anonymous_code\"}} from tt.login as they are",
                super::MAX_CODE_LEN
            ),
            Self::InvalidCode => f.write_str(
                "Douyin refused the login code (err_no 40018): call tt.login again and send the \
                 new code (a code works once); check that the app id is the mini program's",
            ),
            Self::InvalidAnonymousCode => {
                f.write_str("Douyin refused the anonymous code (err_no 40019): call tt.login again")
            }
            Self::InvalidParams => f.write_str(
                "Douyin refused the parameters (err_no 40014): the app id, secret and a code must \
                 all be set",
            ),
            Self::InvalidAppid => {
                f.write_str("Douyin does not know the app id (err_no 40015): check DOUYIN_APPID")
            }
            Self::InvalidSecret => {
                f.write_str("Douyin refused the app secret (err_no 40017): check DOUYIN_SECRET")
            }
            Self::SystemError => {
                f.write_str("Douyin's system error (err_no -1): try again in a moment")
            }
            Self::Other { code, tips } => {
                write!(f, "Douyin refused the login: err_no {code}, {tips:?}")
            }
            Self::Status { status } => write!(
                f,
                "Douyin's API answered with HTTP status {status} instead of 200: check the API \
                 base URL"
            ),
            Self::NotJson => f.write_str(
                "Douyin's API answered with something that is not a JSON object: check the API \
                 base URL",
            ),
            Self::MissingField { field } => {
                write!(f, "Douyin's answer has err_no 0 but no `{field}`")
            }
            Self::AnswerTooLarge => write!(
                f,
                "Douyin's answer is longer than {} bytes: check the API base URL",
                super::MAX_ANSWER_LEN
            ),
            Self::Timeout => f.write_str("Douyin's API did not answer within the timeout"),
            Self::Transport(_) => f.write_str(
                "could not reach Douyin's API (connection, TLS or a broken answer; see the source)",
            ),
        }
    }
}

impl Error for DouyinError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Why a [`DouyinClient`](super::DouyinClient) could not be built.
#[non_exhaustive]
pub enum DouyinConfigError {
    /// `DOUYIN_APPID` or `DOUYIN_SECRET` is not set (or not UTF-8).
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
    /// The HTTP client could not be built.
    HttpClient(Source),
}

impl fmt::Display for DouyinConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingEnv { name } => write!(
                f,
                "environment variable {name} is not set: set DOUYIN_APPID and DOUYIN_SECRET to \
                 the Douyin mini program's app id and app secret"
            ),
            Self::Empty { what } => write!(f, "the Douyin {what} is empty"),
            Self::BadApiBase { reason } => write!(
                f,
                "the Douyin API base URL is not usable: {reason}; expected e.g. {}",
                super::DEFAULT_API_BASE
            ),
            Self::ZeroTimeout => {
                f.write_str("the Douyin API timeout is zero: give it a few seconds")
            }
            Self::HttpClient(_) => {
                f.write_str("the HTTP client for Douyin's API could not be built")
            }
        }
    }
}

impl Error for DouyinConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::HttpClient(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// What `main` prints when it returns this error: the message and its causes, not the variant.
impl fmt::Debug for DouyinConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::error::report(f, self, "DouyinConfigError")
    }
}
