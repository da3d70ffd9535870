//! The `metrics` feature end to end: a server on 127.0.0.1 with the layer, a Redis revocation
//! list on a redis-server of the test's own (never the one other tests share), and
//! metrics-exporter-prometheus's recorder with the buckets the guide recommends. Each decision
//! is made a known number of times over real HTTP, then `/metrics` is scraped over HTTP and
//! every count, label and bucket is checked exactly.
//!
//! One `#[test]` only: the facade has one global recorder per process, and tests of one binary
//! run in parallel.

mod common;
#[path = "../examples/support/standins.rs"]
#[allow(dead_code, unreachable_pub)]
mod standins;

use std::{collections::BTreeMap, time::Duration};

use axum::{Router, http::StatusCode, routing::get};
use common::{HOUR, Site, T0, key, keys, private_redis::PrivateRedis, serve};
use sealed_session::{
    ManualClock, RedisRevocationList, Session, SessionConfig, SessionError, SessionLayer,
    WhenUnreachable,
    token::{Codec, Data, Envelope, Line, SessionId},
};

// The guide's snippet, as it stands on the fleet page: `install_recorder`, with the buckets of
// `sealed_session::metrics::buckets`.
include!("../src/guide/fleet_recorder.rs");

/// The routes: each makes one kind of decision.
fn routes() -> Router {
    async fn count(session: Session) -> Result<String, SessionError> {
        let n: u64 = session.get("n")?.unwrap_or(0) + 1;
        session.insert("n", n)?;
        Ok(n.to_string())
    }
    async fn peek(session: Session) -> Result<String, SessionError> {
        Ok(session.get::<u64>("n")?.unwrap_or(0).to_string())
    }
    async fn big(session: Session) -> Result<&'static str, SessionError> {
        session.insert("big", "x".repeat(5000))?;
        Ok("unreachable")
    }
    async fn deep(session: Session) -> Result<&'static str, SessionError> {
        let mut value = serde_json::json!(1);
        for _ in 0..101 {
            value = serde_json::json!([value]);
        }
        session.insert("deep", value)?;
        Ok("unreachable")
    }
    async fn fail(session: Session) -> (StatusCode, &'static str) {
        session.insert("half", true).unwrap();
        (StatusCode::INTERNAL_SERVER_ERROR, "failed half-way")
    }
    async fn touch(session: Session) -> &'static str {
        session.touch();
        "touched"
    }
    async fn login(session: Session) -> Result<&'static str, SessionError> {
        session.regenerate();
        session.insert("user", "alice-0042")?;
        Ok("logged in")
    }
    async fn seal_hook_error(session: Session) -> Result<&'static str, SessionError> {
        session.insert("before_seal", "error")?;
        Ok("the hook refuses this")
    }
    async fn destroy(session: Session) -> &'static str {
        session.destroy();
        "gone"
    }
    async fn logout(session: Session) -> &'static str {
        session.revoke();
        "bye"
    }
    Router::new()
        .route("/count", get(count))
        .route("/peek", get(peek))
        .route("/big", get(big))
        .route("/deep", get(deep))
        .route("/fail", get(fail))
        .route("/touch", get(touch))
        .route("/login", get(login))
        .route("/destroy", get(destroy))
        .route("/seal-hook-error", get(seal_hook_error))
        .route("/logout", get(logout))
}

/// A token of `keys` (the first seals) for `{"n": 7}`, created at `created_ms`.
fn minted(keys: sealed_session::Keys, created_ms: u64) -> String {
    minted_with(keys, created_ms, "n", &7)
}

/// A token of `keys` for `{key: value}`, created at `created_ms`.
fn minted_with(
    keys: sealed_session::Keys,
    created_ms: u64,
    key: &str,
    value: &impl serde::Serialize,
) -> String {
    let mut data = Data::new();
    data.insert(key, value).unwrap();
    let envelope = Envelope {
        created_ms,
        expires_ms: created_ms + 24 * HOUR.as_millis() as u64,
        max_age_ms: 24 * HOUR.as_millis() as u64,
        sid: SessionId::random().unwrap(),
        line: Line::random().unwrap(),
        generation: 1,
    };
    Codec::new(keys).seal(&envelope, &data).unwrap()
}

