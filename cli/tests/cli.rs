//! The tool as a user runs it: every vector file of the repository through `inspect`, seals
//! that open back, keys from the environment and standard input, and no key or panic on any
//! input.

// A test may stop at the first surprise.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used)]

use std::{
    io::Write as _,
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sealed-session");
const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const V1: &str = "AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlFQggV9mH8f7H9KT2083V2";

fn run(args: &[&str], stdin: Option<&str>, env_keys: Option<&str>) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env_remove("SESSION_KEYS");
    if let Some(keys) = env_keys {
        command.env("SESSION_KEYS", keys);
    }
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command.spawn().expect("the tool starts");
    if let (Some(text), Some(mut pipe)) = (stdin, child.stdin.take()) {
        pipe.write_all(text.as_bytes())
            .expect("stdin takes the input");
    }
    child.wait_with_output().expect("the tool ends")
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).expect("the tool prints JSON")
}

/// Every vector of every `*.json` in the repository's `tests/vectors/` and
/// `clients/test-vectors/`, with its file name.
fn vectors() -> Vec<(String, Value)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut all = Vec::new();
    for dir in ["tests/vectors", "clients/test-vectors"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .expect("the vector folder exists")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for file in files {
            let doc: Value =
                serde_json::from_str(&std::fs::read_to_string(&file).expect("readable"))
                    .expect("a vector file is JSON");
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            for v in doc["vectors"].as_array().cloned().unwrap_or_default() {
                all.push((
                    format!("{dir}/{name}:{}", v["name"].as_str().unwrap_or("?")),
                    v,
                ));
            }
        }
    }
    all
}

fn keys_of(v: &Value) -> String {
    v["keys"]
        .as_array()
        .map(|k| {
            k.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(",")
        })
        .unwrap_or_default()
}

#[test]
fn every_passing_vector_opens_to_its_fields() {
    // Exercise: `inspect --keys ... TOKEN` on each passing vector (no absolute lifetime).
    // Expectation: exit 0 and the vector's version, kid position, line, generation, times, sid
    // and data.
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, v) in vectors().into_iter().filter(|(_, v)| {
        v.get("data").is_some() && v.get("reason").is_none() && v.get("opens").is_none()
    }) {
        count += 1;
        let now = v["open_at_ms"].to_string();
        let keys = keys_of(&v);
        let args = [
            "inspect",
            v["token"].as_str().unwrap_or(""),
            "--keys",
            &keys,
            "--context",
            v["context"].as_str().unwrap_or(""),
            "--now",
            &now,
            "--absolute-lifetime",
            "none",
        ];
        let out = run(&args, None, None);
        let seen = json(&out);
        let v2 = v.get("generation").is_some();
        let line = if v2 {
            v["line"].clone()
        } else {
            Value::from(v["nonce"].as_str().unwrap_or("").get(..8).unwrap_or(""))
        };
        let expected = [
            ("opened", Value::from(true)),
            ("version", Value::from(if v2 { 2 } else { 1 })),
            ("key_index", v["seal_key"].clone()),
            ("line", line),
            (
                "generation",
                if v2 {
                    v["generation"].clone()
                } else {
                    Value::from(0)
                },
            ),
            ("created_ms", v["created_ms"].clone()),
            ("expires_ms", v["expires_ms"].clone()),
            ("max_age_ms", v["max_age_ms"].clone()),
            ("sid", v["sid"].clone()),
            ("data", v["data"].clone()),
        ];
        for (field, want) in expected {
            if seen[field] != want {
                failures.push(format!(
                    "{name}: {field} is {}, expected {want}",
                    seen[field]
                ));
            }
        }
        if out.status.code() != Some(0) {
            failures.push(format!("{name}: exit {:?}", out.status.code()));
        }
    }
    assert!(count >= 5, "the vector files hold passing vectors");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_failing_vector_is_refused_with_its_reason() {
    // Exercise: `inspect` each refusal vector with its keys, context, cap, lifetime and time.
    // Expectation: exit 1 and the vector's reason.
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, v) in vectors()
        .into_iter()
        .filter(|(_, v)| v.get("reason").is_some())
    {
        count += 1;
        let now = v["open_at_ms"].to_string();
        let max_len = v["max_len"].to_string();
        let lifetime = if v["absolute_lifetime_ms"].is_null() {
            "none".to_owned()
        } else {
            v["absolute_lifetime_ms"].to_string()
        };
        let keys = keys_of(&v);
        let args = [
            "inspect",
            v["token"].as_str().unwrap_or(""),
            "--keys",
            &keys,
            "--context",
            v["context"].as_str().unwrap_or(""),
            "--now",
            &now,
            "--max-len",
            &max_len,
            "--absolute-lifetime",
            &lifetime,
        ];
        let out = run(&args, None, None);
        let seen = json(&out);
        if seen["reason"] != v["reason"] || out.status.code() != Some(1) {
            failures.push(format!(
                "{name}: reason {} exit {:?}, expected {}",
                seen["reason"],
                out.status.code(),
                v["reason"]
            ));
        }
    }
    assert!(count >= 20, "the vector files hold refusals");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The arguments that open a refusal-shaped vector (fail.json's fields) as it says.
fn open_args(v: &Value) -> Vec<String> {
    let lifetime = if v["absolute_lifetime_ms"].is_null() {
        "none".to_owned()
    } else {
        v["absolute_lifetime_ms"].to_string()
    };
    [
        "inspect",
        v["token"].as_str().unwrap_or(""),
        "--keys",
        &keys_of(v),
        "--context",
        v["context"].as_str().unwrap_or(""),
        "--now",
        &v["open_at_ms"].to_string(),
        "--max-len",
        &v["max_len"].to_string(),
        "--absolute-lifetime",
        &lifetime,
    ]
    .map(str::to_owned)
    .to_vec()
}

#[test]
fn odd_data_that_is_one_json_object_opens() {
    // Exercise: `inspect` the tokens of open-local.json (deep values, huge numbers, lone
    // surrogate escapes in values, duplicate keys). Expectation: each opens, exit 0: the
    // crate keeps each value's text, as the readers assume.
    let mut failures = Vec::new();
    let mut count = 0;
    for (name, v) in vectors()
        .into_iter()
        .filter(|(_, v)| v.get("opens").is_some())
    {
        count += 1;
        let args = open_args(&v);
        let out = run(
            &args.iter().map(String::as_str).collect::<Vec<_>>(),
            None,
            None,
        );
        // Read as text: the printed data may nest past what serde_json parses back.
        let text = String::from_utf8_lossy(&out.stdout);
        if out.status.code() != Some(0) || !text.contains("\"opened\": true") {
            failures.push(format!(
                "{name}: exit {:?}, {}",
                out.status.code(),
                text.lines().rev().nth(1).unwrap_or("")
            ));
        }
    }
    assert!(count >= 10, "open-local.json holds its vectors");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn without_keys_inspect_reads_the_clear_prefix() {
    let out = run(&["inspect", V1], None, None);
    assert_eq!(out.status.code(), Some(0));
    let seen = json(&out);
    assert_eq!(seen["could_be_token"], true);
    assert_eq!(seen["kid"], "0054ba20");
    assert_eq!(seen["line"], "40414243");
    assert_eq!(seen["generation"], 0);
    assert_eq!(seen["length"], 140);
    assert!(seen.get("opened").is_none() && seen.get("data").is_none());
    let out = run(&["inspect", "hello"], None, None);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["problem"], "malformed");
}

#[test]
fn keys_from_the_environment_and_the_token_from_standard_input() {
    let out = run(
        &["inspect", "-", "--now", "1700000000000"],
        Some(&format!("{V1}\n")),
        Some(KEY),
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        json(&out)["data"],
        serde_json::json!({ "views": { "/foo": 1 } })
    );
}

#[test]
fn sealed_tokens_open_back_and_keygen_makes_usable_keys() {
    let out = run(&["keygen", "--count", "2"], None, None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let keys: Vec<&str> = text.lines().collect();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.len() == 43) && keys[0] != keys[1]);
    let list = keys.join(",");
    let spec = r#"{"data": {"user": "ada"}, "sid": "000102030405060708090a0b0c0d0e0f", "created_ms": 1000, "max_age_ms": 5000}"#;
    let out = run(&["seal", "-", "--now", "2000"], Some(spec), Some(&list));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let out = run(
        &["inspect", &token, "--keys", &list, "--now", "2001"],
        None,
        None,
    );
    let seen = json(&out);
    assert_eq!(seen["data"], serde_json::json!({ "user": "ada" }));
    assert_eq!(seen["sid"], "000102030405060708090a0b0c0d0e0f");
    assert_eq!(
        (seen["created_ms"].as_u64(), seen["expires_ms"].as_u64()),
        (Some(1000), Some(7000))
    );
    let out = run(
        &["inspect", &token, "--keys", &list, "--now", "7000"],
        None,
        None,
    );
    assert_eq!(
        (json(&out)["reason"].as_str(), out.status.code()),
        (Some("expired"), Some(1))
    );
}

