//! `GET {base}/sns/jscode2session`: the exchange WeChat defined and QQ copied, parameters and
//! answer alike: `appid`, `secret`, `js_code` and `grant_type=authorization_code` in, `openid`,
//! `session_key`, `unionid` or `errcode` and `errmsg` out.

use reqwest::RequestBuilder;
use serde::Deserialize;

use super::{
    api::{self, App, Shape},
    error::Kind,
    identity::{Identity, LoginCode, PlatformSecret},
};

/// The path of the exchange, below the API base.
pub(super) const PATH: &str = "sns/jscode2session";

/// How a `jscode2session` exchange goes.
pub(super) const SHAPE: Shape<()> = Shape {
    keys: api::no_keys,
    plausible: api::plausible,
    request,
    read,
};

/// The documented answer; every field optional, unknown fields ignored.
#[derive(Deserialize)]
struct JsCodeAnswer {
    errcode: Option<i64>,
    errmsg: Option<String>,
    openid: Option<String>,
    session_key: Option<PlatformSecret>,
    unionid: Option<String>,
}

fn request(app: &App<()>, code: &LoginCode) -> Result<RequestBuilder, Kind> {
    let mut url = app.endpoint.clone();
    url.query_pairs_mut()
        .append_pair("appid", &app.appid)
        .append_pair("secret", &app.secret)
        .append_pair("js_code", &code.code)
        .append_pair("grant_type", "authorization_code");
    Ok(app.http.get(url))
}

/// The answer's body (whatever its content type: WeChat sends `text/plain`) as a result.
pub(super) fn read(app: &App<()>, body: &[u8]) -> Result<Identity, Kind> {
    let answer: JsCodeAnswer = serde_json::from_slice(body).map_err(|_| Kind::NotJson)?;
    if let Some(code) = answer.errcode.filter(|&c| c != 0) {
        return Err(app.refused("errcode", &code, answer.errmsg.as_deref()));
    }
    let mut identity = api::with_session_key(
        app.about.platform,
        ("openid", answer.openid),
        ("session_key", answer.session_key),
    )?;
    identity.unionid = api::non_empty(answer.unionid);
    Ok(identity)
}
