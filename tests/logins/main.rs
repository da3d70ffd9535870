//! The `qq`, `douyin` and `alipay` features, the `MiniProgramLogin` trait they share with
//! `wechat`, and `examples/wechat_login.rs` serving `POST /login/{platform}`, against stand-ins
//! for each platform's API on 127.0.0.1 (standins.rs), over real HTTP.

#[path = "../common/mod.rs"]
mod common;
#[allow(unreachable_pub)]
mod standins;

#[path = "../../examples/wechat_login.rs"]
#[allow(dead_code, unreachable_pub)]
mod example;

mod alipay;
mod douyin;
mod example_routes;
mod qq;

use std::time::Duration;

use sealed_session::{
    alipay::{AlipayClient, AlipayConfig},
    douyin::{DouyinClient, DouyinConfig},
    qq::{QqClient, QqConfig},
};
use standins::*;

/// Ample for loopback on a loaded machine, and what `slow` waits for.
const TIMEOUT: Duration = Duration::from_secs(2);

fn qq(base: &str) -> QqClient {
    QqClient::new(
        QqConfig::new(QQ_APPID, QQ_SECRET)
            .with_api_base(base)
            .with_timeout(TIMEOUT),
    )
    .unwrap()
}

fn douyin(base: &str, secret: &str) -> DouyinClient {
    DouyinClient::new(
        DouyinConfig::new(DOUYIN_APPID, secret)
            .with_api_base(base)
            .with_timeout(TIMEOUT),
    )
    .unwrap()
}

fn alipay_with(gateway: &str, app_id: &str, private: &str, public: &str) -> AlipayClient {
    let config = AlipayConfig::new(app_id, key(private), key(public))
        .with_gateway(gateway)
        .with_timeout(TIMEOUT);
    AlipayClient::new(config).unwrap()
}

fn alipay(gateway: &str) -> AlipayClient {
    alipay_with(
        gateway,
        ALIPAY_APPID,
        "app-private-pkcs8",
        "alipay-public-spki",
    )
}

/// Every text an error shows: Display, Debug and its sources'.
fn all_text(e: &dyn std::error::Error) -> String {
    let mut text = format!("{e} {e:?}");
    let mut source = e.source();
    while let Some(s) = source {
        text += &format!(" {s} {s:?}");
        source = s.source();
    }
    text
}
