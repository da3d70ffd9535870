//! [`LoginConfig`]: which app logs in, with which secret, and where and how to reach the
//! platform; one shape for every platform.

use std::{fmt, marker::PhantomData, time::Duration};

use zeroize::Zeroizing;

use super::{
    api::{LoginApi, WithAppSecret},
    config_error::{ConfigProblem, LoginConfigError},
};

/// How long one exchange may take, from connecting to the last byte of the answer: 5 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

/// Which app of platform `P` logs in, and where and how to reach `P`'s API. Build it with `new`
/// (or `from_env`) and the `with_*` methods, then hand it to
/// [`LoginClient::new`](super::LoginClient::new), which checks it. Each platform names it:
/// [`QqConfig`](super::qq::QqConfig) is `LoginConfig<QqApi>`, and so on.
///
/// Its `Debug` never shows the app secret (or Alipay's private key), which is wiped from memory
/// on drop.
#[must_use]
pub struct LoginConfig<P: LoginApi> {
    pub(super) appid: String,
    pub(super) secret: Zeroizing<String>,
    pub(super) public_key: String,
    pub(super) api_base: String,
    pub(super) timeout: Duration,
    platform: PhantomData<fn() -> P>,
}

impl<P: LoginApi> Clone for LoginConfig<P> {
    fn clone(&self) -> Self {
        Self::with_keys(&self.appid, self.secret.as_str(), &self.public_key)
            .with_api_base(&self.api_base)
            .with_timeout(self.timeout)
    }
}

impl<P: LoginApi> fmt::Debug for LoginConfig<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginConfig")
            .field("platform", &P::API.about.platform)
            .field("appid", &self.appid)
            .field("secret", &"REDACTED")
            .field("api_base", &self.api_base)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl<P: LoginApi + WithAppSecret> LoginConfig<P> {
    /// The mini program's app id (public) and app secret (from the platform's console, secret).
    ///
    #[cfg_attr(feature = "qq", doc = "```")]
    #[cfg_attr(not(feature = "qq"), doc = "```ignore")]
    /// use sealed_session::qq::{QqClient, QqConfig};
    /// let config = QqConfig::new("1110000000", "the app secret");
    /// assert!(!format!("{config:?}").contains("the app secret"));
    /// let client = QqClient::new(config)?;
    /// # Ok::<(), sealed_session::login::LoginConfigError>(())
    /// ```
    pub fn new(appid: impl Into<String>, secret: impl Into<String>) -> Self {
        Self::with_keys(appid, secret, "")
    }
}

impl<P: LoginApi> LoginConfig<P> {
    /// An app id, its secret (or private key), the platform's public key (or nothing), and the
    /// defaults.
    pub(super) fn with_keys(
        appid: impl Into<String>,
        secret: impl Into<String>,
        public_key: impl Into<String>,
    ) -> Self {
        Self {
            appid: appid.into(),
            secret: Zeroizing::new(secret.into()),
            public_key: public_key.into(),
            api_base: P::API.about.api_base.to_owned(),
            timeout: DEFAULT_TIMEOUT,
            platform: PhantomData,
        }
    }

    /// The configuration in the environment: the platform's app id and secret variables
    /// (`WECHAT_APPID` and `WECHAT_SECRET`, `QQ_APPID` and `QQ_SECRET`, ...; Alipay:
    /// `ALIPAY_APPID`, `ALIPAY_PRIVATE_KEY` and `ALIPAY_PUBLIC_KEY`), and the API base
    /// (`WECHAT_API_BASE`, ...; Alipay: `ALIPAY_GATEWAY`) when it is set and not empty.
    ///
    /// # Errors
    ///
    /// A [`LoginConfigError`] naming the variable that is not set
    /// ([`missing_env`](LoginConfigError::missing_env)).
    pub fn from_env() -> Result<Self, LoginConfigError> {
        let about = P::API.about;
        let var = |name: &'static str| {
            std::env::var(name)
                .map_err(|_| LoginConfigError::new(about, ConfigProblem::MissingEnv(name)))
        };
        let public_key = match about.env.public_key {
            Some(name) => var(name)?,
            None => String::new(),
        };
        let config = Self::with_keys(var(about.env.appid)?, var(about.env.secret)?, public_key);
        Ok(match std::env::var(about.env.api_base) {
            Ok(base) if !base.is_empty() => config.with_api_base(base),
            _ => config,
        })
    }

    /// Where the platform's API is: the exchange goes to the platform's path below it (Alipay:
    /// the gateway's whole URL). Point it at a proxy, or at a stand-in in tests.
    ///
    /// Default: the platform's `DEFAULT_API_BASE` (Alipay: `DEFAULT_GATEWAY`).
    pub fn with_api_base(mut self, api_base: impl Into<String>) -> Self {
        self.api_base = api_base.into();
        self
    }

    /// The most one exchange may take, from connecting to the last byte of the answer; past it
    /// the exchange fails with a [`LoginError`](super::LoginError) that
    /// [`is_timeout`](super::LoginError::is_timeout).
    ///
    /// Default: [`DEFAULT_TIMEOUT`], 5 seconds.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}
