//! The README's first steps, played as a new user would: a new project that depends on the
//! crate (by path) with the README's `[dependencies]` block, the README's "Use" snippet as its
//! whole `src/main.rs`, built, run on a free port and asked twice over HTTP.
//!
//! Then its two walk-throughs with curl, played line by line against the example binaries.
//!
//! They need parts a plain `cargo test` does not make (a project of their own, minutes on 2
//! cores; the CLI binary), so they are ignored there; `.ci/run` builds the CLI and runs them
//! with `cargo test --all-features --test readme -- --ignored`.

use std::{
    io::{Read as _, Write as _},
    net::TcpStream,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// The first fenced block after `heading` whose info string starts with `lang`.
fn block(readme: &str, heading: &str, lang: &str) -> String {
    let section = &readme[readme.find(heading).expect("the README's section")..];
    let start = section
        .find(&format!("```{lang}"))
        .expect("a block in the section");
    let body = &section[start..];
    let body = &body[body.find('\n').unwrap() + 1..];
    body[..body.find("\n```").unwrap()].to_owned()
}

/// The project: the README's dependencies, the crate by path, the snippet as `main.rs`.
fn project(root: &Path, dir: &Path) {
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let deps = block(&readme, "## Use", "toml");
    assert!(deps.starts_with("[dependencies]"), "{deps}");
    let ours = format!(
        "sealed-session = {{ path = {:?} }}",
        root.display().to_string()
    );
    let deps = deps.replace("sealed-session = \"0.1\"", &ours);
    assert!(
        deps.contains(&ours),
        "the block names sealed-session = \"0.1\""
    );
    let main = block(&readme, "## Use", "rust");
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"readme-app\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n\
             [workspace]\n\n{deps}\n"
        ),
    )
    .unwrap();
    std::fs::write(dir.join("src/main.rs"), main).unwrap();
    // The crate's own lock file, so the new project builds with the versions CI already has.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `GET /` with an optional token; the status line, the session header and the body.
