//! The response future of [`SessionService`](crate::SessionService): waits for the handler,
//! then writes the session's outcome into the response.

use std::{
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
    session::{Outcome, Session},
};

pin_project! {
    /// The response future of [`SessionService`](crate::SessionService).
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        future: F,
        session: Option<(Session, Carrier, Arc<Settings>)>,
    }
}

impl<F> ResponseFuture<F> {
    pub(crate) fn new(
        future: F,
        session: Session,
        carrier: Carrier,
        settings: Arc<Settings>,
    ) -> Self {
        Self {
            future,
            session: Some((session, carrier, settings)),
        }
    }
}

impl<F, B, E> Future for ResponseFuture<F>
where
    F: Future<Output = Result<Response<B>, E>>,
    B: Default,
{
    type Output = Result<Response<B>, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let mut response = ready!(this.future.poll(cx))?;
        if let Some((session, carrier, settings)) = this.session.take() {
            write_outcome(&session, carrier, &settings, &mut response);
        }
        Poll::Ready(Ok(response))
    }
}

/// Sets, clears or leaves the client's token on `carrier`; a session that cannot be sealed
/// turns the response into a `500`, so that nothing is ever dropped silently.
fn write_outcome<B: Default>(
    session: &Session,
    carrier: Carrier,
    settings: &Settings,
    response: &mut Response<B>,
) {
    let outcome = session.finish(settings.reissue, |envelope, data| {
        settings.codec.seal(envelope, data)
    });
    let write = match outcome {
        Ok(Outcome::Keep) => return,
        Ok(Outcome::Clear) => Write::Clear,
        Ok(Outcome::Token { token, lifetime_ms }) => Write::Token { token, lifetime_ms },
        Err(error) => {
            tracing::error!(%error, "session could not be sealed; answering 500");
            let mut error = Response::new(B::default());
            *error.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            *response = error;
            return;
        }
    };
    settings
        .carriers
        .write(carrier, response.headers_mut(), write);
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
            ..settings.limits(Carrier::Header)
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
        let session = Session::fresh(settings.limits(Carrier::Header));
        session.insert("k", 1).unwrap();
        let mut response = Response::new(String::new());
        write_outcome(&session, Carrier::Header, &settings, &mut response);
        assert!(response.headers()["x-session"].is_sensitive());
    }
}
