//! The key file (`docs/key-file.md`, version 1): reading one into [`Keys`], and writing
//! [`Keys`] as one (feature `key-file`).

use std::{io::Read as _, path::Path};

use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use zeroize::Zeroizing;

use super::{Key, Keys};
use crate::error::{KeyError, KeyFileError, KeyFileProblem};

/// The largest key file read, in bytes.
pub const MAX_KEY_FILE_LEN: usize = 64 * 1024;
/// The most keys a key file lists.
pub const MAX_KEY_FILE_KEYS: usize = 64;

const MAGIC: &str = "sealed-session-keys";
const VERSION: &str = "1";
const SEAL_AFTER: &str = "seal-after";

impl Keys {
    /// Reads a key file's text into a list, with every check of `docs/key-file.md` but the one
    /// that depends on the time (whether a key seals now): [`Keys::load_key_file`] adds it.
    ///
    /// ```
    /// use sealed_session::Keys;
    /// let text = "sealed-session-keys 1\n\
    ///             AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8 seal-after=2026-12-05T10:00:00Z\n\
    ///             -vn49_b19PPy8fDv7u3s6-rp6Ofm5eTj4uHg397d3Ns\n";
    /// let keys = Keys::from_key_file(text.as_bytes())?;
    /// assert_eq!(keys.seal_after_ms(0), Some(1_796_464_800_000));
    /// assert_eq!(keys.sealing_index_at(1_796_464_799_999), 1);
    /// # Ok::<(), sealed_session::KeyFileError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [`KeyFileError`] naming the line (never its text) and what is wrong.
    pub fn from_key_file(bytes: &[u8]) -> Result<Self, KeyFileError> {
        if bytes.len() > MAX_KEY_FILE_LEN {
            return Err(KeyFileError::new(None, KeyFileProblem::TooLarge));
        }
        let text = std::str::from_utf8(bytes)
            .map_err(|_| KeyFileError::new(None, KeyFileProblem::NotUtf8))?;
        let mut format_seen = false;
        let mut keys: Vec<(Key, Option<u64>)> = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            let number = i + 1;
            let at = |problem| KeyFileError::new(Some(number), problem);
            let mut fields = fields(line);
            let Some(first) = fields.next() else {
                continue;
            };
            if !format_seen {
                check_format_line(first, fields).map_err(at)?;
                format_seen = true;
                continue;
            }
            if keys.len() == MAX_KEY_FILE_KEYS {
                return Err(at(KeyFileProblem::TooManyKeys));
            }
            let key = Key::parse_at(first, 0, 1).map_err(|e| at(key_problem(&e)))?;
            let seal_after = seal_after(fields).map_err(at)?;
            if keys.iter().any(|(k, _)| k.id() == key.id()) {
                let kid = key.id().to_string();
                return Err(at(KeyFileProblem::DuplicateKid { kid }));
            }
            keys.push((key, seal_after));
        }
        if !format_seen {
            return Err(KeyFileError::new(None, KeyFileProblem::NoFormatLine));
        }
        Self::timed(keys).map_err(|_| KeyFileError::new(None, KeyFileProblem::NoKey))
    }

    /// [`Keys::from_key_file`], then the check that some key seals at `now_ms` (Unix ms): what
    /// an instance loads, at start-up and at each reload.
    ///
    /// # Errors
    ///
    /// As [`Keys::from_key_file`], and [`KeyFileProblem::NoneSealing`].
    pub fn load_key_file(bytes: &[u8], now_ms: u64) -> Result<Self, KeyFileError> {
        let keys = Self::from_key_file(bytes)?;
        if keys.has_sealing_key_at(now_ms) {
            Ok(keys)
        } else {
            Err(KeyFileError::new(None, KeyFileProblem::NoneSealing))
        }
    }

    /// Reads the key file at `path` (at most 64 KiB, into memory that is wiped after) and loads
    /// it as [`Keys::load_key_file`] at `now_ms`.
    ///
    /// # Errors
    ///
    /// As [`Keys::load_key_file`], the error naming the file; [`KeyFileProblem::Unreadable`] if
    /// it cannot be read.
    pub fn read_key_file(path: impl AsRef<Path>, now_ms: u64) -> Result<Self, KeyFileError> {
        let path = path.as_ref();
        read_capped(path)
            .and_then(|bytes| Self::load_key_file(&bytes, now_ms))
            .map_err(|e| e.in_file(path.to_owned()))
    }

    /// The list as a key file (`docs/key-file.md`, version 1): a comment, the format line, and
    /// a line per key with its `seal-after` in UTC. The text holds the keys: it is wiped when
    /// dropped.
    #[must_use]
    pub fn to_key_file(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::from(
            "# sealed-session keys (docs/key-file.md): every key opens; the first whose \
             seal-after has passed seals\nsealed-session-keys 1\n",
        ));
        for (i, key) in self.as_slice().iter().enumerate() {
            text.push_str(&key.to_base64());
            if let Some(ms) = self.seal_after_ms(i) {
                text.push_str(" seal-after=");
                text.push_str(&format_time(ms));
            }
            text.push('\n');
        }
        text
    }
}

