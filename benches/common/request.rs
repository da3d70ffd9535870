//! The per-request contestants: one axum app per variant, a prepared request, and the same view
//! counter (read `views["/foo"]`, add one and store it back in the "change" variants). Beside
//! the bare handler, references: what any route layer costs, what a layer handing over one
//! value costs, and the request floor.

use std::sync::{Arc, Mutex};

use axum::{Router, body::Body, response::IntoResponse, routing::get};
use axum_extra::extract::cookie::{Cookie, Key as JarKey, PrivateCookieJar};
use http::{
    HeaderMap, HeaderName, HeaderValue, Request, Response, StatusCode,
    header::{COOKIE, SET_COOKIE},
};
use sealed_session::{Session, SessionConfig, SessionLayer, SessionService};
use serde::Deserialize as _;
use serde_json::{Map, Value};
use tower::{Layer as _, Service, ServiceExt};
use tower_sessions::{MemoryStore, SessionManagerLayer};

use super::{
    PAYLOAD, Views,
    floor::{self, Opened},
    payload,
};

/// One per-request benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    /// A handler that uses no session, behind no session layer.
    Bare,
    /// The bare handler behind a route layer that does nothing: what axum's `Router::layer`
    /// costs any layer (the route boxed, cloned and its future boxed per request).
    LayerNoop,
    /// A handler that extracts one `Arc` a route layer put in the request's extensions (axum's
    /// `Extension`): the least a layer-based session costs, before any session work.
    LayerExtension,
    /// The floor (`floor.rs`): the token opened and its JSON checked in the handler, no layer,
    /// the `views` value read as `ours_read` reads it.
    FloorRead,
    /// The floor, counter incremented: opened, the JSON written back, sealed again.
    FloorChange,
    /// The floor, no token: the counter set in a new object, sealed.
    FloorNew,
    /// Ours, an existing session, read only: opens, no re-seal.
    OursRead,
    /// Ours, an existing session, counter incremented: opens and re-seals.
    OursChange,
    /// Ours, no token: a new session, counter set, sealed.
    OursNew,
    /// `ours_read` with the layer around the whole `Router` (`SessionLayer::layer(router)`)
    /// instead of `Router::layer`: what axum's per-route layering costs us.
    OursReadService,
    /// `ours_change`, the layer around the whole `Router`.
    OursChangeService,
    /// `ours_new`, the layer around the whole `Router`.
    OursNewService,
    /// tower-sessions + MemoryStore, existing session, read only.
    TowerSessionsRead,
    /// tower-sessions + MemoryStore, existing session, counter incremented.
    TowerSessionsChange,
    /// axum-extra `PrivateCookieJar`, existing session cookie, read only.
    PrivateJarRead,
    /// axum-extra `PrivateCookieJar`, existing session cookie, counter incremented.
    PrivateJarChange,
}

impl Variant {
    pub const ALL: [Variant; 16] = [
        Variant::Bare,
        Variant::LayerNoop,
        Variant::LayerExtension,
        Variant::FloorRead,
        Variant::FloorChange,
        Variant::FloorNew,
        Variant::OursRead,
        Variant::OursChange,
        Variant::OursNew,
        Variant::OursReadService,
        Variant::OursChangeService,
        Variant::OursNewService,
        Variant::TowerSessionsRead,
        Variant::TowerSessionsChange,
        Variant::PrivateJarRead,
        Variant::PrivateJarChange,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Bare => "bare_handler",
            Variant::LayerNoop => "layer_noop",
            Variant::LayerExtension => "layer_extension",
            Variant::FloorRead => "floor_read",
            Variant::FloorChange => "floor_change",
            Variant::FloorNew => "floor_new",
            Variant::OursRead => "ours_read",
            Variant::OursChange => "ours_change",
            Variant::OursNew => "ours_new",
            Variant::OursReadService => "ours_read_service",
            Variant::OursChangeService => "ours_change_service",
            Variant::OursNewService => "ours_new_service",
            Variant::TowerSessionsRead => "tower_sessions_read",
            Variant::TowerSessionsChange => "tower_sessions_change",
            Variant::PrivateJarRead => "private_jar_read",
            Variant::PrivateJarChange => "private_jar_change",
        }
    }
}

