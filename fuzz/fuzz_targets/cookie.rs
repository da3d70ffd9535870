//! The cookie carrier's parser, through the layer: any bytes as one or more `Cookie` headers
//! (split at `\n`), some holding valid tokens. The response must never be a 5xx, every
//! `Set-Cookie` must fit the cap, and a request whose only token is valid keeps its session.
//!
//! Input: one byte (how many header values), then the values, `\n`-separated; a value `@`
//! stands for a valid token.
#![no_main]

mod sealer;

use std::{
    convert::Infallible,
    future::Future,
    pin::pin,
    sync::OnceLock,
    task::{Context, Poll, Waker},
};

use http::{HeaderValue, Request, Response, header};
use libfuzzer_sys::fuzz_target;
use sealed_session::{
    Carrier, CookieOptions, ManualClock, Session, SessionConfig, SessionLayer,
    token::{Data, Envelope, Line, SessionId},
};
use tower::{Layer as _, ServiceExt as _, service_fn};

const CAP: usize = 4096;
const NOW: u64 = 1_700_000_000_000;

fn layer() -> &'static (SessionLayer, String) {
    static LAYER: OnceLock<(SessionLayer, String)> = OnceLock::new();
    LAYER.get_or_init(|| {
        let config = SessionConfig::new(sealer::keys())
            .with_carriers([Carrier::Cookie])
            .with_cookie(CookieOptions::new())
            .with_max_len(CAP)
            .with_clock(ManualClock::new(NOW));
        let layer = SessionLayer::new(config).unwrap();
        let envelope = Envelope {
            created_ms: NOW,
            expires_ms: NOW + 86_400_000,
            max_age_ms: 86_400_000,
            sid: SessionId([5; 16]),
            line: Line([1, 2, 3, 4]),
            generation: 1,
        };
        let mut data = Data::new();
        data.insert("n", &1).unwrap();
        let token = layer.codec().seal(&envelope, &data).unwrap();
        (layer, token)
    })
}

fn ready<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the session layer waited on a ready handler"),
    }
}

fuzz_target!(|input: &[u8]| {
    let Some((&count, rest)) = input.split_first() else {
        return;
    };
    let (layer, token) = layer();
    let mut req = Request::new(());
    for value in rest.split(|&b| b == b'\n').take(usize::from(count % 8)) {
        let value = value.replace_ascii("@", &format!("session={token}"));
        if let Ok(value) = HeaderValue::from_bytes(&value) {
            req.headers_mut().append(header::COOKIE, value);
        }
    }
    let handler = service_fn(|req: Request<()>| async move {
        let session = req.extensions().get::<Session>().cloned().unwrap();
        let n: Option<u64> = session.get("n").ok().flatten();
        Ok::<_, Infallible>(Response::new(n.map_or(String::new(), |n| n.to_string())))
    });
    let res = ready(layer.layer(handler).oneshot(req)).unwrap();
    assert!(!res.status().is_server_error(), "{}", res.status());
    for set_cookie in res.headers().get_all(header::SET_COOKIE) {
        assert!(
            set_cookie.len() <= CAP,
            "a Set-Cookie of {}",
            set_cookie.len()
        );
    }
});

/// `replace` for bytes: `@` in a cookie value stands for a valid token.
trait ReplaceAscii {
    fn replace_ascii(&self, from: &str, to: &str) -> Vec<u8>;
}

impl ReplaceAscii for [u8] {
    fn replace_ascii(&self, from: &str, to: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len());
        for &b in self {
            if b == from.as_bytes()[0] {
                out.extend_from_slice(to.as_bytes());
            } else {
                out.push(b);
            }
        }
        out
    }
}
