//! Unit tests of the session state: changes, the size cap, outcomes, revocation.

use super::*;
use crate::{
    metrics::IssueCause,
    session::outcome::Failure,
    token::{Data, Envelope, Line, TokenVersion},
};

fn limits(cap: usize) -> RequestTerms {
    RequestTerms {
        now_ms: 1_000,
        max_age_ms: 10_000,
        absolute_ms: Some(50_000),
        cap,
        carrier_overhead: 0,
    }
}

const KEEP: Reissue = Reissue {
    renew: true,
    rolling: false,
};

fn no_hook(_: &Session) -> Result<(), ()> {
    Ok(())
}

fn seal_ok(_: &Envelope, data: &Data, _: SealWith) -> Result<String, SessionError> {
    Ok(serde_json::to_string(&data.to_map()).unwrap())
}

#[test]
fn clones_share_one_state() {
    let a = Session::fresh(limits(4096));
    let b = a.clone();
    a.insert("k", 1).unwrap();
    assert_eq!(b.get::<i32>("k").unwrap(), Some(1));
    assert_eq!(a.id(), b.id());
}

#[test]
fn typed_get_reports_a_wrong_type() {
    let s = Session::fresh(limits(4096));
    s.insert("k", "text").unwrap();
    assert!(matches!(s.get::<u32>("k"), Err(SessionError::Json(_))));
    assert_eq!(s.get::<String>("absent").unwrap(), None);
}

#[test]
fn too_large_insert_restores_the_previous_value() {
    let s = Session::fresh(limits(200));
    s.insert("k", "small").unwrap();
    let err = s.insert("k", "x".repeat(500)).unwrap_err();
    assert!(
        matches!(err, SessionError::TooLarge { cap: 200, .. }),
        "{err}"
    );
    assert_eq!(s.get::<String>("k").unwrap().as_deref(), Some("small"));
    assert!(s.insert("other", "y".repeat(500)).is_err());
    assert_eq!(s.keys(), vec!["k".to_owned()]);
}

#[test]
fn carrier_overhead_counts_against_the_cap() {
    let plain = Session::fresh(limits(200));
    let with_overhead = Session::fresh(RequestTerms {
        carrier_overhead: 60,
        ..limits(200)
    });
    let value = "x".repeat(40);
    assert!(plain.insert("k", &value).is_ok());
    assert!(with_overhead.insert("k", &value).is_err());
}

#[test]
fn equal_insert_is_not_a_change() {
    let s = Session::fresh(limits(4096));
    assert_eq!(
        s.finish(KEEP, false, no_hook, seal_ok).unwrap(),
        TokenUpdate::Keep
    );
    s.insert("k", 1).unwrap();
    assert!(matches!(
        s.finish(KEEP, false, no_hook, seal_ok).unwrap(),
        TokenUpdate::Token {
            lifetime_ms: 10_000,
            ..
        }
    ));
    s.lock().changed = false;
    s.insert("k", 1).unwrap();
    assert_eq!(
        s.finish(KEEP, false, no_hook, seal_ok).unwrap(),
        TokenUpdate::Keep
    );
    assert_eq!(s.remove_value("absent"), None);
    assert_eq!(s.remove::<u32>("absent").unwrap(), None);
    s.clear();
    assert!(matches!(
        s.finish(KEEP, false, no_hook, seal_ok).unwrap(),
        TokenUpdate::Token { .. }
    ));
}

#[test]
fn destroy_clears_and_insert_after_it_starts_a_new_session() {
    let s = Session::fresh(limits(4096));
    s.insert("a", 1).unwrap();
    let first = s.id();
    s.destroy();
    assert!(s.is_empty());
    assert_eq!(
        s.finish(KEEP, false, no_hook, seal_ok).unwrap(),
        TokenUpdate::Clear
    );
    s.insert("b", 2).unwrap();
    assert!(!s.is_destroyed());
    assert_ne!(s.id(), first);
    assert_eq!(s.keys(), vec!["b".to_owned()]);
}

#[test]
fn debug_shows_no_data() {
    let s = Session::fresh(limits(4096));
    s.insert("secret", "hunter2").unwrap();
    let debug = format!("{s:?}");
    assert!(
        !debug.contains("hunter2") && !debug.contains("secret"),
        "{debug}"
    );
    assert!(debug.contains("entries: 1"), "{debug}");
}

#[test]
fn seal_failure_is_returned_not_swallowed() {
    let s = Session::fresh(limits(4096));
    s.insert("k", 1).unwrap();
    let err = s
        .finish(KEEP, false, no_hook, |_, _, _| {
            Err(SessionError::TooLarge { len: 9, cap: 1 })
        })
        .unwrap_err();
    assert!(matches!(
        err,
        Failure::Seal(SessionError::TooLarge { len: 9, cap: 1 })
    ));
}

