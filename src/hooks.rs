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
    time::Duration,
};

use serde::de::DeserializeOwned;
use serde_json::Value;
use time::OffsetDateTime;

use crate::{
    error::SessionError,
    revocation::{BoxError, BoxFuture, RevocationList, WhenUnreachable},
    session::Session,
    token::SessionId,
};

/// The `validate` hook, boxed.
pub(crate) type ValidateFn =
    Arc<dyn Fn(SessionView) -> BoxFuture<'static, Result<bool, BoxError>> + Send + Sync>;
/// The `before_seal` hook, boxed.
pub(crate) type BeforeSealFn = Arc<dyn Fn(&Session) -> Result<(), BoxError> + Send + Sync>;

/// The hooks of a layer.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub(crate) validate: Option<ValidateFn>,
    pub(crate) before_seal: Option<BeforeSealFn>,
    pub(crate) revocation: Option<(Arc<dyn RevocationList>, WhenUnreachable)>,
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
                &self.revocation.as_ref().map(|(_, when)| when),
            )
            .finish()
    }
}

/// Why a hook did not let the request go on.
#[derive(Debug)]
pub(crate) struct HookFailure {
    pub(crate) hook: &'static str,
    pub(crate) panicked: bool,
    pub(crate) error: Option<BoxError>,
}

impl HookFailure {
    pub(crate) fn log(&self) {
        match &self.error {
            Some(error) => {
                tracing::error!(hook = self.hook, %error, "session hook failed; answering 500")
            }
            None => tracing::error!(
                hook = self.hook,
                panicked = self.panicked,
                "session hook panicked; answering 500"
            ),
        }
    }
}

/// Runs the `before_seal` hook, turning an error or a panic into a [`HookFailure`].
pub(crate) fn run_before_seal(hook: &BeforeSealFn, session: &Session) -> Result<(), HookFailure> {
    match catch_unwind(AssertUnwindSafe(|| hook(session))) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(error)) => Err(HookFailure {
            hook: "before_seal",
            panicked: false,
            error: Some(error),
        }),
        Err(_) => Err(HookFailure {
            hook: "before_seal",
            panicked: true,
            error: None,
        }),
    }
}

/// Runs the `validate` hook: `Ok(true)` keeps the session, `Ok(false)` refuses it.
pub(crate) async fn run_validate(
    hook: &ValidateFn,
    session: &Session,
) -> Result<bool, HookFailure> {
    let view = SessionView(session.clone());
    let outcome = match catch_unwind(AssertUnwindSafe(|| hook(view))) {
        Ok(future) => CatchUnwind(future).await,
        Err(_) => None,
    };
    match outcome {
        Some(Ok(keep)) => Ok(keep),
        Some(Err(error)) => Err(HookFailure {
            hook: "validate",
            panicked: false,
            error: Some(error),
        }),
        None => Err(HookFailure {
            hook: "validate",
            panicked: true,
            error: None,
        }),
    }
}

/// Asks the revocation list about `id`; `true` means refuse. An unreachable list is logged and
/// answered by the configured policy.
pub(crate) async fn is_refused_by_list(
    list: &dyn RevocationList,
    when: WhenUnreachable,
    id: SessionId,
) -> bool {
    // The list's own code runs in `is_revoked` as well as in the future it returns.
    let checked = match catch_unwind(AssertUnwindSafe(|| list.is_revoked(id))) {
        Ok(future) => CatchUnwind(future).await,
        Err(_) => None,
    };
    match checked {
        Some(Ok(revoked)) => revoked,
        Some(Err(error)) => {
            tracing::warn!(%error, policy = %when, "revocation list unreachable");
            when == WhenUnreachable::Refuse
        }
        None => {
            tracing::warn!(policy = %when, "revocation list panicked");
            when == WhenUnreachable::Refuse
        }
    }
}

/// Records a revoked session; a failure is logged (the client is told to drop its token anyway).
pub(crate) async fn record_revocation(list: &dyn RevocationList, id: SessionId, ttl: Duration) {
    let recorded = match catch_unwind(AssertUnwindSafe(|| list.revoke(id, ttl))) {
        Ok(future) => CatchUnwind(future).await,
        Err(_) => None,
    };
    match recorded {
        Some(Ok(())) => {}
        Some(Err(error)) => {
            tracing::error!(%error, "revocation could not be recorded; the token stays valid until it expires");
        }
        None => tracing::error!("revocation list panicked; the token stays valid until it expires"),
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

/// Read access to a session, for the `validate` hook.
#[derive(Debug, Clone)]
pub struct SessionView(Session);

impl SessionView {
    /// The session id.
    #[must_use]
    pub fn id(&self) -> SessionId {
        self.0.id()
    }

    /// When the session was first created, Unix ms: compare it with a "logged out everywhere
    /// at" time to end every older session of a user.
    #[must_use]
    pub fn created_ms(&self) -> u64 {
        self.0.created_ms()
    }

    /// When the session was first created.
    #[must_use]
    pub fn created_at(&self) -> OffsetDateTime {
        self.0.created_at()
    }

    /// When the token expires, Unix ms.
    #[must_use]
    pub fn expires_ms(&self) -> u64 {
        self.0.expires_ms()
    }

    /// This session's lifetime.
    #[must_use]
    pub fn max_age(&self) -> Duration {
        self.0.max_age()
    }

    /// The value under `key`, converted to `T`.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if the stored value does not convert to `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        self.0.get(key)
    }

    /// A copy of the JSON value under `key`.
    #[must_use]
    pub fn get_value(&self, key: &str) -> Option<Value> {
        self.0.get_value(key)
    }

    /// The number of values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no values.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
