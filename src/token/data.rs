//! [`Data`]: a session's values as raw JSON, each parsed only when it is read.
//!
//! Opening a token checks that its data is one JSON object and keeps its text (the token's own
//! decrypted buffer, not a copy), and for each entry where its key and value lie in it (no
//! allocation per value). Sealing writes the texts back without parsing them, entries that
//! still lie one after the other in one piece. A value is parsed by [`Data::get`] (into the
//! type asked for) or [`Data::get_value`], and serialized once by [`Data::insert`]. The length
//! of the serialized object is kept up to date as values come and go, so the size cap is
//! checked without a counting pass.

use std::{borrow::Cow, fmt, ops::Range};

use serde::{
    Deserialize, Deserializer, Serialize,
    de::{DeserializeOwned, DeserializeSeed, MapAccess, Visitor},
};
use serde_json::{Map, Value, value::RawValue};

use crate::error::SessionError;

/// How deeply a stored value may nest arrays and objects. Inside the session's object that is
/// one level more, well within what a JSON parser accepts by default (serde_json: 128), so any
/// value that can be inserted opens again. `docs/token-format.md` states it for other
/// implementations.
pub const MAX_DEPTH: usize = 100;

/// A key's or a value's text: where it lies in the opened text, or its own.
#[derive(Clone)]
enum Text {
    /// A range of [`Data::text`]; a key here needs no JSON escaping.
    Opened(Range<usize>),
    /// A value (raw JSON) of its own, or a key of its own (unescaped) with a character that
    /// JSON escapes. A `String` as made, so that keeping it costs no shrinking reallocation.
    Own(String),
    /// A key of its own that JSON writes as it is, between quotes (no character to escape).
    Plain(String),
}

impl Text {
    /// A key of its own, whose length as a JSON string is `quoted` ([`key_len`]).
    fn own_key(key: String, quoted: usize) -> Self {
        if quoted == key.len() + 2 {
            Self::Plain(key)
        } else {
            Self::Own(key)
        }
    }
}

#[derive(Clone)]
struct Entry {
    key: Text,
    value: Text,
}

/// A value serialized once by [`Data::to_raw`]: JSON text nested at most [`MAX_DEPTH`] levels,
/// ready for [`Data::insert_raw`]. Its `Debug` shows only its length: it is session data.
#[derive(Clone, PartialEq, Eq)]
pub struct Raw(String);

impl Raw {
    /// The JSON text.
    #[must_use]
    pub fn get(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Raw {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Raw(<{} bytes>)", self.0.len())
    }
}

/// A session's values: string keys to raw JSON texts, in key order.
#[derive(Clone, Default)]
pub struct Data {
    /// The JSON text the data was opened from (empty for new data): the opened token's own
    /// buffer, not a copy of it.
    text: String,
    /// Sorted by key, each key once.
    entries: Vec<Entry>,
    /// The sum of [`entry_len`] over the entries: the object is one `{` more (or `{}`).
    entries_len: usize,
}

/// Two data are equal when they hold the same keys with the same texts.
impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self.entries.iter().zip(&other.entries).all(|(a, b)| {
                self.str(&a.key) == other.str(&b.key) && self.str(&a.value) == other.str(&b.value)
            })
    }
}

impl Eq for Data {}

impl fmt::Debug for Data {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the values: they are the session's data.
        write!(f, "Data(<{} entries>)", self.entries.len())
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
fn entry_len(key: &str, value: &str) -> usize {
    key_len(key) + 1 + value.len() + 1
}

/// Whether `json` is long enough to nest deeper than [`MAX_DEPTH`]: each level takes two
/// brackets, so a shorter text cannot, and [`depth`] need not scan it.
fn may_be_too_deep(json: &str) -> bool {
    json.len() > 2 * MAX_DEPTH
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

/// A key as serde_json gives it: borrowed from the text when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string key")
            }
            fn visit_borrowed_str<E>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Reads one JSON object of `json` into entries (ranges of `json`) in the order given, keys
/// given twice included, with the sum of their [`entry_len`] and whether the keys came sorted,
/// each once (what this crate seals).
struct Entries<'a> {
    json: &'a str,
}

/// What [`Entries`] reads.
struct Read {
    entries: Vec<Entry>,
    len: usize,
    sorted: bool,
}

