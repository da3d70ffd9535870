//! The cookie carrier (feature `cookie`): its attributes, how a token is found among the
//! request's cookies, and the `Set-Cookie` that keeps or removes it.

use std::borrow::Cow;

use cookie::{Cookie, SameSite};
use http::{HeaderMap, header};
use time::OffsetDateTime;

use crate::error::ConfigError;

/// The cookie's name and attributes, for the [`Carrier::Cookie`](crate::Carrier::Cookie) carrier.
///
/// ```
/// use sealed_session::CookieOptions;
/// let options = CookieOptions::new().with_name("sid").with_secure(false); // plain-HTTP dev only
/// ```
#[must_use]
#[derive(Debug, Clone)]
pub struct CookieOptions {
    name: String,
    path: String,
    domain: Option<String>,
    secure: bool,
    http_only: bool,
    same_site: SameSite,
}

impl Default for CookieOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl CookieOptions {
    /// The defaults: name `session`, `Path=/`, `Secure`, `HttpOnly`, `SameSite=Lax`, no domain.
    pub fn new() -> Self {
        Self {
            name: "session".to_owned(),
            path: "/".to_owned(),
            domain: None,
            secure: true,
            http_only: true,
            same_site: SameSite::Lax,
        }
    }

    /// The cookie's name. Default: `"session"`.
    pub fn with_name(mut self, name: &str) -> Self {
        name.clone_into(&mut self.name);
        self
    }

    /// The `Path` attribute. Default: `"/"`.
    pub fn with_path(mut self, path: &str) -> Self {
        path.clone_into(&mut self.path);
        self
    }

    /// The `Domain` attribute. Default: none (the cookie goes back to the exact host only).
    pub fn with_domain(mut self, domain: Option<&str>) -> Self {
        self.domain = domain.map(str::to_owned);
        self
    }

    /// The `Secure` attribute: the browser sends the cookie over HTTPS (and to localhost) only.
    /// Default: `true`.
    ///
    /// # Warning
    ///
    /// `false` lets the browser send the session over plain HTTP, where anyone on the path can
    /// copy it and use it until it expires. Turn it off for local development over plain HTTP
    /// only; `localhost` is treated as secure by browsers, so even there it is rarely needed.
    pub fn with_secure(mut self, secure: bool) -> Self {
        self.secure = secure;
        self
    }

    /// The `HttpOnly` attribute: page scripts cannot read the cookie. Default: `true`.
    ///
    /// # Warning
    ///
    /// `false` lets any script on the page read the token, so a single cross-site scripting
    /// flaw hands the session to an attacker, who can use it from anywhere until it expires.
    /// A page that needs to know whether it is logged in should ask the server (e.g. `/me`).
    pub fn with_http_only(mut self, http_only: bool) -> Self {
        self.http_only = http_only;
        self
    }

    /// The `SameSite` attribute, the first defence against cross-site request forgery.
    /// Default: [`SameSite::Lax`].
    pub fn with_same_site(mut self, same_site: SameSite) -> Self {
        self.same_site = same_site;
        self
    }

    pub(crate) fn validate(self) -> Result<CookieSettings, ConfigError> {
        let valid_name = !self.name.is_empty()
            && self
                .name
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b));
        if !valid_name {
            return Err(ConfigError::BadCookieName { name: self.name });
        }
        // A `;` would add attributes of its own; a control character would make the
        // `Set-Cookie` value invalid.
        let valid_attribute =
            |value: &str| value.bytes().all(|b| b.is_ascii_graphic() && b != b';');
        if !valid_attribute(&self.path) {
            return Err(ConfigError::BadCookieAttribute { attribute: "path" });
        }
        if !self.domain.as_deref().is_none_or(valid_attribute) {
            return Err(ConfigError::BadCookieAttribute {
                attribute: "domain",
            });
        }
        let settings = CookieSettings {
            overhead: 0,
            options: self,
        };
        // The longest Set-Cookie besides the token: the Max-Age of the longest lifetime.
        let longest = settings.render("", Some(u64::MAX)).len();
        Ok(CookieSettings {
            overhead: longest,
            ..settings
        })
    }
}

/// Checked cookie options, with the length of the attributes precomputed.
#[derive(Debug, Clone)]
pub(crate) struct CookieSettings {
    options: CookieOptions,
    overhead: usize,
}

