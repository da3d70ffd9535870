//! QQ mini program login: `qq.login` code in, [`Identity`] out (feature `qq`).
//!
//! QQ's exchange is WeChat's (`GET /sns/jscode2session` with `appid`, `secret`, `js_code` and
//! `grant_type=authorization_code`, answering `openid`, `session_key`, `unionid` or `errcode`
//! and `errmsg`) at QQ's own API base, [`DEFAULT_API_BASE`]. [`QqClient`] implements
//! [`MiniProgramLogin`]; the session key is a secret between QQ and your server (see
//! [`wechat`](crate::wechat) for why it stays inside the seal).
//!
//! ```no_run
//! use sealed_session::{login::{LoginCode, MiniProgramLogin}, qq::{QqClient, QqConfig}};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let qq = QqClient::new(QqConfig::from_env()?)?;
//! let identity = qq.exchange(&LoginCode::new("code from qq.login")).await?;
//! # Ok(()) }
//! ```

mod error;

use std::{fmt, sync::Arc, time::Duration};

use reqwest::Url;
use zeroize::Zeroizing;

pub use error::{QqConfigError, QqError};

use crate::login::{
    Identity, LoginCode, LoginFuture, MiniProgramLogin, Platform,
    http::{self, redacted},
    jscode,
};

/// QQ's API server.
pub const DEFAULT_API_BASE: &str = "https://api.q.qq.com";
/// How long one exchange may take: 5 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest login code accepted, in bytes.
pub const MAX_CODE_LEN: usize = 128;
/// The longest answer read from QQ, in bytes.
pub const MAX_ANSWER_LEN: usize = 16 * 1024;

/// Which QQ mini program logs in, and where and how to reach QQ. Its `Debug` never shows the
/// app secret, which is wiped on drop.
///
/// ```
/// use sealed_session::qq::{QqClient, QqConfig};
/// let config = QqConfig::new("1110000000", "the app secret");
/// assert!(!format!("{config:?}").contains("the app secret"));
/// let client = QqClient::new(config)?;
/// # Ok::<(), sealed_session::qq::QqConfigError>(())
/// ```
#[must_use]
#[derive(Clone)]
pub struct QqConfig {
    appid: String,
    secret: Zeroizing<String>,
    api_base: String,
    timeout: Duration,
}

impl fmt::Debug for QqConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QqConfig")
            .field("appid", &self.appid)
            .field("secret", &"REDACTED")
            .field("api_base", &self.api_base)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl QqConfig {
    /// The QQ mini program's app id (public) and app secret (secret).
    pub fn new(appid: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            appid: appid.into(),
            secret: Zeroizing::new(secret.into()),
            api_base: DEFAULT_API_BASE.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// `QQ_APPID`, `QQ_SECRET`, and `QQ_API_BASE` when set and not empty.
    ///
    /// # Errors
    ///
    /// [`QqConfigError::MissingEnv`] if `QQ_APPID` or `QQ_SECRET` is not set.
    pub fn from_env() -> Result<Self, QqConfigError> {
        let var = |name: &'static str| {
            std::env::var(name).map_err(|_| QqConfigError::MissingEnv { name })
        };
        let config = Self::new(var("QQ_APPID")?, var("QQ_SECRET")?);
        Ok(match std::env::var("QQ_API_BASE") {
            Ok(base) if !base.is_empty() => config.with_api_base(base),
            _ => config,
        })
    }

    /// Where QQ's API is: the exchange goes to `{api_base}/sns/jscode2session`.
    ///
    /// Default: [`DEFAULT_API_BASE`], `https://api.q.qq.com`.
    pub fn with_api_base(mut self, api_base: impl Into<String>) -> Self {
        self.api_base = api_base.into();
        self
    }

    /// The most one exchange may take; past it, [`QqError::Timeout`].
    ///
    /// Default: [`DEFAULT_TIMEOUT`], 5 seconds.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Exchanges `qq.login` codes with QQ. Cheap to clone; build one at start-up.
#[derive(Clone)]
pub struct QqClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    endpoint: Url,
    appid: String,
    secret: Zeroizing<String>,
    timeout: Duration,
}

impl fmt::Debug for QqClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QqClient")
            .field("appid", &self.inner.appid)
            .field("secret", &"REDACTED")
            .field("endpoint", &redacted(&self.inner.endpoint).as_str())
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

impl QqClient {
    /// Checks `config` and builds the client.
    ///
    /// # Errors
    ///
    /// [`QqConfigError`]: an empty app id or secret, an unusable API base, a zero timeout, or a
    /// TLS setup that failed.
    pub fn new(config: QqConfig) -> Result<Self, QqConfigError> {
        let QqConfig {
            appid,
            secret,
            api_base,
            timeout,
        } = config;
        if appid.is_empty() {
            return Err(QqConfigError::Empty { what: "app id" });
        }
        if secret.is_empty() {
            return Err(QqConfigError::Empty { what: "app secret" });
        }
        if timeout.is_zero() {
            return Err(QqConfigError::ZeroTimeout);
        }
        let endpoint = http::endpoint(&api_base, jscode::PATH)
            .map_err(|reason| QqConfigError::BadApiBase { reason })?;
        let http = http::client(timeout).map_err(|e| QqConfigError::HttpClient(Box::new(e)))?;
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

    /// Exchanges a `qq.login` code for the user's identity (`openid`, `unionid`, session key).
    ///
    /// # Errors
    ///
    /// A [`QqError`]: an implausible code (not sent), one of QQ's error codes, a status other
    /// than 200, a broken answer, a timeout, or a failed connection.
    pub async fn code2session(&self, code: &str) -> Result<Identity, QqError> {
        if !http::plausible_code(code, MAX_CODE_LEN) {
            return Err(QqError::BadCode);
        }
        let inner = &*self.inner;
        let login = jscode::exchange(
            &inner.http,
            &inner.endpoint,
            (&inner.appid, &inner.secret),
            code,
            MAX_ANSWER_LEN,
        )
        .await
        .map_err(QqError::from_failure)?;
        let mut identity = Identity::new(Platform::Qq, login.openid);
        identity.unionid = login.unionid;
        identity.secret = Some(login.session_key);
        Ok(identity)
    }
}

impl MiniProgramLogin for QqClient {
    fn platform(&self) -> Platform {
        Platform::Qq
    }

    fn exchange<'a>(&'a self, code: &'a LoginCode) -> LoginFuture<'a> {
        Box::pin(async move { Ok(self.code2session(&code.code).await?) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_does_not_leak_the_app_secret() {
        let config =
            QqConfig::new("1110", "s3cr3t-qq-secret").with_api_base("https://u:pw-9@127.0.0.1:9");
        let client = QqClient::new(config.clone()).unwrap();
        for debug in [format!("{config:?}"), format!("{client:#?}")] {
            assert!(debug.contains("1110"), "{debug}");
            assert!(!debug.contains("s3cr3t"), "{debug}");
        }
        assert!(!format!("{client:?}").contains("pw-9"));
    }

    #[test]
    fn the_default_endpoint_is_qqs() {
        let client = QqClient::new(QqConfig::new("1", "s")).unwrap();
        assert_eq!(
            client.inner.endpoint.as_str(),
            "https://api.q.qq.com/sns/jscode2session"
        );
    }
}
