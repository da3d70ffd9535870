//! What every example does at start-up, in one place: logs to stderr, the keys from
//! `SESSION_KEYS`, a port from the environment. Each error names the variable to fix.
#![allow(dead_code)]

use std::{fmt, io::IsTerminal as _};

use sealed_session::{Key, Keys};

/// A start-up error that prints as its message, also through `main`'s `Debug`.
pub(crate) struct StartUp(pub(crate) String);

impl fmt::Display for StartUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for StartUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StartUp {}

/// Logs to stderr (stdout is for the example's own lines), in colour only on a terminal;
/// `RUST_LOG` filters, by default `info,sealed_session=debug` (the reasons tokens are refused).
pub(crate) fn init_logging() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sealed_session=debug".into()),
        )
        .init();
}

/// The keys in `SESSION_KEYS`. Only an unset variable falls back to a random key, with a
/// warning (sessions then end when the server stops, and each instance has its own key); a
/// variable that is set but malformed is an error, never a silent fallback.
///
/// # Errors
///
/// What is wrong with `SESSION_KEYS`, and how to fix it.
pub(crate) fn keys() -> Result<Keys, StartUp> {
    if std::env::var_os("SESSION_KEYS").is_none() {
        eprintln!(
            "warning: SESSION_KEYS is not set; using a random key, so sessions end when the \
             server stops (make a key with `openssl rand -base64 32`)"
        );
        return Ok(Keys::single(Key::generate()));
    }
    Keys::from_env("SESSION_KEYS").map_err(|e| StartUp(format!("SESSION_KEYS: {e}")))
}

/// The port in the environment variable `name`, or `default` when it is unset.
///
/// # Errors
///
/// The variable's name and value when it is not a port number.
pub(crate) fn port(name: &str, default: u16) -> Result<u16, StartUp> {
    match std::env::var(name) {
        Err(_) => Ok(default),
        Ok(value) => value.parse().map_err(|_| {
            StartUp(format!(
                "{name}={value:?} is not a port number (0 to 65535)"
            ))
        }),
    }
}

/// A listener on `127.0.0.1:port`.
///
/// # Errors
///
/// The address, and why it cannot be bound (in use, no permission).
pub(crate) async fn bind(port: u16) -> Result<tokio::net::TcpListener, StartUp> {
    tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|e| {
            StartUp(format!(
                "cannot listen on 127.0.0.1:{port}: {e} (set PORT to another port)"
            ))
        })
}

/// `error` and each of its causes, `: `-separated: what a log line of an upstream failure
/// should say (the platform errors hold no secret, and drop the request URL).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": caused by: ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
