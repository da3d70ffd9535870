//! The axum extractor for [`Session`].

use std::{convert::Infallible, fmt};

use axum_core::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    response::{IntoResponse, Response},
};
use http::{StatusCode, request::Parts};

use crate::{error::SessionError, session::Session};

/// The rejection of the [`Session`] extractor when no [`SessionLayer`](crate::SessionLayer)
/// runs in front of the handler: a `500` whose body says how to fix it.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct MissingSessionLayer;

impl MissingSessionLayer {
    // A route added after `Router::layer` is not wrapped by it: the most common way to get here
    // with the layer in place, so the fix names the order too.
    const BODY: &'static str = "Session extractor used without `SessionLayer`: add \
                                `.layer(SessionLayer::new(..)?)` to the router, after the last \
                                `.route(..)` (a route added after `.layer(..)` is not wrapped \
                                by it: move the layer below it)";
}

impl fmt::Display for MissingSessionLayer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Self::BODY)
    }
}

impl std::error::Error for MissingSessionLayer {}

impl IntoResponse for MissingSessionLayer {
    fn into_response(self) -> Response {
        (StatusCode::INTERNAL_SERVER_ERROR, Self::BODY).into_response()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Session {
    type Rejection = MissingSessionLayer;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Session>()
            .cloned()
            .ok_or(MissingSessionLayer)
    }
}

/// `Option<Session>`: `None` when no [`SessionLayer`](crate::SessionLayer) runs, for handlers
/// shared by routes with and without sessions.
impl<S: Send + Sync> OptionalFromRequestParts<S> for Session {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts.extensions.get::<Session>().cloned())
    }
}

/// `?` on a [`SessionError`] in an axum handler answers `500` with a generic body; the reason
/// goes into a `tracing` error event. Neither says anything of the session's data.
///
/// ```
/// use sealed_session::{Session, SessionError};
/// async fn login(session: Session) -> Result<&'static str, SessionError> {
///     session.regenerate();
///     session.insert("user_id", 42)?;
///     Ok("logged in")
/// }
/// # let _: axum::routing::MethodRouter = axum::routing::post(login);
/// ```
impl IntoResponse for SessionError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self, "session error in a handler; answering 500");
        (StatusCode::INTERNAL_SERVER_ERROR, "session error").into_response()
    }
}
