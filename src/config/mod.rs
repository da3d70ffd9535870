//! The layer's configuration: a builder with documented defaults, validated once when the layer
//! is built.

use std::{fmt, future::Future, sync::Arc, time::Duration};

use http::HeaderName;

#[cfg(feature = "cookie")]
use crate::cookie::CookieOptions;
use crate::{
    carrier::{Carrier, Carriers},
    clock::{Clock, SystemClock, duration_ms},
    defaults::{DEFAULT_ABSOLUTE_LIFETIME, DEFAULT_HEADER, DEFAULT_MAX_AGE, DEFAULT_MAX_LEN},
    error::ConfigError,
    hooks::{Hooks, RevocationCheck},
    key::SessionKeys,
    metrics::Handles,
    revocation::{BoxError, RevocationList, WhenUnreachable},
    session::{Reissue, RequestTerms, Session, SessionView},
    token::{Codec, TokenVersion},
};

/// How sessions are carried, sealed and renewed. Build it with [`SessionConfig::new`] and the
/// `with_*` methods, then hand it to [`SessionLayer::new`](crate::SessionLayer::new), which
/// checks it.
///
/// ```
/// use std::time::Duration;
/// use sealed_session::{Key, Keys, SessionConfig, SessionLayer};
/// let config = SessionConfig::new(Keys::single(Key::generate()))
///     .with_header_name("x-session")
///     .with_max_age(Duration::from_secs(7 * 24 * 3600));
/// let layer = SessionLayer::new(config)?;
/// # Ok::<(), sealed_session::ConfigError>(())
/// ```
#[must_use]
#[derive(Clone)]
pub struct SessionConfig {
    keys: SessionKeys,
    header_name: String,
    carriers: Vec<Carrier>,
    #[cfg(feature = "cookie")]
    cookie: CookieOptions,
    max_age: Duration,
    renew: bool,
    rolling: bool,
    absolute_lifetime: Option<Duration>,
    max_len: usize,
    context: String,
    seal_version: TokenVersion,
    clock: Arc<dyn Clock>,
    hooks: Hooks,
}

impl fmt::Debug for SessionConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionConfig")
            .field("keys", &self.keys)
            .field("header_name", &self.header_name)
            .field("carriers", &self.carriers)
            .field("max_age", &self.max_age)
            .field("renew", &self.renew)
            .field("rolling", &self.rolling)
            .field("absolute_lifetime", &self.absolute_lifetime)
            .field("max_len", &self.max_len)
            .field("context", &self.context)
            .field("seal_version", &self.seal_version)
            .field("hooks", &self.hooks)
            .finish_non_exhaustive()
    }
}

impl SessionConfig {
    /// A configuration with these keys (every key opens; the first, or the first whose time to
    /// seal has passed, seals) and every default. `keys` is a [`Keys`](crate::Keys) list, or
    /// (feature `key-file`) a [`KeySource`](crate::KeySource) that reloads a key file while the
    /// server runs.
    pub fn new(keys: impl Into<SessionKeys>) -> Self {
        Self {
            keys: keys.into(),
            header_name: DEFAULT_HEADER.to_owned(),
            carriers: vec![Carrier::Header],
            #[cfg(feature = "cookie")]
            cookie: CookieOptions::new(),
            max_age: DEFAULT_MAX_AGE,
            renew: true,
            rolling: false,
            absolute_lifetime: Some(DEFAULT_ABSOLUTE_LIFETIME),
            max_len: DEFAULT_MAX_LEN,
            context: String::new(),
            seal_version: TokenVersion::V2,
            clock: Arc::new(SystemClock),
            hooks: Hooks::default(),
        }
    }

    /// The request and response header that carries the token. Header names are
    /// case-insensitive. Avoid underscores: nginx drops such headers unless
    /// `underscores_in_headers on`.
    ///
    /// Default: `"x-session"` ([`DEFAULT_HEADER`](crate::DEFAULT_HEADER)).
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_header_name("x-wx-session");
    /// ```
    pub fn with_header_name(mut self, name: &str) -> Self {
        name.clone_into(&mut self.header_name);
        self
    }

