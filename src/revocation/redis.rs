//! [`RedisRevocationList`]: the revocation list in Redis, shared by every server of a fleet.

use std::{fmt, future::Future, time::Duration};

use redis::{
    Client, Cmd, RedisError,
    aio::{ConnectionManager, ConnectionManagerConfig},
};

use super::{BoxError, BoxFuture, RevocationList, TimedOut};
use crate::token::SessionId;

/// A [`RevocationList`] in Redis: one key per revoked session, which Redis deletes when the
/// session's token would have expired anyway.
///
/// - [`revoke`](RevocationList::revoke) runs `SET <prefix><id> 1 PX <ttl in ms>` (nothing when
///   the token has no life left);
/// - [`is_revoked`](RevocationList::is_revoked) runs `EXISTS <prefix><id>`;
///
/// where `<id>` is the session id in lowercase hex. So the list holds only ids of tokens that
/// would still open, and needs no cleaning. Several applications can share one Redis under
/// different [prefixes](Self::with_prefix).
///
/// # Cost
///
/// Each request that carries a session that opens costs one round trip to Redis (`EXISTS`), on
/// one multiplexed connection that reconnects by itself (redis's [`ConnectionManager`]); a
/// logout costs one more (`SET`). On loopback that is tens of microseconds; across a network,
/// the network's round trip.
///
/// To make it cheaper, ask less often: put a small local cache of *"not revoked"* answers in
/// front of it (your own [`RevocationList`] wrapping this one). Each entry kept for `d` means a
/// revocation may take up to `d` to reach the servers that cached that id; a cache of a few
/// seconds removes most round trips of a busy client at that price. Never cache *"revoked"*
/// answers for longer than the entry lives in Redis, and never cache errors. Or check only
/// where it matters: put the layer with the list on the sensitive routes only.
///
/// # Never a hang
///
/// Every call is bounded by [`tokio::time::timeout`] (100 ms by default,
/// [`with_timeout`](Self::with_timeout)); when it passes, or Redis answers with an error, the
/// call returns an error and the layer applies its `WhenUnreachable` policy. While Redis is
/// down, each call waits at most the timeout, and the connection manager keeps trying to
/// reconnect in the background.
///
/// It needs a Tokio runtime with its timer enabled (`enable_time` or `enable_all` on the
/// runtime builder; `#[tokio::main]` enables it): [`tokio::time::timeout`] panics without one.
///
#[cfg_attr(feature = "axum", doc = "```no_run")]
#[cfg_attr(not(feature = "axum"), doc = "```ignore")]
/// use axum::{Router, routing::post};
/// use sealed_session::{
///     Keys, RedisRevocationList, Session, SessionConfig, SessionLayer, WhenUnreachable,
/// };
///
/// async fn logout(session: Session) -> &'static str {
///     session.revoke(); // the client drops its token; every server refuses copies of it
///     "bye"
/// }
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let list = RedisRevocationList::connect("redis://127.0.0.1:6379/").await?
///     .with_prefix("myapp:revoked:");
/// let config = SessionConfig::new(Keys::from_env("SESSION_KEYS")?)
///     .with_revocation_list(list, WhenUnreachable::Refuse);
/// let app: Router = Router::new()
///     .route("/logout", post(logout))
///     .layer(SessionLayer::new(config)?);
/// # Ok(()) }
/// ```
///
/// Its `Debug` output shows the server's address, the database, the prefix and the timeout,
/// never a user name or password.
#[derive(Clone)]
#[cfg_attr(docsrs, doc(cfg(feature = "redis")))]
pub struct RedisRevocationList {
    connection: ConnectionManager,
    /// `host:port/db`, for `Debug`; `None` when built from a connection manager.
    server: Option<String>,
    prefix: String,
    timeout: Duration,
}

impl RedisRevocationList {
    /// The default key prefix.
    pub const DEFAULT_PREFIX: &'static str = "sealed-session:revoked:";

    /// The default bound on each call: 100 ms, much longer than a Redis round trip in the same
    /// data centre and short enough that a request with Redis down still answers quickly.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(100);

    /// The bound on connecting, at start-up and on each reconnection: 1 s.
    pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

    /// Connects to the Redis at `url` (`redis://[user:password@]host[:port][/db]`).
    ///
    /// # Errors
    ///
    /// A [`RedisError`] if the URL is not valid or Redis cannot be reached within
    /// [`CONNECT_TIMEOUT`](Self::CONNECT_TIMEOUT). Its text never contains the password.
    pub async fn connect(url: &str) -> Result<Self, RedisError> {
        Self::from_client(Client::open(url)?).await
    }

