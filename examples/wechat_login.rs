//! A mini program login server for every configured platform: the code of `wx.login`,
//! `qq.login`, `tt.login`, `my.getAuthCode`, `swan.getLoginCode` or `ks.login` in, sealed session
//! out. One API serves a uni-app or
//! Taro build for several platforms (and its H5 build, across origins, with `CORS_ORIGINS`).
//!
//! ```sh
//! WECHAT_APPID=wx... WECHAT_SECRET=... SESSION_KEYS=$(cargo run -q --example keygen) \
//!     cargo run --features wechat,qq,douyin,alipay,baidu,kuaishou --example wechat_login
//! ```
//!
//! - `POST /login/{platform}` (`wechat`, `qq`, `douyin`, `alipay`, `baidu`, `kuaishou`)
//!   `{"code": "..."}` (Douyin:
//!   also `"anonymous_code"`): exchanges the code with the platform, keeps the platform, the
//!   user's id (`openid`), `unionid` and the platform's secret (session key, or Alipay's access
//!   token) in the sealed session, gives the session a new id, and answers
//!   `{"platform": ..., "openid": ...}`. The secret never leaves the seal. `POST /login` is
//!   `POST /login/wechat`.
//! - `GET /me`: `{"platform": ..., "openid": ...}`, or `401` with a JSON error when no one is
//!   logged in.
//! - `POST /logout`: destroys the session (the response clears the client's token).
//! - `POST /phone` `{"code": "..."}` (logged in with WeChat; the code of
//!   `<button open-type="getPhoneNumber">`, not the `wx.login` one): exchanges it through
//!   `getuserphonenumber` with the process's cached access token, stores the number in the session
//!   (`phone`) and answers `{"phoneNumber", "purePhoneNumber", "countryCode"}`. Then `/me` says
//!   `"phone_bound": true`. `400` `bad_code` for a code WeChat refuses, `429` when WeChat rate
//!   limits, `502`/`504` for WeChat's other failures. Served when `WECHAT_BIND_PHONE` is set
//!   (then `/me` always has `phone_bound`); else `404`.
//! - `POST /open-data` `{"encryptedData": "...", "iv": "..."}` (logged in with WeChat): decrypts
//!   the `encryptedData` of a WeChat API (`wx.getShareInfo`, `wx.getWeRunData`, ...) with the
//!   session's `session_key`, checks its watermark names this app (`WECHAT_APPID`), and answers
//!   the payload without the watermark. `400` with the error kind (`bad_base64`, `bad_length`,
//!   `too_large`) for input that cannot be WeChat's; `409` `stale_session_key` when it does not
//!   decrypt (bad padding, or not JSON): the session key is stale, log in again; `403`
//!   `other_app` for another app's watermark; `422` for a payload without its watermark.
//!
//! Errors are JSON `{"error", "message", "errcode"?}`: `400` for a bad body or a code the
//! platform refuses (the client should log in again), `404` for a platform not configured, `502`
//! for any other platform error, `504` when the platform does not answer in time.
//!
//! Environment: a platform is served when its variables are set (at least one):
//! `WECHAT_APPID`/`WECHAT_SECRET` (`WECHAT_API_BASE`; `WECHAT_BIND_PHONE` serves `/phone`),
//! `QQ_APPID`/`QQ_SECRET` (`QQ_API_BASE`),
//! `DOUYIN_APPID`/`DOUYIN_SECRET` (`DOUYIN_API_BASE`), `ALIPAY_APPID`/`ALIPAY_PRIVATE_KEY`/
//! `ALIPAY_PUBLIC_KEY` (`ALIPAY_GATEWAY`), `BAIDU_APPKEY`/`BAIDU_SECRET` (`BAIDU_API_BASE`),
//! `KUAISHOU_APPID`/`KUAISHOU_SECRET` (`KUAISHOU_API_BASE`), each with its cargo feature; `SESSION_KEYS`
//! (comma-separated base64; a random key and a warning without it); `CORS_ORIGINS`
//! (comma-separated origins allowed to call across origins, for H5 builds; `CORS_EXPOSE=` empty
//! leaves the session header unexposed, to see the client's error); `PORT` (default 3000; `0`
//! picks a free one). The listening address is printed on stdout; logs go to stderr.

#[path = "support/mod.rs"]
mod support;

