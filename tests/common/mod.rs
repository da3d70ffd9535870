//! What the integration tests share: a test application served over real HTTP on 127.0.0.1,
//! a client, and a capture of `tracing` events.
// Each test file uses its own part.
#![allow(dead_code, unreachable_pub, unused_imports)]

use std::{
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::Router;
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};
use sealed_session::{Key, Keys, ManualClock, SessionConfig, token::Codec};
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing_subscriber::{layer::SubscriberExt, registry::LookupSpan};

pub const T0: u64 = 1_700_000_000_000;
pub const HEADER: &str = "x-session";
pub const DAY: Duration = Duration::from_secs(24 * 3600);
pub const HOUR: Duration = Duration::from_secs(3600);

// The test application's handlers take the `Session` extractor (feature `axum`).
#[cfg(feature = "axum")]
mod app;
#[cfg(feature = "redis")]
pub mod private_redis;
#[cfg(feature = "axum")]
pub use app::{app, routes};

/// A key made from one repeated byte, so tests can name keys.
pub fn key(byte: u8) -> Key {
    Key::from_bytes([byte; 32])
}

pub fn keys(bytes: &[u8]) -> Keys {
    Keys::new(bytes.iter().map(|b| key(*b)).collect()).unwrap()
}

/// A configuration with keys `bytes` and a manual clock at [`T0`].
pub fn config(bytes: &[u8], clock: &ManualClock) -> SessionConfig {
    SessionConfig::new(keys(bytes)).with_clock(clock.clone())
}

/// Serves `app` (a `Router`, or any service of axum requests, such as a `SessionService`
/// around one) on 127.0.0.1 on a free port; returns its base URL.
pub async fn serve<S>(app: S) -> String
where
    S: tower::Service<
            axum::extract::Request,
            Response = axum::response::Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + 'static,
    S::Future: Send,
{
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::ServiceExt::<axum::extract::Request>::into_make_service(app);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

/// An HTTP client whose every request is bounded, so a hung server fails a test instead of
/// stalling the run.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap()
}

/// A running test application and a client for it.
pub struct Site {
    pub base: String,
    pub clock: ManualClock,
    pub client: reqwest::Client,
}

/// What one request got back.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// The session header: `None` if absent, `Some("")` if cleared.
    pub token: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap()
    }

    /// The token, which must be there and non-empty.
    pub fn new_token(&self) -> String {
        let token = self.token.clone().expect("expected a session header");
        assert!(!token.is_empty(), "expected a token, got an empty header");
        token
    }
}

impl Site {
    pub fn at(base: String, clock: ManualClock) -> Self {
        Self {
            base,
            clock,
            client: client(),
        }
    }

    /// Sends `method path` with `token` in the session header, if any.
    pub async fn send(&self, method: &str, path: &str, token: Option<&str>) -> Reply {
        self.send_json(method, path, None, token).await
    }

    /// Sends `method path` with an optional raw JSON body and `token` in the session header.
    pub async fn send_json(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        token: Option<&str>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.to_owned());
        }
        if let Some(token) = token {
            req = req.header(HEADER, token);
        }
        let res = req.send().await.unwrap();
        let status = res.status().as_u16();
        let token = res
            .headers()
            .get(HEADER)
            .map(|v| v.to_str().unwrap().to_owned());
        Reply {
            status,
            token,
            body: res.text().await.unwrap(),
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Reply {
        self.send("GET", path, token).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>) -> Reply {
        self.send("POST", path, token).await
    }
}

/// Opens `token` with keys `bytes` (empty context, no absolute lifetime) at [`T0`]-independent
/// time 0, to look inside.
pub fn inspect(bytes: &[u8], token: &str) -> sealed_session::token::Opened {
    Codec::new(keys(bytes))
        .with_absolute_lifetime(None)
        .with_clock_skew(Duration::MAX)
        .open(token.as_bytes(), 0)
        .unwrap()
}

/// Every `tracing` event of this crate recorded on this thread while the guard lives, as `level message
/// field=value ...` lines. Tests run their server on their own current-thread runtime, so the
/// events of the server they started land here and nowhere else.
#[derive(Clone, Default)]
pub struct Events {
    lines: Arc<Mutex<Vec<String>>>,
    /// Also the events of other targets (an example's own), not only this crate's.
    all_targets: bool,
}

