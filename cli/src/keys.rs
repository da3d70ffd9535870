//! `keys init | rotate | list | retire`: a key file (`docs/key-file.md`) made and edited from
//! the command line. Edits keep the file's comments and layout (a new key's line goes right
//! after the format line, a retired key's line is removed), are checked by reading the result back, and
//! are written safely ([`crate::replace`]). No key is printed, except by `list --show-keys`.

use std::{path::Path, time::Duration};

use sealed_session::{
    DEFAULT_CLOCK_SKEW, DEFAULT_MAX_AGE, DEFAULT_ROTATION_MARGIN, Key, KeyId, KeyState, Keys,
    RECOMMENDED_RELOAD_INTERVAL,
    key_file::{MAX_KEY_FILE_KEYS, format_time, parse_time},
};
use zeroize::Zeroizing;

use crate::{
    args::Args,
    commands::Outcome,
    keyfile::{self, shown},
    replace,
    time::{self, human, relative},
};

/// `keys init FILE`: a new key file with one new key, which seals; never over an existing file.
pub(crate) fn init(args: &Args) -> Result<Outcome, String> {
    let path = file(args)?;
    let now = time::now(args)?;
    replace::check_target(path)?;
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(Outcome::refused(&format!(
            "key file {0} exists: `keys init` never overwrites a key file. To add a key to it, \
             run `sealed-session keys rotate {0} --in 15m`; to start over, give another path",
            shown(path)
        )));
    }
    let key = Key::try_generate().map_err(|e| format!("{e}: nothing was written"))?;
    let id = key.id();
    let keys = Keys::single(key);
    let header = format!(
        "# made by `sealed-session keys init` at {}\n",
        format_time(now)
    );
    let text = concat(&[&header, &keys.to_key_file()]);
    checked(&text, &keys, now)?;
    replace::create_new(path, text.as_bytes())?;
    Ok(Outcome::done(format!(
        "created key file {0} with key {id}, which seals; point every instance at it, and add \
         the next key with `sealed-session keys rotate {0} --in 15m`\n",
        shown(path)
    )))
}

/// `keys rotate FILE (--in DURATION | --at RFC3339)`: a new key, first in the list, sealing
/// from that time; refused closer to now than `--min`, or in the past.
pub(crate) fn rotate(args: &Args) -> Result<Outcome, String> {
    let path = file(args)?;
    let now = time::now(args)?;
    let min = time::duration_option(args, "min", DEFAULT_ROTATION_MARGIN)?;
    let at = match (args.get("in"), args.get("at")) {
        (Some(_), Some(_)) => return Err("give --in or --at, not both".into()),
        (None, None) => {
            return Err(
                "give the time from which the new key seals: --in DURATION (such as \
                        15m) or --at RFC3339 (such as 2026-12-05T10:00:00Z)"
                    .into(),
            );
        }
        (Some(_), None) => {
            let after = time::duration_option(args, "in", Duration::ZERO)?;
            // Whole seconds, never sooner than asked.
            now.checked_add(after)
                .and_then(|t| t.checked_next_multiple_of(1000))
                .ok_or("--in: too far ahead")?
        }
        (None, Some(text)) => parse_time(text).ok_or(
            "--at: expected an RFC 3339 date-time from 1970 on, such as 2026-12-05T10:00:00Z \
             or 2026-12-05T18:00:00+08:00",
        )?,
    };
    replace::check_target(path)?;
    let loaded = keyfile::load(path, now)?;
    let old = &loaded.keys;
    if at < now {
        return Ok(Outcome::refused(&format!(
            "{} is {}, in the past: a new key must seal from a time ahead, at least --min ({}) \
             from now. Give a later time, such as --in 15m",
            format_time(at),
            relative(at, now),
            human(min)
        )));
    }
    if at.saturating_sub(now) < min {
        return Ok(Outcome::refused(&format!(
            "{} is {}, closer than --min ({}): instances reload the key file at most every \
             {} s and their clocks may differ by {} s, so one instance could seal with the new \
             key before another knows it, and that one would refuse those tokens. Give a time \
             at least {} ahead, such as --in 15m (lower --min only if every instance reloads \
             sooner)",
            format_time(at),
            relative(at, now),
            human(min),
            RECOMMENDED_RELOAD_INTERVAL.as_secs(),
            DEFAULT_CLOCK_SKEW.as_secs(),
            human(min)
        )));
    }
    if old.as_slice().len() >= MAX_KEY_FILE_KEYS {
        return Ok(Outcome::refused(&format!(
            "key file {0} lists {MAX_KEY_FILE_KEYS} keys, the most a key file may: retire a key \
             that is no longer needed first (`sealed-session keys list {0}` shows them)",
            shown(path)
        )));
    }
    let key = new_key(old)?;
    let id = key.id();
    let b64 = key.to_base64();
    let keys = Keys::timed(std::iter::once((key, Some(at))).chain(entries(old)))
        .map_err(|e| format!("{e}: nothing was written"))?;

    // The new key's line goes right after the format line (comments before the first key
    // stay with it), ending as that line does.
    let text = std::str::from_utf8(&loaded.bytes).map_err(|_| "the key file is not UTF-8")?;
    let format = keyfile::layout(text).format;
    let eol = if text
        .get(format.clone())
        .is_some_and(|l| l.ends_with("\r\n"))
    {
        "\r\n"
    } else {
        "\n"
    };
    let note = format!(
        " seal-after={} # added by `sealed-session keys rotate` at {}{eol}",
        format_time(at),
        format_time(now)
    );
    let edited = concat(&[
        text.get(..format.end).unwrap_or_default(),
        &b64,
        &note,
        text.get(format.end..).unwrap_or_default(),
    ]);
    let written = written(edited, &keys, now)?;
    replace::replace(path, &loaded.bytes, written.as_bytes())?;

    let mut out = format!(
        "added key {id}: seals from {} ({}); every instance must reload {} before then\n",
        format_time(at),
        relative(at, now),
        shown(path)
    );
    if let Some(previous) = old.as_slice().get(old.sealing_index_at(now)) {
        out.push_str(&format!(
            "until then key {0} seals; once tokens it sealed have expired or been re-sealed \
             (the sessions' max age after {1}; `keys list` warns), retire it: \
             `sealed-session keys retire {2} {0}`\n",
            previous.id(),
            format_time(at),
            shown(path)
        ));
    }
    Ok(Outcome::done(out))
}

