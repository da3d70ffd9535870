//! The configuration, and the client that performs the exchange.

use std::{fmt, sync::Arc, time::Duration};

use reqwest::Url;
use zeroize::Zeroizing;

use super::{
    error::{WechatConfigError, WechatError},
    secret::{Code2Session, WechatSessionKey},
};
use crate::login::{
    Identity, LoginCode, LoginFuture, MiniProgramLogin, Platform, PlatformSecret,
    http::{self, redacted},
    jscode,
};

/// WeChat's API server.
pub const DEFAULT_API_BASE: &str = "https://api.weixin.qq.com";
/// How long one exchange may take, from connecting to the end of the answer: 5 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest login code accepted, in bytes; WeChat's are 32 characters.
pub const MAX_CODE_LEN: usize = 128;
/// The longest answer read from WeChat, in bytes; real ones are under 300.
pub const MAX_ANSWER_LEN: usize = 16 * 1024;

/// Which mini program logs in, and where and how to reach WeChat. Build it with
/// [`WechatConfig::new`] or [`WechatConfig::from_env`] and the `with_*` methods, then hand it to
/// [`WechatClient::new`], which checks it.
///
/// Its `Debug` never shows the app secret, which is wiped from memory on drop.
///
/// ```
/// use std::time::Duration;
/// use sealed_session::wechat::{WechatClient, WechatConfig};
/// let config = WechatConfig::new("wx0123456789abcdef", "the app secret")
///     .with_api_base("https://api.weixin.qq.com")
///     .with_timeout(Duration::from_secs(3));
/// assert!(!format!("{config:?}").contains("the app secret"));
/// let client = WechatClient::new(config)?;
/// # Ok::<(), sealed_session::wechat::WechatConfigError>(())
/// ```
#[must_use]
#[derive(Clone)]
pub struct WechatConfig {
    appid: String,
    secret: Zeroizing<String>,
    api_base: String,
    timeout: Duration,
}

