//! Alipay mini program login: `my.getAuthCode` in, [`Identity`] out (feature `alipay`).
//!
//! The exchange is the gateway call `alipay.system.oauth.token` (`grant_type=authorization_code`,
//! `code=<authCode>`), signed RSA2 (SHA256withRSA) with the app's private key through ring's
//! `RsaKeyPair`; the answer's `sign` is verified with Alipay's public key, also through ring,
//! before anything in it is believed. Alipay answers the user's `open_id` (apps created since
//! 2023) and/or `user_id`, and an `access_token` for later calls on the user's behalf, which
//! [`Identity::secret`] keeps out of sight.
//!
//! ```no_run
//! use sealed_session::{alipay::{AlipayClient, AlipayConfig}, login::{LoginCode, MiniProgramLogin}};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let alipay = AlipayClient::new(AlipayConfig::from_env()?)?;
//! let identity = alipay.exchange(&LoginCode::new("authCode from my.getAuthCode")).await?;
//! # Ok(()) }
//! ```

mod error;
mod sign;

use std::{fmt, sync::Arc, time::Duration};

use reqwest::Url;
use serde::Deserialize;
use serde_json::value::RawValue;
use time::{OffsetDateTime, UtcOffset};
use zeroize::Zeroizing;

pub use error::{AlipayConfigError, AlipayError};
use sign::{Signer, Verifier};

use crate::login::{
    Identity, LoginCode, LoginFuture, MiniProgramLogin, Platform, PlatformSecret,
    http::{self, redacted},
};

/// Alipay's gateway.
pub const DEFAULT_GATEWAY: &str = "https://openapi.alipay.com/gateway.do";
/// How long one exchange may take: 5 seconds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest auth code accepted, in bytes (Alipay's are 32 characters; the API allows 40).
pub const MAX_CODE_LEN: usize = 128;
/// The longest answer read from Alipay, in bytes.
pub const MAX_ANSWER_LEN: usize = 32 * 1024;

const METHOD: &str = "alipay.system.oauth.token";

/// Which Alipay app logs in, with which keys, and where the gateway is. Its `Debug` never shows
/// the private key, which is wiped on drop.
#[must_use]
#[derive(Clone)]
pub struct AlipayConfig {
    app_id: String,
    private_key: Zeroizing<String>,
    alipay_public_key: String,
    gateway: String,
    timeout: Duration,
}

impl fmt::Debug for AlipayConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlipayConfig")
            .field("app_id", &self.app_id)
            .field("private_key", &"REDACTED")
            .field("alipay_public_key", &"(public, not shown)")
            .field("gateway", &self.gateway)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl AlipayConfig {
    /// The app id, the app's RSA2 private key (base64 of PKCS#8 or PKCS#1 DER, as Alipay's key
    /// tool writes it) and Alipay's public key (base64, from the app's settings).
    pub fn new(
        app_id: impl Into<String>,
        private_key: impl Into<String>,
        alipay_public_key: impl Into<String>,
    ) -> Self {
        Self {
            app_id: app_id.into(),
            private_key: Zeroizing::new(private_key.into()),
            alipay_public_key: alipay_public_key.into(),
            gateway: DEFAULT_GATEWAY.to_owned(),
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// `ALIPAY_APPID`, `ALIPAY_PRIVATE_KEY`, `ALIPAY_PUBLIC_KEY`, and `ALIPAY_GATEWAY` when set
    /// and not empty.
    ///
    /// # Errors
    ///
    /// [`AlipayConfigError::MissingEnv`] if one of the first three is not set.
    pub fn from_env() -> Result<Self, AlipayConfigError> {
        let var = |name: &'static str| {
            std::env::var(name).map_err(|_| AlipayConfigError::MissingEnv { name })
        };
        let config = Self::new(
            var("ALIPAY_APPID")?,
            var("ALIPAY_PRIVATE_KEY")?,
            var("ALIPAY_PUBLIC_KEY")?,
        );
        Ok(match std::env::var("ALIPAY_GATEWAY") {
            Ok(gateway) if !gateway.is_empty() => config.with_gateway(gateway),
            _ => config,
        })
    }

    /// The gateway URL (the sandbox's, a proxy, or a stand-in in tests).
    ///
    /// Default: [`DEFAULT_GATEWAY`], `https://openapi.alipay.com/gateway.do`.
    pub fn with_gateway(mut self, gateway: impl Into<String>) -> Self {
        self.gateway = gateway.into();
        self
    }

    /// The most one exchange may take; past it, [`AlipayError::Timeout`].
    ///
    /// Default: [`DEFAULT_TIMEOUT`], 5 seconds.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }
}

/// Exchanges `my.getAuthCode` codes with Alipay. Cheap to clone; build one at start-up.
#[derive(Clone)]
pub struct AlipayClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    gateway: Url,
    app_id: String,
    signer: Signer,
    verifier: Verifier,
    timeout: Duration,
}

