//! What the revocation list costs: one request with a session through the layer, without a
//! list, with a list that answers at once (the cost of the checking path itself), and with
//! [`RedisRevocationList`] on the Redis at `REDIS_URL` (one `EXISTS` round trip).
//!
//! ```sh
//! REDIS_URL=redis://127.0.0.1:6379/ cargo bench -p sealed-session-benches --features redis --bench revocation
//! ```

use std::time::Duration;

use axum::{Router, body::Body, routing::get};
use criterion::Criterion;
use http::Request;
use sealed_session::{
    BoxError, Key, Keys, RevocationList, Session, SessionConfig, SessionLayer, WhenUnreachable,
    revocation::{BoxFuture, RedisRevocationList},
    token::SessionId,
};
use tower::ServiceExt as _;

/// A list that never revoked anything and answers at once.
struct NothingRevoked;

impl RevocationList for NothingRevoked {
    fn is_revoked(&self, _: SessionId) -> BoxFuture<'_, Result<bool, BoxError>> {
        Box::pin(async { Ok(false) })
    }

    fn revoke(&self, _: SessionId, _: Duration) -> BoxFuture<'_, Result<(), BoxError>> {
        Box::pin(async { Ok(()) })
    }
}

/// `/login` stores a user id; `/read` reads it and changes nothing (no new token).
fn app(config: SessionConfig) -> Router {
    Router::new()
        .route(
            "/login",
            get(|s: Session| async move {
                s.insert("user_id", 42_u64).unwrap();
            }),
        )
        .route(
            "/read",
            get(|s: Session| async move { s.get::<u64>("user_id").unwrap().unwrap_or(0).to_string() }),
        )
        .layer(SessionLayer::new(config).unwrap())
}

fn request(path: &str, token: Option<&str>) -> Request<Body> {
    let mut req = Request::get(path);
    if let Some(token) = token {
        req = req.header("x-session", token);
    }
    req.body(Body::empty()).unwrap()
}

fn one_request(c: &mut Criterion) {
    let url = std::env::var("REDIS_URL").expect("checked in main");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let keys = Keys::single(Key::from_bytes([7; 32]));
    let redis = rt.block_on(RedisRevocationList::connect(&url)).unwrap();

    let apps = [
        ("layer, no list", app(SessionConfig::new(keys.clone()))),
        (
            "layer + list answering at once",
            app(SessionConfig::new(keys.clone())
                .with_revocation_list(NothingRevoked, WhenUnreachable::Refuse)),
        ),
        (
            "layer + RedisRevocationList",
            app(SessionConfig::new(keys).with_revocation_list(redis, WhenUnreachable::Refuse)),
        ),
    ];
    let token = rt.block_on(async {
        let res = apps[0]
            .1
            .clone()
            .oneshot(request("/login", None))
            .await
            .unwrap();
        res.headers()["x-session"].to_str().unwrap().to_owned()
    });

    let mut group = c.benchmark_group("one request with a session");
    for (name, app) in &apps {
        // Every variant opens the token and answers 42; the Redis one asks Redis first.
        let res = rt.block_on(app.clone().oneshot(request("/read", Some(&token))));
        assert_eq!(res.unwrap().status(), 200);
        group.bench_function(*name, |b| {
            b.to_async(&rt).iter(|| async {
                let res = app
                    .clone()
                    .oneshot(request("/read", Some(&token)))
                    .await
                    .unwrap();
                assert!(!res.headers().contains_key("x-session"));
                res
            });
        });
    }
    group.finish();
}

fn main() {
    if std::env::var_os("REDIS_URL").is_none() {
        eprintln!(
            "REDIS_URL is not set: this benchmark needs a running redis-server, e.g. \
             REDIS_URL=redis://127.0.0.1:6379/ cargo bench -p sealed-session-benches --features redis --bench revocation"
        );
        return;
    }
    let mut c = Criterion::default().configure_from_args();
    one_request(&mut c);
    c.final_summary();
}
