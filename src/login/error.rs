//! [`LoginError`]: why an exchange (or another platform API call) failed, one type for every
//! platform. No error text contains an app secret, a private key, a login code, a session key or
//! the body of a platform's answer.

use std::{error::Error, fmt};

use super::{
    about::About,
    codes::{Class, Documented},
    identity::{LoginCode, Platform},
};

type Source = Box<dyn Error + Send + Sync>;

/// Why a login code could not be exchanged, or a platform's API call failed: one struct over a
/// private kind (hyper's `Error`), asked with predicates, so that a new kind or a new platform
/// breaks no caller.
///
/// # One outcome each
///
/// Every `LoginError` answers `true` to exactly one of these six predicates, so that a metric can
/// count each exchange as one of seven outcomes (the seventh is success):
///
/// | outcome | predicate | what it covers | answer the client |
/// |---|---|---|---|
/// | bad code | [`is_bad_code`](Self::is_bad_code) | a code not worth sending (not sent), or one the platform refuses as wrong, used or expired | `400`: call the platform's login again |
/// | rate limited | [`is_rate_limited`](Self::is_rate_limited) | the platform's rate-limit or quota codes | `429` or `502` |
/// | refused by the platform | [`is_refused`](Self::is_refused) | any other code of the platform's: a user it blocks, an undocumented code | `502` |
/// | upstream error | [`is_upstream`](Self::is_upstream) | the platform's busy or system-error codes, a status other than 200, an answer that is not its JSON, lacks a field, is too large or badly signed, and a failed connection ([`is_transport`](Self::is_transport)) | `502` |
/// | timeout | [`is_timeout`](Self::is_timeout) | no complete answer within the configured timeout | `504` |
/// | misconfigured | [`is_config`](Self::is_config) | the platform refuses the app id, the secret, the key or the app's permission; a request that could not be signed | `502`, and fix the settings |
///
/// [`is_transport`](Self::is_transport) narrows "upstream error" to the failures with no answer
/// at all; [`errcode`](Self::errcode) and [`platform_code`](Self::platform_code) give the
/// platform's own code when it sent one.
pub struct LoginError {
    about: &'static About,
    kind: Kind,
}

/// What went wrong (private to the crate: asked through [`LoginError`]'s predicates).
#[derive(Debug)]
pub enum Kind {
    /// The code is not worth sending; nothing was sent.
    BadCode {
        /// The longest code accepted.
        max: usize,
    },
    /// The platform answered one of its error codes.
    Refused {
        /// The answer's field the code came in (`errcode`, `err_no`, `sub_code`, ...).
        field: &'static str,
        /// The code, as text.
        code: Box<str>,
        /// Which outcome it is.
        class: Class,
        /// What the code means, when documented (else empty).
        meaning: &'static str,
        /// The platform's message, for an undocumented code, cut to 200 characters.
        msg: Box<str>,
    },
    /// A status other than 200.
    Status(u16),
    /// The body is not the platform's JSON.
    NotJson,
    /// The answer has no error but lacks a field a login needs.
    MissingField(&'static str),
    /// The body passed the cap.
    TooLarge {
        /// The cap, in bytes.
        max: usize,
    },
    /// No complete answer within the timeout.
    Timeout,
    /// Connection, TLS or a broken answer; the cause carries no URL.
    Transport(Source),
    /// The answer's signature does not verify with the platform's public key.
    BadSignature,
    /// A successful answer without a signature.
    Unsigned,
    /// The answer's watermark names another app.
    OtherApp,
    /// The request could not be signed with the app's private key.
    Signing,
}

impl Kind {
    /// The refusal with `code` in the answer's `field`, classified by `codes`; an undocumented
    /// code is "refused by the platform", and keeps the platform's message.
    pub fn refused(
        codes: &'static [Documented],
        field: &'static str,
        code: &str,
        msg: Option<&str>,
    ) -> Self {
        let documented = codes.iter().find(|d| d.code.is(code));
        Self::Refused {
            field,
            code: code.chars().take(80).collect(),
            class: documented.map_or(Class::Refused, |d| d.class),
            meaning: documented.map_or("", |d| d.meaning),
            msg: match documented {
                Some(_) => "".into(),
                None => msg.unwrap_or_default().chars().take(200).collect(),
            },
        }
    }

