//! Reading a key file (`docs/key-file.md`) for the tool: its bytes (kept, wiped on drop, for
//! the commands that edit it) and its list, loaded with every check at a time; and the text of
//! a key file's lines, for edits that keep the file's comments.

use std::path::Path;

use sealed_session::{
    Key, KeyFileError, KeyFileProblem, Keys,
    key_file::{format_time, read_capped},
};
use zeroize::Zeroizing;

/// A key file as read: its bytes and its list.
pub(crate) struct Loaded {
    /// The file's bytes (it holds keys: wiped on drop).
    pub(crate) bytes: Zeroizing<Vec<u8>>,
    /// Its list, loaded at the command's time.
    pub(crate) keys: Keys,
}

/// Reads the key file at `path` and loads it at `now_ms`, with every check of
/// `docs/key-file.md` (a key seals at `now_ms`).
pub(crate) fn load(path: &Path, now_ms: u64) -> Result<Loaded, String> {
    let bytes = read(path)?;
    let keys = Keys::load_key_file(&bytes, now_ms).map_err(|e| refused(path, &e, now_ms))?;
    Ok(Loaded { bytes, keys })
}

/// The file's bytes, read as the crate reads them (`key_file::read_capped`: at most one byte
/// more than the cap, into memory wiped on drop).
pub(crate) fn read(path: &Path) -> Result<Zeroizing<Vec<u8>>, String> {
    read_capped(path).map_err(|e| match e.problem() {
        KeyFileProblem::Unreadable(kind) => format!(
            "key file {}: it cannot be read ({kind}): check the path, and that this user may read it",
            shown(path)
        ),
        other => format!("key file {}: {other}", shown(path)),
    })
}

/// Why the file was refused: the file, the line (never its text), what is wrong, and what to do.
fn refused(path: &Path, error: &KeyFileError, now_ms: u64) -> String {
    let place = match error.line() {
        Some(line) => format!("key file {}, line {line}", shown(path)),
        None => format!("key file {}", shown(path)),
    };
    let todo = match error.problem() {
        KeyFileProblem::NoneSealing => format!(
            "this is at {} (--now, else the system clock)",
            format_time(now_ms)
        ),
        KeyFileProblem::TooLarge | KeyFileProblem::TooManyKeys => {
            "retire keys that are no longer needed (the format: docs/key-file.md)".into()
        }
        _ if error.line().is_some() => {
            "fix that line (the format: docs/key-file.md; `sealed-session keygen` makes a key)"
                .into()
        }
        _ => "fix the file (the format: docs/key-file.md)".into(),
    };
    format!("{place}: {}; {todo}", error.problem())
}

/// A path for a message; a path that is itself a key (one given in the wrong place) is not
/// shown.
pub(crate) fn shown(path: &Path) -> String {
    let text = path.to_string_lossy();
    if Key::from_base64(&text).is_ok() {
        "(the path is not shown: it reads as a key)".into()
    } else {
        text.chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .collect()
    }
}

/// Where a key file's lines are: the byte range of the format line and of each key's line
/// (each with its end of line), in the list's order; comments are the rest (`docs/key-file.md`,
/// *Lines*, as the crate reads them).
#[derive(Debug, Default)]
pub(crate) struct Layout {
    /// The format line.
    pub(crate) format: std::ops::Range<usize>,
    /// The key lines.
    pub(crate) keys: Vec<std::ops::Range<usize>>,
}

/// The [`Layout`] of a key file's text.
pub(crate) fn layout(text: &str) -> Layout {
    let mut layout = Layout::default();
    let mut format_seen = false;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let content = line.strip_suffix('\n').unwrap_or(line);
        let content = content.strip_suffix('\r').unwrap_or(content);
        let is_comment = content
            .split([' ', '\t'])
            .find(|f| !f.is_empty())
            .is_none_or(|f| f.starts_with('#'));
        if !is_comment {
            if format_seen {
                layout.keys.push(start..end);
            } else {
                layout.format = start..end;
                format_seen = true;
            }
        }
        start = end;
    }
    layout
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn the_layout_skips_comments() {
        let text = "# c\n\n  sealed-session-keys 1 # v\r\n\t# c\nAAA seal-after=x\r\n  # c\nBBB";
        let layout = layout(text);
        assert_eq!(&text[layout.format], "  sealed-session-keys 1 # v\r\n");
        let lines: Vec<&str> = layout.keys.into_iter().map(|r| &text[r]).collect();
        assert_eq!(lines, ["AAA seal-after=x\r\n", "BBB"]);
        assert!(super::layout("").keys.is_empty());
    }

    #[test]
    fn a_path_that_is_a_key_is_not_shown() {
        let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        assert!(!shown(Path::new(key)).contains(key));
        assert_eq!(shown(Path::new("/run/keys\n")), "/run/keys?");
    }
}