use std::{collections::HashMap, sync::Arc};

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, FromRef, Path, State, rejection::JsonRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use sealed_session::{
    Session, SessionConfig, SessionLayer,
    login::{self, Identity, LoginApi, LoginCode, LoginError, MiniProgramLogin, Platform},
    wechat::{
        AccessTokens, OpenDataError, OpenDataJson, OpenDataRules, PhoneCode, WechatSessionKey,
    },
};
use serde::Deserialize;
use serde_json::{Value, json};

const PLATFORM: &str = "platform";
const OPENID: &str = "openid";
const UNIONID: &str = "unionid";
const ANONYMOUS_OPENID: &str = "anonymous_openid";
/// The platform's session key (WeChat, QQ, Douyin) or access token (Alipay).
const PLATFORM_SECRET: &str = "platform_secret";
/// The phone number bound by `POST /phone`.
const PHONE: &str = "phone";

/// What a client posts: `code` (`authCode` on Alipay), and Douyin's `anonymous_code`; at least one.
#[derive(Deserialize)]
struct LoginBody {
    code: Option<String>,
    anonymous_code: Option<String>,
}

/// What a client posts to `/open-data`: a WeChat API's `encryptedData` and `iv`, as they came.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OpenDataBody {
    encrypted_data: String,
    iv: String,
}

/// What a client posts to `/phone`: the phone button's code.
#[derive(Deserialize)]
struct PhoneBody {
    code: String,
}

/// WeChat's APIs after the login: `encryptedData` rules, and the access tokens for the phone
/// number (`None`: `/phone` answers `404`, and `/me` says nothing of a phone).
#[derive(Clone, Debug)]
pub struct WechatApis {
    /// How `/open-data` checks `encryptedData`.
    pub open_data: OpenDataRules,
    /// The process's access tokens.
    pub tokens: Option<AccessTokens>,
}

/// The configured platforms' login exchanges.
type Logins = Arc<HashMap<Platform, Arc<dyn MiniProgramLogin>>>;

/// The handlers' state: the login clients, and the rules for WeChat's `encryptedData`.
#[derive(Clone)]
struct App {
    logins: Logins,
    wechat: Option<Arc<WechatApis>>,
}

impl FromRef<App> for Logins {
    fn from_ref(app: &App) -> Self {
        app.logins.clone()
    }
}

/// The application, around the platforms' login clients and a session layer, without
/// `/open-data` and `/phone` (they answer `404`).
pub fn router(logins: Vec<Arc<dyn MiniProgramLogin>>, sessions: SessionLayer) -> Router {
    router_with(logins, sessions, None)
}

/// The application, with `/open-data` and `/phone` served by `wechat`.
pub fn router_with(
    logins: Vec<Arc<dyn MiniProgramLogin>>,
    sessions: SessionLayer,
    wechat: Option<WechatApis>,
) -> Router {
    let logins: Logins = Arc::new(logins.into_iter().map(|l| (l.platform(), l)).collect());
    let app = App {
        logins,
        wechat: wechat.map(Arc::new),
    };
    Router::new()
        .route("/login", post(login_wechat))
        .route("/login/{platform}", post(login))
        .route("/me", get(me))
        .route("/logout", post(logout))
        .route("/phone", post(phone))
        // WeRun's thirty days of steps are about 3 KB of base64.
        .route(
            "/open-data",
            post(decrypt_open_data).layer(DefaultBodyLimit::max(16 * 1024)),
        )
        .layer(DefaultBodyLimit::max(1024))
        .layer(sessions)
        .with_state(app)
}

async fn login_wechat(
    logins: State<Logins>,
    session: Session,
    body: Result<Json<LoginBody>, JsonRejection>,
) -> Response {
    login(logins, Path("wechat".to_owned()), session, body).await
}

