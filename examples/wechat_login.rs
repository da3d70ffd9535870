//! A WeChat mini program's login server: `wx.login` code in, sealed session out.
//!
//! ```sh
//! WECHAT_APPID=wx... WECHAT_SECRET=... SESSION_KEYS=$(cargo run -q --example keygen) \
//!     cargo run --features wechat --example wechat_login
//! ```
//!
//! - `POST /login` `{"code": "<from wx.login>"}`: exchanges the code with WeChat, keeps `openid`,
//!   `unionid` (when WeChat sends one) and WeChat's `session_key` in the sealed session, gives
//!   the session a new id, and answers `{"openid": ...}`. The session key never leaves the seal.
//! - `GET /me`: `{"openid": ...}`, or `401` with a JSON error when no one is logged in.
//! - `POST /logout`: destroys the session (the response clears the client's token).
//!
//! Errors are JSON `{"error", "message", "errcode"?}`: `400` for a bad body or a code WeChat
//! refuses as invalid or used (the client should call `wx.login` again), `502` for any other
//! WeChat error, `504` when WeChat does not answer in time.
//!
//! Environment: `WECHAT_APPID`, `WECHAT_SECRET` (required), `WECHAT_API_BASE` (default
//! `https://api.weixin.qq.com`), `SESSION_KEYS` (comma-separated base64; a random key and a
//! warning without it), `PORT` (default 3000; `0` picks a free one). The listening address is
//! printed on stdout; logs go to stderr.

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, State, rejection::JsonRejection},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use sealed_session::{
    Key, Keys, Session, SessionConfig, SessionLayer,
    wechat::{WechatClient, WechatConfig, WechatError},
};
use serde::Deserialize;
use serde_json::{Value, json};

const OPENID: &str = "openid";
const UNIONID: &str = "unionid";
const WX_SESSION_KEY: &str = "wx_session_key";

#[derive(Deserialize)]
struct LoginBody {
    code: String,
}

/// The application, around a WeChat client and a session layer.
pub fn router(wechat: WechatClient, sessions: SessionLayer) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/login/wechat", post(login))
        .route("/me", get(me))
        .route("/logout", post(logout))
        .layer(DefaultBodyLimit::max(1024))
        .layer(sessions)
        .with_state(wechat)
}

async fn login(
    State(wechat): State<WechatClient>,
    session: Session,
    body: Result<Json<LoginBody>, JsonRejection>,
) -> Response {
    let code = match body {
        Ok(Json(body)) => body.code,
        Err(rejection) => {
            let message = format!(
                "expected a JSON body {{\"code\": \"<the code from wx.login>\"}}: {}",
                rejection.body_text()
            );
            return error(StatusCode::BAD_REQUEST, "bad_request", &message, None);
        }
    };
    let login = match wechat.code2session(&code).await {
        Ok(login) => login,
        Err(e) => return wechat_error(&e),
    };
    // A new login: nothing of a previous user's session survives, and its id changes.
    session.clear();
    session.cycle_id();
    let stored = session
        .insert(OPENID, &login.openid)
        .and_then(|()| session.insert(WX_SESSION_KEY, login.session_key.expose_secret()))
        .and_then(|()| match &login.unionid {
            Some(unionid) => session.insert(UNIONID, unionid),
            None => Ok(()),
        });
    if let Err(e) = stored {
        let status = StatusCode::INTERNAL_SERVER_ERROR;
        return error(status, "session", &e.to_string(), None);
    }
    Json(json!({ "openid": login.openid })).into_response()
}

async fn me(session: Session) -> Response {
    match session.get::<String>(OPENID) {
        Ok(Some(openid)) => Json(json!({ "openid": openid })).into_response(),
        _ => error(
            StatusCode::UNAUTHORIZED,
            "not_logged_in",
            "log in first: POST /login with {\"code\": \"<the code from wx.login>\"}",
            None,
        ),
    }
}

async fn logout(session: Session) -> Json<Value> {
    session.destroy();
    Json(json!({ "logged_out": true }))
}

fn wechat_error(e: &WechatError) -> Response {
    tracing::warn!(error = %e, "code2session failed");
    let (status, kind) = match e {
        e if e.is_bad_code() => (StatusCode::BAD_REQUEST, "bad_code"),
        WechatError::Timeout => (StatusCode::GATEWAY_TIMEOUT, "wechat_timeout"),
        _ => (StatusCode::BAD_GATEWAY, "wechat"),
    };
    error(status, kind, &e.to_string(), e.errcode())
}

fn error(status: StatusCode, kind: &str, message: &str, errcode: Option<i64>) -> Response {
    let mut body = json!({ "error": kind, "message": message });
    if let Some(code) = errcode {
        body["errcode"] = code.into();
    }
    (status, Json(body)).into_response()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sealed_session=debug".into()),
        )
        .init();
    let wechat = WechatClient::new(WechatConfig::from_env()?)?;
    let keys = match std::env::var_os("SESSION_KEYS") {
        Some(_) => Keys::from_env("SESSION_KEYS")?,
        None => {
            eprintln!(
                "warning: SESSION_KEYS is not set; using a random key, so sessions end when the server stops"
            );
            Keys::single(Key::generate())
        }
    };
    let app = router(wechat, SessionLayer::new(SessionConfig::new(keys))?);
    let port: u16 = std::env::var("PORT").map_or(Ok(3000), |p| p.parse())?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