#[test]
fn no_key_is_ever_printed_and_no_input_panics() {
    // Exercise: bad commands, options, key lists, JSON and tokens, with a real key in the
    // arguments or the environment. Expectation: exit 1 or 2 (never 101, a panic), and the key
    // in neither output.
    let short = &KEY[..40];
    let doubled = format!("{KEY},{KEY}");
    let long = "A".repeat(10_000);
    let cases: Vec<Vec<&str>> = vec![
        vec![],
        vec!["bogus"],
        vec!["inspect"],
        vec!["inspect", V1, "--keys", short],
        vec!["inspect", V1, "--keys", &doubled],
        vec!["inspect", V1, "--keys", KEY, "--now", "soon"],
        vec!["inspect", V1, "--keys", KEY, "--bogus", KEY],
        vec!["inspect", V1, KEY, "--keys", KEY],
        vec!["inspect", "\u{1}\u{7f}é", "--keys", KEY],
        vec!["inspect", &long, "--keys", KEY],
        vec!["seal", "not json", "--keys", KEY],
        vec!["seal", "[1]", "--keys", KEY],
        vec!["seal", r#"{"data": 1}"#, "--keys", KEY],
        vec!["seal", r#"{"sid": "zz"}"#, "--keys", KEY],
        vec![
            "seal",
            r#"{"data": {"a": "x"}}"#,
            "--keys",
            KEY,
            "--max-len",
            "10",
        ],
        vec!["keygen", "--count", "0"],
        vec!["keygen", KEY],
    ];
    let no_keys = run(&["seal", "{}"], None, None);
    assert_eq!(no_keys.status.code(), Some(2), "seal needs keys");
    for args in &cases {
        for env in [None, Some(KEY)] {
            let out = run(args, None, env);
            let code = out.status.code();
            assert!(matches!(code, Some(1 | 2)), "{args:?}: exit {code:?}");
            for stream in [&out.stdout, &out.stderr] {
                let text = String::from_utf8_lossy(stream);
                assert!(
                    !text.contains(&KEY[..20]),
                    "{args:?} printed the key: {text}"
                );
            }
        }
    }
}
