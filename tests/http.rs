//! The response rules of the layer, over real HTTP on 127.0.0.1 with an injected clock.

mod common;

use common::{DAY, HOUR, Site, T0, config, inspect, routes, serve};
use sealed_session::{ManualClock, SessionLayer};

async fn site() -> Site {
    let clock = ManualClock::new(T0);
    Site::start(config(&[1], &clock), clock).await
}

#[tokio::test]
async fn new_untouched_session_sends_no_header() {
    // Exercise: a handler that reads the session of a request without a token.
    // Expectation: no header at all; nothing to store on the client.
    let site = site().await;
    let reply = site.get("/peek", None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["is_new"], true);
    assert_eq!(reply.token, None);
    assert_eq!(site.get("/nothing", None).await.token, None);
}

#[tokio::test]
async fn changed_session_gets_a_token_that_carries_it_to_the_next_request() {
    let site = site().await;
    let first = site.get("/count", None).await;
    assert_eq!(first.body, "1");
    let token = first.new_token();
    let opened = inspect(&[1], &token);
    assert_eq!(opened.envelope.created_ms, T0);
    assert_eq!(opened.envelope.expires_ms, T0 + 86_400_000);
    assert_eq!(opened.envelope.max_age_ms, 86_400_000);
    assert_eq!(opened.data.get_value("n").unwrap(), 1);

    let second = site.get("/count", Some(&token)).await;
    assert_eq!(second.body, "2");
    let peek = site.get("/peek", Some(&second.new_token())).await;
    assert_eq!(peek.json()["is_new"], false);
    assert_eq!(peek.json()["n"], 2);
    assert_eq!(peek.json()["id"], opened.envelope.sid.to_string());
}

#[tokio::test]
async fn read_only_session_sends_no_header() {
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    site.clock.advance(HOUR);
    let reply = site.get("/peek", Some(&token)).await;
    assert_eq!(reply.json()["n"], 1);
    assert_eq!(
        reply.token, None,
        "an unchanged, fresh session is not re-sealed"
    );
}

#[tokio::test]
async fn the_layer_around_the_whole_router_keeps_every_response_rule() {
    // Exercise: `SessionLayer::layer(router)` served as one service (the README's Performance
    // tip), instead of `Router::layer`.
    // Expectation: the same answers: a new untouched session sends nothing, a change sends a
    // token the next request reads, a read sends nothing, a refused token starts a new session.
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(config(&[1], &clock)).unwrap();
    let base = serve(tower::Layer::layer(&layer, routes())).await;
    let site = Site::at(base, clock);

    assert_eq!(site.get("/nothing", None).await.token, None);
    let first = site.get("/count", None).await;
    assert_eq!(first.body, "1");
    let token = first.new_token();
    assert_eq!(inspect(&[1], &token).data.get_value("n").unwrap(), 1);
    let second = site.get("/count", Some(&token)).await;
    assert_eq!(second.body, "2");
    let read = site.get("/peek", Some(&second.new_token())).await;
    assert_eq!(read.json()["n"], 2);
    assert_eq!(read.token, None);
    let refused = site.get("/peek", Some("not-a-token")).await;
    assert_eq!(refused.json()["is_new"], true);
}

#[tokio::test]
async fn renew_reissues_when_less_than_half_is_left_keeping_created() {
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    site.clock.advance(11 * HOUR);
    assert_eq!(
        site.get("/peek", Some(&token)).await.token,
        None,
        "13 h left of 24: no renew"
    );
    site.clock.advance(HOUR);
    assert_eq!(
        site.get("/peek", Some(&token)).await.token,
        None,
        "exactly half left: no renew"
    );
    site.clock.advance(std::time::Duration::from_millis(1));
    let renewed = site.get("/peek", Some(&token)).await.new_token();
    let opened = inspect(&[1], &renewed);
    assert_eq!(opened.envelope.created_ms, T0);
    assert_eq!(
        opened.envelope.expires_ms,
        T0 + 12 * 3_600_000 + 1 + 86_400_000
    );
    assert_eq!(opened.data.get_value("n").unwrap(), 1);
}

