//! A fleet of three independent servers, each with its own configuration and port, and clients
//! that send each request to the next instance; then a rolling key rotation under that traffic.

mod common;

use std::time::Duration;

use common::{HEADER, T0, app, config, keys};
use sealed_session::{ManualClock, SessionLayer, token::Codec};
use tokio::{sync::oneshot, task::JoinHandle};

const OLD: u8 = 1;
const NEW: u8 = 2;

/// One server of the fleet: its own `SessionConfig`, listener and port.
struct Instance {
    base: String,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl Instance {
    async fn start(key_bytes: &[u8], clock: &ManualClock) -> Self {
        let layer = SessionLayer::new(config(key_bytes, clock)).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app(layer))
                .with_graceful_shutdown(async {
                    stopped.await.ok();
                })
                .await
                .unwrap();
        });
        Self { base, stop, task }
    }

    async fn stop(self) {
        self.stop.send(()).unwrap();
        // Bounded: graceful shutdown closes idle keep-alive connections at once.
        tokio::time::timeout(Duration::from_secs(30), self.task)
            .await
            .expect("the instance stops")
            .unwrap();
    }
}

/// The fleet and the round-robin that picks the instance of the next request.
struct Fleet {
    instances: Vec<Instance>,
    next: usize,
    clock: ManualClock,
    http: reqwest::Client,
}

impl Fleet {
    async fn start(key_bytes: &[u8]) -> Self {
        let clock = ManualClock::new(T0);
        let mut instances = Vec::new();
        for _ in 0..3 {
            instances.push(Instance::start(key_bytes, &clock).await);
        }
        Self {
            instances,
            next: 0,
            clock,
            http: common::client(),
        }
    }

    /// Changes the keys of instance `i`: it stops, and a new server with the new configuration
    /// takes its place in the round-robin (on a new port).
    async fn reconfigure(&mut self, i: usize, key_bytes: &[u8]) {
        let fresh = Instance::start(key_bytes, &self.clock).await;
        let old = std::mem::replace(&mut self.instances[i], fresh);
        old.stop().await;
    }

    /// `GET /count` on the next instance; returns the new count and the instance's index.
    async fn count(&mut self, client: &mut Client) -> (u64, usize) {
        let i = self.next % self.instances.len();
        self.next += 1;
        let mut req = self.http.get(format!("{}/count", self.instances[i].base));
        if let Some(token) = &client.token {
            req = req.header(HEADER, token);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), 200);
        let token = res.headers()[HEADER].to_str().unwrap().to_owned();
        let n: u64 = res.text().await.unwrap().parse().unwrap();
        client.token = Some(token);
        (n, i)
    }

    /// One request of `client` that must continue its session.
    async fn continues(&mut self, client: &mut Client, when: &str) {
        let (n, i) = self.count(client).await;
        assert_eq!(
            n,
            client.count + 1,
            "{when}: client {} lost its session on instance {i}",
            client.name
        );
        client.count = n;
    }

    /// Three requests from every active client, so each one meets all three instances.
    async fn round(&mut self, clients: &mut [Client], when: &str) {
        for _ in 0..3 {
            for client in clients.iter_mut() {
                self.continues(client, when).await;
            }
        }
    }
}

struct Client {
    name: String,
    token: Option<String>,
    count: u64,
}

impl Client {
    fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            token: None,
            count: 0,
        }
    }

    /// Whether the client's token was sealed with the key of byte `key`.
    fn sealed_with(&self, key: u8) -> bool {
        let token = self.token.as_deref().unwrap();
        Codec::new(keys(&[key]))
            .with_absolute_lifetime(None)
            .open(token.as_bytes(), T0)
            .is_ok()
    }
}

#[tokio::test]
async fn a_session_continues_across_three_instances_with_the_same_keys() {
    // Exercise: each request of a client goes to the next of three independent servers.
    // Expectation: the counter goes 1, 2, 3, ... whichever instance answers.
    let mut fleet = Fleet::start(&[OLD]).await;
    let mut clients: Vec<Client> = (0..4).map(|i| Client::new(&format!("c{i}"))).collect();
    let mut seen = [0usize; 3];
    for _ in 0..6 {
        for client in &mut clients {
            let (n, i) = fleet.count(client).await;
            assert_eq!(
                n,
                client.count + 1,
                "client {} on instance {i}",
                client.name
            );
            client.count = n;
            seen[i] += 1;
        }
    }
    assert!(seen.iter().all(|&n| n == 8), "round-robin: {seen:?}");
    assert!(clients.iter().all(|c| c.count == 6));
}

#[tokio::test]
async fn rolling_key_rotation_under_traffic_keeps_every_session_that_was_used() {
    // Exercise: under round-robin traffic, each instance in turn is restarted with
    // phase 1: [old, new]; phase 2: [new, old]; phase 3: [new]. Clients keep sending requests
    // between every restart. One client sleeps through everything on its first (old-key)
    // token; another wakes once between phases 2 and 3.
    // Expectation: no active client loses its session in any phase; after phase 2 every active
    // token is sealed with the new key; after phase 3 the early riser's re-sealed token still
    // opens, and only the sleeper's never re-sealed token is refused.
    let mut fleet = Fleet::start(&[OLD]).await;
    let mut active: Vec<Client> = (0..5).map(|i| Client::new(&format!("active{i}"))).collect();
    let mut sleeper = Client::new("sleeper");
    let mut early_riser = Client::new("early riser");
    fleet.continues(&mut sleeper, "start").await;
    fleet.continues(&mut early_riser, "start").await;
    fleet.round(&mut active, "before rotation").await;
    assert!(sleeper.sealed_with(OLD) && early_riser.sealed_with(OLD));

    for i in 0..3 {
        fleet.reconfigure(i, &[OLD, NEW]).await;
        fleet
            .round(
                &mut active,
                &format!("phase 1, instance {i} has [old, new]"),
            )
            .await;
    }
    assert!(
        active.iter().all(|c| c.sealed_with(OLD)),
        "nothing seals with a second key"
    );

    for i in 0..3 {
        fleet.reconfigure(i, &[NEW, OLD]).await;
        fleet
            .round(
                &mut active,
                &format!("phase 2, instance {i} has [new, old]"),
            )
            .await;
    }
    assert!(
        active.iter().all(|c| c.sealed_with(NEW)),
        "every active client was re-sealed under the new key"
    );
    fleet
        .continues(&mut early_riser, "after phase 2, an old-key token")
        .await;
    assert!(early_riser.sealed_with(NEW));
    assert!(sleeper.sealed_with(OLD) && !sleeper.sealed_with(NEW));

    for i in 0..3 {
        fleet.reconfigure(i, &[NEW]).await;
        fleet
            .round(&mut active, &format!("phase 3, instance {i} has [new]"))
            .await;
    }
    fleet
        .continues(&mut early_riser, "after phase 3, a re-sealed token")
        .await;
    assert_eq!(early_riser.count, 3);

    let (n, i) = fleet.count(&mut sleeper).await;
    assert_eq!(
        n, 1,
        "instance {i} refused the never re-sealed token: a new session"
    );
    assert!(sleeper.sealed_with(NEW));
    assert!(active.iter().all(|c| c.count == 3 * 10), "10 rounds of 3");
}
