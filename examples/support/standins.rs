//! Stand-ins for the login APIs of WeChat, QQ, Douyin, Alipay, Baidu and Kuaishou, answering as
//! each platform documents, over real HTTP: the tests serve them on 127.0.0.1 (`tests/logins/`),
//! and so does `examples/standin.rs` for development. NOT the platforms: they log anyone in.
//! Each decides by the code. On every platform, `status-<n>` answers that HTTP status, `html` a
//! page instead of JSON, `huge` a 100 KB body, and `slow` never answers; a code works once.
//! - WeChat and QQ (`GET /sns/jscode2session`): `good-<user>` logs `<user>` in (openid
//!   `wx-<user>` or `qq-<user>`), `union-<user>` adds a unionid; a used code is errcode 40029;
//!   `e<n>` answers errcode `n`; `nokey` an answer without `session_key`.
//! - Douyin (`POST /api/apps/v2/jscode2session`, JSON): `good-<user>` (openid `tt-<user>`,
//!   anonymous_openid when an anonymous code came too), an anonymous code alone gives
//!   `anon-<code>`; `e<n>` answers err_no `n`; a used code is err_no 40018.
//! - Alipay (`POST /gateway.do`, form, RSA2): the request's `sign` is checked with the app's
//!   public key (else `isv.invalid-signature`), an unknown app id gets an unsigned
//!   `isv.invalid-app-id`; `good-<user>` answers user_id `2088<user>` and open_id `al-<user>`,
//!   signed with Alipay's key; `sub-<sub_code>` an error with that sub_code (code 40002);
//!   `code-<n>` an error with that code; `forged` a success signed with another key; `unsigned`
//!   a success without sign; a used code is `isv.code-invalid`.
//! - Baidu (`POST /oauth/jscode2sessionkey`, form `code`, `client_id`, `sk`): `good-<user>`
//!   answers openid `bd-<user>`; an unknown App Key or a wrong secret is the OAuth 2.0 error
//!   `invalid_client`, a used code `invalid_grant` (whose description quotes the code, as Baidu's
//!   does), both with status 400; `oauth-<error>` answers that OAuth 2.0 error; `errno-<n>` the
//!   later shape `{errno, error, error_description}` with status 200; `nokey` no `session_key`.
//! - Kuaishou (`POST /oauth2/mp/code2session`, form `app_id`, `app_secret`, `js_code`):
//!   `good-<user>` answers `result` 1 and open_id `ks-<user>`, `union-<user>` adds a union_id; a
//!   wrong app id or secret is `result` 100200101, a used code 100200100; `r<n>` answers
//!   `result` `n`; `nokey` no `session_key`.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use axum::{
    Form, Json, Router,
    extract::{Query, State},
    http::{StatusCode, header::CONTENT_TYPE},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use ring::{
    rand::SystemRandom,
    rsa::KeyPair,
    signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, UnparsedPublicKey},
};
use serde_json::{Value, json};

pub const WECHAT_APPID: &str = "wx0123456789abcdef";
pub const WECHAT_SECRET: &str = "wechat-app-secret-0123456789";
pub const QQ_APPID: &str = "1110000000";
pub const QQ_SECRET: &str = "qq-app-secret-0123456789";
pub const DOUYIN_APPID: &str = "tt-test-app";
pub const DOUYIN_SECRET: &str = "douyin-app-secret-0123456789";
pub const ALIPAY_APPID: &str = "2021000000000001";
pub const BAIDU_APP_KEY: &str = "bd-test-app-key-0123456789abcdef";
pub const BAIDU_SECRET: &str = "baidu-app-secret-0123456789";
pub const KUAISHOU_APPID: &str = "ks000000000000000001";
pub const KUAISHOU_SECRET: &str = "kuaishou-app-secret-0123456789";

