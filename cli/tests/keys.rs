//! `keys init | rotate | list | retire` and `--key-file`, as a user runs them: the real binary
//! on files in a folder of its own, at times given with `--now` (no sleeps). Every output is
//! checked for keys: none is printed but by `keys list --show-keys`.

// A test may stop at the first surprise.
#![allow(clippy::expect_used, clippy::indexing_slicing, clippy::unwrap_used)]

use std::{
    path::{Path, PathBuf},
    process::{Command, Output, Stdio},
    sync::atomic::{AtomicUsize, Ordering},
};

use sealed_session::Keys;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_sealed-session");
/// 2026-12-05T09:45:00Z.
const NOW: u64 = 1_796_463_900_000;
/// 2026-12-05T10:00:00Z: `NOW` + 15 minutes.
const AT: u64 = 1_796_464_800_000;
const MINUTE: u64 = 60_000;
const HOUR: u64 = 60 * MINUTE;

/// A folder of its own for one test, with its key file `keys`, and every output of the tool
/// run there (removed when dropped).
struct Fixture {
    dir: PathBuf,
    outputs: Vec<(String, Output)>,
    /// Every key the key file has held after a command, in base64.
    seen: Vec<String>,
}

impl Fixture {
    fn new(name: &str) -> Self {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sealed-session-cli-keys-{}-{}-{name}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self {
            dir,
            outputs: Vec::new(),
            seen: Vec::new(),
        }
    }

    fn file(&self) -> PathBuf {
        self.dir.join("keys")
    }

    fn file_arg(&self) -> String {
        self.file().to_string_lossy().into_owned()
    }

    /// Runs the tool with `args`, `FILE` standing for the key file's path.
    fn run(&mut self, args: &[&str]) -> Output {
        let file = self.file_arg();
        let args: Vec<&str> = args
            .iter()
            .map(|a| if *a == "FILE" { file.as_str() } else { a })
            .collect();
        let out = Command::new(BIN)
            .args(&args)
            .env_remove("SESSION_KEYS")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("the tool runs");
        assert_ne!(out.status.code(), Some(101), "{args:?} panicked");
        self.outputs.push((args.join(" "), out.clone()));
        self.remember_keys();
        out
    }

    /// Notes the keys the key file holds now (if it reads).
    fn remember_keys(&mut self) {
        let keys = std::fs::read(self.file())
            .ok()
            .and_then(|bytes| Keys::from_key_file(&bytes).ok());
        for key in keys.iter().flat_map(Keys::as_slice) {
            let b64 = key.to_base64().as_str().to_owned();
            if !self.seen.contains(&b64) {
                self.seen.push(b64);
            }
        }
    }

