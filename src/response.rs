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
    metrics::{self, ClearCause},
    revocation::WhenUnreachable,
    session::{Failure, Revocation, Session, TokenUpdate},
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
    let finished = session.finish(
        settings.reissue,
        handler_failed,
        before_seal,
        |envelope, data, with| {
            settings
                .codec
                .seal_keeping(envelope, data, with.now_ms, with.opened_with)
        },
    );
    let revocation = session.revocation();
    if revocation.is_some() && settings.hooks.revocation.is_none() {
        tracing::warn!(
            "Session::revoke without a revocation list: the client drops its token, \
             but a copy stays valid until it expires"
        );
    }
    match finished {
        Ok(update) => {
            let counts = &settings.metrics;
            match &update {
                TokenUpdate::Keep => {}
                TokenUpdate::Withheld => counts.withheld(),
                TokenUpdate::Clear if revocation.is_some() => counts.cleared(ClearCause::Revoke),
                TokenUpdate::Clear => counts.cleared(ClearCause::Destroy),
                TokenUpdate::Token { token, cause, .. } => counts.issued(*cause, token.len()),
            }
            settings
                .carriers
                .write(carrier, response.headers_mut(), update);
        }
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
            metrics::seal_failed();
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

/// The `503` of [`WhenUnreachable::Unavailable`]: empty,
/// with `Retry-After`, and no session header, so the client keeps its token.
pub(crate) fn unavailable<B: Default>() -> Response<B> {
    let mut response = Response::new(B::default());
    *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    response.headers_mut().insert(
        http::header::RETRY_AFTER,
        http::HeaderValue::from(WhenUnreachable::RETRY_AFTER_SECS),
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

    /// Settings whose codec caps tokens at 200 characters, and a session whose own cap (4096)
    /// let a 1000-character value in: it passes `insert` and cannot be sealed.
    fn unsealable() -> (Settings, Session) {
        let settings = SessionConfig::new(Keys::single(Key::generate()))
            .with_max_len(200)
            .with_clock(ManualClock::new(1))
            .validate()
            .unwrap();
        let session = Session::fresh(crate::session::RequestTerms {
            cap: 4096,
            ..settings.limits(Carrier::Header, 1)
        });
        session.insert("k", "x".repeat(1000)).unwrap();
        (settings, session)
    }

    #[test]
    fn a_session_that_cannot_be_sealed_becomes_a_500_without_a_token() {
        // Exercise: the session's own cap is larger than the codec's, so the handler's insert
        // passes but the seal at response time cannot fit.
        // Expectation: a 500 with an empty body, and no session header.
        let (settings, session) = unsealable();
        let mut response = Response::new("handler body".to_owned());
        assert_eq!(
            respond(&session, Carrier::Header, &settings, &mut response),
            None
        );
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.body(), "");
        assert!(response.headers().is_empty());
    }

    /// With the feature: the seal failure is counted, through the facade's thread-local
    /// recorder (one that only counts, so that no exporter is a dependency of the crate).
    #[cfg(feature = "metrics")]
    #[test]
    fn a_seal_failure_is_counted() {
        use std::sync::{
            Arc, Mutex,
            atomic::{AtomicU64, Ordering},
        };

        use ::metrics::{
            Counter, Gauge, Histogram, Key as Name, KeyName, Metadata, SharedString, Unit,
        };

        #[derive(Default)]
        struct Counting(Mutex<Vec<(String, Arc<AtomicU64>)>>);
        impl ::metrics::Recorder for Counting {
            fn describe_counter(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
            fn describe_gauge(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
            fn describe_histogram(&self, _: KeyName, _: Option<Unit>, _: SharedString) {}
            fn register_counter(&self, key: &Name, _: &Metadata<'_>) -> Counter {
                let count = Arc::new(AtomicU64::new(0));
                let name = key.name().to_owned();
                self.0.lock().unwrap().push((name, Arc::clone(&count)));
                Counter::from_arc(count)
            }
            fn register_gauge(&self, _: &Name, _: &Metadata<'_>) -> Gauge {
                Gauge::noop()
            }
            fn register_histogram(&self, _: &Name, _: &Metadata<'_>) -> Histogram {
                Histogram::noop()
            }
        }

        let recorder = Counting::default();
        ::metrics::with_local_recorder(&recorder, || {
            let (settings, session) = unsealable();
            let mut response = Response::new(String::new());
            respond(&session, Carrier::Header, &settings, &mut response);
            assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        });
        let counted = recorder.0.lock().unwrap();
        let count = |name: &str| -> u64 {
            counted
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, c)| c.load(Ordering::Relaxed))
                .sum()
        };
        assert_eq!(count(crate::metrics::names::SEAL_FAILURES), 1);
        assert_eq!(count(crate::metrics::names::TOKENS_ISSUED), 0);
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
