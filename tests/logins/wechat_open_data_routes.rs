//! `examples/wechat_login.rs`'s `POST /open-data` over real HTTP, against a stand-in for WeChat's
//! `jscode2session` on 127.0.0.1: the data decrypts with the session's own `session_key`, and each
//! failure gets its status and kind, never a 500, with no plaintext in any log event.
//!
//! The stand-in answers `GET /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code`
//! as WeChat documents it (`{"openid", "session_key"}`): `good-<user>` logs `<user>` in with a
//! session key of its own ([`key_of`]); any other code is errcode 40029.

#[path = "../common/mod.rs"]
mod common;

#[path = "../../examples/wechat_login.rs"]
#[allow(dead_code, unreachable_pub)]
mod example;

use std::{collections::HashMap, sync::Arc, time::Duration};

use aes::cipher::{BlockEncryptMut as _, KeyIvInit as _, block_padding::Pkcs7};
use axum::{
    Json, Router,
    extract::Query,
    routing::{self, get},
};
use base64::{Engine as _, engine::general_purpose::STANDARD};
use common::{Events, Reply, Site, T0, config, serve};
use sealed_session::{
    ManualClock, SessionLayer,
    wechat::{AccessTokens, OpenDataRules, WechatClient, WechatConfig},
};
use serde_json::{Value, json};

const APPID: &str = "wx0123456789abcdef";
const SECRET: &str = "the-app-secret-0123456789";
const IV: [u8; 16] = *b"iv-for-the-tests";

/// The 16-byte session key the stand-in hands out for `user`.
fn key_of(user: &str) -> [u8; 16] {
    let mut key = *b"session-key-of-_";
    for (k, b) in key.iter_mut().zip(user.bytes()) {
        *k ^= b;
    }
    key
}

async fn jscode2session(Query(q): Query<HashMap<String, String>>) -> String {
    let param = |name: &str| q.get(name).map(String::as_str).unwrap_or_default();
    if param("appid") != APPID || param("secret") != SECRET {
        return json!({"errcode": 40013, "errmsg": "invalid appid"}).to_string();
    }
    match param("js_code").strip_prefix("good-") {
        Some(user) => json!({
            "openid": format!("o-{user}"),
            "session_key": STANDARD.encode(key_of(user)),
        })
        .to_string(),
        None => json!({"errcode": 40029, "errmsg": "invalid code"}).to_string(),
    }
}

/// `POST /cgi-bin/stable_token` (`{grant_type: "client_credential", appid, secret}`): one token.
async fn stable_token(Json(body): Json<Value>) -> Json<Value> {
    if body["grant_type"] != "client_credential"
        || body["appid"] != APPID
        || body["secret"] != SECRET
    {
        return Json(json!({"errcode": 40013, "errmsg": "invalid appid"}));
    }
    Json(json!({"access_token": "the-token", "expires_in": 7200}))
}

