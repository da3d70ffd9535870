//! Unit tests of [`Data`](super::Data): reading, writing, lengths, depth.

use super::{read::Key, *};

fn written(data: &Data) -> String {
    let mut out = Vec::new();
    data.write(&mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn json_len_follows_every_change() {
    let mut data = Data::new();
    assert_eq!(data.json_len(), written(&data).len());
    for (key, value) in [
        ("a", Value::from(1)),
        ("b\"\n\u{1}", Value::from("x")),
        ("a", Value::from(vec![1, 2])),
        ("c", Value::Null),
    ] {
        data.insert(key, &value).unwrap();
        assert_eq!(data.json_len(), written(&data).len(), "{key:?}");
    }
    data.remove("a");
    assert_eq!(data.json_len(), written(&data).len());
    data.remove("b\"\n\u{1}");
    data.remove("c");
    assert_eq!((data.json_len(), written(&data).as_str()), (2, "{}"));
    data.insert("z", &1).unwrap();
    data.clear();
    assert_eq!(data.json_len(), 2);
}

#[test]
fn insert_raw_asks_for_the_length_after_once_and_a_refusal_changes_nothing() {
    let mut data = Data::new();
    data.insert("a", &1).unwrap();
    let raw = Data::to_raw(&[1, 2]).unwrap();
    assert_eq!(
        (raw.get(), format!("{raw:?}").as_str()),
        ("[1,2]", "Raw(<5 bytes>)")
    );
    let mut asked = Vec::new();
    let changed = data.insert_raw("b", raw.clone(), |len| {
        asked.push(len);
        Ok(())
    });
    let after = r#"{"a":1,"b":[1,2]}"#;
    assert_eq!(
        (changed.unwrap(), asked, written(&data)),
        (true, vec![after.len()], after.into())
    );
    // The same text again: no change, and the cap is not asked.
    assert!(!data.insert_raw("b", raw, |_| panic!("not asked")).unwrap());
    // Refused: the error is `fits`'s own, and the data as it was.
    let before = data.clone();
    let refused = data.insert_raw("a", Data::to_raw("long").unwrap(), |len| {
        Err(SessionError::TooLarge { len, cap: 0 })
    });
    let would_be = r#"{"a":"long","b":[1,2]}"#.len();
    assert!(
        matches!(refused, Err(SessionError::TooLarge { len, cap: 0 }) if len == would_be),
        "{refused:?}"
    );
    assert_eq!((data.json_len(), &data), (after.len(), &before));
}

#[test]
fn copied_in_one_piece_or_entry_by_entry_the_object_written_is_the_same() {
    // Opened texts whose entries lie one after the other (copied as one stretch), with
    // spaces, out of order and with escaped keys, one that needs its escapes and one that
    // does not (written entry by entry), each after edits that split a stretch or end it:
    // what is written is the compact, sorted object serde_json writes of the same map.
    let texts = [
        r#"{"a":1,"b":[2],"c":{"d":"e"},"d":null}"#,
        r#"{ "a" : 1 , "b":[2],"c":{"d":"e"},"d":null }"#,
        r#"{"d":null,"b":[2],"a":1,"c":{"d":"e"}}"#,
        r#"{"\u0061":1,"b":[2],"c":{"d":"e"}}"#,
        r#"{"a\"b\n":1,"b":[2],"c":{"d":"e"}}"#,
    ];
    type Edit = fn(&mut Data);
    let edits: [(&str, Edit); 7] = [
        ("none", |_| {}),
        ("remove b", |d| drop(d.remove("b"))),
        ("replace b", |d| drop(d.insert("b", &5))),
        ("insert bb", |d| drop(d.insert("bb", &6))),
        ("replace a", |d| drop(d.insert("a", "x"))),
        ("remove a", |d| drop(d.remove("a"))),
        ("remove d", |d| drop(d.remove("d"))),
    ];
    for text in texts {
        for (name, edit) in edits {
            let mut data = Data::from_json(text).unwrap();
            edit(&mut data);
            let expected = serde_json::to_string(&data.to_map()).unwrap();
            assert_eq!(written(&data), expected, "{text} after {name}");
            assert_eq!(data.json_len(), expected.len(), "{text} after {name}");
        }
    }
}

#[test]
fn opened_values_are_kept_as_text_and_parsed_on_read() {
    let data = Data::from_json(r#"{"b":[1, 2],"a":{"x":"y"},"b":true}"#).unwrap();
    assert_eq!(data.get_raw("a").unwrap(), r#"{"x":"y"}"#);
    assert_eq!(data.get::<bool>("b").unwrap(), Some(true));
    assert_eq!(written(&data), r#"{"a":{"x":"y"},"b":true}"#);
    assert_eq!(data.json_len(), written(&data).len());
    // A key written with an escape is the key written plainly; the last one given wins.
    let data = Data::from_json(r#"{"ab":1,"c":0,"a\u0062":2}"#).unwrap();
    assert_eq!((data.len(), data.get::<u8>("ab").unwrap()), (2, Some(2)));
    assert_eq!(data.json_len(), written(&data).len());
    // Two entries out of order, and one key twice in a row: sorted, the last value kept.
    let data = Data::from_json(r#"{"b":1,"a":2}"#).unwrap();
    assert_eq!(
        (data.get::<u8>("a").unwrap(), written(&data).as_str()),
        (Some(2), r#"{"a":2,"b":1}"#)
    );
    let data = Data::from_json(r#"{"a":1,"a":2}"#).unwrap();
    assert_eq!((data.len(), written(&data).as_str()), (1, r#"{"a":2}"#));
    // What the errors expect.
    let Err(SessionError::Json(object)) = Data::from_json("[1]") else {
        panic!("[1] is not an object")
    };
    assert!(
        object.to_string().contains("expected a JSON object"),
        "{object}"
    );
    let key = serde_json::from_str::<Key<'_>>("1").err().unwrap();
    assert!(key.to_string().contains("expected a string key"), "{key}");
    for bad in ["[1]", "{", "{} {}", "\"a\"", ""] {
        assert!(Data::from_json(bad).is_err(), "{bad:?}");
    }
}

#[test]
fn json_that_a_value_cannot_hold_opens_and_is_kept() {
    // Found by the `open` fuzz target: a 400-digit integer, valid JSON that serde_json's
    // `Value` (without arbitrary precision) cannot hold, and a lone surrogate escape.
    let huge = "9".repeat(400);
    let json = format!(r#"{{"n":{huge},"s":"\ud800"}}"#);
    let data = Data::from_json(&json).unwrap();
    for key in ["n", "s"] {
        assert_eq!(data.get_value(key), None, "{key}");
        assert!(
            matches!(data.get::<Value>(key), Err(SessionError::Json(_))),
            "{key}"
        );
    }
    assert_eq!(data.get_raw("n"), Some(huge.as_str()));
    assert_eq!(written(&data), json, "sealed again unchanged");
    assert_eq!(data.to_map()["n"], Value::Null);
}

#[test]
fn data_are_equal_when_keys_and_texts_are_and_debug_shows_only_the_count() {
    let data = |json: &str| Data::from_json(json).unwrap();
    let ab = data(r#"{"a":1,"b":2}"#);
    let mut inserted = Data::new();
    inserted.insert("b", &2).unwrap();
    inserted.insert("a", &1).unwrap();
    assert_eq!(ab, inserted, "opened or inserted, the same entries");
    for other in [
        r#"{"a":1}"#,
        r#"{"a":1,"c":2}"#,
        r#"{"a":1,"b":3}"#,
        r#"{"a":1,"b":2,"c":3}"#,
    ] {
        assert_ne!(ab, data(other), "{other}");
    }
    assert_eq!(format!("{ab:?}"), "Data(<2 entries>)");
    let map = serde_json::json!({"a": 1, "b": 2});
    assert_eq!(Data::try_from(map.as_object().unwrap()).unwrap(), ab);
}

#[test]
fn from_json_refuses_a_value_deeper_than_insert_allows() {
    // Exercise: objects whose one value nests exactly MAX_DEPTH levels, MAX_DEPTH + 1, and
    // MAX_DEPTH + 1 padded past the scan's length threshold, as `open` reads them.
    // Expectation: the limit is the one `insert` keeps: 100 opens, 101 is refused.
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let at_limit = Data::from_json(format!(r#"{{"a":1,"v":{}}}"#, deep(MAX_DEPTH))).unwrap();
    assert_eq!(at_limit.len(), 2);
    // As deep, and long enough to be scanned: the limit itself is let through.
    let padded = format!(
        r#"{{"v":{}{}{}}}"#,
        "[".repeat(MAX_DEPTH),
        "0,".repeat(20) + "0",
        "]".repeat(MAX_DEPTH)
    );
    assert!(padded.len() > 2 * MAX_DEPTH + 10);
    assert_eq!(Data::from_json(padded).unwrap().len(), 1);
    for too_deep in [
        format!(r#"{{"v":{}}}"#, deep(MAX_DEPTH + 1)),
        format!(r#"{{"a":1,"v":{{"x":{}}}}}"#, deep(MAX_DEPTH)),
        // 101 levels, with brackets inside a string that must not count either way.
        format!(
            r#"{{"v":[{}"{}"{}]}}"#,
            "[".repeat(MAX_DEPTH),
            "]".repeat(50),
            "]".repeat(MAX_DEPTH)
        ),
    ] {
        assert!(
            matches!(
                Data::from_json(too_deep.clone()),
                Err(SessionError::Json(_))
            ),
            "{}",
            too_deep.len()
        );
    }
}

#[test]
fn an_equal_value_is_no_change_and_too_deep_is_refused() {
    let mut data = Data::new();
    assert!(data.insert("k", &[1, 2]).unwrap());
    assert!(!data.insert("k", &[1, 2]).unwrap());
    let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    let ok: Value = serde_json::from_str(&deep(MAX_DEPTH)).unwrap();
    assert!(data.insert("deep", &ok).unwrap());
    // As deep, but too long to skip the scan: the depth itself is let through.
    let padded = format!(
        "{}{}{}",
        "[".repeat(MAX_DEPTH),
        "0,".repeat(20),
        "]".repeat(MAX_DEPTH)
    )
    .replace(",]", "]");
    let ok: Value = serde_json::from_str(&padded).unwrap();
    assert!(padded.len() > 2 * MAX_DEPTH && data.insert("padded", &ok).unwrap());
    let too: Value = serde_json::from_str(&deep(MAX_DEPTH + 1)).unwrap();
    assert!(matches!(
        data.insert("deeper", &too),
        Err(SessionError::TooDeep {
            depth: 101,
            max: 100
        })
    ));
    assert_eq!(data.len(), 3);
    // Brackets inside strings do not count; after a string they do again.
    assert_eq!(depth(r#"["[[[\"{"]"#), 1);
    assert_eq!(depth(r#"["a",[[1]]]"#), 3);
    // Closing brackets count down: siblings are not deeper.
    assert_eq!(depth(r#"[[],{},[]]"#), 2);
}
