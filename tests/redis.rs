//! `RedisRevocationList` against a real `redis-server`.
//!
//! Needs `REDIS_URL` (e.g. `redis://127.0.0.1:6379/`), so each test that talks to Redis is
//! `#[ignore]`d in a plain `cargo test` (shown as ignored, never as passed): `.ci/run` installs
//! Redis, starts one on a free loopback port (`scripts/private-redis.sh`), sets `REDIS_URL` and
//! runs them with `-- --ignored`; without `REDIS_URL` they fail, they never pass silently. The tests that stop Redis start a private `redis-server` of
//! their own, so the shared one stays up. Every test uses its own key prefix.
//!
//! First the list on its own, then the layer with the list over real HTTP on 127.0.0.1.

mod common;

use std::time::Duration;

use common::{
    Events, HOUR, Site, T0, config, inspect,
    private_redis::{PrivateRedis, free_port},
};
use redis::AsyncCommands;
use sealed_session::{
    ManualClock, RevocationList, WhenUnreachable, revocation::RedisRevocationList, token::SessionId,
};

/// The bound on anything that must not hang; far above every timeout involved.
const GUARD: Duration = Duration::from_secs(5);

/// The per-call timeout while Redis is up: no healthy call reaches it, even on a loaded machine
/// (the default 100 ms can be, and a healthy check would then fail).
const HEALTHY: Duration = Duration::from_secs(2);

/// The per-call timeout while Redis is stopped or frozen, when every call fails: it only sets
/// how long each call waits.
const DOWN: Duration = Duration::from_millis(50);

/// The shared Redis; a test without it fails, it never passes silently.
fn redis_url() -> String {
    std::env::var("REDIS_URL").unwrap_or_else(|_| {
        panic!(
            "REDIS_URL is not set: these tests need a running redis-server. \
             Run `bash .ci/run`, or start one and run \
             `REDIS_URL=redis://127.0.0.1:6379/ cargo test --features redis --test redis`"
        )
    })
}

/// A key prefix no other test (or earlier run) uses.
fn fresh_prefix(test: &str) -> String {
    format!("test:{test}:{}:", SessionId::random().unwrap())
}

/// A list on the Redis at `url`, with the [`HEALTHY`] timeout.
async fn connect(url: &str) -> RedisRevocationList {
    bounded("connect", RedisRevocationList::connect(url))
        .await
        .unwrap_or_else(|e| panic!("connect to {url}: {e}"))
        .with_timeout(HEALTHY)
}

/// A list on the shared Redis with a fresh prefix, with the [`HEALTHY`] timeout.
async fn list(test: &str) -> RedisRevocationList {
    connect(&redis_url()).await.with_prefix(fresh_prefix(test))
}

