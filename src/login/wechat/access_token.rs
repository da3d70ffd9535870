//! WeChat's access token for server APIs, through `POST /cgi-bin/stable_token`, cached per
//! process with one fetch in flight.
//!
//! WeChat's documentation of `getStableAccessToken` (the fields this module sends and reads):
//! - request body (JSON, POST only): `grant_type` "填写 client_credential", `appid`, `secret`,
//!   `force_refresh` "默认使用 false ... force_refresh = false 时为普通调用模式,access_token
//!   有效期内重复调用该接口不会更新 access_token" (normal mode: calling again while the token is
//!   valid does not change it); "当force_refresh = true 时为强制刷新模式,会导致上次获取的
//!   access_token 失效" (forced mode invalidates the previous token);
//! - answer: `access_token` "获取到的凭证", `expires_in` "凭证有效时间,单位:秒。目前是7200秒之内的值";
//! - "与getAccessToken获取的调用凭证完全隔离,互不影响" (separate from `/cgi-bin/token`'s tokens).
//!
//! # Why each instance of a fleet can keep its own cache
//!
//! `/cgi-bin/token` issues a new token on every call, and the previous one lives only about five
//! more minutes: two instances that each refresh their own token invalidate each other's, which is
//! why the old advice was one central token server. `stable_token` in normal mode
//! (`force_refresh: false`) answers every caller with the *same* token while it is valid, so an
//! instance that fetches it changes nothing for the others: each instance caches what it got, and
//! refreshes it [`REFRESH_AHEAD`] before its expiry. Only a forced refresh
//! ([`AccessTokens::force_refresh`], never called by this module on its own) invalidates the
//! others' tokens; they then meet 40001 and refetch once, in normal mode, getting the new one.
//!
//! # What is not wiped
//!
//! The request body that carries the app secret is built in a wiped buffer, but `reqwest` takes
//! its own copy, which it drops unwiped; the answer passes through `hyper`'s buffers before it is
//! read into a wiped one. Neither is ever printed.

use std::{fmt, future::Future, sync::Arc, time::Duration};

use serde::Deserialize;
use zeroize::Zeroizing;

use super::{WechatClient, WechatConfigError, WechatError, endpoints::Endpoints, errcodes};
use crate::{
    clock::{Clock, SystemClock},
    login::{config_error::ConfigProblem, error::Kind, http},
    metrics,
};

/// How long before its expiry a cached token is refetched: 5 minutes, as WeChat renews its own.
pub const REFRESH_AHEAD: Duration = Duration::from_secs(300);
/// The longest `stable_token` answer read, in bytes (real ones are about 200).
const MAX_TOKEN_ANSWER_LEN: usize = 16 * 1024;

/// A WeChat access token: a secret for your server's API calls. `Debug` prints
/// `AccessToken(REDACTED)`; it has no `Display`; its bytes are wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Zeroizing<String>);

impl AccessToken {
    /// The token itself, to put in an API call's `access_token` query parameter.
    #[must_use]
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(REDACTED)")
    }
}

struct Cached {
    token: AccessToken,
    /// When to fetch again (Unix ms): [`REFRESH_AHEAD`] before the token expires.
    refresh_at_ms: u64,
}

/// The process's access token: fetched on first use, cached, refreshed ahead of expiry, one
/// fetch in flight however many callers wait for it. Clones share the cache; build one at
/// start-up, next to the [`WechatClient`] it is made from.
#[derive(Clone)]
pub struct AccessTokens {
    inner: Arc<Inner>,
}

struct Inner {
    client: WechatClient,
    endpoints: Endpoints,
    clock: Arc<dyn Clock>,
    /// Held across a fetch: the other callers wait for its answer instead of fetching too.
    cache: tokio::sync::Mutex<Option<Cached>>,
}

impl fmt::Debug for AccessTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessTokens")
            .field("client", &self.inner.client)
            .finish_non_exhaustive()
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    errcode: Option<i64>,
    errmsg: Option<String>,
    access_token: Option<Zeroizing<String>>,
    expires_in: Option<u64>,
}

impl AccessTokens {
    /// The access tokens of `client`'s app (its app id, secret, API base and timeout), on the
    /// system clock.
    ///
    /// # Errors
    ///
    /// A [`WechatConfigError`] if the API base cannot have `/cgi-bin/stable_token`.
    pub fn new(client: &WechatClient) -> Result<Self, WechatConfigError> {
        Self::with_clock(client, SystemClock)
    }

    /// The same, on `clock` (e.g. a [`ManualClock`](crate::ManualClock) in tests).
    ///
    /// # Errors
    ///
    /// As [`new`](Self::new).
    pub fn with_clock(client: &WechatClient, clock: impl Clock) -> Result<Self, WechatConfigError> {
        let endpoints = Endpoints::below(&client.app().api_base)
            .map_err(|reason| errcodes::config_error(ConfigProblem::BadApiBase(reason)))?;
        Ok(Self {
            inner: Arc::new(Inner {
                client: client.clone(),
                endpoints,
                clock: Arc::new(clock),
                cache: tokio::sync::Mutex::new(None),
            }),
        })
    }

