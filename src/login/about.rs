//! [`About`]: where a platform's API is and what its settings are called; what its errors say.

use super::identity::Platform;

/// About a platform: where its API is, and what its settings and its client's login call are
/// called.
#[derive(Debug)]
pub struct About {
    /// The platform (its name in messages is [`Platform::label`]).
    pub platform: Platform,
    /// The client's login call: `wx.login`, ...
    pub call: &'static str,
    /// Where the platform's API is by default (a whole URL when the exchange's path is empty).
    pub api_base: &'static str,
    /// The environment variables of [`LoginConfig::from_env`](super::LoginConfig::from_env).
    pub env: Env,
}

impl About {
    /// The platform, the client's login call, where the API is, and the variables.
    pub const fn new(
        platform: Platform,
        call: &'static str,
        api_base: &'static str,
        env: Env,
    ) -> Self {
        Self {
            platform,
            call,
            api_base,
            env,
        }
    }
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

impl Env {
    /// The variables of the app id, the app secret and the API base.
    pub const fn new(appid: &'static str, secret: &'static str, api_base: &'static str) -> Self {
        Self {
            appid,
            secret,
            public_key: None,
            api_base,
        }
    }

    /// And the variable of the platform's public key.
    pub const fn public_key(mut self, public_key: &'static str) -> Self {
        self.public_key = Some(public_key);
        self
    }
}
