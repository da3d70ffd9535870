//! One login exchange for every mini program platform: a code from the platform's login call in,
//! an [`Identity`] out (features `wechat`, `qq`, `douyin`, `alipay`).
//!
//! Each platform's client ([`WechatClient`](crate::wechat::WechatClient),
//! [`QqClient`](crate::qq::QqClient), [`DouyinClient`](crate::douyin::DouyinClient),
//! [`AlipayClient`](crate::alipay::AlipayClient)) implements [`MiniProgramLogin`], so a server
//! can keep one `Arc<dyn MiniProgramLogin>` per configured platform and serve them all at
//! `POST /login/{platform}` (see `examples/wechat_login.rs`):
//!
//! ```no_run
//! use sealed_session::login::{LoginCode, MiniProgramLogin};
//!
//! # async fn login(platform: &dyn MiniProgramLogin, session: sealed_session::Session) -> Result<(), Box<dyn std::error::Error>> {
//! let identity = platform.exchange(&LoginCode::new("the code the client posted")).await?;
//! session.clear();
//! session.cycle_id();
//! session.insert("platform", identity.platform.as_str())?;
//! session.insert("user_id", &identity.user_id)?;
//! if let Some(secret) = &identity.secret {
//!     session.insert("platform_secret", secret.expose_secret())?;
//! }
//! # Ok(()) }
//! ```
//!
//! Every failure is a [`LoginError`], which wraps the platform's own typed error; secrets,
//! private keys and login codes never appear in `Debug`, in errors or in logs.

mod error;
pub(crate) mod http;
mod identity;
#[cfg(any(feature = "wechat", feature = "qq"))]
pub(crate) mod jscode;

use std::{future::Future, pin::Pin};

pub use error::LoginError;
pub use identity::{Identity, LoginCode, Platform, PlatformSecret};

/// The future an exchange returns (boxed, so that the trait can be used as `dyn`).
pub type LoginFuture<'a> = Pin<Box<dyn Future<Output = Result<Identity, LoginError>> + Send + 'a>>;

/// A platform's login exchange: the one shape every platform client has.
pub trait MiniProgramLogin: Send + Sync + std::fmt::Debug {
    /// The platform this client logs in with.
    fn platform(&self) -> Platform;

    /// Exchanges the client's login code with the platform for the user's identity.
    ///
    /// # Errors
    ///
    /// A [`LoginError`] wrapping the platform's typed error: a code the platform refuses
    /// ([`LoginError::is_bad_code`]), one of its other documented error codes, a broken or
    /// late answer, or a failed connection.
    fn exchange<'a>(&'a self, code: &'a LoginCode) -> LoginFuture<'a>;
}
