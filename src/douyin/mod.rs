//! Douyin (ByteDance) mini program login: `tt.login` codes in, [`Identity`] out (feature
//! `douyin`).
//!
//! The exchange is `POST {api_base}/api/apps/v2/jscode2session` with the JSON body
//! `{appid, secret, code, anonymous_code}`; Douyin answers
//! `{err_no, err_tips, log_id, data: {session_key, openid, anonymous_openid, unionid}}`. A login
//! with only an anonymous code (a user not logged in to the Douyin app) gives the device's
//! `anonymous_openid` and no session key: [`Identity::anonymous`] says so.
//!
//! ```no_run
//! use sealed_session::{douyin::{DouyinClient, DouyinConfig}, login::{LoginCode, MiniProgramLogin}};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let douyin = DouyinClient::new(DouyinConfig::from_env()?)?;
//! let code = LoginCode::new("code").with_anonymous_code("anonymousCode");
//! let identity = douyin.exchange(&code).await?;
//! # Ok(()) }
//! ```

mod error;

use std::{fmt, sync::Arc, time::Duration};

use reqwest::Url;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub use error::{DouyinConfigError, DouyinError};

use crate::login::{
    Identity, LoginCode, LoginFuture, MiniProgramLogin, Platform, PlatformSecret,
    http::{self, redacted},
};

/// Douyin's API server.
pub const DEFAULT_API_BASE: &str = "https://developer.toutiao.com";
/// How long one exchange may take: 5 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest code (or anonymous code) accepted, in bytes.
pub const MAX_CODE_LEN: usize = 256;
/// The longest answer read from Douyin, in bytes.
pub const MAX_ANSWER_LEN: usize = 16 * 1024;

const PATH: &str = "api/apps/v2/jscode2session";

/// Which Douyin mini program logs in, and where and how to reach Douyin. Its `Debug` never shows
/// the app secret, which is wiped on drop.
///
/// ```
/// use sealed_session::douyin::{DouyinClient, DouyinConfig};
/// let config = DouyinConfig::new("tt0123456789", "the app secret");
/// assert!(!format!("{config:?}").contains("the app secret"));
/// let client = DouyinClient::new(config)?;
/// # Ok::<(), sealed_session::douyin::DouyinConfigError>(())
/// ```
#[must_use]
#[derive(Clone)]
pub struct DouyinConfig {
    appid: String,
    secret: Zeroizing<String>,
    api_base: String,
    timeout: Duration,
}

impl fmt::Debug for DouyinConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DouyinConfig")
            .field("appid", &self.appid)
            .field("secret", &"REDACTED")
            .field("api_base", &self.api_base)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl DouyinConfig {
    /// The Douyin mini program's app id (`tt...`, public) and app secret (secret).
    pub fn new(appid: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            appid: appid.into(),
            secret: Zeroizing::new(secret.into()),
            api_base: DEFAULT_API_BASE.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// `DOUYIN_APPID`, `DOUYIN_SECRET`, and `DOUYIN_API_BASE` when set and not empty.
    ///
    /// # Errors
    ///
    /// [`DouyinConfigError::MissingEnv`] if `DOUYIN_APPID` or `DOUYIN_SECRET` is not set.
    pub fn from_env() -> Result<Self, DouyinConfigError> {
        let var = |name: &'static str| {
            std::env::var(name).map_err(|_| DouyinConfigError::MissingEnv { name })
        };
        let config = Self::new(var("DOUYIN_APPID")?, var("DOUYIN_SECRET")?);
        Ok(match std::env::var("DOUYIN_API_BASE") {
            Ok(base) if !base.is_empty() => config.with_api_base(base),
            _ => config,
        })
    }

    /// Where Douyin's API is: the exchange goes to `{api_base}/api/apps/v2/jscode2session`.
    ///
    /// Default: [`DEFAULT_API_BASE`], `https://developer.toutiao.com`.
    pub fn with_api_base(mut self, api_base: impl Into<String>) -> Self {
        self.api_base = api_base.into();
        self
    }

    /// The most one exchange may take; past it, [`DouyinError::Timeout`].
    ///
    /// Default: [`DEFAULT_TIMEOUT`], 5 seconds.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Exchanges `tt.login` codes with Douyin. Cheap to clone; build one at start-up.
#[derive(Clone)]
pub struct DouyinClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Url,
    appid: String,
    secret: Zeroizing<String>,
    timeout: Duration,
}

impl fmt::Debug for DouyinClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DouyinClient")
            .field("appid", &self.inner.appid)
            .field("secret", &"REDACTED")
            .field("endpoint", &redacted(&self.inner.endpoint).as_str())
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

/// The request body Douyin documents.
#[derive(Serialize)]
struct Body<'a> {
    appid: &'a str,
    secret: &'a str,
    code: &'a str,
    anonymous_code: &'a str,
}