impl CookieSettings {
    /// The value of our cookie among the request's `Cookie` headers (HTTP/2 may send several).
    pub(crate) fn find<'a>(&self, headers: &'a HeaderMap) -> Option<&'a [u8]> {
        let name = self.options.name.as_bytes();
        headers
            .get_all(header::COOKIE)
            .iter()
            .flat_map(|value| value.as_bytes().split(|&b| b == b';'))
            .find_map(|pair| {
                let pair = pair.trim_ascii();
                let (n, v) = pair.split_at_checked(name.len())?;
                (n == name).then_some(())?;
                v.strip_prefix(b"=")
            })
    }

    /// Characters of the `Set-Cookie` value besides the token.
    pub(crate) fn overhead(&self) -> usize {
        self.overhead
    }

    /// The `Set-Cookie` value that keeps `token` for `lifetime_ms`.
    pub(crate) fn keep(&self, token: &str, lifetime_ms: u64) -> String {
        self.render(token, Some(lifetime_ms / 1000))
    }

    /// The `Set-Cookie` value that removes the token.
    pub(crate) fn removal(&self) -> String {
        self.render("", None)
    }

    /// `max_age_secs`: `Some` keeps the cookie that long, `None` removes it.
    fn render(&self, value: &str, max_age_secs: Option<u64>) -> String {
        let o = &self.options;
        let mut cookie = Cookie::build((Cow::Borrowed(o.name.as_str()), Cow::Borrowed(value)))
            .path(o.path.as_str())
            .secure(o.secure)
            .http_only(o.http_only)
            .same_site(o.same_site);
        if let Some(domain) = &o.domain {
            cookie = cookie.domain(domain.as_str());
        }
        cookie = match max_age_secs {
            Some(secs) => cookie.max_age(time::Duration::seconds(
                i64::try_from(secs).unwrap_or(i64::MAX),
            )),
            None => cookie
                .max_age(time::Duration::ZERO)
                .expires(OffsetDateTime::UNIX_EPOCH),
        };
        cookie.build().to_string()
    }
}

#[cfg(test)]
mod tests {
    use http::HeaderValue;

    use super::*;

    fn settings() -> CookieSettings {
        CookieOptions::new().validate().unwrap()
    }

    #[test]
    fn set_cookie_has_the_documented_defaults() {
        let s = settings().keep("TOKEN", 86_400_000);
        assert_eq!(
            s,
            "session=TOKEN; HttpOnly; SameSite=Lax; Secure; Path=/; Max-Age=86400"
        );
        let removal = settings().removal();
        assert!(removal.starts_with("session=; "), "{removal}");
        assert!(
            removal.contains("Max-Age=0") && removal.contains("1970"),
            "{removal}"
        );
    }

    #[test]
    fn overhead_covers_the_longest_attributes() {
        let settings = settings();
        let s = settings.keep("", u64::MAX);
        assert!(s.len() <= settings.overhead(), "{s}");
        assert_eq!(
            settings.render("", Some(u64::MAX)).len(),
            settings.overhead()
        );
        assert!(settings.overhead() > 60);
    }

    #[test]
    fn finds_our_cookie_among_others_and_across_headers() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("a=1; sessionx=2"));
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("b=3;session=TOK; c=4"),
        );
        assert_eq!(settings().find(&headers), Some(&b"TOK"[..]));
        headers.clear();
        headers.append(header::COOKIE, HeaderValue::from_static("sessionx=2"));
        assert_eq!(settings().find(&headers), None);
    }

    #[test]
    fn attributes_that_would_inject_or_break_the_cookie_are_refused() {
        for path in ["/a; Domain=evil.test", "/a\nb", "/é"] {
            assert_eq!(
                CookieOptions::new().with_path(path).validate().unwrap_err(),
                ConfigError::BadCookieAttribute { attribute: "path" }
            );
        }
        assert_eq!(
            CookieOptions::new()
                .with_domain(Some("a.test; Secure"))
                .validate()
                .unwrap_err(),
            ConfigError::BadCookieAttribute {
                attribute: "domain"
            }
        );
        assert!(
            CookieOptions::new()
                .with_domain(Some("a.test"))
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn bad_names_are_refused() {
        for name in ["", "a b", "a;b", "a=b", "é"] {
            assert!(
                CookieOptions::new().with_name(name).validate().is_err(),
                "{name:?}"
            );
        }
    }
}
