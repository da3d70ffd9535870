//! [`About`]: what a platform and its settings are called, and where its API is; what its
//! errors say.

use super::identity::Platform;

/// About a platform: what it and its settings are called, and where its API is.
#[derive(Debug)]
pub struct About {
    /// The platform.
    pub platform: Platform,
    /// Its name in messages: `WeChat`, `QQ`, ...
    pub label: &'static str,
    /// The client's login call: `wx.login`, ...
    pub call: &'static str,
    /// Where the platform's API is by default (a whole URL when the exchange's path is empty).
    pub api_base: &'static str,
    /// The environment variables of [`LoginConfig::from_env`](super::LoginConfig::from_env).
    pub env: Env,
}

/// The environment variables a platform's configuration is read from.
#[derive(Debug)]
pub struct Env {
    /// The app id.
    pub appid: &'static str,
    /// The app secret (Alipay: the app's private key).
    pub secret: &'static str,
    /// The platform's public key, for platforms that sign their answers (Alipay).
    pub public_key: Option<&'static str>,
    /// The API base, when set and not empty.
    pub api_base: &'static str,
}