impl Events {
    pub fn capture() -> (Self, tracing::subscriber::DefaultGuard) {
        Self::start(Self::default())
    }

    /// The same, for the events of every target: the examples' own included.
    pub fn capture_all() -> (Self, tracing::subscriber::DefaultGuard) {
        Self::start(Self {
            all_targets: true,
            ..Self::default()
        })
    }

    fn start(events: Self) -> (Self, tracing::subscriber::DefaultGuard) {
        let subscriber = tracing_subscriber::registry().with(events.clone());
        let guard = tracing::subscriber::set_default(subscriber);
        (events, guard)
    }

    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.lines.lock().unwrap())
    }
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        write!(self.0, " {}={:?}", field.name(), value).unwrap();
    }
}

impl<S: tracing::Subscriber + for<'a> LookupSpan<'a>> tracing_subscriber::Layer<S> for Events {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if !self.all_targets && !event.metadata().target().starts_with("sealed_session") {
            return;
        }
        let mut line = Line(event.metadata().level().to_string());
        event.record(&mut line);
        self.lines.lock().unwrap().push(line.0);
    }
}

/// Seals `plaintext` exactly as the format says for version 1, with RustCrypto's
/// XChaCha20-Poly1305 (an implementation independent of the crate's):
/// `base64url(1 | kid | nonce | ciphertext | tag)` with the additional data `1 | kid | context`.
pub fn seal_by_hand(key: [u8; 32], nonce: [u8; 24], context: &[u8], plaintext: &[u8]) -> String {
    let kid = Key::from_bytes(key).id().0;
    seal_head_by_hand(&[&[1u8][..], &kid].concat(), key, nonce, context, plaintext)
}

/// The same for version 2: `base64url(2 | kid | line | generation | nonce | ciphertext | tag)`
/// with the additional data `2 | kid | line | generation | context`.
pub fn seal_v2_by_hand(
    key: [u8; 32],
    line: [u8; 4],
    generation: u32,
    nonce: [u8; 24],
    context: &[u8],
    plaintext: &[u8],
) -> String {
    let kid = Key::from_bytes(key).id().0;
    let head = [&[2u8][..], &kid, &line, &generation.to_be_bytes()].concat();
    seal_head_by_hand(&head, key, nonce, context, plaintext)
}

/// `base64url(head | nonce | ciphertext | tag)`, the additional data `head | context`.
fn seal_head_by_hand(
    head: &[u8],
    key: [u8; 32],
    nonce: [u8; 24],
    context: &[u8],
    plaintext: &[u8],
) -> String {
    let aad = [head, context].concat();
    let sealed = XChaCha20Poly1305::new(&key.into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .unwrap();
    URL_SAFE_NO_PAD.encode([head, &nonce, &sealed].concat())
}

/// The plaintext of a token: the three times, the session id, then the JSON data.
pub fn plaintext(times: [u64; 3], sid: [u8; 16], data: &[u8]) -> Vec<u8> {
    let mut plain: Vec<u8> = times.iter().flat_map(|t| t.to_be_bytes()).collect();
    plain.extend_from_slice(&sid);
    plain.extend_from_slice(data);
    plain
}

/// One request through `layer` in front of a handler that gets the session and answers an
/// empty 200, in process (no HTTP).
pub async fn call_layer<F>(
    layer: &sealed_session::SessionLayer,
    token: Option<&str>,
    handler: F,
) -> http::Response<String>
where
    F: FnOnce(sealed_session::Session) + Clone + Send + 'static,
{
    use tower::{Layer as _, ServiceExt as _};
    let service = layer.layer(tower::service_fn(move |req: http::Request<()>| {
        let handler = handler.clone();
        async move {
            let session = req.extensions().get::<sealed_session::Session>().cloned();
            handler(session.expect("the layer puts a session in the extensions"));
            Ok::<_, std::convert::Infallible>(http::Response::new(String::new()))
        }
    }));
    let mut req = http::Request::new(());
    if let Some(token) = token {
        req.headers_mut()
            .insert(HEADER, http::HeaderValue::from_str(token).unwrap());
    }
    service.oneshot(req).await.unwrap()
}

/// A loopback port where nothing listens (bound, then released).
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}
