//! The platforms' stand-ins (`examples/support/standins.rs`, shared with `examples/standin.rs`),
//! each served on its own free port on 127.0.0.1 for one test.

use std::sync::Arc;

#[path = "../../examples/support/standins.rs"]
#[allow(dead_code)]
mod shared;

pub use shared::*;

use super::common::serve;

/// A QQ stand-in; its base URL and what it saw.
pub async fn qq_stand_in() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    (serve(qq_router(seen.clone())).await, seen)
}

/// A Douyin stand-in; its base URL and what it saw.
pub async fn douyin_stand_in() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    (serve(douyin_router(seen.clone())).await, seen)
}

/// An Alipay stand-in; its gateway URL and what it saw.
pub async fn alipay_stand_in() -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let base = serve(alipay_router(seen.clone())).await;
    (format!("{base}/gateway.do"), seen)
}