async fn login(
    State(logins): State<Logins>,
    Path(platform): Path<String>,
    session: Session,
    body: Result<Json<LoginBody>, JsonRejection>,
) -> Response {
    let Some(client) = Platform::from_name(&platform).and_then(|p| logins.get(&p)) else {
        let mut served: Vec<_> = logins.keys().map(|p| p.as_str()).collect();
        served.sort_unstable();
        let message = format!(
            "no login for `{platform}` here; this server logs in with: {}",
            served.join(", ")
        );
        return error(StatusCode::NOT_FOUND, "unknown_platform", &message, None);
    };
    let code = match body {
        Ok(Json(LoginBody {
            code,
            anonymous_code,
        })) if code.is_some() || anonymous_code.is_some() => {
            let code = LoginCode::new(code.unwrap_or_default());
            match anonymous_code {
                Some(anonymous) => code.with_anonymous_code(anonymous),
                None => code,
            }
        }
        body => {
            let why = body
                .err()
                .map(|r| r.body_text())
                .unwrap_or_else(|| "no code".into());
            let message =
                format!("expected a JSON body {{\"code\": \"<the code from wx.login>\"}}: {why}");
            return error(StatusCode::BAD_REQUEST, "bad_request", &message, None);
        }
    };
    let identity = match client.exchange(&code).await {
        Ok(identity) => identity,
        Err(e) => return login_error(&e),
    };
    // A new login: nothing of a previous user's session survives, its id changes, and its
    // absolute lifetime counts from now.
    session.regenerate();
    if let Err(e) = keep(&session, &identity) {
        // Half a login is no login: whoever was logged in before is logged out, and the
        // client is told to drop its token (a 5xx alone would leave it the previous one).
        session.destroy();
        tracing::error!(error = %e, "login could not be kept in the session");
        let status = StatusCode::INTERNAL_SERVER_ERROR;
        return error(status, "session", &e.to_string(), None);
    }
    Json(json!({ "platform": identity.platform.as_str(), "openid": identity.user_id }))
        .into_response()
}

/// Stores who logged in, and the platform's secret, in the sealed session.
fn keep(session: &Session, identity: &Identity) -> Result<(), sealed_session::SessionError> {
    session.insert(PLATFORM, identity.platform.as_str())?;
    session.insert(OPENID, &identity.user_id)?;
    if let Some(unionid) = &identity.unionid {
        session.insert(UNIONID, unionid)?;
    }
    if let Some(anonymous) = &identity.anonymous_id {
        session.insert(ANONYMOUS_OPENID, anonymous)?;
    }
    if let Some(secret) = &identity.secret {
        session.insert(PLATFORM_SECRET, secret.expose_secret())?;
    }
    Ok(())
}

async fn me(State(app): State<App>, session: Session) -> Response {
    match (
        session.get::<String>(PLATFORM),
        session.get::<String>(OPENID),
    ) {
        (Ok(Some(platform)), Ok(Some(openid))) => {
            let mut me = json!({ "platform": platform, "openid": openid });
            // Where the server binds phones: whether this user has (else show the bind page).
            if app.wechat.as_ref().is_some_and(|w| w.tokens.is_some()) {
                me["phone_bound"] = session.get::<String>(PHONE).ok().flatten().is_some().into();
            }
            Json(me).into_response()
        }
        _ => error(
            StatusCode::UNAUTHORIZED,
            "not_logged_in",
            "log in first: POST /login/{platform} with {\"code\": \"<the code from wx.login>\"}",
            None,
        ),
    }
}

/// Decrypts a WeChat API's `encryptedData` with the session's `session_key`; the plaintext is
/// answered to the client it was meant for, never logged.
async fn decrypt_open_data(
    State(app): State<App>,
    session: Session,
    body: Result<Json<OpenDataBody>, JsonRejection>,
) -> Response {
    let Some(rules) = app.wechat.as_ref().map(|w| &w.open_data) else {
        let message = "this server does not decrypt WeChat's encryptedData: set WECHAT_APPID";
        return error(StatusCode::NOT_FOUND, "not_configured", message, None);
    };
    let key = match (
        session.get::<String>(PLATFORM),
        session.get::<WechatSessionKey>(PLATFORM_SECRET),
    ) {
        (Ok(Some(platform)), Ok(Some(key))) if platform == "wechat" => key,
        _ => {
            let message = "log in with WeChat first: POST /login/wechat with {\"code\": \"<the code from wx.login>\"}";
            return error(StatusCode::UNAUTHORIZED, "not_logged_in", message, None);
        }
    };
    let body = match body {
        Ok(Json(body)) => body,
        Err(why) => {
            let message = format!(
                "expected a JSON body {{\"encryptedData\": \"...\", \"iv\": \"...\"}} as the WeChat API returned them: {}",
                why.body_text()
            );
            // 413 for a body above the route's limit, 400 for any other that is not this JSON.
            let status = match why.status() {
                StatusCode::PAYLOAD_TOO_LARGE => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::BAD_REQUEST,
            };
            return error(status, "bad_request", &message, None);
        }
    };
    match rules.decrypt::<OpenDataJson>(&key, &body.encrypted_data, &body.iv) {
        Ok(data) => Json(Value::Object(data.into_map_without_watermark())).into_response(),
        Err(e) => open_data_error(&e),
    }
}

