//! `sealed_session::wechat::AccessTokens` against a stand-in for WeChat's
//! `POST /cgi-bin/stable_token` on 127.0.0.1 that counts its calls.
//!
//! The stand-in checks what WeChat's documentation says the request carries: a JSON body with
//! `grant_type` = `client_credential`, `appid`, `secret` and an optional boolean `force_refresh`;
//! it answers `{"access_token", "expires_in": 7200}`, a new token `tok-<n>` on each call (so a
//! test sees which call a token came from). The app id decides the failures: `busy` answers
//! errcode -1, `quota` 45009, `slow` never answers (a hung upstream).

#[path = "../common/mod.rs"]
mod common;

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use axum::{
    Json, Router,
    extract::{Query, State},
    routing::{get, post},
};
use common::{T0, serve};
use sealed_session::{
    ManualClock,
    wechat::{
        AccessToken, AccessTokens, PhoneCode, WechatClient, WechatConfig, WechatSessionKey,
        server_api_error,
    },
};
use serde_json::{Value, json};

const APPID: &str = "wx-test-app";
const SECRET: &str = "the-app-secret-0123456789";

#[derive(Default)]
struct StandIn {
    calls: AtomicUsize,
    forced: Mutex<Vec<bool>>,
    /// The latest token issued: the only one `getuserphonenumber` accepts.
    latest: Mutex<String>,
    phone_calls: AtomicUsize,
}

/// `POST /wxa/business/getuserphonenumber?access_token=` `{"code"}`: `phone-ok` gives a number
/// with this app's watermark, `phone-other` another app's; `e<n>` errcode n; a token other than
/// the latest errcode 40001.
async fn getuserphonenumber(
    State(state): State<Arc<StandIn>>,
    Query(q): Query<HashMap<String, String>>,
    Json(body): Json<Value>,
) -> Json<Value> {
    state.phone_calls.fetch_add(1, Ordering::SeqCst);
    let err = |code: i64, msg: &str| Json(json!({"errcode": code, "errmsg": msg}));
    if q.get("access_token") != Some(&*state.latest.lock().unwrap()) {
        return err(
            40001,
            "invalid credential, access_token is invalid or not latest",
        );
    }
    let phone = |appid: &str| {
        Json(json!({"errcode": 0, "errmsg": "ok", "phone_info": {
            "phoneNumber": "13800138000", "purePhoneNumber": "13800138000", "countryCode": "86",
            "watermark": {"timestamp": 1_700_000_000, "appid": appid},
        }}))
    };
    match body["code"].as_str().unwrap_or_default() {
        "phone-ok" => phone(APPID),
        "phone-other" => phone("wx-another-app"),
        code => match code.strip_prefix('e').and_then(|n| n.parse().ok()) {
            Some(n) => err(n, "as asked"),
            None => err(40029, "invalid code"),
        },
    }
}

async fn stable_token(State(state): State<Arc<StandIn>>, Json(body): Json<Value>) -> Json<Value> {
    let n = state.calls.fetch_add(1, Ordering::SeqCst) + 1;
    state
        .forced
        .lock()
        .unwrap()
        .push(body["force_refresh"].as_bool().unwrap_or(false));
    let err = |code: i64, msg: &str| Json(json!({"errcode": code, "errmsg": msg}));
    if body["grant_type"] != "client_credential" {
        return err(40002, "invalid grant_type");
    }
    match body["appid"].as_str() {
        Some("busy") => return err(-1, "system error"),
        Some("quota") => return err(45009, "reach max api daily quota limit"),
        Some("slow") => std::future::pending().await,
        Some(APPID) => {}
        _ => return err(40013, "invalid appid"),
    }
    if body["secret"] != SECRET {
        return err(40125, "invalid appsecret");
    }
    *state.latest.lock().unwrap() = format!("tok-{n}");
    Json(json!({"access_token": format!("tok-{n}"), "expires_in": 7200}))
}

/// `GET /wxa/checksession?access_token&openid&signature&sig_method`: `sig_method` must be
/// `hmac_sha256` and `signature` the lowercase hex of `hmac_sha256(session_key, "")` under the
/// user's current key, WeChat's demo key for `o-alice`; else errcode 87009.
async fn checksession(
    State(state): State<Arc<StandIn>>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    let err = |code: i64, msg: &str| Json(json!({"errcode": code, "errmsg": msg}));
    if q.get("access_token") != Some(&*state.latest.lock().unwrap()) {
        return err(40001, "invalid credential");
    }
    if q.get("sig_method").map(String::as_str) != Some("hmac_sha256") {
        return err(87009, "invalid sig_method");
    }
    let current = match q.get("openid").map(String::as_str) {
        Some("o-alice") => "tiihtNczf5v6AKRyjwEUhQ==",
        _ => return err(40003, "invalid openid"),
    };
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, current.as_bytes());
    let expected: String = ring::hmac::sign(&key, b"")
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    if q.get("signature") != Some(&expected) {
        return err(87009, "invalid signature");
    }
    err(0, "ok")
}