impl fmt::Debug for AlipayClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlipayClient")
            .field("app_id", &self.inner.app_id)
            .field("private_key", &"REDACTED")
            .field("gateway", &redacted(&self.inner.gateway).as_str())
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

/// The gateway URL, checked: `http(s)`, no query, no fragment.
fn gateway(url: &str) -> Result<Url, AlipayConfigError> {
    let bad = |reason| AlipayConfigError::BadGateway { reason };
    let url = Url::parse(url).map_err(|_| bad("not a URL"))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(bad("not an http or https URL"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("it has a query or a fragment"));
    }
    Ok(url)
}

/// "yyyy-MM-dd HH:mm:ss" in Beijing time, as the gateway wants its `timestamp`.
fn timestamp(now: OffsetDateTime) -> String {
    let beijing = UtcOffset::from_whole_seconds(8 * 3600).map_or(now, |o| now.to_offset(o));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        beijing.year(),
        u8::from(beijing.month()),
        beijing.day(),
        beijing.hour(),
        beijing.minute(),
        beijing.second()
    )
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    alipay_system_oauth_token_response: Option<&'a RawValue>,
    #[serde(borrow, default)]
    error_response: Option<&'a RawValue>,
    sign: Option<String>,
}

#[derive(Deserialize)]
struct Member {
    code: Option<String>,
    msg: Option<String>,
    sub_code: Option<String>,
    sub_msg: Option<String>,
    user_id: Option<String>,
    open_id: Option<String>,
    access_token: Option<PlatformSecret>,
}

impl AlipayClient {
    /// Checks `config`, parses both keys, and builds the client.
    ///
    /// # Errors
    ///
    /// [`AlipayConfigError`]: an empty app id, a key ring cannot use, an unusable gateway URL,
    /// a zero timeout, or a TLS setup that failed.
    pub fn new(config: AlipayConfig) -> Result<Self, AlipayConfigError> {
        let AlipayConfig {
            app_id,
            private_key,
            alipay_public_key,
            gateway: url,
            timeout,
        } = config;
        if app_id.is_empty() {
            return Err(AlipayConfigError::EmptyAppId);
        }
        if timeout.is_zero() {
            return Err(AlipayConfigError::ZeroTimeout);
        }
        let signer = Signer::from_base64(&private_key).ok_or(AlipayConfigError::BadPrivateKey)?;
        let verifier =
            Verifier::from_base64(&alipay_public_key).ok_or(AlipayConfigError::BadPublicKey)?;
        let gateway = gateway(&url)?;
        let http = http::client(timeout).map_err(|e| AlipayConfigError::HttpClient(Box::new(e)))?;
        Ok(Self {
            inner: Arc::new(Inner {
                http,
                gateway,
                app_id,
                signer,
                verifier,
                timeout,
            }),
        })
    }