impl fmt::Debug for WechatConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WechatConfig")
            .field("appid", &self.appid)
            .field("secret", &"REDACTED")
            .field("api_base", &self.api_base)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl WechatConfig {
    /// The mini program's app id (`wx...`, public) and app secret (from the mini program's
    /// admin console, secret).
    pub fn new(appid: impl Into<String>, secret: impl Into<String>) -> Self {
        Self {
            appid: appid.into(),
            secret: Zeroizing::new(secret.into()),
            api_base: DEFAULT_API_BASE.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The app id from `WECHAT_APPID`, the app secret from `WECHAT_SECRET`, and the API base URL
    /// from `WECHAT_API_BASE` when it is set and not empty.
    ///
    /// # Errors
    ///
    /// [`WechatConfigError::MissingEnv`] if `WECHAT_APPID` or `WECHAT_SECRET` is not set.
    pub fn from_env() -> Result<Self, WechatConfigError> {
        let var = |name: &'static str| {
            std::env::var(name).map_err(|_| WechatConfigError::MissingEnv { name })
        };
        let config = Self::new(var("WECHAT_APPID")?, var("WECHAT_SECRET")?);
        Ok(match std::env::var("WECHAT_API_BASE") {
            Ok(base) if !base.is_empty() => config.with_api_base(base),
            _ => config,
        })
    }

    /// Where WeChat's API is: the exchange goes to `{api_base}/sns/jscode2session`. Point it at a
    /// proxy, or at a stand-in in tests.
    ///
    /// Default: [`DEFAULT_API_BASE`], `https://api.weixin.qq.com`.
    pub fn with_api_base(mut self, api_base: impl Into<String>) -> Self {
        self.api_base = api_base.into();
        self
    }

    /// The most one exchange may take, from connecting to the last byte of the answer; past it
    /// the exchange fails with [`WechatError::Timeout`].
    ///
    /// Default: [`DEFAULT_TIMEOUT`], 5 seconds.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Exchanges `wx.login` codes with WeChat's `code2session` API. Cheap to clone (clones share one
/// connection pool); build one at start-up.
#[derive(Clone)]
pub struct WechatClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    api_base: String,
    endpoint: Url,
    appid: String,
    secret: Zeroizing<String>,
    timeout: Duration,
}

impl fmt::Debug for WechatClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WechatClient")
            .field("appid", &self.inner.appid)
            .field("secret", &"REDACTED")
            .field("endpoint", &redacted(&self.inner.endpoint).as_str())
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

impl WechatClient {
    /// Checks `config` and builds the client (an HTTP client with rustls, no redirects).
    ///
    /// # Errors
    ///
    /// [`WechatConfigError`]: an empty app id or secret, an API base that is not an `http(s)` URL
    /// without query or fragment, a zero timeout, or a TLS setup that failed.
    pub fn new(config: WechatConfig) -> Result<Self, WechatConfigError> {
        let WechatConfig {
            appid,
            secret,
            api_base,
            timeout,
        } = config;
        if appid.is_empty() {
            return Err(WechatConfigError::Empty { what: "app id" });
        }
        if secret.is_empty() {
            return Err(WechatConfigError::Empty { what: "app secret" });
        }
        if timeout.is_zero() {
            return Err(WechatConfigError::ZeroTimeout);
        }
        let endpoint = endpoint(&api_base)?;
        // No redirects: a redirect would carry the secret elsewhere; WeChat does not redirect.
        let http = http::client(timeout).map_err(|e| WechatConfigError::HttpClient(Box::new(e)))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                api_base,
                endpoint,
                appid,
                secret,
                timeout,
            }),
        })
    }

    /// Exchanges a `wx.login` code for the user's `openid`, `unionid` and session key.
    ///
    /// # Errors
    ///
    /// A [`WechatError`]: a code that is not plausible ([`WechatError::BadCode`], not sent),
    /// one of WeChat's error codes, a status other than 200, an answer that is not JSON, too
    /// large or without `openid` / `session_key`, a timeout, or a failed connection.
    pub async fn code2session(&self, code: &str) -> Result<Code2Session, WechatError> {
        if !http::plausible_code(code, MAX_CODE_LEN) {
            return Err(WechatError::BadCode);
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
        .map_err(WechatError::from_failure)?;
        Ok(Code2Session {
            openid: login.openid,
            session_key: WechatSessionKey::new(login.session_key.expose_secret()),
            unionid: login.unionid,
        })
    }
}

/// What the other WeChat APIs of this module share with the login: one HTTP client, one app.
impl WechatClient {
    pub(crate) fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    pub(crate) fn api_base(&self) -> &str {
        &self.inner.api_base
    }

    /// The app id and the app secret.
    pub(crate) fn credentials(&self) -> (&str, &str) {
        (&self.inner.appid, &self.inner.secret)
    }
}

impl MiniProgramLogin for WechatClient {
    fn platform(&self) -> Platform {
        Platform::Wechat
    }

    fn exchange<'a>(&'a self, code: &'a LoginCode) -> LoginFuture<'a> {
        Box::pin(async move {
            let login = self.code2session(&code.code).await?;
            let mut identity = Identity::new(Platform::Wechat, login.openid);
            identity.unionid = login.unionid;
            identity.secret = Some(PlatformSecret::new(login.session_key.expose_secret()));
            Ok(identity)
        })
    }
}

/// `{api_base}/sns/jscode2session`, checked.
fn endpoint(api_base: &str) -> Result<Url, WechatConfigError> {
    http::endpoint(api_base, jscode::PATH)
        .map_err(|reason| WechatConfigError::BadApiBase { reason })
}