/// `keys list FILE`: each key's position, id and state, then warnings.
pub(crate) fn list(args: &Args) -> Result<Outcome, String> {
    let path = file(args)?;
    let now = time::now(args)?;
    let min = time::duration_option(args, "min", DEFAULT_ROTATION_MARGIN)?;
    let max_age = time::duration_option(args, "max-age", DEFAULT_MAX_AGE)?;
    let show_keys = args.flag("show-keys");
    let loaded = keyfile::load(path, now)?;
    let keys = &loaded.keys;
    let sealing = keys.sealing_index_at(now);
    // With --show-keys the text holds keys: it is wiped after printing.
    let mut out = Zeroizing::new(String::with_capacity(keys.as_slice().len() * 160 + 4096));
    let mut warnings = Vec::new();
    for (i, key) in keys.as_slice().iter().enumerate() {
        let id = key.id();
        let time = keys.seal_after_ms(i);
        let state = match (keys.state_at(i, now), time) {
            (Some(KeyState::SealingFrom(t)), _) => {
                format!("sealing from {} ({})", format_time(t), relative(t, now))
            }
            (Some(KeyState::Sealing), Some(t)) => {
                format!("sealing (since {}, {})", format_time(t), relative(t, now))
            }
            (Some(KeyState::Sealing), None) => "sealing".into(),
            (_, Some(t)) => format!(
                "opening only (seal-after {}, {})",
                format_time(t),
                relative(t, now)
            ),
            (_, None) => "opening only".into(),
        };
        // Counted from 1, as the key list's errors count.
        out.push_str(&format!("{:<2} {id}  ", i + 1));
        if show_keys {
            out.push_str(&key.to_base64());
            out.push_str("  ");
        }
        out.push_str(&state);
        out.push('\n');
        if let Some(t) = time {
            warnings.extend(time_warning(i, sealing, id, t, now, min, path));
        }
    }
    if let Some(warning) = retire_warning(keys, sealing, now, max_age, path) {
        warnings.push(warning);
    }
    for warning in warnings {
        out.push_str("warning: ");
        out.push_str(&warning);
        out.push('\n');
    }
    Ok(Outcome {
        stdout: out,
        stderr: String::new(),
        code: 0,
    })
}

/// The warning for key `i` (of id `id`, with time `t`), if its time is too close to now or it
/// can never seal where it is listed.
fn time_warning(
    i: usize,
    sealing: usize,
    id: KeyId,
    t: u64,
    now: u64,
    min: u64,
    path: &Path,
) -> Option<String> {
    let when = format!("{} ({})", format_time(t), relative(t, now));
    if i < sealing && t.saturating_sub(now) < min {
        Some(format!(
            "key {id} seals from {when}, closer than --min ({}): an instance that has not \
             reloaded {} by then cannot open the tokens others seal with it. Check that every \
             instance reloads it before then; if unsure, retire the key with --force and \
             rotate again with a later time",
            human(min),
            shown(path)
        ))
    } else if i == sealing && now.saturating_sub(t) < min {
        Some(format!(
            "key {id} began sealing at {when}, within --min ({}): instances that have not \
             reloaded {} yet still seal with the previous key, and cannot open tokens sealed \
             with this one. Check that every instance has reloaded it (their reload logs or \
             metrics)",
            human(min),
            shown(path)
        ))
    } else if i > sealing && t > now {
        Some(format!(
            "key {id} has seal-after {when} but is listed after the sealing key: a key seals \
             from its time only when it is listed before the sealing one, so this one never \
             will. To rotate to it, retire it and add a new key with `keys rotate`"
        ))
    } else {
        None
    }
}