/// Every sample of the exposition `text`: `name{labels}` (as printed) to its value.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (series, value) = l.rsplit_once(' ').unwrap();
            (series.to_owned(), value.parse().unwrap())
        })
        .collect()
}

/// Every label value in the exposition `text`.
fn label_values(text: &str) -> Vec<String> {
    let mut values = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let Some(start) = line.find('{') else {
            continue;
        };
        let labels = &line[start + 1..line.rfind('}').unwrap()];
        for pair in labels.split(',') {
            let (_, value) = pair.split_once('=').unwrap();
            values.push(value.trim_matches('"').to_owned());
        }
    }
    values
}

/// WeChat's login stand-in (`examples/support/standins.rs`) and a `stable_token` answering
/// `{"access_token", "expires_in": 7200}` as WeChat documents it; its base URL.
async fn wechat_stand_in() -> String {
    use axum::routing::post;
    let stable_token = || async {
        axum::Json(serde_json::json!({ "access_token": "at-0042", "expires_in": 7200 }))
    };
    let app = standins::wechat_router(std::sync::Arc::default())
        .route("/cgi-bin/stable_token", post(stable_token));
    serve(app).await
}

/// The login and access-token metrics: a good code, a code WeChat refuses (`40029`), and the
/// access token fetched first, refreshed near its expiry, refetched after an invalid-token
/// answer and forced.
async fn wechat_logins_and_access_tokens(clock: &ManualClock) {
    use sealed_session::{
        login::LoginCode,
        wechat::{AccessTokens, WechatClient, WechatConfig},
    };
    let base = wechat_stand_in().await;
    let config = WechatConfig::new(standins::WECHAT_APPID, standins::WECHAT_SECRET)
        .with_api_base(&base)
        .with_timeout(Duration::from_secs(5));
    let wechat = WechatClient::new(config).unwrap();
    assert!(wechat.exchange(&LoginCode::new("good-alice")).await.is_ok());
    let refused = wechat
        .exchange(&LoginCode::new("e40029"))
        .await
        .unwrap_err();
    assert!(refused.is_bad_code(), "{refused:?}");
    let tokens = AccessTokens::with_clock(&wechat, clock.clone()).unwrap();
    let first = tokens.get().await.unwrap(); // first
    tokens.get().await.unwrap(); // cached: no fetch
    clock.advance(2 * HOUR); // past the refresh time (7200 s less 5 minutes)
    tokens.get().await.unwrap(); // refresh
    let current = tokens.get().await.unwrap();
    assert_ne!(first.expose_secret(), "", "a token");
    tokens.refetch(&current).await.unwrap(); // invalid_token
    tokens.force_refresh().await.unwrap(); // forced
}

