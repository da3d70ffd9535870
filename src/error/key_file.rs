//! [`KeyFileError`]: why a key file was refused (`docs/key-file.md`), at start-up or at a
//! reload, naming the line and what is wrong, never the line.

use std::{fmt, io, path::PathBuf};

use super::{KeyHint, report};

/// What is wrong with a key file: one row of `docs/key-file.md`'s table, or a file that could
/// not be read. [`KeyFileProblem::code`] is the table's name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyFileProblem {
    /// The file could not be read.
    Unreadable(io::ErrorKind),
    /// Over 65,536 bytes.
    TooLarge,
    /// Not UTF-8 text.
    NotUtf8,
    /// No format line (`sealed-session-keys 1`) before the keys.
    NoFormatLine,
    /// The format line names another version.
    UnsupportedVersion,
    /// A key is not base64.
    BadBase64(KeyHint),
    /// A key does not decode to 32 bytes.
    BadLength {
        /// How many bytes it decoded to.
        got: usize,
        /// What the key looks like instead, if it looks like something.
        hint: KeyHint,
    },
    /// A field is not `name=value`, or names an attribute version 1 does not know.
    BadAttribute,
    /// A line gives one attribute twice.
    RepeatedAttribute,
    /// A `seal-after` value is not an RFC 3339 date-time (from 1970 on).
    BadTime,
    /// The file lists no key.
    NoKey,
    /// The file lists more than 64 keys.
    TooManyKeys,
    /// Two keys share a key id.
    DuplicateKid {
        /// The shared key id (public: it is written in every token).
        kid: String,
    },
    /// At the time of loading, every key's `seal-after` is still to come.
    NoneSealing,
}

impl KeyFileProblem {
    /// The problem's name in `docs/key-file.md` and the shared vectors: `bad_length`, ...
    /// (`unreadable` for a file that could not be read).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable(_) => "unreadable",
            Self::TooLarge => "too_large",
            Self::NotUtf8 => "not_utf8",
            Self::NoFormatLine => "no_format_line",
            Self::UnsupportedVersion => "unsupported_version",
            Self::BadBase64(_) => "bad_base64",
            Self::BadLength { .. } => "bad_length",
            Self::BadAttribute => "bad_attribute",
            Self::RepeatedAttribute => "repeated_attribute",
            Self::BadTime => "bad_time",
            Self::NoKey => "no_key",
            Self::TooManyKeys => "too_many_keys",
            Self::DuplicateKid { .. } => "duplicate_kid",
            Self::NoneSealing => "none_sealing",
        }
    }
}

impl fmt::Display for KeyFileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Unreadable(kind) => write!(f, "it cannot be read ({kind})"),
            Self::TooLarge => f.write_str("it is over 65536 bytes"),
            Self::NotUtf8 => f.write_str("it is not UTF-8 text"),
            Self::NoFormatLine => {
                f.write_str("expected the format line `sealed-session-keys 1` before the keys")
            }
            Self::UnsupportedVersion => f.write_str(
                "the format line names a version this build cannot read (it reads \
                 `sealed-session-keys 1`)",
            ),
            Self::BadBase64(hint) => write!(
                f,
                "the key is not valid base64: expected 43 or 44 characters of the standard or \
                 URL-safe base64 alphabet{hint}"
            ),
            Self::BadLength { got, hint } => write!(
                f,
                "the key has the wrong length: expected 32 bytes (43 or 44 base64 characters), \
                 got {got} bytes{hint}"
            ),
            Self::BadAttribute => f.write_str(
                "after the key, expected attributes `name=value` (version 1 knows `seal-after`) \
                 or a comment starting with #",
            ),
            Self::RepeatedAttribute => f.write_str("an attribute is given twice"),
            Self::BadTime => {
                f.write_str("seal-after is not an RFC 3339 date-time such as 2026-12-05T10:00:00Z")
            }
            Self::NoKey => f.write_str("it lists no key (make one with `sealed-session keygen`)"),
            Self::TooManyKeys => f.write_str("it lists more than 64 keys"),
            Self::DuplicateKid { kid } => write!(
                f,
                "this key has the key id {kid} of an earlier key: each key may appear once"
            ),
            Self::NoneSealing => f.write_str(
                "no key seals yet: every key's seal-after is still to come (one key must have \
                 no seal-after, or one that has passed)",
            ),
        }
    }
}

/// Why a key file was refused, at start-up ([`KeySource::from_file`](crate::KeySource::from_file))
/// or at a reload (which keeps the last good list). Names the file and the line (counted from 1),
/// never the line's text.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyFileError {
    path: Option<PathBuf>,
    line: Option<usize>,
    problem: KeyFileProblem,
}

impl KeyFileError {
    pub(crate) fn new(line: Option<usize>, problem: KeyFileProblem) -> Self {
        Self {
            path: None,
            line,
            problem,
        }
    }

    pub(crate) fn in_file(mut self, path: PathBuf) -> Self {
        self.path = Some(path);
        self
    }

    /// What is wrong.
    #[must_use]
    pub fn problem(&self) -> &KeyFileProblem {
        &self.problem
    }

    /// The line it is wrong on, counted from 1; `None` for the whole file.
    #[must_use]
    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

impl fmt::Display for KeyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.path {
            Some(path) => write!(f, "key file {}", path.display())?,
            None => f.write_str("key file")?,
        }
        match self.line {
            Some(line) => write!(f, ", line {line}: {}", self.problem),
            None => write!(f, ": {}", self.problem),
        }
    }
}

impl std::error::Error for KeyFileError {}

impl fmt::Debug for KeyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        report(f, self, "KeyFileError")
    }
}
