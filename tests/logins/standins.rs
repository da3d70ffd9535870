//! The platforms' stand-ins (`examples/support/standins.rs`, shared with `examples/standin.rs`),
//! each served on its own free port on 127.0.0.1 for one test.

use std::sync::Arc;

use axum::Router;

#[path = "../../examples/support/standins.rs"]
#[allow(dead_code)]
mod shared;

pub use shared::*;

use super::common::serve;

/// The stand-in `router` makes; its base URL and what it saw.
pub async fn stand_in(router: fn(Arc<Seen>) -> Router) -> (String, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    (serve(router(seen.clone())).await, seen)
}

/// An Alipay stand-in; its gateway URL and what it saw.
pub async fn alipay_stand_in() -> (String, Arc<Seen>) {
    let (base, seen) = stand_in(alipay_router).await;
    (format!("{base}/gateway.do"), seen)
}