impl<'de> DeserializeSeed<'de> for Entries<'de> {
    type Value = Read;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Read, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Entries<'de> {
    type Value = Read;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Read, M::Error> {
        let mut read = Read {
            entries: Vec::with_capacity(map.size_hint().unwrap_or(8)),
            len: 0,
            sorted: true,
        };
        while let Some((Key(key), value)) = map.next_entry::<Key<'de>, &'de RawValue>()? {
            let value = value.get();
            // The limit `insert` keeps (docs/token-format.md, opening step 10): a value nested
            // deeper is no data this crate seals, and would be re-sealed deeper than the format
            // allows. Scanned value by value, and only a value long enough to be that deep.
            if may_be_too_deep(value) && depth(value) > MAX_DEPTH {
                return Err(serde::de::Error::custom(format_args!(
                    "a value nests arrays and objects deeper than {MAX_DEPTH} levels"
                )));
            }
            if let Some(last) = read.entries.last() {
                read.sorted &= text_str(self.json, &last.key) < &*key;
            }
            let key = match key {
                // Borrowed means written without escapes: then it needs none either (JSON has
                // no raw `"`, `\` or control character in a string), and is as long as it was.
                Cow::Borrowed(key) => {
                    read.len += key.len() + 2 + 1 + value.len() + 1;
                    Text::Opened(range_in(self.json, key))
                }
                Cow::Owned(key) => {
                    let quoted = key_len(&key);
                    read.len += quoted + 1 + value.len() + 1;
                    Text::own_key(key, quoted)
                }
            };
            read.entries.push(Entry {
                key,
                value: Text::Opened(range_in(self.json, value)),
            });
        }
        Ok(read)
    }
}

/// The text of `text`, whose ranges lie in `opened`.
fn text_str<'a>(opened: &'a str, text: &'a Text) -> &'a str {
    match text {
        Text::Opened(range) => &opened[range.clone()],
        Text::Own(own) | Text::Plain(own) => own,
    }
}

/// Where `part`, a slice of `whole`, lies in it.
fn range_in(whole: &str, part: &str) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