/// A time in Unix ms as RFC 3339 in UTC (`2026-12-05T10:00:00Z`, with a fraction only when
/// there is one); past the year 9999, which RFC 3339 cannot write, the number of ms.
#[must_use]
pub fn format_time(ms: u64) -> String {
    rfc3339(ms).unwrap_or_else(|| ms.to_string())
}

fn rfc3339(ms: u64) -> Option<String> {
    let time = OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).ok()?;
    // Four digits of year (with `time`'s `large-dates`, which a dependency may turn on, its
    // formatter would write more).
    if time.year() > 9999 {
        return None;
    }
    time.format(&Rfc3339).ok()
}

/// An RFC 3339 date-time as Unix ms, rounded down; `None` if it is not one, or if it lies
/// before 1970 or (in UTC) after the year 9999, where no key file could write it back.
#[must_use]
pub fn parse_time(text: &str) -> Option<u64> {
    // RFC 3339 separates date and time with `T` (or `t`); the parser takes any byte there.
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't')) {
        return None;
    }
    let nanos = OffsetDateTime::parse(text, &Rfc3339)
        .ok()?
        .unix_timestamp_nanos();
    let ms = u64::try_from(nanos.div_euclid(1_000_000)).ok()?;
    rfc3339(ms).map(|_| ms)
}

/// A line's fields: separated by spaces and tabs, a `\r` at the end dropped, nothing after a
/// field starting with `#`; none for a comment line.
fn fields(line: &str) -> impl Iterator<Item = &str> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    line.split([' ', '\t'])
        .filter(|f| !f.is_empty())
        .take_while(|f| !f.starts_with('#'))
}

fn check_format_line<'a>(
    first: &str,
    mut rest: impl Iterator<Item = &'a str>,
) -> Result<(), KeyFileProblem> {
    if first != MAGIC {
        return Err(KeyFileProblem::NoFormatLine);
    }
    match (rest.next(), rest.next()) {
        (Some(VERSION), None) => Ok(()),
        (None, _) => Err(KeyFileProblem::NoFormatLine),
        _ => Err(KeyFileProblem::UnsupportedVersion),
    }
}

/// The attributes after a key: version 1 knows `seal-after` alone.
fn seal_after<'a>(
    attributes: impl Iterator<Item = &'a str>,
) -> Result<Option<u64>, KeyFileProblem> {
    let mut seal_after = None;
    for attribute in attributes {
        match attribute.split_once('=') {
            Some((SEAL_AFTER, value)) => {
                let ms = parse_time(value).ok_or(KeyFileProblem::BadTime)?;
                if seal_after.replace(ms).is_some() {
                    return Err(KeyFileProblem::RepeatedAttribute);
                }
            }
            _ => return Err(KeyFileProblem::BadAttribute),
        }
    }
    Ok(seal_after)
}

fn key_problem(error: &KeyError) -> KeyFileProblem {
    match *error {
        KeyError::BadBase64 { hint, .. } => KeyFileProblem::BadBase64(hint),
        KeyError::BadLength { got, hint, .. } => KeyFileProblem::BadLength { got, hint },
        // `Key::parse_at` gives no other.
        _ => KeyFileProblem::BadBase64(crate::error::KeyHint::None),
    }
}

