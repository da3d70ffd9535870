//! The token subcommands: `keygen`, `inspect` and `seal` (the key file's are in
//! [`crate::keys`]).

use std::{io::Read as _, path::Path, time::Duration};

use sealed_session::{
    Key, Keys,
    token::{Codec, Data, Envelope, Line, Opened, SessionId},
};
use serde_json::{Map, Value, json};
use zeroize::Zeroizing;

use crate::{args::Args, keyfile, prefix, time};

/// Standard input is read up to this many bytes: far past any token or test session.
const STDIN_LIMIT: u64 = 1 << 20;

/// What a command printed and how the process should exit.
pub(crate) struct Outcome {
    /// Printed on standard output (`keygen` and `keys list --show-keys` print keys: wiped
    /// after).
    pub(crate) stdout: Zeroizing<String>,
    /// Printed on standard error: why a change was refused.
    pub(crate) stderr: String,
    /// 0: done (opened, could be a token, sealed, written); 1: refused or not a token.
    pub(crate) code: u8,
}

impl Outcome {
    /// Done: exit 0, printing `stdout`.
    pub(crate) fn done(stdout: String) -> Self {
        Self::with_code(stdout, 0)
    }

    /// `stdout` printed, with exit status `code`.
    pub(crate) fn with_code(stdout: String, code: u8) -> Self {
        Self {
            stdout: Zeroizing::new(stdout),
            stderr: String::new(),
            code,
        }
    }

    /// A check refused the change (nothing written): exit 1, saying why and what to do.
    pub(crate) fn refused(message: &str) -> Self {
        Self {
            stdout: Zeroizing::new(String::new()),
            stderr: format!("refused: {message}\n"),
            code: 1,
        }
    }
}

/// `keygen [--count N]`: new random keys, one a line, URL-safe base64 without padding.
pub(crate) fn keygen(args: &Args) -> Result<Outcome, String> {
    let count = args.number("count")?.unwrap_or(1);
    if !(1..=100).contains(&count) {
        return Err("--count: expected 1 to 100".into());
    }
    // Sized once (44 bytes a key and its newline), so that no copy of a key is left behind.
    let mut stdout = Zeroizing::new(String::with_capacity(44 * 100));
    for _ in 0..count {
        let key = Key::try_generate().map_err(|e| e.to_string())?;
        stdout.push_str(&key.to_base64());
        stdout.push('\n');
    }
    Ok(Outcome {
        stdout,
        stderr: String::new(),
        code: 0,
    })
}

/// `inspect TOKEN|-`: the clear prefix; with keys (`--keys`, `--key-file` or `SESSION_KEYS`),
/// opens it.
pub(crate) fn inspect(args: &Args) -> Result<Outcome, String> {
    let token = input(args, "a token")?;
    // A token read from standard input ends with a newline; an argument is taken as it is.
    let token = if args.value() == Some("-") {
        token.trim()
    } else {
        token.as_str()
    };
    let mut seen = prefix::inspect(token);
    let now = time::now(args)?;
    let Some(codec) = codec(args, now)? else {
        let code = u8::from(seen.get("could_be_token") != Some(&Value::Bool(true)));
        return Ok(Outcome::with_code(pretty(&seen), code));
    };
    let code = match codec.open(token.as_bytes(), now) {
        Ok(opened) => {
            merge(&mut seen, opened_json(&opened));
            merge(&mut seen, json!({ "opened": true }));
            0
        }
        Err(refusal) => {
            merge(
                &mut seen,
                json!({ "opened": false, "reason": refusal.as_str() }),
            );
            1
        }
    };
    Ok(Outcome::with_code(pretty(&seen), code))
}

/// The fields `seal` reads; all optional.
const SEAL_FIELDS: [&str; 7] = [
    "data",
    "sid",
    "created_ms",
    "max_age_ms",
    "expires_ms",
    "line",
    "generation",
];

/// `seal JSON|-`: seals `{"data": {..}, "sid", "created_ms", "max_age_ms", "expires_ms",
/// "line", "generation"}` (all optional: a new session of now, with a random sid and line, at
/// generation 1) with the key that seals at `--now` (else the clock), for tests and support.
/// Prints the token.
pub(crate) fn seal(args: &Args) -> Result<Outcome, String> {
    let text = input(args, "a JSON object")?;
    let now = time::now(args)?;
    let codec = codec(args, now)?.ok_or("seal needs keys: --keys, --key-file or SESSION_KEYS")?;
    let spec: Map<String, Value> =
        serde_json::from_str(&text).map_err(|e| format!("the input is not a JSON object: {e}"))?;
    if let Some(name) = spec.keys().find(|k| !SEAL_FIELDS.contains(&k.as_str())) {
        return Err(format!(
            "unknown field {name:?}: expected {}",
            SEAL_FIELDS.join(", ")
        ));
    }
    let field = |name: &str| -> Result<Option<u64>, String> {
        spec.get(name)
            .map(|v| v.as_u64().ok_or(format!("{name}: expected a whole number")))
            .transpose()
    };
    let max_age_ms = field("max_age_ms")?.unwrap_or(86_400_000);
    let generation = match field("generation")? {
        None => 1,
        Some(g) => u32::try_from(g).map_err(|_| "generation: expected 0 to 2^32 - 1")?,
    };
    let envelope = Envelope {
        created_ms: field("created_ms")?.unwrap_or(now),
        expires_ms: field("expires_ms")?.unwrap_or(now.saturating_add(max_age_ms)),
        max_age_ms,
        sid: match spec.get("sid") {
            None => SessionId::random().map_err(|e| e.to_string())?,
            Some(sid) => SessionId(hex_bytes(sid, "sid")?),
        },
        line: match spec.get("line") {
            None => Line::random().map_err(|e| e.to_string())?,
            Some(line) => Line(hex_bytes(line, "line")?),
        },
        generation,
    };
    let data = match spec.get("data") {
        None => Data::new(),
        Some(Value::Object(map)) => Data::from_map(map).map_err(|e| e.to_string())?,
        Some(_) => return Err("data: expected a JSON object".into()),
    };
    let token = codec
        .seal_at(&envelope, &data, now)
        .map_err(|e| e.to_string())?;
    Ok(Outcome::done(format!("{token}\n")))
}

