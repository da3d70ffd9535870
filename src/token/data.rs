//! [`Data`]: a session's values as raw JSON, each parsed only when it is read.
//!
//! Opening a token checks that its data is one JSON object and keeps each value's text
//! unparsed; sealing writes the texts back without parsing them. A value is parsed by
//! [`Data::get`] (into the type asked for) or [`Data::get_value`], and serialized once by
//! [`Data::insert`]. The length of the serialized object is kept up to date as values come and
//! go, so the size cap is checked without a counting pass.

use std::{collections::BTreeMap, fmt};

use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value, value::RawValue};

use crate::error::SessionError;

/// How deeply a stored value may nest arrays and objects. Inside the session's object that is
/// one level more, well within what a JSON parser accepts by default (serde_json: 128), so any
/// value that can be inserted opens again. `docs/token-format.md` states it for other
/// implementations.
pub const MAX_DEPTH: usize = 100;

/// A session's values: string keys to raw JSON texts, in key order.
#[derive(Clone, Default)]
pub struct Data {
    values: BTreeMap<String, Box<RawValue>>,
    /// The sum of [`entry_len`] over the values: the object is one `{` more (or `{}`).
    entries_len: usize,
}

/// Two data are equal when they hold the same keys with the same texts.
impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.values.len() == other.values.len()
            && self
                .values
                .iter()
                .zip(&other.values)
                .all(|((k, v), (l, w))| k == l && v.get() == w.get())
    }
}

impl Eq for Data {}

impl fmt::Debug for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the values: they are the session's data.
        write!(f, "Data(<{} entries>)", self.values.len())
    }
}

/// The length of `key` as a JSON string, quotes included, escaped as serde_json escapes it.
fn key_len(key: &str) -> usize {
    let escapes: usize = key
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | b'\x08' | b'\x0c' | b'\n' | b'\r' | b'\t' => 1,
            0..0x20 => 5,
            _ => 0,
        })
        .sum();
    key.len() + escapes + 2
}

/// What one entry adds to the object's length: `"key":value` and the `,` or `}` after it.
fn entry_len(key: &str, raw: &RawValue) -> usize {
    key_len(key) + 1 + raw.get().len() + 1
}

