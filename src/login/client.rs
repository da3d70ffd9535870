//! [`LoginClient`]: the exchange itself, one client for every platform.

use std::{fmt, sync::Arc};

use super::{
    answer::Answer,
    api::{App, LoginApi},
    config::LoginConfig,
    config_error::{ConfigProblem, LoginConfigError},
    error::{Kind, LoginError},
    exchange::{LoginFuture, MiniProgramLogin},
    http,
    identity::{Identity, LoginCode, Platform},
};
use crate::metrics;

/// Exchanges the login codes of platform `P`'s mini program for the user's identity. Cheap to
/// clone (clones share one connection pool); build one at start-up. Each platform names it:
/// [`QqClient`](super::qq::QqClient) is `LoginClient<QqApi>`, and so on.
///
/// Its HTTP client uses rustls, the configured timeout, and follows no redirect (a redirect
/// would carry the secret elsewhere; no platform's API redirects). Its `Debug` shows the app id,
/// the endpoint (without a password) and the timeout, never the secret.
pub struct LoginClient<P: LoginApi> {
    app: Arc<App<P::Keys>>,
}

impl<P: LoginApi> Clone for LoginClient<P> {
    fn clone(&self) -> Self {
        Self {
            app: self.app.clone(),
        }
    }
}

impl<P: LoginApi> fmt::Debug for LoginClient<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginClient")
            .field("platform", &self.app.about.platform)
            .field("appid", &self.app.appid)
            .field("secret", &"REDACTED")
            .field("endpoint", &http::redacted(&self.app.endpoint).as_str())
            .field("timeout", &self.app.timeout)
            .finish_non_exhaustive()
    }
}

impl<P: LoginApi> LoginClient<P> {
    /// Checks `config` (and prepares the platform's keys) and builds the client.
    ///
    /// # Errors
    ///
    /// A [`LoginConfigError`]: an empty app id or secret, a key the platform's signature cannot
    /// use (Alipay), an API base that is not an `http(s)` URL without query or fragment, a zero
    /// timeout, or a TLS setup that failed.
    pub fn new(config: LoginConfig<P>) -> Result<Self, LoginConfigError> {
        let api = &P::API;
        let fail = |problem| LoginConfigError::new(api.about, problem);
        let LoginConfig {
            appid,
            secret,
            public_key,
            api_base,
            timeout,
            ..
        } = config;
        if appid.is_empty() {
            return Err(fail(ConfigProblem::Empty("app id")));
        }
        let keys = (api.shape.keys)(&secret, &public_key).map_err(fail)?;
        if secret.is_empty() {
            return Err(fail(ConfigProblem::Empty("app secret")));
        }
        if timeout.is_zero() {
            return Err(fail(ConfigProblem::ZeroTimeout));
        }
        let endpoint =
            http::endpoint(&api_base, api.path).map_err(|e| fail(ConfigProblem::BadApiBase(e)))?;
        let client =
            http::client(timeout).map_err(|e| fail(ConfigProblem::HttpClient(e.into())))?;
        Ok(Self {
            app: Arc::new(App {
                about: api.about,
                codes: api.codes,
                http: client,
                api_base,
                endpoint,
                appid,
                secret,
                timeout,
                keys,
            }),
        })
    }

    /// Exchanges the client's login code for the user's identity: the same as
    /// [`MiniProgramLogin::exchange`], without the box.
    ///
    /// # Errors
    ///
    /// A [`LoginError`]: a code not worth sending (not sent; [`is_bad_code`]), one of the
    /// platform's codes, a status other than 200, a broken or too large answer, a timeout, or a
    /// failed connection. Its [predicates](LoginError#one-outcome-each) say which.
    ///
    /// [`is_bad_code`]: LoginError::is_bad_code
    pub async fn exchange(&self, code: &LoginCode) -> Result<Identity, LoginError> {
        let result = self.exchange_uncounted(code).await;
        let outcome = result.as_ref().map_or_else(LoginError::outcome, |_| "ok");
        metrics::login(P::API.about.platform.as_str(), outcome);
        result
    }

