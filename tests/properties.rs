//! Properties of the codec and the layer over generated inputs (proptest): round trips, tamper
//! refusal, the size cap, refusals that never fail a request, and an absolute lifetime that
//! nothing extends. Case counts are kept so the whole file runs in a few seconds in debug.

mod common;

use std::{convert::Infallible, time::Duration};

use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use http::{HeaderValue, Request, Response, StatusCode};
use proptest::prelude::*;
use sealed_session::{
    Clock as _, ManualClock, Session, SessionConfig, SessionError, SessionLayer,
    token::{Codec, Data, Envelope, Line, SessionId, TokenVersion},
};
use serde_json::{Map, Value, json};
use tower::{Layer as _, ServiceExt as _, service_fn};

use common::{HEADER, T0, keys};

/// Any JSON value, nested at most 4 deep, at most 8 entries per array or object.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Any JSON object: what a session holds.
fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    prop::collection::btree_map(any::<String>(), json_value(), 0..8)
        .prop_map(|m| m.into_iter().collect())
}

fn sid() -> impl Strategy<Value = SessionId> {
    any::<[u8; 16]>().prop_map(SessionId)
}

fn codec() -> Codec {
    Codec::new(keys(&[1])).with_absolute_lifetime(None)
}

/// A small, valid token to damage, and the time at which it opens.
fn small_token() -> impl Strategy<Value = (String, u64)> {
    (
        prop::collection::btree_map("[a-z]{1,6}", any::<u32>(), 0..4),
        sid(),
    )
        .prop_map(|(data, sid)| {
            let data: Map<String, Value> = data.into_iter().map(|(k, v)| (k, v.into())).collect();
            let envelope = Envelope {
                created_ms: T0,
                expires_ms: T0 + 1000,
                max_age_ms: 1000,
                sid,
                line: Line([1, 2, 3, 4]),
                generation: 9,
            };
            (
                codec()
                    .seal(&envelope, &Data::from_map(&data).unwrap())
                    .unwrap(),
                T0,
            )
        })
}

/// One edit of one byte of a token.
#[derive(Debug, Clone)]
enum Edit {
    Replace(usize, u8),
    Remove(usize),
    Insert(usize, u8),
}

/// A byte to write: half the time a base64url character, which decodes, half the time any byte.
fn edit_byte() -> impl Strategy<Value = u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    prop_oneof![prop::sample::select(ALPHABET), any::<u8>()]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), edit_byte()).prop_map(|(i, b)| Edit::Replace(i, b)),
        any::<usize>().prop_map(Edit::Remove),
        (any::<usize>(), edit_byte()).prop_map(|(i, b)| Edit::Insert(i, b)),
    ]
}

/// `token` with `edit` applied, or `None` if the edit would leave it as it was.
fn apply(token: &[u8], edit: &Edit) -> Option<Vec<u8>> {
    let mut out = token.to_vec();
    match *edit {
        Edit::Replace(i, b) => {
            let i = i % out.len();
            if out[i] == b {
                return None;
            }
            out[i] = b;
        }
        Edit::Remove(i) => {
            out.remove(i % token.len());
        }
        Edit::Insert(i, b) => out.insert(i % (token.len() + 1), b),
    }
    Some(out)
}

