//! [`SessionLayer`]: a checked configuration, shared by every request, that wraps a service in a
//! [`SessionService`].

use std::sync::Arc;

use tower_layer::Layer;

use crate::{
    config::{SessionConfig, Settings},
    error::ConfigError,
    service::SessionService,
    token::Codec,
};

/// The tower layer that gives every request a [`Session`](crate::Session).
///
/// Building it checks the configuration, so a running application can never hold a bad one.
/// Cloning it is cheap.
///
#[cfg_attr(feature = "axum", doc = "```")]
#[cfg_attr(not(feature = "axum"), doc = "```ignore")]
/// use axum::{Router, routing::get};
/// use sealed_session::{Keys, Session, SessionConfig, SessionLayer};
///
/// async fn hello(session: Session) -> String {
///     let n: u64 = session.get("n").unwrap_or_default().unwrap_or(0);
///     session.insert("n", n + 1).ok();
///     format!("hello #{}", n + 1)
/// }
///
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // In production: `Keys::from_env("SESSION_KEYS")?`.
/// let keys = Keys::single(sealed_session::Key::generate());
/// let layer = SessionLayer::new(SessionConfig::new(keys))?;
/// let app: Router = Router::new().route("/", get(hello)).layer(layer);
/// # Ok(()) }
/// ```
///
/// `Router::layer` wraps each route on its own, and axum boxes and clones the wrapped route on
/// every request. Wrapping the whole `Router` once instead skips that (about 1,200 instructions
/// a request, BENCHMARKS.md's `ours_read_service`) and behaves the same:
///
#[cfg_attr(feature = "axum", doc = "```")]
#[cfg_attr(not(feature = "axum"), doc = "```ignore")]
/// # use axum::{Router, routing::get};
/// # use sealed_session::{Keys, SessionConfig, SessionLayer};
/// # async fn hello() {}
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use axum::{ServiceExt, extract::Request};
/// use tower::Layer as _;
///
/// let layer = SessionLayer::new(SessionConfig::new(Keys::from_env("SESSION_KEYS")?))?;
/// let app = layer.layer(Router::new().route("/", get(hello)));
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
/// axum::serve(listener, ServiceExt::<Request>::into_make_service(app)).await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct SessionLayer {
    settings: Arc<Settings>,
}

impl SessionLayer {
    /// Checks `config` and builds the layer.
    ///
    /// # Errors
    ///
    /// A [`ConfigError`] that says what to fix: zero max age or absolute lifetime, a bad
    /// header name, or a size cap too small for an empty session.
    pub fn new(config: SessionConfig) -> Result<Self, ConfigError> {
        Ok(Self {
            settings: Arc::new(config.validate()?),
        })
    }

    /// The codec the layer seals and opens with, for use outside HTTP (e.g. to open a token
    /// received over a WebSocket).
    #[must_use]
    pub fn codec(&self) -> &Codec {
        &self.settings.codec
    }
}

impl<S> Layer<S> for SessionLayer {
    type Service = SessionService<S>;

    fn layer(&self, inner: S) -> Self::Service {
        SessionService::new(inner, Arc::clone(&self.settings))
    }
}
