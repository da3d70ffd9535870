//! `GET {base}/sns/jscode2session`: the exchange WeChat defined and QQ copied, parameters and
//! answer alike: `appid`, `secret`, `js_code` and `grant_type=authorization_code` in, `openid`,
//! `session_key`, `unionid` or `errcode` and `errmsg` out.

use reqwest::RequestBuilder;

use super::api::{About, Answer, Api, App, Documented};
use super::error::Kind;
use super::identity::{Identity, LoginCode};

/// The longest login code accepted, in bytes; WeChat's are 32 characters.
pub const MAX_CODE_LEN: usize = 128;

/// The `jscode2session` API of the platform `about`, whose codes mean what `codes` says.
pub(super) const fn api(about: &'static About, codes: &'static [Documented]) -> Api<()> {
    Api::new(about, "sns/jscode2session", codes, request, read).max_code_len(MAX_CODE_LEN)
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

/// The answer (whatever its content type: WeChat sends `text/plain`) as a result.
fn read(app: &App<()>, answer: &Answer<'_>) -> Result<Identity, Kind> {
    if let Some(code) = answer.get::<i64>("errcode")?.filter(|&c| c != 0) {
        let msg = answer.get::<String>("errmsg")?;
        return Err(app.refused("errcode", &code, msg.as_deref()));
    }
    answer.identity(app.about.platform, "openid", "session_key", Some("unionid"))
}