    /// The same, with every copy of the codes that were sent taken out of the platform's message
    /// (some platforms quote the code they refuse).
    pub(crate) fn without(mut self, sent: &LoginCode) -> Self {
        if let Self::Refused { msg, .. } = &mut self {
            for code in [Some(sent.code.as_str()), sent.anonymous_code.as_deref()]
                .into_iter()
                .flatten()
                .filter(|c| !c.is_empty())
            {
                *msg = msg.replace(code, "(the code)").into();
            }
        }
        self
    }

    fn class(&self) -> Option<Class> {
        Some(match self {
            Self::BadCode { .. } => Class::BadCode,
            Self::Refused { class, .. } => *class,
            Self::Timeout => return None,
            Self::Signing => Class::Config,
            Self::Status(_)
            | Self::NotJson
            | Self::MissingField(_)
            | Self::TooLarge { .. }
            | Self::Transport(_)
            | Self::BadSignature
            | Self::Unsigned
            | Self::OtherApp => Class::Upstream,
        })
    }
}

impl LoginError {
    pub(crate) fn new(about: &'static About, kind: Kind) -> Self {
        Self { about, kind }
    }

    /// The outcome a metric counts this error under (the table above): `bad_code`,
    /// `rate_limited`, `refused`, `upstream_error`, `timeout` or `misconfigured`.
    pub(crate) fn outcome(&self) -> &'static str {
        if self.is_bad_code() {
            "bad_code"
        } else if self.is_rate_limited() {
            "rate_limited"
        } else if self.is_refused() {
            "refused"
        } else if self.is_timeout() {
            "timeout"
        } else if self.is_config() {
            "misconfigured"
        } else {
            "upstream_error"
        }
    }

    /// The platform whose API failed.
    #[must_use]
    pub fn platform(&self) -> Platform {
        self.about.platform
    }

    /// `true` when the code the client sent is at fault: it was not worth sending (empty, too
    /// long, not printable ASCII; nothing was sent), or the platform refuses it as wrong, used,
    /// expired or another app's. Answer `400`; the client should call the platform's login again.
    #[must_use]
    pub fn is_bad_code(&self) -> bool {
        self.kind.class() == Some(Class::BadCode)
    }

    /// `true` when the platform refuses because of too many calls (its rate-limit or quota code).
    #[must_use]
    pub fn is_rate_limited(&self) -> bool {
        self.kind.class() == Some(Class::RateLimited)
    }

    /// `true` when the platform refuses with a code that is neither the code's fault, nor a
    /// limit, nor its own failure, nor the app's settings: a user it blocks, or a code this crate
    /// does not know (its message is in the error's text).
    #[must_use]
    pub fn is_refused(&self) -> bool {
        self.kind.class() == Some(Class::Refused)
    }

    /// `true` when the platform failed: its busy or system-error codes, a status other than 200,
    /// an answer that is not its JSON, lacks a field, is too large, is badly signed or unsigned,
    /// or names another app, and a failed connection ([`is_transport`](Self::is_transport)).
    #[must_use]
    pub fn is_upstream(&self) -> bool {
        self.kind.class() == Some(Class::Upstream)
    }

    /// `true` when no answer could be had at all: DNS, connection, TLS, or a broken answer (the
    /// cause is the [`source`](Error::source)). A kind of [`is_upstream`](Self::is_upstream).
    #[must_use]
    pub fn is_transport(&self) -> bool {
        matches!(self.kind, Kind::Transport(_))
    }