/// A key file's bytes, at most one more than [`MAX_KEY_FILE_LEN`] (so that a larger file is
/// refused as such by [`Keys::load_key_file`]), read into one buffer that never grows (no copy
/// of a key left behind) and is wiped on drop.
///
/// # Errors
///
/// [`KeyFileProblem::Unreadable`] if the file cannot be opened or read (the error names no
/// file: [`Keys::read_key_file`] adds it).
pub fn read_capped(path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyFileError> {
    let unreadable =
        |e: std::io::Error| KeyFileError::new(None, KeyFileProblem::Unreadable(e.kind()));
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_KEY_FILE_LEN + 1));
    file.take(MAX_KEY_FILE_LEN as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::KeyHint;

    const KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    const AT: u64 = 1_796_464_800_000;

    fn problem(text: &str) -> (Option<usize>, KeyFileProblem) {
        let err = Keys::from_key_file(text.as_bytes()).unwrap_err();
        (err.line(), err.problem().clone())
    }

    #[test]
    fn a_written_file_reads_back_with_its_times() {
        let (a, b) = (Key::from_bytes([1; 32]), Key::from_bytes([2; 32]));
        let keys = Keys::timed([(a, Some(AT + 5)), (b, None)]).unwrap();
        let text = keys.to_key_file();
        assert!(
            text.contains("seal-after=2026-12-05T10:00:00.005Z"),
            "{}",
            *text
        );
        assert_eq!(Keys::from_key_file(text.as_bytes()).unwrap(), keys);
        assert_eq!(format_time(AT), "2026-12-05T10:00:00Z");
        assert_eq!(parse_time("2026-12-05T18:00:00+08:00"), Some(AT));
        assert_eq!(parse_time("1969-12-31T23:59:59Z"), None);
        assert_eq!(parse_time("2026-12-05t10:00:00z"), Some(AT));
        assert_eq!(parse_time("2026-12-05X10:00:00Z"), None);
        // In UTC past 9999, which RFC 3339 cannot write back.
        assert_eq!(parse_time("9999-12-31T23:59:59-01:00"), None);
        assert!(parse_time("9999-12-31T23:59:59Z").is_some());
        assert_eq!(format_time(u64::MAX), u64::MAX.to_string());
    }

    #[test]
    fn the_format_line_comes_first_and_names_version_1() {
        assert_eq!(
            problem("sealed-session-keys\n"),
            (Some(1), KeyFileProblem::NoFormatLine)
        );
        assert_eq!(
            problem("sealed-session-keys 1 2\n"),
            (Some(1), KeyFileProblem::UnsupportedVersion)
        );
        let commented = format!("sealed-session-keys 1 # the version\n{KEY}\n");
        assert_eq!(
            Keys::from_key_file(commented.as_bytes())
                .unwrap()
                .as_slice()
                .len(),
            1
        );
        assert_eq!(
            problem("sealed-session-keys 1\n"),
            (None, KeyFileProblem::NoKey)
        );
    }

    #[test]
    fn messages_name_the_line_and_never_its_text() {
        let text = format!("sealed-session-keys 1\n{KEY} sealing-from=x\n");
        let err = Keys::from_key_file(text.as_bytes()).unwrap_err();
        let message = format!("{err} {err:?}");
        assert!(message.contains("line 2"), "{message}");
        assert!(
            !message.contains(KEY) && !message.contains("sealing-from"),
            "{message}"
        );
        let err = err.in_file("/run/secrets/keys".into());
        assert!(
            err.to_string()
                .starts_with("key file /run/secrets/keys, line 2: "),
            "{err}"
        );
    }

    #[test]
    fn a_key_that_looks_like_something_else_gets_its_hint() {
        let quoted = format!("sealed-session-keys 1\n\"{KEY}\"\n");
        assert_eq!(
            problem(&quoted),
            (Some(2), KeyFileProblem::BadBase64(KeyHint::Quoted))
        );
        let hex = format!("sealed-session-keys 1\n{}\n", "ab".repeat(32));
        let got = KeyFileProblem::BadLength {
            got: 48,
            hint: KeyHint::Hex,
        };
        assert_eq!(problem(&hex), (Some(2), got));
    }

    #[test]
    fn a_file_of_the_largest_size_reads_and_one_byte_more_does_not() {
        let mut text = format!("sealed-session-keys 1\n{KEY}\n#");
        text.push_str(&"x".repeat(MAX_KEY_FILE_LEN - text.len()));
        assert_eq!(text.len(), MAX_KEY_FILE_LEN);
        assert!(Keys::from_key_file(text.as_bytes()).is_ok());
        text.push('x');
        assert_eq!(problem(&text), (None, KeyFileProblem::TooLarge));
    }

    #[test]
    fn an_unreadable_or_oversized_file_is_refused_as_such() {
        let dir =
            std::env::temp_dir().join(format!("sealed-session-keyfile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let missing = Keys::read_key_file(dir.join("missing"), AT).unwrap_err();
        assert_eq!(
            missing.problem(),
            &KeyFileProblem::Unreadable(std::io::ErrorKind::NotFound)
        );
        let big = dir.join("big");
        std::fs::write(&big, vec![b'#'; MAX_KEY_FILE_LEN + 1]).unwrap();
        assert_eq!(
            Keys::read_key_file(&big, AT).unwrap_err().problem(),
            &KeyFileProblem::TooLarge
        );
        std::fs::write(&big, format!("sealed-session-keys 1\n{KEY}\n")).unwrap();
        assert_eq!(Keys::read_key_file(&big, AT).unwrap().as_slice().len(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