    /// The cached token, or a fresh one (normal mode) when there is none or it is within
    /// [`REFRESH_AHEAD`] of its expiry. Concurrent callers share one fetch.
    ///
    /// # Errors
    ///
    /// A [`WechatError`]: WeChat's errcode (e.g. `40013` invalid app id, `45009` the quota,
    /// [`is_rate_limited`](WechatError::is_rate_limited); `-1` busy), a status, a broken answer,
    /// a timeout or a failed connection.
    pub async fn get(&self) -> Result<AccessToken, WechatError> {
        let mut cache = self.inner.cache.lock().await;
        if let Some(cached) = &*cache {
            if self.inner.clock.now_ms() < cached.refresh_at_ms {
                return Ok(cached.token.clone());
            }
        }
        let cause = if cache.is_some() { "refresh" } else { "first" };
        self.fill(&mut cache, false, cause).await
    }

    /// After an API answered that `stale` is invalid or expired (40001, 42001): one normal-mode
    /// fetch, unless another caller already replaced `stale`, whose token is then answered.
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub async fn refetch(&self, stale: &AccessToken) -> Result<AccessToken, WechatError> {
        let mut cache = self.inner.cache.lock().await;
        if let Some(cached) = &*cache {
            if cached.token != *stale && self.inner.clock.now_ms() < cached.refresh_at_ms {
                return Ok(cached.token.clone());
            }
        }
        self.fill(&mut cache, false, "invalid_token").await
    }

    /// A forced refresh (`force_refresh: true`): invalidates the token every instance holds.
    /// Only on explicit request, e.g. after a leaked token; WeChat limits it (errcode 45009,
    /// [`is_rate_limited`](WechatError::is_rate_limited)).
    ///
    /// # Errors
    ///
    /// As [`get`](Self::get).
    pub async fn force_refresh(&self) -> Result<AccessToken, WechatError> {
        let mut cache = self.inner.cache.lock().await;
        self.fill(&mut cache, true, "forced").await
    }

    /// Runs `call` with the token; when it fails with an invalid or expired token (errcode
    /// `40001` or `42001`, as [`server_api_error`](super::server_api_error) makes them),
    /// refetches once (normal mode) and runs it once more.
    ///
    /// # Errors
    ///
    /// The token's errors, or `call`'s (its second one after a retry).
    pub async fn with_token<T, F, Fut>(&self, call: F) -> Result<T, WechatError>
    where
        F: Fn(AccessToken) -> Fut,
        Fut: Future<Output = Result<T, WechatError>>,
    {
        let token = self.get().await?;
        match call(token.clone()).await {
            Err(e) if errcodes::is_token_refused(&e) => {
                tracing::debug!(
                    errcode = e.errcode(),
                    "access token refused; refetching once"
                );
                call(self.refetch(&token).await?).await
            }
            other => other,
        }
    }

    pub(super) fn client(&self) -> &WechatClient {
        &self.inner.client
    }

    pub(super) fn endpoints(&self) -> &Endpoints {
        &self.inner.endpoints
    }

    /// Fetches a token into `cache`, counted as a fetch for `cause` (feature `metrics`).
    async fn fill(
        &self,
        cache: &mut Option<Cached>,
        force_refresh: bool,
        cause: &'static str,
    ) -> Result<AccessToken, WechatError> {
        metrics::wechat_access_token_fetch(cause);
        let fetched_at = self.inner.clock.now_ms();
        let (token, expires_in) = self.fetch(force_refresh).await?;
        let lifetime_ms = expires_in.saturating_mul(1000);
        let ahead_ms = u64::try_from(REFRESH_AHEAD.as_millis()).unwrap_or(u64::MAX);
        *cache = Some(Cached {
            token: token.clone(),
            refresh_at_ms: fetched_at.saturating_add(lifetime_ms.saturating_sub(ahead_ms)),
        });
        Ok(token)
    }

    async fn fetch(&self, force_refresh: bool) -> Result<(AccessToken, u64), WechatError> {
        let app = self.inner.client.app();
        let body = Zeroizing::new(
            serde_json::to_vec(&serde_json::json!({
                "grant_type": "client_credential",
                "appid": app.appid,
                "secret": app.secret.as_str(),
                "force_refresh": force_refresh,
            }))
            .map_err(|e| errcodes::error(Kind::Transport(Box::new(e))))?,
        );
        let request = app
            .http
            .post(self.inner.endpoints.stable_token.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_vec());
        let answer = http::fetch(request, MAX_TOKEN_ANSWER_LEN)
            .await
            .map_err(errcodes::error)?;
        let answer: TokenAnswer =
            serde_json::from_slice(&answer).map_err(|_| errcodes::error(Kind::NotJson))?;
        if let Some(code) = answer.errcode.filter(|&c| c != 0) {
            return Err(super::server_api_error(
                code,
                answer.errmsg.as_deref().unwrap_or_default(),
            ));
        }
        match (answer.access_token, answer.expires_in) {
            (Some(token), Some(expires_in)) if !token.is_empty() => {
                Ok((AccessToken(token), expires_in))
            }
            (None, _) => Err(errcodes::error(Kind::MissingField("access_token"))),
            (Some(_), _) => Err(errcodes::error(Kind::MissingField("expires_in"))),
        }
    }
}

/// An API's answer: its errcode and errmsg (when it has them).
#[derive(Deserialize)]
pub(super) struct Errcode {
    pub(super) errcode: Option<i64>,
    pub(super) errmsg: Option<String>,
}

/// Sends `request` and reads the answer's errcode.
pub(super) async fn fetch_json(request: reqwest::RequestBuilder) -> Result<Errcode, WechatError> {
    let answer = http::fetch(request, MAX_TOKEN_ANSWER_LEN)
        .await
        .map_err(errcodes::error)?;
    serde_json::from_slice(&answer).map_err(|_| errcodes::error(Kind::NotJson))
}