#[tokio::test]
async fn renew_off_lets_the_session_expire() {
    let clock = ManualClock::new(T0);
    let site = Site::start(config(&[1], &clock).with_renew(false), clock).await;
    let token = site.get("/count", None).await.new_token();
    site.clock.advance(23 * HOUR);
    assert_eq!(site.get("/peek", Some(&token)).await.token, None);
    site.clock.advance(HOUR);
    assert_eq!(site.get("/peek", Some(&token)).await.json()["is_new"], true);
}

#[tokio::test]
async fn rolling_reissues_on_every_response_with_a_session() {
    let clock = ManualClock::new(T0);
    let site = Site::start(config(&[1], &clock).with_rolling(true), clock).await;
    assert_eq!(
        site.get("/peek", None).await.token,
        None,
        "a new untouched session still gets none"
    );
    let mut token = site.get("/count", None).await.new_token();
    for hour in 1..=3u64 {
        site.clock.advance(HOUR);
        token = site.get("/peek", Some(&token)).await.new_token();
        assert_eq!(
            inspect(&[1], &token).envelope.expires_ms,
            T0 + hour * 3_600_000 + 86_400_000
        );
    }
}

#[tokio::test]
async fn token_of_an_older_key_is_resealed_under_the_first_keeping_both_times() {
    // Exercise: a token sealed with key 2, sent to a server whose list is [1, 2].
    // Expectation: re-sealed under key 1, even unchanged, with the same created and expiry.
    let clock = ManualClock::new(T0);
    let old = Site::start(config(&[2], &clock), clock.clone()).await;
    let token = old.get("/count", None).await.new_token();

    let new = Site::start(config(&[1, 2], &clock), clock.clone()).await;
    clock.advance(HOUR);
    let resealed = new.get("/peek", Some(&token)).await.new_token();
    let before = inspect(&[2], &token);
    let after = inspect(&[1], &resealed);
    assert_eq!(
        after.envelope, before.envelope,
        "rotation must never extend a session"
    );
    assert_eq!(after.data, before.data);
    assert_eq!(after.key_index, 0);
    // Once re-sealed, no further re-seal.
    assert_eq!(new.get("/peek", Some(&resealed)).await.token, None);
}

#[tokio::test]
async fn destroy_sends_an_empty_header_and_the_data_is_gone() {
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    let reply = site.post("/destroy", Some(&token)).await;
    assert_eq!(reply.token.as_deref(), Some(""));
    // The client drops its token, so its next request is new.
    assert_eq!(site.get("/peek", None).await.json()["is_new"], true);
}

#[tokio::test]
async fn cycle_id_gives_a_new_id_and_keeps_the_data() {
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    let before = inspect(&[1], &token);
    let reply = site.post("/cycle", Some(&token)).await;
    let after = inspect(&[1], &reply.new_token());
    assert_ne!(after.envelope.sid, before.envelope.sid);
    assert_eq!(
        reply.json()["id"],
        after.envelope.sid.to_string(),
        "id() agrees with the token"
    );
    assert_eq!(after.data.get_value("n").unwrap(), 1);
    assert_eq!(after.envelope.created_ms, T0);
}

#[tokio::test]
async fn set_max_age_gives_one_session_its_own_lifetime_within_the_absolute_one() {
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    let week = 7 * 24 * 3600;
    let reply = site.post(&format!("/max-age/{week}"), Some(&token)).await;
    let opened = inspect(&[1], &reply.new_token());
    assert_eq!(opened.envelope.max_age_ms, week * 1000);
    assert_eq!(opened.envelope.expires_ms, T0 + week * 1000);
    assert_eq!(reply.json()["expires_ms"], T0 + week * 1000);

    // 60 days asked for, 30 days (the absolute lifetime) given.
    let reply = site
        .post(&format!("/max-age/{}", 60 * 24 * 3600), Some(&token))
        .await;
    let opened = inspect(&[1], &reply.new_token());
    assert_eq!(opened.envelope.expires_ms, T0 + 30 * 86_400_000);
}

#[tokio::test]
async fn absolute_lifetime_is_not_extended_by_rolling() {
    let clock = ManualClock::new(T0);
    let site = Site::start(config(&[1], &clock).with_rolling(true), clock).await;
    let mut token = site.get("/count", None).await.new_token();
    for _ in 0..29 {
        site.clock.advance(DAY - HOUR);
        token = site.get("/peek", Some(&token)).await.new_token();
        assert!(inspect(&[1], &token).envelope.expires_ms <= T0 + 30 * 86_400_000);
    }
    site.clock.set(T0 + 30 * 86_400_000);
    assert_eq!(site.get("/peek", Some(&token)).await.json()["is_new"], true);
}

