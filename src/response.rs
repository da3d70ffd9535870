//! What a response carries: after the handler, the one place that decides what the client's
//! token becomes and writes it into the response, for the direct path and the hook path alike.
//!
//! The rules themselves (which change re-seals, when renew and rotation re-issue) are the
//! session's ([`Session::finish`]); around them this module holds the response policy:
//!
//! - after a `5xx` from the handler no token is issued (no write, renewal or re-seal: the
//!   client keeps its token) unless the handler called `Session::commit_on_error`; `destroy` and
//!   `revoke` still clear the client's token and record the revocation;
//! - a session that cannot be sealed, or whose `before_seal` hook fails, turns the response into
//!   an empty `500` (nothing is dropped silently, and no detail reaches the client);
//! - an unchanged session whose re-issue (renew, rolling, `touch`, rotation) would pass the
//!   size cap is not re-issued, with a `warn`: the client's token is still valid;
//! - `Session::revoke` without a revocation list logs a `warn`, since a copy of the token stays
//!   valid until it expires;
//! - a revocation to record is handed back to the caller, which awaits [`record`].

use http::{Response, StatusCode};

use crate::{
    carrier::Carrier,
    config::Settings,
    hooks::{record_revocation, run_before_seal},
    session::{Failure, Revocation, Session},
};

/// Decides what the response carries for `session`, answered on `carrier`, and writes it into
/// `response`. Returns the revocation the caller must [`record`], if the session was revoked
/// and a list is configured.
pub(crate) fn respond<B: Default>(
    session: &Session,
    carrier: Carrier,
    settings: &Settings,
    response: &mut Response<B>,
) -> Option<Revocation> {
    let before_seal = |session: &Session| match &settings.hooks.before_seal {
        Some(hook) => run_before_seal(hook, session),
        None => Ok(()),
    };
    let handler_failed = response.status().is_server_error();
    let answer = session.finish(
        settings.reissue,
        handler_failed,
        before_seal,
        |envelope, data| settings.codec.seal(envelope, data),
    );
    let revocation = session.revocation();
    if revocation.is_some() && settings.hooks.revocation.is_none() {
        tracing::warn!(
            "Session::revoke without a revocation list: the client drops its token, \
             but a copy stays valid until it expires"
        );
    }
    match answer {
        Ok(answer) => settings
            .carriers
            .write(carrier, response.headers_mut(), answer),
        Err(Failure::Hook(failure)) => {
            failure.log();
            *response = server_error();
        }
        Err(Failure::TooLargeToReissue { len, cap }) => {
            tracing::warn!(
                len,
                cap,
                "session not re-issued: its re-sealed token would pass the size cap; \
                 the client keeps its token until it expires or the session changes"
            );
        }
        Err(Failure::Seal(error)) => {
            tracing::error!(%error, "session could not be sealed; answering 500");
            *response = server_error();
        }
    }
    revocation.filter(|_| settings.hooks.revocation.is_some())
}

/// Records `revocation` on the configured list (a failure is logged by the list's guard).
pub(crate) async fn record(settings: &Settings, revocation: Revocation) {
    if let Some(check) = &settings.hooks.revocation {
        record_revocation(check.list.as_ref(), revocation.id, revocation.ttl).await;
    }
}

/// The `503` of [`WhenUnreachable::Unavailable`](crate::revocation::WhenUnreachable::Unavailable): empty,
/// with `Retry-After`, and no session header, so the client keeps its token.
pub(crate) fn unavailable<B: Default>() -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response.headers_mut().insert(
        http::header::RETRY_AFTER,
        http::HeaderValue::from(crate::revocation::WhenUnreachable::RETRY_AFTER_SECS),
    );
    response
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
        assert_eq!(
            respond(&session, Carrier::Header, &settings, &mut response),
            None
        );
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
        respond(&session, Carrier::Header, &settings, &mut response);
        assert!(response.headers()["x-session"].is_sensitive());
    }
}
