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
        .env_remove("WECHAT_APPID")
        .env_remove("WECHAT_SECRET")
        .env_remove("QQ_APPID")
        .env_remove("DOUYIN_APPID")
        .env_remove("ALIPAY_APPID")
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
        // What `main` prints is the message, not `BadBase64 { index: 0 }`.
        assert!(
            stderr.contains("Error: SESSION_KEYS: session key 1 of 1 is not valid base64"),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("using a random key"), "{name}: {stderr}");
    }
}

#[test]
fn a_port_that_is_not_a_number_names_the_variable() {
    for name in ["views", "typed", "h5"] {
        let (failed, stderr) = start(name, &[("PORT", "eighty")]);
        assert!(failed, "{name}");
        assert!(
            stderr.contains("Error: PORT=\"eighty\" is not a port number"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn the_login_example_says_which_variables_to_set() {
    // Exercise: the login example with no platform configured, then with an app id but no
    // secret. Expectation: messages that name the variables, not `MissingEnv { .. }`.
    let (failed, stderr) = start("wechat_login", &[]);
    assert!(failed, "{stderr}");
    assert!(
        stderr.contains("Error: no platform is configured: set WECHAT_APPID"),
        "{stderr}"
    );
    let (failed, stderr) = start("wechat_login", &[("WECHAT_APPID", "wx0123456789abcdef")]);
    assert!(failed, "{stderr}");
    assert!(
        stderr.contains("Error: environment variable WECHAT_SECRET is not set"),
        "{stderr}"
    );
    assert!(!stderr.contains("MissingEnv {"), "{stderr}");
}
