//! The response future of [`SessionService`](crate::SessionService): mechanics only. It waits
//! for the handler, then hands the response to [`response::respond`](crate::response), which
//! decides what it carries.

use std::{
    fmt,
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
};

use http::Response;
use pin_project_lite::pin_project;

use crate::{carrier::Carrier, config::Settings, response::respond, session::Session};

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
                    let revocation = respond(&session, carrier, &settings, &mut response);
                    // Only a session opened from a token can be revoked, and with a revocation
                    // list every such session takes the boxed path, which records it.
                    debug_assert!(revocation.is_none(), "a revocation on the direct path");
                }
                Poll::Ready(Ok(response))
            }
            KindProj::Boxed { future } => future.as_mut().poll(cx),
        }
    }
}