#[tokio::test]
async fn touch_reissues_with_a_fresh_expiry() {
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    site.clock.advance(HOUR);
    let touched = site.post("/touch", Some(&token)).await.new_token();
    assert_eq!(
        inspect(&[1], &touched).envelope.expires_ms,
        T0 + 3_600_000 + 86_400_000
    );
}

#[tokio::test]
async fn a_change_reissues_with_a_fresh_expiry() {
    // Exercise: a session written at T0, then written again an hour later (long before half
    // its max age has passed, so no renewal is due).
    // Expectation: the new token expires a max age after the change, not when the first did.
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    site.clock.advance(HOUR);
    let changed = site.get("/count", Some(&token)).await.new_token();
    assert_eq!(
        inspect(&[1], &changed).envelope.expires_ms,
        T0 + 3_600_000 + 86_400_000
    );
}

#[tokio::test]
async fn insert_over_the_cap_fails_at_once_with_both_sizes_and_changes_nothing() {
    // Exercise: store a string too large for a 4096-character token.
    // Expectation: the insert itself fails and names both sizes; the session keeps its data and
    // the response carries no token (nothing changed).
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    let reply = site.post("/big/5000", Some(&token)).await;
    assert_eq!(reply.status, 413);
    assert!(reply.body.contains("cap is 4096"), "{}", reply.body);
    assert!(
        reply.body.contains("would be 6812 characters"),
        "{}",
        reply.body
    );
    assert_eq!(reply.token, None);
    assert_eq!(site.get("/peek", Some(&token)).await.json()["n"], 1);

    // {"big":"…","n":1} is 16 bytes besides the string; 3072 bytes fit in 4096 characters, of
    // which 93 are a version 2 token's overhead: so 2963 characters fit and 2964 do not.
    assert_eq!(site.post("/big/2964", Some(&token)).await.status, 413);
    let ok = site.post("/big/2963", Some(&token)).await;
    assert_eq!(ok.body, "stored");
    assert_eq!(ok.new_token().len(), 4096);
}

#[tokio::test]
async fn parallel_requests_each_get_their_own_session() {
    let site = site().await;
    let token = site.get("/count", None).await.new_token();
    let (a, b) = tokio::join!(
        site.get("/count", Some(&token)),
        site.get("/count", Some(&token))
    );
    // Both started from n = 1; neither saw the other's change. The last to arrive wins on the client.
    assert_eq!((a.body.as_str(), b.body.as_str()), ("2", "2"));
}

#[tokio::test]
async fn extractor_without_the_layer_answers_500_naming_the_fix() {
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(|_s: sealed_session::Session| async { "unreachable" }),
    );
    let base = serve(router).await;
    let res = reqwest::get(&base).await.unwrap();
    assert_eq!(res.status(), 500);
    let body = res.text().await.unwrap();
    assert!(
        body.contains("add `.layer(SessionLayer::new(..)?)`"),
        "{body}"
    );
}

#[tokio::test]
async fn a_route_added_after_the_layer_answers_500_naming_the_order() {
    // Exercise: the layer is there, but one route is added after `.layer(..)` (so axum does not
    // wrap it), as a user who appends a route to the quick start does.
    // Expectation: the wrapped route keeps its session; the late one answers 500 with a body
    // that says to move the layer below the route, not only "add the layer".
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(config(&[1], &clock)).unwrap();
    let get = |path| {
        axum::Router::new().route(
            path,
            axum::routing::get(
                |s: sealed_session::Session| async move { format!("{}", s.is_new()) },
            ),
        )
    };
    let router = get("/wrapped").layer(layer).merge(get("/late"));
    let base = serve(router).await;
    let wrapped = reqwest::get(format!("{base}/wrapped")).await.unwrap();
    assert_eq!(wrapped.status(), 200);
    assert_eq!(wrapped.text().await.unwrap(), "true");
    let late = reqwest::get(format!("{base}/late")).await.unwrap();
    assert_eq!(late.status(), 500);
    let body = late.text().await.unwrap();
    assert!(
        body.contains("add `.layer(SessionLayer::new(..)?)`"),
        "{body}"
    );
    assert!(
        body.contains(
            "a route added after `.layer(..)` is not wrapped by it: move the layer below it"
        ),
        "{body}"
    );
}

