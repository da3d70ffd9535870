//! Command-line arguments: a subcommand, one optional positional value, and `--name value`
//! options. Hand-written so that no input can make the tool panic, and so that a key given
//! with `--keys` is never echoed back in an error.

use std::collections::BTreeMap;

/// Parsed arguments of one subcommand.
#[derive(Default)]
pub(crate) struct Args {
    /// The positional argument (a token, a JSON document, or `-` for standard input).
    pub(crate) value: Option<String>,
    options: BTreeMap<String, String>,
}

impl std::fmt::Debug for Args {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The options may hold keys, the value a token: show only which were given.
        f.debug_struct("Args")
            .field("value", &self.value.as_ref().map(|_| "<given>"))
            .field("options", &self.options.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Args {
    /// Parses `args` (after the subcommand), accepting only the option names in `known`.
    pub(crate) fn parse(args: &[String], known: &[&str]) -> Result<Self, String> {
        let mut parsed = Self::default();
        let mut rest = args.iter();
        while let Some(arg) = rest.next() {
            if let Some(name) = arg.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_owned())),
                    None => (name, None),
                };
                if !known.contains(&name) {
                    return Err(format!("unknown option --{}", printable(name)));
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
            } else if parsed.value.is_none() {
                parsed.value = Some(arg.clone());
            } else {
                return Err("one positional argument at most (a token, JSON, or -)".into());
            }
        }
        Ok(parsed)
    }

    /// The value of an option, if given.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.options.get(name).map(String::as_str)
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

/// A name for an error message: at most 40 characters, control characters replaced.
fn printable(text: &str) -> String {
    text.chars()
        .take(40)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn strings(args: &[&str]) -> Vec<String> {
        args.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn options_and_one_value() {
        let args = Args::parse(
            &strings(&["tok", "--now", "5", "--context=a=b"]),
            &["now", "context"],
        );
        let args = args.unwrap_or_default();
        assert_eq!(args.value.as_deref(), Some("tok"));
        assert_eq!(args.number("now"), Ok(Some(5)));
        assert_eq!(args.get("context"), Some("a=b"));
    }

    #[test]
    fn mistakes_are_errors_that_do_not_echo_values() {
        let secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
        for (args, known) in [
            (vec!["--keys", secret, "--keys", secret], &["keys"][..]),
            (vec!["--keys"], &["keys"][..]),
            (vec!["--bogus", secret], &["keys"][..]),
            (vec![secret, secret], &["keys"][..]),
        ] {
            let err = Args::parse(&strings(&args), known)
                .err()
                .unwrap_or_default();
            assert!(!err.is_empty(), "{args:?} must be refused");
            assert!(!err.contains(&secret[..10]), "{err}");
        }
        let args = Args::parse(&strings(&["--now", "soon"]), &["now"]).unwrap_or_default();
        assert!(args.number("now").is_err());
        let shown = format!(
            "{:?}",
            Args::parse(&strings(&["--keys", secret]), &["keys"])
        );
        assert!(!shown.contains(&secret[..10]), "{shown}");
    }
}
