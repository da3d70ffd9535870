//! The HTTP plumbing every platform's exchange shares: a client that never follows redirects, the
//! endpoint below a checked API base, and answers read up to a cap into wiped memory.

use std::time::Duration;

use reqwest::{Url, redirect::Policy};
use zeroize::Zeroizing;

use super::error::Kind;

/// A `reqwest` error without the request URL (it may hold a secret or a login code).
fn failure(e: reqwest::Error) -> Kind {
    if e.is_timeout() {
        Kind::Timeout
    } else {
        Kind::Transport(Box::new(e.without_url()))
    }
}

/// An HTTP client with rustls and a total timeout, that follows no redirect (a redirect would
/// carry a secret elsewhere; no platform API redirects).
pub(crate) fn client(timeout: Duration) -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(timeout)
        .redirect(Policy::none())
        .build()
}

/// `{api_base}/{path}`, checked: an `http(s)` URL without query or fragment; with an empty
/// `path`, the API base itself (Alipay's gateway is a whole URL).
pub(crate) fn endpoint(api_base: &str, path: &str) -> Result<Url, &'static str> {
    let base = Url::parse(api_base).map_err(|_| "not a URL")?;
    if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
        return Err("not an http or https URL");
    }
    if base.query().is_some() || base.fragment().is_some() {
        return Err("it has a query or a fragment");
    }
    if path.is_empty() {
        return Ok(base);
    }
    let joined = format!("{}/{path}", base.as_str().trim_end_matches('/'));
    Url::parse(&joined).map_err(|_| "not a URL")
}

/// The URL without a password, for printing (a proxy in the API base may carry one).
pub(crate) fn redacted(url: &Url) -> Url {
    let mut url = url.clone();
    if url.password().is_some() {
        // Only fails for URLs that cannot have a password, which this one has.
        let _ = url.set_password(Some("REDACTED"));
    }
    url
}

/// A login code worth sending: not empty, at most `max` bytes, printable ASCII.
pub(crate) fn plausible_code(code: &str, max: usize) -> bool {
    !code.is_empty() && code.len() <= max && code.bytes().all(|b| b.is_ascii_graphic())
}

/// Sends `request`, checks for status 200 and reads the whole body up to `max` bytes, into
/// memory that is wiped on drop (WeChat's server APIs).
#[cfg(feature = "wechat")]
pub(crate) async fn fetch(
    request: reqwest::RequestBuilder,
    max: usize,
) -> Result<Zeroizing<Vec<u8>>, Kind> {
    fetch_answer(request, max, &[]).await
}

/// The same, reading the body of the statuses in `also` too (a platform's error answers).
pub(crate) async fn fetch_answer(
    request: reqwest::RequestBuilder,
    max: usize,
    also: &[u16],
) -> Result<Zeroizing<Vec<u8>>, Kind> {
    let mut response = request.send().await.map_err(failure)?;
    let status = response.status().as_u16();
    if status != 200 && !also.contains(&status) {
        return Err(Kind::Status(status));
    }
    if response
        .content_length()
        .is_some_and(|len| len > max as u64)
    {
        return Err(Kind::TooLarge { max });
    }
    // Reserved once, so that no reallocation leaves an unwiped copy behind.
    let mut body = Zeroizing::new(Vec::with_capacity(max));
    while let Some(chunk) = response.chunk().await.map_err(failure)? {
        if chunk.len() > max - body.len() {
            return Err(Kind::TooLarge { max });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_is_below_the_api_base() {
        for (base, expected) in [
            ("http://127.0.0.1:9/", "http://127.0.0.1:9/a/b"),
            ("https://proxy.test/wx/", "https://proxy.test/wx/a/b"),
            ("https://proxy.test/wx", "https://proxy.test/wx/a/b"),
        ] {
            assert_eq!(endpoint(base, "a/b").unwrap().as_str(), expected);
        }
        let gateway = "https://openapi.alipay.com/gateway.do";
        assert_eq!(endpoint(gateway, "").unwrap().as_str(), gateway);
        for base in [
            "",
            "x.test",
            "ftp://x.test",
            "https://x.test/?a=1",
            "https://x.test/#f",
            "mailto:a@b",
        ] {
            assert!(endpoint(base, "a").is_err(), "{base}");
        }
    }

    #[test]
    fn codes_worth_sending() {
        assert!(plausible_code("abc", 3));
        for code in ["", "abcd", "a b", "a\n", "登录"] {
            assert!(!plausible_code(code, 3), "{code:?}");
        }
    }
}