/// `N` bytes from a JSON string of `2 N` hex digits.
fn hex_bytes<const N: usize>(value: &Value, name: &str) -> Result<[u8; N], String> {
    let text = value.as_str().unwrap_or_default();
    let wrong = || format!("{name}: expected {} hex digits", 2 * N);
    if text.len() != 2 * N || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(wrong());
    }
    let mut bytes = [0u8; N];
    for (i, byte) in bytes.iter_mut().enumerate() {
        let pair = text.get(2 * i..2 * i + 2).ok_or_else(wrong)?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| wrong())?;
    }
    Ok(bytes)
}

/// The envelope, data and key position of an opened token.
fn opened_json(opened: &Opened) -> Value {
    let e = &opened.envelope;
    json!({
        "version": opened.version.byte(),
        "line": e.line.to_string(),
        "generation": e.generation,
        "created_ms": e.created_ms,
        "expires_ms": e.expires_ms,
        "max_age_ms": e.max_age_ms,
        "sid": e.sid.to_string(),
        "key_index": opened.key_index,
        "data": Value::Object(opened.data.to_map()),
    })
}

fn merge(into: &mut Value, from: Value) {
    if let (Value::Object(into), Value::Object(from)) = (into, from) {
        into.extend(from);
    }
}

/// The codec from `--keys` (or `SESSION_KEYS`) or `--key-file` (loaded at `now`),
/// `--context`, `--max-len`, `--skew` and `--absolute-lifetime`; `None` without keys.
fn codec(args: &Args, now: u64) -> Result<Option<Codec>, String> {
    let Some(keys) = keys(args, now)? else {
        return Ok(None);
    };
    let mut codec = Codec::new(keys).with_context(args.get("context").unwrap_or(""));
    if let Some(max_len) = args.number("max-len")? {
        codec = codec.with_max_len(usize::try_from(max_len).map_err(|_| "--max-len: too large")?);
    }
    if let Some(skew) = args.number("skew")? {
        codec = codec.with_clock_skew(Duration::from_millis(skew));
    }
    match args.get("absolute-lifetime") {
        None => {}
        Some("none") => codec = codec.with_absolute_lifetime(None),
        Some(_) => {
            let ms = args.number("absolute-lifetime")?.unwrap_or_default();
            codec = codec.with_absolute_lifetime(Some(Duration::from_millis(ms)));
        }
    }
    Ok(Some(codec))
}

/// The key list from `--keys`, `--key-file` (loaded at `now`, with every check) or
/// `SESSION_KEYS`, in that order; `None` without any.
fn keys(args: &Args, now: u64) -> Result<Option<Keys>, String> {
    let list = match (args.get("keys"), args.get("key-file")) {
        (Some(_), Some(_)) => {
            return Err("give --keys or --key-file, not both".into());
        }
        (None, Some(path)) => return keyfile::load(Path::new(path), now).map(|l| Some(l.keys)),
        (Some(list), None) => Zeroizing::new(list.to_owned()),
        (None, None) => match std::env::var("SESSION_KEYS") {
            Ok(list) => Zeroizing::new(list),
            Err(std::env::VarError::NotPresent) => return Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err("SESSION_KEYS is not UTF-8: give base64 keys, comma-separated".into());
            }
        },
    };
    // KeyError's text names the key's position and what is wrong, never the key.
    Keys::parse(&list).map(Some).map_err(|e| e.to_string())
}

/// The positional value, or standard input for `-`.
fn input(args: &Args, what: &str) -> Result<String, String> {
    match args.value() {
        None => Err(format!(
            "expected {what}, or - to read it from standard input"
        )),
        Some("-") => {
            let mut text = String::new();
            std::io::stdin()
                .take(STDIN_LIMIT)
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input as UTF-8 text: {}", e.kind()))?;
            Ok(text)
        }
        Some(value) => Ok(value.to_owned()),
    }
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".into());
    text.push('\n');
    text
}
