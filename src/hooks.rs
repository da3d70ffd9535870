//! Application hooks around a session's life: `validate` after a token opens, `before_seal`
//! before a token is sealed, and the revocation list. A hook that fails or panics never takes
//! the server down: the request gets a `500` and an `error` event names the hook. A revocation
//! list that fails or panics is answered by the configured [`WhenUnreachable`] instead.

use std::{
    fmt,
    future::Future,
    panic::{AssertUnwindSafe, catch_unwind},
    pin::Pin,
    sync::Arc,
    task::{Context, Poll},
    time::{Duration, Instant},
};

use crate::{
    metrics::{self, CheckAnswer, Handles},
    revocation::{BoxError, BoxFuture, RevocationList, TimedOut, WhenUnreachable},
    session::{Session, SessionView},
    token::SessionId,
};

/// The `validate` hook, boxed.
pub(crate) type ValidateFn =
    Arc<dyn Fn(SessionView) -> BoxFuture<'static, Result<bool, BoxError>> + Send + Sync>;
/// The `before_seal` hook, boxed.
pub(crate) type BeforeSealFn = Arc<dyn Fn(&Session) -> Result<(), BoxError> + Send + Sync>;

/// A revocation list and what to do when it cannot answer.
#[derive(Clone)]
pub(crate) struct RevocationCheck {
    pub(crate) list: Arc<dyn RevocationList>,
    pub(crate) when_unreachable: WhenUnreachable,
}

/// The hooks of a layer.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) validate: Option<ValidateFn>,
    pub(crate) before_seal: Option<BeforeSealFn>,
    pub(crate) revocation: Option<RevocationCheck>,
}

impl Hooks {
    /// Whether a session opened from a token needs asynchronous work around the handler.
    pub(crate) fn any_async(&self) -> bool {
        self.validate.is_some() || self.revocation.is_some()
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("validate", &self.validate.is_some())
            .field("before_seal", &self.before_seal.is_some())
            .field(
                "revocation",
                &self.revocation.as_ref().map(|check| check.when_unreachable),
            )
            .finish()
    }
}

/// Which hook did not let the request go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hook {
    Validate,
    BeforeSeal,
}

impl Hook {
    fn as_str(self) -> &'static str {
        match self {
            Self::Validate => "validate",
            Self::BeforeSeal => "before_seal",
        }
    }
}

/// Why a hook did not let the request go on.
#[derive(Debug)]
pub(crate) enum HookFailure {
    /// The hook returned this error.
    Failed { hook: Hook, error: BoxError },
    /// The hook panicked.
    Panicked { hook: Hook },
}

impl HookFailure {
    pub(crate) fn log(&self) {
        match self {
            Self::Failed { hook, error } => {
                tracing::error!(hook = hook.as_str(), %error, "session hook failed; answering 500");
                metrics::hook_failed(hook.as_str(), "error");
            }
            Self::Panicked { hook } => {
                tracing::error!(hook = hook.as_str(), "session hook panicked; answering 500");
                metrics::hook_failed(hook.as_str(), "panic");
            }
        }
    }
}

/// Runs `f` and awaits the future it returns, turning a panic in either into `None`: the one
/// guard around every piece of application code the layer calls.
async fn guarded<Fut: Future + Unpin>(f: impl FnOnce() -> Fut) -> Option<Fut::Output> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(future) => CatchUnwind(future).await,
        Err(_) => None,
    }
}

/// Runs the `before_seal` hook, turning an error or a panic into a [`HookFailure`].
pub(crate) fn run_before_seal(hook: &BeforeSealFn, session: &Session) -> Result<(), HookFailure> {
    match catch_unwind(AssertUnwindSafe(|| hook(session))) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(HookFailure::Failed {
            hook: Hook::BeforeSeal,
            error,
        }),
        Err(_) => Err(HookFailure::Panicked {
            hook: Hook::BeforeSeal,
        }),
    }
}

/// Runs the `validate` hook: `Ok(true)` keeps the session, `Ok(false)` refuses it.
pub(crate) async fn run_validate(
    hook: &ValidateFn,
    session: &Session,
) -> Result<bool, HookFailure> {
    let view = session.view().clone();
    match guarded(|| hook(view)).await {
        Some(Ok(keep)) => Ok(keep),
        Some(Err(error)) => Err(HookFailure::Failed {
            hook: Hook::Validate,
            error,
        }),
        None => Err(HookFailure::Panicked {
            hook: Hook::Validate,
        }),
    }
}

/// What the revocation list said of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Listed {
    /// Not revoked.
    No,
    /// Revoked.
    Yes,
    /// The list could not answer (logged here); the configured policy decides.
    Unknown(WhenUnreachable),
}

/// Asks the revocation list about `id`, counting the answer and how long it took in
/// `counts`. An unreachable or panicking list is logged.
pub(crate) async fn check_revocation(
    check: &RevocationCheck,
    id: SessionId,
    counts: &Handles,
) -> Listed {
    let when = check.when_unreachable;
    let started = Instant::now();
    let answer = guarded(|| check.list.is_revoked(id)).await;
    let (listed, counted) = match answer {
        Some(Ok(false)) => (Listed::No, CheckAnswer::NotRevoked),
        Some(Ok(true)) => (Listed::Yes, CheckAnswer::Revoked),
        Some(Err(error)) => {
            tracing::warn!(%error, policy = %when, "revocation list unreachable");
            let counted = if error.is::<TimedOut>() {
                CheckAnswer::Timeout
            } else {
                CheckAnswer::Error
            };
            (Listed::Unknown(when), counted)
        }
        None => {
            tracing::warn!(policy = %when, "revocation list panicked");
            (Listed::Unknown(when), CheckAnswer::Panic)
        }
    };
    counts.checked(counted, started.elapsed());
    listed
}

/// Records a revoked session; a failure is logged (the client is told to drop its token anyway).
pub(crate) async fn record_revocation(list: &dyn RevocationList, id: SessionId, ttl: Duration) {
    match guarded(|| list.revoke(id, ttl)).await {
        Some(Ok(())) => {}
        Some(Err(error)) => {
            tracing::error!(%error, "revocation could not be recorded; the token stays valid until it expires");
            metrics::revocation_unrecorded();
        }
        None => {
            tracing::error!("revocation list panicked; the token stays valid until it expires");
            metrics::revocation_unrecorded();
        }
    }
}

/// Polls a future, turning a panic into `None`.
struct CatchUnwind<F>(F);

impl<F: Future + Unpin> Future for CatchUnwind<F> {
    type Output = Option<F::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let inner = &mut self.0;
        match catch_unwind(AssertUnwindSafe(|| Pin::new(inner).poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(out)) => Poll::Ready(Some(out)),
            Err(_) => Poll::Ready(None),
        }
    }
}
