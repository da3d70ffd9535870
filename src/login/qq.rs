//! QQ mini program login: `qq.login` code in, [`Identity`] out (feature `qq`).
//!
//! QQ's exchange is WeChat's (`GET /sns/jscode2session` with `appid`, `secret`, `js_code` and
//! `grant_type=authorization_code`, answering `openid`, `session_key`, `unionid` or `errcode`
//! and `errmsg`) at QQ's own API base, [`DEFAULT_API_BASE`]. The session key is a secret between
//! QQ and your server (see [`wechat`](super::wechat) for why it stays inside the seal).
//!
//! ```no_run
//! use sealed_session::{login::{LoginCode, MiniProgramLogin}, qq::{QqClient, QqConfig}};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let qq = QqClient::new(QqConfig::from_env()?)?; // QQ_APPID, QQ_SECRET, QQ_API_BASE
//! let identity = qq.exchange(&LoginCode::new("code from qq.login")).await?;
//! # Ok(()) }
//! ```
//!
//! QQ's documentation of `code2Session` (QQ mini programs, server API, login), the codes it
//! lists: `-1` "系统繁忙，此时请开发者稍候再试" (busy, try again), `0` success, `40029` "code 无效"
//! (invalid code), `45011` "频率限制，每个用户每分钟100次" (100 a minute per user).

use super::api::{About, Api, Described, Documented, Env};
use super::codes::Code::Number;
use super::{Identity, LoginClient, LoginCode, LoginConfig, Platform, jscode};

pub use super::DEFAULT_TIMEOUT;
pub use super::api::MAX_ANSWER_LEN;
pub use super::jscode::MAX_CODE_LEN;

/// QQ's API server.
pub const DEFAULT_API_BASE: &str = "https://api.q.qq.com";

/// QQ's login API (`jscode2session` at `api.q.qq.com`), for [`LoginClient`] and [`LoginConfig`].
#[derive(Debug)]
pub enum QqApi {}

impl Described for QqApi {
    type Keys = ();
    const API: Api<()> = jscode::api(&ABOUT, CODES);
}

/// Which QQ mini program logs in, and where and how to reach QQ.
pub type QqConfig = LoginConfig<QqApi>;
/// Exchanges `qq.login` codes with QQ.
pub type QqClient = LoginClient<QqApi>;

const ABOUT: About = About::new(Platform::Qq, "qq.login", DEFAULT_API_BASE, ENV);
const ENV: Env = Env::new("QQ_APPID", "QQ_SECRET", "QQ_API_BASE");

impl QqClient {
    /// Exchanges a `qq.login` code for the user's identity (`openid`, `unionid`, session key).
    ///
    /// # Errors
    ///
    /// A [`QqError`]: an implausible code (not sent), one of QQ's error codes, a status other
    /// than 200, a broken answer, a timeout, or a failed connection.
    pub async fn code2session(&self, code: &str) -> Result<Identity, QqError> {
        self.exchange(&LoginCode::new(code)).await
    }
}

// The errors of every platform, under this platform's old names.
pub use super::LoginConfigError as QqConfigError;
pub use super::LoginError as QqError;

/// The codes QQ documents (see above).
const CODES: &[Documented] = &[
    Documented::bad_code(Number(40029), "the code is invalid, expired or used"),
    Documented::rate_limited(Number(45011), "100 logins a minute per user"),
    Documented::upstream(Number(-1), "QQ is busy"),
];