    /// The carriers a request's token is looked for in, in order. The first one that holds a
    /// token that opens gives the session, and the response answers on that same carrier
    /// ([`Carrier::Bearer`] answers in the header). With no token, or none that opens, the
    /// response answers on the carrier of the first token found, else on the first carrier.
    ///
    /// Default: `[Carrier::Header]`.
    ///
    /// ```
    /// # use sealed_session::{Carrier, Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate()))
    ///     .with_carriers([Carrier::Header, Carrier::Bearer]);
    /// ```
    pub fn with_carriers(mut self, carriers: impl IntoIterator<Item = Carrier>) -> Self {
        self.carriers = carriers.into_iter().collect();
        self
    }

    /// The cookie's name and attributes, for [`Carrier::Cookie`].
    ///
    /// Default: [`CookieOptions::new`] (`session`, `HttpOnly`, `Secure`, `SameSite=Lax`, `Path=/`).
    ///
    /// ```
    /// # use sealed_session::{Carrier, CookieOptions, Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate()))
    ///     .with_carriers([Carrier::Cookie])
    ///     .with_cookie(CookieOptions::new().with_name("sid"));
    /// ```
    #[cfg(feature = "cookie")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cookie")))]
    pub fn with_cookie(mut self, options: CookieOptions) -> Self {
        self.cookie = options;
        self
    }

    /// How long a session lives after it is sealed, unless a handler sets its own with
    /// [`Session::set_max_age`](crate::Session::set_max_age).
    ///
    /// Default: 24 hours ([`DEFAULT_MAX_AGE`](crate::DEFAULT_MAX_AGE)).
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// # use std::time::Duration;
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_max_age(Duration::from_secs(3600));
    /// ```
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// Whether an unchanged session is re-issued with a fresh expiry when less than half its
    /// max age is left (koa-session's `renew`). Costs one seal on those responses only.
    ///
    /// Default: `true`.
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_renew(false);
    /// ```
    pub fn with_renew(mut self, renew: bool) -> Self {
        self.renew = renew;
        self
    }

    /// Whether every response to a request with a valid session carries a re-issued token with
    /// a fresh expiry (express-session's `rolling`). Costs one seal on every such response.
    ///
    /// Default: `false`.
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_rolling(true);
    /// ```
    pub fn with_rolling(mut self, rolling: bool) -> Self {
        self.rolling = rolling;
        self
    }

    /// The most a session can live from its creation, whatever renew, rolling or
    /// `set_max_age` do; `None` turns the bound off.
    ///
    /// Default: 30 days ([`DEFAULT_ABSOLUTE_LIFETIME`](crate::DEFAULT_ABSOLUTE_LIFETIME)).
    ///
    /// # Warning
    ///
    /// With `None`, an active client (or anyone holding a copy of its token who keeps using it)
    /// can keep a session alive for ever by renewal, and a stolen token never runs out while it
    /// is used. Keep a bound unless something else (a [`validate`](Self::with_validate) hook,
    /// a revocation list) ends old sessions.
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// # use std::time::Duration;
    /// let config = SessionConfig::new(Keys::single(Key::generate()))
    ///     .with_absolute_lifetime(Some(Duration::from_secs(7 * 24 * 3600)));
    /// ```
    pub fn with_absolute_lifetime(mut self, lifetime: Option<Duration>) -> Self {
        self.absolute_lifetime = lifetime;
        self
    }

    /// The size cap, in characters of the header value. Longer incoming tokens are refused
    /// before anything is decoded; an `insert` that would pass it fails at once.
    ///
    /// Default: `4096` ([`DEFAULT_MAX_LEN`](crate::DEFAULT_MAX_LEN)).
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_max_len(2048);
    /// ```
    pub fn with_max_len(mut self, max_len: usize) -> Self {
        self.max_len = max_len;
        self
    }

