//! `sealed-session`: look inside sealed-session tokens, open them with a key list, seal test
//! tokens, and make keys.
//!
//! ```text
//! sealed-session keygen [--count N]
//! sealed-session inspect TOKEN|- [--keys LIST] [--context TEXT] [--now MS] [--max-len N]
//!                                [--skew MS] [--absolute-lifetime MS|none]
//! sealed-session seal JSON|- [--keys LIST] [--context TEXT] [--now MS] [--max-len N]
//! ```
//!
//! Keys come from `--keys` or the environment variable `SESSION_KEYS` (comma-separated base64,
//! the first seals). Without keys, `inspect` reads only the token's clear prefix. The tool never
//! prints a key it was given, and no input makes it panic.
//!
//! Exit status: 0 done (opened, could be a token, sealed, made); 1 refused or not a token;
//! 2 a usage or input error.

// No input may make the tool panic: no unwrap, expect, panic or unchecked indexing.
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod args;
mod commands;
mod prefix;

use std::{io::Write as _, process::ExitCode};

use args::Args;

const USAGE: &str = "\
usage: sealed-session keygen [--count N]
       sealed-session inspect TOKEN|- [--keys LIST] [--context TEXT] [--now MS] [--max-len N] [--skew MS] [--absolute-lifetime MS|none]
       sealed-session seal JSON|- [--keys LIST] [--context TEXT] [--now MS] [--max-len N]
keys: --keys or SESSION_KEYS, comma-separated base64, the first seals; - reads standard input
";

const OPEN_OPTIONS: &[&str] = &[
    "keys",
    "context",
    "now",
    "max-len",
    "skew",
    "absolute-lifetime",
];

fn main() -> ExitCode {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(_) => return usage_error("arguments must be UTF-8 text"),
        }
    }
    let Some((command, rest)) = args.split_first() else {
        return usage_error("expected a command");
    };
    let outcome = match command.as_str() {
        "keygen" => Args::parse(rest, &["count"]).and_then(|a| commands::keygen(&a)),
        "inspect" => Args::parse(rest, OPEN_OPTIONS).and_then(|a| commands::inspect(&a)),
        "seal" => Args::parse(rest, &["keys", "context", "now", "max-len"])
            .and_then(|a| commands::seal(&a)),
        "help" | "--help" | "-h" => Ok(commands::Outcome {
            stdout: USAGE.into(),
            code: 0,
        }),
        _ => Err("unknown command: expected keygen, inspect or seal".into()),
    };
    match outcome {
        Ok(outcome) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is no reason to panic.
            let _ = stdout
                .write_all(outcome.stdout.as_bytes())
                .and_then(|()| stdout.flush());
            ExitCode::from(outcome.code)
        }
        Err(message) => usage_error(&message),
    }
}

fn usage_error(message: &str) -> ExitCode {
    let _ = writeln!(
        std::io::stderr().lock(),
        "error: {message}\n(`sealed-session help` shows the usage)"
    );
    ExitCode::from(2)
}
