//! Where the token travels: a request header (the default), a cookie, or
//! `Authorization: Bearer`. This module finds the token in a request and writes the outcome into
//! a response; it never looks inside the token.

use std::fmt;

use http::{HeaderMap, HeaderName, HeaderValue, header};

#[cfg(feature = "cookie")]
use crate::cookie::{CookieSettings, CookieValues};
use crate::session::TokenUpdate;

/// A way the session token can travel. A configuration lists the carriers it reads, in order;
/// see [`SessionConfig::with_carriers`](crate::SessionConfig::with_carriers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Carrier {
    /// The configured header, both ways: what mini programs, apps and scripts use.
    Header,
    /// A cookie (feature `cookie`): what browsers keep on their own. The response sets it with
    /// `Set-Cookie`, and an expired cookie removes it.
    #[cfg(feature = "cookie")]
    #[cfg_attr(docsrs, doc(cfg(feature = "cookie")))]
    Cookie,
    /// `Authorization: Bearer <token>` on requests, for API clients and scripts; responses answer
    /// in the configured header, as there is no response form of `Authorization`.
    Bearer,
}

impl fmt::Display for Carrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Header => "header",
            #[cfg(feature = "cookie")]
            Self::Cookie => "cookie",
            Self::Bearer => "bearer",
        })
    }
}

/// The configured carriers, checked and ready.
#[derive(Debug, Clone)]
pub(crate) struct Carriers {
    order: Vec<Carrier>,
    header: HeaderName,
    #[cfg(feature = "cookie")]
    cookie: CookieSettings,
}

impl Carriers {
    pub(crate) fn new(
        order: Vec<Carrier>,
        header: HeaderName,
        #[cfg(feature = "cookie")] cookie: CookieSettings,
    ) -> Self {
        Self {
            order,
            header,
            #[cfg(feature = "cookie")]
            cookie,
        }
    }

    #[cfg(test)]
    pub(crate) fn header(&self) -> &HeaderName {
        &self.header
    }

    /// The first configured carrier: the one a brand-new session answers on.
    pub(crate) fn first(&self) -> Carrier {
        self.order[0]
    }

    /// The tokens present in a request, in the configured order, with their carriers (every
    /// cookie of our name, in order, for the cookie carrier).
    pub(crate) fn tokens<'a>(
        &'a self,
        headers: &'a HeaderMap,
    ) -> impl Iterator<Item = (Carrier, &'a [u8])> + 'a {
        self.order.iter().flat_map(move |&carrier| {
            let found: Found<'a, CookieValues<'a>> = match carrier {
                Carrier::Header => Found::One(headers.get(&self.header).map(HeaderValue::as_bytes)),
                Carrier::Bearer => Found::One(headers.get(header::AUTHORIZATION).and_then(bearer)),
                #[cfg(feature = "cookie")]
                Carrier::Cookie => Found::Cookies(self.cookie.find(headers)),
            };
            found.map(move |token| (carrier, token))
        })
    }

    /// Characters the response's carrier adds around the token, counted against the size cap.
    // Without the cookie carrier no carrier adds anything; the method keeps one signature.
    #[cfg_attr(not(feature = "cookie"), allow(clippy::unused_self))]
    pub(crate) fn overhead(&self, carrier: Carrier) -> usize {
        match carrier {
            Carrier::Header | Carrier::Bearer => 0,
            #[cfg(feature = "cookie")]
            Carrier::Cookie => self.cookie.overhead(),
        }
    }

    /// Writes `answer` into the response headers, on the carrier the request used.
    pub(crate) fn write(&self, carrier: Carrier, headers: &mut HeaderMap, update: TokenUpdate) {
        // `None`: the client drops its token; else the token and its lifetime in ms.
        let token = match update {
            TokenUpdate::Keep | TokenUpdate::Withheld => return,
            TokenUpdate::Clear => None,
            TokenUpdate::Token {
                token, lifetime_ms, ..
            } => Some((token, lifetime_ms)),
        };
        match carrier {
            Carrier::Header | Carrier::Bearer => {
                let value = token.map_or(HeaderValue::from_static(""), |(t, _)| sensitive(t));
                headers.insert(self.header.clone(), value);
            }
            #[cfg(feature = "cookie")]
            Carrier::Cookie => {
                let set_cookie = match token {
                    Some((token, lifetime_ms)) => self.cookie.keep(&token, lifetime_ms),
                    None => self.cookie.removal(),
                };
                headers.append(header::SET_COOKIE, sensitive(set_cookie));
            }
        }
    }
}

#[cfg(not(feature = "cookie"))]
type CookieValues<'a> = std::iter::Empty<&'a [u8]>;

/// The tokens one carrier found: at most one header value, or every cookie of our name.
enum Found<'a, C> {
    One(Option<&'a [u8]>),
    #[cfg_attr(not(feature = "cookie"), allow(dead_code))]
    Cookies(C),
}

impl<'a, C: Iterator<Item = &'a [u8]>> Iterator for Found<'a, C> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        match self {
            Self::One(token) => token.take(),
            Self::Cookies(cookies) => cookies.next(),
        }
    }
}

/// A header value for a token or a cookie that holds one, marked sensitive for loggers.
fn sensitive(text: String) -> HeaderValue {
    // The conversion keeps the string's buffer. base64url and our cookie attributes are always
    // valid header text; should that ever fail, an empty value makes the client drop its token.
    let mut value = HeaderValue::try_from(text).unwrap_or(HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}

/// The token of `Authorization: Bearer <token>` (the scheme is case-insensitive, RFC 7235).
fn bearer(value: &HeaderValue) -> Option<&[u8]> {
    let bytes = value.as_bytes();
    let (scheme, rest) = bytes.split_at_checked(7)?;
    scheme
        .eq_ignore_ascii_case(b"bearer ")
        .then(|| rest.trim_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_takes_the_token_of_the_bearer_scheme_only() {
        let v = |s: &'static str| HeaderValue::from_static(s);
        assert_eq!(bearer(&v("Bearer abc")), Some(&b"abc"[..]));
        assert_eq!(bearer(&v("bearer  abc ")), Some(&b"abc"[..]));
        assert_eq!(bearer(&v("Basic abc")), None);
        assert_eq!(bearer(&v("Bearer")), None);
        assert_eq!(bearer(&v("Bearer ")), Some(&b""[..]));
    }
}