/// An app (an axum `Router`, unless a variant wraps it) and the one request it is sent, again
/// and again.
pub struct Prepared<S = Router> {
    app: S,
    header: Option<(HeaderName, HeaderValue)>,
}

impl<S> Prepared<S>
where
    S: Service<Request<Body>, Response = Response<Body>, Error = std::convert::Infallible>,
{
    /// A new request, as a server would hand it to the app: method, URI, the session header.
    pub fn request(&self) -> Request<Body> {
        let mut builder = Request::get("/");
        if let Some((name, value)) = &self.header {
            builder = builder.header(name.clone(), value.clone());
        }
        builder.body(Body::empty()).expect("a valid request")
    }

    /// One request through the app: tower `ready` then `call`, no network.
    pub async fn call(&mut self) -> Response<Body> {
        let request = self.request();
        let app = ServiceExt::<Request<Body>>::ready(&mut self.app)
            .await
            .expect("infallible");
        app.call(request).await.expect("infallible")
    }

    /// `n` requests through the app, each response dropped.
    pub async fn repeat(&mut self, n: u64) {
        for _ in 0..n {
            std::hint::black_box(self.call().await);
        }
    }
}

/// A prepared contestant: a `Router`, or (the `ours_*_service` rows) our service around one. Matched
/// once per [`Contestant::repeat`], so no row pays for the choice per request.
pub enum Contestant {
    Router(Prepared),
    Service(Prepared<SessionService<Router>>),
}

impl Contestant {
    /// `n` requests through the contestant's app.
    pub async fn repeat(&mut self, n: u64) {
        match self {
            Contestant::Router(prepared) => prepared.repeat(n).await,
            Contestant::Service(prepared) => prepared.repeat(n).await,
        }
    }
}

/// The `ours_*_service` rows: our layer around the whole `Router`; for an existing session, the
/// session made once through its `/seed` route.
async fn prepare_service(variant: Variant) -> Prepared<SessionService<Router>> {
    let route = if variant == Variant::OursReadService {
        get(ours_read)
    } else {
        get(ours_change)
    };
    let app = ours_layer().layer(ours_routes(route));
    let header = if variant == Variant::OursNewService {
        None
    } else {
        let session_header = HeaderName::from_static(sealed_session::DEFAULT_HEADER);
        let token = seed(app.clone(), &session_header, &session_header).await;
        Some((session_header, token))
    };
    Prepared { app, header }
}

