//! The guide: how to use the crate, page by page, with every snippet compiled as a doctest.
//!
//! Start with [`getting_started`]: a whole server, the walk-through with curl, and how to open
//! its tokens yourself. Then, as you need them:
//!
//! - [`configuration`]: every option and its default, what each response carries, the size cap,
//!   expiry, renew and the absolute lifetime;
//! - [`keys`]: key rotation across a fleet, and upgrading from token version 1;
//! - with the `key-file` feature: `rotation` (a key file every instance reloads: rotation in one
//!   change and a retire, for a plain file and for Kubernetes);
//! - [`security`]: what is sealed, what a client can see, and what a stateless session cannot do;
//! - [`carriers`]: the header, cookie and bearer carriers, CSRF, and CORS for H5 builds;
//! - [`hooks`]: `validate` and `before_seal`;
//! - [`parallel`]: parallel requests, the line and the write generation;
//! - [`readers`]: opening and sealing the same tokens from Node, Python and the command line;
//! - [`performance`]: what a request costs, against a floor and the peers;
//! - with the login features: `mini_programs` (the client package and every platform's server
//!   client) and `wechat` (the WeChat login walk-through against a local stand-in, the phone
//!   number, `encryptedData` and the access token);
//! - with the `redis` feature: `revocation` (ending sessions early, on every server);
//! - with the `metrics` feature: `fleet` (the metrics of every session decision, the alert
//!   rules, and when a rotated-out key may go).
//!
//! The wire format, every reason a token is refused and the public test vectors are in the
//! repository's [`docs/token-format.md`](https://github.com/sealed-session/sealed-session/blob/main/docs/token-format.md).

#[doc = include_str!("getting_started.md")]
pub mod getting_started {}

#[doc = include_str!("configuration.md")]
pub mod configuration {}

#[doc = include_str!("keys.md")]
pub mod keys {}

#[cfg(feature = "key-file")]
#[cfg_attr(docsrs, doc(cfg(feature = "key-file")))]
#[doc = include_str!("rotation.md")]
pub mod rotation {}

#[doc = include_str!("security.md")]
pub mod security {}

// The carriers page configures the cookie carrier.
#[cfg(feature = "cookie")]
#[cfg_attr(docsrs, doc(cfg(feature = "cookie")))]
#[doc = include_str!("carriers.md")]
pub mod carriers {}

#[doc = include_str!("hooks.md")]
pub mod hooks {}

#[doc = include_str!("parallel.md")]
pub mod parallel {}

#[doc = include_str!("readers.md")]
pub mod readers {}

#[doc = include_str!("performance.md")]
pub mod performance {}

#[cfg(all(
    feature = "wechat",
    feature = "qq",
    feature = "douyin",
    feature = "alipay",
    feature = "baidu",
    feature = "kuaishou"
))]
#[cfg_attr(
    docsrs,
    doc(cfg(all(
        feature = "wechat",
        feature = "qq",
        feature = "douyin",
        feature = "alipay",
        feature = "baidu",
        feature = "kuaishou"
    )))
)]
#[doc = include_str!("mini_programs.md")]
pub mod mini_programs {}

#[cfg(feature = "wechat")]
#[cfg_attr(docsrs, doc(cfg(feature = "wechat")))]
#[doc = include_str!("wechat.md")]
pub mod wechat {}

#[cfg(feature = "redis")]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
#[doc = include_str!("revocation.md")]
pub mod revocation {}

// The exporter's snippet is a file of its own, which tests/metrics.rs compiles and runs (the
// exporter is no dependency of the crate, so no doctest can build it).
#[cfg(feature = "metrics")]
#[cfg_attr(docsrs, doc(cfg(feature = "metrics")))]
#[doc = concat!(
    include_str!("fleet.md"),
    "```rust,ignore\n",
    include_str!("fleet_recorder.rs"),
    "```\n",
    include_str!("fleet_after.md"),
)]
pub mod fleet {}