    /// `true` when the platform did not answer within the timeout (answer `504`).
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, Kind::Timeout)
    }

    /// `true` when the app's settings are at fault: the platform refuses the app id, the secret,
    /// the key or the app's permission, or the request could not be signed with the private key.
    #[must_use]
    pub fn is_config(&self) -> bool {
        self.kind.class() == Some(Class::Config)
    }

    /// The platform's own code, when it sent one, as text: WeChat's and QQ's `errcode`,
    /// Douyin's `err_no`, Alipay's `sub_code` (else its `code`), Baidu's `errno` (else its
    /// `error`), Kuaishou's `result`.
    #[must_use]
    pub fn platform_code(&self) -> Option<&str> {
        match &self.kind {
            Kind::Refused { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The platform's code as a number, when it sent one that is a number.
    #[must_use]
    pub fn errcode(&self) -> Option<i64> {
        self.platform_code()?.parse().ok()
    }
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let About {
            platform,
            call,
            env,
            ..
        } = self.about;
        let label = platform.label();
        let settings = |f: &mut fmt::Formatter<'_>| match env.public_key {
            Some(public) => write!(f, "{}, {} and {public}", env.appid, env.secret),
            None => write!(f, "{} and {}", env.appid, env.secret),
        };
        match &self.kind {
            Kind::BadCode { max } => write!(
                f,
                "the login code is empty, longer than {max} characters or not printable ASCII: \
                 send the code from {call} as it is"
            ),
            Kind::Refused {
                field,
                code,
                class,
                meaning,
                msg,
            } => {
                let what = match class {
                    Class::BadCode => "refused the login code",
                    Class::RateLimited => "refused the login as too frequent",
                    Class::Upstream => "could not log in now",
                    Class::Config => "refused the app's settings",
                    Class::Refused => "refused the login",
                };
                write!(f, "{label} {what} ({field} {code}")?;
                if meaning.is_empty() {
                    write!(f, ", {msg:?})")?;
                } else {
                    write!(f, ": {meaning})")?;
                }
                match class {
                    Class::BadCode => write!(
                        f,
                        ": call {call} again and send the new code (a code works once)"
                    ),
                    Class::RateLimited => f.write_str(": try again later"),
                    Class::Upstream => f.write_str(": try again in a moment"),
                    Class::Config => {
                        f.write_str(": check ")?;
                        settings(f)
                    }
                    Class::Refused => Ok(()),
                }
            }
            Kind::Status(status) => write!(
                f,
                "{label}'s API answered with HTTP status {status} instead of 200: check the API \
                 base URL"
            ),
            Kind::NotJson => write!(
                f,
                "{label}'s API answered with something that is not its JSON: check the API base \
                 URL"
            ),
            Kind::MissingField(field) => {
                write!(f, "{label}'s answer has no error code and no `{field}`")
            }
            Kind::TooLarge { max } => write!(
                f,
                "{label}'s answer is longer than {max} bytes: check the API base URL"
            ),
            Kind::Timeout => write!(f, "{label}'s API did not answer within the timeout"),
            Kind::Transport(_) => write!(
                f,
                "could not reach {label}'s API (connection, TLS or a broken answer; see the source)"
            ),
            Kind::BadSignature => {
                write!(
                    f,
                    "the answer's signature does not verify with {label}'s public key: the answer \
                     is not {label}'s, or the configured public key is not {label}'s key for this \
                     app; check "
                )?;
                settings(f)?;
                f.write_str(" and the API base URL")
            }
            Kind::Unsigned => write!(
                f,
                "{label}'s answer has no signature: check the API base URL"
            ),
            Kind::OtherApp => write!(
                f,
                "{label}'s answer carries the watermark of another app id: refused; check {} and \
                 the API base URL",
                env.appid
            ),
            Kind::Signing => {
                f.write_str("the request could not be signed with the app's private key: check ")?;
                settings(f)
            }
        }
    }
}

impl fmt::Debug for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoginError")
            .field("platform", &self.about.platform)
            .field("kind", &self.kind)
            .finish()
    }
}

impl Error for LoginError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.kind {
            Kind::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::login::{about::Env, codes::Code::Text, identity::LoginCode};

    static ABOUT: About = About::new(Platform::Qq, "qq.login", "https://api.q.qq.com", ENV);
    const ENV: Env = Env::new("QQ_APPID", "QQ_SECRET", "QQ_API_BASE");
    static CODES: &[Documented] = &[
        Documented::bad_code(Text("1"), "the code is wrong"),
        Documented::rate_limited(Text("2"), "too often"),
        Documented::refused(Text("3"), "a blocked user"),
        Documented::upstream(Text("4"), "busy"),
        Documented::config(Text("5"), "a wrong secret"),
    ];

    fn every_kind() -> Vec<Kind> {
        let mut kinds: Vec<Kind> = ["1", "2", "3", "4", "5", "99"]
            .into_iter()
            .map(|code| Kind::refused(CODES, "errcode", code, Some("as sent")))
            .collect();
        kinds.extend([
            Kind::BadCode { max: 8 },
            Kind::Status(503),
            Kind::NotJson,
            Kind::MissingField("openid"),
            Kind::TooLarge { max: 8 },
            Kind::Timeout,
            Kind::Transport("refused".into()),
            Kind::BadSignature,
            Kind::Unsigned,
            Kind::OtherApp,
            Kind::Signing,
        ]);
        kinds
    }