#[tokio::test]
async fn optional_extractor_is_none_without_the_layer() {
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(|s: Option<sealed_session::Session>| async move {
            format!("{}", s.is_some())
        }),
    );
    let base = serve(router).await;
    assert_eq!(
        reqwest::get(&base).await.unwrap().text().await.unwrap(),
        "false"
    );
}

#[tokio::test]
async fn custom_header_name_is_used_both_ways() {
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(config(&[1], &clock).with_header_name("X-WX-Session")).unwrap();
    let base = serve(common::app(layer)).await;
    let client = common::client();
    let res = client.get(format!("{base}/count")).send().await.unwrap();
    let token = res.headers()["x-wx-session"].to_str().unwrap().to_owned();
    let res = client
        .get(format!("{base}/count"))
        .header("x-wx-session", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.text().await.unwrap(), "2");
}

#[tokio::test]
async fn regenerate_restarts_the_absolute_lifetime_for_a_login() {
    // Exercise: an anonymous session 29 days old (written every 20 hours) logs in with
    // `regenerate`, then `cycle_id` for comparison.
    // Expectation: after regenerate the session is created now, with a full max age, the
    // same line, one more generation, a new id and only the login's data; cycle_id instead
    // keeps the creation time, so its expiry is capped by the absolute lifetime.
    let site = site().await;
    let mut token = site.get("/count", None).await.new_token();
    for _ in 0..35 {
        site.clock.advance(20 * HOUR);
        token = site.get("/count", Some(&token)).await.new_token();
    }
    let before = inspect(&[1], &token).envelope;
    assert_eq!(before.created_ms, T0, "one session all along");
    let now = T0 + 700 * 3_600_000;
    let cycled = inspect(&[1], &site.post("/cycle", Some(&token)).await.new_token()).envelope;
    assert_eq!(cycled.created_ms, T0);
    assert_eq!(
        cycled.expires_ms,
        T0 + 30 * 86_400_000,
        "capped at the absolute lifetime"
    );
    let login = site.post("/regenerate", Some(&token)).await;
    let after = inspect(&[1], &login.new_token());
    assert_eq!(after.envelope.created_ms, now);
    assert_eq!(after.envelope.expires_ms, now + 86_400_000);
    assert_eq!(after.envelope.line, before.line);
    assert_eq!(after.envelope.generation, before.generation + 1);
    assert_ne!(after.envelope.sid, before.sid);
    assert_eq!(after.data.keys().collect::<Vec<_>>(), ["user"]);
}

#[test]
fn a_max_age_past_the_absolute_lifetime_warns_at_start_up() {
    let (events, _guard) = common::Events::capture();
    let clock = ManualClock::new(T0);
    SessionLayer::new(config(&[1], &clock).with_max_age(40 * DAY)).unwrap();
    let lines = events.lines();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("WARN") && l.contains("longer than the absolute lifetime")),
        "{lines:?}"
    );
    events.take();
    SessionLayer::new(config(&[1], &clock).with_max_age(DAY)).unwrap();
    assert!(events.lines().is_empty());
}

#[test]
fn the_layer_is_ready_when_its_handler_is() {
    // Exercise: a handler service that is not ready (pending, then failing, then ready).
    // Expectation: the session service says the same each time, so the server waits for it or
    // drops it exactly as it would without the layer.
    use std::task::{Context, Poll, Waker};
    use tower::{Layer as _, Service};
    #[derive(Clone)]
    struct Readiness(Poll<Result<(), &'static str>>);
    impl Service<http::Request<()>> for Readiness {
        type Response = http::Response<()>;
        type Error = &'static str;
        type Future = std::future::Ready<Result<Self::Response, Self::Error>>;
        fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            self.0
        }
        fn call(&mut self, _: http::Request<()>) -> Self::Future {
            std::future::ready(Ok(http::Response::new(())))
        }
    }
    let clock = ManualClock::new(T0);
    let layer = SessionLayer::new(config(&[1], &clock)).unwrap();
    let mut cx = Context::from_waker(Waker::noop());
    for readiness in [Poll::Pending, Poll::Ready(Err("busy")), Poll::Ready(Ok(()))] {
        let mut service = layer.layer(Readiness(readiness));
        assert_eq!(service.poll_ready(&mut cx), readiness);
    }
}