/// The warning that keys listed after the sealing key can be retired: it has sealed for longer
/// than `max_age`.
fn retire_warning(
    keys: &Keys,
    sealing: usize,
    now: u64,
    max_age: u64,
    path: &Path,
) -> Option<String> {
    let since = keys.seal_after_ms(sealing)?;
    let after = keys.as_slice().get(sealing + 1..)?;
    if after.is_empty() || now.saturating_sub(since) <= max_age {
        return None;
    }
    let ids: Vec<String> = after.iter().map(|k| k.id().to_string()).collect();
    let sealer = keys.as_slice().get(sealing)?.id();
    let (listed, them, they, id) = match ids.as_slice() {
        [one] => ("1 key listed after it remains", "it", "it", one.as_str()),
        _ => ("keys listed after it remain", "them", "they", "ID"),
    };
    Some(format!(
        "key {sealer} has sealed since {} ({}), longer than --max-age ({}), and {listed} ({}): \
         tokens sealed with {them} have expired or been re-sealed by now, unless sessions live \
         longer than {}, so {they} can be retired: `sealed-session keys retire {} {id}`. Check \
         first that sealed_session_tokens_opened_total{{key=\"other\"}} has stayed at zero",
        format_time(since),
        relative(since, now),
        human(max_age),
        ids.join(", "),
        human(max_age),
        shown(path)
    ))
}

/// `keys retire FILE ID`: removes a key. Without `--force`, not the sealing key nor one that
/// will seal; never the last key, nor one without which no key seals now.
pub(crate) fn retire(args: &Args) -> Result<Outcome, String> {
    let [path, id] = args.values() else {
        return Err(
            "expected the key file's path and the id of the key to retire (8 hex digits, as \
             `sealed-session keys list FILE` shows)"
                .into(),
        );
    };
    let path = Path::new(path);
    let id = parse_kid(id)?;
    let now = time::now(args)?;
    let force = args.flag("force");
    replace::check_target(path)?;
    let loaded = keyfile::load(path, now)?;
    let keys = &loaded.keys;
    let Some(index) = keys.position(id) else {
        return Err(format!(
            "key file {0} lists no key {id}: `sealed-session keys list {0}` shows the ids",
            shown(path)
        ));
    };
    let sealing = keys.sealing_index_at(now);
    if keys.as_slice().len() == 1 {
        return Ok(Outcome::refused(&format!(
            "key {id} is the only key of {0}, and a key file must list one: add its successor \
             first (`sealed-session keys rotate {0} --in 15m`), and retire {id} once the \
             sessions' max age has passed after the new key's time",
            shown(path)
        )));
    }
    if !force && index == sealing {
        return Ok(Outcome::refused(&format!(
            "key {id} seals now: without it instances would seal with another key at once, and \
             refuse the tokens {id} sealed. Add its successor with `sealed-session keys rotate \
             {} --in 15m` and retire {id} once the sessions' max age has passed after the new \
             key's time (--force retires it anyway)",
            shown(path)
        )));
    }
    if !force && index < sealing {
        let when = keys
            .seal_after_ms(index)
            .map(|t| format!(" from {} ({})", format_time(t), relative(t, now)))
            .unwrap_or_default();
        return Ok(Outcome::refused(&format!(
            "key {id} will seal{when}: it is the next key of a rotation, and an instance whose \
             clock runs ahead may seal with it already. Retire the key it replaces instead, \
             once its time has passed (--force retires it anyway)"
        )));
    }

    let remaining = Keys::timed(
        entries(keys)
            .enumerate()
            .filter(|&(i, _)| i != index)
            .map(|(_, entry)| entry),
    )
    .map_err(|e| format!("{e}: nothing was written"))?;
    if !remaining.has_sealing_key_at(now) {
        return Ok(Outcome::refused(&format!(
            "without key {id} no key of {} would seal at {} (every other key's seal-after is \
             still to come), and instances would refuse the file: keep it until another key's \
             time has passed",
            shown(path),
            format_time(now)
        )));
    }
    let text = std::str::from_utf8(&loaded.bytes).map_err(|_| "the key file is not UTF-8")?;
    let line = keyfile::layout(text)
        .keys
        .get(index)
        .cloned()
        .unwrap_or_default();
    let edited = concat(&[
        text.get(..line.start).unwrap_or_default(),
        text.get(line.end..).unwrap_or_default(),
    ]);
    let written = written(edited, &remaining, now)?;
    replace::replace(path, &loaded.bytes, written.as_bytes())?;

    let was = match keys.state_at(index, now) {
        Some(KeyState::Sealing) => "it sealed",
        Some(KeyState::SealingFrom(_)) => "it was to seal",
        _ => "it only opened",
    };
    let now_sealing = remaining
        .as_slice()
        .get(remaining.sealing_index_at(now))
        .map(Key::id);
    let mut out = format!(
        "retired key {id} ({was}): {} lists {} key{}{}; once every instance has reloaded it, \
         tokens {id} sealed are refused\n",
        shown(path),
        remaining.as_slice().len(),
        if remaining.as_slice().len() == 1 {
            ""
        } else {
            "s"
        },
        now_sealing
            .map(|k| format!(", and {k} seals"))
            .unwrap_or_default()
    );
    let since = remaining.seal_after_ms(remaining.sealing_index_at(now));
    let max_age = duration_ms(DEFAULT_MAX_AGE);
    if let Some(since) = since.filter(|&t| index > sealing && now.saturating_sub(t) < max_age) {
        out.push_str(&format!(
            "warning: the sealing key has sealed only since {} ({}), less than the default max \
             age ({}): sessions sealed by {id} before then may still be in use, and their users \
             will be signed out\n",
            format_time(since),
            relative(since, now),
            human(max_age)
        ));
    }
    Ok(Outcome::done(out))
}

