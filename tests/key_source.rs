//! `KeySource` beside the HTTP suites (feature `key-file`): the periodic reload on Tokio's
//! paused clock, keys the application replaces, and what a user reads when the file is refused
//! at start-up. The fleet of servers that rotate under traffic is the CLI's
//! `cli/tests/rotation.rs`, which edits the file with the tool.

use std::{path::PathBuf, time::Duration};

use sealed_session::{
    Key, KeyFileProblem, KeySource, Keys, ManualClock, Reload, SessionConfig, SessionLayer,
};

const T: u64 = 1_796_464_800_000;

/// A file of its own under the system's temporary directory, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, text: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("sealed-session-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("keys");
        std::fs::write(&path, text).unwrap();
        Self(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(self.0.parent().unwrap());
    }
}

fn keys(bytes: &[u8]) -> Keys {
    Keys::new(bytes.iter().map(|&b| Key::from_bytes([b; 32])).collect()).unwrap()
}

#[tokio::test(start_paused = true)]
async fn watch_reloads_every_interval_on_tokios_clock() {
    // Exercise: `watch(30 s)` spawned; the file changes; Tokio's paused clock moves 29 s, then
    // past 30 s, then the file changes again and the clock passes 60 s.
    // Expectation: the list changes only at each tick, never before one.
    let file = TempFile::new("watch", &keys(&[1]).to_key_file());
    let source = KeySource::from_file_with_clock(&file.0, ManualClock::new(T)).unwrap();
    tokio::spawn(source.clone().watch(Duration::from_secs(30)));
    std::fs::write(&file.0, keys(&[2, 1]).to_key_file().as_bytes()).unwrap();
    tokio::time::sleep(Duration::from_secs(29)).await;
    assert_eq!(
        source.current().as_slice().len(),
        1,
        "not before the first tick"
    );
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(*source.current(), keys(&[2, 1]));
    std::fs::write(&file.0, keys(&[3, 2]).to_key_file().as_bytes()).unwrap();
    tokio::time::sleep(Duration::from_secs(30)).await;
    assert_eq!(*source.current(), keys(&[3, 2]));
}

#[test]
fn replaced_keys_are_in_use_at_once_unless_none_seals_now() {
    // Exercise: a source made from keys gets a new list, then a list whose only key seals
    // later; a reload of a source without a file.
    // Expectation: the first is in use; the second is refused and the first stays; the reload
    // changes nothing.
    let source = KeySource::from_keys(keys(&[1]));
    source.replace(keys(&[2, 1])).unwrap();
    assert_eq!(*source.current(), keys(&[2, 1]));
    let later = Keys::timed([(Key::from_bytes([3; 32]), Some(u64::MAX))]).unwrap();
    let err = source.replace(later).unwrap_err();
    assert_eq!(err.problem(), &KeyFileProblem::NoneSealing);
    assert_eq!(*source.current(), keys(&[2, 1]));
    assert_eq!(source.reload().unwrap(), Reload::Unchanged);
    // The layer takes a source as it takes keys.
    SessionLayer::new(SessionConfig::new(source)).unwrap();
}

#[test]
fn a_refused_file_at_start_up_says_which_file_line_and_why() {
    // Exercise: start from a file whose second key is cut short; print the error as `main`
    // returning it prints it; print the source of a good file with `Debug`.
    // Expectation: the file, the line and what to fix; never a key, in either.
    let good = keys(&[1, 2]).to_key_file();
    let cut = &good[..good.len() - 12];
    let file = TempFile::new("startup", cut);
    let err = KeySource::from_file(&file.0).unwrap_err();
    let printed = format!("Error: {err:?}");
    let expected = format!(
        "key file {}, line 4: the key has the wrong length",
        file.0.display()
    );
    assert!(
        printed.starts_with(&format!("Error: {expected}")),
        "{printed}"
    );
    assert!(printed.ends_with("(KeyFileError)"), "{printed}");
    std::fs::write(&file.0, good.as_bytes()).unwrap();
    let source = KeySource::from_file(&file.0).unwrap();
    let debug = format!("{source:?} {:?}", SessionConfig::new(source.clone()));
    for key in keys(&[1, 2]).as_slice() {
        assert!(!debug.contains(key.to_base64().as_str()), "{debug}");
        assert!(debug.contains(&key.id().to_string()), "{debug}");
    }
}