/// Runs one request through `layer` in front of `handler`, on a current-thread runtime.
fn call<F>(
    rt: &tokio::runtime::Runtime,
    layer: &SessionLayer,
    token: Option<&[u8]>,
    handler: F,
) -> Response<String>
where
    F: Fn(Session) -> String + Clone + Send + 'static,
{
    let service = layer.layer(service_fn(move |req: Request<()>| {
        let handler = handler.clone();
        async move {
            let session = req.extensions().get::<Session>().cloned().unwrap();
            Ok::<_, Infallible>(Response::new(handler(session)))
        }
    }));
    let mut req = Request::new(());
    if let Some(token) = token {
        req.headers_mut()
            .insert(HEADER, HeaderValue::from_bytes(token).unwrap());
    }
    rt.block_on(service.oneshot(req)).unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

fn token_of(res: &Response<String>) -> Option<&str> {
    res.headers().get(HEADER).map(|v| v.to_str().unwrap())
}

/// The envelope inside `token`, opened with every key of `key_bytes`, whatever the time.
fn envelope_of(key_bytes: &[u8], token: &str) -> Envelope {
    common::inspect(key_bytes, token).envelope
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn seal_then_open_gives_back_any_json_object(
        data in json_object(),
        created_ms in any::<u64>(),
        expires_ms in 1..u64::MAX,
        max_age_ms in any::<u64>(),
        sid in sid(),
        line in any::<[u8; 4]>(),
        generation in any::<u32>(),
        v1 in any::<bool>(),
    ) {
        // Exercise: seal any JSON object with any envelope in either version, open it just
        // before it expires.
        // Expectation: the same envelope, the same data, key 0; version 1 has no line or
        // generation of its own: generation 0 and the line of its bytes 5 to 8.
        let version = if v1 { TokenVersion::V1 } else { TokenVersion::V2 };
        let codec = codec().with_max_len(usize::MAX).with_seal_version(version);
        let envelope = Envelope { created_ms, expires_ms, max_age_ms, sid, line: Line(line), generation };
        let token = codec.seal(&envelope, &Data::from_map(&data).unwrap()).unwrap();
        let opened = codec.open(token.as_bytes(), expires_ms - 1).unwrap();
        prop_assert_eq!(opened.version, version);
        let expected = if v1 {
            let raw = URL_SAFE_NO_PAD.decode(&token).unwrap();
            Envelope { line: Line(raw[5..9].try_into().unwrap()), generation: 0, ..envelope }
        } else {
            envelope
        };
        prop_assert_eq!(opened.envelope, expected);
        prop_assert_eq!(opened.data.to_map(), data);
        prop_assert_eq!(opened.key_index, 0);
    }

    #[test]
    fn any_single_byte_changed_removed_or_added_is_refused(
        (token, now) in small_token(),
        edit in edit(),
    ) {
        let codec = codec();
        prop_assert!(codec.open(token.as_bytes(), now).is_ok());
        if let Some(damaged) = apply(token.as_bytes(), &edit) {
            let refusal = codec.open(&damaged, now);
            prop_assert!(refusal.is_err(), "{:?} opened after {:?}", token, edit);
        }
    }

    #[test]
    fn sealed_tokens_never_exceed_the_cap(
        cap in 0usize..1500,
        data in json_object(),
    ) {
        // Exercise: the codec alone, any cap, any data.
        // Expectation: either a token within the cap, or TooLarge with a length over it.
        let codec = codec().with_max_len(cap);
        let envelope = Envelope {
            created_ms: T0, expires_ms: T0 + 1, max_age_ms: 1, sid: SessionId([7; 16]), line: Line([7; 4]), generation: 1,
        };
        match codec.seal(&envelope, &Data::from_map(&data).unwrap()) {
            Ok(token) => prop_assert!(token.len() <= cap, "{} > {}", token.len(), cap),
            Err(sealed_session::SessionError::TooLarge { len, cap: c }) => {
                prop_assert_eq!(c, cap);
                prop_assert!(len > cap);
            }
            Err(other) => prop_assert!(false, "unexpected {}", other),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn inserts_fail_with_too_large_or_the_token_fits(
        cap in 127usize..900,
        inserts in prop::collection::vec(("[a-c]", prop_oneof![
            (0usize..700).prop_map(|n| Value::from("x".repeat(n))),
            json_value(),
        ]), 1..6),
    ) {
        // Exercise: a handler inserts values of any size under a cap of any size.
        // Expectation: each insert either succeeds or fails with TooLarge (len > cap); the
        // response is never a 500, and its token, present after any successful insert, fits.
        let rt = runtime();
        let config = SessionConfig::new(keys(&[1])).with_max_len(cap).with_clock(ManualClock::new(T0));
        let layer = SessionLayer::new(config).unwrap();
        let handler = move |session: Session| {
            let mut outcomes = Vec::new();
            for (k, v) in &inserts {
                outcomes.push(match session.insert(k, v) {
                    Ok(()) => json!("ok"),
                    Err(SessionError::TooLarge { len, cap: c }) => json!([len, c]),
                    Err(e) => json!(e.to_string()),
                });
            }
            Value::from(outcomes).to_string()
        };
        let res = call(&rt, &layer, None, handler);
        prop_assert_eq!(res.status(), StatusCode::OK);
        let outcomes: Vec<Value> = serde_json::from_str(res.body()).unwrap();
        for outcome in &outcomes {
            if outcome != "ok" {
                let pair = outcome.as_array().unwrap();
                prop_assert!(pair[0].as_u64().unwrap() > cap as u64, "{}", outcome);
                prop_assert_eq!(pair[1].as_u64().unwrap(), cap as u64);
            }
        }
        match token_of(&res) {
            Some(token) => {
                prop_assert!(token.len() <= cap, "{} > {}", token.len(), cap);
                prop_assert!(layer.codec().open(token.as_bytes(), T0).is_ok());
            }
            None => prop_assert!(outcomes.iter().all(|o| o != "ok"), "a change without a token"),
        }
    }
}

/// Header values that are no valid token: any bytes a header may hold, base64url of any length
/// (also past the cap), and valid tokens with one byte changed, of another key, or expired.
fn refused_value() -> impl Strategy<Value = Vec<u8>> {
    let header_byte = prop_oneof![Just(b'\t'), 0x20u8..0x7f, 0x80u8..=0xff];
    prop_oneof![
        prop::collection::vec(header_byte, 1..300),
        "[A-Za-z0-9_-]{1,200}".prop_map(String::into_bytes),
        (4000usize..6000).prop_map(|n| "A".repeat(n).into_bytes()),
        (small_token(), edit()).prop_filter_map("an edit that changes nothing", |((t, _), e)| {
            apply(t.as_bytes(), &e).filter(|v| HeaderValue::from_bytes(v).is_ok())
        }),
        small_token().prop_map(|(t, _)| t.into_bytes()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_refused_token_never_fails_the_request(value in refused_value(), advance in 0u64..3_000) {
        // Exercise: a request with any header value that is not a valid token of this layer
        // (the intact `small_token`s are sealed with key 1 at T0 and expire at T0 + 1 s; this
        // layer has key 2, or key 1 at a time past their expiry).
        // Expectation: 200, the handler's new session, and a token for it that fits the cap.
        let rt = runtime();
        let clock = ManualClock::new(T0 + 1_000 + advance);
        let layer_keys = if advance % 2 == 0 { keys(&[2]) } else { keys(&[1, 2]) };
        let layer = SessionLayer::new(SessionConfig::new(layer_keys).with_clock(clock)).unwrap();
        let res = call(&rt, &layer, Some(&value), |session: Session| {
            let was_new = session.is_new();
            session.insert("n", 1).unwrap();
            was_new.to_string()
        });
        prop_assert_eq!(res.status(), StatusCode::OK);
        prop_assert_eq!(res.body(), "true");
        let token = token_of(&res).unwrap();
        prop_assert!(!token.is_empty() && token.len() <= 4096);
    }
}

/// A step of a session's life: time passes, the client makes a request, or the fleet rotates.
#[derive(Debug, Clone)]
enum Step {
    Wait(Duration),
    Read,
    Change(u8),
    SetMaxAge(Duration),
    Touch,
    Cycle,
    /// A new key goes first; every older key stays, so old tokens are re-sealed.
    Rotate,
}

fn step() -> impl Strategy<Value = Step> {
    let hours = |max: u64| (0..=max).prop_map(|h| Duration::from_secs(h * 3600));
    prop_oneof![
        3 => hours(5 * 24).prop_map(Step::Wait),
        2 => Just(Step::Read),
        2 => any::<u8>().prop_map(Step::Change),
        1 => hours(60 * 24).prop_map(Step::SetMaxAge),
        1 => Just(Step::Touch),
        1 => Just(Step::Cycle),
        1 => Just(Step::Rotate),
    ]
}

const ABSOLUTE: Duration = Duration::from_secs(10 * 24 * 3600);

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn the_absolute_lifetime_is_never_extended(
        max_age_h in prop::sample::select(vec![1u64, 24, 72, 480]),
        renew in any::<bool>(),
        rolling in any::<bool>(),
        steps in prop::collection::vec(step(), 1..40),
    ) {
        // Exercise: one client's session through any sequence of waits, reads, changes,
        // set_max_age, touch, cycle_id and key rotations (with re-sealing), on a manual clock.
        // Expectation: no token expires past created + absolute lifetime; an accepted session
        // keeps its creation time; a session at or past its absolute lifetime is refused; a
        // token that is neither expired nor past that lifetime is accepted.
        let rt = runtime();
        let clock = ManualClock::new(T0);
        let abs_ms = u64::try_from(ABSOLUTE.as_millis()).unwrap();
        let mut key_bytes: Vec<u8> = vec![1];
        let layer_for = |key_bytes: &[u8]| {
            let mut order = key_bytes.to_vec();
            order.reverse(); // the newest key first
            SessionLayer::new(
                SessionConfig::new(keys(&order))
                    .with_clock(clock.clone())
                    .with_max_age(Duration::from_secs(max_age_h * 3600))
                    .with_renew(renew)
                    .with_rolling(rolling)
                    .with_absolute_lifetime(Some(ABSOLUTE)),
            )
            .unwrap()
        };
        let mut layer = layer_for(&key_bytes);
        let mut token: Option<String> = None;
        for step in steps {
            let quiet = matches!(step, Step::Read) && !renew && !rolling;
            let action = match step {
                Step::Wait(d) => { clock.advance(d); continue; }
                Step::Rotate => {
                    key_bytes.push(key_bytes.len() as u8 + 1);
                    layer = layer_for(&key_bytes);
                    continue;
                }
                other => other,
            };
            let now = clock.now_ms();
            let sent = token.as_deref().map(|t| envelope_of(&key_bytes, t));
            let res = call(&rt, &layer, token.as_deref().map(str::as_bytes), move |s: Session| {
                match &action {
                    Step::Change(b) => s.insert("v", b).unwrap(),
                    Step::SetMaxAge(d) => s.set_max_age(*d),
                    Step::Touch => s.touch(),
                    Step::Cycle => s.cycle_id(),
                    _ => {}
                }
                json!({ "is_new": s.is_new(), "created_ms": s.created_ms() }).to_string()
            });
            prop_assert_eq!(res.status(), StatusCode::OK);
            let body: Value = serde_json::from_str(res.body()).unwrap();
            let is_new = body["is_new"].as_bool().unwrap();
            let created_ms = body["created_ms"].as_u64().unwrap();
            if let Some(sent) = sent {
                let live = now < sent.expires_ms && now < sent.created_ms + abs_ms;
                prop_assert_eq!(is_new, !live, "now {} sent {:?}", now, sent);
                if !is_new {
                    prop_assert_eq!(created_ms, sent.created_ms, "the creation time moved");
                }
            } else {
                prop_assert!(is_new);
            }
            match token_of(&res) {
                Some(t) => {
                    let envelope = envelope_of(&key_bytes, t);
                    prop_assert_eq!(envelope.created_ms, created_ms);
                    prop_assert!(
                        envelope.expires_ms <= envelope.created_ms + abs_ms,
                        "expiry {} past created {} + absolute", envelope.expires_ms, envelope.created_ms
                    );
                    if quiet && !is_new {
                        // Only a rotation re-seals a read under neither renew nor rolling, and
                        // it keeps the expiry.
                        prop_assert_eq!(envelope.expires_ms, sent.unwrap().expires_ms);
                    }
                    token = Some(t.to_owned());
                }
                None => {
                    if is_new { token = None; }
                }
            }
        }
    }
}

#[test]
fn every_single_character_change_and_removal_of_one_token_is_refused() {
    // Exercise: exhaustively, every position of one token replaced by every other base64url
    // character, and every position removed.
    // Expectation: all refused.
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let codec = codec();
    let envelope = Envelope {
        created_ms: T0,
        expires_ms: T0 + 1,
        max_age_ms: 1,
        sid: SessionId([9; 16]),
        line: Line([9; 4]),
        generation: 3,
    };
    let data: Map<String, Value> = serde_json::from_str(r#"{"user":42}"#).unwrap();
    let token = codec
        .seal(&envelope, &Data::from_map(&data).unwrap())
        .unwrap()
        .into_bytes();
    assert!(codec.open(&token, T0).is_ok());
    let mut tried = 0;
    for i in 0..token.len() {
        for &c in ALPHABET.iter().filter(|&&c| c != token[i]) {
            let mut damaged = token.clone();
            damaged[i] = c;
            assert!(codec.open(&damaged, T0).is_err(), "position {i} -> {c}");
            tried += 1;
        }
        let mut shorter = token.clone();
        shorter.remove(i);
        assert!(codec.open(&shorter, T0).is_err(), "position {i} removed");
    }
    assert_eq!(tried, token.len() * 63);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn a_version_1_token_continues_as_version_2_on_its_line(
        data in json_object(),
        sid in sid(),
        nonce in any::<[u8; 24]>(),
        age_ms in 0u64..86_400_000,
        write in any::<bool>(),
    ) {
        // Exercise: any version 1 token (sealed by hand, independently of the crate), opened
        // `age_ms` after its creation by a rolling layer, read or written.
        // Expectation: the answer is version 2 on the line of the token's bytes 5 to 8 (its
        // nonce's first four); a renewal keeps the data, creation, max age, id and generation
        // 0; a write gives generation 1 with the same creation and id and a fresh expiry.
        let rt = runtime();
        let clock = ManualClock::new(T0 + age_ms);
        let layer = SessionLayer::new(
            SessionConfig::new(keys(&[1]))
                .with_clock(clock)
                .with_rolling(true)
                .with_max_len(usize::MAX),
        )
        .unwrap();
        let json = serde_json::to_vec(&data).unwrap();
        let plain = common::plaintext([T0, T0 + 86_400_000, 86_400_000], sid.0, &json);
        let v1 = common::seal_by_hand([1; 32], nonce, b"", &plain);
        let res = call(&rt, &layer, Some(v1.as_bytes()), move |s| {
            if write {
                s.insert("written", true).unwrap();
            }
            String::new()
        });
        let opened = codec()
            .with_max_len(usize::MAX)
            .open(token_of(&res).expect("re-issued (rolling)").as_bytes(), 0)
            .unwrap();
        prop_assert_eq!(opened.version, TokenVersion::V2);
        prop_assert_eq!(opened.envelope.line.0, [nonce[0], nonce[1], nonce[2], nonce[3]]);
        prop_assert_eq!(opened.envelope.created_ms, T0);
        prop_assert_eq!(opened.envelope.sid, sid);
        prop_assert_eq!(opened.envelope.max_age_ms, 86_400_000);
        prop_assert_eq!(opened.envelope.expires_ms, T0 + age_ms + 86_400_000);
        prop_assert_eq!(opened.envelope.generation, u32::from(write));
        let mut expected = data;
        if write {
            expected.insert("written".into(), true.into());
        }
        prop_assert_eq!(opened.data.to_map(), expected);
    }

    #[test]
    fn destroyed_and_written_again_keeps_the_line_and_carries_one_more(
        generation in 0u32..u32::MAX,
        line in any::<[u8; 4]>(),
    ) {
        // Exercise: a version 2 token of any line and generation, destroyed and written again
        // by one handler. Expectation: the same line, the generation plus one, a new id.
        let rt = runtime();
        let layer = SessionLayer::new(
            SessionConfig::new(keys(&[1])).with_clock(ManualClock::new(T0)),
        )
        .unwrap();
        let envelope = Envelope {
            created_ms: T0,
            expires_ms: T0 + 1000,
            max_age_ms: 1000,
            sid: SessionId([5; 16]),
            line: Line(line),
            generation,
        };
        let token = layer.codec().seal(&envelope, &Data::new()).unwrap();
        let res = call(&rt, &layer, Some(token.as_bytes()), |s| {
            s.destroy();
            s.insert("user", 1).unwrap();
            String::new()
        });
        let sealed = envelope_of(&[1], token_of(&res).unwrap());
        prop_assert_eq!(sealed.line, Line(line));
        prop_assert_eq!(sealed.generation, generation + 1);
        prop_assert_ne!(sealed.sid, envelope.sid);
    }
}
