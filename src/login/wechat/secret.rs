//! What a successful exchange yields, under WeChat's names, with the session key kept out of
//! sight.

use crate::login::PlatformSecret;

/// WeChat's `session_key` for one user's current login: a secret between WeChat and your server,
/// the [`PlatformSecret`] of a WeChat [`Identity`](crate::login::Identity).
///
/// Keep it in the sealed session, never in a response body (see the
/// [module docs](super#what-session_key-is-for-and-why-it-stays-inside-the-seal)). Its `Debug`
/// prints `PlatformSecret(REDACTED)`, it has no `Display` and no `Serialize`, and its bytes are
/// wiped on drop; read it with [`expose_secret`](PlatformSecret::expose_secret), where you mean
/// to.
pub type WechatSessionKey = PlatformSecret;

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
        assert_eq!(format!("{key:?}"), "PlatformSecret(REDACTED)");
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
