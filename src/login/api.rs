//! What a platform is, as data: [`LoginApi`], and the description each platform fills in (its
//! names, where its API is, how a request is made and an answer read, what its codes mean).
//!
//! A platform is not a client of its own (oauth2-rs' move: one generic client, each provider a
//! set of constants and the reading of its answer). [`LoginConfig`](super::LoginConfig) and
//! [`LoginClient`](super::LoginClient) are written once; a platform's module holds its [`Api`]:
//! constants, its codes, and the functions that make its request and read its answer.

use std::{fmt, time::Duration};

use reqwest::{RequestBuilder, Url};
use zeroize::Zeroizing;

// What a platform's description is made of, in one place for the platforms' modules.
pub(super) use super::{
    about::{About, Env},
    codes::Documented,
};
use super::{
    config_error::ConfigProblem,
    error::Kind,
    http,
    identity::{Identity, LoginCode, Platform, PlatformSecret},
};

/// A platform's login API: what [`LoginClient<P>`](super::LoginClient) and
/// [`LoginConfig<P>`](super::LoginConfig) are generic over. Implemented by each platform's type
/// ([`QqApi`](super::qq::QqApi) and the like, one per feature) and by no other: what a platform
/// describes can grow without breaking anyone.
pub trait LoginApi: Described + Send + Sync + 'static {}

impl<T: Described + Send + Sync + 'static> LoginApi for T {}

/// The description behind [`LoginApi`]. Public in name only: its module is private, so no other
/// crate can implement it (the sealed-trait pattern).
pub trait Described: Sized {
    /// What the platform prepares at start-up from its keys (Alipay's RSA keys), else `()`.
    type Keys: Send + Sync + 'static;
    /// The platform, as data.
    const API: Api<Self::Keys>;
}

/// The platforms whose app authenticates with an app id and an app secret (all but Alipay, which
/// signs with a key pair): theirs is [`LoginConfig::new(appid, secret)`](super::LoginConfig::new),
/// so that code generic over such a platform can build its configuration. Sealed, as
/// [`LoginApi`].
pub trait WithAppSecret: Described {}

/// One platform's login API.
#[derive(Debug)]
pub struct Api<K> {
    /// What the platform and its settings are called, and where its API is.
    pub about: &'static About,
    /// The exchange's path below the API base.
    pub path: &'static str,
    /// The statuses besides 200 whose body is still the platform's answer (Baidu's OAuth 2.0
    /// service answers its errors with `400 Bad Request`).
    pub error_statuses: &'static [u16],
    /// The longest login code sent, in bytes.
    pub max_code_len: usize,
    /// The longest answer read, in bytes.
    pub max_answer_len: usize,
    /// The platform's codes a login can meet, each with what it means.
    pub codes: &'static [Documented],
    /// How the exchange goes.
    pub shape: Shape<K>,
}

/// How an exchange goes: four functions, so that two platforms with one shape share them (WeChat
/// and QQ share `jscode2session`'s).
#[derive(Debug)]
pub struct Shape<K> {
    /// The keys made from the configured secret and public key.
    pub keys: fn(secret: &str, public_key: &str) -> Result<K, ConfigProblem>,
    /// Whether a code is worth sending, given the longest allowed.
    pub plausible: fn(&LoginCode, usize) -> bool,
    /// The request of one exchange.
    pub request: fn(&App<K>, &LoginCode) -> Result<RequestBuilder, Kind>,
    /// The answer's body as a login or the platform's refusal.
    pub read: fn(&App<K>, &[u8]) -> Result<Identity, Kind>,
}

/// A checked configuration, ready for exchanges: what a platform's functions are handed.
pub struct App<K> {
    /// About the platform.
    pub about: &'static About,
    /// The platform's documented codes.
    pub codes: &'static [Documented],
    /// The HTTP client (rustls, no redirects, the timeout).
    pub http: reqwest::Client,
    /// The API base, as configured.
    pub api_base: String,
    /// The exchange's URL.
    pub endpoint: Url,
    /// The app id.
    pub appid: String,
    /// The app secret (Alipay: the private key's text).
    pub secret: Zeroizing<String>,
    /// The most one exchange may take.
    pub timeout: Duration,
    /// What the platform prepared from its keys.
    pub keys: K,
}

impl<K> fmt::Debug for App<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("App")
            .field("platform", &self.about.platform)
            .field("appid", &self.appid)
            .finish_non_exhaustive()
    }
}

impl<K> App<K> {
    /// The platform's refusal: its code `code` (in its answer's `field`), classified by the
    /// documented codes, with its message for an undocumented one.
    pub fn refused(&self, field: &'static str, code: &dyn fmt::Display, msg: Option<&str>) -> Kind {
        Kind::refused(self.codes, field, &code.to_string(), msg)
    }
}

/// For platforms that prepare nothing from their keys.
#[allow(dead_code, reason = "a build with one platform may not need it")]
pub(super) fn no_keys(_secret: &str, _public_key: &str) -> Result<(), ConfigProblem> {
    Ok(())
}

/// The usual plausibility: the code itself is worth sending.
#[allow(dead_code, reason = "a build with one platform may not need it")]
pub(super) fn plausible(code: &LoginCode, max: usize) -> bool {
    http::plausible_code(&code.code, max)
}

/// `value` when it is there and not empty.
#[allow(dead_code, reason = "a build with one platform may not need it")]
pub(super) fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

/// The identity an answer with a user id and a session key makes, both required and not empty
/// (their fields named `id_field` and `key_field` in the answer).
#[allow(dead_code, reason = "a build with one platform may not need it")]
pub(super) fn with_session_key(
    platform: Platform,
    (id_field, user_id): (&'static str, Option<String>),
    (key_field, key): (&'static str, Option<PlatformSecret>),
) -> Result<Identity, Kind> {
    let user_id = non_empty(user_id).ok_or(Kind::MissingField(id_field))?;
    let key = key
        .filter(|k| !k.expose_secret().is_empty())
        .ok_or(Kind::MissingField(key_field))?;
    let mut identity = Identity::new(platform, user_id);
    identity.secret = Some(key);
    Ok(identity)
}