/// `POST /wxa/business/getuserphonenumber?access_token=` `{code}`: `phone-<n>` gives number n
/// with this app's watermark; others errcode 40029.
async fn getuserphonenumber(
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Json<Value> {
    if q.get("access_token").map(String::as_str) != Some("the-token") {
        return Json(json!({"errcode": 40001, "errmsg": "invalid credential"}));
    }
    match body["code"].as_str().and_then(|c| c.strip_prefix("phone-")) {
        Some(n) => Json(json!({"errcode": 0, "errmsg": "ok", "phone_info": {
            "phoneNumber": n, "purePhoneNumber": n, "countryCode": "86",
            "watermark": {"timestamp": 1_700_000_000, "appid": APPID},
        }})),
        None => Json(json!({"errcode": 40029, "errmsg": "invalid code"})),
    }
}

/// Encrypts `plain` as WeChat does (AES-128-CBC, PKCS#7), base64.
fn seal(key: &[u8; 16], plain: &[u8]) -> String {
    let enc = cbc::Encryptor::<aes::Aes128>::new(key.into(), (&IV).into());
    let mut buf = plain.to_vec();
    buf.resize(plain.len() + 16, 0);
    let len = enc
        .encrypt_padded_mut::<Pkcs7>(&mut buf, plain.len())
        .unwrap()
        .len();
    STANDARD.encode(&buf[..len])
}

fn body(data: &str, iv: &str) -> String {
    json!({"encryptedData": data, "iv": iv}).to_string()
}

fn iv() -> String {
    STANDARD.encode(IV)
}

/// The example with `/open-data` for [`APPID`], around a stand-in.
async fn site() -> Site {
    let wechat = serve(
        Router::new()
            .route("/sns/jscode2session", get(jscode2session))
            .route("/cgi-bin/stable_token", routing::post(stable_token))
            .route(
                "/wxa/business/getuserphonenumber",
                routing::post(getuserphonenumber),
            ),
    )
    .await;
    let client = WechatConfig::new(APPID, SECRET)
        .with_api_base(wechat)
        .with_timeout(Duration::from_secs(5));
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(config(&[1], &clock)).unwrap();
    let client = WechatClient::new(client).unwrap();
    let tokens = AccessTokens::new(&client).unwrap();
    let app = example::router_with(
        vec![Arc::new(client)],
        layer,
        Some(example::WechatApis {
            open_data: OpenDataRules::new(APPID),
            tokens: Some(tokens),
        }),
    );
    Site::at(serve(app).await, clock)
}

async fn login(site: &Site, user: &str) -> String {
    let code = json!({"code": format!("good-{user}")}).to_string();
    let reply = site
        .send_json("POST", "/login/wechat", Some(&code), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.new_token()
}

async fn post(site: &Site, body: &str, token: Option<&str>) -> Reply {
    site.send_json("POST", "/open-data", Some(body), token)
        .await
}

fn share(appid: &str) -> Vec<u8> {
    json!({"openGId": "tG-family-chat", "watermark": {"appid": appid, "timestamp": 1_700_000_000}})
        .to_string()
        .into_bytes()
}

#[tokio::test]
async fn open_data_decrypts_with_the_sessions_key_and_drops_the_watermark() {
    let (events, _guard) = Events::capture_all();
    let site = site().await;
    let token = login(&site, "alice").await;
    let data = seal(&key_of("alice"), &share(APPID));
    let reply = post(&site, &body(&data, &iv()), Some(&token)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json(), json!({"openGId": "tG-family-chat"}));

    // WeRun: thirty days of steps fit the route's body limit.
    let steps: Vec<Value> = (0..30)
        .map(|d| json!({"timestamp": 1_697_400_000 + d * 86_400, "step": 10_000 + d}))
        .collect();
    let run = json!({"stepInfoList": steps, "watermark": {"appid": APPID, "timestamp": 1}});
    let data = seal(&key_of("alice"), run.to_string().as_bytes());
    let reply = post(&site, &body(&data, &iv()), Some(&token)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["stepInfoList"][29]["step"], 10_029);

    let logged = events.lines().join("\n");
    assert!(!logged.contains("tG-family-chat"), "{logged}");
}

#[tokio::test]
async fn refusals_get_their_status_and_kind_and_log_only_the_kind() {
    let (events, _guard) = Events::capture_all();
    let site = site().await;
    let token = login(&site, "alice").await;
    // Data encrypted under bob's key (or alice's previous login's): it does not decrypt.
    let data = seal(&key_of("bob"), &share(APPID));
    let reply = post(&site, &body(&data, &iv()), Some(&token)).await;
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert_eq!(reply.json()["error"], "stale_session_key");
    assert!(
        reply.json()["hint"]
            .as_str()
            .unwrap()
            .contains("log in again")
    );
    // Padding right, text wrong: not JSON is the same sign.
    let data = seal(&key_of("alice"), b"not json at all");
    let reply = post(&site, &body(&data, &iv()), Some(&token)).await;
    assert_eq!(
        (reply.status, reply.json()["error"].clone()),
        (409, json!("stale_session_key"))
    );
    each_bad_input_gets_its_status_and_kind_never_500(&site, &token).await;
    let logged = events.lines().join("\n");
    assert!(logged.contains("stale_session_key"), "{logged}");
    assert!(logged.contains("other_app"), "{logged}");
    assert!(!logged.contains("tG-family-chat"), "{logged}");
    assert!(
        !logged.contains(&STANDARD.encode(key_of("alice"))),
        "{logged}"
    );
}

/// Each bad input gets its status and kind, never a 500. Called from the one test that captures
/// the example's events: the refusal's log event is only hit there, so no other test thread
/// races its callsite's interest.
async fn each_bad_input_gets_its_status_and_kind_never_500(site: &Site, token: &str) {
    let (site, token) = (site, Some(token));
    let good = seal(&key_of("alice"), &share(APPID));
    let other_app = seal(&key_of("alice"), &share("wx9999999999999999"));
    let bare = seal(&key_of("alice"), br#"{"openGId":"tG"}"#);
    let cases = [
        (body("%%%", &iv()), 400, "bad_base64"),
        (body(&good, "AAAA"), 400, "bad_length"),
        (body(&good, &STANDARD.encode([0u8; 32])), 400, "bad_length"),
        (body("AAAA", &iv()), 400, "bad_length"),
        (body(&other_app, &iv()), 403, "other_app"),
        (body(&bare, &iv()), 200, ""),
        (r#"{"iv": "AAAA"}"#.to_owned(), 400, "bad_request"),
        (
            body(&good, &iv()).replace("encryptedData", "encrypted_data"),
            400,
            "bad_request",
        ),
        ("not json".to_owned(), 400, "bad_request"),
    ];
    for (request, status, kind) in cases {
        let reply = post(site, &request, token).await;
        assert_eq!(reply.status, status, "{request}: {}", reply.body);
        if status != 200 {
            assert_eq!(reply.json()["error"], kind, "{request}");
            assert!(!reply.json()["message"].as_str().unwrap().is_empty());
        }
    }
    // Too large for the route's body limit: refused before the handler (413).
    let huge = body(&"A".repeat(20_000), &iv());
    assert_eq!(post(site, &huge, token).await.status, 413);
}

#[tokio::test]
async fn open_data_needs_a_wechat_login() {
    let site = site().await;
    let data = seal(&key_of("alice"), &share(APPID));
    let reply = post(&site, &body(&data, &iv()), None).await;
    assert_eq!(
        (reply.status, reply.json()["error"].clone()),
        (401, json!("not_logged_in"))
    );

    // Without rules (the plain router) the route says it is not configured.
    let clock = ManualClock::new(T0);
    let plain = example::router(vec![], SessionLayer::new(config(&[1], &clock)).unwrap());
    let plain = Site::at(serve(plain).await, clock);
    let reply = post(&plain, &body(&data, &iv()), None).await;
    assert_eq!(
        (reply.status, reply.json()["error"].clone()),
        (404, json!("not_configured"))
    );
}

#[tokio::test]
async fn phone_without_its_opt_in_names_wechat_bind_phone() {
    let phone = |code: &str| json!({"code": code}).to_string();
    // Exercise: `/phone` on the example with WeChat configured but phone binding not opted into
    // (`WECHAT_BIND_PHONE` unset: no access tokens), and on one with no WeChat at all.
    // Expectation: both 404 `not_configured`, each naming what is missing: the first
    // WECHAT_BIND_PHONE (it used to ask for WECHAT_APPID and WECHAT_SECRET, which were set).
    let clock = ManualClock::new(T0);
    let client = WechatClient::new(WechatConfig::new(APPID, SECRET)).unwrap();
    let no_phone = example::router_with(
        vec![Arc::new(client)],
        SessionLayer::new(config(&[1], &clock)).unwrap(),
        Some(example::WechatApis {
            open_data: OpenDataRules::new(APPID),
            tokens: None,
        }),
    );
    let no_phone = Site::at(serve(no_phone).await, clock.clone());
    let reply = no_phone
        .send_json("POST", "/phone", Some(&phone("good-alice")), None)
        .await;
    assert_eq!(
        (reply.status, reply.json()["error"].clone()),
        (404, json!("not_configured"))
    );
    let message = reply.json()["message"].as_str().unwrap().to_owned();
    assert!(message.contains("set WECHAT_BIND_PHONE=1"), "{message}");
    assert!(!message.contains("set WECHAT_APPID"), "{message}");

    let plain = example::router(vec![], SessionLayer::new(config(&[1], &clock)).unwrap());
    let reply = Site::at(serve(plain).await, clock)
        .send_json("POST", "/phone", Some(&phone("good-alice")), None)
        .await;
    assert_eq!(reply.status, 404);
    let message = reply.json()["message"].as_str().unwrap().to_owned();
    assert!(
        message.contains("set WECHAT_APPID and WECHAT_SECRET, and WECHAT_BIND_PHONE=1"),
        "{message}"
    );
}

#[tokio::test]
async fn the_phone_code_binds_a_number_that_me_then_reports() {
    let (events, _guard) = Events::capture_all();
    let site = site().await;
    let token = login(&site, "alice").await;
    let me = site.get("/me", Some(&token)).await;
    assert_eq!(me.json()["phone_bound"], false);

    let phone = |code: &str| json!({"code": code}).to_string();
    let reply = site
        .send_json(
            "POST",
            "/phone",
            Some(&phone("phone-13800138000")),
            Some(&token),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.json(),
        json!({"phoneNumber": "13800138000", "purePhoneNumber": "13800138000", "countryCode": "86"})
    );
    let token = reply.new_token();
    let me = site.get("/me", Some(&token)).await;
    assert_eq!(me.json()["phone_bound"], true);
    assert_eq!(me.json()["openid"], "o-alice");

    // A code WeChat refuses (a wx.login code sent where the phone code belongs).
    let reply = site
        .send_json("POST", "/phone", Some(&phone("good-alice")), Some(&token))
        .await;
    assert_eq!(
        (reply.status, reply.json()["error"].clone()),
        (400, json!("bad_code"))
    );
    assert_eq!(reply.json()["errcode"], 40029);
    // Not logged in.
    let reply = site
        .send_json("POST", "/phone", Some(&phone("phone-1")), None)
        .await;
    assert_eq!(reply.status, 401);
    let reply = site
        .send_json("POST", "/phone", Some("{}"), Some(&token))
        .await;
    assert_eq!(reply.status, 400);

    let logged = events.lines().join("\n");
    assert!(!logged.contains("13800138000"), "{logged}");
    assert!(!logged.contains("the-token"), "{logged}");
}
