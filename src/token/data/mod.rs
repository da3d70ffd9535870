//! [`Data`]: a session's values as raw JSON, each parsed only when it is read.
//!
//! Opening a token checks that its data is one JSON object and keeps its text (the token's own
//! decrypted buffer, not a copy), and for each entry where its key and value lie in it (no
//! allocation per value). Sealing writes the texts back without parsing them, entries that
//! still lie one after the other in one piece. A value is parsed by [`Data::get`] (into the
//! type asked for) or [`Data::get_value`], and serialized once by [`Data::insert`]. The length
//! of the serialized object is kept up to date as values come and go, so the size cap is
//! checked without a counting pass.

use std::{fmt, ops::Range};

use serde::{
    Serialize,
    de::{DeserializeOwned, DeserializeSeed},
};
use serde_json::{Map, Value};

use crate::error::SessionError;

mod depth;
mod read;
#[cfg(test)]
mod tests;

pub use depth::MAX_DEPTH;
use depth::{depth, may_be_too_deep};
use read::Entries;

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

/// The text of `text`, whose ranges lie in `opened`.
fn text_str<'a>(opened: &'a str, text: &'a Text) -> &'a str {
    match text {
        Text::Opened(range) => &opened[range.clone()],
        Text::Own(own) | Text::Plain(own) => own,
    }
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
