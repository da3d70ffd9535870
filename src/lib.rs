//! Stateless, encrypted sessions carried in a request header, for axum and tower.
//!
//! WeChat mini programs, mobile apps, uni-app/Taro builds and API clients have no cookie jar.
//! `sealed-session` gives them real server sessions anyway, without a session store: the session
//! data itself is serialized, sealed with XChaCha20-Poly1305 and sent to the client in a response
//! header (`x-session` by default). The client stores the value and sends it back on every
//! request. Any number of server instances can open it; there is nothing to clean up.
//!
//! # Quick start
//!
#![cfg_attr(feature = "axum", doc = "```no_run")]
#![cfg_attr(not(feature = "axum"), doc = "```ignore")]
//! use axum::{Router, routing::get};
//! use sealed_session::{Keys, Session, SessionConfig, SessionError, SessionLayer};
//!
//! async fn count(session: Session) -> Result<String, SessionError> {
//!     let n: u64 = session.get("n")?.unwrap_or(0) + 1;
//!     session.insert("n", n)?; // too large to seal: a logged 500, never a panic
//!     Ok(format!("request #{n} of this session"))
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // One or more base64 keys, comma-separated; the first seals, all open.
//!     let keys = Keys::from_env("SESSION_KEYS")?;
//!     let app = Router::new()
//!         .route("/", get(count))
//!         .layer(SessionLayer::new(SessionConfig::new(keys))?);
//!     let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
//!     axum::serve(listener, app).await?;
//!     Ok(())
//! }
//! ```
//!
//! The [`guide`] has the rest, a page per topic: configuration, keys and their rotation,
//! carriers, mini program logins, hooks, revocation, parallel requests, other languages.
//!
//! # What happens on each request
//!
//! [`SessionLayer`] opens the incoming token. A token that is missing, malformed, sealed with an
//! unknown key, altered, expired or past the absolute lifetime is *refused*: the request goes on
//! with a new, empty session and a `tracing` event says why ([`Refusal`]); a refused token never
//! fails a request. The token format and each refusal's opening step are in the repository's
//! `docs/token-format.md`.
//!
#![doc = include_str!("../docs/responses.md")]
//!
//! # Features
//!
//! - `axum` (default): the [`Session`] extractor, and `Option<Session>`.
//! - `cookie`: the `Carrier::Cookie` carrier and `CookieOptions`, for browsers (H5 builds, web apps).
//! - `wechat`: [`wechat::WechatClient`], WeChat's `code2session` login exchange (reqwest with
//!   rustls), for mini program logins, and the [`login`] module every platform shares (one
//!   client, one error, the `MiniProgramLogin` trait); see `examples/wechat_login.rs`.
//! - `qq`, `douyin`, `alipay`, `baidu`, `kuaishou`: the same login exchange for QQ
//!   (`jscode2session`), Douyin (`v2/jscode2session`), Alipay (`alipay.system.oauth.token`,
//!   RSA2-signed with `ring`), Baidu (`jscode2sessionkey`) and Kuaishou (`code2session`).
//! - `redis`: `RedisRevocationList`, a [`RevocationList`] in Redis shared by a fleet (needs Tokio).
//!
//! Without default features the crate is the codec ([`token::Codec`]), the keys, the session
//! and the tower layer, with no axum dependency.
//!
//! # Security model
//!
//! A token is confidential, integral and authentic: clients cannot read the session, change it,
//! or make up tokens. The additional data binds the version, the key id and a configurable
//! context string, so a token cannot be moved to another application that shares keys. Keys are
//! wiped from memory on drop and never printed; tokens and session data never appear in logs
//! or error messages; the header is marked sensitive for logging middleware.
//!
//! What a client *can* see: the token's length (so roughly how much the session holds), the key
//! id, and when the server re-issues it.
//!
//! # Limitations
//!
//! A stateless token cannot be taken back: a copy that someone kept stays valid until its expiry
//! or the absolute lifetime, even after [`Session::destroy`]. Keep max ages short for sensitive
//! applications; to end all sessions at once, remove the key; to end one early, use
//! [`Session::revoke`] with a [`RevocationList`] shared by the fleet; to end all of one user's
//! sessions, refuse older ones in a [`SessionConfig::with_validate`] hook.
//!
//! Parallel requests each get their own copy of the session. Tokens carry the session's line
//! and write generation in the clear (format version 2), so a client can keep the newest write
//! rather than the last answer to arrive; two writes made in parallel from one token still
//! conflict (one is kept, the other reported by the mini program client). See the guide's
//! [parallel requests](guide::parallel).
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod aead;
mod carrier;
mod clock;
mod config;
#[cfg(feature = "cookie")]
mod cookie;
mod defaults;
mod error;
#[cfg(feature = "axum")]
mod extract;
mod future;
// The guide's pages use the extractor in nearly every snippet.
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub mod guide;
mod hooks;
mod key;
mod layer;
#[cfg(any(
    feature = "wechat",
    feature = "qq",
    feature = "douyin",
    feature = "alipay",
    feature = "baidu",
    feature = "kuaishou"
))]
#[cfg_attr(
    docsrs,
    doc(cfg(any(
        feature = "wechat",
        feature = "qq",
        feature = "douyin",
        feature = "alipay",
        feature = "baidu",
        feature = "kuaishou"
    )))
)]
pub mod login;
pub mod metrics;
mod response;
pub mod revocation;
mod service;
mod session;
pub mod token;

