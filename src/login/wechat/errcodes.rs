//! What WeChat's `errcode`s mean: the login's (`code2Session`) and the server APIs' called with
//! an access token (`stable_token`, `getuserphonenumber`, `checksession`), and the
//! [`WechatError`]s they make.
//!
//! `code2Session`'s documentation lists `-1` (系统繁忙), `40029` (code 无效), `40163` (code been
//! used), `45011` (频率限制,每个用户每分钟100次) and `40226` (高风险等级用户,小程序登录拦截).
//! WeChat's global return codes add `40013` (invalid appid, 不合法的AppID), and `40001` /
//! `42001` (an invalid or expired access token), `45009` (an API's daily quota). `40125` is the
//! code whose errmsg is "invalid appsecret"; it is not in the copies of the global list this crate
//! was written from, and is read as the settings' fault after that message.

use super::{WechatApi, WechatError};
use crate::login::{
    LoginConfigError, LoginError,
    api::{Described, Documented},
    codes::Code::Number,
    config_error::ConfigProblem,
    error::Kind,
};

/// The codes of `code2Session`.
pub(super) const LOGIN: &[Documented] = &[
    Documented::bad_code(
        Number(40029),
        "the code is invalid or expired, or another app's",
    ),
    Documented::bad_code(Number(40163), "the code was already used"),
    Documented::rate_limited(Number(45011), "100 logins a minute per user"),
    Documented::refused(
        Number(40226),
        "WeChat rates the user high-risk and blocks the login",
    ),
    Documented::upstream(Number(-1), "WeChat is busy"),
    Documented::config(Number(40013), "the app id is invalid"),
    Documented::config(Number(40125), "the app secret is invalid"),
];

/// The codes of the server APIs called with an access token.
const SERVER_API: &[Documented] = &[
    Documented::refused(
        Number(40001),
        "the access token is invalid; fetch it again in normal mode (AccessTokens::refetch) and \
         retry once, and do not force a refresh, which invalidates every other instance's token",
    ),
    Documented::refused(
        Number(42001),
        "the access token expired; fetch it again and retry once",
    ),
    // getuserphonenumber: the phone code is invalid (or a wx.login code was sent).
    Documented::bad_code(Number(40029), "the code is invalid"),
    Documented::rate_limited(
        Number(45009),
        "the API's quota is used up; force access token refreshes only on explicit need",
    ),
    Documented::rate_limited(Number(45011), "the API is called too often"),
    Documented::refused(
        Number(87009),
        "the session_key is not the user's current one: a later wx.login replaced it; have the \
         client log in again",
    ),
    Documented::upstream(Number(-1), "WeChat is busy"),
    Documented::config(Number(40013), "the app id is invalid"),
];

/// A WeChat error of `kind`.
pub(super) fn error(kind: Kind) -> WechatError {
    LoginError::new(WechatApi::API.about, kind)
}

/// A WeChat configuration error.
pub(super) fn config_error(problem: ConfigProblem) -> LoginConfigError {
    LoginConfigError::new(WechatApi::API.about, problem)
}

/// The [`WechatError`] for a non-zero `errcode` (and its `errmsg`) of a WeChat server API called
/// with an access token, as this module reads them: `40001` and `42001` (an invalid or expired
/// token) make [`AccessTokens::with_token`](super::AccessTokens::with_token) fetch the token
/// again and retry once; `87009` is a stale `session_key`; `45009` and `45011` are limits. For
/// the APIs of WeChat's that this crate does not call, through `with_token`.
#[must_use]
pub fn server_api_error(errcode: i64, errmsg: &str) -> WechatError {
    error(Kind::refused(
        SERVER_API,
        "errcode",
        &errcode.to_string(),
        Some(errmsg),
    ))
}

/// Whether `error` says the access token is invalid or expired (`40001`, `42001`).
pub(super) fn is_token_refused(error: &WechatError) -> bool {
    matches!(error.errcode(), Some(40001 | 42001))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_errcodes_have_their_outcome() {
        let login = |code: i64| error(Kind::refused(LOGIN, "errcode", &code.to_string(), None));
        for code in [40029, 40163] {
            assert!(login(code).is_bad_code(), "{code}");
        }
        assert!(login(45011).is_rate_limited());
        assert!(login(40226).is_refused());
        assert!(login(-1).is_upstream());
        assert!(login(40013).is_config() && login(40125).is_config());
        for code in [40029, 40163, 45011, 40226, -1] {
            let e = login(code);
            assert_eq!(e.errcode(), Some(code));
            assert!(e.to_string().contains(&format!("errcode {code}")), "{e}");
        }
        let other = server_api_error(40999, "invalid something, rid: 1");
        assert!(other.is_refused() && other.to_string().contains("invalid something, rid: 1"));
        assert!(is_token_refused(&server_api_error(42001, "")));
        assert!(server_api_error(45009, "").is_rate_limited());
    }

    #[test]
    fn an_endless_errmsg_is_cut() {
        let e = server_api_error(1, &"x".repeat(10_000));
        assert!(e.to_string().len() < 300);
    }
}