async fn stand_in() -> (String, Arc<StandIn>) {
    let state = Arc::new(StandIn::default());
    let app = Router::new()
        .route("/cgi-bin/stable_token", post(stable_token))
        .route("/wxa/business/getuserphonenumber", post(getuserphonenumber))
        .route("/wxa/checksession", get(checksession))
        .with_state(state.clone());
    (serve(app).await, state)
}

fn tokens(base: &str, appid: &str, clock: &ManualClock, timeout: Duration) -> AccessTokens {
    let config = WechatConfig::new(appid, SECRET)
        .with_api_base(base)
        .with_timeout(timeout);
    AccessTokens::with_clock(&WechatClient::new(config).unwrap(), clock.clone()).unwrap()
}

fn calls(state: &StandIn) -> usize {
    state.calls.load(Ordering::SeqCst)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_callers_cause_one_fetch() {
    let (base, state) = stand_in().await;
    let clock = ManualClock::new(T0);
    let tokens = tokens(&base, APPID, &clock, Duration::from_secs(5));
    let all = (0..100).map(|_| {
        let tokens = tokens.clone();
        tokio::spawn(async move { tokens.get().await.unwrap() })
    });
    let got: Vec<AccessToken> = futures_join(all).await;
    assert_eq!(calls(&state), 1);
    assert!(got.iter().all(|t| t.expose_secret() == "tok-1"));
    assert_eq!(*state.forced.lock().unwrap(), [false]);
}

async fn futures_join<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut out = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        out.push(handle.await.unwrap());
    }
    out
}

#[tokio::test]
async fn the_token_is_refreshed_five_minutes_before_expiry() {
    let (base, state) = stand_in().await;
    let clock = ManualClock::new(T0);
    let tokens = tokens(&base, APPID, &clock, Duration::from_secs(5));
    assert_eq!(tokens.get().await.unwrap().expose_secret(), "tok-1");
    // 7200 s of life, refreshed 300 s early: still cached at 6899 s, fetched anew at 6900 s.
    clock.advance(Duration::from_secs(6899));
    assert_eq!(tokens.get().await.unwrap().expose_secret(), "tok-1");
    assert_eq!(calls(&state), 1);
    clock.advance(Duration::from_secs(1));
    assert_eq!(tokens.get().await.unwrap().expose_secret(), "tok-2");
    assert_eq!(calls(&state), 2);
    assert_eq!(*state.forced.lock().unwrap(), [false, false]);
}

#[tokio::test]
async fn an_invalid_token_is_refetched_once_and_the_call_retried_once() {
    // The only test of this binary that reaches the refetch's debug event, so that no other
    // thread races its callsite's interest.
    let (events, _guard) = common::Events::capture_all();
    a_token_forced_elsewhere_is_refetched_and_the_phone_call_retried().await;
    let (base, state) = stand_in().await;
    let clock = ManualClock::new(T0);
    let tokens = tokens(&base, APPID, &clock, Duration::from_secs(5));
    let seen = Mutex::new(Vec::new());
    // An API that refuses tok-1 as invalid (40001), and accepts any other.
    let answer = tokens
        .with_token(|token| {
            seen.lock().unwrap().push(token.expose_secret().to_owned());
            async move {
                match token.expose_secret() {
                    "tok-1" => Err(server_api_error(40001, "invalid credential")),
                    other => Ok(other.to_owned()),
                }
            }
        })
        .await
        .unwrap();
    assert_eq!(answer, "tok-2");
    assert_eq!(*seen.lock().unwrap(), ["tok-1", "tok-2"]);
    assert_eq!(
        *state.forced.lock().unwrap(),
        [false, false],
        "never forced"
    );

    // An API that refuses every token (42001): one retry, then its error.
    let tries = AtomicUsize::new(0);
    let err = tokens
        .with_token(|_| {
            tries.fetch_add(1, Ordering::SeqCst);
            async { Err::<(), _>(server_api_error(42001, "access_token expired")) }
        })
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(42001), "{err:?}");
    assert_eq!(tries.load(Ordering::SeqCst), 2);
    assert_eq!(calls(&state), 3);

    let logged = events.lines().join("\n");
    assert!(logged.contains("refetching once"), "{logged}");
    for secret in ["tok-1", "tok-2", "tok-3", SECRET, "13800138000"] {
        assert!(!logged.contains(secret), "{secret} in {logged}");
    }
}

#[tokio::test]
async fn force_refresh_only_on_request() {
    let (base, state) = stand_in().await;
    let clock = ManualClock::new(T0);
    let tokens = tokens(&base, APPID, &clock, Duration::from_secs(5));
    tokens.get().await.unwrap();
    assert_eq!(
        tokens.force_refresh().await.unwrap().expose_secret(),
        "tok-2"
    );
    assert_eq!(tokens.get().await.unwrap().expose_secret(), "tok-2");
    assert_eq!(*state.forced.lock().unwrap(), [false, true]);
}

