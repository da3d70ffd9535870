//! Whether a user's `session_key` is still WeChat's current one: `GET /wxa/checksession`.
//!
//! WeChat's documentation of `checkSessionKey` (the fields this module sends and reads):
//! - `GET https://api.weixin.qq.com/wxa/checksession?access_token=&openid=&signature=&sig_method=`;
//! - `signature`: "用户登录态签名,用session_key对空字符串签名得到的结果。即
//!   signature = hmac_sha256(session_key, "")" (the login-state signature: the HMAC-SHA256 of the
//!   empty string under `session_key`), `sig_method`: "用户登录态签名的哈希方法,目前只支持
//!   hmac_sha256";
//! - errcode `87009`: "无效的签名" (invalid signature: the key is not the current one).
//!
//! Which form of the key: `session_key` is the text `code2session` returns (base64), and the
//! HMAC key is that text's bytes, not its 16 decoded bytes: WeChat's signature documentation
//! names `session_key` itself as the key, and QQ's identical scheme publishes the vector
//! `hmac_sha256('{"foo":"bar"}', 'o0q0otL8aEzpcZL/FT9WsQ==') = 654571f7...aa0b` under the text
//! key, which the tests below reproduce. The signature is lowercase hex.

use std::fmt::Write as _;

use ring::hmac;
use zeroize::Zeroizing;

use super::{AccessTokens, WechatError, WechatSessionKey};

/// `hmac_sha256(session_key, message)` as lowercase hex, the key being the session key's text.
fn sign(session_key: &str, message: &[u8]) -> Zeroizing<String> {
    let key = hmac::Key::new(hmac::HMAC_SHA256, session_key.as_bytes());
    let tag = hmac::sign(&key, message);
    let mut hex = Zeroizing::new(String::with_capacity(64));
    for byte in tag.as_ref() {
        // Writing to a String cannot fail.
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}

/// The login-state signature `checksession` takes: the HMAC-SHA256 of the empty string.
pub(super) fn signature(session_key: &WechatSessionKey) -> Zeroizing<String> {
    sign(session_key.expose_secret(), b"")
}

impl AccessTokens {
    /// Asks WeChat whether `session_key` is still the current key of the user `openid`, before
    /// asking the user for `encryptedData` again. `Ok(())`: it is.
    ///
    /// # Errors
    ///
    /// A [`WechatError`] with [`errcode`](WechatError::errcode) `87009`: the key is stale, a
    /// later `wx.login` replaced it; have the client log in again. The token's errors (refetched once and retried
    /// once on 40001 / 42001), a status, a broken answer, a timeout or a failed connection.
    pub async fn check_session_key(
        &self,
        openid: &str,
        session_key: &WechatSessionKey,
    ) -> Result<(), WechatError> {
        let signature = signature(session_key);
        let client = self.client();
        self.with_token(|token| {
            let mut url = self.endpoints().check_session.clone();
            url.query_pairs_mut()
                .append_pair("access_token", token.expose_secret())
                .append_pair("openid", openid)
                .append_pair("signature", &signature)
                .append_pair("sig_method", "hmac_sha256");
            let request = client.app().http.get(url);
            async move {
                let answer = super::access_token::fetch_json(request).await?;
                match answer.errcode.filter(|&c| c != 0) {
                    Some(code) => Err(super::server_api_error(
                        code,
                        answer.errmsg.as_deref().unwrap_or_default(),
                    )),
                    None => Ok(()),
                }
            }
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_the_session_keys_text() {
        // QQ's published vector for the same scheme, under the base64 text as the key.
        assert_eq!(
            *sign("o0q0otL8aEzpcZL/FT9WsQ==", br#"{"foo":"bar"}"#),
            "654571f79995b2ce1e149e53c0a33dc39c0a74090db514261454e8dbe432aa0b"
        );
        // The rule applied to WeChat's demo session key (computed independently with Python's
        // hmac module: hmac.new(b"tiihtNczf5v6AKRyjwEUhQ==", b"", sha256).hexdigest()).
        assert_eq!(
            *signature(&WechatSessionKey::new("tiihtNczf5v6AKRyjwEUhQ==")),
            "7154f9f8b4b76b92f541cbf0e37d48840fa06e5e42da92a6f80168a1516a4735"
        );
    }
}
