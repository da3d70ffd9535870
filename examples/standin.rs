//! NOT FOR PRODUCTION: stand-ins for the login APIs of WeChat, QQ, Douyin, Alipay, Baidu and
//! Kuaishou on 127.0.0.1, so that `examples/wechat_login.rs` (and your own server) can be tried without real
//! credentials. They answer as each platform documents, and log anyone in: the code
//! `good-alice` is user `alice`. They are the stand-ins the crate's own login tests use.
//!
//! ```sh
//! cargo run --example standin          # prints the variables to give the login server
//! ```
//!
//! Codes: `good-<user>` logs `<user>` in (openid `wx-<user>`, `qq-<user>`, `tt-<user>`,
//! `bd-<user>`, `ks-<user>`; Alipay user id `2088<user>`), `union-<user>` adds a unionid
//! (WeChat, QQ, Kuaishou); a code works once; `e<n>` answers WeChat's/QQ's errcode or Douyin's
//! err_no `n`; `status-<n>` answers that HTTP status; `slow` never answers (to see the client's
//! timeout). `examples/support/standins.rs` lists each platform's codes. `STANDIN_PORT` picks the port (default
//! 4000; `0` picks a free one).

#[path = "support/standins.rs"]
#[allow(dead_code, unreachable_pub)]
mod standins;
#[path = "support/mod.rs"]
mod support;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    support::init_logging();
    let listener = support::bind(support::port("STANDIN_PORT", 4000)?).await?;
    let base = format!("http://{}", listener.local_addr()?);
    eprintln!(
        "\n  *** STAND-INS, NOT FOR PRODUCTION: these log ANYONE in (code good-<user> is <user>) ***\n"
    );
    println!("listening on {base}");
    println!("# for examples/wechat_login.rs (or your own server):");
    println!(
        "export WECHAT_APPID={} WECHAT_SECRET={} WECHAT_API_BASE={base}/wechat",
        standins::WECHAT_APPID,
        standins::WECHAT_SECRET
    );
    println!(
        "export QQ_APPID={} QQ_SECRET={} QQ_API_BASE={base}/qq",
        standins::QQ_APPID,
        standins::QQ_SECRET
    );
    println!(
        "export DOUYIN_APPID={} DOUYIN_SECRET={} DOUYIN_API_BASE={base}/douyin",
        standins::DOUYIN_APPID,
        standins::DOUYIN_SECRET
    );
    println!(
        "export ALIPAY_APPID={} ALIPAY_GATEWAY={base}/alipay/gateway.do ALIPAY_PRIVATE_KEY={} ALIPAY_PUBLIC_KEY={}",
        standins::ALIPAY_APPID,
        standins::key("app-private-pkcs8"),
        standins::key("alipay-public-spki")
    );
    println!(
        "export BAIDU_APPKEY={} BAIDU_SECRET={} BAIDU_API_BASE={base}/baidu",
        standins::BAIDU_APP_KEY,
        standins::BAIDU_SECRET
    );
    println!(
        "export KUAISHOU_APPID={} KUAISHOU_SECRET={} KUAISHOU_API_BASE={base}/kuaishou",
        standins::KUAISHOU_APPID,
        standins::KUAISHOU_SECRET
    );
    axum::serve(listener, standins::all_platforms()).await?;
    Ok(())
}
