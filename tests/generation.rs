//! The line and write generation of version 2 tokens, over real HTTP on 127.0.0.1: every rule
//! of `docs/token-format.md` (*Line and generation*), and the upgrade from version 1.

mod common;

use common::{Events, HOUR, Site, T0, config, inspect, seal_by_hand};
use sealed_session::{ManualClock, token::TokenVersion};

/// The line (8 hex digits) and generation of a token, read with keys `bytes`.
fn line_gen(bytes: &[u8], token: &str) -> (String, u32) {
    let envelope = inspect(bytes, token).envelope;
    (envelope.line.to_string(), envelope.generation)
}

async fn site() -> Site {
    let clock = ManualClock::new(T0);
    Site::start(config(&[1], &clock), clock).await
}

#[tokio::test]
async fn a_new_session_starts_a_fresh_line_at_generation_1() {
    // Exercise: two clients write a new session each.
    // Expectation: generation 1 each, on two different lines; the handler saw generation 0.
    let site = site().await;
    let a = site.get("/count", None).await.new_token();
    let b = site.get("/count", None).await.new_token();
    let (line_a, gen_a) = line_gen(&[1], &a);
    let (line_b, gen_b) = line_gen(&[1], &b);
    assert_eq!((gen_a, gen_b), (1, 1));
    assert_ne!(line_a, line_b);
    assert_eq!(site.get("/peek", Some(&a)).await.json()["generation"], 1);
}

#[tokio::test]
async fn every_change_carries_one_more_on_the_same_line() {
    // Exercise: a write, an id cycle and a max-age change, each from the last token.
    // Expectation: generations 2, 3 and 4, all on the first token's line; the handler sees the
    // generation of the token it was sent.
    let site = site().await;
    let first = site.get("/count", None).await.new_token();
    let (line, _) = line_gen(&[1], &first);
    let mut token = first;
    for (path, expected) in [("/count", 2), ("/cycle", 3), ("/max-age/7200", 4)] {
        let reply = if path == "/count" {
            site.get(path, Some(&token)).await
        } else {
            site.post(path, Some(&token)).await
        };
        let next = reply.new_token();
        assert_eq!(line_gen(&[1], &next), (line.clone(), expected), "{path}");
        token = next;
    }
    assert_eq!(
        site.get("/peek", Some(&token)).await.json()["generation"],
        4
    );
}

#[tokio::test]
async fn reads_renewals_and_touches_keep_the_generation() {
    // Exercise: a read-only request; then, 13 hours on (less than half the max age left), a
    // renewing read; then a touch.
    // Expectation: the read sends nothing; the renewal and the touch re-issue on the same line
    // with the same generation and a fresh expiry.
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    let opened = line_gen(&[1], &token);
    assert_eq!(site.get("/peek", Some(&token)).await.token, None);
    site.clock.advance(13 * HOUR);
    let renewed = site.get("/peek", Some(&token)).await.new_token();
    assert_eq!(line_gen(&[1], &renewed), opened);
    assert_eq!(
        inspect(&[1], &renewed).envelope.expires_ms,
        T0 + 13 * 3_600_000 + 86_400_000
    );
    let touched = site.post("/touch", Some(&renewed)).await.new_token();
    assert_eq!(line_gen(&[1], &touched), opened);
}

#[tokio::test]
async fn rotation_re_seals_with_the_same_generation_and_expiry() {
    // Exercise: a token of key 1 read by a server whose first key is 2 (1 still listed).
    // Expectation: re-sealed under key 2, same line, generation and expiry.
    let clock = ManualClock::new(T0);
    let old = Site::start(config(&[1], &clock), clock.clone()).await;
    let new = Site::start(config(&[2, 1], &clock), clock.clone()).await;
    let token = old.get("/count", None).await.new_token();
    let before = inspect(&[1], &token).envelope;
    clock.advance(HOUR);
    let rotated = new.get("/peek", Some(&token)).await.new_token();
    let after = inspect(&[2], &rotated).envelope;
    assert_eq!(after, before);
}

#[tokio::test]
async fn destroyed_and_written_again_in_one_request_keeps_the_line() {
    // Exercise: a handler that destroys the session and writes it again (logout then login).
    // Expectation: the same line, the opened generation plus one, a new id.
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    let (line, generation) = line_gen(&[1], &token);
    let relogin = site.post("/relogin", Some(&token)).await;
    let next = relogin.new_token();
    assert_eq!(line_gen(&[1], &next), (line, generation + 1));
    assert_ne!(
        inspect(&[1], &next).envelope.sid,
        inspect(&[1], &token).envelope.sid
    );
    assert_eq!(relogin.json()["n"], 100);
}

