//! One login exchange for every mini program platform: a code from the platform's login call in,
//! an [`Identity`] out (features `wechat`, `qq`, `douyin`, `alipay`, `baidu`, `kuaishou`).
//!
//! # One client, each platform a description
//!
//! A platform is data, not a client of its own: where its API is, what its request and answer
//! look like, and what its error codes mean, described by its type ([`LoginApi`]). One
//! [`LoginConfig`] and one [`LoginClient`] serve every platform, and each platform's module
//! names them: [`QqClient`](qq::QqClient) is `LoginClient<QqApi>`,
//! [`WechatConfig`](wechat::WechatConfig) is `LoginConfig<WechatApi>`, and so on. Every failure
//! is one [`LoginError`], asked with predicates ([`is_bad_code`](LoginError::is_bad_code),
//! [`is_timeout`](LoginError::is_timeout), ...) whatever the platform.
//!
//! | platform | feature | client's login call | exchange |
//! |---|---|---|---|
//! | WeChat | `wechat` | `wx.login` | [`wechat`]: `GET /sns/jscode2session` |
//! | QQ | `qq` | `qq.login` | [`qq`]: `GET /sns/jscode2session` at `api.q.qq.com` |
//! | Douyin | `douyin` | `tt.login` | [`douyin`]: `POST /api/apps/v2/jscode2session` |
//! | Alipay | `alipay` | `my.getAuthCode` | [`alipay`]: `alipay.system.oauth.token`, RSA2 |
//! | Baidu | `baidu` | `swan.getLoginCode` | [`baidu`]: `POST /oauth/jscode2sessionkey` |
//! | Kuaishou | `kuaishou` | `ks.login` | [`kuaishou`]: `POST /oauth2/mp/code2session` |
//!
//! Every client implements [`MiniProgramLogin`], so a server can keep one
//! `Arc<dyn MiniProgramLogin>` per configured platform and serve them all at
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
//! Secrets, private keys and login codes never appear in `Debug`, in errors or in logs.

mod about;
mod answer;
mod api;
mod client;
mod codes;
mod config;
mod config_error;
mod error;
mod exchange;
mod http;
mod identity;
#[cfg(any(feature = "wechat", feature = "qq"))]
mod jscode;

#[cfg(feature = "alipay")]
#[cfg_attr(docsrs, doc(cfg(feature = "alipay")))]
pub mod alipay;
#[cfg(feature = "baidu")]
#[cfg_attr(docsrs, doc(cfg(feature = "baidu")))]
pub mod baidu;
#[cfg(feature = "douyin")]
#[cfg_attr(docsrs, doc(cfg(feature = "douyin")))]
pub mod douyin;
#[cfg(feature = "kuaishou")]
#[cfg_attr(docsrs, doc(cfg(feature = "kuaishou")))]
pub mod kuaishou;
#[cfg(feature = "qq")]
#[cfg_attr(docsrs, doc(cfg(feature = "qq")))]
pub mod qq;
#[cfg(feature = "wechat")]
#[cfg_attr(docsrs, doc(cfg(feature = "wechat")))]
pub mod wechat;

pub use api::{LoginApi, WithAppSecret};
pub use client::LoginClient;
pub use config::{DEFAULT_TIMEOUT, LoginConfig};
pub use config_error::LoginConfigError;
pub use error::LoginError;
pub use exchange::{LoginFuture, MiniProgramLogin};
pub use identity::{Identity, LoginCode, Platform, PlatformSecret};
