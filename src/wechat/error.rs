//! What can go wrong: when the client is built ([`WechatConfigError`]) and in an exchange
//! ([`WechatError`]). No error text contains the app secret, the login code, the session key or
//! the body of WeChat's answer.

use std::{error::Error, fmt};

use crate::login::{http::HttpFailure, jscode::JsCodeFailure};

type Source = Box<dyn Error + Send + Sync>;

/// Why a login code could not be exchanged.
#[derive(Debug)]
#[non_exhaustive]
pub enum WechatError {
    /// The code is empty, longer than [`MAX_CODE_LEN`](super::MAX_CODE_LEN) or not printable
    /// ASCII; it was not sent to WeChat.
    BadCode,
    /// errcode `40029`: WeChat does not know the code (mistyped, expired, or from another app).
    InvalidCode,
    /// errcode `40163`: the code was already exchanged once.
    CodeUsed,
    /// errcode `45011`: too many logins for this user in a short time (WeChat's limit is 100 a
    /// minute per user).
    RateLimited,
    /// errcode `40226`: WeChat rates this user high-risk and blocks the login.
    HighRiskUser,
    /// errcode `-1`: WeChat is busy; try again in a moment.
    SystemBusy,
    /// errcode `40001` or `42001`, from an API called with an access token: the token is invalid
    /// or expired. [`AccessTokens::with_token`](super::AccessTokens::with_token) refetches once
    /// and retries once.
    AccessTokenInvalid {
        /// `40001` (invalid) or `42001` (expired).
        code: i64,
    },
    /// errcode `45009`: an API's quota is used up (for `stable_token`, forced refreshes are
    /// limited); try again later, and do not force refreshes.
    QuotaExceeded,
    /// errcode `87009` from `checksession`: the signature does not match, the `session_key` is
    /// stale (a later `wx.login` replaced it); have the client log in again.
    StaleSessionKey,
    /// The answer's watermark names another app id than the client's: refuse the data (an API
    /// base pointing at another app's proxy, or a forged answer).
    OtherAppWatermark,
    /// Any other non-zero errcode (e.g. `40013` invalid app id, `40125` invalid app secret).
    Other {
        /// WeChat's `errcode`.
        code: i64,
        /// WeChat's `errmsg` (cut to 200 characters), which usually ends with a request id
        /// (`rid`) that WeChat's support can look up.
        msg: String,
    },
    /// WeChat answered with an HTTP status other than 200.
    Status {
        /// The status code.
        status: u16,
    },
    /// The answer's body is not the JSON object WeChat documents.
    NotJson,
    /// The answer is JSON without an error code, but lacks a field a login (or a token) needs.
    MissingField {
        /// `"openid"`, `"session_key"`, `"access_token"` or `"expires_in"`.
        field: &'static str,
    },
    /// The answer is longer than [`MAX_ANSWER_LEN`](super::MAX_ANSWER_LEN); reading stopped there.
    AnswerTooLarge,
    /// No complete answer within the configured timeout.
    Timeout,
    /// The request could not be sent or the answer not read (DNS, connection, TLS, ...).
    Transport(Source),
}

impl WechatError {
    /// The WeChat `errcode` behind this error, if WeChat sent one.
    #[must_use]
    pub fn errcode(&self) -> Option<i64> {
        match self {
            Self::InvalidCode => Some(40029),
            Self::CodeUsed => Some(40163),
            Self::RateLimited => Some(45011),
            Self::HighRiskUser => Some(40226),
            Self::SystemBusy => Some(-1),
            Self::AccessTokenInvalid { code } => Some(*code),
            Self::QuotaExceeded => Some(45009),
            Self::StaleSessionKey => Some(87009),
            Self::Other { code, .. } => Some(*code),
            _ => None,
        }
    }