impl Data {
    /// No values: `{}`.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn str<'a>(&'a self, text: &'a Text) -> &'a str {
        text_str(&self.text, text)
    }

    /// The entry of `key`, or where it would go.
    fn find(&self, key: &str) -> Result<usize, usize> {
        // As bytes, which order as the strings do, without checking char boundaries.
        let key = key.as_bytes();
        self.entries.binary_search_by(|e| match &e.key {
            Text::Opened(range) => self.text.as_bytes()[range.clone()].cmp(key),
            Text::Own(own) | Text::Plain(own) => own.as_bytes().cmp(key),
        })
    }

    /// Checks that `json` is one JSON object and keeps its text (a `String` is kept as it is,
    /// not copied), with where each key and value lies in it. A key given twice keeps its last
    /// value, as JSON parsers do.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if `json` is not exactly one JSON object, or if one of its values
    /// nests arrays and objects deeper than [`MAX_DEPTH`] levels (what `insert` refuses).
    pub fn from_json(json: impl Into<String>) -> Result<Self, SessionError> {
        let text = json.into();
        let mut deserializer = serde_json::Deserializer::from_str(&text);
        let read = Entries { json: &text }.deserialize(&mut deserializer)?;
        deserializer.end()?;
        let mut data = Self {
            text,
            entries: read.entries,
            entries_len: read.len,
        };
        if !read.sorted {
            data.sort_keeping_last();
        }
        Ok(data)
    }

    /// Sorts the entries by key and, of a key given more than once, keeps the last value, as
    /// JSON parsers do; recounts the length (a rare path: this crate seals sorted keys).
    fn sort_keeping_last(&mut self) {
        let Self { text, entries, .. } = self;
        // Stable: of equal keys the last given stays last. Reversed, it comes first of its
        // run, and `dedup_by` keeps the first.
        entries.sort_by(|a, b| text_str(text, &a.key).cmp(text_str(text, &b.key)));
        entries.reverse();
        entries.dedup_by(|a, b| text_str(text, &a.key) == text_str(text, &b.key));
        entries.reverse();
        self.entries_len = self
            .entries
            .iter()
            .map(|e| entry_len(self.str(&e.key), self.str(&e.value)))
            .sum();
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
        self.entries
            .iter()
            .map(|e| {
                // Every raw value was checked as JSON when it was made; a value serde_json's
                // `Value` cannot hold (a lone surrogate) is `null`.
                let value = serde_json::from_str(self.str(&e.value)).unwrap_or(Value::Null);
                (self.str(&e.key).to_owned(), value)
            })
            .collect()
    }

    /// The value under `key`, parsed into `T`.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if the stored value does not convert to `T`.
    pub fn get<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, SessionError> {
        self.get_raw(key)
            .map(serde_json::from_str)
            .transpose()
            .map_err(SessionError::from)
    }

    /// The value under `key`, parsed into a [`Value`]. `None` also when the stored text is JSON
    /// that a `Value` cannot hold: a number beyond `f64`'s range, or a string with a lone
    /// surrogate escape (another implementation may seal those). The text itself is kept and
    /// sealed again unchanged; [`Data::get`] into `Value` says why it does not convert, and
    /// [`Data::get_raw`] gives the text.
    #[must_use]
    pub fn get_value(&self, key: &str) -> Option<Value> {
        self.get(key).ok().flatten()
    }

    /// The raw JSON text under `key`, unparsed.
    #[must_use]
    pub fn get_raw(&self, key: &str) -> Option<&str> {
        let i = self.find(key).ok()?;
        Some(self.str(&self.entries[i].value))
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
        self.insert_raw(key, Self::to_raw(value)?, |_| Ok(()))
    }

    /// `value` serialized once, as the text [`Data::insert_raw`] stores.
    ///
    /// # Errors
    ///
    /// [`SessionError::Json`] if `value` cannot be represented as JSON,
    /// [`SessionError::TooDeep`] if it nests deeper than [`MAX_DEPTH`].
    pub fn to_raw<T: Serialize + ?Sized>(value: &T) -> Result<Raw, SessionError> {
        let text = serde_json::to_string(value)?;
        if may_be_too_deep(&text) {
            let depth = depth(&text);
            if depth > MAX_DEPTH {
                return Err(SessionError::TooDeep {
                    depth,
                    max: MAX_DEPTH,
                });
            }
        }
        Ok(Raw(text))
    }

    /// Stores a value made by [`Data::to_raw`] under `key`, with one look-up of the key, if
    /// `fits` accepts the length in bytes the JSON object would then have. Returns whether the
    /// data changed: a value equal to the stored one, as text, is no change (and `fits` is not
    /// asked).
    ///
    /// # Errors
    ///
    /// What `fits` returns; the data is then unchanged.
    pub fn insert_raw(
        &mut self,
        key: &str,
        raw: Raw,
        fits: impl FnOnce(usize) -> Result<(), SessionError>,
    ) -> Result<bool, SessionError> {
        let found = self.find(key);
        let quoted = key_len(key);
        // An entry is `"key":value` and the `,` or `}` after it: its key part and its value.
        let key_part = quoted + 2;
        let old_len = match found {
            Ok(i) => {
                let old = self.str(&self.entries[i].value);
                if old == raw.0 {
                    return Ok(false);
                }
                key_part + old.len()
            }
            Err(_) => 0,
        };
        let entries_len = self.entries_len - old_len + key_part + raw.0.len();
        // With at least one entry, the object is one `{` more than its entries.
        fits(1 + entries_len)?;
        self.entries_len = entries_len;
        let value = Text::Own(raw.0);
        match found {
            Ok(i) => self.entries[i].value = value,
            Err(i) => self.entries.insert(
                i,
                Entry {
                    key: Text::own_key(key.to_owned(), quoted),
                    value,
                },
            ),
        }
        Ok(true)
    }

    /// Removes the value under `key` and returns its raw JSON text.
    pub fn remove(&mut self, key: &str) -> Option<String> {
        let i = self.find(key).ok()?;
        let entry = self.entries.remove(i);
        let value = self.str(&entry.value).to_owned();
        self.entries_len -= entry_len(key, &value);
        Some(value)
    }

    /// Removes every value.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.entries_len = 0;
    }

    /// The number of values.
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no values.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| self.str(&e.key))
    }

    /// The length in bytes of the JSON object [`Data::write`] writes.
    #[must_use]
    pub fn json_len(&self) -> usize {
        if self.entries.is_empty() {
            2
        } else {
            1 + self.entries_len
        }
    }

    /// Where `entry` lies in the opened text as `"key":value`, when it does (both opened, with
    /// nothing between them but the colon).
    fn span(entry: &Entry) -> Option<Range<usize>> {
        match (&entry.key, &entry.value) {
            (Text::Opened(key), Text::Opened(value)) if value.start == key.end + 2 => {
                Some(key.start - 1..value.end)
            }
            _ => None,
        }
    }

    /// Writes the JSON object: each key escaped, each value's text as it is. Entries that lie
    /// one after the other in the opened text (all of them, for a token this crate sealed) are
    /// copied from it in one piece, commas included.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.reserve(self.json_len());
        out.push(b'{');
        // A stretch of the opened text still to be copied.
        let mut run: Option<Range<usize>> = None;
        for (i, entry) in self.entries.iter().enumerate() {
            let span = Self::span(entry);
            if let (Some(span), Some(run)) = (&span, &mut run) {
                // Only a comma between them: the previous entry's value, then this key.
                if span.start == run.end + 1 {
                    run.end = span.end;
                    continue;
                }
            }
            if let Some(done) = run.take() {
                out.extend_from_slice(&self.text.as_bytes()[done]);
            }
            if i > 0 {
                out.push(b',');
            }
            if span.is_some() {
                run = span;
                continue;
            }
            match &entry.key {
                // Borrowed from JSON text without escapes, or found to need none: as it is.
                key @ (Text::Opened(_) | Text::Plain(_)) => {
                    out.push(b'"');
                    out.extend_from_slice(self.str(key).as_bytes());
                    out.push(b'"');
                }
                // Writing a string into a `Vec` cannot fail.
                Text::Own(key) => drop(serde_json::to_writer(&mut *out, key.as_str())),
            }
            out.push(b':');
            out.extend_from_slice(self.str(&entry.value).as_bytes());
        }
        if let Some(done) = run {
            out.extend_from_slice(&self.text.as_bytes()[done]);
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
}
