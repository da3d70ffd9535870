//! The `wechat` feature and `examples/wechat_login.rs`, against a stand-in for WeChat's API on
//! 127.0.0.1, over real HTTP.
//!
//! The stand-in answers `GET /sns/jscode2session` as WeChat documents it, and decides by the code:
//! `good-<user>` logs `<user>` in (openid `o-<user>`), `union-<user>` adds a unionid, each code
//! works once; `e<n>` answers errcode `n`; `status-<n>` answers that HTTP status; `html`,
//! `empty`, `nokey` and `huge` answer a broken body; `slow` never answers (a hung upstream,
//! cut short by the client's 200 ms timeout).

#[path = "../common/mod.rs"]
mod common;

#[path = "../../examples/wechat_login.rs"]
#[allow(dead_code, unreachable_pub)]
mod example;

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Router,
    extract::{Query, State},
    http::{StatusCode, header::CONTENT_TYPE},
    response::{IntoResponse, Response},
    routing::get,
};
use common::{Reply, Site, T0, config, inspect, serve};
use sealed_session::{
    ManualClock, SessionLayer,
    wechat::{WechatClient, WechatConfig},
};
use serde_json::{Value, json};

const APPID: &str = "wx-test-app";
const SECRET: &str = "the-app-secret-0123456789";

/// The stand-in's state: codes already used, and how many requests reached it.
#[derive(Default)]
struct StandIn {
    used: Mutex<HashSet<String>>,
    hits: AtomicUsize,
}

/// The session key the stand-in hands out for `user`.
fn session_key_of(user: &str) -> String {
    format!("sk/{user}+AAAAAAAAAAA==")
}

async fn jscode2session(
    State(state): State<Arc<StandIn>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    state.hits.fetch_add(1, Ordering::SeqCst);
    let errcode = |code: i64, msg: &str| {
        // WeChat answers errors with status 200 and a JSON body, as text/plain.
        let body = json!({ "errcode": code, "errmsg": format!("{msg}, rid: 6523a1b2-0c0d") });
        ([(CONTENT_TYPE, "text/plain")], body.to_string()).into_response()
    };
    let param = |name: &str| q.get(name).map(String::as_str).unwrap_or_default();
    if param("appid") != APPID {
        return errcode(40013, "invalid appid");
    }
    if param("secret") != SECRET {
        return errcode(40125, "invalid appsecret");
    }
    if param("grant_type") != "authorization_code" {
        return errcode(40002, "invalid grant_type");
    }
    let code = param("js_code").to_owned();
    if !state.used.lock().unwrap().insert(code.clone()) {
        return errcode(40163, "code been used");
    }
    let user = |user: &str, unionid: bool| {
        let mut body =
            json!({ "openid": format!("o-{user}"), "session_key": session_key_of(user) });
        if unionid {
            body["unionid"] = format!("u-{user}").into();
        }
        ([(CONTENT_TYPE, "text/plain")], body.to_string()).into_response()
    };
    if let Some(name) = code.strip_prefix("good-") {
        return user(name, false);
    }
    if let Some(name) = code.strip_prefix("union-") {
        return user(name, true);
    }
    if let Some(n) = code.strip_prefix('e').and_then(|n| n.parse().ok()) {
        return errcode(n, "as asked");
    }
    // An openid of n characters: too long for the session's size cap from about 3000.
    if let Some(n) = code.strip_prefix("long-").and_then(|n| n.parse().ok()) {
        let body = json!({ "openid": "o".repeat(n), "session_key": session_key_of("long") });
        return ([(CONTENT_TYPE, "text/plain")], body.to_string()).into_response();
    }
    if let Some(n) = code.strip_prefix("status-").and_then(|n| n.parse().ok()) {
        return StatusCode::from_u16(n).unwrap().into_response();
    }
    match code.as_str() {
        "html" => ([(CONTENT_TYPE, "text/html")], "<html>busy</html>").into_response(),
        "empty" => "{}".into_response(),
        "nokey" => json!({ "openid": "o-nokey" }).to_string().into_response(),
        "huge" => "x".repeat(100_000).into_response(),
        // A hung upstream: it never answers, and the client's timeout ends the wait.
        "slow" => std::future::pending().await,
        _ => errcode(40029, "invalid code"),
    }
}

/// Starts a stand-in; returns its base URL and state.
async fn stand_in() -> (String, Arc<StandIn>) {
    let state = Arc::new(StandIn::default());
    let app = Router::new()
        .route("/sns/jscode2session", get(jscode2session))
        .with_state(state.clone());
    (serve(app).await, state)
}

