//! Secrets stay secret: keys are wiped, and no `Debug`, `Display` or `tracing` event ever shows a
//! key, a token or session data.

mod common;

use std::{
    fmt::Write as _,
    sync::{Arc, Mutex},
};

use axum::{Router, http::StatusCode, routing::get};
use base64::{
    Engine as _,
    engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD},
};
use common::{DAY, HEADER, Site, T0, serve};
use sealed_session::{
    ConfigError, Key, KeyError, Keys, ManualClock, Session, SessionConfig, SessionLayer,
    token::{Codec, Data, Envelope, Line, SessionId},
};
use tower::{Layer as _, ServiceExt as _, service_fn};
use tracing::{
    Subscriber,
    field::{Field, Visit},
    span,
};
use tracing_subscriber::{
    Layer,
    layer::{Context, SubscriberExt as _},
    registry::LookupSpan,
};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// A data value and a data key that must never be printed.
const SECRET: &str = "pa55-9f8e7d6c5b4a";
const SECRET_FIELD: &str = "s3cr3t-field-91b2";

/// Distinctive key bytes, none repeated.
fn secret_key_bytes() -> [u8; 32] {
    std::array::from_fn(|i| (i as u8).wrapping_mul(73).wrapping_add(0x3d))
}

fn secret_key() -> Key {
    Key::from_bytes(secret_key_bytes())
}

/// Every way the secret key could show up in text: 8-character windows of its base64 (both
/// alphabets, with and without padding) and of its hex, and its bytes as `Debug` prints them.
fn key_fragments() -> Vec<String> {
    let bytes = secret_key_bytes();
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let mut texts = vec![
        URL_SAFE_NO_PAD.encode(bytes),
        STANDARD.encode(bytes),
        hex.clone(),
        hex.to_uppercase(),
    ];
    texts.push(
        format!("{:?}", &bytes[..4])
            .trim_end_matches(']')
            .to_owned(),
    );
    let mut fragments = Vec::new();
    for text in texts {
        let chars: Vec<char> = text.chars().collect();
        for window in chars.windows(8.min(chars.len())) {
            fragments.push(window.iter().collect());
        }
    }
    fragments
}

/// Fails if `text` holds a key fragment, the secret data, or a fragment of any `tokens`.
fn assert_clean(text: &str, what: &str, tokens: &[String]) {
    for fragment in key_fragments() {
        assert!(
            !text.contains(&fragment),
            "{what} shows key material {fragment:?}: {text}"
        );
    }
    assert!(!text.contains(SECRET), "{what} shows session data: {text}");
    assert!(
        !text.contains(SECRET_FIELD),
        "{what} shows a session key: {text}"
    );
    for token in tokens.iter().filter(|t| !t.is_empty()) {
        let chars: Vec<char> = token.chars().collect();
        for window in chars.windows(16.min(chars.len())) {
            let fragment: String = window.iter().collect();
            assert!(
                !text.contains(&fragment),
                "{what} shows part of a token: {text}"
            );
        }
    }
}

#[test]
fn keys_are_zeroized() {
    // Exercise: wipe a key through its `Zeroize` impl (the one its drop runs).
    // Expectation: its bytes are all zero afterwards; its base64 says so too.
    fn wiped_on_drop<T: ZeroizeOnDrop>() {}
    wiped_on_drop::<Key>();
    let mut key = secret_key();
    assert_ne!(key, Key::from_bytes([0; 32]));
    key.zeroize();
    assert_eq!(key, Key::from_bytes([0; 32]));
    assert_eq!(*key.to_base64(), "A".repeat(43));
    // The base64 handed out for configuration files is wiped when dropped, too.
    let _: Zeroizing<String> = secret_key().to_base64();
}

#[test]
fn debug_of_a_response_future_names_its_path_only() {
    // Exercise: call a layer without hooks and print the future it returns.
    // Expectation: it says it takes the direct path, and nothing more.
    let config = SessionConfig::new(Keys::single(secret_key())).with_clock(ManualClock::new(T0));
    let mut service =
        SessionLayer::new(config)
            .unwrap()
            .layer(service_fn(|_: http::Request<()>| async {
                Ok::<_, std::convert::Infallible>(http::Response::new(()))
            }));
    let future = tower::Service::call(&mut service, http::Request::new(()));
    assert_eq!(
        format!("{future:?}"),
        r#"ResponseFuture { kind: "direct" }"#
    );
}

