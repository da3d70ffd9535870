//! The examples as a new user starts them: a malformed `SESSION_KEYS` or `PORT` stops them
//! with a message that names the variable, never a silent fallback to a random key.

use std::{path::PathBuf, process::Command};

/// The example binary `name`, which `cargo test` builds beside the test binaries.
fn example(name: &str) -> PathBuf {
    let deps = std::env::current_exe().unwrap();
    let dir = deps.parent().unwrap().parent().unwrap().join("examples");
    let path = dir.join(name);
    assert!(path.exists(), "{} is not built", path.display());
    path
}

/// Runs `name` with `env` (and nothing else from the environment that concerns it); returns
/// whether it failed and what it wrote to stderr. Each run here exits before it serves.
fn start(name: &str, env: &[(&str, &str)]) -> (bool, String) {
    let mut command = Command::new(example(name));
    command
        .env_remove("SESSION_KEYS")
        .env_remove("PORT")
        .env_remove("API_PORT")
        .env("RUST_LOG", "off");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    (
        !out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_malformed_session_keys_stops_every_example_naming_it() {
    // Exercise: each server example with a SESSION_KEYS that is set but not base64.
    // Expectation: it exits with an error that names SESSION_KEYS (typed.rs used to start on a
    // random key, silently).
    for name in ["views", "typed", "h5"] {
        let (failed, stderr) = start(name, &[("SESSION_KEYS", "not base64!")]);
        assert!(failed, "{name} started anyway");
        assert!(stderr.contains("SESSION_KEYS"), "{name}: {stderr}");
        assert!(!stderr.contains("using a random key"), "{name}: {stderr}");
    }
}

#[test]
fn a_port_that_is_not_a_number_names_the_variable() {
    for name in ["views", "typed", "h5"] {
        let (failed, stderr) = start(name, &[("PORT", "eighty")]);
        assert!(failed, "{name}");
        assert!(stderr.contains("PORT=\\\"eighty\\\""), "{name}: {stderr}");
    }
}