    /// `true` when the login code the client sent is at fault ([`BadCode`](Self::BadCode),
    /// [`InvalidCode`](Self::InvalidCode), [`CodeUsed`](Self::CodeUsed)): answer `400`, and the
    /// client should call `wx.login` again. Every other error is WeChat's or the server's.
    #[must_use]
    pub fn is_bad_code(&self) -> bool {
        matches!(self, Self::BadCode | Self::InvalidCode | Self::CodeUsed)
    }

    /// `true` for [`AccessTokenInvalid`](Self::AccessTokenInvalid): refetch the access token
    /// (normal mode) and retry once.
    #[must_use]
    pub fn is_access_token_invalid(&self) -> bool {
        matches!(self, Self::AccessTokenInvalid { .. })
    }

    /// The error for a non-zero `errcode` of `stable_token` or of an API called with a token.
    pub(crate) fn from_token_errcode(code: i64, msg: Option<&str>) -> Self {
        match code {
            40001 | 42001 => Self::AccessTokenInvalid { code },
            // getuserphonenumber: the phone code is invalid (or a wx.login code was sent).
            40029 => Self::InvalidCode,
            45009 => Self::QuotaExceeded,
            45011 => Self::RateLimited,
            -1 => Self::SystemBusy,
            code => Self::Other {
                code,
                msg: crate::login::jscode::cut(msg),
            },
        }
    }

    /// The error for a non-zero `errcode`.
    pub(crate) fn from_errcode(code: i64, msg: Option<&str>) -> Self {
        match code {
            40029 => Self::InvalidCode,
            40163 => Self::CodeUsed,
            45011 => Self::RateLimited,
            40226 => Self::HighRiskUser,
            -1 => Self::SystemBusy,
            code => Self::Other {
                code,
                msg: crate::login::jscode::cut(msg),
            },
        }
    }

    /// The error for a failed `jscode2session` exchange.
    pub(crate) fn from_failure(failure: JsCodeFailure) -> Self {
        match failure {
            JsCodeFailure::Http(HttpFailure::Status(status)) => Self::Status { status },
            JsCodeFailure::Http(HttpFailure::TooLarge) => Self::AnswerTooLarge,
            JsCodeFailure::Http(HttpFailure::Timeout) => Self::Timeout,
            JsCodeFailure::Http(HttpFailure::Transport(e)) => Self::Transport(e),
            JsCodeFailure::NotJson => Self::NotJson,
            JsCodeFailure::Errcode { code, msg } => Self::from_errcode(code, msg.as_deref()),
            JsCodeFailure::MissingField(field) => Self::MissingField { field },
        }
    }
}

impl fmt::Display for WechatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadCode => write!(
                f,
                "the login code is empty, longer than {} characters or not printable ASCII: \
                 send the code from wx.login as it is",
                super::MAX_CODE_LEN
            ),
            Self::InvalidCode => f.write_str(
                "WeChat refused the login code as invalid (errcode 40029): call wx.login again \
                 and send the new code; check that the app id is the mini program's",
            ),
            Self::CodeUsed => f.write_str(
                "WeChat refused the login code as already used (errcode 40163): a code works \
                 once; call wx.login again",
            ),
            Self::RateLimited => f.write_str(
                "WeChat refused the login as too frequent for this user (errcode 45011): try \
                 again later",
            ),
            Self::HighRiskUser => {
                f.write_str("WeChat blocked the login of a user it rates high-risk (errcode 40226)")
            }
            Self::SystemBusy => f.write_str("WeChat is busy (errcode -1): try again in a moment"),
            Self::AccessTokenInvalid { code } => write!(
                f,
                "WeChat refused the access token as invalid or expired (errcode {code}): fetch \
                 it again in normal mode (AccessTokens::refetch) and retry once; do not force a \
                 refresh, which invalidates every other instance's token"
            ),
            Self::StaleSessionKey => f.write_str(
                "WeChat says the session_key is not the user's current one (errcode 87009): a \
                 later wx.login replaced it; have the client log in again",
            ),
            Self::OtherAppWatermark => f.write_str(
                "WeChat's answer carries the watermark of another app id: refused; check the \
                 app id and the API base",
            ),
            Self::QuotaExceeded => f.write_str(
                "WeChat refused the call: the API's quota is used up (errcode 45009); try again \
                 later, and force access token refreshes only on explicit need",
            ),
            Self::Other { code, msg } => {
                write!(f, "WeChat refused the login: errcode {code}, {msg:?}")
            }
            Self::Status { status } => write!(
                f,
                "WeChat's API answered with HTTP status {status} instead of 200: check the API \
                 base URL"
            ),
            Self::NotJson => f.write_str(
                "WeChat's API answered with something that is not a JSON object: check the API \
                 base URL",
            ),
            Self::MissingField { field } => {
                write!(f, "WeChat's answer has no error code and no `{field}`")
            }
            Self::AnswerTooLarge => write!(
                f,
                "WeChat's answer is longer than {} bytes: check the API base URL",
                super::MAX_ANSWER_LEN
            ),
            Self::Timeout => f.write_str("WeChat's API did not answer within the timeout"),
            Self::Transport(_) => f.write_str(
                "could not reach WeChat's API (connection, TLS or a broken answer; see the source)",
            ),
        }
    }
}