    /// A context string bound into every token: services that share keys but not a context
    /// cannot read each other's tokens.
    ///
    /// Default: empty.
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_context("shop-api");
    /// ```
    pub fn with_context(mut self, context: &str) -> Self {
        context.clone_into(&mut self.context);
        self
    }

    /// The token format version the layer seals; both versions are always opened.
    ///
    /// Upgrading a fleet from a build that only opens version 1 takes two deploys, as Rails
    /// does for its cookie formats: first deploy this build with `TokenVersion::V1`, so every
    /// instance opens both versions but still seals version 1, which the old builds can open;
    /// once no old build is running, drop the setting and version 2 is sealed. While version 1
    /// is sealed, each seal starts a new line, so clients report parallel writes as `refused`.
    /// The size cap is always counted for version 2 (8 bytes longer), so no session written
    /// under version 1 fails to re-seal as version 2.
    ///
    /// Default: [`TokenVersion::V2`].
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig, token::TokenVersion};
    /// let config = SessionConfig::new(Keys::single(Key::generate()))
    ///     .with_seal_version(TokenVersion::V1); // only during the upgrade
    /// ```
    pub fn with_seal_version(mut self, version: TokenVersion) -> Self {
        self.seal_version = version;
        self
    }

    /// Where the layer reads the time; tests pass a [`ManualClock`](crate::ManualClock).
    ///
    /// Default: [`SystemClock`].
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, ManualClock, SessionConfig};
    /// let clock = ManualClock::new(1_700_000_000_000);
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_clock(clock.clone());
    /// ```
    pub fn with_clock(mut self, clock: impl Clock) -> Self {
        self.clock = Arc::new(clock);
        self
    }

    /// An async check of every session that opens from a token, before the handler runs
    /// (koa-session's `valid`). It sees the session read-only; `Ok(false)` refuses it, exactly
    /// like a refused token: the handler gets a new, empty session and a `debug` event says
    /// `reason="invalid"`. An `Err` or a panic answers `500` and an `error` event names the
    /// hook. New sessions are not checked.
    ///
    /// Typical use, "log out everywhere": refuse sessions created before the user's
    /// "logged out everywhere at" time, kept in the application's own database.
    ///
    /// The layer waits for the hook: bound any I/O in it with a timeout, and return an `Err`
    /// when it passes.
    ///
    /// Default: none.
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_validate(|session| async move {
    ///     let user: Option<u64> = session.get("user_id")?;
    ///     let logged_out_everywhere_at = 0; // look it up for `user`
    ///     Ok::<_, sealed_session::BoxError>(session.created_ms() >= logged_out_everywhere_at)
    /// });
    /// ```
    pub fn with_validate<F, Fut, E>(mut self, validate: F) -> Self
    where
        F: Fn(SessionView) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<bool, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        self.hooks.validate = Some(Arc::new(move |view| {
            let future = validate(view);
            Box::pin(async move { future.await.map_err(Into::into) })
        }));
        self
    }

    /// A hook that runs just before a token is sealed, when one is about to be (koa-session's
    /// `beforeSave`). It may change the session; the size cap still holds, as its `insert`s
    /// are checked like any other. An `Err` or a panic answers `500` and an `error` event names
    /// the hook.
    ///
    /// Default: none.
    ///
    /// ```
    /// # use sealed_session::{Key, Keys, SessionConfig};
    /// let config = SessionConfig::new(Keys::single(Key::generate())).with_before_seal(|session| {
    ///     session.insert("schema", 2)?;
    ///     Ok(())
    /// });
    /// ```
    pub fn with_before_seal<F>(mut self, before_seal: F) -> Self
    where
        F: Fn(&Session) -> Result<(), BoxError> + Send + Sync + 'static,
    {
        self.hooks.before_seal = Some(Arc::new(before_seal));
        self
    }

    /// A shared list of revoked session ids, checked for every session that opens from a token
    /// and written by [`Session::revoke`](crate::Session::revoke); `when_unreachable` says what
    /// to do when the list cannot answer. See [`revocation`](crate::revocation).
    ///
    /// Default: none (`revoke` then only tells the client to drop its token).
    pub fn with_revocation_list(
        mut self,
        list: impl RevocationList,
        when_unreachable: WhenUnreachable,
    ) -> Self {
        self.hooks.revocation = Some(RevocationCheck {
            list: Arc::new(list),
            when_unreachable,
        });
        self
    }

    /// Checks the configuration and prepares what requests need.
    pub(crate) fn validate(self) -> Result<Settings, ConfigError> {
        if self.max_age.is_zero() {
            return Err(ConfigError::ZeroMaxAge);
        }
        if self.absolute_lifetime.is_some_and(|d| d.is_zero()) {
            return Err(ConfigError::ZeroAbsoluteLifetime);
        }
        if let Some(absolute) = self.absolute_lifetime.filter(|a| self.max_age > *a) {
            tracing::warn!(
                max_age_s = self.max_age.as_secs(),
                absolute_lifetime_s = absolute.as_secs(),
                "max_age is longer than the absolute lifetime: every session ends at the \
                 absolute lifetime first; shorten max_age or lengthen the absolute lifetime"
            );
        }
        let header = HeaderName::try_from(self.header_name.as_str()).map_err(|_| {
            ConfigError::BadHeaderName {
                name: self.header_name.clone(),
            }
        })?;
        if self.carriers.is_empty() {
            return Err(ConfigError::NoCarrier);
        }
        for (i, carrier) in self.carriers.iter().enumerate() {
            if self.carriers[..i].contains(carrier) {
                return Err(ConfigError::DuplicateCarrier {
                    carrier: carrier.to_string(),
                });
            }
        }
        let carriers = Carriers::new(
            self.carriers.clone(),
            header,
            #[cfg(feature = "cookie")]
            self.cookie.validate()?,
        );
        let min = self
            .carriers
            .iter()
            .map(|&c| Codec::token_len(2) + carriers.overhead(c))
            .max()
            .unwrap_or(0);
        if self.max_len < min {
            return Err(ConfigError::CapTooSmall {
                cap: self.max_len,
                min,
            });
        }
        let codec = Codec::new(self.keys)
            .with_context(&self.context)
            .with_max_len(self.max_len)
            .with_absolute_lifetime(self.absolute_lifetime)
            .with_seal_version(self.seal_version);
        Ok(Settings {
            codec,
            carriers,
            max_age_ms: duration_ms(self.max_age),
            reissue: Reissue {
                renew: self.renew,
                rolling: self.rolling,
            },
            clock: self.clock,
            hooks: self.hooks,
            metrics: Handles::register(),
        })
    }
}

/// A checked configuration, shared by every request.
pub(crate) struct Settings {
    pub(crate) codec: Codec,
    pub(crate) carriers: Carriers,
    pub(crate) max_age_ms: u64,
    pub(crate) reissue: Reissue,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) hooks: Hooks,
    /// The request path's metrics, registered with the recorder installed when the layer was
    /// built (feature `metrics`; nothing without it).
    pub(crate) metrics: Handles,
}

impl Settings {
    /// The limits a session of a request at `now_ms`, answered on `carrier`, lives under.
    pub(crate) fn limits(&self, carrier: Carrier, now_ms: u64) -> RequestTerms {
        RequestTerms {
            now_ms,
            max_age_ms: self.max_age_ms,
            absolute_ms: self.codec.absolute_lifetime_ms(),
            cap: self.codec.max_len(),
            carrier_overhead: self.carriers.overhead(carrier),
        }
    }
}

impl fmt::Debug for Settings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("codec", &self.codec)
            .field("carriers", &self.carriers)
            .field("max_age_ms", &self.max_age_ms)
            .field("reissue", &self.reissue)
            .field("hooks", &self.hooks)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests;
