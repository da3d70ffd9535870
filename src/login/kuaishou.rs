//! Kuaishou mini program login: `ks.login` code in, [`Identity`] out (feature `kuaishou`).
//!
//! The exchange is `POST https://open.kuaishou.com/oauth2/mp/code2session` with the form
//! `app_id`, `app_secret` and `js_code`; Kuaishou answers `{result: 1, open_id, session_key}`,
//! or a `result` other than 1 with `error` and `error_msg`. The session key is a secret between
//! Kuaishou and your server: keep it in the sealed session.
//!
//! ```no_run
//! use sealed_session::{kuaishou::{KuaishouClient, KuaishouConfig}, login::LoginCode};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let kuaishou = KuaishouClient::new(KuaishouConfig::from_env()?)?; // KUAISHOU_APPID, KUAISHOU_SECRET
//! let identity = kuaishou.exchange(&LoginCode::new("code from ks.login")).await?;
//! # Ok(()) }
//! ```
//!
//! # Where this comes from
//!
//! Kuaishou's page for this exchange (mp.kuaishou.com, docs/develop/server/code2Session) is not
//! in the material this crate was written from. What is: Kuaishou's page for the mini program's
//! access token on the same OAuth service (mp.kuaishou.com, docs/develop/server/getAccessToken),
//! which documents the answer's `result` ("当 result 不为 1 时,说明请求错误") and two codes,
//! `100200100` ("参数有误,需要检查参数是否为空或有误": a parameter is empty or wrong) and
//! `100200101` ("验证出错,需要检查app_id和app_secret": check app_id and app_secret); and the
//! public projects that call this endpoint (SDKs in Go and PHP), which all post the form above
//! and read `result`, `open_id`, `session_key`, `error` and `error_msg`. `100200100` is read as
//! the code's fault: the app id and secret have their own code, and the code is the one
//! parameter the client gives. Kuaishou's mini game documentation adds `union_id` to the
//! answer; it is read when sent. Other codes are kept as Kuaishou sends them.

use reqwest::RequestBuilder;

use super::api::{About, Answer, Api, App, Described, Documented, Env};
use super::codes::Code::Number;
use super::{Identity, LoginClient, LoginCode, LoginConfig, Platform, error::Kind};

pub use super::DEFAULT_TIMEOUT;
pub use super::api::MAX_ANSWER_LEN;
pub use super::api::MAX_CODE_LEN;

/// Kuaishou's open platform API server.
pub const DEFAULT_API_BASE: &str = "https://open.kuaishou.com";

/// Kuaishou's login API (`oauth2/mp/code2session`), for [`LoginClient`] and [`LoginConfig`].
#[derive(Debug)]
pub enum KuaishouApi {}

impl Described for KuaishouApi {
    type Keys = ();
    const API: Api<()> = Api::new(&ABOUT, "oauth2/mp/code2session", CODES, request, read);
}

/// Which Kuaishou mini program logs in, and where Kuaishou is.
pub type KuaishouConfig = LoginConfig<KuaishouApi>;
/// Exchanges `ks.login` codes with Kuaishou.
pub type KuaishouClient = LoginClient<KuaishouApi>;

const ABOUT: About = About::new(Platform::Kuaishou, "ks.login", DEFAULT_API_BASE, ENV);
const ENV: Env = Env::new("KUAISHOU_APPID", "KUAISHOU_SECRET", "KUAISHOU_API_BASE");

/// Kuaishou's answer: `result` 1 and the login, or another `result` and its `error_msg`.
fn read(app: &App<()>, answer: &Answer<'_>) -> Result<Identity, Kind> {
    let msg = answer.text("error_msg")?.or(answer.text("error")?);
    answer.expect(app, "result", 1, msg.as_deref())?;
    answer.identity(
        Platform::Kuaishou,
        "open_id",
        "session_key",
        Some("union_id"),
    )
}

fn request(app: &App<()>, code: &LoginCode) -> Result<RequestBuilder, Kind> {
    app.post_credentials(["app_id", "app_secret", "js_code"], code)
}

/// The `result`s Kuaishou documents (see above).
const CODES: &[Documented] = &[
    Documented::bad_code(Number(100200100), "a parameter is empty or wrong"),
    Documented::config(Number(100200101), "the app id or the app secret is wrong"),
];