/// Builds the app of `variant` (a `Router`, or for the `ours_*_service` rows our service around
/// one) and, for the existing-session variants, makes the session once through the app's own
/// `/seed` route (the reference payload), keeping what the client sends back.
pub async fn contestant(variant: Variant) -> Contestant {
    let session_header = HeaderName::from_static(sealed_session::DEFAULT_HEADER);
    Contestant::Router(match variant {
        Variant::Bare => {
            // The same request as `ours_read` (the token is there, unread), so only the layer differs.
            let token = seed(ours_app(get(ours_read)), &session_header, &session_header).await;
            Prepared {
                app: Router::new().route("/", get(bare)),
                header: Some((session_header, token)),
            }
        }
        Variant::LayerNoop | Variant::LayerExtension => {
            // The same request as `bare_handler`.
            let token = seed(ours_app(get(ours_read)), &session_header, &session_header).await;
            let app = if variant == Variant::LayerNoop {
                Router::new()
                    .route("/", get(bare))
                    .layer(tower::layer::util::Identity::new())
            } else {
                Router::new()
                    .route("/", get(extension))
                    .layer(axum::Extension(Arc::new(Mutex::new(Views::new()))))
            };
            Prepared {
                app,
                header: Some((session_header, token)),
            }
        }
        Variant::FloorNew => Prepared {
            app: Router::new().route("/", get(floor_new)),
            header: None,
        },
        Variant::FloorRead | Variant::FloorChange => {
            let route = if variant == Variant::FloorRead {
                get(floor_read)
            } else {
                get(floor_change)
            };
            let app = Router::new().route("/", route).route(
                "/seed",
                get(|| async { floor::with_token(floor::seed(), String::new()) }),
            );
            let token = seed(app.clone(), &session_header, &session_header).await;
            Prepared {
                app,
                header: Some((session_header, token)),
            }
        }
        Variant::OursReadService | Variant::OursChangeService | Variant::OursNewService => {
            return Contestant::Service(prepare_service(variant).await);
        }
        Variant::OursRead | Variant::OursChange | Variant::OursNew => {
            let app = if variant == Variant::OursRead {
                ours_app(get(ours_read))
            } else {
                ours_app(get(ours_change))
            };
            let header = if variant == Variant::OursNew {
                None
            } else {
                let token = seed(app.clone(), &session_header, &session_header).await;
                Some((session_header, token))
            };
            Prepared { app, header }
        }
        Variant::TowerSessionsRead | Variant::TowerSessionsChange => {
            let route = if variant == Variant::TowerSessionsRead {
                get(ts_read)
            } else {
                get(ts_change)
            };
            let app = tower_sessions_app(route);
            let cookie = seed(app.clone(), &SET_COOKIE, &COOKIE).await;
            Prepared {
                app,
                header: Some((COOKIE, cookie)),
            }
        }
        Variant::PrivateJarRead | Variant::PrivateJarChange => {
            let route = if variant == Variant::PrivateJarRead {
                get(jar_read)
            } else {
                get(jar_change)
            };
            let app = private_jar_app(route);
            let cookie = seed(app.clone(), &SET_COOKIE, &COOKIE).await;
            Prepared {
                app,
                header: Some((COOKIE, cookie)),
            }
        }
    })
}

/// Our layer with every default.
fn ours_layer() -> SessionLayer {
    SessionLayer::new(SessionConfig::new(super::our_keys())).expect("a valid config")
}

/// Our layer with every default, over `/` and `/seed`.
pub fn ours_app(route: axum::routing::MethodRouter) -> Router {
    ours_routes(route).layer(ours_layer())
}

/// `route` at `/`, and `/seed`.
fn ours_routes(route: axum::routing::MethodRouter) -> Router {
    Router::new()
        .route("/", route)
        .route("/seed", get(ours_seed))
}

/// tower-sessions 0.14 with its MemoryStore, over `/` and `/seed`.
pub fn tower_sessions_app(route: axum::routing::MethodRouter) -> Router {
    Router::new()
        .route("/", route)
        .route("/seed", get(ts_seed))
        .layer(SessionManagerLayer::new(MemoryStore::default()).with_secure(false))
}

/// axum-extra's `PrivateCookieJar`, over `/` and `/seed`.
pub fn private_jar_app(route: axum::routing::MethodRouter<JarKey>) -> Router {
    Router::new()
        .route("/", route)
        .route("/seed", get(jar_seed))
        .with_state(JarKey::generate())
}

/// Sends `/seed` and returns the value of the request's `to` header that carries the session.
async fn seed<S>(app: S, from: &HeaderName, to: &HeaderName) -> HeaderValue
where
    S: Service<Request<Body>, Response = Response<Body>, Error = std::convert::Infallible>,
{
    let request = Request::get("/seed")
        .body(Body::empty())
        .expect("a valid request");
    carried(&app.oneshot(request).await.expect("infallible"), from, to)
}

/// What a client sends back in its `to` header after `response` set the session in its `from`
/// header (for a cookie: the `name=value` part).
pub fn carried(response: &Response<Body>, from: &HeaderName, to: &HeaderName) -> HeaderValue {
    let value = response
        .headers()
        .get(from)
        .expect("the response sets the session")
        .to_str()
        .expect("ASCII");
    let value = if to == COOKIE {
        value.split(';').next().expect("a name=value part")
    } else {
        value
    };
    HeaderValue::from_str(value).expect("a valid header value")
}

