//! A whole request through `SessionLayer` with an arbitrary session header value.
//!
//! Input: one flags byte (configuration and what the handler does), 8 bytes of the clock, then
//! the header value itself (flag 0x80 clear) or a plaintext sealed into a valid token first
//! (flag 0x80 set; version 1, or version 2 with flag 0x40 set). The response must never be a
//! 5xx, and its token must fit the cap.
#![no_main]

mod sealer;

use std::{
    convert::Infallible,
    future::Future,
    pin::pin,
    sync::OnceLock,
    task::{Context, Poll, Waker},
    time::Duration,
};

use http::{HeaderValue, Request, Response};
use libfuzzer_sys::fuzz_target;
use sealed_session::{ManualClock, Session, SessionConfig, SessionLayer};
use tower::{Layer as _, ServiceExt as _, service_fn};

const CAP: usize = 1024;

struct Fixture {
    clock: ManualClock,
    /// renew off/on x rolling off/on.
    layers: Vec<SessionLayer>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let clock = ManualClock::new(0);
        let layers = (0..4)
            .map(|i| {
                let config = SessionConfig::new(sealer::keys())
                    .with_max_len(CAP)
                    .with_renew(i & 1 == 1)
                    .with_rolling(i & 2 == 2)
                    .with_clock(clock.clone());
                SessionLayer::new(config).unwrap()
            })
            .collect();
        Fixture { clock, layers }
    })
}

/// Polls once: nothing in the layer or this handler ever waits.
fn ready<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the session layer waited on a ready handler"),
    }
}

/// The plaintext with its JSON written as this crate writes it, when it is a JSON object: only
/// the key holder makes tokens, and it never writes e.g. `1e300` (which re-serializes longer).
fn canonical(plain: &[u8]) -> Vec<u8> {
    if plain.len() < 40 {
        return plain.to_vec();
    }
    let (envelope, json) = plain.split_at(40);
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(json) {
        Ok(data) => [envelope, &serde_json::to_vec(&data).unwrap()].concat(),
        Err(_) => plain.to_vec(),
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((head, rest)) = input.split_first_chunk::<9>() else {
        return;
    };
    let flags = head[0];
    let fixture = fixture();
    fixture
        .clock
        .set(u64::from_le_bytes(head[1..].try_into().unwrap()));
    let value = if flags & 0x80 == 0 {
        match HeaderValue::from_bytes(rest) {
            Ok(value) => value,
            Err(_) => return, // no HTTP stack would deliver it
        }
    } else if flags & 0x40 == 0 {
        HeaderValue::try_from(sealer::seal_plaintext(&canonical(rest))).unwrap()
    } else {
        // A version 2 token whose line and generation come from the clock bytes.
        let line: [u8; 4] = head[1..5].try_into().unwrap();
        let generation = u32::from_le_bytes(head[5..9].try_into().unwrap());
        HeaderValue::try_from(sealer::seal_plaintext_v2(
            line,
            generation,
            &canonical(rest),
        ))
        .unwrap()
    };
    let handler = service_fn(move |req: Request<()>| async move {
        let session = req.extensions().get::<Session>().cloned().unwrap();
        let _ = session.get_value("n");
        let _ = session.keys();
        let _ = (session.expires_at(), session.created_at(), session.id());
        match (flags >> 2) & 7 {
            0 => {}
            1 => {
                let n = session.get::<u64>("n").ok().flatten().unwrap_or(0);
                let _ = session.insert("n", n.wrapping_add(1));
            }
            2 => session.set_max_age(Duration::from_millis(u64::from(flags) << 40)),
            3 => session.touch(),
            4 => session.cycle_id(),
            5 => session.destroy(),
            6 => session.clear(),
            _ => {
                let _ = session.insert("big", "x".repeat(usize::from(flags) * 8));
            }
        }
        Ok::<_, Infallible>(Response::new(String::new()))
    });
    let service = fixture.layers[usize::from(flags & 3)].layer(handler);
    let mut req = Request::new(());
    req.headers_mut().insert("x-session", value);
    let res = ready(service.oneshot(req)).unwrap();
    assert!(!res.status().is_server_error(), "{}", res.status());
    if let Some(token) = res.headers().get("x-session") {
        assert!(token.len() <= CAP);
    }
});