    /// Connects with an existing client (e.g. built from a `ConnectionInfo`).
    ///
    /// # Errors
    ///
    /// A [`RedisError`] if Redis cannot be reached within
    /// [`CONNECT_TIMEOUT`](Self::CONNECT_TIMEOUT).
    pub async fn from_client(client: Client) -> Result<Self, RedisError> {
        let info = client.get_connection_info();
        let server = format!("{}/{}", info.addr(), info.redis_settings().db());
        // Reconnection attempts back off exponentially from 100 ms; capped at 1 s, so the list
        // answers again within about a second of Redis coming back. No response timeout of the
        // manager's own: it would cap `with_timeout`, which bounds every call (`run`). (A
        // response timeout never made the manager reconnect anyway; a dropped connection does.)
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(Self::CONNECT_TIMEOUT))
            .set_response_timeout(None)
            .set_max_delay(Self::CONNECT_TIMEOUT);
        let connecting = client.get_connection_manager_with_config(config);
        let connection = match tokio::time::timeout(Self::CONNECT_TIMEOUT, connecting).await {
            Ok(connection) => connection?,
            Err(_elapsed) => {
                return Err(RedisError::from((
                    redis::ErrorKind::Io,
                    "could not connect to Redis",
                    format!("no connection within {:?}", Self::CONNECT_TIMEOUT),
                )));
            }
        };
        Ok(Self {
            server: Some(server),
            ..Self::from_manager(connection)
        })
    }

    /// Uses an existing connection manager, configured as you like (its own timeouts and
    /// reconnection policy); the per-call [timeout](Self::with_timeout) still applies, and so
    /// does the manager's own response timeout (redis's default: 500 ms), whichever is shorter.
    #[must_use]
    pub fn from_manager(connection: ConnectionManager) -> Self {
        Self {
            connection,
            server: None,
            prefix: Self::DEFAULT_PREFIX.to_owned(),
            timeout: Self::DEFAULT_TIMEOUT,
        }
    }

    /// The prefix of every key, so that applications sharing a Redis keep separate lists.
    ///
    /// Default: [`DEFAULT_PREFIX`](Self::DEFAULT_PREFIX), `sealed-session:revoked:`.
    #[must_use]
    pub fn with_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.prefix = prefix.into();
        self
    }

    /// The longest a check or a revocation may take before it fails (and
    /// [`WhenUnreachable`](crate::WhenUnreachable) decides). A zero timeout fails every call.
    /// With [`connect`](Self::connect) and [`from_client`](Self::from_client) it is the only
    /// bound on a call, whatever its length.
    ///
    /// Default: [`DEFAULT_TIMEOUT`](Self::DEFAULT_TIMEOUT), 100 ms.
    #[must_use]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The Redis key for `id`.
    fn key(&self, id: SessionId) -> String {
        format!("{}{id}", self.prefix)
    }

    /// Runs `cmd`, bounded by the timeout.
    fn run<T: redis::FromRedisValue + Send>(
        &self,
        cmd: Cmd,
    ) -> impl Future<Output = Result<T, BoxError>> + Send + 'static {
        let mut connection = self.connection.clone();
        let timeout = self.timeout;
        async move {
            match tokio::time::timeout(timeout, cmd.query_async::<T>(&mut connection)).await {
                Ok(Ok(value)) => Ok(value),
                Ok(Err(e)) => Err(e.into()),
                Err(_elapsed) => Err(TimedOut::after(timeout).into()),
            }
        }
    }
}

/// The time to live for `SET ... PX`, in whole milliseconds rounded up, or `None` for no time
/// left. Capped far below what Redis refuses (`i64::MAX` ms from now).
fn ttl_ms(ttl: Duration) -> Option<u64> {
    const MAX_MS: u128 = (i64::MAX / 4) as u128;
    let ms = ttl.as_nanos().div_ceil(1_000_000).min(MAX_MS);
    u64::try_from(ms).ok().filter(|ms| *ms > 0)
}

impl RevocationList for RedisRevocationList {
    fn is_revoked(&self, id: SessionId) -> BoxFuture<'_, Result<bool, BoxError>> {
        let mut cmd = redis::cmd("EXISTS");
        cmd.arg(self.key(id));
        Box::pin(self.run::<bool>(cmd))
    }

    fn revoke(&self, id: SessionId, ttl: Duration) -> BoxFuture<'_, Result<(), BoxError>> {
        let Some(ms) = ttl_ms(ttl) else {
            // The token is refused anyway from now on: nothing to remember.
            return Box::pin(async { Ok(()) });
        };
        let mut cmd = redis::cmd("SET");
        cmd.arg(self.key(id)).arg(1).arg("PX").arg(ms);
        Box::pin(self.run::<()>(cmd))
    }
}

impl fmt::Debug for RedisRevocationList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisRevocationList")
            .field(
                "server",
                &self.server.as_deref().unwrap_or("(connection manager)"),
            )
            .field("prefix", &self.prefix)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ttl_rounds_up_to_whole_milliseconds_and_zero_means_nothing() {
        assert_eq!(ttl_ms(Duration::ZERO), None);
        assert_eq!(ttl_ms(Duration::from_nanos(1)), Some(1));
        assert_eq!(ttl_ms(Duration::from_millis(1500)), Some(1500));
        assert_eq!(ttl_ms(Duration::from_micros(1_500_001)), Some(1501));
        assert_eq!(ttl_ms(Duration::MAX), Some((i64::MAX / 4) as u64));
    }
}
