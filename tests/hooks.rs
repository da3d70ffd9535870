//! The `validate` and `before_seal` hooks and the revocation list plumbing, over real HTTP on
//! 127.0.0.1 with an injected clock. The list here is an in-memory one shared by two servers;
//! tests/redis.rs runs the same against a real Redis.

mod common;

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use common::{Events, HOUR, Site, T0, config, inspect};
use sealed_session::{
    BoxError, ManualClock, RevocationList, SessionId, WhenUnreachable, revocation::BoxFuture,
};

#[tokio::test]
async fn validate_logs_out_everywhere_sessions_created_before_the_cut() {
    // Exercise: the application keeps a "logged out everywhere at" time; validate refuses
    // sessions created before it.
    // Expectation: the old token gives a new session (reason revoked); a session created
    // after the cut is kept.
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(T0);
    let cut = Arc::new(AtomicU64::new(0));
    let seen = Arc::clone(&cut);
    let config = config(&[1], &clock).with_validate(move |session| {
        let cut = seen.load(Ordering::SeqCst);
        async move { Ok::<_, BoxError>(session.created_ms() >= cut) }
    });
    let site = Site::start(config, clock.clone()).await;
    let old = site.get("/count", None).await.new_token();
    assert_eq!(
        site.get("/count", Some(&old)).await.body,
        "2",
        "validate keeps it"
    );

    clock.advance(HOUR);
    cut.store(clock_now(&clock), Ordering::SeqCst);
    let refused = site.get("/peek", Some(&old)).await;
    assert_eq!(refused.status, 200);
    assert_eq!(refused.json()["is_new"], true);
    assert!(
        events
            .lines()
            .iter()
            .any(|l| l.contains("reason=\"invalid\"")),
        "{:?}",
        events.lines()
    );

    let fresh = site.get("/count", None).await.new_token();
    assert_eq!(site.get("/count", Some(&fresh)).await.body, "2");
}

fn clock_now(clock: &ManualClock) -> u64 {
    use sealed_session::Clock as _;
    clock.now_ms()
}

#[tokio::test]
async fn a_failing_or_panicking_validate_answers_500_and_the_server_lives_on() {
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(T0);
    let token = Site::start(config(&[1], &clock), clock.clone())
        .await
        .get("/count", None)
        .await
        .new_token();

    let failing = config(&[1], &clock).with_validate(|_| async { Err::<bool, _>("database down") });
    let site = Site::start(failing, clock.clone()).await;
    let reply = site.get("/peek", Some(&token)).await;
    assert_eq!((reply.status, reply.body.as_str()), (500, ""));
    assert!(
        events
            .take()
            .iter()
            .any(|l| l.contains("hook=\"validate\"") && l.contains("database down"))
    );

    let panicking = config(&[1], &clock).with_validate(|_| async {
        if true {
            panic!("bug in hook");
        }
        Ok::<_, BoxError>(true)
    });
    let site = Site::start(panicking, clock.clone()).await;
    assert_eq!(site.get("/peek", Some(&token)).await.status, 500);
    assert!(
        events
            .take()
            .iter()
            .any(|l| l.contains("hook=\"validate\"") && l.contains("session hook panicked"))
    );
    // The same server still answers, and new sessions are not validated.
    assert_eq!(site.get("/count", None).await.body, "1");
}

#[tokio::test]
async fn before_seal_changes_are_sealed_and_the_cap_still_holds() {
    let clock = ManualClock::new(T0);
    let config = config(&[1], &clock).with_before_seal(|session| {
        session.insert("schema", 2)?;
        // Too large for the cap: refused, and the hook goes on without it.
        assert!(session.insert("huge", "x".repeat(5000)).is_err());
        Ok(())
    });
    let site = Site::start(config, clock).await;
    let reply = site.get("/count", None).await;
    let token = reply.new_token();
    assert!(token.len() <= 4096);
    let data = inspect(&[1], &token).data.to_map();
    assert_eq!(data["schema"], 2);
    assert_eq!(data["n"], 1);
    assert!(!data.contains_key("huge"));
    // No seal, no hook: a read-only request gets no token.
    assert_eq!(site.get("/peek", Some(&token)).await.token, None);
}

#[tokio::test]
async fn a_failing_or_panicking_before_seal_answers_500_without_a_token() {
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(T0);
    let failing = config(&[1], &clock).with_before_seal(|_| Err("audit log full".into()));
    let site = Site::start(failing, clock.clone()).await;
    let reply = site.get("/count", None).await;
    assert_eq!((reply.status, reply.token), (500, None));
    assert!(
        events
            .take()
            .iter()
            .any(|l| l.contains("hook=\"before_seal\""))
    );

    let panicking = config(&[1], &clock).with_before_seal(|_| panic!("bug"));
    let site = Site::start(panicking, clock).await;
    assert_eq!(site.get("/count", None).await.status, 500);
    assert_eq!(
        site.get("/peek", None).await.status,
        200,
        "the server lives on"
    );
}

/// An in-memory revocation list shared by servers, able to fail on demand.
#[derive(Clone, Default)]
struct MemoryList {
    revoked: Arc<Mutex<HashMap<SessionId, Duration>>>,
    down: Arc<AtomicU64>,
}

