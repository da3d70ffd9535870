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
use serde::Deserialize;

use super::{
    Identity, LoginClient, LoginCode, LoginConfig, Platform, PlatformSecret,
    api::{self, About, Api, App, Described, Documented, Env, Shape, WithAppSecret},
    error::Kind,
};

pub use super::DEFAULT_TIMEOUT;

/// Kuaishou's open platform API server.
pub const DEFAULT_API_BASE: &str = "https://open.kuaishou.com";
/// The longest login code accepted, in bytes.
pub const MAX_CODE_LEN: usize = 256;
/// The longest answer read from Kuaishou, in bytes.
pub const MAX_ANSWER_LEN: usize = 16 * 1024;

/// Kuaishou's login API (`oauth2/mp/code2session`), for [`LoginClient`] and [`LoginConfig`].
#[derive(Debug)]
pub enum KuaishouApi {}

impl WithAppSecret for KuaishouApi {}

impl Described for KuaishouApi {
    type Keys = ();
    const API: Api<()> = Api {
        about: &About {
            platform: Platform::Kuaishou,
            label: "Kuaishou",
            call: "ks.login",
            api_base: DEFAULT_API_BASE,
            env: Env {
                appid: "KUAISHOU_APPID",
                secret: "KUAISHOU_SECRET",
                public_key: None,
                api_base: "KUAISHOU_API_BASE",
            },
        },
        path: "oauth2/mp/code2session",
        error_statuses: &[],
        max_code_len: MAX_CODE_LEN,
        max_answer_len: MAX_ANSWER_LEN,
        codes: &[
            Documented::bad_code("100200100", "a parameter is empty or wrong"),
            Documented::config("100200101", "the app id or the app secret is wrong"),
        ],
        shape: Shape {
            keys: api::no_keys,
            plausible: api::plausible,
            request,
            read,
        },
    };
}

/// Which Kuaishou mini program logs in, and where Kuaishou is.
pub type KuaishouConfig = LoginConfig<KuaishouApi>;
/// Exchanges `ks.login` codes with Kuaishou.
pub type KuaishouClient = LoginClient<KuaishouApi>;

fn request(app: &App<()>, code: &LoginCode) -> Result<RequestBuilder, Kind> {
    let form = [
        ("app_id", app.appid.as_str()),
        ("app_secret", &app.secret),
        ("js_code", &code.code),
    ];
    Ok(app.http.post(app.endpoint.clone()).form(&form))
}

#[derive(Deserialize)]
struct KuaishouAnswer {
    result: Option<i64>,
    error: Option<String>,
    error_msg: Option<String>,
    open_id: Option<String>,
    session_key: Option<PlatformSecret>,
    union_id: Option<String>,
}

fn read(app: &App<()>, body: &[u8]) -> Result<Identity, Kind> {
    let answer: KuaishouAnswer = serde_json::from_slice(body).map_err(|_| Kind::NotJson)?;
    match answer.result {
        Some(1) => {}
        Some(code) => {
            let msg = answer.error_msg.as_deref().or(answer.error.as_deref());
            return Err(app.refused("result", &code, msg));
        }
        None => return Err(Kind::NotJson),
    }
    let mut identity = api::with_session_key(
        Platform::Kuaishou,
        ("open_id", answer.open_id),
        ("session_key", answer.session_key),
    )?;
    identity.unionid = api::non_empty(answer.union_id);
    Ok(identity)
}