/// A test key, base64 (the RSA keys of the Alipay stand-in and of its app): `keys/<name>.b64`.
pub fn key(name: &str) -> String {
    let text = match name {
        "alipay-private-pkcs8" => include_str!("keys/alipay-private-pkcs8.b64"),
        "alipay-public-spki" => include_str!("keys/alipay-public-spki.b64"),
        "app-private-pkcs1" => include_str!("keys/app-private-pkcs1.b64"),
        "app-private-pkcs8" => include_str!("keys/app-private-pkcs8.b64"),
        "app-public-pkcs1" => include_str!("keys/app-public-pkcs1.b64"),
        "app-public-spki" => include_str!("keys/app-public-spki.b64"),
        _ => panic!("no stand-in key {name}"),
    };
    text.trim().to_owned()
}

/// The session key the stand-ins hand out for `user`.
pub fn session_key_of(user: &str) -> String {
    format!("sk/{user}+AAAAAAAAAAA==")
}

/// The access token the Alipay stand-in hands out for `user`.
pub fn access_token_of(user: &str) -> String {
    format!("authusrB{user}0123456789")
}

/// What every stand-in keeps: the codes already used, and how many requests reached it.
#[derive(Default)]
pub struct Seen {
    used: Mutex<HashSet<String>>,
    pub hits: AtomicUsize,
}

impl Seen {
    /// Counts a request; `true` the first time `code` is seen.
    fn first(&self, code: &str) -> bool {
        self.hits.fetch_add(1, Ordering::SeqCst);
        self.used.lock().unwrap().insert(code.to_owned())
    }
}

fn text(body: String) -> Response {
    ([(CONTENT_TYPE, "text/plain")], body).into_response()
}

/// What every stand-in answers alike: `status-<n>`, `html`, `huge`, and `slow` (never).
async fn broken(code: &str) -> Option<Response> {
    if let Some(n) = code.strip_prefix("status-").and_then(|n| n.parse().ok()) {
        return Some(StatusCode::from_u16(n).unwrap().into_response());
    }
    match code {
        "html" => Some(([(CONTENT_TYPE, "text/html")], "<html>busy</html>").into_response()),
        "huge" => Some(text("x".repeat(100_000))),
        "slow" => std::future::pending().await,
        _ => None,
    }
}

// ---- WeChat and QQ: one `jscode2session` ----

/// One app of a `jscode2session` API: its credentials and the prefixes of the ids it makes.
#[derive(Clone)]
struct JsCodeApp {
    seen: Arc<Seen>,
    appid: &'static str,
    secret: &'static str,
    /// `wx` or `qq`: openids are `<prefix>-<user>`.
    openid: &'static str,
    /// `wu` or `qu`: unionids are `<prefix>-<user>`.
    unionid: &'static str,
}

