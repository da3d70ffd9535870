//! Key rotation with one change and no restart, end to end: three servers on 127.0.0.1 read one
//! key file through `KeySource`, clients move between them on every request, and this tool
//! edits the file (`keys init`, `keys rotate --at`, `keys retire`) while the traffic goes on.
//! Time is each server's `ManualClock` (and `--now` for the tool); reloads are triggered by the
//! test. Nothing sleeps.

// A test may stop at the first surprise.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used)]

use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::atomic::{AtomicBool, Ordering},
    time::Duration,
};

use axum::{
    Router,
    routing::{get, post},
};
use base64::{Engine as _, engine::general_purpose::URL_SAFE_NO_PAD};
use sealed_session::{
    Clock as _, KeySource, Keys, ManualClock, Reload, Session, SessionConfig, SessionLayer,
    key_file::format_time,
};

const BIN: &str = env!("CARGO_BIN_EXE_sealed-session");
const HEADER: &str = "x-session";
/// 2026-12-05T10:00:00Z, whole seconds: the new key's time.
const T: u64 = 1_796_464_800_000;
/// The servers start half an hour before it.
const START: u64 = T - 30 * 60 * 1000;
const MAX_AGE: Duration = Duration::from_secs(3600);

/// Runs the tool; panics unless it exits 0. Returns its standard output.
fn tool(args: &[&str]) -> String {
    let out = Command::new(BIN).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "sealed-session {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A directory of its own under the system's temporary directory, removed on drop.
struct Dir(PathBuf);

impl Dir {
    /// Named by the test and the process, so that runs side by side do not meet.
    fn new(name: &str) -> Self {
        let pid = std::process::id();
        let dir = std::env::temp_dir().join(format!("sealed-session-{name}-{pid}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The key id a token names in clear (bytes 1 to 4), as hex.
fn kid(token: &str) -> String {
    let head = URL_SAFE_NO_PAD.decode(&token[..8]).unwrap();
    head[1..5].iter().map(|b| format!("{b:02x}")).collect()
}

/// The ids of a key file's keys, in order.
fn kids(path: &Path) -> Vec<String> {
    let keys = Keys::from_key_file(&std::fs::read(path).unwrap()).unwrap();
    keys.as_slice().iter().map(|k| k.id().to_string()).collect()
}

/// `POST /count` adds one to the session's counter; `GET /peek` reads it without a change.
fn app(layer: SessionLayer) -> Router {
    async fn count(session: Session) -> String {
        let n = session.get::<u64>("n").unwrap().unwrap_or(0) + 1;
        session.insert("n", n).unwrap();
        n.to_string()
    }
    async fn peek(session: Session) -> String {
        session.get::<u64>("n").unwrap().unwrap_or(0).to_string()
    }
    Router::new()
        .route("/count", post(count))
        .route("/peek", get(peek))
        .layer(layer)
}

/// One server: its clock, its key source on the shared file, its address.
struct Server {
    base: String,
    clock: ManualClock,
    keys: KeySource,
}

impl Server {
    async fn start(file: &Path, now: u64) -> Self {
        let clock = ManualClock::new(now);
        let keys = KeySource::from_file_with_clock(file, clock.clone()).unwrap();
        let config = SessionConfig::new(keys.clone())
            .with_clock(clock.clone())
            .with_max_age(MAX_AGE);
        let layer = SessionLayer::new(config).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app(layer)).await.unwrap() });
        Self { base, clock, keys }
    }
}

/// A client: its token, the counter it expects, and whether it only reads.
struct Client {
    token: Option<String>,
    count: u64,
    reader: bool,
}

/// Every token the fleet issued: the server's time, the key it names, and whether it was a
/// re-seal of an unchanged session (a reader's).
#[derive(Default)]
struct Issued(Vec<(u64, String, bool)>);

struct Fleet {
    servers: Vec<Server>,
    clients: Vec<Client>,
    http: reqwest::Client,
    round: usize,
    issued: Issued,
}

impl Fleet {
    async fn start(file: &Path, clocks: &[u64]) -> Self {
        let mut servers = Vec::new();
        for &now in clocks {
            servers.push(Server::start(file, now).await);
        }
        let clients = (0..12)
            .map(|i| Client {
                token: None,
                count: 0,
                reader: i % 4 == 3,
            })
            .collect();
        let mut fleet = Self {
            servers,
            clients,
            http: reqwest::Client::new(),
            round: 0,
            issued: Issued::default(),
        };
        // Readers need a session to read: one count each, first.
        for i in 0..fleet.clients.len() {
            fleet.send(i, 0, "/count").await;
        }
        fleet
    }

    /// Client `i` sends one request to server `s`; its session must be the one it had.
    async fn send(&mut self, i: usize, s: usize, path: &str) {
        let server = &self.servers[s];
        let client = &mut self.clients[i];
        let request = if path == "/count" {
            self.http.post(format!("{}{path}", server.base))
        } else {
            self.http.get(format!("{}{path}", server.base))
        };
        let request = match &client.token {
            Some(token) => request.header(HEADER, token),
            None => request,
        };
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        let token = response
            .headers()
            .get(HEADER)
            .map(|v| v.to_str().unwrap().to_owned());
        let body: u64 = response.text().await.unwrap().parse().unwrap();
        if path == "/count" {
            client.count += 1;
        }
        assert_eq!(
            body, client.count,
            "client {i} at server {s}: its session was lost (a refused token)"
        );
        if let Some(token) = token.filter(|t| !t.is_empty()) {
            let now = server.clock.now_ms();
            self.issued.0.push((now, kid(&token), path == "/peek"));
            client.token = Some(token);
        }
    }

    /// Every client sends one request, each to the next server.
    async fn round(&mut self) {
        self.round += 1;
        for i in 0..self.clients.len() {
            let s = (i + self.round) % self.servers.len();
            let path = if self.clients[i].reader {
                "/peek"
            } else {
                "/count"
            };
            self.send(i, s, path).await;
        }
    }

    async fn rounds(&mut self, n: usize) {
        for _ in 0..n {
            self.round().await;
        }
    }

    fn set_clocks(&self, now: u64) {
        for server in &self.servers {
            server.clock.set(now);
        }
    }

    fn reload(&self, s: usize) -> Reload {
        self.servers[s].keys.reload().unwrap()
    }

    /// The tokens issued since `from` (an index into `issued`).
    fn issued_since(&self, from: usize) -> &[(u64, String, bool)] {
        &self.issued.0[from..]
    }
}

fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[tokio::test]
async fn a_rotation_is_one_change_and_a_retire_with_no_session_lost() {
    // Exercise: three servers on one key file under traffic that moves between them;
    // `keys rotate --at T`, each server reloads in turn; the clocks pass T; after the max age
    // `keys retire` the old key and every server reloads.
    // Expectation: no session lost (so no token refused, `unknown_key` included); every token
    // issued before T names the old key and every one from T the new key; readers' unchanged
    // sessions are re-sealed under the new key after T.
    let dir = Dir::new("rotation");
    let file = dir.0.join("keys");
    let file_arg = path_str(&file);
    tool(&["keys", "init", file_arg, "--now", &START.to_string()]);
    let old = kids(&file)[0].clone();
    let mut fleet = Fleet::start(&file, &[START, START, START]).await;
    fleet.rounds(2).await;

    let at = format_time(T);
    let now = (START + 60_000).to_string();
    fleet.set_clocks(START + 60_000);
    tool(&["keys", "rotate", file_arg, "--at", &at, "--now", &now]);
    let list = kids(&file);
    assert_eq!((list.len(), &list[1]), (2, &old));
    let new = list[0].clone();
    for s in 0..3 {
        assert_eq!(fleet.reload(s), Reload::Changed);
        // Traffic between the reloads: some servers know the new key, some do not yet.
        fleet.rounds(2).await;
    }
    assert_eq!(fleet.reload(0), Reload::Unchanged);
    fleet.set_clocks(T - 1);
    fleet.rounds(2).await;
    let before_t = fleet.issued.0.len();
    assert!(
        fleet.issued.0.iter().all(|(_, k, _)| *k == old),
        "no token names the new key before T"
    );

    fleet.set_clocks(T);
    fleet.rounds(3).await;
    let after_t = fleet.issued_since(before_t);
    assert!(after_t.iter().all(|(t, k, _)| *t >= T && *k == new));
    assert!(
        after_t.iter().any(|(_, _, reader)| *reader),
        "readers' sessions were re-sealed under the new key"
    );

    // The max age passes, in steps that let sessions renew (readers' re-seals keep their
    // expiry; a renewal, due when less than half is left, gives a fresh one).
    let step = u64::try_from(MAX_AGE.as_millis()).unwrap() / 3;
    let mut retire_at = T;
    for _ in 0..4 {
        retire_at += step;
        fleet.set_clocks(retire_at);
        fleet.rounds(1).await;
    }
    tool(&[
        "keys",
        "retire",
        file_arg,
        &old,
        "--now",
        &retire_at.to_string(),
    ]);
    assert_eq!(kids(&file), vec![new.clone()]);
    for s in 0..3 {
        assert_eq!(fleet.reload(s), Reload::Changed);
        fleet.rounds(1).await;
    }
    assert!(
        fleet
            .issued_since(before_t)
            .iter()
            .all(|(_, k, _)| *k == new)
    );
}

#[tokio::test]
async fn clocks_apart_by_less_than_the_margin_never_reseal_back_to_the_old_key() {
    // Exercise: two servers whose clocks differ by 40 s (less than the margin) pass sessions
    // back and forth while both clocks move across T in steps of 10 s.
    // Expectation: once a session's token names the new key, no later token of it names the
    // old one, changed or re-sealed, on either server; and no session is lost.
    let dir = Dir::new("skew");
    let file = dir.0.join("keys");
    let file_arg = path_str(&file);
    tool(&["keys", "init", file_arg, "--now", &START.to_string()]);
    let now = (T - 10 * 60 * 1000).to_string();
    tool(&[
        "keys",
        "rotate",
        file_arg,
        "--at",
        &format_time(T),
        "--now",
        &now,
    ]);
    let new = kids(&file)[0].clone();
    let behind = T - 60_000;
    let mut fleet = Fleet::start(&file, &[behind, behind + 40_000]).await;
    let mut last: Vec<Option<String>> = vec![None; fleet.clients.len()];
    let mut saw_new = vec![false; fleet.clients.len()];
    for step in 0..12u64 {
        fleet.servers[0].clock.set(behind + step * 10_000);
        fleet.servers[1].clock.set(behind + 40_000 + step * 10_000);
        fleet.round().await;
        for (i, client) in fleet.clients.iter().enumerate() {
            let token_kid = client.token.as_deref().map(kid);
            if saw_new[i] {
                assert_eq!(
                    token_kid.as_deref(),
                    Some(new.as_str()),
                    "client {i} went back"
                );
            }
            saw_new[i] |= token_kid.as_deref() == Some(new.as_str());
            last[i] = token_kid;
        }
    }
    assert!(
        saw_new.iter().all(|&s| s),
        "every session moved to the new key"
    );
}

#[tokio::test]
async fn a_broken_file_changes_nothing_and_is_reported_until_fixed() {
    // Exercise: under traffic, the key file is overwritten in place with half of itself (a
    // partial write), then with garbage; every server reloads each time; then the good bytes
    // come back.
    // Expectation: every reload of a broken file is refused, naming the line and never its
    // text; the list in use and the traffic are unchanged; the good bytes again are
    // `Unchanged`.
    let dir = Dir::new("broken");
    let file = dir.0.join("keys");
    tool(&["keys", "init", path_str(&file), "--now", &START.to_string()]);
    let good = std::fs::read(&file).unwrap();
    let mut fleet = Fleet::start(&file, &[START, START, START]).await;
    fleet.rounds(1).await;
    let key_line = String::from_utf8(good.clone()).unwrap();
    let key_text = key_line
        .lines()
        .find(|l| !l.starts_with('#') && !l.starts_with("sealed-session-keys"))
        .unwrap()
        .to_owned();
    for broken in [
        &good[..good.len() - 10],
        b"sealed-session-keys 1\nnot a key\n",
    ] {
        std::fs::write(&file, broken).unwrap();
        for s in 0..3 {
            let err = fleet.servers[s].keys.reload().unwrap_err();
            assert!(err.line().is_some(), "{err}");
            let message = format!("{err} {err:?}");
            assert!(!message.contains(&key_text[..20]) && !message.contains("not a key"));
            fleet.rounds(1).await;
        }
    }
    std::fs::write(&file, &good).unwrap();
    for s in 0..3 {
        assert_eq!(fleet.reload(s), Reload::Unchanged);
    }
    fleet.rounds(1).await;
}

#[cfg(unix)]
#[tokio::test]
async fn a_kubernetes_symlink_swap_is_picked_up() {
    // Exercise: the file as a Kubernetes secret volume shows it (`keys` -> `..data/keys`,
    // `..data` -> a timestamped directory); the new version is written to a new directory,
    // `..data_tmp` points at it and is renamed over `..data`, as the kubelet does.
    // Expectation: the reload sees the new list (its file's time and inode are not what it
    // compares); the servers keep serving.
    use std::os::unix::fs::symlink;
    let dir = Dir::new("kubernetes");
    let mount = dir.0.join("mount");
    let v1 = mount.join("..2026_12_05_09_00_00.1");
    std::fs::create_dir_all(&v1).unwrap();
    tool(&[
        "keys",
        "init",
        path_str(&v1.join("keys")),
        "--now",
        &START.to_string(),
    ]);
    symlink("..2026_12_05_09_00_00.1", mount.join("..data")).unwrap();
    symlink("..data/keys", mount.join("keys")).unwrap();
    let file = mount.join("keys");
    let mut fleet = Fleet::start(&file, &[START, START]).await;
    fleet.rounds(1).await;

    // The operator edits the Secret; here, the tool edits a copy outside the mount.
    let staging = dir.0.join("staging");
    std::fs::copy(v1.join("keys"), &staging).unwrap();
    let now = (START + 60_000).to_string();
    tool(&[
        "keys",
        "rotate",
        path_str(&staging),
        "--in",
        "1h",
        "--now",
        &now,
    ]);
    let v2 = mount.join("..2026_12_05_09_05_00.2");
    std::fs::create_dir_all(&v2).unwrap();
    std::fs::copy(&staging, v2.join("keys")).unwrap();
    symlink("..2026_12_05_09_05_00.2", mount.join("..data_tmp")).unwrap();
    std::fs::rename(mount.join("..data_tmp"), mount.join("..data")).unwrap();
    std::fs::remove_dir_all(&v1).unwrap();

    for s in 0..2 {
        assert_eq!(fleet.reload(s), Reload::Changed);
        assert_eq!(fleet.servers[s].keys.current().as_slice().len(), 2);
    }
    fleet.rounds(1).await;
}

#[test]
fn a_rotate_and_a_reload_at_once_never_see_half_a_file() {
    // Exercise: the tool rotates the file twenty times while another thread reloads it as
    // fast as it can.
    // Expectation: every reload loads a whole file (never refused), and the last one has the
    // twenty-one keys.
    let dir = Dir::new("concurrent");
    let file = dir.0.join("keys");
    let file_arg = path_str(&file).to_owned();
    tool(&["keys", "init", &file_arg, "--now", &START.to_string()]);
    let source = KeySource::from_file_with_clock(&file, ManualClock::new(START)).unwrap();
    let done = AtomicBool::new(false);
    let reloads = std::thread::scope(|scope| {
        let reloader = scope.spawn(|| {
            let mut reloads = 0u32;
            while !done.load(Ordering::SeqCst) {
                source.reload().expect("a whole file");
                reloads += 1;
            }
            reloads
        });
        // Stops the reloader however this thread leaves (a failed rotate panics).
        struct Stop<'a>(&'a AtomicBool);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.store(true, Ordering::SeqCst);
            }
        }
        let stop = Stop(&done);
        for _ in 0..20 {
            tool(&[
                "keys",
                "rotate",
                &file_arg,
                "--in",
                "1h",
                "--now",
                &START.to_string(),
            ]);
        }
        drop(stop);
        reloader.join().unwrap()
    });
    assert!(reloads > 0);
    source.reload().unwrap();
    assert_eq!(source.current().as_slice().len(), 21);
}
