//! One session, three carriers: header, cookie and bearer, over real HTTP on 127.0.0.1.

mod common;

use common::{HEADER, T0, app, config, inspect, serve};
use reqwest::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use sealed_session::{Carrier, CookieOptions, ManualClock, SessionLayer};

async fn site(carriers: &[Carrier]) -> (String, ManualClock) {
    let clock = ManualClock::new(T0);
    let layer =
        SessionLayer::new(config(&[1], &clock).with_carriers(carriers.iter().copied())).unwrap();
    (serve(app(layer)).await, clock)
}

/// What one request got back, on every carrier.
struct Reply {
    status: u16,
    body: String,
    header: Option<String>,
    set_cookie: Vec<String>,
}

impl Reply {
    /// The token in `Set-Cookie: session=<token>; ...`.
    fn cookie_token(&self) -> String {
        assert_eq!(self.set_cookie.len(), 1, "{:?}", self.set_cookie);
        let value = self.set_cookie[0].strip_prefix("session=").unwrap();
        value.split(';').next().unwrap().to_owned()
    }
}

async fn send(method: &str, url: String, headers: &[(&str, String)]) -> Reply {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = common::client().request(method, url);
    for (name, value) in headers {
        req = req.header(*name, value);
    }
    let res = req.send().await.unwrap();
    Reply {
        status: res.status().as_u16(),
        header: res
            .headers()
            .get(HEADER)
            .map(|v| v.to_str().unwrap().to_owned()),
        set_cookie: res
            .headers()
            .get_all(SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect(),
        body: res.text().await.unwrap(),
    }
}

#[tokio::test]
async fn cookie_carrier_keeps_the_session_with_the_documented_attributes() {
    let (base, _clock) = site(&[Carrier::Cookie]).await;
    let first = send("GET", format!("{base}/count"), &[]).await;
    assert_eq!(first.header, None);
    assert_eq!(first.set_cookie.len(), 1);
    let set = &first.set_cookie[0];
    for attribute in [
        "HttpOnly",
        "SameSite=Lax",
        "Secure",
        "Path=/",
        "Max-Age=86400",
    ] {
        assert!(set.contains(attribute), "{attribute} missing from {set}");
    }
    let token = first.cookie_token();
    assert_eq!(inspect(&[1], &token).data.get_value("n").unwrap(), 1);

    let cookie = format!("other=1; session={token}; more=2");
    let second = send("GET", format!("{base}/count"), &[(COOKIE.as_str(), cookie)]).await;
    assert_eq!(second.body, "2");

    let bye = send(
        "POST",
        format!("{base}/destroy"),
        &[(
            COOKIE.as_str(),
            format!("session={}", second.cookie_token()),
        )],
    )
    .await;
    let removal = &bye.set_cookie[0];
    assert!(removal.starts_with("session=;"), "{removal}");
    assert!(
        removal.contains("Max-Age=0") && removal.contains("1970"),
        "{removal}"
    );
}

#[tokio::test]
async fn cookie_max_age_follows_the_token_expiry() {
    let (base, clock) = site(&[Carrier::Cookie]).await;
    let token = send("GET", format!("{base}/count"), &[])
        .await
        .cookie_token();
    clock.advance(common::HOUR * 13);
    // Less than half left: renewed, and the cookie lives as long as the new token.
    let renewed = send(
        "GET",
        format!("{base}/peek"),
        &[(COOKIE.as_str(), format!("session={token}"))],
    )
    .await;
    assert!(
        renewed.set_cookie[0].contains("Max-Age=86400"),
        "{:?}",
        renewed.set_cookie
    );
    // A 60-day max age is cut to what is left of the absolute lifetime (30 days from creation).
    let long = send(
        "POST",
        format!("{base}/max-age/{}", 60 * 86_400),
        &[(
            COOKIE.as_str(),
            format!("session={}", renewed.cookie_token()),
        )],
    )
    .await;
    let left = 30 * 86_400 - 13 * 3600;
    assert!(
        long.set_cookie[0].contains(&format!("Max-Age={left}")),
        "{:?}",
        long.set_cookie
    );
}

#[tokio::test]
async fn bearer_requests_are_answered_in_the_header() {
    let (base, _clock) = site(&[Carrier::Bearer, Carrier::Header]).await;
    // A new session answers on the first carrier: bearer, i.e. the header.
    let first = send("GET", format!("{base}/count"), &[]).await;
    let token = first.header.clone().unwrap();
    let second = send(
        "GET",
        format!("{base}/count"),
        &[(AUTHORIZATION.as_str(), format!("Bearer {token}"))],
    )
    .await;
    assert_eq!(second.body, "2");
    assert!(second.header.is_some());
    let other_scheme = send(
        "GET",
        format!("{base}/peek"),
        &[(AUTHORIZATION.as_str(), format!("Basic {token}"))],
    )
    .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&other_scheme.body).unwrap()["is_new"],
        true
    );
}

