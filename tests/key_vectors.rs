//! The shared key-list vectors (`tests/vectors/keys.json`) against [`Keys::parse`].
//!
//! The same file is checked by the Node and Python readers (`clients/`), so all three parse
//! `SESSION_KEYS` alike: the alphabets, padding, blanks, lengths and duplicates.

use std::path::Path;

use sealed_session::{KeyError, Keys};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    vectors: Vec<Vector>,
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

fn vectors() -> Vec<Vector> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../vectors/keys.json");
    let text = std::fs::read_to_string(&path).expect("tests/vectors/keys.json is readable");
    let file: File = serde_json::from_str(&text).expect("tests/vectors/keys.json parses");
    assert!(file.vectors.len() >= 30, "keys.json holds its vectors");
    file.vectors
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
