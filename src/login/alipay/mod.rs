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
//! // ALIPAY_APPID, ALIPAY_PRIVATE_KEY (the app's RSA2 key, base64 PKCS#8 or PKCS#1),
//! // ALIPAY_PUBLIC_KEY (Alipay's public key, base64), ALIPAY_GATEWAY
//! let alipay = AlipayClient::new(AlipayConfig::from_env()?)?;
//! let identity = alipay.exchange(&LoginCode::new("authCode from my.getAuthCode")).await?;
//! # Ok(()) }
//! ```

mod answer;
mod sign;

use reqwest::RequestBuilder;
use time::{OffsetDateTime, UtcOffset};

use super::{
    Identity, LoginClient, LoginCode, LoginConfig, Platform,
    api::{self, About, Api, App, Described, Env, Shape},
    config_error::ConfigProblem,
    error::Kind,
};
use sign::{Signer, Verifier};

pub use super::DEFAULT_TIMEOUT;

/// Alipay's gateway.
pub const DEFAULT_GATEWAY: &str = "https://openapi.alipay.com/gateway.do";
/// The longest auth code accepted, in bytes (Alipay's are 32 characters; the API allows 40).
pub const MAX_CODE_LEN: usize = 128;
/// The longest answer read from Alipay, in bytes.
pub const MAX_ANSWER_LEN: usize = 32 * 1024;

const METHOD: &str = "alipay.system.oauth.token";

/// Alipay's login API (`alipay.system.oauth.token` at the gateway), for [`LoginClient`] and
/// [`LoginConfig`].
#[derive(Debug)]
pub enum AlipayApi {}

impl Described for AlipayApi {
    /// The app's private key, ready to sign, and Alipay's public key, ready to verify.
    type Keys = (Signer, Verifier);
    // The gateway is a whole URL: no path below it.
    const API: Api<(Signer, Verifier)> = Api::with_shape(&ABOUT, "", answer::CODES, SHAPE)
        .max_code_len(MAX_CODE_LEN)
        .max_answer_len(MAX_ANSWER_LEN);
}

/// Which Alipay app logs in, with which keys, and where the gateway is.
pub type AlipayConfig = LoginConfig<AlipayApi>;
/// Exchanges `my.getAuthCode` codes with Alipay.
pub type AlipayClient = LoginClient<AlipayApi>;

const ABOUT: About = About::new(Platform::Alipay, "my.getAuthCode", DEFAULT_GATEWAY, ENV);
const ENV: Env = Env::new("ALIPAY_APPID", "ALIPAY_PRIVATE_KEY", "ALIPAY_GATEWAY")
    .public_key("ALIPAY_PUBLIC_KEY");

/// Signed requests, verified answers.
const SHAPE: Shape<(Signer, Verifier)> = Shape {
    keys,
    plausible: api::plausible,
    request,
    read: answer::read,
};

impl AlipayConfig {
    /// The app id, the app's RSA2 private key (base64 of PKCS#8 or PKCS#1 DER, as Alipay's key
    /// tool writes it) and Alipay's public key (base64, from the app's settings). Its `Debug`
    /// never shows the private key, which is wiped on drop.
    pub fn new(
        app_id: impl Into<String>,
        private_key: impl Into<String>,
        alipay_public_key: impl Into<String>,
    ) -> Self {
        Self::with_keys(app_id, private_key, alipay_public_key)
    }

    /// The gateway URL (the sandbox's, a proxy, or a stand-in in tests): the same as
    /// [`with_api_base`](LoginConfig::with_api_base).
    ///
    /// Default: [`DEFAULT_GATEWAY`], `https://openapi.alipay.com/gateway.do`.
    pub fn with_gateway(self, gateway: impl Into<String>) -> Self {
        self.with_api_base(gateway)
    }
}

impl AlipayClient {
    /// Exchanges an `authCode` from `my.getAuthCode` for the user's identity.
    ///
    /// # Errors
    ///
    /// An [`AlipayError`]: an implausible code (not sent), one of Alipay's error codes, an
    /// answer whose signature does not verify, a status other than 200, a broken answer, a
    /// timeout, or a failed connection.
    pub async fn oauth_token(&self, code: &str) -> Result<Identity, AlipayError> {
        self.exchange(&LoginCode::new(code)).await
    }
}

// The errors of every platform, under this platform's old names.
pub use super::LoginConfigError as AlipayConfigError;
pub use super::LoginError as AlipayError;

fn keys(private_key: &str, public_key: &str) -> Result<(Signer, Verifier), ConfigProblem> {
    let signer = Signer::from_base64(private_key).ok_or(ConfigProblem::BadPrivateKey)?;
    let verifier = Verifier::from_base64(public_key).ok_or(ConfigProblem::BadPublicKey)?;
    Ok((signer, verifier))
}

/// The gateway request, signed.
fn request(app: &App<(Signer, Verifier)>, code: &LoginCode) -> Result<RequestBuilder, Kind> {
    let timestamp = timestamp(OffsetDateTime::now_utc());
    let mut params = vec![
        ("app_id", app.appid.as_str()),
        ("method", METHOD),
        ("format", "JSON"),
        ("charset", "utf-8"),
        ("sign_type", "RSA2"),
        ("timestamp", timestamp.as_str()),
        ("version", "1.0"),
        ("grant_type", "authorization_code"),
        ("code", &code.code),
    ];
    let signature = app
        .keys
        .0
        .sign(sign::content(&params).as_bytes())
        .ok_or(Kind::Signing)?;
    params.push(("sign", &signature));
    app.post_form(&params)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timestamp_is_beijing_time() {
        let t = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
        assert_eq!(timestamp(t), "2023-11-15 06:13:20");
    }
}
