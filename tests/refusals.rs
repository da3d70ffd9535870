//! Every refusal reason over real HTTP: the request succeeds with a new, empty session, and a
//! `tracing` event names the reason without any token, key or data.

mod common;

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use common::{DAY, Events, HOUR, Site, T0, config, keys};
use sealed_session::{
    ManualClock,
    token::{Codec, Envelope, Line, SessionId},
};

/// A token sealed by hand with key `byte` and `context` around `plaintext`.
fn seal_by_hand(byte: u8, context: &[u8], plaintext: &[u8]) -> String {
    common::seal_by_hand([byte; 32], [7; 24], context, plaintext)
}

fn plaintext(created: u64, expires: u64, data: &str) -> Vec<u8> {
    common::plaintext([created, expires, 86_400_000], [0xab; 16], data.as_bytes())
}

/// Sends `token` to a fresh site (key 1, clock at `now`) and checks the refusal.
async fn assert_refused(token: &str, now: u64, reason: &str) {
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(now);
    let site = Site::start(config(&[1], &clock), clock).await;
    let reply = site.get("/peek", Some(token)).await;
    assert_eq!(
        reply.status, 200,
        "a refused token never fails the request ({reason})"
    );
    assert_eq!(reply.json()["is_new"], true, "{reason}");
    assert_eq!(reply.json()["len"], 0, "{reason}");
    assert_eq!(
        reply.token, None,
        "{reason}: the new session was not touched"
    );
    let lines = events.lines();
    let wanted = format!("DEBUG message=session token refused reason=\"{reason}\" carrier=header");
    assert_eq!(lines, vec![wanted], "exactly one event, with the reason");
    if token.len() > 8 {
        assert!(
            lines.iter().all(|l| !l.contains(&token[..8])),
            "no token in events"
        );
    }
}

