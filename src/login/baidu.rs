//! Baidu smart program login: `swan.getLoginCode` code in, [`Identity`] out (feature `baidu`).
//!
//! The exchange is `POST https://spapi.baidu.com/oauth/jscode2sessionkey` with the form
//! `code`, `client_id` (the smart program's **App Key**, not its numeric app id) and `sk` (its
//! App Secret); Baidu answers `{openid, session_key}`. Baidu sends no union id here (it has an
//! API of its own). The session key is a secret between Baidu and your server: keep it in the
//! sealed session.
//!
//! ```no_run
//! use sealed_session::{baidu::{BaiduClient, BaiduConfig}, login::LoginCode};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let baidu = BaiduClient::new(BaiduConfig::from_env()?)?; // BAIDU_APPKEY, BAIDU_SECRET
//! let identity = baidu.exchange(&LoginCode::new("code from swan.getLoginCode")).await?;
//! # Ok(()) }
//! ```
//!
//! # Where this comes from
//!
//! Baidu's documentation of Session Key (smartprogram.baidu.com, docs/develop/api/open/
//! log_Session-Key/; its source is Baidu's `swan-team/swan-docs` repository,
//! `develop/api/open/log_Session-Key.md`): the URL above (which replaced
//! `openapi.baidu.com/nalogin/getSessionKeyByCode`), `Content-Type:
//! application/x-www-form-urlencoded`, the three parameters, the answer `openid` ("用户身份标识")
//! and `session_key`, and for an error "一段JSON文本" with `error` (a code of Baidu's OAuth 2.0
//! error list, developer.baidu.com/wiki docs/oauth/error, whose example answer comes with
//! `HTTP/1.1 400 Bad Request`: a `400` is read as Baidu's answer too) and `error_description`. Later
//! editions of the page (as mirrored in March 2021) answer errors as `errno` (a number, e.g.
//! `10010100` "parameter is invalid"), `error` (its description) and `error_description`; the
//! table of `errno` values that page refers to is not in the material this crate was written
//! from, so `errno` values other than `10010100` are kept as Baidu sends them (the error
//! [`is_refused`](super::LoginError::is_refused) and quotes Baidu's `error`). Both shapes are read: an
//! `errno` when there is one, else the OAuth `error`.
//!
//! The OAuth 2.0 codes this exchange can meet, from that list: `invalid_request` ("请求缺少某个
//! 必需参数..."), `invalid_client` ("client_id、client_secret参数无效"), `invalid_grant` ("提供的
//! Access Grant是无效的、过期的或已撤销的, 例如, Authorization Code无效(一个授权码只能使用一次)"),
//! `unauthorized_client` ("应用没有被授权"); the list's others belong to other OAuth flows and
//! are kept as sent.

use reqwest::RequestBuilder;

use super::api::{About, Answer, Api, App, Described, Documented, Env};
use super::codes::Code::{Number, Text};
use super::{Identity, LoginClient, LoginCode, LoginConfig, Platform, error::Kind};

pub use super::DEFAULT_TIMEOUT;
pub use super::api::MAX_ANSWER_LEN;
pub use super::api::MAX_CODE_LEN;

/// Baidu's smart program API server.
pub const DEFAULT_API_BASE: &str = "https://spapi.baidu.com";

/// Baidu's login API (`oauth/jscode2sessionkey`), for [`LoginClient`] and [`LoginConfig`].
#[derive(Debug)]
pub enum BaiduApi {}

impl Described for BaiduApi {
    type Keys = ();
    // The OAuth 2.0 error list's example answer is `HTTP/1.1 400 Bad Request` with the JSON.
    const API: Api<()> =
        Api::new(&ABOUT, "oauth/jscode2sessionkey", CODES, request, read).error_statuses(&[400]);
}

/// Which Baidu smart program logs in (its App Key and App Secret), and where Baidu is.
pub type BaiduConfig = LoginConfig<BaiduApi>;
/// Exchanges `swan.getLoginCode` codes with Baidu.
pub type BaiduClient = LoginClient<BaiduApi>;

const ABOUT: About = About::new(Platform::Baidu, "swan.getLoginCode", DEFAULT_API_BASE, ENV);
const ENV: Env = Env::new("BAIDU_APPKEY", "BAIDU_SECRET", "BAIDU_API_BASE");

/// Baidu's answer: `errno` (with `error` its description) or the OAuth `error`, else the login.
fn read(app: &App<()>, answer: &Answer<'_>) -> Result<Identity, Kind> {
    let (error, msg) = (answer.text("error")?, answer.text("error_description")?);
    if let Some(errno) = answer.get::<i64>("errno")?.filter(|&n| n != 0) {
        return Err(app.refused("errno", &errno, error.or(msg).as_deref()));
    }
    if let Some(error) = error {
        return Err(app.refused("error", &error, msg.as_deref()));
    }
    answer.identity(Platform::Baidu, "openid", "session_key", None)
}

fn request(app: &App<()>, code: &LoginCode) -> Result<RequestBuilder, Kind> {
    app.post_credentials(["client_id", "sk", "code"], code)
}

/// The codes Baidu documents (see above).
const CODES: &[Documented] = &[
    Documented::bad_code(
        Text("invalid_grant"),
        "the code is invalid, expired or used",
    ),
    Documented::config(
        Text("invalid_client"),
        "the App Key or the App Secret is wrong",
    ),
    Documented::config(
        Text("unauthorized_client"),
        "the smart program is not authorized",
    ),
    Documented::refused(
        Text("invalid_request"),
        "a parameter is missing or malformed",
    ),
    Documented::refused(Number(10010100), "a parameter is invalid"),
];