/// A plain connection to look at what the list stored.
async fn raw(url: &str) -> redis::aio::MultiplexedConnection {
    redis::Client::open(url)
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

fn sid() -> SessionId {
    SessionId::random().unwrap()
}

/// Bounds `fut` by [`GUARD`]: a hang fails the test instead of stalling it.
async fn bounded<F: std::future::Future>(what: &str, fut: F) -> F::Output {
    tokio::time::timeout(GUARD, fut)
        .await
        .unwrap_or_else(|_| panic!("{what} did not finish within {GUARD:?}"))
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn revoked_id_is_revoked_and_others_are_not() {
    // Exercise: revoke one id. Expectation: that id is revoked, another is not.
    let list = list("revoke").await;
    let (gone, kept) = (sid(), sid());
    assert!(!list.is_revoked(gone).await.unwrap());
    list.revoke(gone, Duration::from_secs(60)).await.unwrap();
    assert!(list.is_revoked(gone).await.unwrap());
    assert!(!list.is_revoked(kept).await.unwrap());
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn revocation_is_kept_exactly_as_long_as_asked() {
    // Exercise: revoke with a 90 s time to live.
    // Expectation: one key, `<prefix><hex id>` = "1", whose PTTL is 90 s give or take the
    // time the test took.
    let prefix = fresh_prefix("ttl");
    let list = connect(&redis_url()).await.with_prefix(prefix.clone());
    let id = sid();
    list.revoke(id, Duration::from_millis(90_000))
        .await
        .unwrap();

    let mut raw = raw(&redis_url()).await;
    let key = format!("{prefix}{id}");
    assert_eq!(key.len(), prefix.len() + 32, "the id is in hex");
    let value: String = raw.get(&key).await.unwrap();
    assert_eq!(value, "1");
    let pttl: i64 = raw.pttl(&key).await.unwrap();
    assert!(
        (85_000..=90_000).contains(&pttl),
        "PTTL {pttl} ms, expected just under 90000"
    );
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn revocation_with_no_time_left_stores_nothing() {
    // Exercise: revoke with ttl 0 (the token has just expired); then with 1 ns.
    // Expectation: nothing stored for the first; the second is kept for 1 ms (rounded up), not
    // forever and not refused by Redis.
    let prefix = fresh_prefix("ttl0");
    let list = connect(&redis_url()).await.with_prefix(prefix.clone());
    let mut raw = raw(&redis_url()).await;

    let id = sid();
    list.revoke(id, Duration::ZERO).await.unwrap();
    let keys: Vec<String> = raw.keys(format!("{prefix}*")).await.unwrap();
    assert!(keys.is_empty(), "stored {keys:?}");
    assert!(!list.is_revoked(id).await.unwrap());

    let id = sid();
    list.revoke(id, Duration::from_nanos(1)).await.unwrap();
    let pttl: i64 = raw.pttl(format!("{prefix}{id}")).await.unwrap();
    // -2: already gone; 0..=1: about to go. Never -1 (no expiry).
    assert!(pttl == -2 || (0..=1).contains(&pttl), "PTTL {pttl}");
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn lists_with_other_prefixes_do_not_see_each_other() {
    // Exercise: two lists on one Redis with different prefixes; revoke in the first.
    // Expectation: only the first sees it.
    let (a, b) = (list("prefix-a").await, list("prefix-b").await);
    let id = sid();
    a.revoke(id, Duration::from_secs(60)).await.unwrap();
    assert!(a.is_revoked(id).await.unwrap());
    assert!(!b.is_revoked(id).await.unwrap());
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn two_lists_with_one_prefix_share_revocations() {
    // Exercise: two lists (two connections, as on two servers) with the same prefix.
    // Expectation: a revocation through one is seen through the other.
    let prefix = fresh_prefix("shared");
    let one = list("unused").await.with_prefix(prefix.clone());
    let two = list("unused").await.with_prefix(prefix);
    let id = sid();
    one.revoke(id, Duration::from_secs(60)).await.unwrap();
    assert!(two.is_revoked(id).await.unwrap());
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn default_prefix_is_sealed_session_revoked() {
    // Exercise: a list with the default prefix revokes an id.
    // Expectation: the key is `sealed-session:revoked:<hex id>`.
    let list = connect(&redis_url()).await;
    let id = sid();
    list.revoke(id, Duration::from_secs(5)).await.unwrap();
    let mut raw = raw(&redis_url()).await;
    let key = format!("sealed-session:revoked:{id}");
    let removed: u32 = raw.del(&key).await.unwrap();
    assert_eq!(removed, 1, "{key} was not there");
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn debug_and_errors_never_show_the_password() {
    // Exercise: a Redis with a password; connect with the right one and print the list, then
    // with a wrong one and print the error.
    // Expectation: it works with the right one; neither text contains a password.
    let redis = PrivateRedis::start(&["--requirepass", "s3cret-pw"]).await;
    let list = connect(&redis.url(":s3cret-pw@")).await;
    let id = sid();
    list.revoke(id, Duration::from_secs(60)).await.unwrap();
    assert!(list.is_revoked(id).await.unwrap());

    let debug = format!("{list:?}");
    assert!(!debug.contains("s3cret-pw"), "{debug}");
    assert!(
        debug.contains(&format!("127.0.0.1:{}/0", redis.port)),
        "{debug}"
    );
    assert!(debug.contains("sealed-session:revoked:"), "{debug}");

    let err = bounded(
        "connect with a wrong password",
        RedisRevocationList::connect(&redis.url(":wrong-pw@")),
    )
    .await
    .expect_err("a wrong password is refused");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("wrong-pw"), "{text}");
}

#[tokio::test]
async fn connecting_to_nothing_fails_instead_of_hanging() {
    // Exercise: connect to a loopback port where nothing listens.
    // Expectation: an error, well within the guard.
    let url = format!("redis://127.0.0.1:{}/", free_port());
    let result = bounded("connect", RedisRevocationList::connect(&url)).await;
    assert!(result.is_err());
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn calls_fail_within_the_timeout_when_redis_hangs_or_stops() {
    // Exercise: a private Redis; the list works; then the server is frozen (SIGSTOP: the
    // connection stays open, nothing answers), then killed.
    // Expectation: every call returns an error (never a hang, never a wrong "not revoked"),
    // and the frozen case says it timed out.
    let mut redis = PrivateRedis::start(&[]).await;
    let healthy = connect(&redis.url("")).await;
    let id = sid();
    healthy.revoke(id, Duration::from_secs(60)).await.unwrap();
    assert!(healthy.is_revoked(id).await.unwrap());

    // The same connection, with a timeout short enough to wait out on every call.
    let list = healthy.with_timeout(DOWN);
    redis.signal("STOP");
    let err = bounded("is_revoked on a frozen Redis", list.is_revoked(id))
        .await
        .expect_err("no answer is an error");
    assert!(err.to_string().contains("within"), "{err}");
    let err = bounded(
        "revoke on a frozen Redis",
        list.revoke(sid(), Duration::from_secs(60)),
    )
    .await
    .expect_err("no answer is an error");
    assert!(err.to_string().contains("within"), "{err}");
    redis.signal("CONT");

    redis.stop();
    for _ in 0..3 {
        // The first call sees the connection drop, the next ones wait for the reconnection:
        // all fail within the timeout.
        bounded("is_revoked on a stopped Redis", list.is_revoked(id))
            .await
            .expect_err("Redis is gone");
    }
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn a_timeout_over_a_second_is_not_cut_short_by_the_connection() {
    // Exercise: a list with a 1.5 s timeout on a private Redis, frozen (SIGSTOP) during a call.
    // Expectation: the call fails with our own timeout error naming 1.5 s, not an earlier
    // error from the connection manager's own response timeout (which was 1 s).
    let redis = PrivateRedis::start(&[]).await;
    let list = connect(&redis.url("")).await;
    let id = sid();
    assert!(!list.is_revoked(id).await.unwrap());

    redis.signal("STOP");
    let timeout = Duration::from_millis(1500);
    let err = bounded(
        "is_revoked on a frozen Redis",
        list.with_timeout(timeout).is_revoked(id),
    )
    .await
    .expect_err("no answer is an error");
    assert_eq!(
        err.to_string(),
        format!("no answer from the revocation list within {timeout:?}")
    );
    // The public timeout error, so that the layer counts the check as a timeout.
    let timed_out = err
        .downcast_ref::<sealed_session::revocation::TimedOut>()
        .expect("a TimedOut");
    assert_eq!(timed_out.timeout(), timeout);
}

// ---- The layer with the list, over real HTTP ----

/// A test site (tests/common) whose layer checks `list` (with the timeout the test gave it), on
/// the shared clock.
async fn site(clock: &ManualClock, list: RedisRevocationList, when: WhenUnreachable) -> Site {
    let config = config(&[1], clock).with_revocation_list(list, when);
    Site::start(config, clock.clone()).await
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn a_logout_on_one_server_is_refused_on_the_other() {
    // Exercise: two servers (same keys, each its own connection) share one Redis; a client
    // counts on both, then logs out (`revoke`) on the first; a copy of its token is replayed
    // on the second.
    // Expectation: the logout clears the client's token; Redis holds the id until the
    // absolute lifetime ends; the second server refuses the copy (reason `revoked`) with a new,
    // empty session; other sessions are untouched.
    let (events, _guard) = Events::capture();
    let prefix = fresh_prefix("fleet");
    let clock = ManualClock::new(T0);
    let a = site(
        &clock,
        list("fleet").await.with_prefix(prefix.clone()),
        WhenUnreachable::Refuse,
    )
    .await;
    let b = site(
        &clock,
        list("fleet").await.with_prefix(prefix.clone()),
        WhenUnreachable::Refuse,
    )
    .await;

    let token = a.get("/count", None).await.new_token();
    let other = a.get("/count", None).await.new_token();
    assert_eq!(
        b.get("/count", Some(&token)).await.body,
        "2",
        "shared by the fleet"
    );
    let sid = inspect(&[1], &token).envelope.sid;

    clock.advance(HOUR);
    let logout = bounded("logout", a.post("/revoke", Some(&token))).await;
    assert_eq!((logout.status, logout.token.as_deref()), (200, Some("")));

    let pttl: i64 = raw(&redis_url())
        .await
        .pttl(format!("{prefix}{sid}"))
        .await
        .unwrap();
    let expected = 30 * 86_400_000 - 3_600_000; // the absolute lifetime, less the hour gone
    assert!(
        (expected - 5_000..=expected).contains(&pttl),
        "PTTL {pttl} ms, expected just under {expected}"
    );

    events.take();
    let replay = b.get("/peek", Some(&token)).await;
    assert_eq!(replay.status, 200);
    assert_eq!(replay.json()["is_new"], true, "refused on the other server");
    assert_eq!(replay.json()["len"], 0);
    assert_ne!(replay.json()["id"], sid.to_string());
    let lines = events.take();
    assert!(
        lines.iter().any(|l| l.contains("reason=\"revoked\"")),
        "{lines:?}"
    );
    assert!(
        lines.iter().all(|l| !l.contains(&token)),
        "a token was logged: {lines:?}"
    );
    assert_eq!(
        a.get("/count", Some(&token)).await.body,
        "1",
        "refused on the first too"
    );
    assert_eq!(
        b.get("/count", Some(&other)).await.body,
        "2",
        "other sessions live on"
    );
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn redis_stopped_mid_test_gives_the_configured_choice_without_hanging() {
    // Exercise: two servers on a private Redis, one configured to refuse and one to allow when
    // the list is unreachable; a session works on both; Redis is killed; the token is sent
    // again to both (servers on the same two connections, with a short timeout), then a logout
    // is attempted.
    // Expectation: every request completes (well within the guard); Refuse gives a new
    // session, Allow keeps the session; each logs a warning with its policy; the logout still
    // tells the client to drop its token, and logs that it could not be recorded.
    let (events, _guard) = Events::capture();
    let mut redis = PrivateRedis::start(&[]).await;
    let clock = ManualClock::new(T0);
    let (refuse_list, allow_list) = (connect(&redis.url("")).await, connect(&redis.url("")).await);
    let refuse = site(&clock, refuse_list.clone(), WhenUnreachable::Refuse).await;
    let allow = site(&clock, allow_list.clone(), WhenUnreachable::Allow).await;
    let token = refuse.get("/count", None).await.new_token();
    assert_eq!(refuse.get("/peek", Some(&token)).await.json()["n"], 1);
    assert_eq!(allow.get("/peek", Some(&token)).await.json()["n"], 1);
    assert!(events.take().iter().all(|l| !l.starts_with("WARN")));

    redis.stop();
    let refuse = site(
        &clock,
        refuse_list.with_timeout(DOWN),
        WhenUnreachable::Refuse,
    )
    .await;
    let allow = site(
        &clock,
        allow_list.with_timeout(DOWN),
        WhenUnreachable::Allow,
    )
    .await;
    for _ in 0..2 {
        // The first request sees the connection drop, the second waits on the reconnection.
        let refused = bounded(
            "request to the Refuse server",
            refuse.get("/peek", Some(&token)),
        )
        .await;
        assert_eq!(refused.status, 200);
        assert_eq!(refused.json()["is_new"], true);
        let allowed = bounded(
            "request to the Allow server",
            allow.get("/peek", Some(&token)),
        )
        .await;
        assert_eq!(allowed.status, 200);
        assert_eq!(allowed.json()["n"], 1, "Allow keeps the session");
    }
    let warnings: Vec<_> = events
        .take()
        .into_iter()
        .filter(|l| l.starts_with("WARN") && l.contains("unreachable"))
        .collect();
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert_eq!(
        warnings
            .iter()
            .filter(|l| l.contains("policy=refuse"))
            .count(),
        2
    );
    assert_eq!(
        warnings
            .iter()
            .filter(|l| l.contains("policy=allow"))
            .count(),
        2
    );

    let logout = bounded(
        "logout with Redis down",
        allow.post("/revoke", Some(&token)),
    )
    .await;
    assert_eq!((logout.status, logout.token.as_deref()), (200, Some("")));
    assert!(
        events
            .take()
            .iter()
            .any(|l| l.starts_with("ERROR") && l.contains("could not be recorded")),
        "a lost revocation is logged"
    );
}

#[tokio::test]
#[ignore = "needs redis-server: `bash .ci/run`, or `. scripts/private-redis.sh` then `cargo test --all-features --test redis -- --ignored`"]
async fn the_list_reconnects_when_redis_comes_back() {
    // Exercise: a private Redis is killed, then started again on the same port.
    // Expectation: calls fail while it is down, then work again on the same list, with no
    // new `connect` (redis's ConnectionManager reconnects in the background).
    let mut redis = PrivateRedis::start(&[]).await;
    let port = redis.port;
    let list = connect(&redis.url("")).await;
    let id = sid();
    list.revoke(id, Duration::from_secs(60)).await.unwrap();
    redis.stop();
    bounded(
        "is_revoked on a stopped Redis",
        list.clone().with_timeout(DOWN).is_revoked(id),
    )
    .await
    .expect_err("Redis is gone");

    // The list's URL names this port, so the new server must have it; another process may
    // have taken it meanwhile (then this test cannot tell anything, and says so).
    let _again = PrivateRedis::try_start_on(port, &[])
        .await
        .unwrap_or_else(|e| panic!("could not start Redis again on the same port {port}: {e}"));
    // Ask until the manager has reconnected: the sleep only paces the attempts, nothing is
    // timed. Reconnection attempts back off to at most CONNECT_TIMEOUT (1 s), so a few
    // seconds are plenty; RECONNECT bounds the whole wait.
    const RECONNECT: Duration = Duration::from_secs(10);
    let answer = tokio::time::timeout(RECONNECT, async {
        loop {
            if let Ok(revoked) = list.is_revoked(id).await {
                break revoked;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    })
    .await
    .unwrap_or_else(|_| panic!("no answer within {RECONNECT:?} after Redis came back"));
    // The new server starts empty: the old revocation is gone with the old process.
    assert!(
        !answer,
        "the new server knows nothing of the old revocation"
    );
}
