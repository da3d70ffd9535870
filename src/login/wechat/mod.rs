//! WeChat mini program login: the `code2session` exchange (feature `wechat`).
//!
//! # The flow
//!
//! 1. The mini program calls `wx.login()` and gets a one-time `code` (valid for five minutes,
//!    usable once).
//! 2. It sends the code to your server, e.g. `POST /login {"code": "..."}`.
//! 3. Your server exchanges it with [`WechatClient::code2session`], which calls WeChat's
//!    `GET /sns/jscode2session` with your app id and app secret, and gets back a
//!    [`Code2Session`]: the user's `openid` (their id under your app), their `unionid` (their id
//!    across the apps of one WeChat Open Platform account, when your app is bound to one) and a
//!    [`WechatSessionKey`].
//! 4. Your server stores those in the sealed [`Session`](crate::Session), calls
//!    [`Session::cycle_id`](crate::Session::cycle_id), and answers the `openid`. The response
//!    carries the sealed token in the session header; the mini program stores it and sends it
//!    back on every request. `examples/wechat_login.rs` is that server in one screen, and
//!    `examples/miniprogram/session.js` the client side.
//!
//! ```no_run
//! use std::time::Duration;
//! use sealed_session::wechat::{WechatClient, WechatConfig};
//!
//! # async fn login(session: sealed_session::Session, code: &str) -> Result<(), Box<dyn std::error::Error>> {
//! let wechat = WechatClient::new(WechatConfig::from_env()?.with_timeout(Duration::from_secs(3)))?;
//! let login = wechat.code2session(code).await?;
//! session.regenerate();
//! session.insert("openid", &login.user_id)?;
//! if let Some(session_key) = &login.secret {
//!     session.insert("wx_session_key", session_key.expose_secret())?;
//! }
//! # Ok(()) }
//! ```
//!
//! # What `session_key` is for, and why it stays inside the seal
//!
//! WeChat's `session_key` is the key WeChat shares with *your server* for this user's current
//! login. It is what checks the `signature` of the user data that `wx.getUserInfo` returns
//! (`sha1(rawData + session_key)`) and what decrypts the `encryptedData` that some mini program
//! APIs hand to the client (AES-128-CBC under the session key: share tickets, WeRun steps and
//! the like). WeChat's own rule is that the developer's server must never send it to the mini
//! program nor expose it anywhere else: a client that held it could forge "signed" user data
//! and decrypt data meant for your server.
//!
//! A sealed session keeps it without a store: the key travels in the token the client holds, but
//! the token is encrypted and authenticated with XChaCha20-Poly1305 under *your* key, so the
//! client carries it back on every request without being able to read it or change it. When a
//! handler needs it, it reads it from the [`Session`](crate::Session). It is never in a response
//! body, and this module never prints it: [`WechatSessionKey`] and [`WechatConfig`] (the app
//! secret) have redacted `Debug`, no `Display`, and are wiped from memory on drop. A new
//! `wx.login` makes the old session key invalid, which is why a login replaces the whole session.
//!
//! # What is not wiped
//!
//! [`WechatSessionKey`] wipes its own copy of the key when dropped. The copy a handler inserts
//! into the session (`expose_secret()` into `session.insert`) is a JSON string in the session's
//! data like any other: it is sealed into the token and never printed, but not wiped.
//!
//! WeChat takes the app secret in the query string of a `GET`, so it is also in the request URL
//! that `reqwest` builds and drops; and the answer passes through `hyper`'s buffers before it is
//! copied into a zeroized one. Neither is ever printed: errors drop the URL, redirects are not
//! followed, and no error text quotes the answer's body.
//!
//! # Errors
//!
//! Every failure is a [`WechatError`] (the crate's [`LoginError`](crate::login::LoginError)),
//! never a panic: each of WeChat's documented error codes that a login can meet is classified
//! (its predicates say which outcome it is), and a non-200 status, an answer that is not JSON,
//! too large or incomplete, a timeout and a broken connection are errors too.
//! [`WechatError::is_bad_code`] tells the errors that are the client's fault (ask it to call
//! `wx.login` again) from the server's or WeChat's; [`WechatError::errcode`] is WeChat's code.
//!
//! The client is the crate's one [`LoginClient`](crate::login::LoginClient), described by
//! [`WechatApi`]; its other APIs (the access token, the phone number, `checksession`) share its
//! HTTP client and app.

mod access_token;
mod check;
mod code2session;
mod endpoints;
mod errcodes;
mod open_data;
mod phone;
mod secret;

pub use access_token::{AccessToken, AccessTokens, REFRESH_AHEAD};
pub use code2session::{
    DEFAULT_API_BASE, DEFAULT_TIMEOUT, MAX_ANSWER_LEN, MAX_CODE_LEN, WechatApi, WechatClient,
    WechatConfig, WechatConfigError, WechatError,
};
pub use errcodes::server_api_error;
pub use open_data::{
    MAX_ENCRYPTED_DATA_LEN, OpenDataError, OpenDataField, OpenDataJson, OpenDataKind,
    OpenDataRules, PhoneNumber, ShareInfo, StepInfo, UserInfo, Watermark, WatermarkRule, WeRun,
    decrypt_bytes,
};
pub use phone::{MAX_PHONE_CODE_LEN, PhoneCode};
pub use secret::{Code2Session, WechatSessionKey};