async fn jscode2session(
    State(app): State<JsCodeApp>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let seen = &app.seen;
    let param = |name: &str| q.get(name).map(String::as_str).unwrap_or_default();
    let errcode =
        |code: i64, msg: &str| text(json!({ "errcode": code, "errmsg": msg }).to_string());
    let code = param("js_code").to_owned();
    if !seen.first(&code) {
        return errcode(40029, "invalid code");
    }
    if let Some(answer) = broken(&code).await {
        return answer;
    }
    if param("appid") != app.appid || param("secret") != app.secret {
        return errcode(40013, "invalid appid or secret");
    }
    if param("grant_type") != "authorization_code" {
        return errcode(40002, "invalid grant_type");
    }
    let user = |user: &str, union: bool| {
        let mut body = json!({ "openid": format!("{}-{user}", app.openid), "session_key": session_key_of(user) });
        if union {
            body["unionid"] = format!("{}-{user}", app.unionid).into();
        }
        text(body.to_string())
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
    match code.as_str() {
        "nokey" => text(json!({ "openid": format!("{}-nokey", app.openid) }).to_string()),
        _ => errcode(40029, "invalid code"),
    }
}

/// WeChat's `jscode2session`, for [`WECHAT_APPID`]; `seen` counts what reaches it.
pub fn wechat_router(seen: Arc<Seen>) -> Router {
    let app = JsCodeApp {
        seen,
        appid: WECHAT_APPID,
        secret: WECHAT_SECRET,
        openid: "wx",
        unionid: "wu",
    };
    Router::new()
        .route("/sns/jscode2session", get(jscode2session))
        .with_state(app)
}

/// QQ's `jscode2session`, for [`QQ_APPID`]; `seen` counts what reaches it.
pub fn qq_router(seen: Arc<Seen>) -> Router {
    let app = JsCodeApp {
        seen,
        appid: QQ_APPID,
        secret: QQ_SECRET,
        openid: "qq",
        unionid: "qu",
    };
    Router::new()
        .route("/sns/jscode2session", get(jscode2session))
        .with_state(app)
}

// ---- Douyin ----

async fn douyin(State(seen): State<Arc<Seen>>, body: Option<Json<Value>>) -> Response {
    let Some(Json(body)) = body else {
        return Json(json!({ "err_no": 40014, "err_tips": "bad params" })).into_response();
    };
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_owned();
    let (code, anonymous) = (field("code"), field("anonymous_code"));
    let err = |n: i64, tips: &str| {
        Json(json!({ "err_no": n, "err_tips": tips, "log_id": "202412011234" })).into_response()
    };
    if !seen.first(&format!("{code}|{anonymous}")) {
        return err(40018, "bad code");
    }
    if let Some(answer) = broken(&code).await {
        return answer;
    }
    if field("appid") != DOUYIN_APPID {
        return err(40015, "bad appid");
    }
    if field("secret") != DOUYIN_SECRET {
        return err(40017, "bad secret");
    }
    if code.is_empty() && anonymous.is_empty() {
        return err(40014, "bad params");
    }
    let ok = |data: Value| {
        Json(json!({ "err_no": 0, "err_tips": "success", "log_id": "202412011234", "data": data }))
            .into_response()
    };
    if code.is_empty() {
        return ok(
            json!({ "session_key": "", "openid": "", "anonymous_openid": format!("anon-{anonymous}"), "unionid": "" }),
        );
    }
    if let Some(name) = code.strip_prefix("good-") {
        let anonymous_openid = if anonymous.is_empty() {
            String::new()
        } else {
            format!("anon-{anonymous}")
        };
        return ok(json!({
            "session_key": session_key_of(name),
            "openid": format!("tt-{name}"),
            "anonymous_openid": anonymous_openid,
            "unionid": format!("tu-{name}"),
        }));
    }
    match code.strip_prefix('e').and_then(|n| n.parse().ok()) {
        Some(n) => err(n, "as asked"),
        None => err(40018, "bad code"),
    }
}

/// Douyin's `v2/jscode2session`; `seen` counts what reaches it.
pub fn douyin_router(seen: Arc<Seen>) -> Router {
    Router::new()
        .route("/api/apps/v2/jscode2session", post(douyin))
        .with_state(seen)
}

// ---- Alipay ----

struct AlipayState {
    seen: Arc<Seen>,
    /// Alipay's private key: signs answers.
    alipay: KeyPair,
    /// Another key, for forged answers.
    other: KeyPair,
    /// The app's public key (PKCS#1): verifies requests.
    app_public: Vec<u8>,
}

fn rsa2(key: &KeyPair, content: &str) -> String {
    let mut signature = vec![0; key.public().modulus_len()];
    key.sign(
        &RSA_PKCS1_SHA256,
        &SystemRandom::new(),
        content.as_bytes(),
        &mut signature,
    )
    .unwrap();
    STANDARD.encode(signature)
}

/// `{"<member_name>":<member>,"sign":"..."}`, signed over the member's exact text.
fn signed(member_name: &str, member: &Value, key: Option<&KeyPair>) -> Response {
    let member = member.to_string();
    let body = match key {
        Some(key) => format!(
            r#"{{"{member_name}":{member},"sign":"{}"}}"#,
            rsa2(key, &member)
        ),
        None => format!(r#"{{"{member_name}":{member}}}"#),
    };
    ([(CONTENT_TYPE, "text/html;charset=utf-8")], body).into_response()
}

async fn alipay(
    State(state): State<Arc<AlipayState>>,
    Form(params): Form<HashMap<String, String>>,
) -> Response {
    let param = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    let error = |code: &str, msg: &str, sub_code: &str, sub_msg: &str, sign: bool| {
        let member = json!({ "code": code, "msg": msg, "sub_code": sub_code, "sub_msg": sub_msg });
        signed("error_response", &member, sign.then_some(&state.alipay))
    };
    let code = param("code").to_owned();
    state.seen.hits.fetch_add(1, Ordering::SeqCst);
    if let Some(answer) = broken(&code).await {
        return answer;
    }
    if param("app_id") != ALIPAY_APPID {
        return error(
            "40002",
            "Invalid Arguments",
            "isv.invalid-app-id",
            "无效的AppID参数",
            false,
        );
    }
    let mut sorted: Vec<_> = params
        .iter()
        .filter(|(k, v)| *k != "sign" && !v.is_empty())
        .collect();
    sorted.sort();
    let content: Vec<String> = sorted.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let signature = STANDARD.decode(param("sign")).unwrap_or_default();
    let verified = UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &state.app_public)
        .verify(content.join("&").as_bytes(), &signature)
        .is_ok();
    if !verified || param("sign_type") != "RSA2" {
        return error(
            "40002",
            "Invalid Arguments",
            "isv.invalid-signature",
            "验签出错",
            true,
        );
    }
    if param("method") != "alipay.system.oauth.token"
        || param("version") != "1.0"
        || param("charset") != "utf-8"
    {
        return error(
            "40002",
            "Invalid Arguments",
            "isv.invalid-method",
            "不存在的方法名",
            true,
        );
    }
    if param("grant_type") != "authorization_code" {
        return error(
            "40002",
            "Invalid Arguments",
            "isv.grant-type-invalid",
            "grant_type参数不正确",
            true,
        );
    }
    if !state.seen.used.lock().unwrap().insert(code.clone()) {
        return error(
            "40002",
            "Invalid Arguments",
            "isv.code-invalid",
            "授权码code无效",
            true,
        );
    }
    let success = |user: &str| {
        json!({
            "user_id": format!("2088{user}"),
            "open_id": format!("al-{user}"),
            "access_token": access_token_of(user),
            "expires_in": 1296000,
            "refresh_token": format!("authusrR{user}"),
            "re_expires_in": 2592000,
            "auth_start": "2026-12-01 12:00:00",
        })
    };
    const MEMBER: &str = "alipay_system_oauth_token_response";
    if let Some(user) = code.strip_prefix("good-") {
        return signed(MEMBER, &success(user), Some(&state.alipay));
    }
    if let Some(sub) = code.strip_prefix("sub-") {
        return error("40002", "Invalid Arguments", sub, "as asked", true);
    }
    if let Some(n) = code.strip_prefix("code-") {
        return error(n, "as asked", "isp.unknow-error", "as asked", true);
    }
    match code.as_str() {
        "forged" => signed(MEMBER, &success("mallory"), Some(&state.other)),
        "unsigned" => signed(MEMBER, &success("mallory"), None),
        "userid-only" => {
            let member = json!({ "user_id": "2088old", "access_token": access_token_of("old") });
            signed(MEMBER, &member, Some(&state.alipay))
        }
        _ => error(
            "40002",
            "Invalid Arguments",
            "isv.code-invalid",
            "授权码code无效",
            true,
        ),
    }
}

/// Alipay's gateway at `/gateway.do`; `seen` counts what reaches it.
pub fn alipay_router(seen: Arc<Seen>) -> Router {
    let der = |name: &str| STANDARD.decode(key(name)).unwrap();
    let state = Arc::new(AlipayState {
        seen,
        alipay: KeyPair::from_pkcs8(&der("alipay-private-pkcs8")).unwrap(),
        other: KeyPair::from_pkcs8(&der("app-private-pkcs8")).unwrap(),
        app_public: der("app-public-pkcs1"),
    });
    Router::new()
        .route("/gateway.do", post(alipay))
        .with_state(state)
}

// ---- Baidu ----

async fn baidu(
    State(seen): State<Arc<Seen>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let code = field("code").to_owned();
    // Baidu's OAuth 2.0 errors: 400 Bad Request, `error` and `error_description`.
    let oauth = |error: &str, description: &str| {
        let body = json!({ "error": error, "error_description": description });
        (StatusCode::BAD_REQUEST, Json(body)).into_response()
    };
    if !seen.first(&code) {
        return oauth(
            "invalid_grant",
            &format!("Invalid authorization code: {code}"),
        );
    }
    if let Some(answer) = broken(&code).await {
        return answer;
    }
    if field("client_id") != BAIDU_APP_KEY || field("sk") != BAIDU_SECRET {
        return oauth("invalid_client", "unknown client id");
    }
    if let Some(user) = code.strip_prefix("good-") {
        let body = json!({ "openid": format!("bd-{user}"), "session_key": session_key_of(user) });
        return Json(body).into_response();
    }
    if let Some(error) = code.strip_prefix("oauth-") {
        return oauth(error, "as asked");
    }
    if let Some(n) = code
        .strip_prefix("errno-")
        .and_then(|n| n.parse::<i64>().ok())
    {
        let body = json!({ "errno": n, "error": "as asked", "error_description": "as asked" });
        return Json(body).into_response();
    }
    match code.as_str() {
        "nokey" => Json(json!({ "openid": "bd-nokey" })).into_response(),
        _ => oauth(
            "invalid_grant",
            &format!("Invalid authorization code: {code}"),
        ),
    }
}

/// Baidu's `oauth/jscode2sessionkey`, for [`BAIDU_APP_KEY`]; `seen` counts what reaches it.
pub fn baidu_router(seen: Arc<Seen>) -> Router {
    Router::new()
        .route("/oauth/jscode2sessionkey", post(baidu))
        .with_state(seen)
}

// ---- Kuaishou ----

async fn kuaishou(
    State(seen): State<Arc<Seen>>,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or_default();
    let code = field("js_code").to_owned();
    let result = |n: i64, msg: &str| {
        Json(json!({ "result": n, "error": "as asked", "error_msg": msg })).into_response()
    };
    if !seen.first(&code) {
        return result(100200100, "参数有误");
    }
    if let Some(answer) = broken(&code).await {
        return answer;
    }
    if field("app_id") != KUAISHOU_APPID || field("app_secret") != KUAISHOU_SECRET {
        return result(100200101, "验证出错");
    }
    let user = |user: &str, union: bool| {
        let mut body = json!({ "result": 1, "open_id": format!("ks-{user}"), "session_key": session_key_of(user) });
        if union {
            body["union_id"] = format!("ku-{user}").into();
        }
        Json(body).into_response()
    };
    if let Some(name) = code.strip_prefix("good-") {
        return user(name, false);
    }
    if let Some(name) = code.strip_prefix("union-") {
        return user(name, true);
    }
    if let Some(n) = code.strip_prefix('r').and_then(|n| n.parse().ok()) {
        return result(n, "as asked");
    }
    match code.as_str() {
        "nokey" => Json(json!({ "result": 1, "open_id": "ks-nokey" })).into_response(),
        _ => result(100200100, "参数有误"),
    }
}

/// Kuaishou's `oauth2/mp/code2session`, for [`KUAISHOU_APPID`]; `seen` counts what reaches it.
pub fn kuaishou_router(seen: Arc<Seen>) -> Router {
    Router::new()
        .route("/oauth2/mp/code2session", post(kuaishou))
        .with_state(seen)
}

/// Every platform under its name: `/wechat/sns/jscode2session`, `/qq/sns/jscode2session`,
/// `/douyin/api/apps/v2/jscode2session`, `/alipay/gateway.do`, `/baidu/oauth/jscode2sessionkey`,
/// `/kuaishou/oauth2/mp/code2session`.
pub fn all_platforms() -> Router {
    let seen = || Arc::new(Seen::default());
    Router::new()
        .nest("/wechat", wechat_router(seen()))
        .nest("/qq", qq_router(seen()))
        .nest("/douyin", douyin_router(seen()))
        .nest("/alipay", alipay_router(seen()))
        .nest("/baidu", baidu_router(seen()))
        .nest("/kuaishou", kuaishou_router(seen()))
}
