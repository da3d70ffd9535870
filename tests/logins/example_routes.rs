//! The example serving `POST /login/{platform}` for QQ, Douyin, Alipay, Baidu and Kuaishou at
//! once.

use std::sync::Arc;

use sealed_session::{ManualClock, SessionLayer, login::MiniProgramLogin};
use serde_json::{Value, json};

use super::{
    common::{self, Site, T0, config, inspect, serve},
    *,
};

async fn example_site() -> String {
    let (qq_base, _) = stand_in(qq_router).await;
    let (douyin_base, _) = stand_in(douyin_router).await;
    let (gateway, _) = alipay_stand_in().await;
    let (baidu_base, _) = stand_in(baidu_router).await;
    let (kuaishou_base, _) = stand_in(kuaishou_router).await;
    let logins: Vec<Arc<dyn MiniProgramLogin>> = vec![
        Arc::new(qq(&qq_base)),
        Arc::new(douyin(&douyin_base, DOUYIN_SECRET)),
        Arc::new(alipay(&gateway)),
        Arc::new(baidu(&baidu_base, BAIDU_SECRET)),
        Arc::new(kuaishou(&kuaishou_base, KUAISHOU_SECRET)),
    ];
    let clock = ManualClock::new(T0);
    serve(example::router(
        logins,
        SessionLayer::new(config(&[1], &clock)).unwrap(),
    ))
    .await
}

async fn post(site: &str, path: &str, body: Value, token: Option<&str>) -> common::Reply {
    Site::at(site.to_owned(), ManualClock::new(T0))
        .send_json("POST", path, Some(&body.to_string()), token)
        .await
}

#[tokio::test]
async fn the_example_logs_in_with_each_platform_and_keeps_it_in_the_session() {
    let site = example_site().await;
    for (platform, body, openid, secret) in [
        (
            "qq",
            json!({ "code": "good-ivy" }),
            "qq-ivy",
            session_key_of("ivy"),
        ),
        (
            "douyin",
            json!({ "code": "good-ivy", "anonymous_code": "d9" }),
            "tt-ivy",
            session_key_of("ivy"),
        ),
        (
            "alipay",
            json!({ "code": "good-ivy" }),
            "al-ivy",
            access_token_of("ivy"),
        ),
        (
            "baidu",
            json!({ "code": "good-ivy" }),
            "bd-ivy",
            session_key_of("ivy"),
        ),
        (
            "kuaishou",
            json!({ "code": "good-ivy" }),
            "ks-ivy",
            session_key_of("ivy"),
        ),
    ] {
        let reply = post(&site, &format!("/login/{platform}"), body, None).await;
        assert_eq!(reply.status, 200, "{platform}: {}", reply.body);
        assert_eq!(
            reply.json(),
            json!({ "platform": platform, "openid": openid })
        );
        assert!(!reply.body.contains(&secret));
        let token = reply.new_token();
        let opened = inspect(&[1], &token);
        assert_eq!(opened.data.get_value("platform").unwrap(), platform);
        assert_eq!(opened.data.get_value("openid").unwrap(), openid);
        assert_eq!(
            opened.data.get_value("platform_secret").unwrap(),
            secret.as_str()
        );
        let me = Site::at(site.clone(), ManualClock::new(T0))
            .get("/me", Some(&token))
            .await;
        assert_eq!(me.json(), json!({ "platform": platform, "openid": openid }));
    }
}

#[tokio::test]
async fn the_example_answers_platform_errors_as_json() {
    let site = example_site().await;
    for (path, code, status, kind, errcode) in [
        ("/login/qq", "e40029", 400, "bad_code", json!(40029)),
        ("/login/qq", "e45011", 502, "qq", json!(45011)),
        ("/login/qq", "slow", 504, "qq_timeout", Value::Null),
        ("/login/douyin", "e40018", 400, "bad_code", json!(40018)),
        ("/login/douyin", "e40017", 502, "douyin", json!(40017)),
        (
            "/login/alipay",
            "sub-isv.code-invalid",
            400,
            "bad_code",
            json!("isv.code-invalid"),
        ),
        ("/login/alipay", "code-20000", 502, "alipay", json!(20000)),
        ("/login/alipay", "forged", 502, "alipay", Value::Null),
        (
            "/login/baidu",
            "oauth-invalid_grant",
            400,
            "bad_code",
            json!("invalid_grant"),
        ),
        (
            "/login/baidu",
            "errno-10010100",
            502,
            "baidu",
            json!(10010100),
        ),
        ("/login/baidu", "slow", 504, "baidu_timeout", Value::Null),
        (
            "/login/kuaishou",
            "r100200100",
            400,
            "bad_code",
            json!(100200100),
        ),
        (
            "/login/kuaishou",
            "r100200101",
            502,
            "kuaishou",
            json!(100200101),
        ),
        (
            "/login/wechat",
            "good-x",
            404,
            "unknown_platform",
            Value::Null,
        ),
        (
            "/login/weixin",
            "good-x",
            404,
            "unknown_platform",
            Value::Null,
        ),
    ] {
        let reply = post(&site, path, json!({ "code": code }), None).await;
        assert_eq!(reply.status, status, "{path} {code}: {}", reply.body);
        assert_eq!(reply.json()["error"], kind, "{path} {code}");
        assert_eq!(reply.json()["errcode"], errcode, "{path} {code}");
        assert!(!reply.json()["message"].as_str().unwrap().is_empty());
        assert_eq!(reply.token, None);
    }
    let unknown = post(&site, "/login/wechat", json!({ "code": "x" }), None).await;
    assert!(
        unknown.json()["message"]
            .as_str()
            .unwrap()
            .contains("alipay, baidu, douyin, kuaishou, qq")
    );
}