impl Error for WechatError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Why a [`WechatClient`](super::WechatClient) could not be built.
#[non_exhaustive]
pub enum WechatConfigError {
    /// An environment variable that [`WechatConfig::from_env`](super::WechatConfig::from_env)
    /// needs is not set (or not UTF-8).
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

impl fmt::Display for WechatConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingEnv { name } => write!(
                f,
                "environment variable {name} is not set: set WECHAT_APPID and WECHAT_SECRET to \
                 the mini program's app id and app secret"
            ),
            Self::Empty { what } => write!(f, "the WeChat {what} is empty"),
            Self::BadApiBase { reason } => write!(
                f,
                "the WeChat API base URL is not usable: {reason}; expected e.g. {}",
                super::DEFAULT_API_BASE
            ),
            Self::ZeroTimeout => {
                f.write_str("the WeChat API timeout is zero: give it a few seconds")
            }
            Self::HttpClient(_) => {
                f.write_str("the HTTP client for WeChat's API could not be built")
            }
        }
    }
}

impl Error for WechatConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::HttpClient(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// What `main` prints when it returns this error: the message and its causes, not the variant.
impl fmt::Debug for WechatConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::error::report(f, self, "WechatConfigError")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_errcodes_have_their_own_variants() {
        for (code, expected) in [
            (40029, "InvalidCode"),
            (40163, "CodeUsed"),
            (45011, "RateLimited"),
            (40226, "HighRiskUser"),
            (-1, "SystemBusy"),
        ] {
            let e = WechatError::from_errcode(code, Some("ignored"));
            assert_eq!(format!("{e:?}"), expected);
            assert_eq!(e.errcode(), Some(code));
            assert!(e.to_string().contains(&format!("errcode {code}")), "{e}");
        }
        let other = WechatError::from_errcode(40125, Some("invalid appsecret, rid: 1"));
        assert_eq!(other.errcode(), Some(40125));
        assert!(other.to_string().contains("invalid appsecret, rid: 1"));
    }

    #[test]
    fn only_code_errors_are_the_clients_fault() {
        assert!(WechatError::BadCode.is_bad_code());
        assert!(WechatError::InvalidCode.is_bad_code());
        assert!(WechatError::CodeUsed.is_bad_code());
        assert!(!WechatError::SystemBusy.is_bad_code());
        assert!(!WechatError::Timeout.is_bad_code());
        assert!(!WechatError::Status { status: 400 }.is_bad_code());
    }

    #[test]
    fn an_endless_errmsg_is_cut() {
        let e = WechatError::from_errcode(1, Some(&"x".repeat(10_000)));
        assert!(e.to_string().len() < 300);
    }
}
