//! `GET {base}/sns/jscode2session`: the exchange WeChat and QQ share, parameters and answer alike.

use reqwest::Url;
use serde::Deserialize;

use super::{
    PlatformSecret,
    http::{self, HttpFailure},
};

/// The path of the exchange, below the API base.
pub(crate) const PATH: &str = "sns/jscode2session";

/// Why the exchange gave no login.
#[derive(Debug)]
pub(crate) enum JsCodeFailure {
    Http(HttpFailure),
    NotJson,
    Errcode { code: i64, msg: Option<String> },
    MissingField(&'static str),
}

/// A successful answer.
pub(crate) struct JsCodeLogin {
    pub(crate) openid: String,
    pub(crate) session_key: PlatformSecret,
    pub(crate) unionid: Option<String>,
}

/// The documented answer; every field optional, unknown fields ignored.
#[derive(Deserialize)]
struct Answer {
    errcode: Option<i64>,
    errmsg: Option<String>,
    openid: Option<String>,
    session_key: Option<PlatformSecret>,
    unionid: Option<String>,
}

/// Exchanges `code` (already checked as plausible) at `endpoint`.
pub(crate) async fn exchange(
    http: &reqwest::Client,
    endpoint: &Url,
    (appid, secret): (&str, &str),
    code: &str,
    max_answer: usize,
) -> Result<JsCodeLogin, JsCodeFailure> {
    let mut url = endpoint.clone();
    url.query_pairs_mut()
        .append_pair("appid", appid)
        .append_pair("secret", secret)
        .append_pair("js_code", code)
        .append_pair("grant_type", "authorization_code");
    let body = http::fetch(http.get(url), max_answer)
        .await
        .map_err(JsCodeFailure::Http)?;
    parse(&body)
}

/// The answer's body (whatever its content type: WeChat sends `text/plain`) as a result.
pub(crate) fn parse(body: &[u8]) -> Result<JsCodeLogin, JsCodeFailure> {
    let answer: Answer = serde_json::from_slice(body).map_err(|_| JsCodeFailure::NotJson)?;
    match answer.errcode {
        None | Some(0) => {}
        Some(code) => {
            return Err(JsCodeFailure::Errcode {
                code,
                msg: answer.errmsg,
            });
        }
    }
    let openid = answer
        .openid
        .filter(|id| !id.is_empty())
        .ok_or(JsCodeFailure::MissingField("openid"))?;
    let session_key = answer
        .session_key
        .filter(|key| !key.expose_secret().is_empty())
        .ok_or(JsCodeFailure::MissingField("session_key"))?;
    Ok(JsCodeLogin {
        openid,
        session_key,
        unionid: answer.unionid.filter(|id| !id.is_empty()),
    })
}

/// An errmsg cut to 200 characters, for an error's text.
pub(crate) fn cut(msg: Option<&str>) -> String {
    msg.unwrap_or_default().chars().take(200).collect()
}