/// How deeply `json` (valid JSON) nests arrays and objects.
fn depth(json: &str) -> usize {
    let (mut depth, mut deepest, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for b in json.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

impl Data {
    /// No values: `{}`.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks that `json` is one JSON object and keeps its values unparsed. A key given twice
    /// keeps its last value, as JSON parsers do.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if `json` is not exactly one JSON object.
    pub fn from_json(json: &str) -> Result<Self, SessionError> {
        let values: BTreeMap<String, Box<RawValue>> = serde_json::from_str(json)?;
        let entries_len = values.iter().map(|(k, v)| entry_len(k, v)).sum();
        Ok(Self {
            values,
            entries_len,
        })
    }

    /// The values of a JSON map.
    ///
    /// # Errors
    ///
    /// [`SessionError::TooDeep`] if a value nests deeper than [`MAX_DEPTH`].
    pub fn from_map(map: &Map<String, Value>) -> Result<Self, SessionError> {
        let mut data = Self::new();
        for (key, value) in map {
            data.insert(key, value)?;
        }
        Ok(data)
    }

    /// All values, parsed, as a JSON map.
    #[must_use]
    pub fn to_map(&self) -> Map<String, Value> {
        self.values
            .iter()
            .map(|(k, v)| {
                // Every raw value was checked as JSON when it was made.
                let value = serde_json::from_str(v.get()).unwrap_or(Value::Null);
                (k.clone(), value)
            })
            .collect()
    }

    /// The value under `key`, parsed into `T`.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if the stored value does not convert to `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        self.values
            .get(key)
            .map(|raw| serde_json::from_str(raw.get()))
            .transpose()
            .map_err(SessionError::from)
    }

    /// The value under `key`, parsed into a [`Value`].
    #[must_use]
    pub fn get_value(&self, key: &str) -> Option<Value> {
        self.get(key).ok().flatten()
    }

    /// The raw JSON text under `key`, unparsed.
    #[must_use]
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.values.get(key).map(AsRef::as_ref)
    }

    /// Serializes `value` once and stores its text under `key`. Returns whether the data
    /// changed (a value equal to the stored one, as text, is no change).
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if `value` cannot be represented as JSON,
    /// [`SessionError::TooDeep`] if it nests deeper than [`MAX_DEPTH`]; the data is unchanged.
    pub fn insert<T: Serialize + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<bool, SessionError> {
        Ok(self.insert_raw(key, Self::to_raw(value)?))
    }

    /// `value` serialized once, as the raw text [`Data::insert_raw`] stores.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if `value` cannot be represented as JSON,
    /// [`SessionError::TooDeep`] if it nests deeper than [`MAX_DEPTH`].
    pub fn to_raw<T: Serialize + ?Sized>(value: &T) -> Result<Box<RawValue>, SessionError> {
        let raw = serde_json::value::to_raw_value(value)?;
        let depth = depth(raw.get());
        if depth > MAX_DEPTH {
            return Err(SessionError::TooDeep {
                depth,
                max: MAX_DEPTH,
            });
        }
        Ok(raw)
    }

    /// Whether `raw` is the text already stored under `key`.
    #[must_use]
    pub fn holds(&self, key: &str, raw: &RawValue) -> bool {
        self.values
            .get(key)
            .is_some_and(|old| old.get() == raw.get())
    }

    /// What [`Data::json_len`] would be with `raw` stored under `key`.
    #[must_use]
    pub fn json_len_with(&self, key: &str, raw: &RawValue) -> usize {
        let old = self.values.get(key).map_or(0, |old| entry_len(key, old));
        1 + self.entries_len + entry_len(key, raw) - old
    }

    /// Stores a raw value made by [`Data::to_raw`]; returns whether the data changed.
    pub fn insert_raw(&mut self, key: &str, raw: Box<RawValue>) -> bool {
        if self.holds(key, &raw) {
            return false;
        }
        self.entries_len += entry_len(key, &raw);
        if let Some(old) = self.values.insert(key.to_owned(), raw) {
            self.entries_len -= entry_len(key, &old);
        }
        true
    }

    /// Removes the value under `key` and returns its raw text.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let old = self.values.remove(key)?;
        self.entries_len -= entry_len(key, &old);
        Some(old)
    }

    /// Removes every value.
    pub fn clear(&mut self) {
        self.values.clear();
        self.entries_len = 0;
    }

    /// The number of values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no values.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.values.keys().map(String::as_str)
    }

    /// The length in bytes of the JSON object [`Data::write`] writes.
    #[must_use]
    pub fn json_len(&self) -> usize {
        if self.values.is_empty() {
            2
        } else {
            1 + self.entries_len
        }
    }

    /// Writes the JSON object: each key escaped, each value's text as it is.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.push(b'{');
        for (i, (key, raw)) in self.values.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // Writing a string into a `Vec` cannot fail.
            let _ = serde_json::to_writer(&mut *out, key);
            out.push(b':');
            out.extend_from_slice(raw.get().as_bytes());
        }
        out.push(b'}');
    }
}

impl TryFrom<&Map<String, Value>> for Data {
    type Error = SessionError;

    fn try_from(map: &Map<String, Value>) -> Result<Self, SessionError> {
        Self::from_map(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn opened_values_are_kept_as_text_and_parsed_on_read() {
        let data = Data::from_json(r#"{"b":[1, 2],"a":{"x":"y"},"b":true}"#).unwrap();
        assert_eq!(data.get_raw("a").unwrap().get(), r#"{"x":"y"}"#);
        assert_eq!(data.get::<bool>("b").unwrap(), Some(true));
        assert_eq!(written(&data), r#"{"a":{"x":"y"},"b":true}"#);
        assert_eq!(data.json_len(), written(&data).len());
        for bad in ["[1]", "{", "{} {}", "\"a\"", ""] {
            assert!(Data::from_json(bad).is_err(), "{bad:?}");
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
        let too: Value = serde_json::from_str(&deep(MAX_DEPTH + 1)).unwrap();
        assert!(matches!(
            data.insert("deeper", &too),
            Err(SessionError::TooDeep {
                depth: 101,
                max: 100
            })
        ));
        assert_eq!(data.len(), 2);
        // Brackets inside strings do not count.
        assert_eq!(depth(r#"["[[[\"{"]"#), 1);
    }
}