    #[test]
    fn every_error_is_exactly_one_outcome() {
        for kind in every_kind() {
            let e = LoginError::new(&ABOUT, kind);
            let outcomes = [
                e.is_bad_code(),
                e.is_rate_limited(),
                e.is_refused(),
                e.is_upstream(),
                e.is_timeout(),
                e.is_config(),
            ];
            assert_eq!(outcomes.iter().filter(|o| **o).count(), 1, "{e:?}");
            assert!(!e.is_transport() || e.is_upstream(), "{e:?}");
            assert!(!e.to_string().is_empty());
        }
    }

    #[test]
    fn each_error_counts_under_the_outcome_of_its_predicate() {
        // Exercise: every kind of error (every class of documented code, an undocumented one,
        // and every failure of the exchange itself).
        // Expectation: its metric outcome is the one its single true predicate names.
        let expected = [
            ("1", "bad_code"),
            ("2", "rate_limited"),
            ("3", "refused"),
            ("4", "upstream_error"),
            ("5", "misconfigured"),
            ("99", "refused"),
        ];
        for (code, outcome) in expected {
            let e = LoginError::new(&ABOUT, Kind::refused(CODES, "errcode", code, None));
            assert_eq!(e.outcome(), outcome, "errcode {code}");
        }
        for (kind, outcome) in [
            (Kind::BadCode { max: 8 }, "bad_code"),
            (Kind::Status(503), "upstream_error"),
            (Kind::NotJson, "upstream_error"),
            (Kind::MissingField("openid"), "upstream_error"),
            (Kind::TooLarge { max: 8 }, "upstream_error"),
            (Kind::Timeout, "timeout"),
            (Kind::Transport("refused".into()), "upstream_error"),
            (Kind::BadSignature, "upstream_error"),
            (Kind::Unsigned, "upstream_error"),
        ] {
            let e = LoginError::new(&ABOUT, kind);
            assert_eq!(e.outcome(), outcome, "{e:?}");
        }
        for kind in every_kind() {
            let e = LoginError::new(&ABOUT, kind);
            let by_predicate = [
                (e.is_bad_code(), "bad_code"),
                (e.is_rate_limited(), "rate_limited"),
                (e.is_refused(), "refused"),
                (e.is_upstream(), "upstream_error"),
                (e.is_timeout(), "timeout"),
                (e.is_config(), "misconfigured"),
            ];
            let (_, named) = by_predicate.iter().find(|(is, _)| *is).unwrap();
            assert_eq!(e.outcome(), *named, "{e:?}");
        }
    }

    #[test]
    fn documented_codes_say_what_they_mean_and_others_quote_the_platform() {
        let known = LoginError::new(&ABOUT, Kind::refused(CODES, "errcode", "1", Some("x")));
        assert!(known.is_bad_code() && known.errcode() == Some(1));
        assert_eq!(
            known.to_string(),
            "QQ refused the login code (errcode 1: the code is wrong): call qq.login again and \
             send the new code (a code works once)"
        );
        let config = LoginError::new(&ABOUT, Kind::refused(CODES, "errcode", "5", None));
        assert!(config.to_string().ends_with("check QQ_APPID and QQ_SECRET"));
        let other = Kind::refused(CODES, "errcode", "99", Some(&"y".repeat(10_000)));
        let other = LoginError::new(&ABOUT, other);
        assert!(other.is_refused() && other.platform_code() == Some("99"));
        assert!(other.to_string().len() < 300, "{other}");
    }

    #[test]
    fn a_quoted_code_is_taken_out_of_the_message() {
        let sent = LoginCode::new("the-code-1").with_anonymous_code("anon-2");
        let kind =
            Kind::refused(CODES, "error", "x", Some("bad: the-code-1 and anon-2")).without(&sent);
        let text = LoginError::new(&ABOUT, kind).to_string();
        assert!(
            !text.contains("the-code-1") && !text.contains("anon-2"),
            "{text}"
        );
    }
}