#[test]
fn debug_of_keys_codecs_configs_and_layers_shows_no_key() {
    let key = secret_key();
    let id = key.id();
    assert_eq!(format!("{key:?}"), format!("Key {{ id: KeyId({id}), .. }}"));
    let keys = Keys::new(vec![secret_key(), Key::from_bytes([1; 32])]).unwrap();
    let config = SessionConfig::new(keys.clone()).with_clock(ManualClock::new(T0));
    let layer = SessionLayer::new(config.clone()).unwrap();
    let service = layer.layer(());
    let codec = Codec::new(keys.clone());
    for (what, text) in [
        ("Key", format!("{key:?}")),
        ("KeyId", format!("{id:?} {id}")),
        ("Keys", format!("{keys:?} {keys:#?}")),
        ("Codec", format!("{codec:?}")),
        ("SessionConfig", format!("{config:?} {config:#?}")),
        ("SessionLayer", format!("{layer:?}")),
        ("SessionService", format!("{service:?}")),
    ] {
        assert_clean(&text, what, &[]);
    }
}

#[test]
fn key_errors_name_the_key_not_its_bytes() {
    let b64 = secret_key().to_base64();
    let errors = [
        Keys::parse(&format!("{},{}", *b64, *b64)).unwrap_err(),
        Keys::parse(&format!("{}!", *b64)).unwrap_err(),
        Keys::parse(&b64[..40]).unwrap_err(),
        Keys::parse(&format!("{}{}", *b64, *b64)).unwrap_err(),
        Key::from_base64(&STANDARD.encode([secret_key_bytes(), [7; 32]].concat())).unwrap_err(),
    ];
    assert!(matches!(errors[0], KeyError::DuplicateKid { .. }));
    for error in errors {
        let config_error = ConfigError::from(error.clone());
        let text = format!("{error} {error:?} {config_error} {config_error:?}");
        assert_clean(&text, "KeyError", &[]);
    }
}

/// Runs `handler` on a session opened from a token that holds the secret data, and returns what
/// it printed.
async fn with_secret_session(handler: fn(&Session) -> String) -> (String, String) {
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(
        SessionConfig::new(Keys::single(secret_key()))
            .with_clock(clock)
            .with_max_len(400),
    )
    .unwrap();
    let mut data = Data::new();
    data.insert(SECRET_FIELD, SECRET).unwrap();
    let envelope = Envelope {
        created_ms: T0,
        expires_ms: T0 + 1000,
        max_age_ms: 1000,
        sid: SessionId([3; 16]),
        line: Line([3; 4]),
        generation: 1,
    };
    let token = layer.codec().seal(&envelope, &data).unwrap();
    let opened = layer.codec().open(token.as_bytes(), T0).unwrap();
    let service = layer.layer(service_fn(move |req: http::Request<()>| async move {
        let session = req.extensions().get::<Session>().cloned().unwrap();
        Ok::<_, std::convert::Infallible>(http::Response::new(handler(&session)))
    }));
    let mut req = http::Request::new(());
    req.headers_mut().insert(HEADER, token.parse().unwrap());
    let res = service.oneshot(req).await.unwrap();
    (format!("{opened:?} {opened:#?}"), res.into_body())
}

#[tokio::test]
async fn debug_of_opened_tokens_sessions_and_session_errors_shows_no_data() {
    let (opened, printed) = with_secret_session(|session| {
        assert_eq!(
            session.get::<String>(SECRET_FIELD).unwrap().unwrap(),
            SECRET
        );
        let wrong_type = session.get::<u32>(SECRET_FIELD).unwrap_err();
        let too_large = session.insert(SECRET_FIELD, SECRET.repeat(40)).unwrap_err();
        let mut not_json = std::collections::HashMap::new();
        not_json.insert(vec![SECRET], SECRET);
        let not_json = session.insert(SECRET_FIELD, not_json).unwrap_err();
        let mut text = format!("{session:?} {session:#?}");
        for error in [wrong_type, too_large, not_json] {
            write!(text, " {error} {error:?}").unwrap();
            let mut source = std::error::Error::source(&error);
            while let Some(inner) = source {
                write!(text, " {inner} {inner:?}").unwrap();
                source = inner.source();
            }
        }
        text
    })
    .await;
    assert_clean(&opened, "Opened", &[]);
    assert_clean(&printed, "Session and SessionError", &[]);
    assert!(printed.contains("Session {"), "{printed}");
}

/// Every `tracing` event and span, of every target and level, as text.
#[derive(Clone, Default)]
struct Everything(Arc<Mutex<Vec<String>>>);

struct Text(String);

impl Visit for Text {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        write!(self.0, " {}={:?}", field.name(), value).unwrap();
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Everything {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        let mut text = Text(format!("{} {}:", meta.level(), meta.target()));
        event.record(&mut text);
        self.0.lock().unwrap().push(text.0);
    }

    fn on_new_span(&self, attrs: &span::Attributes<'_>, _: &span::Id, _: Context<'_, S>) {
        let mut text = Text(format!("span {}:", attrs.metadata().name()));
        attrs.record(&mut text);
        self.0.lock().unwrap().push(text.0);
    }