/// The answer's body as a result (the tests below; the exchange parses through `jscode`).
#[cfg(test)]
fn parse(body: &[u8]) -> Result<Code2Session, WechatError> {
    let login = jscode::parse(body).map_err(WechatError::from_failure)?;
    Ok(Code2Session {
        openid: login.openid,
        session_key: WechatSessionKey::new(login.session_key.expose_secret()),
        unionid: login.unionid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_a_password_in_the_api_base() {
        let config = WechatConfig::new("wxappid", "the-app-secret")
            .with_api_base("https://user:proxy-pass@127.0.0.1:9/");
        let debug = format!("{:?}", WechatClient::new(config).unwrap());
        assert!(
            !debug.contains("proxy-pass") && !debug.contains("the-app-secret"),
            "{debug}"
        );
        assert!(debug.contains("user:REDACTED@127.0.0.1:9"), "{debug}");
    }

    #[test]
    fn endpoint_is_below_the_api_base() {
        for (base, expected) in [
            (
                DEFAULT_API_BASE,
                "https://api.weixin.qq.com/sns/jscode2session",
            ),
            (
                "http://127.0.0.1:9/",
                "http://127.0.0.1:9/sns/jscode2session",
            ),
            (
                "https://proxy.test/wx/",
                "https://proxy.test/wx/sns/jscode2session",
            ),
            (
                "https://proxy.test/wx",
                "https://proxy.test/wx/sns/jscode2session",
            ),
        ] {
            assert_eq!(endpoint(base).unwrap().as_str(), expected);
        }
    }

    #[test]
    fn unusable_api_bases_are_refused_at_start_up() {
        for base in [
            "",
            "api.weixin.qq.com",
            "ftp://x.test",
            "https://x.test/?a=1",
            "https://x.test/#f",
            "mailto:a@b",
        ] {
            assert!(
                matches!(endpoint(base), Err(WechatConfigError::BadApiBase { .. })),
                "{base}"
            );
        }
    }

    #[test]
    fn empty_credentials_and_zero_timeout_are_refused() {
        let e = WechatClient::new(WechatConfig::new("", "s")).unwrap_err();
        assert!(matches!(e, WechatConfigError::Empty { what: "app id" }));
        let e = WechatClient::new(WechatConfig::new("wx1", "")).unwrap_err();
        assert!(matches!(e, WechatConfigError::Empty { what: "app secret" }));
        let e = WechatClient::new(WechatConfig::new("wx1", "s").with_timeout(Duration::ZERO))
            .unwrap_err();
        assert!(matches!(e, WechatConfigError::ZeroTimeout));
    }

    #[test]
    fn debug_does_not_leak_the_app_secret() {
        let config = WechatConfig::new("wx1", "s3cr3t-app-secret");
        let client = WechatClient::new(config.clone()).unwrap();
        for debug in [format!("{config:?}"), format!("{client:#?}")] {
            assert!(debug.contains("wx1"), "{debug}");
            assert!(!debug.contains("s3cr3t"), "{debug}");
        }
    }

    #[test]
    fn parse_reads_the_documented_answers() {
        let ok = parse(br#"{"openid":"o1","session_key":"c2s=","unionid":"u1"}"#).unwrap();
        assert_eq!(
            (ok.openid.as_str(), ok.unionid.as_deref()),
            ("o1", Some("u1"))
        );
        assert_eq!(ok.session_key.expose_secret(), "c2s=");
        let ok = parse(br#"{"errcode":0,"errmsg":"ok","openid":"o1","session_key":"k"}"#).unwrap();
        assert_eq!(ok.unionid, None);
        assert!(matches!(
            parse(br#"{"errcode":40029,"errmsg":"invalid code, rid: 1"}"#),
            Err(WechatError::InvalidCode)
        ));
        assert!(matches!(
            parse(br#"{"openid":"o1"}"#),
            Err(WechatError::MissingField {
                field: "session_key"
            })
        ));
        assert!(matches!(
            parse(br#"{"session_key":"k","openid":""}"#),
            Err(WechatError::MissingField { field: "openid" })
        ));
        for junk in [
            &b""[..],
            b"<html>",
            b"[]",
            b"null",
            br#"{"errcode":"x"}"#,
            b"\xff\xfe",
        ] {
            assert!(matches!(parse(junk), Err(WechatError::NotJson)), "{junk:?}");
        }
    }
}
