//! The shared key-list vectors (`tests/vectors/keys.json`) against [`Keys::parse`], and its
//! key files (`files`, `docs/key-file.md`) against `Keys::load_key_file` (feature `key-file`).
//!
//! The same file is checked by the Node and Python readers (`clients/`), so all three parse
//! `SESSION_KEYS` and key files alike: the alphabets, padding, blanks, lengths, duplicates, the
//! format line, attributes, times and which key seals when.

use std::path::Path;

use sealed_session::{KeyError, Keys};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    vectors: Vec<Vector>,
    #[cfg_attr(not(feature = "key-file"), allow(dead_code))]
    files: Vec<KeyFileCase>,
}

/// A key file, loaded at `now_ms`.
#[derive(Debug, Deserialize)]
#[cfg_attr(not(feature = "key-file"), allow(dead_code))]
struct KeyFileCase {
    name: String,
    text: String,
    now_ms: u64,
    ok: bool,
    #[serde(default)]
    kids: Vec<String>,
    #[serde(default)]
    seal_after_ms: Vec<Option<u64>>,
    sealing: Option<String>,
    #[serde(default)]
    sealing_at: Vec<SealingAt>,
    error: Option<String>,
    line: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[cfg_attr(not(feature = "key-file"), allow(dead_code))]
struct SealingAt {
    now_ms: u64,
    sealing: String,
}

#[derive(Debug, Deserialize)]
struct Vector {
    name: String,
    input: String,
    ok: bool,
    #[serde(default)]
    kids: Vec<String>,
    error: Option<String>,
    /// 1-based position of the faulty key, empty items not counted.
    position: Option<usize>,
    got: Option<usize>,
    kid: Option<String>,
}

fn file() -> File {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/keys.json");
    let text = std::fs::read_to_string(&path).expect("tests/vectors/keys.json is readable");
    let file: File = serde_json::from_str(&text).expect("tests/vectors/keys.json parses");
    assert!(file.vectors.len() >= 30, "keys.json holds its vectors");
    assert!(file.files.len() >= 20, "keys.json holds its key files");
    file
}

fn vectors() -> Vec<Vector> {
    file().vectors
}

/// The vector's expectation in the crate's terms: the error's name, position, length and kid.
fn describe(error: &KeyError) -> (String, Option<usize>, Option<usize>, Option<String>) {
    match error {
        KeyError::Empty => ("empty".into(), None, None, None),
        KeyError::BadBase64 { index, .. } => ("bad_base64".into(), Some(index + 1), None, None),
        KeyError::BadLength { index, got, .. } => {
            ("bad_length".into(), Some(index + 1), Some(*got), None)
        }
        KeyError::DuplicateKid { kid } => ("duplicate_kid".into(), None, None, Some(kid.clone())),
        other => (format!("unexpected: {other}"), None, None, None),
    }
}

#[test]
fn keys_parse_as_the_shared_vectors_say() {
    // Exercise: every input of keys.json through `Keys::parse`.
    // Expectation: the kids in order for a valid list; otherwise the error named, at the
    // position named (the crate counts from 0, the file from 1), with the length or kid named.
    let mut failures = Vec::new();
    for v in vectors() {
        match (Keys::parse(&v.input), v.ok) {
            (Ok(keys), true) => {
                let kids: Vec<String> =
                    keys.as_slice().iter().map(|k| k.id().to_string()).collect();
                if kids != v.kids {
                    failures.push(format!("{}: kids {kids:?}, expected {:?}", v.name, v.kids));
                }
            }
            (Ok(_), false) => failures.push(format!("{}: parsed, expected {:?}", v.name, v.error)),
            (Err(e), true) => failures.push(format!("{}: refused ({e}), expected kids", v.name)),
            (Err(e), false) => {
                let (error, position, got, kid) = describe(&e);
                let expected_position = if error == "duplicate_kid" {
                    None
                } else {
                    v.position
                };
                let expected = (
                    v.error.clone().unwrap_or_default(),
                    expected_position,
                    v.got,
                    v.kid.clone(),
                );
                if (error.clone(), position, got, kid.clone()) != expected {
                    failures.push(format!(
                        "{}: got {:?}, expected {expected:?}",
                        v.name,
                        (error, position, got, kid)
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[cfg(feature = "key-file")]
#[test]
fn key_files_load_as_the_shared_vectors_say() {
    // Exercise: every key file of keys.json through `Keys::load_key_file` at its time.
    // Expectation: for a good file the kids in order, each key's time, and the key that seals
    // at the file's time and at each further time named; for a refused one the error's name and
    // line, and a message that holds neither the file's text nor a key of it.
    let mut failures = Vec::new();
    for case in file().files {
        let name = &case.name;
        match (
            Keys::load_key_file(case.text.as_bytes(), case.now_ms),
            case.ok,
        ) {
            (Ok(keys), true) => {
                let kid_at = |index: usize| keys.as_slice()[index].id().to_string();
                let kids: Vec<String> = (0..keys.as_slice().len()).map(kid_at).collect();
                let times: Vec<Option<u64>> =
                    (0..kids.len()).map(|i| keys.seal_after_ms(i)).collect();
                let mut sealing = vec![(case.now_ms, case.sealing.clone().unwrap_or_default())];
                sealing.extend(
                    case.sealing_at
                        .iter()
                        .map(|s| (s.now_ms, s.sealing.clone())),
                );
                for (now, expected) in sealing {
                    let got = kid_at(keys.sealing_index_at(now));
                    if got != expected {
                        failures.push(format!("{name}: at {now} {got} seals, expected {expected}"));
                    }
                }
                if (&kids, &times) != (&case.kids, &case.seal_after_ms) {
                    failures.push(format!("{name}: {kids:?} {times:?}"));
                }
            }
            (Ok(_), false) => failures.push(format!("{name}: loaded, expected {:?}", case.error)),
            (Err(e), true) => failures.push(format!("{name}: refused ({e}), expected a list")),
            (Err(e), false) => {
                let got = (e.problem().code(), e.line());
                if got != (case.error.as_deref().unwrap_or_default(), case.line) {
                    failures.push(format!(
                        "{name}: got {got:?}, expected {:?}",
                        (&case.error, case.line)
                    ));
                }
                let message = format!("{e} {e:?}");
                // Every key and attribute of the file, and any other long word but the format's.
                let words = case.text.split_whitespace();
                let mut quoted = words.filter(|w| w.len() >= 12 && *w != "sealed-session-keys");
                if let Some(word) = quoted.find(|w| message.contains(w)) {
                    failures.push(format!("{name}: the message quotes {word:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
