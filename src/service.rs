//! [`SessionService`]: opens the incoming token, hands the handler its session, and after the
//! handler decides what the response carries.

use std::{
    sync::Arc,
    task::{Context, Poll},
};

use http::{Request, Response};
use tower_service::Service;

use crate::{
    carrier::Carrier,
    config::Settings,
    error::Refusal,
    future::ResponseFuture,
    hooks::{HookFailure, Listed, check_revocation, run_validate},
    response::{record, respond, server_error, unavailable},
    revocation::WhenUnreachable,
    session::Session,
};

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

    /// The session for a request, and the carrier its response answers on: the first token
    /// that opens gives both; else a new session, answered on the carrier of the first token
    /// found (so a refused token gets replaced where the client keeps it), else on the first
    /// configured carrier.
    fn session_for<B>(&self, req: &Request<B>, now_ms: u64) -> (Session, Carrier) {
        let carriers = &self.settings.carriers;
        let mut refused_on: Option<Carrier> = None;
        for (carrier, token) in carriers.tokens(req.headers()) {
            let limits = self.settings.limits(carrier, now_ms);
            // A token that could not be re-issued on this carrier within the cap (a cookie's
            // attributes count) is refused as too long, before anything is decoded.
            let opened = if token.len() + limits.carrier_overhead > limits.cap {
                Err(Refusal::TooLong)
            } else {
                self.settings.codec.open(token, now_ms)
            };
            match opened {
                Ok(opened) => {
                    // Counted as `sealing` when opened by the key that seals now here.
                    let sealing = opened.key_index == opened.sealing_index;
                    self.settings.metrics.opened(sealing, opened.version.byte());
                    return (Session::opened(opened, limits), carrier);
                }
                Err(refusal) => {
                    log_refusal(refusal, carrier, &self.settings);
                    refused_on.get_or_insert(carrier);
                }
            }
        }
        let carrier = refused_on.unwrap_or_else(|| {
            tracing::trace!(
                reason = Refusal::Missing.as_str(),
                "no session token; new session"
            );
            self.settings.metrics.without_token();
            carriers.first()
        });
        (
            Session::fresh(self.settings.limits(carrier, now_ms)),
            carrier,
        )
    }
}

/// One `debug` event per refused token: why, and on which carrier; never the token. Counted
/// too, but for `unverified`, which the outage policy's count tells apart.
fn log_refusal(refusal: Refusal, carrier: Carrier, settings: &Settings) {
    tracing::debug!(reason = refusal.as_str(), %carrier, "session token refused");
    if refusal != Refusal::Unverified {
        settings.metrics.refused(refusal);
    }
}

impl<S, ReqBody, ResBody> Service<Request<ReqBody>> for SessionService<S>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
    ReqBody: Send + 'static,
    ResBody: Default + Send + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<ReqBody>) -> Self::Future {
        let now_ms = self.settings.clock.now_ms();
        let (session, carrier) = self.session_for(&req, now_ms);
        let settings = Arc::clone(&self.settings);
        if !session.is_new() && settings.hooks.any_async() {
            // The boxed path: the handler runs after an `.await` (the list, the hook), so the
            // service that `poll_ready` readied goes into the future and a clone stays, as
            // tower's guide says ("Be careful when cloning inner services":
            // <https://docs.rs/tower/0.5/tower/trait.Service.html#be-careful-when-cloning-inner-services>).
            // Every other request takes the direct path: no allocation, no clone.
            let clone = self.inner.clone();
            let inner = std::mem::replace(&mut self.inner, clone);
            return ResponseFuture::boxed(Box::pin(call_with_hooks(
                inner, req, session, carrier, settings, now_ms,
            )));
        }
        req.extensions_mut().insert(session.clone());
        ResponseFuture::direct(self.inner.call(req), session, carrier, settings)
    }
}

/// A request whose opened session goes through the revocation list and the `validate` hook
/// before the handler, and whose revocation is recorded after it.
async fn call_with_hooks<S, ReqBody, ResBody>(
    mut inner: S,
    mut req: Request<ReqBody>,
    session: Session,
    carrier: Carrier,
    settings: Arc<Settings>,
    now_ms: u64,
) -> Result<Response<ResBody>, S::Error>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ResBody: Default,
{
    let session = match admit(&settings, session, carrier, now_ms).await {
        Ok(Admitted::Session(session)) => session,
        Ok(Admitted::Unavailable) => return Ok(unavailable()),
        Err(failure) => {
            failure.log();
            return Ok(server_error());
        }
    };
    req.extensions_mut().insert(session.clone());
    let mut response = inner.call(req).await?;
    if let Some(revocation) = respond(&session, carrier, &settings, &mut response) {
        record(&settings, revocation).await;
    }
    Ok(response)
}

/// What a request whose session opened goes on with.
enum Admitted {
    /// The session the handler gets.
    Session(Session),
    /// The list could not be asked and the policy answers `503`.
    Unavailable,
}

/// The session the handler gets: the opened one, or a new one if the revocation list or the
/// `validate` hook refuses it (a session the list could not check keeps its identity, so a
/// logout can still name it to the list).
async fn admit(
    settings: &Settings,
    session: Session,
    carrier: Carrier,
    now_ms: u64,
) -> Result<Admitted, HookFailure> {
    let hooks = &settings.hooks;
    let mut refusal = None;
    if let Some(check) = &hooks.revocation {
        match check_revocation(check, session.id(), &settings.metrics).await {
            Listed::No => {}
            Listed::Yes => refusal = Some(Refusal::Revoked),
            Listed::Unknown(when) => {
                log_refusal(Refusal::Unverified, carrier, settings);
                settings.metrics.outage(when);
                match when {
                    WhenUnreachable::Allow => {}
                    WhenUnreachable::Unavailable => return Ok(Admitted::Unavailable),
                    // `Refuse`, and any policy added later: fail closed.
                    _ => {
                        settings.metrics.refused(Refusal::Unverified);
                        return Ok(Admitted::Session(session.unverified_replacement()));
                    }
                }
            }
        }
    }
    if refusal.is_none() {
        if let Some(validate) = &hooks.validate {
            if !run_validate(validate, &session).await? {
                refusal = Some(Refusal::Invalid);
            }
        }
    }
    if let Some(refusal) = refusal {
        log_refusal(refusal, carrier, settings);
        return Ok(Admitted::Session(Session::fresh(
            settings.limits(carrier, now_ms),
        )));
    }
    Ok(Admitted::Session(session))
}