#[derive(Deserialize)]
struct Answer {
    err_no: Option<i64>,
    err_tips: Option<String>,
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    session_key: Option<PlatformSecret>,
    openid: Option<String>,
    anonymous_openid: Option<String>,
    unionid: Option<String>,
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

impl DouyinClient {
    /// Checks `config` and builds the client.
    ///
    /// # Errors
    ///
    /// [`DouyinConfigError`]: an empty app id or secret, an unusable API base, a zero timeout,
    /// or a TLS setup that failed.
    pub fn new(config: DouyinConfig) -> Result<Self, DouyinConfigError> {
        let DouyinConfig {
            appid,
            secret,
            api_base,
            timeout,
        } = config;
        if appid.is_empty() {
            return Err(DouyinConfigError::Empty { what: "app id" });
        }
        if secret.is_empty() {
            return Err(DouyinConfigError::Empty { what: "app secret" });
        }
        if timeout.is_zero() {
            return Err(DouyinConfigError::ZeroTimeout);
        }
        let endpoint = http::endpoint(&api_base, PATH)
            .map_err(|reason| DouyinConfigError::BadApiBase { reason })?;
        let http = http::client(timeout).map_err(|e| DouyinConfigError::HttpClient(Box::new(e)))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                endpoint,
                appid,
                secret,
                timeout,
            }),
        })
    }

    /// Exchanges `tt.login`'s `code` and/or `anonymousCode` (pass `""` for one not given).
    ///
    /// # Errors
    ///
    /// A [`DouyinError`]: no plausible code (nothing sent), one of Douyin's error numbers, a
    /// status other than 200, a broken answer, a timeout, or a failed connection.
    pub async fn code2session(
        &self,
        code: &str,
        anonymous_code: &str,
    ) -> Result<Identity, DouyinError> {
        let given = |c: &str| c.is_empty() || http::plausible_code(c, MAX_CODE_LEN);
        if (code.is_empty() && anonymous_code.is_empty()) || !given(code) || !given(anonymous_code)
        {
            return Err(DouyinError::BadCode);
        }
        let inner = &*self.inner;
        let body = Body {
            appid: &inner.appid,
            secret: &inner.secret,
            code,
            anonymous_code,
        };
        let answer = http::fetch(
            inner.http.post(inner.endpoint.clone()).json(&body),
            MAX_ANSWER_LEN,
        )
        .await?;
        parse(&answer)
    }
}

/// Douyin's answer as a result.
fn parse(body: &[u8]) -> Result<Identity, DouyinError> {
    let answer: Answer = serde_json::from_slice(body).map_err(|_| DouyinError::NotJson)?;
    match answer.err_no {
        Some(0) => {}
        Some(code) => return Err(DouyinError::from_err_no(code, answer.err_tips.as_deref())),
        None => return Err(DouyinError::NotJson),
    }
    let data = answer
        .data
        .ok_or(DouyinError::MissingField { field: "data" })?;
    let anonymous_id = non_empty(data.anonymous_openid);
    let mut identity = match (non_empty(data.openid), &anonymous_id) {
        (Some(openid), _) => {
            let key = data
                .session_key
                .filter(|k| !k.expose_secret().is_empty())
                .ok_or(DouyinError::MissingField {
                    field: "session_key",
                })?;
            let mut identity = Identity::new(Platform::Douyin, openid);
            identity.secret = Some(key);
            identity
        }
        (None, Some(anonymous)) => {
            let mut identity = Identity::new(Platform::Douyin, anonymous.clone());
            identity.anonymous = true;
            identity
        }
        (None, None) => return Err(DouyinError::MissingField { field: "openid" }),
    };
    identity.anonymous_id = anonymous_id;
    identity.unionid = non_empty(data.unionid);
    Ok(identity)
}

impl MiniProgramLogin for DouyinClient {
    fn platform(&self) -> Platform {
        Platform::Douyin
    }

    fn exchange<'a>(&'a self, code: &'a LoginCode) -> LoginFuture<'a> {
        Box::pin(async move {
            let anonymous = code.anonymous_code.as_deref().unwrap_or_default();
            Ok(self.code2session(&code.code, anonymous).await?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_does_not_leak_the_app_secret() {
        let config = DouyinConfig::new("tt1", "s3cr3t-douyin-secret");
        let client = DouyinClient::new(config.clone()).unwrap();
        for debug in [format!("{config:?}"), format!("{client:#?}")] {
            assert!(debug.contains("tt1"), "{debug}");
            assert!(!debug.contains("s3cr3t"), "{debug}");
        }
    }

    #[test]
    fn parse_reads_the_documented_answers() {
        let ok = parse(br#"{"err_no":0,"err_tips":"success","log_id":"1","data":{"session_key":"k","openid":"o1","anonymous_openid":"a1","unionid":"u1"}}"#).unwrap();
        assert_eq!(
            (
                ok.user_id.as_str(),
                ok.anonymous_id.as_deref(),
                ok.unionid.as_deref()
            ),
            ("o1", Some("a1"), Some("u1"))
        );
        assert!(!ok.anonymous);
        let anon = parse(br#"{"err_no":0,"err_tips":"success","data":{"session_key":"","openid":"","anonymous_openid":"a2","unionid":""}}"#).unwrap();
        assert!(anon.anonymous && anon.secret.is_none() && anon.user_id == "a2");
        for (body, expected) in [
            (
                &br#"{"err_no":40018,"err_tips":"bad code"}"#[..],
                "InvalidCode",
            ),
            (
                br#"{"err_no":40019,"err_tips":"bad acode"}"#,
                "InvalidAnonymousCode",
            ),
            (
                br#"{"err_no":40014,"err_tips":"bad params"}"#,
                "InvalidParams",
            ),
            (
                br#"{"err_no":40015,"err_tips":"bad appid"}"#,
                "InvalidAppid",
            ),
            (
                br#"{"err_no":40017,"err_tips":"bad secret"}"#,
                "InvalidSecret",
            ),
            (br#"{"err_no":-1,"err_tips":"system error"}"#, "SystemError"),
        ] {
            assert_eq!(format!("{:?}", parse(body).unwrap_err()), expected);
        }
        assert!(matches!(
            parse(br#"{"err_no":0}"#),
            Err(DouyinError::MissingField { field: "data" })
        ));
        assert!(matches!(
            parse(br#"{"err_no":0,"data":{"openid":"o"}}"#),
            Err(DouyinError::MissingField {
                field: "session_key"
            })
        ));
        for junk in [&b""[..], b"<html>", b"[]", b"{}", b"\xff"] {
            assert!(matches!(parse(junk), Err(DouyinError::NotJson)), "{junk:?}");
        }
    }
}
