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
    hooks::{HookFailure, check_revocation, run_validate},
    response::{record, respond, server_error},
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
            match self.settings.codec.open(token, now_ms) {
                Ok(opened) => return (Session::opened(opened, limits), carrier),
                Err(refusal) => {
                    log_refusal(refusal, carrier);
                    refused_on.get_or_insert(carrier);
                }
            }
        }
        let carrier = refused_on.unwrap_or_else(|| {
            tracing::trace!(
                reason = Refusal::Missing.as_str(),
                "no session token; new session"
            );
            carriers.first()
        });
        (
            Session::fresh(self.settings.limits(carrier, now_ms)),
            carrier,
        )
    }
}

/// One `debug` event per refused token: why, and on which carrier; never the token.
fn log_refusal(refusal: Refusal, carrier: Carrier) {
    tracing::debug!(reason = refusal.as_str(), %carrier, "session token refused");
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
        Ok(session) => session,
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

/// The session the handler gets: the opened one, or a new one if the revocation list or the
/// `validate` hook refuses it.
async fn admit(
    settings: &Settings,
    session: Session,
    carrier: Carrier,
    now_ms: u64,
) -> Result<Session, HookFailure> {
    let hooks = &settings.hooks;
    let mut refusal = None;
    if let Some(check) = &hooks.revocation {
        refusal = check_revocation(check, session.id()).await;
    }
    if refusal.is_none() {
        if let Some(validate) = &hooks.validate {
            if !run_validate(validate, &session).await? {
                refusal = Some(Refusal::Invalid);
            }
        }
    }
    if let Some(refusal) = refusal {
        log_refusal(refusal, carrier);
        return Ok(Session::fresh(settings.limits(carrier, now_ms)));
    }
    Ok(session)
}
