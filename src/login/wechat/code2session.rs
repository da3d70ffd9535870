//! WeChat's login API as data ([`WechatApi`]: `jscode2session` at `api.weixin.qq.com`), and
//! [`WechatClient::code2session`], the exchange answering WeChat's own shape.

use super::{errcodes, secret::Code2Session};
use crate::login::api::{About, Api, Described, Env};
use crate::login::{Identity, LoginClient, LoginCode, LoginConfig, Platform, error::Kind, jscode};

pub use crate::login::DEFAULT_TIMEOUT;
pub use crate::login::api::MAX_ANSWER_LEN;
pub use crate::login::jscode::MAX_CODE_LEN;

/// WeChat's API server.
pub const DEFAULT_API_BASE: &str = "https://api.weixin.qq.com";

/// WeChat's login API (`jscode2session`), for [`LoginClient`] and [`LoginConfig`].
#[derive(Debug)]
pub enum WechatApi {}

impl Described for WechatApi {
    type Keys = ();
    const API: Api<()> = jscode::api(&ABOUT, errcodes::LOGIN);
}

/// Which mini program logs in, and where and how to reach WeChat. Build it with
/// [`WechatConfig::new`] or [`WechatConfig::from_env`] and the `with_*` methods, then hand it to
/// [`WechatClient::new`], which checks it.
///
/// ```
/// use std::time::Duration;
/// use sealed_session::wechat::{WechatClient, WechatConfig};
/// let config = WechatConfig::new("wx0123456789abcdef", "the app secret")
///     .with_api_base("https://api.weixin.qq.com")
///     .with_timeout(Duration::from_secs(3));
/// assert!(!format!("{config:?}").contains("the app secret"));
/// let client = WechatClient::new(config)?;
/// # Ok::<(), sealed_session::wechat::WechatConfigError>(())
/// ```
pub type WechatConfig = LoginConfig<WechatApi>;
/// Exchanges `wx.login` codes with WeChat's `code2session` API. Cheap to clone (clones share one
/// connection pool); build one at start-up.
pub type WechatClient = LoginClient<WechatApi>;

const ABOUT: About = About::new(Platform::Wechat, "wx.login", DEFAULT_API_BASE, ENV);
const ENV: Env = Env::new("WECHAT_APPID", "WECHAT_SECRET", "WECHAT_API_BASE");

impl TryFrom<Identity> for Code2Session {
    type Error = WechatError;

    /// WeChat's names for a WeChat [`Identity`].
    ///
    /// # Errors
    ///
    /// A [`WechatError`] ([`is_upstream`](WechatError::is_upstream)) for an identity without a
    /// session key (WeChat's answer always has one).
    fn try_from(identity: Identity) -> Result<Self, WechatError> {
        let session_key = identity
            .secret
            .ok_or_else(|| errcodes::error(Kind::MissingField("session_key")))?;
        Ok(Self {
            openid: identity.user_id,
            session_key,
            unionid: identity.unionid,
        })
    }
}

// The errors of every platform, under this platform's old names.
pub use crate::login::LoginConfigError as WechatConfigError;
pub use crate::login::LoginError as WechatError;

impl WechatClient {
    /// Exchanges a `wx.login` code for the user's [`Identity`], as every platform's client
    /// does: `user_id` is the `openid`, `secret` the session key, `unionid` the `unionid`.
    /// [`Code2Session::try_from`] gives WeChat's own names.
    ///
    /// # Errors
    ///
    /// A [`WechatError`]: a code that is not plausible (not sent), one of WeChat's error codes,
    /// a status other than 200, an answer that is not JSON, too large or without `openid` /
    /// `session_key`, a timeout, or a failed connection.
    pub async fn code2session(&self, code: &str) -> Result<Identity, WechatError> {
        self.exchange(&LoginCode::new(code)).await
    }
}
