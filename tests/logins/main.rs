//! The `qq`, `douyin`, `alipay`, `baidu` and `kuaishou` features, the one login client and the
//! `MiniProgramLogin` trait they share with `wechat`, and `examples/wechat_login.rs` serving
//! `POST /login/{platform}`, against stand-ins for each platform's API on 127.0.0.1
//! (standins.rs), over real HTTP. What every platform does alike is tested once, for each of
//! them (every_platform.rs); each platform's file tests its own shape and codes.

#[path = "../common/mod.rs"]
mod common;
#[allow(unreachable_pub)]
mod standins;

#[path = "../../examples/wechat_login.rs"]
#[allow(dead_code, unreachable_pub)]
mod example;

mod alipay;
mod baidu;
mod douyin;
mod every_platform;
mod example_routes;
mod kuaishou;
mod qq;

use std::time::Duration;

use sealed_session::{
    alipay::{AlipayClient, AlipayConfig},
    baidu::BaiduClient,
    douyin::DouyinClient,
    kuaishou::KuaishouClient,
    login::{LoginApi, LoginClient, LoginCode, LoginConfig, MiniProgramLogin, WithAppSecret},
    qq::QqClient,
};
use standins::*;

/// Ample for loopback on a loaded machine, and what `slow` waits for.
const TIMEOUT: Duration = Duration::from_secs(2);

/// A client of the app `appid` of a platform with an app secret, at `base`.
fn client<P: LoginApi + WithAppSecret>(appid: &str, secret: &str, base: &str) -> LoginClient<P> {
    let config = LoginConfig::<P>::new(appid, secret)
        .with_api_base(base)
        .with_timeout(TIMEOUT);
    LoginClient::new(config).unwrap()
}

fn qq(base: &str) -> QqClient {
    client(QQ_APPID, QQ_SECRET, base)
}

fn douyin(base: &str, secret: &str) -> DouyinClient {
    client(DOUYIN_APPID, secret, base)
}

fn baidu(base: &str, secret: &str) -> BaiduClient {
    client(BAIDU_APP_KEY, secret, base)
}

fn kuaishou(base: &str, secret: &str) -> KuaishouClient {
    client(KUAISHOU_APPID, secret, base)
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

/// Exercise: a login with a client whose app secret is `wrong-secret`. Expectation: the app's
/// settings are at fault, the error names the setting `names`, and the secret never shows.
async fn a_wrong_secret_is_the_settings_fault(client: &dyn MiniProgramLogin, names: &str) {
    let e = client
        .exchange(&LoginCode::new("good-x"))
        .await
        .unwrap_err();
    assert!(e.is_config() && e.to_string().contains(names), "{e}");
    assert!(!all_text(&e).contains("wrong-secret"));
}

/// Exercise: an answer with the user's id and no session key (code `nokey`). Expectation: an
/// upstream error that names the missing field.
async fn an_answer_without_a_session_key_is_upstream(client: &dyn MiniProgramLogin) {
    let e = client.exchange(&LoginCode::new("nokey")).await.unwrap_err();
    assert!(
        e.is_upstream() && e.to_string().contains("`session_key`"),
        "{e}"
    );
}

/// The one outcome an error is (`LoginError`'s table), for the tests to compare.
fn outcome_of(e: &sealed_session::login::LoginError) -> &'static str {
    let outcomes = [
        (e.is_bad_code(), "bad code"),
        (e.is_rate_limited(), "rate limited"),
        (e.is_refused(), "refused"),
        (e.is_upstream(), "upstream"),
        (e.is_timeout(), "timeout"),
        (e.is_config(), "misconfigured"),
    ];
    let mut true_ones = outcomes.iter().filter(|(is, _)| *is);
    let (_, outcome) = true_ones.next().expect("an outcome");
    assert!(true_ones.next().is_none(), "one outcome only: {e:?}");
    outcome
}