impl RevocationList for MemoryList {
    fn is_revoked(&self, id: SessionId) -> BoxFuture<'_, Result<bool, BoxError>> {
        Box::pin(async move {
            if self.down.load(Ordering::SeqCst) == 1 {
                return Err("connection refused".into());
            }
            Ok(self.revoked.lock().unwrap().contains_key(&id))
        })
    }

    fn revoke(&self, id: SessionId, ttl: Duration) -> BoxFuture<'_, Result<(), BoxError>> {
        Box::pin(async move {
            self.revoked.lock().unwrap().insert(id, ttl);
            Ok(())
        })
    }
}

/// A site whose layer checks `list`, answering `when` it is unreachable.
async fn listed_site(clock: &ManualClock, list: &MemoryList, when: WhenUnreachable) -> Site {
    let config = config(&[1], clock).with_revocation_list(list.clone(), when);
    Site::start(config, clock.clone()).await
}

#[tokio::test]
async fn a_revoked_session_is_refused_on_every_server_sharing_the_list() {
    // Exercise: two servers share a list; a logout (revoke) on one.
    // Expectation: the id is listed until the absolute lifetime ends, the client is told to drop
    // its token, and a copy of the token is refused on the other server.
    let clock = ManualClock::new(T0);
    let list = MemoryList::default();
    let a = listed_site(&clock, &list, WhenUnreachable::Refuse).await;
    let b = listed_site(&clock, &list, WhenUnreachable::Refuse).await;

    let token = a.get("/count", None).await.new_token();
    assert_eq!(
        b.get("/count", Some(&token)).await.body,
        "2",
        "shared across servers"
    );
    let sid = inspect(&[1], &token).envelope.sid;

    assert_eq!(
        a.post("/destroy", Some(&token)).await.token.as_deref(),
        Some("")
    );
    assert!(
        list.revoked.lock().unwrap().is_empty(),
        "destroy does not revoke"
    );

    clock.advance(HOUR);
    assert_eq!(
        a.post("/revoke", Some(&token)).await.token.as_deref(),
        Some("")
    );
    assert_eq!(
        list.revoked.lock().unwrap().get(&sid),
        Some(&Duration::from_millis(30 * 86_400_000 - 3_600_000))
    );
    let refused = b.get("/peek", Some(&token)).await;
    assert_eq!(
        refused.json()["is_new"],
        true,
        "refused on the other server"
    );
    assert_eq!(refused.json()["len"], 0);
}

#[tokio::test]
async fn an_unreachable_list_gives_the_configured_choice() {
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(T0);
    let list = MemoryList::default();
    let refuse = listed_site(&clock, &list, WhenUnreachable::Refuse).await;
    let allow = listed_site(&clock, &list, WhenUnreachable::Allow).await;
    let token = refuse.get("/count", None).await.new_token();

    list.down.store(1, Ordering::SeqCst);
    assert_eq!(
        refuse.get("/peek", Some(&token)).await.json()["is_new"],
        true
    );
    assert_eq!(allow.get("/peek", Some(&token)).await.json()["n"], 1);
    let warnings: Vec<_> = events
        .lines()
        .into_iter()
        .filter(|l| l.starts_with("WARN") && l.contains("unreachable"))
        .collect();
    assert_eq!(warnings.len(), 2, "logged either way: {warnings:?}");
    assert!(warnings[0].contains("policy=refuse") && warnings[1].contains("policy=allow"));
    // A session that could not be checked is `unverified`, not `revoked`.
    let lines = events.lines();
    assert!(
        lines.iter().any(|l| l.contains("reason=\"unverified\"")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("reason=\"revoked\"")));
}

#[tokio::test]
async fn revoke_without_a_list_clears_and_warns() {
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(T0);
    let site = Site::start(config(&[1], &clock), clock).await;
    let token = site.get("/count", None).await.new_token();
    assert_eq!(
        site.post("/revoke", Some(&token)).await.token.as_deref(),
        Some("")
    );
    assert!(
        events
            .lines()
            .iter()
            .any(|l| l.starts_with("WARN") && l.contains("without a revocation list"))
    );
}

/// A list whose code panics before it returns a future.
struct PanickingList;

impl RevocationList for PanickingList {
    fn is_revoked(&self, _: SessionId) -> BoxFuture<'_, Result<bool, BoxError>> {
        panic!("bug in the list")
    }

    fn revoke(&self, _: SessionId, _: Duration) -> BoxFuture<'_, Result<(), BoxError>> {
        panic!("bug in the list")
    }
}

#[tokio::test]
async fn a_panicking_list_follows_the_configured_choice_and_the_server_lives_on() {
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(T0);
    let token = Site::start(config(&[1], &clock), clock.clone())
        .await
        .get("/count", None)
        .await
        .new_token();
    let allow = config(&[1], &clock).with_revocation_list(PanickingList, WhenUnreachable::Allow);
    let site = Site::start(allow, clock).await;
    assert_eq!(site.get("/peek", Some(&token)).await.json()["n"], 1);
    let bye = site.post("/revoke", Some(&token)).await;
    assert_eq!((bye.status, bye.token.as_deref()), (200, Some("")));
    let lines = events.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("WARN") && l.contains("panicked")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("ERROR") && l.contains("panicked")),
        "{lines:?}"
    );
}