#[tokio::test]
async fn busy_quota_and_bad_credentials_are_their_own_errors_and_not_cached() {
    let (base, state) = stand_in().await;
    let clock = ManualClock::new(T0);
    let busy = tokens(&base, "busy", &clock, Duration::from_secs(5));
    for _ in 0..2 {
        let err = busy.get().await.unwrap_err();
        assert!(err.is_upstream() && err.errcode() == Some(-1), "{err:?}");
    }
    assert_eq!(calls(&state), 2, "an error is not cached");
    let quota = tokens(&base, "quota", &clock, Duration::from_secs(5));
    let err = quota.force_refresh().await.unwrap_err();
    assert!(err.is_rate_limited(), "{err:?}");
    assert_eq!(err.errcode(), Some(45009));
    let other = tokens(&base, "wx-another", &clock, Duration::from_secs(5));
    let err = other.get().await.unwrap_err();
    assert_eq!(err.errcode(), Some(40013));
    let text = format!("{err} {err:?} {other:?}");
    assert!(!text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn a_hung_upstream_hits_the_timeout() {
    let (base, _) = stand_in().await;
    let clock = ManualClock::new(T0);
    let slow = tokens(&base, "slow", &clock, Duration::from_millis(200));
    assert!(slow.get().await.unwrap_err().is_timeout());
}

#[tokio::test]
async fn the_token_never_prints() {
    let (base, _) = stand_in().await;
    let clock = ManualClock::new(T0);
    let tokens = tokens(&base, APPID, &clock, Duration::from_secs(5));
    let token = tokens.get().await.unwrap();
    assert_eq!(format!("{token:?}"), "AccessToken(REDACTED)");
    let text = format!("{tokens:?}");
    assert!(!text.contains("tok-1") && !text.contains(SECRET), "{text}");
}

#[tokio::test]
async fn the_phone_code_gives_the_number_with_this_apps_watermark() {
    let (base, state) = stand_in().await;
    let clock = ManualClock::new(T0);
    let tokens = tokens(&base, APPID, &clock, Duration::from_secs(5));
    let phone = tokens
        .phone_number(&PhoneCode::new("phone-ok"))
        .await
        .unwrap();
    assert_eq!(phone.phone_number, "13800138000");
    assert_eq!(phone.pure_phone_number, "13800138000");
    assert_eq!(phone.country_code, "86");
    assert_eq!(phone.watermark.appid, APPID);
    assert_eq!(format!("{phone:?}"), "PhoneNumber(REDACTED)");

    let err = tokens
        .phone_number(&PhoneCode::new("phone-other"))
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("watermark of another app id"),
        "{err}"
    );
    assert!(!format!("{err} {err:?}").contains("13800138000"));
    for (code, errcode) in [("e40029", 40029), ("e45011", 45011), ("e-1", -1)] {
        let err = tokens
            .phone_number(&PhoneCode::new(code))
            .await
            .unwrap_err();
        assert_eq!(err.errcode(), Some(errcode), "{err:?}");
    }
    let err = tokens
        .phone_number(&PhoneCode::new("e40029"))
        .await
        .unwrap_err();
    assert!(err.is_bad_code(), "{err:?}");
    let err = tokens.phone_number(&PhoneCode::new("")).await.unwrap_err();
    assert!(err.is_bad_code() && err.errcode().is_none(), "{err:?}");
    assert_eq!(
        format!("{:?}", PhoneCode::new("phone-ok")),
        "PhoneCode(REDACTED)"
    );
    assert_eq!(calls(&state), 1, "one token for all of them");
}

#[tokio::test]
async fn check_session_key_tells_the_current_key_from_a_stale_one() {
    let (base, _) = stand_in().await;
    let clock = ManualClock::new(T0);
    let tokens = tokens(&base, APPID, &clock, Duration::from_secs(5));
    let current = WechatSessionKey::new("tiihtNczf5v6AKRyjwEUhQ==");
    tokens.check_session_key("o-alice", &current).await.unwrap();
    let stale = WechatSessionKey::new("r7BXXKkLb8qrSNn05n0qiA==");
    let err = tokens
        .check_session_key("o-alice", &stale)
        .await
        .unwrap_err();
    assert_eq!(err.errcode(), Some(87009), "{err:?}");
    assert!(err.to_string().contains("log in again"), "{err}");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("r7BXXKkLb8qrSNn05n0qiA"), "{text}");
}

/// Called from the test above.
async fn a_token_forced_elsewhere_is_refetched_and_the_phone_call_retried() {
    // Exercise: another instance forces a refresh, so this one's cached token is no longer the
    // latest and the phone API answers 40001. Expectation: one normal-mode refetch, one retry.
    let (base, state) = stand_in().await;
    let clock = ManualClock::new(T0);
    let here = tokens(&base, APPID, &clock, Duration::from_secs(5));
    let elsewhere = tokens(&base, APPID, &clock, Duration::from_secs(5));
    here.get().await.unwrap();
    elsewhere.force_refresh().await.unwrap();
    let phone = here
        .phone_number(&PhoneCode::new("phone-ok"))
        .await
        .unwrap();
    assert_eq!(phone.country_code, "86");
    assert_eq!(state.phone_calls.load(Ordering::SeqCst), 2);
    assert_eq!(*state.forced.lock().unwrap(), [false, true, false]);
}
