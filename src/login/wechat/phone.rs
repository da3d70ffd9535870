//! The user's phone number by the phone button's code: `POST /wxa/business/getuserphonenumber`.
//!
//! WeChat's documentation of `getPhoneNumber` (the fields this module sends and reads):
//! - `POST https://api.weixin.qq.com/wxa/business/getuserphonenumber?access_token=ACCESS_TOKEN`,
//!   body `{"code": "..."}`: "手机号获取凭证" (the code of
//!   `<button open-type="getPhoneNumber" bindgetphonenumber>`'s `e.detail.code`), single use,
//!   valid five minutes; not the `wx.login` code;
//! - answer `phone_info`: `phoneNumber` "用户绑定的手机号(国外手机号会有区号)",
//!   `purePhoneNumber` "没有区号的手机号", `countryCode` "区号",
//!   `watermark` `{timestamp, appid}` "数据水印";
//! - errcodes: `-1` system busy, `40029` "code 无效", `45011` "API 调用太频繁", and `40001` /
//!   `42001` for an invalid or expired access token (refetched once and retried once).

use std::fmt;

use serde::Deserialize;
use zeroize::Zeroizing;

use super::{AccessTokens, PhoneNumber, WechatError, errcodes};
use crate::login::{error::Kind, http};

/// The longest phone code accepted, in bytes (WeChat's are 64 hex characters).
pub const MAX_PHONE_CODE_LEN: usize = 256;
const MAX_PHONE_ANSWER_LEN: usize = 16 * 1024;

/// The code of the phone button (`<button open-type="getPhoneNumber">`, `e.detail.code`): a type
/// of its own, so that the `wx.login` code (a `&str` for
/// [`WechatClient::code2session`](super::WechatClient::code2session)) cannot be passed where it
/// belongs, nor it where the login code belongs. `Debug` prints `PhoneCode(REDACTED)`.
#[derive(Clone, PartialEq, Eq)]
pub struct PhoneCode(Zeroizing<String>);

impl PhoneCode {
    /// Wraps the code the client sent from the phone button.
    #[must_use]
    pub fn new(code: impl Into<String>) -> Self {
        Self(Zeroizing::new(code.into()))
    }
}

impl fmt::Debug for PhoneCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PhoneCode(REDACTED)")
    }
}

#[derive(Deserialize)]
struct PhoneAnswer {
    errcode: Option<i64>,
    errmsg: Option<String>,
    phone_info: Option<serde_json::Value>,
}

impl AccessTokens {
    /// Exchanges the phone button's code for the user's phone number, with the cached access
    /// token (refetched once and retried once on 40001 / 42001); the answer's watermark must name
    /// this app.
    ///
    /// # Errors
    ///
    /// A [`WechatError`] that [`is_bad_code`](WechatError::is_bad_code) for a code that is
    /// empty, too long or not printable ASCII (not sent) or that WeChat refuses (40029);
    /// [`is_rate_limited`](WechatError::is_rate_limited) (45011); `-1` busy; an answer with
    /// another app's watermark; the token's errors; a status, a
    /// broken answer, a timeout or a failed connection.
    pub async fn phone_number(&self, code: &PhoneCode) -> Result<PhoneNumber, WechatError> {
        if !http::plausible_code(&code.0, MAX_PHONE_CODE_LEN) {
            return Err(errcodes::error(Kind::BadCode {
                max: MAX_PHONE_CODE_LEN,
            }));
        }
        let client = self.client();
        let url = &self.endpoints().phone_number;
        // The code is single use: its copies in the body are not wiped.
        let body = serde_json::json!({ "code": code.0.as_str() }).to_string();
        let phone = self
            .with_token(|token| {
                let mut url = url.clone();
                url.query_pairs_mut()
                    .append_pair("access_token", token.expose_secret());
                let request = client
                    .app()
                    .http
                    .post(url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body.clone());
                async move {
                    let answer = http::fetch(request, MAX_PHONE_ANSWER_LEN)
                        .await
                        .map_err(errcodes::error)?;
                    let answer: PhoneAnswer = serde_json::from_slice(&answer)
                        .map_err(|_| errcodes::error(Kind::NotJson))?;
                    match answer.errcode.filter(|&c| c != 0) {
                        Some(code) => Err(super::server_api_error(
                            code,
                            answer.errmsg.as_deref().unwrap_or_default(),
                        )),
                        None => answer
                            .phone_info
                            .ok_or_else(|| errcodes::error(Kind::MissingField("phone_info"))),
                    }
                }
            })
            .await?;
        let phone = PhoneNumber::deserialize(phone)
            .map_err(|_| errcodes::error(Kind::MissingField("phone_info")))?;
        if phone.watermark.appid != client.app().appid {
            return Err(errcodes::error(Kind::OtherApp));
        }
        Ok(phone)
    }
}
