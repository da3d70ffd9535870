//! A `redis-server` of a test's own, on a free loopback port (never the one other tests share
//! at `REDIS_URL`): for the tests that stop, freeze or restart Redis.

pub use super::free_port;

use std::{
    io::{BufRead, BufReader},
    process::{Child, Command, Stdio},
    time::Duration,
};

/// The bound on waiting for the server to be ready.
const GUARD: Duration = Duration::from_secs(5);

/// A `redis-server` of the test's own on a free loopback port, killed on drop.
pub struct PrivateRedis {
    child: Child,
    pub port: u16,
    /// Killed and reaped by [`stop`](Self::stop): its pid may belong to another process now.
    stopped: bool,
}

impl PrivateRedis {
    /// Starts one (with `extra` arguments) and waits until it accepts connections.
    pub async fn start(extra: &[&str]) -> Self {
        // The port comes from binding and dropping a listener, so another process may take it
        // before redis-server binds it; redis-server then exits at once. Once more on another
        // port is enough.
        match Self::try_start_on(free_port(), extra).await {
            Ok(redis) => redis,
            Err(first) => Self::try_start_on(free_port(), extra)
                .await
                .unwrap_or_else(|second| panic!("{first}; then, on another port: {second}")),
        }
    }

    /// Starts one on `port`; an error says why it did not become ready (its last log line).
    pub async fn try_start_on(port: u16, extra: &[&str]) -> Result<Self, String> {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no", "--daemonize", "no"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server on PATH (Debian package redis-server)");
        // Owned from here: whatever happens next, Drop kills it.
        let mut redis = Self {
            child,
            port,
            stopped: false,
        };
        // Its log goes to stdout; wait for the line saying it is ready (EOF if it died).
        let stdout = redis.child.stdout.take().unwrap();
        let ready = tokio::task::spawn_blocking(move || {
            let mut last = String::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Ready to accept connections") {
                    return Ok(());
                }
                last = line;
            }
            Err(last)
        });
        match tokio::time::timeout(GUARD, ready).await {
            Ok(Ok(Ok(()))) => Ok(redis),
            Ok(Ok(Err(last))) => Err(format!(
                "redis-server on 127.0.0.1:{port} exited before it was ready \
                 (port taken by another process?); its last log line: {last:?}"
            )),
            Ok(Err(join)) => Err(format!("reading redis-server's log: {join}")),
            Err(_) => Err(format!(
                "redis-server on 127.0.0.1:{port} was not ready within {GUARD:?}"
            )),
        }
    }

    pub fn url(&self, auth: &str) -> String {
        format!("redis://{auth}127.0.0.1:{}/", self.port)
    }

    /// Sends `signal` (`STOP`, `CONT`) with the shell's built-in `kill`: /bin/kill (procps) is
    /// not on every machine.
    pub fn signal(&self, signal: &str) {
        assert!(!self.stopped, "signal {signal} after stop()");
        let pid = self.child.id().to_string();
        let status = Command::new("sh")
            .args(["-c", &format!("kill -{signal} \"$1\""), "sh", &pid])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal} the private redis-server");
    }

    /// Kills it (SIGKILL) and reaps it.
    pub fn stop(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        self.stopped = true;
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        if !self.stopped {
            // SIGKILL ends it even if a test froze it with SIGSTOP. Errors: already gone.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