#[test]
fn before_seal_runs_only_when_sealing_and_its_changes_are_sealed() {
    let s = Session::fresh(limits(4096));
    let hook = |s: &Session| s.insert("saved", true).map_err(|_| ());
    assert_eq!(
        s.finish(KEEP, false, hook, seal_ok).unwrap(),
        TokenUpdate::Keep
    );
    assert!(s.is_empty(), "no seal, no hook");
    s.insert("k", 1).unwrap();
    let TokenUpdate::Token { token, .. } = s.finish(KEEP, false, hook, seal_ok).unwrap() else {
        panic!("expected a token");
    };
    assert_eq!(token, r#"{"k":1,"saved":true}"#);
    let failing = |_: &Session| Err("no");
    assert!(matches!(
        s.finish(KEEP, false, failing, seal_ok),
        Err(Failure::Hook("no"))
    ));
}

#[test]
fn revocation_lasts_until_the_absolute_lifetime() {
    let fresh = Session::fresh(limits(4096));
    fresh.revoke();
    assert_eq!(fresh.revocation(), None, "no token was ever issued");
    let opened = Session::opened(
        Opened {
            envelope: Envelope {
                created_ms: 500,
                expires_ms: 9_000,
                max_age_ms: 10_000,
                sid: SessionId([3; 16]),
                line: Line([7; 4]),
                generation: 5,
            },
            data: Data::new(),
            key_index: 0,
            key_id: crate::key::KeyId([0; 4]),
            sealing_index: 0,
            version: TokenVersion::V2,
        },
        limits(4096),
    );
    assert_eq!(opened.revocation(), None);
    opened.revoke();
    assert!(opened.is_destroyed());
    // created 500 + absolute 50 000 - now 1 000
    assert_eq!(
        opened.revocation(),
        Some(Revocation {
            id: SessionId([3; 16]),
            ttl: Duration::from_millis(49_500)
        })
    );
}

fn opened_session(sid: u8) -> Session {
    opened_with_keys(sid, 0, 0)
}

/// A session whose token opened with key `key_index` while key `sealing_index` sealed.
fn opened_with_keys(sid: u8, key_index: usize, sealing_index: usize) -> Session {
    Session::opened(
        Opened {
            envelope: Envelope {
                created_ms: 500,
                expires_ms: 9_000,
                max_age_ms: 10_000,
                sid: SessionId([sid; 16]),
                line: Line([7; 4]),
                generation: 5,
            },
            data: Data::new(),
            key_index,
            key_id: crate::key::KeyId([key_index as u8; 4]),
            sealing_index,
            version: TokenVersion::V2,
        },
        limits(4096),
    )
}

#[test]
fn only_a_token_of_a_key_listed_after_the_sealing_one_is_resealed() {
    // Exercise: unchanged sessions whose tokens opened with a key listed after, at, and before
    // the key that sealed when they were opened.
    // Expectation: only the first is re-sealed (rotated), with its key named to the seal; a
    // token of a newer key not sealing here yet is kept as it is.
    let mut seen = None;
    let update = opened_with_keys(1, 1, 0).finish(KEEP, false, no_hook, |envelope, data, with| {
        seen = Some(with.opened_with);
        seal_ok(envelope, data, with)
    });
    assert!(matches!(
        update.unwrap(),
        TokenUpdate::Token {
            cause: IssueCause::Rotated,
            ..
        }
    ));
    assert_eq!(seen, Some(Some(crate::key::KeyId([1; 4]))));
    for (key_index, sealing_index) in [(0, 0), (0, 1), (1, 2)] {
        let session = opened_with_keys(2, key_index, sealing_index);
        let update = session.finish(KEEP, false, no_hook, seal_ok).unwrap();
        assert_eq!(update, TokenUpdate::Keep, "{key_index} {sealing_index}");
    }
}

#[test]
fn a_revocation_survives_a_new_session_started_after_it() {
    // Exercise: revoke, then insert (a new session in the same request).
    // Expectation: the token the client brought is still listed; the new session is sealed.
    let s = opened_session(4);
    s.revoke();
    s.insert("k", 1).unwrap();
    assert!(!s.is_destroyed());
    assert_eq!(s.revocation().map(|r| r.id), Some(SessionId([4; 16])));
    assert!(matches!(
        s.finish(KEEP, false, no_hook, seal_ok).unwrap(),
        TokenUpdate::Token { .. }
    ));
}

#[test]
fn cycle_id_then_revoke_lists_the_id_of_the_token_brought() {
    let s = opened_session(5);
    s.cycle_id();
    s.revoke();
    assert_eq!(s.revocation().map(|r| r.id), Some(SessionId([5; 16])));
}

#[test]
fn renew_stops_once_the_absolute_lifetime_caps_the_expiry() {
    // created 0, absolute 50 000, max age 10 000, now 46 000, expiry already capped at 50 000:
    // less than half is left, but a new token would expire at the same moment.
    let s = Session::opened(
        Opened {
            envelope: Envelope {
                created_ms: 0,
                expires_ms: 50_000,
                max_age_ms: 10_000,
                sid: SessionId([6; 16]),
                line: Line([7; 4]),
                generation: 5,
            },
            data: Data::new(),
            key_index: 0,
            key_id: crate::key::KeyId([0; 4]),
            sealing_index: 0,
            version: TokenVersion::V2,
        },
        RequestTerms {
            now_ms: 46_000,
            ..limits(4096)
        },
    );
    assert_eq!(
        s.finish(KEEP, false, no_hook, seal_ok).unwrap(),
        TokenUpdate::Keep
    );
}

#[test]
fn remove_returns_the_value_typed_or_as_json_and_is_a_change() {
    // Exercise: typed and untyped removal of present values, and a typed removal of the wrong
    // type. Expectation: the values come back; the wrong type is an error and removes nothing;
    // a removal alone re-issues the token.
    let s = Session::fresh(limits(4096));
    s.insert("n", 7).unwrap();
    s.insert("name", "ann").unwrap();
    s.lock().changed = false;
    assert!(matches!(
        s.remove::<u32>("name"),
        Err(SessionError::Json(_))
    ));
    assert_eq!(s.get::<String>("name").unwrap().as_deref(), Some("ann"));
    assert!(!s.lock().changed, "a failed removal is not a change");
    assert_eq!(s.remove::<u32>("n").unwrap(), Some(7));
    assert!(s.lock().changed);
    s.lock().changed = false;
    assert_eq!(s.remove_value("name"), Some(Value::from("ann")));
    assert!(s.is_empty());
    assert!(matches!(
        s.finish(KEEP, false, no_hook, seal_ok).unwrap(),
        TokenUpdate::Token { .. }
    ));
}

fn sealed_envelope(s: &Session) -> Envelope {
    let mut sealed = None;
    let seal = |envelope: &Envelope, _: &Data, _: SealWith| {
        sealed = Some(*envelope);
        Ok("token".to_owned())
    };
    s.finish(KEEP, false, no_hook, seal).unwrap();
    sealed.expect("a seal")
}

#[test]
fn generations_follow_the_format_rules() {
    // Exercise: each kind of seal, from a new session and from one opened at generation 5.
    // Expectation: a new line's first token is generation 1 on a fresh line; a change carries
    // the opened generation plus one on the same line; a re-seal that changes nothing (touch)
    // keeps both; destroy then write keeps the line and carries one more.
    let fresh = Session::fresh(limits(4096));
    fresh.insert("k", 1).unwrap();
    let first = sealed_envelope(&fresh);
    assert_eq!(first.generation, 1);
    let touched = Session::fresh(limits(4096));
    touched.touch();
    assert_eq!(
        sealed_envelope(&touched).generation,
        1,
        "a new line starts at 1"
    );
    assert_ne!(
        sealed_envelope(&touched).line,
        first.line,
        "each new session its own line"
    );

    for change in [
        (|s: &Session| s.insert("k", 2).unwrap()) as fn(&Session),
        |s| s.cycle_id(),
        |s| s.set_max_age(Duration::from_secs(5)),
        |s| {
            s.destroy();
            s.insert("k", 3).unwrap();
        },
    ] {
        let s = opened_session(1);
        assert_eq!(s.generation(), 5);
        change(&s);
        let sealed = sealed_envelope(&s);
        assert_eq!((sealed.line, sealed.generation), (Line([7; 4]), 6));
    }
    let s = opened_session(1);
    s.touch();
    let sealed = sealed_envelope(&s);
    assert_eq!((sealed.line, sealed.generation), (Line([7; 4]), 5));
}

#[test]
fn the_generation_saturates() {
    let s = Session::opened(
        Opened {
            envelope: Envelope {
                created_ms: 500,
                expires_ms: 9_000,
                max_age_ms: 10_000,
                sid: SessionId([1; 16]),
                line: Line([7; 4]),
                generation: u32::MAX,
            },
            data: Data::new(),
            key_index: 0,
            key_id: crate::key::KeyId([0; 4]),
            sealing_index: 0,
            version: TokenVersion::V2,
        },
        limits(4096),
    );
    s.insert("k", 1).unwrap();
    assert_eq!(sealed_envelope(&s).generation, u32::MAX);
}

#[test]
fn the_view_reports_its_size_times_and_max_age() {
    let s = Session::fresh(limits(4096));
    assert_eq!((s.len(), s.is_empty()), (0, true));
    s.insert("a", 1).unwrap();
    s.insert("b", 2).unwrap();
    assert_eq!((s.len(), s.is_empty()), (2, false));
    assert_eq!(s.max_age(), Duration::from_millis(10_000));
    // Created at `now` (1 s after the epoch), expiring one max age later, to the millisecond.
    let epoch = time::OffsetDateTime::UNIX_EPOCH;
    assert_eq!(s.created_at(), epoch + Duration::from_millis(1_000));
    assert_eq!(s.expires_at(), epoch + Duration::from_millis(11_000));
    s.set_max_age(Duration::from_millis(2_500));
    assert_eq!(s.max_age(), Duration::from_millis(2_500));
}