// Each platform's module lives under `login` (it is a description the one login client reads);
// its path at the crate's root stays.
#[cfg(feature = "alipay")]
pub use login::alipay;
#[cfg(feature = "baidu")]
pub use login::baidu;
#[cfg(feature = "douyin")]
pub use login::douyin;
#[cfg(feature = "kuaishou")]
pub use login::kuaishou;
#[cfg(feature = "qq")]
pub use login::qq;
#[cfg(feature = "wechat")]
pub use login::wechat;

#[cfg(feature = "cookie")]
#[cfg_attr(docsrs, doc(cfg(feature = "cookie")))]
pub use ::cookie::SameSite;
pub use carrier::Carrier;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::SessionConfig;
#[cfg(feature = "cookie")]
#[cfg_attr(docsrs, doc(cfg(feature = "cookie")))]
pub use cookie::CookieOptions;
pub use defaults::{
    DEFAULT_ABSOLUTE_LIFETIME, DEFAULT_CLOCK_SKEW, DEFAULT_HEADER, DEFAULT_MAX_AGE,
    DEFAULT_MAX_LEN, DEFAULT_ROTATION_MARGIN, RECOMMENDED_RELOAD_INTERVAL,
};
pub use error::{ConfigError, KeyError, KeyHint, RandomError, Refusal, SessionError};
#[cfg(feature = "key-file")]
pub use error::{KeyFileError, KeyFileProblem};
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
pub use extract::MissingSessionLayer;
pub use future::ResponseFuture;
pub use key::{KEY_LEN, Key, KeyId, KeyState, Keys, SessionKeys};
#[cfg(feature = "key-file")]
pub use key::{KeySource, Reload, file as key_file};
pub use layer::SessionLayer;
#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub use revocation::RedisRevocationList;
pub use revocation::{BoxError, RevocationList, TimedOut, WhenUnreachable};
/// The JSON value type of [`SessionView::get_value`] (serde_json's), re-exported so that no
/// version of serde_json needs to be named.
pub use serde_json::Value;
pub use service::SessionService;
pub use session::{Session, SessionView};
/// The date-time type of [`SessionView::created_at`] and `expires_at` (the `time` crate's).
pub use time::OffsetDateTime;
pub use token::SessionId;

// The README's snippets use the extractor; the guide's pages carry their own snippets.
#[cfg(all(doctest, feature = "axum"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
