//! The response future of [`SessionService`](crate::SessionService): waits for the handler,
//! then writes the session's outcome into the response.

use std::{
    fmt,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
};

use http::{Response, StatusCode};
use pin_project_lite::pin_project;

use crate::{
    carrier::{Carrier, Write},
    config::Settings,
    hooks::run_before_seal,
    session::{Failure, Outcome, Session},
};

pin_project! {
    /// The response future of [`SessionService`](crate::SessionService).
    pub struct ResponseFuture<F: Future> {
        #[pin]
        kind: Kind<F>,
    }
}

pin_project! {
    #[project = KindProj]
    enum Kind<F: Future> {
        /// No asynchronous hook: the handler's future, then the outcome, with no allocation.
        Direct {
            #[pin]
            future: F,
            session: Option<(Session, Carrier, Arc<Settings>)>,
        },
        /// The revocation list or the `validate` hook runs around the handler.
        Boxed {
            future: Pin<Box<dyn Future<Output = F::Output> + Send>>,
        },
    }
}

impl<F: Future> ResponseFuture<F> {
    pub(crate) fn direct(
        future: F,
        session: Session,
        carrier: Carrier,
        settings: Arc<Settings>,
    ) -> Self {
        Self {
            kind: Kind::Direct {
                future,
                session: Some((session, carrier, settings)),
            },
        }
    }

    pub(crate) fn boxed(future: Pin<Box<dyn Future<Output = F::Output> + Send>>) -> Self {
        Self {
            kind: Kind::Boxed { future },
        }
    }
}

impl<F: Future> fmt::Debug for ResponseFuture<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            Kind::Direct { .. } => "direct",
            Kind::Boxed { .. } => "boxed",
        };
        f.debug_struct("ResponseFuture")
            .field("kind", &kind)
            .finish()
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Direct { future, session } => {
                let mut response = ready!(future.poll(cx))?;
                if let Some((session, carrier, settings)) = session.take() {
                    write_outcome(&session, carrier, &settings, &mut response);
                }
                Poll::Ready(Ok(response))
            }
            KindProj::Boxed { future } => future.as_mut().poll(cx),
        }
    }
}

/// Sets, clears or leaves the client's token on `carrier`. A session that cannot be sealed, or
/// whose `before_seal` hook fails, turns the response into a `500`: nothing is dropped silently.
pub(crate) fn write_outcome<B: Default>(
    session: &Session,
    carrier: Carrier,
    settings: &Settings,
    response: &mut Response<B>,
) {
    let before_seal = |session: &Session| match &settings.hooks.before_seal {
        Some(hook) => run_before_seal(hook, session),
        None => Ok(()),
    };
    let outcome = session.finish(settings.reissue, before_seal, |envelope, data| {
        settings.codec.seal(envelope, data)
    });
    let write = match outcome {
        Ok(Outcome::Keep) => return,
        Ok(Outcome::Clear) => {
            if settings.hooks.revocation.is_none() && session.revocation().is_some() {
                tracing::warn!(
                    "Session::revoke without a revocation list: the client drops its token, \
                     but a copy stays valid until it expires"
                );
            }
            Write::Clear
        }
        Ok(Outcome::Token { token, lifetime_ms }) => Write::Token { token, lifetime_ms },
        Err(Failure::Hook(failure)) => {
            failure.log();
            *response = server_error();
            return;
        }
        Err(Failure::Seal(error)) => {
            tracing::error!(%error, "session could not be sealed; answering 500");
            *response = server_error();
            return;
        }
    };
    settings
        .carriers
        .write(carrier, response.headers_mut(), write);
}

/// An empty `500`: no detail of what failed reaches the client.
pub(crate) fn server_error<B: Default>() -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Key, Keys, ManualClock, SessionConfig};

    #[test]
    fn a_session_that_cannot_be_sealed_becomes_a_500_without_a_token() {
        // Exercise: the session's own cap is larger than the codec's, so the handler's insert
        // passes but the seal at response time cannot fit.
        // Expectation: a 500 with an empty body, and no session header.
        let settings = SessionConfig::new(Keys::single(Key::generate()))
            .with_max_len(200)
            .with_clock(ManualClock::new(1))
            .validate()
            .unwrap();
        let session = Session::fresh(crate::session::Limits {
            cap: 4096,
            ..settings.limits(Carrier::Header, 1)
        });
        session.insert("k", "x".repeat(1000)).unwrap();
        let mut response = Response::new("handler body".to_owned());
        write_outcome(&session, Carrier::Header, &settings, &mut response);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.body(), "");
        assert!(response.headers().is_empty());
    }

    #[test]
    fn the_token_header_is_marked_sensitive() {
        let settings = SessionConfig::new(Keys::single(Key::generate()))
            .validate()
            .unwrap();
        let session = Session::fresh(settings.limits(Carrier::Header, 1));
        session.insert("k", 1).unwrap();
        let mut response = Response::new(String::new());
        write_outcome(&session, Carrier::Header, &settings, &mut response);
        assert!(response.headers()["x-session"].is_sensitive());
    }
}