fn get(port: u16, token: Option<&str>) -> (String, Option<String>, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let header = token.map_or(String::new(), |t| format!("x-session: {t}\r\n"));
    write!(
        stream,
        "GET / HTTP/1.1\r\nhost: localhost\r\n{header}connection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    let (head, body) = reply.split_once("\r\n\r\n").unwrap();
    let session = head
        .lines()
        .find_map(|l| l.strip_prefix("x-session: "))
        .map(str::to_owned);
    (
        head.lines().next().unwrap().to_owned(),
        session,
        body.to_owned(),
    )
}

#[test]
#[ignore = "builds a new project (minutes); .ci/run runs it with --ignored"]
fn the_readme_use_snippet_builds_runs_and_keeps_a_session() {
    // This suite's manifest is tests/suite/Cargo.toml: the repository is two folders up.
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let dir = root.join("target/readme-app");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    project(&root, &dir);
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()
        .unwrap();
    assert!(status.success(), "the README's project does not build");

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let key = sealed_session::Key::generate().to_base64();
    let _server = Server(
        Command::new(dir.join("target/debug/readme-app"))
            .env("SESSION_KEYS", key.as_str())
            .env("PORT", port.to_string())
            .env("RUST_LOG", "off")
            .stdout(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Wait for it to listen: bounded, and nothing is measured.
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "the README's server did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let (status, token, body) = get(port, None);
    assert!(status.ends_with("200 OK"), "{status}");
    assert_eq!(body, "request #1 of this session");
    let (_, _, body) = get(port, Some(&token.expect("a session header")));
    assert_eq!(body, "request #2 of this session");
}

/// Where `cargo test` put its binaries: `target/debug` (this test is `target/debug/deps/..`).
fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().to_owned()
}

/// A free port on 127.0.0.1 (free when asked; nothing else of this test binds ports).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Plays the `sh` block under `heading` as a user pasting it line by line would, and returns
/// what it printed. Each `cargo run ... --example NAME` is the example `cargo test` built, and
/// `cargo run -q -p sealed-session-cli --` the CLI; ports 3000 and 4000 become free ones; after a
/// line that starts a server in the background, the script waits (a bounded poll) until its port
/// accepts, as a person waits for "listening on". Nothing else of the block is changed.
fn play(heading: &str) -> String {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let block = block(&readme, heading, "sh");
    let bin = bin_dir();
    let cli = bin.join("sealed-session");
    assert!(
        cli.exists(),
        "{} is not built: run `cargo build -p sealed-session-cli` first (.ci/run does)",
        cli.display()
    );
    let (port, standin_port) = (free_port(), free_port());
    let work = root.join("target/readme-walk");
    std::fs::create_dir_all(&work).unwrap();
    let mut script = String::from(
        "set -u\n\
         trap 'kill $(jobs -p) 2>/dev/null' EXIT\n\
         wait_port() { for _ in $(seq 1 600); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.05; done; echo \"port $1 never opened\" >&2; exit 1; }\n",
    );
    for line in block.lines() {
        let mut line = line
            .replace(
                "cargo run -q -p sealed-session-cli --",
                "\"$BIN/sealed-session\"",
            )
            .replace("localhost:3000", "localhost:$PORT")
            .replace("127.0.0.1:3000", "127.0.0.1:$PORT")
            .replace("127.0.0.1:4000", "127.0.0.1:$STANDIN_PORT")
            .replace("/tmp/reply", "$WORK/reply");
        let mut waits = None;
        if let Some((name, rest)) = example_command(&line) {
            let is_standin = name == "standin";
            line = rest;
            if line
                .trim_start()
                .starts_with(&format!("\"$BIN/examples/{name}\" &"))
            {
                waits = Some(if is_standin { "$STANDIN_PORT" } else { "$PORT" });
            }
        }
        assert!(
            !line.contains("cargo "),
            "a cargo command the test cannot map: {line}"
        );
        script.push_str(&line);
        script.push('\n');
        if let Some(port) = waits {
            script.push_str(&format!("wait_port {port}\n"));
        }
    }
    let out = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .env("BIN", &bin)
        .env("PORT", port.to_string())
        .env("STANDIN_PORT", standin_port.to_string())
        .env("WORK", &work)
        .env("RUST_LOG", "off")
        .env_remove("SESSION_KEYS")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script}\n{stdout}\n{stderr}");
    stdout
}

/// `cargo run [-q] [--features F] --example NAME` in `line`: the example's name, and the line
/// with the command replaced by the example's binary.
fn example_command(line: &str) -> Option<(String, String)> {
    let start = line.find("cargo run ")?;
    let at = line[start..].find("--example ")? + start;
    let name_start = at + "--example ".len();
    let name_end = line[name_start..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(line.len(), |i| i + name_start);
    let name = line[name_start..name_end].to_owned();
    let replaced = format!(
        "{}\"$BIN/examples/{name}\"{}",
        &line[..start],
        &line[name_end..]
    );
    Some((name, replaced))
}

#[test]
#[ignore = "needs the CLI binary: `cargo build -p sealed-session-cli`, then this test with --ignored (.ci/run does both)"]
fn the_readme_walk_through_with_curl_plays_and_its_tokens_open_with_the_cli() {
    // Exercise: the README's first walk-through, line by line, with a key of the user's own.
    // Expectation: the counter goes 1, 2; /views shows it; a garbage token is a new session;
    // and the CLI opens the last token with that key, showing the data.
    let out = play("## Walk-through with curl");
    assert!(out.contains("you viewed this page 1 times"), "{out}");
    assert!(out.contains("you viewed this page 2 times"), "{out}");
    assert!(out.contains(r#"{"/foo":2}{}"#), "{out}");
    assert!(
        out.contains(r#""/foo":2"#),
        "the CLI did not open the token: {out}"
    );
}

#[test]
#[ignore = "needs the CLI binary and the example built with --features wechat: .ci/run runs it with --all-features --ignored"]
fn the_readme_wechat_login_walk_through_plays_against_the_stand_in() {
    // Exercise: the README's WeChat walk-through, line by line: the stand-in, the login example,
    // /login/wechat, /me, /logout.
    // Expectation: the login answers the stand-in's user, /me finds it in the session, and the
    // logout answers an empty session header (the client forgets its token).
    let out = play("## Try the WeChat login, without WeChat");
    let user = r#"{"openid":"wx-alice","platform":"wechat"}"#;
    assert_eq!(out.matches(user).count(), 2, "{out}");
    assert!(out.contains("x-session: \r\n"), "{out}");
    assert!(out.contains(r#"{"logged_out":true}"#), "{out}");
}