fn client(base: &str, secret: &str) -> WechatClient {
    let config = WechatConfig::new(APPID, secret)
        .with_api_base(base)
        // Ample for loopback on a loaded machine, and what the `slow` code waits for.
        .with_timeout(Duration::from_secs(2));
    WechatClient::new(config).unwrap()
}

/// The example's router around a stand-in, with session keys `[1]`; returns its base URL.
async fn example_site() -> (String, Arc<StandIn>) {
    let (wechat, state) = stand_in().await;
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(config(&[1], &clock)).unwrap();
    (
        serve(example::router(
            vec![Arc::new(client(&wechat, SECRET))],
            layer,
        ))
        .await,
        state,
    )
}

/// `method path` with an optional raw body (sent as JSON) and token.
async fn send(
    base: &str,
    method: &str,
    path: &str,
    body: Option<&str>,
    token: Option<&str>,
) -> Reply {
    Site::at(base.to_owned(), ManualClock::new(T0))
        .send_json(method, path, body, token)
        .await
}

async fn login(base: &str, code: &str, token: Option<&str>) -> Reply {
    send(
        base,
        "POST",
        "/login",
        Some(&json!({ "code": code }).to_string()),
        token,
    )
    .await
}

// ---- the client on its own ----

#[tokio::test]
async fn a_good_code_yields_openid_session_key_and_unionid() {
    let (base, _) = stand_in().await;
    let wechat = client(&base, SECRET);
    let plain = wechat.code2session("good-alice").await.unwrap();
    assert_eq!(plain.platform, sealed_session::login::Platform::Wechat);
    assert_eq!(plain.user_id, "o-alice");
    assert_eq!(
        plain.secret.as_ref().unwrap().expose_secret(),
        session_key_of("alice")
    );
    assert_eq!(plain.unionid, None);
    // WeChat's own names, for code written against them.
    let named = sealed_session::wechat::Code2Session::try_from(plain).unwrap();
    assert_eq!(named.openid, "o-alice");
    assert_eq!(named.session_key.expose_secret(), session_key_of("alice"));
    let union = wechat.code2session("union-bob").await.unwrap();
    assert_eq!(union.unionid.as_deref(), Some("u-bob"));
    assert!(!format!("{union:?}").contains(&session_key_of("bob")));
}

#[tokio::test]
async fn a_code_works_once() {
    let (base, _) = stand_in().await;
    let wechat = client(&base, SECRET);
    wechat.code2session("good-alice").await.unwrap();
    let again = wechat.code2session("good-alice").await.unwrap_err();
    assert_eq!(again.errcode(), Some(40163), "{again:?}");
    assert!(again.is_bad_code());
}

#[tokio::test]
async fn each_documented_errcode_becomes_its_own_error() {
    let (base, _) = stand_in().await;
    let wechat = client(&base, SECRET);
    for (code, check) in [
        (
            "e40029",
            (|e| e.is_bad_code()) as fn(&sealed_session::wechat::WechatError) -> bool,
        ),
        ("e40163", |e| e.is_bad_code()),
        ("e45011", |e| e.is_rate_limited()),
        ("e40226", |e| e.is_refused()),
        ("e-1", |e| e.is_upstream()),
        ("e40013", |e| e.is_config()),
        // Not a login code: WeChat's own message (with its request id) is kept.
        ("e40001", |e| {
            e.is_refused() && e.to_string().contains("rid: 6523a1b2")
        }),
    ] {
        let e = wechat.code2session(code).await.unwrap_err();
        assert!(check(&e), "{code}: {e:?}");
        assert_eq!(
            Some(e.errcode().unwrap().to_string()),
            code.strip_prefix('e').map(str::to_owned)
        );
    }
}

#[tokio::test]
async fn broken_answers_are_errors() {
    // Exercise: every way the upstream's answer can be wrong.
    // Expectation: a typed error each time, never a panic.
    let (base, _) = stand_in().await;
    let wechat = client(&base, SECRET);
    for (code, expected) in [
        ("status-503", "HTTP status 503"),
        ("html", "not its JSON"),
        ("empty", "no `openid`"),
        ("nokey", "no `session_key`"),
        ("huge", "longer than 16384 bytes"),
    ] {
        let e = wechat.code2session(code).await.unwrap_err();
        assert!(
            e.is_upstream() && e.to_string().contains(expected),
            "{code}: {e}"
        );
    }
    // A path that is not WeChat's: the stand-in has no route there.
    let e = client(&format!("{base}/elsewhere"), SECRET)
        .code2session("good-x")
        .await
        .unwrap_err();
    assert!(e.to_string().contains("HTTP status 404"), "{e}");
}