    /// The exchange itself; [`LoginClient::exchange`] counts its outcome.
    async fn exchange_uncounted(&self, code: &LoginCode) -> Result<Identity, LoginError> {
        let api = &P::API;
        let fail = |kind| LoginError::new(api.about, kind);
        if !(api.shape.plausible)(code, api.max_code_len) {
            return Err(fail(Kind::BadCode {
                max: api.max_code_len,
            }));
        }
        let request = (api.shape.request)(&self.app, code).map_err(fail)?;
        let body = http::fetch_answer(request, api.max_answer_len, api.error_statuses)
            .await
            .map_err(fail)?;
        let read = Answer::parse(&body).and_then(|answer| (api.shape.read)(&self.app, &answer));
        read.map_err(|kind| fail(kind.without(code)))
    }

    /// What the platform's other APIs share with the login: one HTTP client, one app.
    #[cfg(any(feature = "wechat", test))]
    pub(crate) fn app(&self) -> &App<P::Keys> {
        &self.app
    }
}

impl<P: LoginApi> MiniProgramLogin for LoginClient<P> {
    fn platform(&self) -> Platform {
        self.app.about.platform
    }

    fn exchange<'a>(&'a self, code: &'a LoginCode) -> LoginFuture<'a> {
        Box::pin(LoginClient::exchange(self, code))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::login::{
        about::{About, Env},
        api::{Api, Described},
    };

    /// A platform for the client's own tests, whatever the features: it sends nothing worth
    /// answering and reads nothing.
    #[derive(Debug)]
    enum TestApi {}

    impl Described for TestApi {
        type Keys = ();
        const API: Api<()> = Api::new(
            &ABOUT,
            "a/b",
            &[],
            |app, _| Ok(app.http.get(app.endpoint.clone())),
            |_, _| Err(Kind::NotJson),
        )
        .max_code_len(8)
        .max_answer_len(64);
    }

    const ABOUT: About = About::new(Platform::Qq, "test.login", "https://api.test", ENV);
    const ENV: Env = Env::new("TEST_APPID", "TEST_SECRET", "TEST_API_BASE");

    type Config = LoginConfig<TestApi>;

    #[test]
    fn debug_does_not_leak_the_secret_or_a_password_in_the_api_base() {
        let config = Config::new("app-1", "s3cr3t-app-secret")
            .with_api_base("https://user:proxy-pass@127.0.0.1:9/");
        let client = LoginClient::new(config.clone()).unwrap();
        for debug in [format!("{config:?}"), format!("{client:#?}")] {
            assert!(debug.contains("app-1"), "{debug}");
            assert!(!debug.contains("s3cr3t"), "{debug}");
        }
        let debug = format!("{client:?}");
        assert!(!debug.contains("proxy-pass"), "{debug}");
        assert!(debug.contains("user:REDACTED@127.0.0.1:9/a/b"), "{debug}");
    }

    #[test]
    fn the_default_endpoint_is_the_platforms() {
        let client = LoginClient::new(Config::new("1", "s")).unwrap();
        assert_eq!(client.app().endpoint.as_str(), "https://api.test/a/b");
    }

    #[test]
    fn unusable_settings_are_refused_at_start_up() {
        let refused = |config: Config| LoginClient::new(config).unwrap_err().to_string();
        assert_eq!(refused(Config::new("", "s")), "the QQ app id is empty");
        assert_eq!(refused(Config::new("1", "")), "the QQ app secret is empty");
        let zero = Config::new("1", "s").with_timeout(Duration::ZERO);
        assert!(refused(zero).contains("timeout is zero"));
        for base in [
            "",
            "api.test",
            "ftp://x.test",
            "https://x.test/?a=1",
            "https://x.test/#f",
            "mailto:a@b",
        ] {
            let text = refused(Config::new("1", "s").with_api_base(base));
            assert!(
                text.contains("API base URL is not usable"),
                "{base}: {text}"
            );
        }
    }

    #[tokio::test]
    async fn an_implausible_code_is_refused_before_any_request() {
        // Nothing listens there: a request would fail as a transport error.
        let config = Config::new("1", "s").with_api_base("http://127.0.0.1:9");
        let client = LoginClient::new(config).unwrap();
        for code in ["", "a b", "toolong-9", "登录"] {
            let e = client.exchange(&LoginCode::new(code)).await.unwrap_err();
            assert!(e.is_bad_code() && !e.is_transport(), "{code:?}: {e:?}");
            assert!(e.to_string().contains("test.login"), "{e}");
        }
    }
}
