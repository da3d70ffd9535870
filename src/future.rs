//! The response future of [`SessionService`](crate::SessionService): waits for the handler,
//! then writes the session's outcome into the response.

use std::{
    future::Future,
    pin::Pin,
    sync::Arc,
    task::{Context, Poll, ready},
};

use http::{HeaderValue, Response, StatusCode};
use pin_project_lite::pin_project;

use crate::{
    config::Settings,
    session::{Outcome, Session},
};

pin_project! {
    /// The response future of [`SessionService`](crate::SessionService).
    #[derive(Debug)]
    pub struct ResponseFuture<F> {
        #[pin]
        future: F,
        session: Option<(Session, Arc<Settings>)>,
    }
}

impl<F> ResponseFuture<F> {
    pub(crate) fn new(future: F, session: Session, settings: Arc<Settings>) -> Self {
        Self {
            future,
            session: Some((session, settings)),
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
        if let Some((session, settings)) = this.session.take() {
            write_outcome(&session, &settings, &mut response);
        }
        Poll::Ready(Ok(response))
    }
}

/// Sets, clears or leaves the session header; a session that cannot be sealed turns the
/// response into a `500`, so that nothing is ever dropped silently.
fn write_outcome<B: Default>(session: &Session, settings: &Settings, response: &mut Response<B>) {
    let outcome = session.finish(settings.reissue, |envelope, data| {
        settings.codec.seal(envelope, data)
    });
    let value = match outcome {
        Ok(Outcome::Keep) => return,
        Ok(Outcome::Clear) => HeaderValue::from_static(""),
        // base64url is always a valid header value; the conversion keeps the string's buffer.
        Ok(Outcome::Token(token)) => match HeaderValue::try_from(token) {
            Ok(mut value) => {
                value.set_sensitive(true);
                value
            }
            Err(_) => return server_error(response, "sealed token is not a valid header value"),
        },
        Err(error) => {
            tracing::error!(%error, "session could not be sealed; answering 500");
            return server_error(response, "session could not be sealed");
        }
    };
    response
        .headers_mut()
        .insert(settings.header.clone(), value);
}

fn server_error<B: Default>(response: &mut Response<B>, why: &'static str) {
    tracing::error!(why, "session response replaced by 500");
    let mut error = Response::new(B::default());
    *error.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    *response = error;
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
            ..settings.limits()
        });
        session.insert("k", "x".repeat(1000)).unwrap();
        let mut response = Response::new("handler body".to_owned());
        write_outcome(&session, &settings, &mut response);
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.body(), "");
        assert!(response.headers().get(&settings.header).is_none());
    }

    #[test]
    fn the_token_header_is_marked_sensitive() {
        let settings = SessionConfig::new(Keys::single(Key::generate()))
            .validate()
            .unwrap();
        let session = Session::fresh(settings.limits());
        session.insert("k", 1).unwrap();
        let mut response = Response::new(String::new());
        write_outcome(&session, &settings, &mut response);
        assert!(response.headers()[&settings.header].is_sensitive());
    }
}