#[tokio::test]
async fn a_hung_upstream_is_a_timeout() {
    let (base, _) = stand_in().await;
    let e = client(&base, SECRET)
        .code2session("slow")
        .await
        .unwrap_err();
    assert!(e.is_timeout(), "{e:?}");
    assert!(!e.is_bad_code());
}

#[tokio::test]
async fn implausible_codes_are_not_sent() {
    let (base, state) = stand_in().await;
    let wechat = client(&base, SECRET);
    for code in ["", "a b", "code\n", "登录", &"x".repeat(129)] {
        let e = wechat.code2session(code).await.unwrap_err();
        assert!(e.is_bad_code() && e.errcode().is_none(), "{code:?}: {e:?}");
    }
    assert_eq!(state.hits.load(Ordering::SeqCst), 0);
    wechat.code2session(&"x".repeat(128)).await.unwrap_err();
    assert_eq!(
        state.hits.load(Ordering::SeqCst),
        1,
        "128 characters are sent"
    );
}

#[tokio::test]
async fn errors_never_show_the_secret_or_the_code() {
    // Exercise: a wrong secret (WeChat refuses it) and an unreachable API (the URL with the
    // secret and the code is inside reqwest's error).
    // Expectation: neither the secret nor the code appears in any error text, nor its source.
    let (base, _) = stand_in().await;
    let wrong = client(&base, "wrong-secret-xyz")
        .code2session("good-code-123")
        .await
        .unwrap_err();
    assert!(
        wrong.is_config() && wrong.errcode() == Some(40125),
        "{wrong:?}"
    );

    let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let dead = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let unreachable = client(&dead, SECRET)
        .code2session("good-code-456")
        .await
        .unwrap_err();
    assert!(unreachable.is_transport(), "{unreachable:?}");

    for e in [&wrong, &unreachable] {
        let mut text = format!("{e} {e:?}");
        let mut source = std::error::Error::source(e);
        while let Some(s) = source {
            text += &format!(" {s} {s:?}");
            source = s.source();
        }
        for secret in ["wrong-secret-xyz", SECRET, "good-code-123", "good-code-456"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

// ---- the example's server ----

#[tokio::test]
async fn login_keeps_the_wechat_identity_inside_the_seal_and_answers_the_openid() {
    let (site, _) = example_site().await;
    let reply = login(&site, "union-alice", None).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.json(),
        json!({ "platform": "wechat", "openid": "o-alice" })
    );
    let token = reply.new_token();
    let opened = inspect(&[1], &token);
    assert_eq!(opened.data.get_value("openid").unwrap(), "o-alice");
    assert_eq!(opened.data.get_value("unionid").unwrap(), "u-alice");
    assert_eq!(opened.data.get_value("platform").unwrap(), "wechat");
    assert_eq!(
        opened.data.get_value("platform_secret").unwrap(),
        session_key_of("alice")
    );
    assert!(
        !reply.body.contains("sk/alice"),
        "the session key never goes to the client in clear"
    );
    assert!(!token.contains("sk/alice"));

    let me = send(&site, "GET", "/me", None, Some(&token)).await;
    assert_eq!(
        (me.status, me.json()),
        (200, json!({ "platform": "wechat", "openid": "o-alice" }))
    );
    assert_eq!(me.token, None, "reading changes nothing");
}

#[tokio::test]
async fn me_without_a_login_is_401_with_a_json_error() {
    let (site, _) = example_site().await;
    for token in [None, Some("garbage")] {
        let me = send(&site, "GET", "/me", None, token).await;
        assert_eq!(me.status, 401);
        assert_eq!(me.json()["error"], "not_logged_in");
        assert!(
            me.json()["message"]
                .as_str()
                .unwrap()
                .contains("POST /login")
        );
    }
}

#[tokio::test]
async fn login_cycles_the_session_id_and_drops_the_previous_user() {
    let (site, _) = example_site().await;
    let alice = login(&site, "union-alice", None).await.new_token();
    let bob = login(&site, "good-bob", Some(&alice)).await;
    assert_eq!(bob.json()["openid"], "o-bob");
    let (before, after) = (inspect(&[1], &alice), inspect(&[1], &bob.new_token()));
    assert_ne!(before.envelope.sid, after.envelope.sid);
    assert_eq!(after.data.get_value("openid").unwrap(), "o-bob");
    assert_eq!(
        after.data.get_value("unionid"),
        None,
        "nothing of alice's session is left"
    );
    assert_eq!(
        after.data.get_value("platform_secret").unwrap(),
        session_key_of("bob")
    );
}

#[tokio::test]
async fn logout_clears_the_clients_token() {
    let (site, _) = example_site().await;
    let token = login(&site, "good-alice", None).await.new_token();
    let out = send(&site, "POST", "/logout", None, Some(&token)).await;
    assert_eq!(out.status, 200);
    assert_eq!(
        out.token.as_deref(),
        Some(""),
        "an empty header tells the client to delete its copy"
    );
    assert_eq!(send(&site, "GET", "/me", None, None).await.status, 401);
}

#[tokio::test]
async fn bad_bodies_are_400_with_a_message() {
    let (site, state) = example_site().await;
    let big = json!({ "code": "x".repeat(2000) }).to_string();
    for body in [
        None,
        Some("not json"),
        Some("{}"),
        Some(r#"{"code": 5}"#),
        Some(&big),
    ] {
        let reply = send(&site, "POST", "/login", body, None).await;
        assert_eq!(reply.status, 400, "{body:?}: {}", reply.body);
        assert_eq!(reply.json()["error"], "bad_request", "{body:?}");
        let message = reply.json()["message"].as_str().unwrap().to_owned();
        assert!(
            message.contains(r#"{"code": "<the code from wx.login>"}"#),
            "{message}"
        );
        assert_eq!(reply.token, None);
    }
    let empty = login(&site, "", None).await;
    assert_eq!(
        (empty.status, empty.json()["error"].clone()),
        (400, json!("bad_code"))
    );
    assert_eq!(
        state.hits.load(Ordering::SeqCst),
        0,
        "nothing reached WeChat"
    );
}

#[tokio::test]
async fn refused_codes_are_400_with_the_wechat_errcode_and_leave_the_session_alone() {
    let (site, _) = example_site().await;
    let token = login(&site, "good-alice", None).await.new_token();
    for (code, errcode) in [("e40029", 40029), ("good-alice", 40163)] {
        let reply = login(&site, code, Some(&token)).await;
        assert_eq!(reply.status, 400, "{code}");
        assert_eq!(reply.json()["error"], "bad_code");
        assert_eq!(reply.json()["errcode"], errcode);
        assert_eq!(reply.token, None, "the current session is untouched");
    }
    let me = send(&site, "GET", "/me", None, Some(&token)).await;
    assert_eq!(me.json()["openid"], "o-alice");
}

#[tokio::test]
async fn other_wechat_failures_are_502_or_504() {
    let (site, _) = example_site().await;
    for (code, status, errcode) in [
        ("e45011", 502, json!(45011)),
        ("e40226", 502, json!(40226)),
        ("e-1", 502, json!(-1)),
        ("e40001", 502, json!(40001)),
        ("status-500", 502, Value::Null),
        ("html", 502, Value::Null),
        ("slow", 504, Value::Null),
    ] {
        let reply = login(&site, code, None).await;
        assert_eq!(reply.status, status, "{code}: {}", reply.body);
        let body = reply.json();
        assert_eq!(
            body["error"],
            if status == 504 {
                "wechat_timeout"
            } else {
                "wechat"
            }
        );
        assert_eq!(body["errcode"], errcode, "{code}");
        assert!(!body["message"].as_str().unwrap().is_empty());
        assert_eq!(reply.token, None);
    }
}

#[tokio::test]
async fn a_login_that_cannot_be_kept_logs_out_and_commits_nothing() {
    // Exercise: alice is logged in; a new login whose openid is too long for the session's cap
    // fails half-way (the insert fails after the session was regenerated).
    // Expectation: a 500 whose session header is empty (the client drops its token), never a
    // token holding half a login; alice's old token is not re-issued either.
    let (site, _) = example_site().await;
    let alice = login(&site, "union-alice", None).await.new_token();
    let failed = login(&site, "long-5000", Some(&alice)).await;
    assert_eq!(failed.status, 500);
    assert_eq!(
        failed.token.as_deref(),
        Some(""),
        "destroyed, not half-written"
    );
    assert_eq!(failed.json()["error"], "session");
}

#[tokio::test]
async fn an_unreachable_platform_is_logged_with_its_causes() {
    // Exercise: the example's login against a WeChat that nothing answers for.
    // Expectation: a 502, and a warning whose text carries the causes (the connection error),
    // not only "see the source"; never the secret.
    let (events, _guard) = common::Events::capture_all();
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(config(&[1], &clock)).unwrap();
    let nowhere = format!("http://127.0.0.1:{}", common::free_port());
    let base = serve(example::router(
        vec![Arc::new(client(&nowhere, SECRET))],
        layer,
    ))
    .await;
    let reply = login(&base, "good-ann", None).await;
    assert_eq!(reply.status, 502);
    let lines = events.lines();
    let warning = lines
        .iter()
        .find(|l| l.starts_with("WARN") && l.contains("login exchange failed"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(warning.contains("caused by"), "{warning}");
    assert!(!warning.contains(SECRET), "{warning}");
}
