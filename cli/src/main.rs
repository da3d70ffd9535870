//! `sealed-session`: look inside sealed-session tokens, open them with a key list, seal test
//! tokens, make keys, and make and edit key files.
//!
//! ```text
//! sealed-session keygen [--count N]
//! sealed-session inspect TOKEN|- [--keys LIST | --key-file FILE] [--context TEXT] [--now MS]
//!                                [--max-len N] [--skew MS] [--absolute-lifetime MS|none]
//! sealed-session seal JSON|- [--keys LIST | --key-file FILE] [--context TEXT] [--now MS]
//!                            [--max-len N]
//! sealed-session keys init FILE [--now MS]
//! sealed-session keys rotate FILE (--in DURATION | --at RFC3339) [--now MS] [--min DURATION]
//! sealed-session keys list FILE [--now MS] [--min DURATION] [--max-age DURATION] [--show-keys]
//! sealed-session keys retire FILE ID [--now MS] [--force]
//! ```
//!
//! Keys come from `--keys` or the environment variable `SESSION_KEYS` (comma-separated base64,
//! the first seals), or from a key file (`--key-file`, `docs/key-file.md`) loaded at `--now`
//! (else the system clock), which seals with the key that seals at that time. Without keys,
//! `inspect` reads only the token's clear prefix. `keys` makes a key file (`init`), adds a key
//! that seals from a set time (`rotate`), shows the list with warnings (`list`) and removes a
//! key (`retire`), writing the file through a temporary file renamed over it. The tool never
//! prints a key it was given (only `keygen` and `keys list --show-keys` print keys), and no
//! input makes it panic.
//!
//! Exit status: 0 done (opened, could be a token, sealed, made, written); 1 refused or not a
//! token (a check refused a change: nothing was written); 2 a usage or input error.

// No input may make the tool panic: no unwrap, expect, panic or unchecked indexing.
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod args;
mod commands;
mod keyfile;
mod keys;
mod prefix;
mod replace;
mod time;

use std::{io::Write as _, process::ExitCode};

use args::{Args, Spec};

const USAGE: &str = "\
usage: sealed-session keygen [--count N]
       sealed-session inspect TOKEN|- [--keys LIST | --key-file FILE] [--context TEXT] [--now MS] [--max-len N] [--skew MS] [--absolute-lifetime MS|none]
       sealed-session seal JSON|- [--keys LIST | --key-file FILE] [--context TEXT] [--now MS] [--max-len N]
       sealed-session keys init FILE [--now MS]
       sealed-session keys rotate FILE (--in DURATION | --at RFC3339) [--now MS] [--min DURATION]
       sealed-session keys list FILE [--now MS] [--min DURATION] [--max-age DURATION] [--show-keys]
       sealed-session keys retire FILE ID [--now MS] [--force]
keys: --keys or SESSION_KEYS, comma-separated base64, the first seals; or --key-file FILE, a key
  file (docs/key-file.md) loaded at --now, whose key sealing then seals; - reads standard input
MS: Unix time in milliseconds (default: the clock); DURATION: a whole number and s, m, h or d
  (90s, 15m, 2h, 1d); ID: a key id, 8 hex digits, as `keys list` shows
keys rotate: adds a key that seals from --in/--at; refused in the past or closer than --min (3m)
keys list: warns of times closer than --min, and when the sealing key has sealed for longer than
  --max-age (24h), so that the keys after it can be retired; --show-keys prints the keys
keys retire: refuses the sealing key and a key still to seal (unless --force), and always the
  last key, or one without which no key would seal
exit status: 0 done, 1 refused (nothing written) or not a token, 2 usage or input error
";

const KEYGEN: Spec = Spec {
    values: "none",
    max_values: 0,
    options: &["count"],
    flags: &[],
};

const INSPECT: Spec = Spec {
    values: "one token, or -",
    max_values: 1,
    options: &[
        "keys",
        "key-file",
        "context",
        "now",
        "max-len",
        "skew",
        "absolute-lifetime",
    ],
    flags: &[],
};

const SEAL: Spec = Spec {
    values: "one JSON object, or -",
    max_values: 1,
    options: &["keys", "key-file", "context", "now", "max-len"],
    flags: &[],
};

const KEYS_INIT: Spec = Spec {
    values: "the key file's path",
    max_values: 1,
    options: &["now"],
    flags: &[],
};

const KEYS_ROTATE: Spec = Spec {
    values: "the key file's path",
    max_values: 1,
    options: &["in", "at", "now", "min"],
    flags: &[],
};

const KEYS_LIST: Spec = Spec {
    values: "the key file's path",
    max_values: 1,
    options: &["now", "min", "max-age"],
    flags: &["show-keys"],
};

const KEYS_RETIRE: Spec = Spec {
    values: "the key file's path and a key id",
    max_values: 2,
    options: &["now"],
    flags: &["force"],
};

fn main() -> ExitCode {
    let mut args = Vec::new();
    for arg in std::env::args_os().skip(1) {
        match arg.into_string() {
            Ok(arg) => args.push(arg),
            Err(_) => return usage_error("arguments must be UTF-8 text"),
        }
    }
    let Some((command, rest)) = args.split_first() else {
        return usage_error("expected a command: keygen, inspect, seal or keys");
    };
    let outcome = match command.as_str() {
        "keygen" => Args::parse(rest, &KEYGEN).and_then(|a| commands::keygen(&a)),
        "inspect" => Args::parse(rest, &INSPECT).and_then(|a| commands::inspect(&a)),
        "seal" => Args::parse(rest, &SEAL).and_then(|a| commands::seal(&a)),
        "keys" => keys_command(rest),
        "help" | "--help" | "-h" => Ok(commands::Outcome::done(USAGE.into())),
        _ => Err("unknown command: expected keygen, inspect, seal or keys".into()),
    };
    match outcome {
        Ok(outcome) => {
            // A closed pipe (`| head`) is no reason to panic.
            let mut stdout = std::io::stdout().lock();
            let _ = stdout
                .write_all(outcome.stdout.as_bytes())
                .and_then(|()| stdout.flush());
            if !outcome.stderr.is_empty() {
                let _ = std::io::stderr()
                    .lock()
                    .write_all(outcome.stderr.as_bytes());
            }
            ExitCode::from(outcome.code)
        }
        Err(message) => usage_error(&message),
    }
}

/// `keys init | rotate | list | retire ...`.
fn keys_command(args: &[String]) -> Result<commands::Outcome, String> {
    let expected = "expected keys init, keys rotate, keys list or keys retire";
    let Some((command, rest)) = args.split_first() else {
        return Err(expected.into());
    };
    match command.as_str() {
        "init" => Args::parse(rest, &KEYS_INIT).and_then(|a| keys::init(&a)),
        "rotate" => Args::parse(rest, &KEYS_ROTATE).and_then(|a| keys::rotate(&a)),
        "list" => Args::parse(rest, &KEYS_LIST).and_then(|a| keys::list(&a)),
        "retire" => Args::parse(rest, &KEYS_RETIRE).and_then(|a| keys::retire(&a)),
        _ => Err(format!("unknown keys command: {expected}")),
    }
}

fn usage_error(message: &str) -> ExitCode {
    let _ = writeln!(
        std::io::stderr().lock(),
        "error: {message}\n(`sealed-session help` shows the usage)"
    );
    ExitCode::from(2)
}
