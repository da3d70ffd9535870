//! The README's first steps, played as a new user would: a new project that depends on the
//! crate (by path) with the README's `[dependencies]` block, the README's "Use" snippet as its
//! whole `src/main.rs`, built, run on a free port and asked twice over HTTP.
//!
//! It builds a project of its own (minutes on 2 cores), so plain `cargo test` skips it;
//! `.ci/run` runs it with `cargo test --all-features --test readme -- --ignored`.

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
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
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
