//! Command-line arguments: positional values, `--name value` options and `--flag` flags, as one
//! subcommand's [`Spec`] allows. Hand-written so that no input can make the tool panic, and so
//! that a key given with `--keys` (or anywhere else) is never echoed back in an error.

use std::collections::{BTreeMap, BTreeSet};

/// What one subcommand accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Spec {
    /// What the positional values are, for the error on one too many: "a token, JSON, or -".
    pub(crate) values: &'static str,
    /// How many positional values it takes at most.
    pub(crate) max_values: usize,
    /// Options that take a value: `--name value` or `--name=value`.
    pub(crate) options: &'static [&'static str],
    /// Flags, given without a value: `--name`.
    pub(crate) flags: &'static [&'static str],
}

/// Parsed arguments of one subcommand.
#[derive(Default)]
pub(crate) struct Args {
    /// The positional values (a token, a JSON document, `-` for standard input, a file, an id).
    values: Vec<String>,
    options: BTreeMap<String, String>,
    flags: BTreeSet<String>,
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The options may hold keys, the values a token: show only which were given.
        f.debug_struct("Args")
            .field("values", &self.values.len())
            .field("options", &self.options.keys().collect::<Vec<_>>())
            .field("flags", &self.flags)
            .finish()
    }
}

impl Args {
    /// Parses `args` (after the subcommand), accepting only what `spec` names.
    pub(crate) fn parse(args: &[String], spec: &Spec) -> Result<Self, String> {
        let mut parsed = Self::default();
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            if let Some(name) = arg.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_owned())),
                    None => (name, None),
                };
                if spec.flags.contains(&name) {
                    if inline.is_some() {
                        return Err(format!("--{name} is a flag: it takes no value"));
                    }
                    if !parsed.flags.insert(name.to_owned()) {
                        return Err(format!("--{name} is given twice"));
                    }
                    continue;
                }
                if !spec.options.contains(&name) {
                    return Err(unknown_option(name, spec));
                }
                let value = match inline {
                    Some(v) => v,
                    None => rest
                        .next()
                        .cloned()
                        .ok_or_else(|| format!("option --{name} needs a value"))?,
                };
                if parsed.options.insert(name.to_owned(), value).is_some() {
                    return Err(format!("option --{name} is given twice"));
                }
            } else if parsed.values.len() < spec.max_values {
                parsed.values.push(arg.clone());
            } else if spec.max_values == 0 {
                return Err("this command takes no positional argument".into());
            } else {
                return Err(format!(
                    "too many positional arguments: expected {}",
                    spec.values
                ));
            }
        }
        Ok(parsed)
    }

    /// The first positional value, if given.
    pub(crate) fn value(&self) -> Option<&str> {
        self.values.first().map(String::as_str)
    }

    /// The positional values.
    pub(crate) fn values(&self) -> &[String] {
        &self.values
    }

    /// The value of an option, if given.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
    }

    /// Whether a flag is given.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.flags.contains(name)
    }

    /// An option holding a whole number, if given.
    pub(crate) fn number(&self, name: &str) -> Result<Option<u64>, String> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| format!("--{name}: expected a whole number"))
            })
            .transpose()
    }
}

/// The error for an unknown option: its name only if it looks like one (lower-case letters,
/// digits and `-`, short), so that a key pasted after `--` is not echoed; and what is known.
fn unknown_option(name: &str, spec: &Spec) -> String {
    let looks_like_a_name = !name.is_empty()
        && name.len() <= 24
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let known: Vec<String> = spec
        .options
        .iter()
        .chain(spec.flags)
        .map(|n| format!("--{n}"))
        .collect();
    let known = if known.is_empty() {
        "it takes none".to_owned()
    } else {
        format!("expected {}", known.join(", "))
    };
    if looks_like_a_name {
        format!("unknown option --{name}: {known}")
    } else {
        format!("unknown option: {known}")
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    const SPEC: Spec = Spec {
        values: "a token, JSON, or -",
        max_values: 1,
        options: &["keys", "now", "context"],
        flags: &["show-keys"],
    };

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_flags_and_one_value() {
        let args = Args::parse(
            &strings(&["tok", "--now", "5", "--context=a=b", "--show-keys"]),
            &SPEC,
        );
        let args = args.unwrap_or_default();
        assert_eq!(args.value(), Some("tok"));
        assert_eq!(args.number("now"), Ok(Some(5)));
        assert_eq!(args.get("context"), Some("a=b"));
        assert!(args.flag("show-keys"));
        let args = Args::parse(&strings(&["tok"]), &SPEC).unwrap_or_default();
        assert!(!args.flag("show-keys"));
    }

    #[test]
    fn two_values_when_the_spec_takes_two() {
        let spec = Spec {
            values: "FILE ID",
            max_values: 2,
            ..SPEC
        };
        let args = Args::parse(&strings(&["file", "--now", "1", "0054ba20"]), &spec);
        let args = args.unwrap_or_default();
        assert_eq!(args.values(), &strings(&["file", "0054ba20"])[..]);
        assert!(Args::parse(&strings(&["a", "b", "c"]), &spec).is_err());
    }

    #[test]
    fn mistakes_are_errors_that_do_not_echo_values() {
        let secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        let flag_value = format!("--show-keys={secret}");
        let dashed = format!("--{secret}");
        for args in [
            vec!["--keys", secret, "--keys", secret],
            vec!["--keys"],
            vec!["--bogus", secret],
            vec![secret, secret],
            vec![&flag_value],
            vec!["--show-keys", "--show-keys"],
            vec![&dashed],
        ] {
            let err = Args::parse(&strings(&args), &SPEC)
                .err()
                .unwrap_or_default();
            assert!(!err.is_empty(), "{args:?} must be refused");
            assert!(!err.contains(&secret[..10]), "{err}");
        }
        let args = Args::parse(&strings(&["--now", "soon"]), &SPEC).unwrap_or_default();
        assert!(args.number("now").is_err());
        let shown = format!("{:?}", Args::parse(&strings(&["--keys", secret]), &SPEC));
        assert!(!shown.contains(&secret[..10]), "{shown}");
        let none = Spec {
            max_values: 0,
            ..SPEC
        };
        let err = Args::parse(&strings(&[secret]), &none)
            .err()
            .unwrap_or_default();
        assert!(!err.is_empty() && !err.contains(&secret[..10]), "{err}");
    }
}