#[tokio::test]
async fn a_valid_hand_sealed_token_opens() {
    // The control for the cases below: the hand-sealed token is right.
    let token = seal_by_hand(1, b"", &plaintext(T0, T0 + 86_400_000, r#"{"n":5}"#));
    let clock = ManualClock::new(T0);
    let site = Site::start(config(&[1], &clock), clock).await;
    assert_eq!(site.get("/peek", Some(&token)).await.json()["n"], 5);
}

#[tokio::test]
async fn oversized_token_is_refused_before_decoding() {
    assert_refused(&"A".repeat(4097), T0, "too_long").await;
    assert_refused(&"!".repeat(5000), T0, "too_long").await;
}

#[tokio::test]
async fn malformed_tokens_are_refused() {
    let good = seal_by_hand(1, b"", &plaintext(T0, T0 + 86_400_000, "{}"));
    let standard_alphabet = good.replace('-', "+").replace('_', "/");
    assert_ne!(standard_alphabet, good);
    let mut wrong_version = URL_SAFE_NO_PAD.decode(&good).unwrap();
    wrong_version[0] = 2;
    for token in [
        "not base64 at all".to_owned(),
        "AQ".to_owned(),
        format!("{good}="),
        standard_alphabet,
        good[..good.len() - 30].to_owned(),
        URL_SAFE_NO_PAD.encode(wrong_version),
    ] {
        assert_refused(&token, T0, "malformed").await;
    }
}

#[tokio::test]
async fn unknown_key_is_refused() {
    let token = seal_by_hand(9, b"", &plaintext(T0, T0 + 86_400_000, "{}"));
    assert_refused(&token, T0, "unknown_key").await;
}

#[tokio::test]
async fn tampered_token_is_refused() {
    // Exercise: change one character of the ciphertext, or seal under another context.
    // Expectation: refused as forged; the session appears empty.
    let good = seal_by_hand(
        1,
        b"",
        &plaintext(T0, T0 + 86_400_000, r#"{"admin":false}"#),
    );
    for i in [29, 60, good.len() - 2] {
        let mut bytes = good.clone().into_bytes();
        bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
        assert_refused(&String::from_utf8(bytes).unwrap(), T0, "forged").await;
    }
    let other_context = seal_by_hand(1, b"other-app", &plaintext(T0, T0 + 86_400_000, "{}"));
    assert_refused(&other_context, T0, "forged").await;
}

#[tokio::test]
async fn expired_token_gives_fresh_session() {
    let token = seal_by_hand(1, b"", &plaintext(T0, T0 + 86_400_000, "{}"));
    assert_refused(&token, T0 + 86_400_000, "expired").await;
}

#[tokio::test]
async fn token_past_the_absolute_lifetime_is_refused_whatever_its_expiry() {
    let created = T0 - 30 * 86_400_000;
    let token = seal_by_hand(
        1,
        b"",
        &plaintext(created, T0 + DAY.as_millis() as u64, "{}"),
    );
    assert_refused(&token, T0, "past_absolute_lifetime").await;
}

#[tokio::test]
async fn data_that_is_not_a_json_object_is_refused() {
    // At least two bytes each: shorter data makes the token too short, which is "malformed".
    for data in ["[1,2]", "\"s\"", "{ ", "{\"a\":1} x", "\u{0}\u{0}", "null"] {
        let token = seal_by_hand(1, b"", &plaintext(T0, T0 + 86_400_000, data));
        assert_refused(&token, T0, "bad_data").await;
    }
}

#[tokio::test]
async fn missing_token_is_only_a_trace_event() {
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(T0);
    let site = Site::start(config(&[1], &clock), clock).await;
    assert_eq!(site.get("/peek", None).await.json()["is_new"], true);
    assert_eq!(
        events.lines(),
        vec!["TRACE message=no session token; new session reason=\"missing\"".to_owned()]
    );
    let empty = site.get("/peek", Some("")).await;
    assert_eq!(empty.json()["is_new"], true);
    assert!(events.lines()[1].contains("reason=\"missing\""));
}

#[test]
fn codec_refusals_name_each_reason() {
    let codec = Codec::new(keys(&[1])).with_absolute_lifetime(Some(HOUR));
    let envelope = Envelope {
        created_ms: T0,
        expires_ms: T0 + 86_400_000,
        max_age_ms: 86_400_000,
        sid: SessionId([1; 16]),
        line: Line([2; 4]),
        generation: 1,
    };
    let token = codec
        .seal(&envelope, &sealed_session::token::Data::new())
        .unwrap();
    assert!(codec.open(token.as_bytes(), T0).is_ok());
    assert_eq!(
        codec.open(token.as_bytes(), T0 + 3_600_000).unwrap_err(),
        sealed_session::Refusal::PastAbsoluteLifetime
    );
    assert_eq!(
        codec.open(b"", T0).unwrap_err(),
        sealed_session::Refusal::Missing
    );
}

#[tokio::test]
async fn a_token_created_in_the_future_gives_a_fresh_session() {
    // Exercise: an authentic token created two minutes after the server's clock (a key holder
    // with a wrong clock made it), and ones created 30 s, 60 s and 60.001 s ahead.
    // Expectation: the first is refused as created_in_future, so it cannot escape the
    // absolute lifetime; within the skew (60 s) they open, past it they do not.
    let (events, _guard) = Events::capture();
    let clock = ManualClock::new(T0);
    let site = Site::start(config(&[1], &clock), clock.clone()).await;
    let ahead = |ms: u64| {
        let plain = common::plaintext([T0 + ms, T0 + ms + 86_400_000, 86_400_000], [4; 16], b"{}");
        common::seal_by_hand([1; 32], [6; 24], b"", &plain)
    };
    let refused = site.get("/peek", Some(&ahead(120_000))).await;
    assert_eq!(refused.json()["is_new"], true);
    assert!(
        events
            .lines()
            .iter()
            .any(|l| l.contains("reason=\"created_in_future\"")),
        "{:?}",
        events.lines()
    );
    // The skew (60 s by default) is the last moment accepted.
    for (ms, is_new) in [(30_000, false), (60_000, false), (60_001, true)] {
        assert_eq!(
            site.get("/peek", Some(&ahead(ms))).await.json()["is_new"],
            is_new,
            "created {ms} ms ahead"
        );
    }
}
