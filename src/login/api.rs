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
    answer::Answer,
    codes::Documented,
};
use super::{
    config_error::ConfigProblem,
    error::Kind,
    http,
    identity::{Identity, LoginCode},
};

/// The longest login code accepted, in bytes.
#[allow(
    unreachable_pub,
    reason = "public where a platform that uses it is built"
)]
pub const MAX_CODE_LEN: usize = 256;
/// The longest answer read from the platform, in bytes.
#[allow(
    unreachable_pub,
    reason = "public where a platform that uses it is built"
)]
pub const MAX_ANSWER_LEN: usize = 16 * 1024;

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

/// A platform that prepares nothing from its keys has no keys but its app secret.
impl<T: Described<Keys = ()>> WithAppSecret for T {}

/// One platform's login API.
#[derive(Debug)]
pub struct Api<K> {
    /// Where the platform's API is, and what its settings are called.
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
    pub request: Request<K>,
    /// The answer (a JSON object) as a login or the platform's refusal.
    pub read: Read<K>,
}

/// Makes the request of one exchange.
pub(super) type Request<K> = fn(&App<K>, &LoginCode) -> Result<RequestBuilder, Kind>;

/// Reads the answer as a login or the platform's refusal.
pub(super) type Read<K> = fn(&App<K>, &Answer<'_>) -> Result<Identity, Kind>;

impl Api<()> {
    /// The API at `path` below the platform's API base, whose codes mean what `codes` says, whose
    /// exchange is `request` and whose answer `read` reads: for a platform that prepares nothing
    /// from its keys, takes codes worth sending up to [`MAX_CODE_LEN`] bytes, and answers with
    /// status 200, up to [`MAX_ANSWER_LEN`] bytes.
    pub const fn new(
        about: &'static About,
        path: &'static str,
        codes: &'static [Documented],
        request: Request<()>,
        read: Read<()>,
    ) -> Self {
        let shape = Shape {
            keys: no_keys,
            plausible,
            request,
            read,
        };
        Self::with_shape(about, path, codes, shape)
    }
}

impl<K> Api<K> {
    /// The same, for a platform whose exchange goes as `shape` says.
    pub const fn with_shape(
        about: &'static About,
        path: &'static str,
        codes: &'static [Documented],
        shape: Shape<K>,
    ) -> Self {
        Self {
            about,
            path,
            error_statuses: &[],
            max_code_len: MAX_CODE_LEN,
            max_answer_len: MAX_ANSWER_LEN,
            codes,
            shape,
        }
    }

    /// With another longest code, in bytes.
    pub const fn max_code_len(mut self, max: usize) -> Self {
        self.max_code_len = max;
        self
    }

    /// With another longest answer, in bytes.
    pub const fn max_answer_len(mut self, max: usize) -> Self {
        self.max_answer_len = max;
        self
    }

    /// Reading the answers of these statuses too.
    pub const fn error_statuses(mut self, statuses: &'static [u16]) -> Self {
        self.error_statuses = statuses;
        self
    }

    /// With another test of the codes worth sending.
    pub const fn plausible(mut self, plausible: fn(&LoginCode, usize) -> bool) -> Self {
        self.shape.plausible = plausible;
        self
    }
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

    /// A `POST` of `form` to the exchange's URL.
    #[allow(dead_code, reason = "a build with one platform may not need it")]
    pub fn post_form(&self, form: &[(&str, &str)]) -> Result<RequestBuilder, Kind> {
        Ok(self.http.post(self.endpoint.clone()).form(form))
    }

    /// A `POST` of the form of the app id, the app secret and `code`, under the platform's
    /// `names` for them (in that order).
    #[allow(dead_code, reason = "a build with one platform may not need it")]
    pub fn post_credentials(
        &self,
        names: [&str; 3],
        code: &LoginCode,
    ) -> Result<RequestBuilder, Kind> {
        let [appid, secret, code_name] = names;
        self.post_form(&[
            (appid, &self.appid),
            (secret, &self.secret),
            (code_name, &code.code),
        ])
    }
}

/// For platforms that prepare nothing from their keys.
fn no_keys(_secret: &str, _public_key: &str) -> Result<(), ConfigProblem> {
    Ok(())
}

/// The usual plausibility: the code itself is worth sending.
pub(super) fn plausible(code: &LoginCode, max: usize) -> bool {
    http::plausible_code(&code.code, max)
}