fn count(views: &Views) -> String {
    views.get("/foo").copied().unwrap_or(0).to_string()
}

fn bump(views: &mut Views) -> String {
    *views.entry("/foo".to_owned()).or_default() += 1;
    count(views)
}

async fn bare() -> String {
    count(&Views::new())
}

/// The handler of `layer_extension`: takes the shared value as a session handle would be taken,
/// and counts nothing from it (the bare handler's work).
async fn extension(axum::Extension(shared): axum::Extension<Arc<Mutex<Views>>>) -> String {
    drop(shared.lock().expect("not poisoned"));
    count(&Views::new())
}

// The floor.

async fn floor_read(headers: HeaderMap) -> Response<Body> {
    let Some(opened) = Opened::from_headers(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    count(&floor::views(&opened.object())).into_response()
}

async fn floor_change(headers: HeaderMap) -> Response<Body> {
    let Some(opened) = Opened::from_headers(&headers) else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let object = opened.object();
    let mut views = floor::views(&object);
    let body = bump(&mut views);
    floor::with_token(floor::with_views(&opened, &object, &views), body)
}

async fn floor_new(headers: HeaderMap) -> Response<Body> {
    // A token would be opened; there is none, so the session is new.
    if Opened::from_headers(&headers).is_some() {
        return StatusCode::BAD_REQUEST.into_response();
    }
    let mut views = Views::new();
    let body = bump(&mut views);
    // The new object written straight into one buffer.
    let mut json = Vec::with_capacity(32);
    json.extend_from_slice(br#"{"views":"#);
    serde_json::to_writer(&mut json, &views).expect("a map");
    json.push(b'}');
    floor::with_token(floor::fresh(&json), body)
}

// Ours.

async fn ours_seed(session: Session) {
    for (key, value) in payload() {
        session.insert(&key, value).expect("fits");
    }
}

pub async fn ours_read(session: Session) -> String {
    let views: Views = session.get("views").expect("views").unwrap_or_default();
    count(&views)
}

async fn ours_change(session: Session) -> String {
    let mut views: Views = session.get("views").expect("views").unwrap_or_default();
    let body = bump(&mut views);
    session.insert("views", views).expect("fits");
    body
}

// tower-sessions.

async fn ts_seed(session: tower_sessions::Session) {
    for (key, value) in payload() {
        session.insert(&key, value).await.expect("stored");
    }
}

pub async fn ts_read(session: tower_sessions::Session) -> String {
    let views: Views = session
        .get("views")
        .await
        .expect("views")
        .unwrap_or_default();
    count(&views)
}

async fn ts_change(session: tower_sessions::Session) -> String {
    let mut views: Views = session
        .get("views")
        .await
        .expect("views")
        .unwrap_or_default();
    let body = bump(&mut views);
    session.insert("views", views).await.expect("stored");
    body
}

// axum-extra PrivateCookieJar: the session is the JSON map in one private cookie.

fn jar_data(jar: &PrivateCookieJar) -> Map<String, Value> {
    jar.get("session")
        .and_then(|cookie| serde_json::from_str(cookie.value()).ok())
        .unwrap_or_default()
}

fn jar_views(data: &Map<String, Value>) -> Views {
    data.get("views")
        .map(|v| Views::deserialize(v).expect("views"))
        .unwrap_or_default()
}

async fn jar_seed(jar: PrivateCookieJar) -> PrivateCookieJar {
    jar.add(Cookie::new("session", PAYLOAD))
}

async fn jar_read(jar: PrivateCookieJar) -> String {
    count(&jar_views(&jar_data(&jar)))
}

async fn jar_change(jar: PrivateCookieJar) -> (PrivateCookieJar, String) {
    let mut data = jar_data(&jar);
    let mut views = jar_views(&data);
    let body = bump(&mut views);
    data.insert(
        "views".to_owned(),
        serde_json::to_value(views).expect("a map"),
    );
    let value = serde_json::to_string(&data).expect("serializes");
    (jar.add(Cookie::new("session", value)), body)
}
