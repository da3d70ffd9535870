//! What a successful exchange yields, with the session key kept out of sight.

use std::fmt;

use serde::Deserialize;
use zeroize::Zeroizing;

/// WeChat's `session_key` for one user's current login: a secret between WeChat and your server.
///
/// Keep it in the sealed session, never in a response body (see the
/// [module docs](super#what-session_key-is-for-and-why-it-stays-inside-the-seal)). Its `Debug`
/// prints `WechatSessionKey(REDACTED)`, it has no `Display` and no `Serialize`, and its bytes
/// are wiped on drop; read it with [`expose_secret`](Self::expose_secret), where you mean to.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct WechatSessionKey(Zeroizing<String>);

impl WechatSessionKey {
    /// Wraps a session key, e.g. one read back from the session to decrypt `encryptedData`.
    #[must_use]
    pub fn new(key: impl Into<String>) -> Self {
        Self(Zeroizing::new(key.into()))
    }

    /// The key itself, as WeChat sent it (base64 of 16 bytes). Named so that every place that
    /// reads it stands out in review.
    #[must_use]
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for WechatSessionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WechatSessionKey(REDACTED)")
    }
}

/// A successful `code2session` answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Code2Session {
    /// The user's id under your app: stable, the same on every login.
    pub openid: String,
    /// The secret WeChat shares with your server for this login; redacted in `Debug`.
    pub session_key: WechatSessionKey,
    /// The user's id across the apps of your WeChat Open Platform account, when your app is
    /// bound to one (and WeChat chose to send it).
    pub unionid: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_does_not_leak_the_session_key() {
        let key = WechatSessionKey::new("tiihtNczf5v6AKRyjwEUhQ==");
        assert_eq!(format!("{key:?}"), "WechatSessionKey(REDACTED)");
        let login = Code2Session {
            openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
            session_key: key,
            unionid: None,
        };
        let debug = format!("{login:?} {login:#?}");
        assert!(debug.contains("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"), "{debug}");
        assert!(!debug.contains("tiihtNczf5v6AKRyjwEUhQ"), "{debug}");
    }
}