    /// Exchanges an `authCode` from `my.getAuthCode` for the user's identity.
    ///
    /// # Errors
    ///
    /// An [`AlipayError`]: an implausible code (not sent), one of Alipay's error codes, an
    /// answer whose signature does not verify, a status other than 200, a broken answer, a
    /// timeout, or a failed connection.
    pub async fn oauth_token(&self, code: &str) -> Result<Identity, AlipayError> {
        if !http::plausible_code(code, MAX_CODE_LEN) {
            return Err(AlipayError::BadCode);
        }
        let inner = &*self.inner;
        let timestamp = timestamp(OffsetDateTime::now_utc());
        let mut params = vec![
            ("app_id", inner.app_id.as_str()),
            ("method", METHOD),
            ("format", "JSON"),
            ("charset", "utf-8"),
            ("sign_type", "RSA2"),
            ("timestamp", timestamp.as_str()),
            ("version", "1.0"),
            ("grant_type", "authorization_code"),
            ("code", code),
        ];
        let signature = inner
            .signer
            .sign(sign::content(&params).as_bytes())
            .ok_or(AlipayError::Signing)?;
        params.push(("sign", &signature));
        let body = http::fetch(
            inner.http.post(inner.gateway.clone()).form(&params),
            MAX_ANSWER_LEN,
        )
        .await?;
        parse(&body, &inner.verifier)
    }
}

/// Alipay's answer, its signature checked first, as a result.
fn parse(body: &[u8], verifier: &Verifier) -> Result<Identity, AlipayError> {
    let envelope: Envelope<'_> = serde_json::from_slice(body).map_err(|_| AlipayError::NotJson)?;
    let verified = |raw: &RawValue| match &envelope.sign {
        Some(sign) if verifier.verify(raw.get().as_bytes(), sign) => Ok(()),
        Some(_) => Err(AlipayError::BadSignature),
        None => Err(AlipayError::Unsigned),
    };
    let member = |raw: &RawValue| -> Result<Member, AlipayError> {
        serde_json::from_str(raw.get()).map_err(|_| AlipayError::NotJson)
    };
    if let Some(raw) = envelope.alipay_system_oauth_token_response {
        verified(raw)?;
        let m = member(raw)?;
        if let Some(code) = m.code.as_deref().filter(|c| *c != "10000") {
            let msg = m.sub_msg.as_deref().or(m.msg.as_deref());
            return Err(AlipayError::from_answer(code, m.sub_code.as_deref(), msg));
        }
        let id = m
            .open_id
            .filter(|id| !id.is_empty())
            .or(m.user_id.filter(|id| !id.is_empty()))
            .ok_or(AlipayError::MissingField {
                field: "user_id/open_id",
            })?;
        let mut identity = Identity::new(Platform::Alipay, id);
        identity.secret = m.access_token.filter(|t| !t.expose_secret().is_empty());
        return Ok(identity);
    }
    if let Some(raw) = envelope.error_response {
        // Alipay signs error answers too, but not all of them (an unknown app id has no key to
        // sign with): an unsigned error is believed, as it grants nothing; a badly signed one is not.
        match verified(raw) {
            Ok(()) | Err(AlipayError::Unsigned) => {}
            Err(e) => return Err(e),
        }
        let m = member(raw)?;
        let msg = m.sub_msg.as_deref().or(m.msg.as_deref());
        return Err(AlipayError::from_answer(
            m.code.as_deref().unwrap_or_default(),
            m.sub_code.as_deref(),
            msg,
        ));
    }
    Err(AlipayError::NotJson)
}

impl MiniProgramLogin for AlipayClient {
    fn platform(&self) -> Platform {
        Platform::Alipay
    }

    fn exchange<'a>(&'a self, code: &'a LoginCode) -> LoginFuture<'a> {
        Box::pin(async move { Ok(self.oauth_token(&code.code).await?) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timestamp_is_beijing_time() {
        let t = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        assert_eq!(timestamp(t), "2023-11-15 06:13:20");
    }

    #[test]
    fn unusable_gateways_are_refused() {
        for url in [
            "",
            "gateway.do",
            "ftp://x.test/g",
            "https://x.test/g?a=1",
            "https://x.test/#f",
        ] {
            assert!(
                matches!(gateway(url), Err(AlipayConfigError::BadGateway { .. })),
                "{url}"
            );
        }
        assert!(gateway(DEFAULT_GATEWAY).is_ok());
    }
}