/// The /phone binding step: the phone button's code for the user's number, kept in the session.
async fn phone(
    State(app): State<App>,
    session: Session,
    body: Result<Json<PhoneBody>, JsonRejection>,
) -> Response {
    // Name what is missing: WeChat itself, or only the opt-in of phone binding.
    let Some(wechat) = app.wechat.as_ref() else {
        let message = "this server does not bind phone numbers: set WECHAT_APPID and \
                       WECHAT_SECRET, and WECHAT_BIND_PHONE=1";
        return error(StatusCode::NOT_FOUND, "not_configured", message, None);
    };
    let Some(tokens) = wechat.tokens.as_ref() else {
        let message = "this server does not bind phone numbers: set WECHAT_BIND_PHONE=1 \
                       (WECHAT_APPID and WECHAT_SECRET are set)";
        return error(StatusCode::NOT_FOUND, "not_configured", message, None);
    };
    if !matches!(session.get::<String>(PLATFORM), Ok(Some(p)) if p == "wechat") {
        let message = "log in with WeChat first: POST /login/wechat with {\"code\": \"<the code from wx.login>\"}";
        return error(StatusCode::UNAUTHORIZED, "not_logged_in", message, None);
    }
    let Ok(Json(PhoneBody { code })) = body else {
        let message =
            "expected a JSON body {\"code\": \"<e.detail.code of the getPhoneNumber button>\"}";
        return error(StatusCode::BAD_REQUEST, "bad_request", message, None);
    };
    match tokens.phone_number(&PhoneCode::new(code)).await {
        Ok(phone) => {
            if let Err(e) = session.insert(PHONE, &phone.phone_number) {
                tracing::error!(error = %e, "phone number could not be kept in the session");
                return error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "session",
                    &e.to_string(),
                    None,
                );
            }
            Json(json!({
                "phoneNumber": phone.phone_number,
                "purePhoneNumber": phone.pure_phone_number,
                "countryCode": phone.country_code,
            }))
            .into_response()
        }
        Err(e) => {
            // The error's text and code only: it never holds the number or the token.
            tracing::warn!(error = %support::chain(&e), "phone number exchange failed");
            let (status, kind) = if e.is_bad_code() {
                (StatusCode::BAD_REQUEST, "bad_code")
            } else if e.is_rate_limited() {
                (StatusCode::TOO_MANY_REQUESTS, "rate_limited")
            } else if e.is_timeout() {
                (StatusCode::GATEWAY_TIMEOUT, "wechat_timeout")
            } else {
                (StatusCode::BAD_GATEWAY, "wechat")
            };
            error(status, kind, &e.to_string(), e.errcode().map(Value::from))
        }
    }
}