#[tokio::test]
async fn mixed_order_reads_in_order_and_answers_on_the_carrier_used() {
    // Exercise: header then cookie; requests carry one, the other, both, or neither.
    // Expectation: the response answers where the token came from; a new session on the header.
    let (base, _clock) = site(&[Carrier::Header, Carrier::Cookie]).await;
    let by_header = send("GET", format!("{base}/count"), &[]).await;
    assert!(by_header.set_cookie.is_empty());
    let header_token = by_header.header.unwrap();

    let cookie_only = send(
        "GET",
        format!("{base}/count"),
        &[(COOKIE.as_str(), format!("session={header_token}"))],
    )
    .await;
    assert_eq!(cookie_only.body, "2");
    assert_eq!(cookie_only.header, None);
    let cookie_token = cookie_only.cookie_token();

    // Both: the header comes first in the order, and wins.
    let both = send(
        "GET",
        format!("{base}/count"),
        &[
            (HEADER, header_token.clone()),
            (COOKIE.as_str(), format!("session={cookie_token}")),
        ],
    )
    .await;
    assert_eq!(both.body, "2", "the header's session (n = 1) was used");
    assert!(both.header.is_some() && both.set_cookie.is_empty());

    // A refused header token falls through to a valid cookie.
    let fallback = send(
        "GET",
        format!("{base}/count"),
        &[
            (HEADER, "garbage".into()),
            (COOKIE.as_str(), format!("session={cookie_token}")),
        ],
    )
    .await;
    assert_eq!(fallback.body, "3");
    assert_eq!(fallback.set_cookie.len(), 1);

    // A refused cookie alone: the new session answers on the cookie, replacing the bad one.
    let refused = send(
        "GET",
        format!("{base}/count"),
        &[(COOKIE.as_str(), "session=garbage".into())],
    )
    .await;
    assert_eq!(refused.body, "1");
    assert_eq!(refused.header, None);
    assert_eq!(refused.set_cookie.len(), 1);
}

#[tokio::test]
async fn cookie_size_cap_counts_the_attributes_so_browsers_never_drop_it() {
    let (base, _clock) = site(&[Carrier::Cookie]).await;
    // Attributes take 77 characters at most ("session=" and "; HttpOnly; ...; Max-Age=<19 digits>"),
    // leaving 4019 for the token: 3014 bytes, 2921 of JSON in version 2 (93 bytes of
    // overhead), of which {"big":"…"} takes 10.
    let too_big = send("POST", format!("{base}/big/2912"), &[]).await;
    assert_eq!(too_big.status, 413, "{}", too_big.body);
    assert!(too_big.set_cookie.is_empty());
    let fits = send("POST", format!("{base}/big/2911"), &[]).await;
    assert_eq!(fits.body, "stored");
    assert!(
        fits.set_cookie[0].len() <= 4096,
        "{}",
        fits.set_cookie[0].len()
    );
}

#[tokio::test]
async fn custom_cookie_options_are_applied() {
    let clock = ManualClock::new(T0);
    let config = config(&[1], &clock)
        .with_carriers([Carrier::Cookie])
        .with_cookie(
            CookieOptions::new()
                .with_name("sid")
                .with_secure(false)
                .with_path("/api")
                .with_domain(Some("example.test"))
                .with_same_site(sealed_session::SameSite::Strict),
        );
    let base = serve(app(SessionLayer::new(config).unwrap())).await;
    let reply = send("GET", format!("{base}/count"), &[]).await;
    let set = &reply.set_cookie[0];
    assert!(set.starts_with("sid="), "{set}");
    assert!(!set.contains("Secure"), "{set}");
    for attribute in [
        "Path=/api",
        "Domain=example.test",
        "SameSite=Strict",
        "HttpOnly",
    ] {
        assert!(set.contains(attribute), "{attribute} missing from {set}");
    }
}
