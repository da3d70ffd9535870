//! [`SessionService`]: opens the incoming token, hands the handler its session, and after the
//! handler decides what the response carries.

use std::{
    sync::Arc,
    task::{Context, Poll},
};

use http::{Request, Response};
use tower_service::Service;

use crate::{config::Settings, future::ResponseFuture, session::Session};

/// The service made by [`SessionLayer`](crate::SessionLayer).
#[derive(Debug, Clone)]
pub struct SessionService<S> {
    inner: S,
    settings: Arc<Settings>,
}

impl<S> SessionService<S> {
    pub(crate) fn new(inner: S, settings: Arc<Settings>) -> Self {
        Self { inner, settings }
    }

    /// The wrapped service.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped service, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// The wrapped service, unwrapped.
    pub fn into_inner(self) -> S {
        self.inner
    }

    /// The session for a request: from its token if that opens, else a new, empty one.
    fn session_for<B>(&self, req: &Request<B>) -> Session {
        let limits = self.settings.limits();
        let Some(value) = req.headers().get(&self.settings.header) else {
            tracing::trace!(reason = "missing", "no session token; new session");
            return Session::fresh(limits);
        };
        match self.settings.codec.open(value.as_bytes(), limits.now_ms) {
            Ok(opened) => Session::opened(opened, limits),
            Err(refusal) => {
                tracing::debug!(
                    reason = refusal.as_str(),
                    "session token refused; new session"
                );
                Session::fresh(limits)
            }
        }
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for SessionService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<ReqBody>) -> Self::Future {
        let session = self.session_for(&req);
        req.extensions_mut().insert(session.clone());
        ResponseFuture::new(self.inner.call(req), session, Arc::clone(&self.settings))
    }
}
