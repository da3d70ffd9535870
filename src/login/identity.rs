//! What goes into an exchange ([`LoginCode`]) and what comes out ([`Identity`]), with the
//! platform's secrets kept out of sight ([`PlatformSecret`]).

use std::fmt;

use serde::Deserialize;
use zeroize::Zeroizing;

/// The platforms a [`MiniProgramLogin`](super::MiniProgramLogin) logs in with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// WeChat mini programs (`wx.login`, `jscode2session`).
    Wechat,
    /// QQ mini programs (`qq.login`, `jscode2session` at `api.q.qq.com`).
    Qq,
    /// Douyin (ByteDance) mini programs (`tt.login`, `v2/jscode2session`).
    Douyin,
    /// Alipay mini programs (`my.getAuthCode`, `alipay.system.oauth.token`).
    Alipay,
    /// Baidu smart programs (`swan.getLoginCode`, `jscode2sessionkey`).
    Baidu,
    /// Kuaishou mini programs (`ks.login`, `code2session`).
    Kuaishou,
}

impl Platform {
    /// Every platform, with its name and its name in messages.
    const NAMES: [(Self, &'static str, &'static str); 6] = [
        (Self::Wechat, "wechat", "WeChat"),
        (Self::Qq, "qq", "QQ"),
        (Self::Douyin, "douyin", "Douyin"),
        (Self::Alipay, "alipay", "Alipay"),
        (Self::Baidu, "baidu", "Baidu"),
        (Self::Kuaishou, "kuaishou", "Kuaishou"),
    ];

    /// The platform's name in routes and sessions: `wechat`, `qq`, `douyin`, `alipay`, `baidu`
    /// or `kuaishou`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.names().0
    }

    /// The platform's name in messages: `WeChat`, `QQ`, ...
    pub(crate) fn label(self) -> &'static str {
        self.names().1
    }

    fn names(self) -> (&'static str, &'static str) {
        Self::NAMES
            .iter()
            .find(|(platform, ..)| *platform == self)
            .map_or(("", ""), |&(_, name, label)| (name, label))
    }

    /// The platform named `name` (as [`as_str`](Self::as_str) spells it), if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(platform, ..)| *platform)
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the client posts to log in: the one-time code of the platform's login call, and
/// Douyin's anonymous code when `tt.login` gave one. Deserializes from
/// `{"code": "...", "anonymous_code": "..."}` (both optional in JSON; an exchange refuses an
/// empty one). Its `Debug` hides the codes.
#[derive(Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct LoginCode {
    /// The code from `wx.login`, `qq.login`, `tt.login`, `my.getAuthCode` (`authCode`),
    /// `swan.getLoginCode` or `ks.login`.
    #[serde(default)]
    pub code: String,
    /// Douyin only: `anonymousCode` from `tt.login`.
    #[serde(default)]
    pub anonymous_code: Option<String>,
}

impl LoginCode {
    /// A login code.
    #[must_use]
    pub fn new(code: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            anonymous_code: None,
        }
    }

    /// With Douyin's anonymous code.
    #[must_use]
    pub fn with_anonymous_code(mut self, anonymous_code: impl Into<String>) -> Self {
        self.anonymous_code = Some(anonymous_code.into());
        self
    }
}

impl fmt::Debug for LoginCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginCode")
            .field("code", &"REDACTED")
            .field(
                "anonymous_code",
                &self.anonymous_code.as_ref().map(|_| "REDACTED"),
            )
            .finish()
    }
}

/// A secret the platform shares with your server: the `session_key` of WeChat, QQ, Douyin, Baidu
/// or Kuaishou, or Alipay's `access_token`. Keep it in the sealed session, never in a response body. Its `Debug`
/// is `PlatformSecret(REDACTED)`, it has no `Display` and no `Serialize`, and it is wiped on drop.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct PlatformSecret(Zeroizing<String>);

impl PlatformSecret {
    /// Wraps a secret, e.g. one read back from the session.
    #[must_use]
    pub fn new(secret: impl Into<String>) -> Self {
        Self(Zeroizing::new(secret.into()))
    }

    /// The secret itself. Named so that every place that reads it stands out in review.
    #[must_use]
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PlatformSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PlatformSecret(REDACTED)")
    }
}

/// Who logged in, as the platform says. The same shape for every platform; what each field holds
/// on each platform is in its doc.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Identity {
    /// Which platform vouched for the user.
    pub platform: Platform,
    /// The user's id under your app, stable across logins: `openid` (WeChat, QQ, Douyin, Baidu;
    /// for an anonymous Douyin login, `anonymous_openid`), Kuaishou's `open_id`, or Alipay's
    /// `open_id` (apps created since 2023), else its `user_id`.
    pub user_id: String,
    /// The user's id across the apps of one developer account (`unionid`; Kuaishou's
    /// `union_id`), when sent.
    pub unionid: Option<String>,
    /// Douyin only: `anonymous_openid`, the device's id, when an anonymous code was sent.
    pub anonymous_id: Option<String>,
    /// `true` for an anonymous Douyin login (no `code`, only `anonymous_code`).
    pub anonymous: bool,
    /// The secret for this login: `session_key` (WeChat, QQ, Douyin, Baidu, Kuaishou) or
    /// `access_token` (Alipay).
    pub secret: Option<PlatformSecret>,
}

impl Identity {
    /// An identity with no union id, no anonymous id and no secret.
    #[must_use]
    pub fn new(platform: Platform, user_id: impl Into<String>) -> Self {
        Self {
            platform,
            user_id: user_id.into(),
            unionid: None,
            anonymous_id: None,
            anonymous: false,
            secret: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_does_not_leak_the_secret_or_the_code() {
        let mut identity = Identity::new(Platform::Qq, "o-1");
        identity.secret = Some(PlatformSecret::new("tiihtNczf5v6AKRyjwEUhQ=="));
        let code = LoginCode::new("the-login-code").with_anonymous_code("the-anon-code");
        let debug = format!("{identity:?} {identity:#?} {code:?}");
        assert!(debug.contains("o-1"), "{debug}");
        for secret in ["tiihtNczf5v6AKRyjwEUhQ", "the-login-code", "the-anon-code"] {
            assert!(!debug.contains(secret), "{debug}");
        }
    }

    #[test]
    fn platform_names_round_trip() {
        for (p, ..) in Platform::NAMES {
            assert_eq!(Platform::from_name(p.as_str()), Some(p));
        }
        assert_eq!(Platform::Kuaishou.as_str(), "kuaishou");
        assert_eq!(Platform::from_name("weixin"), None);
    }
}