    /// `run`, expecting exit `code`.
    fn expect(&mut self, code: i32, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: stdout {} stderr {}",
            text(&out.stdout),
            text(&out.stderr)
        );
        format!("{}{}", text(&out.stdout), text(&out.stderr))
    }

    fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.file()).unwrap()
    }

    fn keys(&self) -> Keys {
        Keys::from_key_file(&self.bytes()).unwrap()
    }

    fn ids(&self) -> Vec<String> {
        self.keys()
            .as_slice()
            .iter()
            .map(|k| k.id().to_string())
            .collect()
    }

    /// The names in the folder: no temporary file may be left.
    fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// `keys init` at `NOW`, then `keys rotate --in 15m`: the new key first, sealing from `AT`.
    fn rotated(name: &str) -> Self {
        let mut f = Self::new(name);
        f.expect(0, &["keys", "init", "FILE", "--now", &NOW.to_string()]);
        f.expect(
            0,
            &[
                "keys",
                "rotate",
                "FILE",
                "--in",
                "15m",
                "--now",
                &NOW.to_string(),
            ],
        );
        f
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        // Every key the file ever held: in no output but `keys list --show-keys`.
        self.remember_keys();
        if !std::thread::panicking() {
            for b64 in &self.seen {
                for (args, out) in &self.outputs {
                    if args.contains("--show-keys") {
                        continue;
                    }
                    for stream in [&out.stdout, &out.stderr] {
                        assert!(!text(stream).contains(b64), "`{args}` printed a key");
                    }
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ms(t: u64) -> String {
    t.to_string()
}

/// The line of `list`'s output for key `id`.
fn line_of<'a>(list: &'a str, id: &str) -> &'a str {
    list.lines()
        .find(|l| l.contains(id) && !l.starts_with("warning:"))
        .unwrap_or_else(|| panic!("no line for {id} in {list}"))
}

#[test]
fn init_makes_a_file_of_one_sealing_key_and_never_overwrites() {
    let mut f = Fixture::new("init");
    let out = f.expect(0, &["keys", "init", "FILE", "--now", &ms(NOW)]);
    let ids = f.ids();
    assert_eq!(ids.len(), 1);
    assert!(out.contains(&ids[0]), "{out}");
    assert_eq!(f.keys().seal_after_ms(0), None);
    assert_eq!(f.names(), ["keys"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(f.file()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "a new key file is for its owner alone");
    }
    let list = f.expect(0, &["keys", "list", "FILE", "--now", &ms(NOW)]);
    assert_eq!(list.lines().count(), 1, "{list}");
    assert!(line_of(&list, &ids[0]).ends_with("  sealing"), "{list}");
    assert!(line_of(&list, &ids[0]).starts_with('1'), "{list}");

    let before = f.bytes();
    let out = f.expect(1, &["keys", "init", "FILE"]);
    assert!(
        out.contains("exists") && out.contains("keys rotate"),
        "{out}"
    );
    assert_eq!(f.bytes(), before);
    assert_eq!(f.names(), ["keys"]);
}

#[test]
fn rotate_in_puts_a_new_key_first_that_seals_from_its_time() {
    let mut f = Fixture::new("rotate-in");
    f.expect(0, &["keys", "init", "FILE", "--now", &ms(NOW)]);
    let old = f.ids()[0].clone();
    let out = f.expect(
        0,
        &["keys", "rotate", "FILE", "--in", "15m", "--now", &ms(NOW)],
    );
    let keys = f.keys();
    let ids = f.ids();
    assert_eq!((ids.len(), ids[1].as_str()), (2, old.as_str()));
    let new = ids[0].clone();
    assert_eq!(
        (keys.seal_after_ms(0), keys.seal_after_ms(1)),
        (Some(AT), None)
    );
    assert!(
        text(&f.bytes()).contains("seal-after=2026-12-05T10:00:00Z"),
        "the time is written in UTC, whole seconds"
    );
    assert!(
        out.contains(&format!(
            "added key {new}: seals from 2026-12-05T10:00:00Z (in 15m); every instance must \
             reload"
        )),
        "{out}"
    );
    assert_eq!(f.names(), ["keys"]);

    let list = f.expect(0, &["keys", "list", "FILE", "--now", &ms(NOW)]);
    assert!(
        line_of(&list, &new).contains("sealing from 2026-12-05T10:00:00Z (in 15m)"),
        "{list}"
    );
    assert!(line_of(&list, &old).ends_with("  sealing"), "{list}");
    assert!(!list.contains("warning:"), "{list}");

    let later = ms(AT + 10 * MINUTE);
    let list = f.expect(0, &["keys", "list", "FILE", "--now", &later]);
    assert!(
        line_of(&list, &new).contains("sealing (since 2026-12-05T10:00:00Z, 10m ago)"),
        "{list}"
    );
    assert!(line_of(&list, &old).ends_with("  opening only"), "{list}");
}

#[test]
fn rotate_at_keeps_the_time_as_given_in_utc_and_the_files_comments() {
    let mut f = Fixture::new("rotate-at");
    let key = sealed_session::Key::generate();
    let original = format!(
        "# the production fleet's keys\nsealed-session-keys 1\n# the first key\n{}\n",
        key.to_base64().as_str()
    );
    std::fs::write(f.file(), &original).unwrap();
    f.expect(
        0,
        &[
            "keys",
            "rotate",
            "FILE",
            "--at",
            "2026-12-05T18:00:00+08:00",
            "--now",
            &ms(NOW),
        ],
    );
    let keys = f.keys();
    assert_eq!(keys.as_slice().len(), 2);
    assert_eq!(keys.seal_after_ms(0), Some(AT));
    assert_eq!(keys.as_slice()[1].id(), key.id());
    let written = text(&f.bytes());
    assert!(
        written.contains("seal-after=2026-12-05T10:00:00Z"),
        "{written}"
    );
    let new = keys.as_slice()[0].to_base64();
    assert!(
        written.starts_with(&format!(
            "# the production fleet's keys\nsealed-session-keys 1\n{} seal-after=",
            new.as_str()
        )),
        "the new key goes after the format line: {written}"
    );
    assert!(
        written.ends_with(&format!(
            "\n# the first key\n{}\n",
            key.to_base64().as_str()
        )),
        "{written}"
    );
    let list = f.expect(0, &["keys", "list", "FILE", "--now", &ms(AT)]);
    assert!(line_of(&list, &keys.as_slice()[0].id().to_string()).contains("sealing (since"));
}

#[test]
fn rotate_refuses_a_time_too_close_or_past_and_writes_nothing() {
    let mut f = Fixture::new("rotate-refused");
    f.expect(0, &["keys", "init", "FILE", "--now", &ms(NOW)]);
    let before = f.bytes();
    let now = ms(NOW);
    let out = f.expect(1, &["keys", "rotate", "FILE", "--in", "2m", "--now", &now]);
    assert!(out.contains("--min") && out.contains("60 s"), "{out}");
    let at = "2026-12-05T09:47:00Z";
    let out = f.expect(1, &["keys", "rotate", "FILE", "--at", at, "--now", &now]);
    assert!(out.contains("--min"), "{out}");
    let out = f.expect(
        1,
        &[
            "keys", "rotate", "FILE", "--in", "10m", "--min", "15m", "--now", &now,
        ],
    );
    assert!(out.contains("--min (15m)"), "{out}");
    let out = f.expect(
        1,
        &[
            "keys",
            "rotate",
            "FILE",
            "--at",
            "2026-12-05T09:00:00Z",
            "--now",
            &now,
        ],
    );
    assert!(out.contains("in the past"), "{out}");
    let out = f.expect(
        1,
        &[
            "keys",
            "rotate",
            "FILE",
            "--at",
            "2026-12-05T09:45:00Z",
            "--min",
            "0s",
            "--now",
            &ms(NOW + 1),
        ],
    );
    assert!(out.contains("in the past"), "a millisecond is past: {out}");
    assert_eq!(f.bytes(), before, "the file is unchanged, byte for byte");
    assert_eq!(f.names(), ["keys"], "no temporary file is left");
    // A lower --min allows a closer time.
    f.expect(
        0,
        &[
            "keys", "rotate", "FILE", "--in", "2m", "--min", "1m", "--now", &now,
        ],
    );
    // Usage errors: no time, both, a bad duration or date.
    for args in [
        vec!["keys", "rotate", "FILE"],
        vec!["keys", "rotate", "FILE", "--in", "15m", "--at", at],
        vec!["keys", "rotate", "FILE", "--in", "15"],
        vec!["keys", "rotate", "FILE", "--in", "1w"],
        vec!["keys", "rotate", "FILE", "--at", "tomorrow"],
        vec!["keys", "rotate", "FILE", "--in", "15m", "--min", "3"],
    ] {
        f.expect(2, &args);
    }
}

#[test]
fn retire_refuses_the_sealing_key_and_the_next_one_and_drops_an_old_one() {
    let mut f = Fixture::rotated("retire");
    let ids = f.ids();
    let (new, old) = (ids[0].clone(), ids[1].clone());
    let before = f.bytes();
    let now = ms(NOW);
    let out = f.expect(1, &["keys", "retire", "FILE", &old, "--now", &now]);
    assert!(
        out.contains("seals now") && out.contains("--force"),
        "{out}"
    );
    let out = f.expect(1, &["keys", "retire", "FILE", &new, "--now", &now]);
    assert!(out.contains("will seal"), "{out}");
    // With --force the next key may go, but never the one without which none seals now.
    let out = f.expect(
        1,
        &["keys", "retire", "FILE", &old, "--now", &now, "--force"],
    );
    assert!(out.contains("no key"), "{out}");
    let out = f.expect(2, &["keys", "retire", "FILE", "0badc0de", "--now", &now]);
    assert!(out.contains("lists no key 0badc0de"), "{out}");
    f.expect(2, &["keys", "retire", "FILE", "not-an-id", "--now", &now]);
    f.expect(2, &["keys", "retire", "FILE"]);
    assert_eq!(f.bytes(), before);
    assert_eq!(f.names(), ["keys"]);

    // After the new key's time, the old one only opens: it may go.
    let later = ms(AT + 25 * HOUR);
    let out = f.expect(
        0,
        &[
            "keys",
            "retire",
            "FILE",
            &old.to_uppercase(),
            "--now",
            &later,
        ],
    );
    assert!(out.contains(&format!("retired key {old}")), "{out}");
    assert_eq!(f.ids(), std::slice::from_ref(&new));
    assert_eq!(f.keys().seal_after_ms(0), Some(AT));
    assert_eq!(f.names(), ["keys"]);
    // The last key never goes.
    let out = f.expect(
        1,
        &["keys", "retire", "FILE", &new, "--now", &later, "--force"],
    );
    assert!(out.contains("only key"), "{out}");
}

#[test]
fn retire_with_force_drops_a_key_still_to_seal_or_the_sealing_one() {
    let mut f = Fixture::rotated("retire-force");
    let ids = f.ids();
    let (new, old) = (ids[0].clone(), ids[1].clone());
    f.expect(
        0,
        &["keys", "retire", "FILE", &new, "--now", &ms(NOW), "--force"],
    );
    assert_eq!(f.ids(), std::slice::from_ref(&old));

    // A list of three at a time when the newest seals: the sealing key goes with --force,
    // and the one after it seals.
    f.expect(
        0,
        &["keys", "rotate", "FILE", "--in", "15m", "--now", &ms(NOW)],
    );
    let third = f.ids()[0].clone();
    f.expect(
        0,
        &["keys", "rotate", "FILE", "--in", "1h", "--now", &ms(NOW)],
    );
    let fourth = f.ids()[0].clone();
    assert_eq!(f.ids(), [fourth.clone(), third.clone(), old.clone()]);
    let later = ms(NOW + 2 * HOUR);
    f.expect(1, &["keys", "retire", "FILE", &fourth, "--now", &later]);
    let out = f.expect(
        0,
        &[
            "keys", "retire", "FILE", &fourth, "--now", &later, "--force",
        ],
    );
    assert!(out.contains(&format!("and {third} seals")), "{out}");
    assert_eq!(f.ids(), [third, old]);
}

#[cfg(unix)]
#[test]
fn the_files_permissions_are_kept_and_a_symlink_is_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let mut f = Fixture::new("modes");
    f.expect(0, &["keys", "init", "FILE", "--now", &ms(NOW)]);
    std::fs::set_permissions(f.file(), std::fs::Permissions::from_mode(0o640)).unwrap();
    f.expect(
        0,
        &["keys", "rotate", "FILE", "--in", "15m", "--now", &ms(NOW)],
    );
    let mode = std::fs::metadata(f.file()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);
    let old = f.ids()[1].clone();
    f.expect(
        0,
        &["keys", "retire", "FILE", &old, "--now", &ms(AT + 25 * HOUR)],
    );
    let mode = std::fs::metadata(f.file()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o640);

    // A Kubernetes secret volume: the file is a link into a folder the kubelet writes.
    let link = f.dir.join("link");
    std::os::unix::fs::symlink(f.file(), &link).unwrap();
    let before = f.bytes();
    let link = link.to_string_lossy().into_owned();
    for args in [
        vec![
            "keys",
            "rotate",
            &link,
            "--in",
            "15m",
            "--now",
            "1796463900000",
        ],
        vec![
            "keys",
            "retire",
            &link,
            &old,
            "--now",
            "1796463900000",
            "--force",
        ],
        vec!["keys", "init", &link],
    ] {
        let out = f.expect(2, &args);
        assert!(
            out.contains("symbolic link") && out.contains("kubectl"),
            "{out}"
        );
    }
    assert_eq!(f.bytes(), before);
    assert_eq!(f.names(), ["keys", "link"]);
    // Reading through a link is fine.
    f.expect(0, &["keys", "list", &link, "--now", &ms(AT + 25 * HOUR)]);
}

#[test]
fn list_warns_of_times_too_close_and_of_keys_that_can_be_retired() {
    let mut f = Fixture::rotated("warnings");
    let ids = f.ids();
    let (new, old) = (ids[0].clone(), ids[1].clone());
    let warnings = |list: &str| {
        list.lines()
            .filter(|l| l.starts_with("warning: "))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    // Two minutes before: instances may not have reloaded by then.
    let list = f.expect(0, &["keys", "list", "FILE", "--now", &ms(AT - 2 * MINUTE)]);
    let w = warnings(&list);
    assert_eq!(w.len(), 1, "{list}");
    assert!(w[0].contains(&new) && w[0].contains("--min"), "{list}");
    // A minute after: instances that have not reloaded still seal with the old key.
    let list = f.expect(0, &["keys", "list", "FILE", "--now", &ms(AT + MINUTE)]);
    let w = warnings(&list);
    assert_eq!(w.len(), 1, "{list}");
    assert!(
        w[0].contains(&new) && w[0].contains("previous key"),
        "{list}"
    );
    // Past --min, before --max-age: nothing to say.
    let list = f.expect(0, &["keys", "list", "FILE", "--now", &ms(AT + HOUR)]);
    assert!(warnings(&list).is_empty(), "{list}");
    // Past the max age: the old key can go.
    let list = f.expect(0, &["keys", "list", "FILE", "--now", &ms(AT + 25 * HOUR)]);
    let w = warnings(&list);
    assert_eq!(w.len(), 1, "{list}");
    assert!(
        w[0].contains(&old) && w[0].contains("retire") && w[0].contains("key=\"other\""),
        "{list}"
    );
    // With the options.
    let list = f.expect(
        0,
        &[
            "keys",
            "list",
            "FILE",
            "--now",
            &ms(AT + HOUR),
            "--max-age",
            "30m",
        ],
    );
    assert_eq!(warnings(&list).len(), 1, "{list}");
    let list = f.expect(
        0,
        &[
            "keys",
            "list",
            "FILE",
            "--now",
            &ms(AT + HOUR),
            "--min",
            "2h",
        ],
    );
    assert_eq!(warnings(&list).len(), 1, "{list}");
    assert!(
        list.lines().all(|l| !l.contains("  sealing from")),
        "{list}"
    );
}

#[test]
fn show_keys_prints_the_keys_and_nothing_else_does() {
    let mut f = Fixture::rotated("show-keys");
    let list = f.expect(0, &["keys", "list", "FILE", "--now", &ms(NOW)]);
    let keys = f.keys();
    for key in keys.as_slice() {
        assert!(!list.contains(key.to_base64().as_str()), "{list}");
    }
    let list = f.expect(
        0,
        &["keys", "list", "FILE", "--now", &ms(NOW), "--show-keys"],
    );
    for key in keys.as_slice() {
        let line = line_of(&list, &key.id().to_string());
        assert!(line.contains(key.to_base64().as_str()), "{list}");
    }
    f.expect(2, &["keys", "list", "FILE", "--show-keys=yes"]);
    // The fixture checks every other output for keys when it is dropped.
}

#[test]
fn seal_with_a_key_file_uses_the_key_that_seals_at_now_and_inspect_opens_both() {
    let mut f = Fixture::rotated("seal");
    let ids = f.ids();
    let (new, old) = (ids[0].clone(), ids[1].clone());
    let kid = |f: &mut Fixture, token: &str| -> String {
        let out = f.expect(0, &["inspect", token]);
        let seen: Value = serde_json::from_str(&out).unwrap();
        seen["kid"].as_str().unwrap().to_owned()
    };
    let before = f.expect(
        0,
        &["seal", "{}", "--key-file", "FILE", "--now", &ms(AT - 1)],
    );
    let before = before.trim().to_owned();
    let after = f.expect(0, &["seal", "{}", "--key-file", "FILE", "--now", &ms(AT)]);
    let after = after.trim().to_owned();
    assert_eq!(kid(&mut f, &before), old);
    assert_eq!(kid(&mut f, &after), new);
    for (token, index) in [(&before, 1), (&after, 0)] {
        for now in [AT - 1, AT + MINUTE] {
            let out = f.expect(
                0,
                &["inspect", token, "--key-file", "FILE", "--now", &ms(now)],
            );
            let seen: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(seen["opened"], true, "{out}");
            assert_eq!(seen["key_index"], index, "{out}");
        }
    }
    // --keys and --key-file together: a usage error.
    let key = f.keys().as_slice()[0].to_base64();
    let out = f.run(&["seal", "{}", "--key-file", "FILE", "--keys", key.as_str()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!text(&out.stderr).contains(key.as_str()));
}

#[test]
fn a_broken_key_file_is_an_input_error_naming_the_line_not_its_text() {
    let mut f = Fixture::new("broken");
    let key = sealed_session::Key::generate();
    let b64 = key.to_base64();
    let broken = format!(
        "sealed-session-keys 1\n# a comment\n{} seal-after=soon-ish\n",
        b64.as_str()
    );
    std::fs::write(f.file(), &broken).unwrap();
    let now = ms(NOW);
    for args in [
        vec!["keys", "list", "FILE", "--now", &now],
        vec!["keys", "list", "FILE", "--now", &now, "--show-keys"],
        vec!["keys", "rotate", "FILE", "--in", "15m", "--now", &now],
        vec!["keys", "retire", "FILE", "0badc0de", "--now", &now],
        vec!["inspect", "token", "--key-file", "FILE", "--now", &now],
        vec!["seal", "{}", "--key-file", "FILE", "--now", &now],
    ] {
        let out = f.expect(2, &args);
        assert!(
            out.contains("line 3") && out.contains("seal-after"),
            "{out}"
        );
        assert!(
            !out.contains("soon-ish") && !out.contains(&b64[..20]),
            "{out}"
        );
    }
    assert_eq!(std::fs::read_to_string(f.file()).unwrap(), broken);
    // No key seals at the time of loading: the file and the time are named.
    std::fs::write(
        f.file(),
        format!(
            "sealed-session-keys 1\n{} seal-after=2026-12-05T10:00:00Z\n",
            b64.as_str()
        ),
    )
    .unwrap();
    let out = f.expect(2, &["keys", "list", "FILE", "--now", &now]);
    assert!(
        out.contains("no key seals") && out.contains("2026-12-05T09:45:00Z"),
        "{out}"
    );
    f.expect(0, &["keys", "list", "FILE", "--now", &ms(AT)]);
    // A missing file.
    let missing = f.dir.join("missing").to_string_lossy().into_owned();
    let out = f.expect(2, &["keys", "list", &missing]);
    assert!(out.contains("cannot be read"), "{out}");
    assert_eq!(f.names(), ["keys"]);
    // The key of the broken file appears nowhere (the fixture checks only files that read).
    for (args, out) in &f.outputs {
        assert!(!text(&out.stdout).contains(&b64[..20]), "{args}");
        assert!(!text(&out.stderr).contains(&b64[..20]), "{args}");
    }
}

#[test]
fn bad_keys_commands_are_usage_errors() {
    let mut f = Fixture::new("usage");
    for args in [
        vec!["keys"],
        vec!["keys", "bogus"],
        vec!["keys", "init"],
        vec!["keys", "init", "a", "b"],
        vec!["keys", "list", "FILE", "--force"],
        vec!["keys", "retire", "FILE", "0badc0de", "--force=yes"],
        vec!["keys", "retire", "FILE", "0badc0de", "--force", "--force"],
        vec!["keys", "list", "FILE", "--max-age", "1y"],
    ] {
        f.expect(2, &args);
    }
    let help = f.expect(0, &["help"]);
    for command in [
        "keys init",
        "keys rotate",
        "keys list",
        "keys retire",
        "--key-file",
    ] {
        assert!(help.contains(command), "{help}");
    }
    assert!(Path::new(&f.dir).is_dir());
}