fn open_data_error(e: &OpenDataError) -> Response {
    // The kind only: the error's text holds no data, but the kind is all a log needs.
    tracing::info!(kind = e.kind(), "encryptedData refused");
    let status = match e {
        _ if e.is_stale_session_key() => StatusCode::CONFLICT,
        OpenDataError::OtherApp => StatusCode::FORBIDDEN,
        OpenDataError::MissingWatermark
        | OpenDataError::WrongKind
        | OpenDataError::TooOld { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::BAD_REQUEST,
    };
    let mut body = json!({ "error": e.kind(), "message": e.to_string() });
    if e.is_stale_session_key() {
        body["hint"] =
            "log in again: wx.login, then POST /login/wechat, then fetch the data anew".into();
    }
    (status, Json(body)).into_response()
}

async fn logout(session: Session) -> Json<Value> {
    session.destroy();
    Json(json!({ "logged_out": true }))
}

fn login_error(e: &LoginError) -> Response {
    let platform = e.platform();
    // The whole chain: "could not reach WeChat's API (...; see the source)" says why only in
    // its causes.
    tracing::warn!(%platform, error = %support::chain(e), "login exchange failed");
    let (status, kind) = if e.is_bad_code() {
        (StatusCode::BAD_REQUEST, "bad_code".to_owned())
    } else if e.is_timeout() {
        (StatusCode::GATEWAY_TIMEOUT, format!("{platform}_timeout"))
    } else {
        (StatusCode::BAD_GATEWAY, platform.as_str().to_owned())
    };
    // Most platforms' codes are numbers; Alipay's (and Baidu's OAuth 2.0 ones) are text.
    let code = e.platform_code().map(|c| {
        c.parse::<i64>()
            .map_or_else(|_| Value::from(c), Value::from)
    });
    error(status, &kind, &e.to_string(), code)
}

fn error(status: StatusCode, kind: &str, message: &str, errcode: Option<Value>) -> Response {
    let mut body = json!({ "error": kind, "message": message });
    if let Some(code) = errcode {
        body["errcode"] = code;
    }
    (status, Json(body)).into_response()
}

/// Whether `name` is set (to anything).
fn set(name: &str) -> bool {
    std::env::var_os(name).is_some()
}

/// The login clients of the platforms whose variables are set, and WeChat's other APIs.
type FromEnv = (Vec<Arc<dyn MiniProgramLogin>>, Option<WechatApis>);
fn logins_from_env() -> Result<FromEnv, Box<dyn std::error::Error>> {
    use sealed_session::wechat::{WechatClient, WechatConfig};
    let mut logins: Vec<Arc<dyn MiniProgramLogin>> = Vec::new();
    let mut wechat = None;
    if set("WECHAT_APPID") {
        let config = WechatConfig::from_env()?;
        let appid = std::env::var("WECHAT_APPID")?;
        let client = WechatClient::new(config)?;
        // Phone binding is opt-in: a server that binds no phones says nothing of them in /me.
        let tokens = match set("WECHAT_BIND_PHONE") {
            true => Some(AccessTokens::new(&client)?),
            false => None,
        };
        wechat = Some(WechatApis {
            open_data: OpenDataRules::new(appid),
            tokens,
        });
        logins.push(Arc::new(client));
    }
    // Each platform's client is the one `LoginClient<P>` (see `from_env`).
    #[cfg(feature = "qq")]
    logins.extend(from_env::<login::qq::QqApi>("QQ_APPID")?);
    #[cfg(feature = "douyin")]
    logins.extend(from_env::<login::douyin::DouyinApi>("DOUYIN_APPID")?);
    #[cfg(feature = "alipay")]
    logins.extend(from_env::<login::alipay::AlipayApi>("ALIPAY_APPID")?);
    #[cfg(feature = "baidu")]
    logins.extend(from_env::<login::baidu::BaiduApi>("BAIDU_APPKEY")?);
    #[cfg(feature = "kuaishou")]
    logins.extend(from_env::<login::kuaishou::KuaishouApi>("KUAISHOU_APPID")?);
    if logins.is_empty() {
        return Err(Box::new(support::StartUp(
            "no platform is configured: set WECHAT_APPID and WECHAT_SECRET (or QQ_*, DOUYIN_*, \
             ALIPAY_*, BAIDU_*, KUAISHOU_* with their features)"
                .to_owned(),
        )));
    }
    Ok((logins, wechat))
}

/// The login client of platform `P` when its app id variable `appid` is set (one client type for
/// every platform: `LoginClient<P>`).
#[allow(
    dead_code,
    reason = "a build without the other platforms' features uses none"
)]
fn from_env<P: LoginApi>(
    appid: &str,
) -> Result<Option<Arc<dyn MiniProgramLogin>>, Box<dyn std::error::Error>> {
    if !set(appid) {
        return Ok(None);
    }
    let config = login::LoginConfig::<P>::from_env()?;
    Ok(Some(Arc::new(login::LoginClient::new(config)?)))
}

/// CORS for H5 builds on other origins: the session header allowed in and exposed out.
fn cors(origins: &str) -> Result<tower_http::cors::CorsLayer, Box<dyn std::error::Error>> {
    use axum::http::{HeaderName, HeaderValue, Method, header::CONTENT_TYPE};
    use tower_http::cors::CorsLayer;
    let session = HeaderName::from_static(sealed_session::DEFAULT_HEADER);
    let origins = origins
        .split(',')
        .map(|o| HeaderValue::from_str(o.trim()))
        .collect::<Result<Vec<_>, _>>()?;
    let layer = CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([CONTENT_TYPE, session.clone()]);
    Ok(match std::env::var("CORS_EXPOSE") {
        Ok(expose) if expose.is_empty() => layer,
        _ => layer.expose_headers([session]),
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    support::init_logging();
    let (logins, wechat) = logins_from_env()?;
    let keys = support::keys()?;
    let mut app = router_with(logins, SessionLayer::new(SessionConfig::new(keys))?, wechat);
    if let Ok(origins) = std::env::var("CORS_ORIGINS") {
        app = app.layer(cors(&origins)?);
    }
    let listener = support::bind(support::port("PORT", 3000)?).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