/// A key file reloaded unchanged, changed, and refused (a partial write) twice.
fn key_reloads(clock: &ManualClock) {
    let dir = std::env::temp_dir().join(format!("sealed-session-metrics-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("keys");
    std::fs::write(&file, keys(&[1]).to_key_file().as_bytes()).unwrap();
    let source = sealed_session::KeySource::from_file_with_clock(&file, clock.clone()).unwrap();
    source.reload().unwrap(); // unchanged
    let rotated = keys(&[2, 1]).to_key_file();
    std::fs::write(&file, rotated.as_bytes()).unwrap();
    source.reload().unwrap(); // changed
    std::fs::write(&file, &rotated.as_bytes()[..rotated.len() - 9]).unwrap();
    assert!(source.reload().is_err() && source.reload().is_err()); // refused, twice
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
#[ignore = "starts a redis-server of its own: .ci/run runs it with --ignored (Debian's redis-server)"]
async fn every_session_decision_is_counted_once_with_bounded_labels() {
    let handle = install_recorder().expect("the only recorder of this test binary");
    let mut redis = PrivateRedis::start(&[]).await;
    let list = RedisRevocationList::connect(&redis.url(""))
        .await
        .unwrap()
        .with_timeout(Duration::from_millis(500));
    let clock = ManualClock::new(T0);
    // Key 1 seals, key 2 opens (a key being rotated out); key 3 is unknown here. The hooks fail
    // when the session asks them to (`"validate"` or `"before_seal"` in its data).
    let hooked = |list, when| {
        SessionConfig::new(keys(&[1, 2]))
            .with_clock(clock.clone())
            .with_revocation_list(list, when)
            .with_validate(|view| async move {
                match view.get::<String>("validate")?.as_deref() {
                    Some("error") => Err::<bool, sealed_session::BoxError>(
                        "the validate hook fails, as asked".into(),
                    ),
                    Some("panic") => panic!("the validate hook panics, as asked"),
                    _ => Ok(true),
                }
            })
            .with_before_seal(|session| match session.get::<String>("before_seal")? {
                Some(_) => Err("the before_seal hook fails, as asked".into()),
                None => Ok(()),
            })
    };
    let config = hooked(list, WhenUnreachable::Unavailable);
    // A second instance on the same Redis whose policy lets requests through while it is down.
    let allowing = RedisRevocationList::connect(&redis.url(""))
        .await
        .unwrap()
        .with_timeout(Duration::from_millis(500));
    let allowing = SessionLayer::new(hooked(allowing, WhenUnreachable::Allow)).unwrap();
    // The layer is built after the recorder is installed, as the guide says.
    let layer = SessionLayer::new(config).unwrap();
    let scrape = handle.clone();
    let app = routes()
        .layer(layer)
        .merge(Router::new().route("/metrics", get(move || std::future::ready(scrape.render()))));
    let site = Site::at(serve(app).await, clock.clone());
    let other = Site::at(serve(routes().layer(allowing)).await, clock.clone());

    // Exercise: one request per decision (comments: what it adds).
    let a = site.get("/count", None).await.new_token(); // no token; issued new
    assert_eq!(site.get("/peek", Some(&a)).await.body, "1"); // opened sealing v2; not revoked
    let expired = minted(keys(&[1]), T0 - 48 * HOUR.as_millis() as u64);
    let mut forged = a.clone().into_bytes();
    let i = forged.len() - 10;
    forged[i] = if forged[i] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let unknown = minted(keys(&[3]), T0);
    for refused in [&expired, &forged, &unknown] {
        let reply = site.get("/peek", Some(refused)).await; // refused: expired, forged, unknown_key
        assert_eq!((reply.status, reply.body.as_str()), (200, "0"));
    }
    let old = minted(keys(&[2]), T0);
    let rotated = site.get("/peek", Some(&old)).await; // opened other v2; issued rotated
    assert_eq!(rotated.body, "7");
    let r = rotated.new_token();
    let big = site.get("/big", None).await; // no token; insert refused too_large
    assert_eq!(big.status, 500);
    let deep = site.get("/deep", None).await; // no token; insert refused too_deep
    assert_eq!(deep.status, 500);
    let fail = site.get("/fail", Some(&a)).await; // opened; withheld
    assert_eq!((fail.status, fail.token), (500, None));
    let r1 = site.get("/count", Some(&r)).await.new_token(); // opened; issued changed
    let r2 = site.get("/count", Some(&r1)).await.new_token(); // opened; issued changed
    let r3 = site.get("/touch", Some(&r2)).await.new_token(); // opened; issued touched
    let l = site.get("/login", Some(&r3)).await.new_token(); // opened; issued regenerated
    clock.advance(13 * HOUR); // less than half of the 24 h max age left: renew
    let l2 = site.get("/peek", Some(&l)).await.new_token(); // opened; issued renewed
    // Opened; cleared destroy (no list entry: a kept copy of `r` still opens).
    let destroyed = site.get("/destroy", Some(&r)).await;
    assert_eq!(destroyed.token.as_deref(), Some(""));
    // Opened; cleared revoke.
    let logout = site.get("/logout", Some(&a)).await;
    assert_eq!(logout.token.as_deref(), Some(""));
    assert_eq!(site.get("/peek", Some(&a)).await.body, "0"); // opened; revoked; refused revoked
    for (asked, status) in [("error", 500), ("panic", 500)] {
        // Opened; not revoked; the validate hook fails: a 500.
        let token = minted_with(keys(&[1]), T0, "validate", &asked);
        assert_eq!(site.get("/peek", Some(&token)).await.status, status);
    }
    let failed = site.get("/seal-hook-error", None).await; // no token; before_seal fails
    assert_eq!((failed.status, failed.token), (500, None));
    wechat_logins_and_access_tokens(&clock).await;
    key_reloads(&clock);
    redis.stop();
    let down = site.get("/peek", Some(&l2)).await; // opened; check failed; outage: 503
    assert_eq!((down.status, down.token), (503, None));
    // The other instance: opened; check failed; outage allow; cleared revoke, not recorded.
    let unrecorded = other.get("/logout", Some(&l2)).await;
    assert_eq!(
        (unrecorded.status, unrecorded.token.as_deref()),
        (200, Some(""))
    );

    // Expectation: the scrape over HTTP holds exactly these counts.
    let text = reqwest::get(format!("{}/metrics", site.base))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let got = samples(&text);
    let value = |series: &str| {
        got.get(series)
            .copied()
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    let opened = |key: &str, v: &str| {
        value(&format!(
            "{}{{key=\"{key}\",version=\"{v}\"}}",
            names::TOKENS_OPENED
        ))
    };
    assert_eq!(opened("sealing", "2"), 14.0, "{text}");
    assert_eq!(opened("other", "2"), 1.0);
    assert_eq!(opened("sealing", "1") + opened("other", "1"), 0.0);
    assert_eq!(value(names::REQUESTS_WITHOUT_TOKEN), 4.0);
    let refused =
        |reason: &str| value(&format!("{}{{reason=\"{reason}\"}}", names::TOKENS_REFUSED));
    for (reason, n) in [
        ("expired", 1.0),
        ("forged", 1.0),
        ("unknown_key", 1.0),
        ("revoked", 1.0),
        ("too_long", 0.0),
        ("malformed", 0.0),
        ("created_in_future", 0.0),
        ("past_absolute_lifetime", 0.0),
        ("bad_data", 0.0),
        ("invalid", 0.0),
        ("unverified", 0.0),
    ] {
        assert_eq!(refused(reason), n, "refused {reason}");
    }
    let issued = |cause: &str| value(&format!("{}{{cause=\"{cause}\"}}", names::TOKENS_ISSUED));
    for (cause, n) in [
        ("new", 1.0),
        ("changed", 2.0),
        ("touched", 1.0),
        ("renewed", 1.0),
        ("rolling", 0.0),
        ("rotated", 1.0),
        ("regenerated", 1.0),
    ] {
        assert_eq!(issued(cause), n, "issued {cause}");
    }
    let cleared = |cause: &str| value(&format!("{}{{cause=\"{cause}\"}}", names::TOKENS_CLEARED));
    assert_eq!((cleared("revoke"), cleared("destroy")), (2.0, 1.0));
    assert_eq!(value(names::TOKENS_WITHHELD), 1.0);
    let insert = |reason: &str| {
        value(&format!(
            "{}{{reason=\"{reason}\"}}",
            names::INSERTS_REFUSED
        ))
    };
    assert_eq!((insert("too_large"), insert("too_deep")), (1.0, 1.0));
    // Seven tokens issued, each well under 256 characters.
    let length = |s: &str| value(&format!("{}{s}", names::TOKEN_LENGTH));
    assert_eq!(length("_count"), 7.0);
    assert_eq!(length("_bucket{le=\"128\"}"), 0.0);
    for le in ["256", "512", "1024", "2048", "3072", "3687", "4096", "+Inf"] {
        assert_eq!(length(&format!("_bucket{{le=\"{le}\"}}")), 7.0, "le {le}");
    }
    let check = |answer: &str| {
        value(&format!(
            "{}{{answer=\"{answer}\"}}",
            names::REVOCATION_CHECKS
        ))
    };
    assert_eq!(check("not_revoked"), 12.0);
    assert_eq!(check("revoked"), 1.0);
    assert_eq!(check("error") + check("timeout"), 2.0);
    assert_eq!(check("panic"), 0.0);
    let duration = |s: &str| value(&format!("{}{s}", names::REVOCATION_CHECK_DURATION));
    assert_eq!(duration("_count"), 15.0);
    assert_eq!(duration("_bucket{le=\"+Inf\"}"), 15.0);
    for le in [
        "0.0001", "0.00025", "0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
    ] {
        assert!(
            duration(&format!("_bucket{{le=\"{le}\"}}")) <= 15.0,
            "le {le}"
        );
    }
    let outage = |policy: &str| {
        value(&format!(
            "{}{{policy=\"{policy}\"}}",
            names::REVOCATION_OUTAGE
        ))
    };
    assert_eq!(
        (outage("unavailable"), outage("refuse"), outage("allow")),
        (1.0, 0.0, 1.0)
    );
    let hook = |hook: &str, kind: &str| {
        value(&format!(
            "{}{{hook=\"{hook}\",kind=\"{kind}\"}}",
            names::HOOK_FAILURES
        ))
    };
    assert_eq!(hook("validate", "error"), 1.0);
    assert_eq!(hook("validate", "panic"), 1.0);
    assert_eq!(hook("before_seal", "error"), 1.0);
    assert_eq!(value(names::REVOCATIONS_UNRECORDED), 1.0);
    let login = |outcome: &str| {
        value(&format!(
            "{}{{platform=\"wechat\",outcome=\"{outcome}\"}}",
            names::LOGINS
        ))
    };
    assert_eq!((login("ok"), login("bad_code")), (1.0, 1.0));
    let fetch = |cause: &str| {
        value(&format!(
            "{}{{cause=\"{cause}\"}}",
            names::WECHAT_ACCESS_TOKEN_FETCHES
        ))
    };
    for cause in ["first", "refresh", "invalid_token", "forced"] {
        assert_eq!(fetch(cause), 1.0, "access token {cause}");
    }
    let reloads =
        |outcome: &str| value(&format!("{}{{outcome=\"{outcome}\"}}", names::KEY_RELOADS));
    assert_eq!(
        (reloads("unchanged"), reloads("changed"), reloads("refused")),
        (1.0, 1.0, 2.0)
    );
    // No seal failed (a session too large to seal is refused at insert; the unit test of
    // `respond` counts the one that still fails at response time).
    assert!(!text.contains(names::SEAL_FAILURES), "{text}");

    // Expectation: every label value comes from the fixed vocabularies; no token, key id,
    // session id or user's data is a label.
    let allowed = [
        "sealing",
        "other",
        "1",
        "2",
        "new",
        "changed",
        "touched",
        "renewed",
        "rolling",
        "rotated",
        "regenerated",
        "destroy",
        "revoke",
        "too_large",
        "too_deep",
        "revoked",
        "not_revoked",
        "error",
        "timeout",
        "panic",
        "refuse",
        "unavailable",
        "allow",
        "+Inf",
        "too_long",
        "malformed",
        "unknown_key",
        "forged",
        "created_in_future",
        "expired",
        "past_absolute_lifetime",
        "bad_data",
        "invalid",
        "unverified",
        "validate",
        "before_seal",
        "wechat",
        "bad_code",
        "ok",
        "first",
        "refresh",
        "invalid_token",
        "forced",
        "unchanged",
        "changed",
        "refused",
    ];
    let buckets: Vec<String> = buckets::TOKEN_LENGTH
        .iter()
        .chain(&buckets::REVOCATION_CHECK_SECONDS)
        .map(|b| b.to_string())
        .collect();
    for value in label_values(&text) {
        assert!(
            allowed.contains(&value.as_str()) || buckets.contains(&value),
            "label value {value:?} is not from a fixed list"
        );
    }
    let kid = key(1).id().to_string();
    for secret in [
        &a,
        &r,
        &l,
        &l2,
        "alice-0042",
        kid.as_str(),
        "at-0042",
        "wx-alice",
    ] {
        assert!(!text.contains(secret), "the scrape shows {secret}");
    }
}