/// A version 1 token sealed by hand with key 1, created at `T0`, expiring a day later, with
/// `{"n":5}` and `pad` characters of padding in `p`, and the nonce `0x30..=0x47`.
fn version_1_token(pad: usize) -> String {
    let nonce: [u8; 24] = std::array::from_fn(|i| 0x30 + i as u8);
    let data = format!(r#"{{"n":5,"p":"{}"}}"#, "x".repeat(pad));
    let plain = common::plaintext(
        [T0, T0 + 86_400_000, 86_400_000],
        [0xee; 16],
        data.as_bytes(),
    );
    seal_by_hand([1; 32], nonce, b"", &plain)
}

#[tokio::test]
async fn a_version_1_token_renews_as_version_2_on_the_line_of_its_bytes_5_to_8() {
    // Exercise: a version 1 token, renewed (13 hours on), then written.
    // Expectation: the renewal is a version 2 token on line 30313233 (the v1 token's bytes 5
    // to 8) with generation 0 and the same data, creation, max age and id; the write gives
    // generation 1 on that line, the same creation and id, and a fresh expiry.
    let site = site().await;
    let v1 = version_1_token(0);
    assert_eq!(site.get("/peek", Some(&v1)).await.json()["generation"], 0);
    site.clock.advance(13 * HOUR);
    let renewed = site.get("/peek", Some(&v1)).await.new_token();
    let opened = inspect(&[1], &renewed);
    assert_eq!(opened.version, TokenVersion::V2);
    assert_eq!(
        (opened.envelope.line.to_string(), opened.envelope.generation),
        ("30313233".to_owned(), 0)
    );
    assert_eq!(opened.data.get_value("n").unwrap(), 5);
    assert_eq!(opened.envelope.created_ms, T0);
    assert_eq!(opened.envelope.max_age_ms, 86_400_000);
    assert_eq!(opened.envelope.sid.0, [0xee; 16]);

    let written = site.get("/count", Some(&v1)).await.new_token();
    let opened = inspect(&[1], &written).envelope;
    assert_eq!(
        (opened.line.to_string(), opened.generation),
        ("30313233".to_owned(), 1)
    );
    assert_eq!((opened.created_ms, opened.sid.0), (T0, [0xee; 16]));
    assert_eq!(opened.expires_ms, T0 + 13 * 3_600_000 + 86_400_000);
}

#[tokio::test]
async fn a_fleet_upgrades_with_one_build_sealing_v1_beside_one_sealing_v2() {
    // Exercise: the first step of the upgrade: server A (new build, `with_seal_version(V1)`)
    // and server B (new build, the default) on the same keys, a client alternating between
    // them.
    // Expectation: A seals version 1 and B version 2, each opens the other's, and the counter
    // goes on across both.
    let clock = ManualClock::new(T0);
    let a = Site::start(
        config(&[1], &clock).with_seal_version(TokenVersion::V1),
        clock.clone(),
    )
    .await;
    let b = Site::start(config(&[1], &clock), clock.clone()).await;
    let mut token: Option<String> = None;
    for n in 1..=6 {
        let (site, version) = if n % 2 == 1 {
            (&a, TokenVersion::V1)
        } else {
            (&b, TokenVersion::V2)
        };
        let reply = site.get("/count", token.as_deref()).await;
        assert_eq!(reply.body, n.to_string());
        let next = reply.new_token();
        assert_eq!(inspect(&[1], &next).version, version, "request {n}");
        token = Some(next);
    }
}

#[tokio::test]
async fn a_version_1_token_of_exactly_the_cap_is_kept_not_answered_with_a_500() {
    // Exercise: a version 1 token exactly as long as the cap, read by a server that re-issues
    // (rolling); then a write to it.
    // Expectation: the read answers 200 with no header (its version 2 re-seal would pass the
    // cap, 11 characters longer) and a warning says why; the write fails at insert (counted as
    // version 2), so the handler answers 413 and the client keeps its token.
    let (events, _guard) = Events::capture();
    let v1 = version_1_token(100);
    let clock = ManualClock::new(T0);
    let site = Site::start(
        config(&[1], &clock)
            .with_max_len(v1.len())
            .with_rolling(true),
        clock,
    )
    .await;
    let read = site.get("/peek", Some(&v1)).await;
    assert_eq!(read.status, 200);
    assert_eq!(read.json()["n"], 5, "the token opened");
    assert_eq!(read.token, None, "not re-issued");
    assert!(
        events
            .lines()
            .iter()
            .any(|l| l.starts_with("WARN") && l.contains("not re-issued")),
        "{:?}",
        events.lines()
    );
    let write = site.post("/big/1", Some(&v1)).await;
    assert_eq!(write.status, 413);
    assert_eq!(write.token, None);
}