    fn on_record(&self, _: &span::Id, values: &span::Record<'_>, _: Context<'_, S>) {
        let mut text = Text("span record:".to_owned());
        values.record(&mut text);
        self.0.lock().unwrap().push(text.0);
    }
}

/// A token sealed by hand with key `bytes` around `json`, valid at [`T0`].
fn seal_by_hand(bytes: [u8; 32], json: &str) -> String {
    let day = DAY.as_millis() as u64;
    let plain = common::plaintext([T0, T0 + day, day], [5; 16], json.as_bytes());
    common::seal_by_hand(bytes, [9; 24], b"", &plain)
}

fn secret_app(layer: SessionLayer) -> Router {
    Router::new()
        .route(
            "/login",
            get(|s: Session| async move {
                s.insert(SECRET_FIELD, SECRET).unwrap();
                s.cycle_id();
                "in"
            }),
        )
        .route(
            "/read",
            get(|s: Session| async move {
                let ok = s.get::<String>(SECRET_FIELD).unwrap().as_deref() == Some(SECRET);
                let wrong_type = s.get::<u32>(SECRET_FIELD).is_err();
                (StatusCode::OK, format!("{ok} {wrong_type}"))
            }),
        )
        .route(
            "/too-large",
            get(|s: Session| async move {
                s.insert("big", SECRET.repeat(1000))
                    .unwrap_err()
                    .to_string()
            }),
        )
        .route(
            "/touch",
            get(|s: Session| async move {
                s.touch();
                "touched"
            }),
        )
        .route(
            "/logout",
            get(|s: Session| async move {
                s.destroy();
                "out"
            }),
        )
        .layer(layer)
}

#[tokio::test]
async fn no_tracing_event_carries_a_token_a_key_or_session_data() {
    // Exercise: with every event and span of every target and level recorded, a run of
    // requests with valid, changed, re-sealed, destroyed and refused sessions (missing,
    // malformed, too long, unknown key, forged, expired, not a JSON object).
    // Expectation: the refusals were all reported, and no event holds a key fragment, a token
    // fragment or session data.
    let everything = Everything::default();
    let _guard =
        tracing::subscriber::set_default(tracing_subscriber::registry().with(everything.clone()));
    let clock = ManualClock::new(T0);
    let other = Key::from_bytes([0xee; 32]);
    // The secret key seals; `other` only opens, so its tokens are re-sealed.
    let keys = Keys::new(vec![secret_key(), other.clone()]).unwrap();
    let config = SessionConfig::new(keys).with_clock(clock.clone());
    let site = Site::at(
        serve(secret_app(SessionLayer::new(config).unwrap())).await,
        clock.clone(),
    );
    let mut tokens = Vec::new();

    let login = site.get("/login", None).await.new_token();
    tokens.push(login.clone());
    assert_eq!(site.get("/read", Some(&login)).await.body, "true true");
    assert_eq!(site.get("/too-large", Some(&login)).await.status, 200);
    let touched = site.get("/touch", Some(&login)).await.new_token();
    tokens.push(touched.clone());
    let by_other = seal_by_hand([0xee; 32], &format!(r#"{{"{SECRET_FIELD}":"{SECRET}"}}"#));
    let resealed = site.get("/read", Some(&by_other)).await;
    assert_eq!(resealed.body, "true true");
    tokens.push(by_other);
    tokens.push(resealed.new_token());
    let mut forged = login.clone().into_bytes();
    forged[60] = if forged[60] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let unknown = seal_by_hand([0x77; 32], &format!(r#"{{"{SECRET_FIELD}":"{SECRET}"}}"#));
    let not_object = seal_by_hand(secret_key_bytes(), &format!(r#""{SECRET}""#));
    let too_long = format!("{login}{}", "A".repeat(5000));
    for token in [
        &forged,
        &unknown,
        &not_object,
        &too_long,
        &"%%not-base64%%".to_owned(),
    ] {
        assert_eq!(site.get("/read", Some(token)).await.body, "false false");
        tokens.push(token.clone());
    }
    clock.advance(2 * DAY);
    assert_eq!(site.get("/read", Some(&touched)).await.body, "false false");
    clock.set(T0);
    assert_eq!(
        site.get("/logout", Some(&login)).await.token.as_deref(),
        Some("")
    );

    let lines = everything.0.lock().unwrap().clone();
    let all = lines.join("\n");
    for reason in [
        "missing",
        "malformed",
        "too_long",
        "unknown_key",
        "forged",
        "expired",
        "bad_data",
    ] {
        assert!(
            all.contains(&format!("reason={reason:?}")),
            "no event for {reason}:\n{all}"
        );
    }
    for line in &lines {
        assert_clean(line, "a tracing event", &tokens);
    }
}
