//! Where WeChat's server APIs are, below the client's API base: checked once, when
//! [`AccessTokens`](super::AccessTokens) is built.

use reqwest::Url;

use crate::login::http;

/// The URLs of the APIs called with an access token.
pub(super) struct Endpoints {
    /// `POST /cgi-bin/stable_token` (src/login/wechat/access_token.rs).
    pub(super) stable_token: Url,
    /// `POST /wxa/business/getuserphonenumber` (src/login/wechat/phone.rs).
    pub(super) phone_number: Url,
    /// `GET /wxa/checksession` (src/login/wechat/check.rs).
    pub(super) check_session: Url,
}

impl Endpoints {
    /// Each API below `api_base`; why not, when one cannot be.
    pub(super) fn below(api_base: &str) -> Result<Self, &'static str> {
        Ok(Self {
            stable_token: http::endpoint(api_base, "cgi-bin/stable_token")?,
            phone_number: http::endpoint(api_base, "wxa/business/getuserphonenumber")?,
            check_session: http::endpoint(api_base, "wxa/checksession")?,
        })
    }
}
