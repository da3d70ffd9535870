//! Reading an opened token's data: one JSON object, each entry's key and value found where
//! they lie in the text (no allocation per value), keys checked for order as they come.

use std::{borrow::Cow, fmt, ops::Range};

use serde::{
    Deserialize, Deserializer,
    de::{DeserializeSeed, MapAccess, Visitor},
};
use serde_json::value::RawValue;

use super::{
    Entry, Text,
    depth::{MAX_DEPTH, depth, may_be_too_deep},
    key_len, text_str,
};

/// A key as serde_json gives it: borrowed from the text when it has no escapes.
pub(super) struct Key<'a>(Cow<'a, str>);

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
pub(super) struct Entries<'a> {
    pub(super) json: &'a str,
}

/// What [`Entries`] reads.
pub(super) struct Read {
    pub(super) entries: Vec<Entry>,
    pub(super) len: usize,
    pub(super) sorted: bool,
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

/// Where `part`, a slice of `whole`, lies in it.
fn range_in(whole: &str, part: &str) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}