/// The first positional value: the key file's path.
fn file(args: &Args) -> Result<&Path, String> {
    args.value()
        .map(Path::new)
        .ok_or_else(|| "expected the key file's path".into())
}

/// A key id: 8 hex digits (`keys list` shows them in lower case).
fn parse_kid(text: &str) -> Result<KeyId, String> {
    let wrong = || "expected a key id of 8 hex digits, as `sealed-session keys list FILE` shows";
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(wrong().into());
    }
    let mut kid = [0u8; 4];
    for (i, byte) in kid.iter_mut().enumerate() {
        let pair = text.get(2 * i..2 * i + 2).ok_or_else(wrong)?;
        *byte = u8::from_str_radix(pair, 16).map_err(|_| wrong())?;
    }
    Ok(KeyId(kid))
}

/// A new key whose id no key of `keys` has (two ids collide once in 2^32).
fn new_key(keys: &Keys) -> Result<Key, String> {
    for _ in 0..8 {
        let key = Key::try_generate().map_err(|e| format!("{e}: nothing was written"))?;
        if keys.position(key.id()).is_none() {
            return Ok(key);
        }
    }
    Err("could not draw a key with a new key id: nothing was written; run the command again".into())
}

/// Each key of a list with its time.
fn entries(keys: &Keys) -> impl Iterator<Item = (Key, Option<u64>)> + '_ {
    keys.as_slice()
        .iter()
        .enumerate()
        .map(|(i, key)| (key.clone(), keys.seal_after_ms(i)))
}

/// Strings joined into one buffer of the exact size, wiped on drop (it may hold keys).
fn concat(parts: &[&str]) -> Zeroizing<String> {
    let mut text = Zeroizing::new(String::with_capacity(parts.iter().map(|p| p.len()).sum()));
    for part in parts {
        text.push_str(part);
    }
    text
}

/// The text to write: the edited file if it reads back as `keys` at `now` (it always should),
/// else the list as the crate writes it (the file's comments are then lost).
fn written(edited: Zeroizing<String>, keys: &Keys, now: u64) -> Result<Zeroizing<String>, String> {
    if checked(&edited, keys, now).is_ok() {
        return Ok(edited);
    }
    let plain = keys.to_key_file();
    checked(&plain, keys, now)?;
    Ok(plain)
}

/// Whether `text` reads back as `keys` at `now`.
fn checked(text: &str, keys: &Keys, now: u64) -> Result<(), String> {
    match Keys::load_key_file(text.as_bytes(), now) {
        Ok(read) if &read == keys => Ok(()),
        _ => Err("the new key file would not read back as intended: nothing was written".into()),
    }
}

fn duration_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_8_hex_digits() {
        assert_eq!(parse_kid("0054ba20"), Ok(KeyId([0x00, 0x54, 0xba, 0x20])));
        assert_eq!(parse_kid("0054BA20"), Ok(KeyId([0x00, 0x54, 0xba, 0x20])));
        let key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        for bad in ["", "0054ba2", "0054ba200", "0054ba2g", "é054ba2", key] {
            let err = parse_kid(bad).err().unwrap_or_default();
            assert!(!err.is_empty() && !err.contains(&key[..10]), "{bad}: {err}");
        }
    }
}
