//! [`LoginConfigError`]: why a [`LoginClient`](super::LoginClient) could not be built, for every
//! platform. No error text contains the app secret or the private key.

use std::{error::Error, fmt};

use super::{about::About, identity::Platform};

/// Why a [`LoginClient`](super::LoginClient) could not be built (or a configuration not read from
/// the environment). Its `Debug` is what `main` prints when it returns the error: the message
/// and its causes.
pub struct LoginConfigError {
    about: &'static About,
    problem: ConfigProblem,
}

/// What is wrong with the configuration.
#[derive(Debug)]
pub enum ConfigProblem {
    /// An environment variable is not set (or not UTF-8).
    MissingEnv(&'static str),
    /// The app id or the app secret is empty.
    Empty(&'static str),
    /// The API base is not an `http(s)` URL without query or fragment.
    BadApiBase(&'static str),
    /// The timeout is zero.
    ZeroTimeout,
    /// The private key is not one ring can sign with.
    BadPrivateKey,
    /// The platform's public key is not an RSA public key.
    BadPublicKey,
    /// The HTTP client could not be built (its TLS setup failed).
    HttpClient(Box<dyn Error + Send + Sync>),
}

impl LoginConfigError {
    pub(crate) fn new(about: &'static About, problem: ConfigProblem) -> Self {
        Self { about, problem }
    }

    /// The platform whose configuration is wrong.
    #[must_use]
    pub fn platform(&self) -> Platform {
        self.about.platform
    }

    /// The environment variable that is not set, when that is what is wrong.
    #[must_use]
    pub fn missing_env(&self) -> Option<&'static str> {
        match self.problem {
            ConfigProblem::MissingEnv(name) => Some(name),
            _ => None,
        }
    }
}

impl fmt::Display for LoginConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (label, env) = (self.about.platform.label(), &self.about.env);
        match &self.problem {
            ConfigProblem::MissingEnv(name) => match env.public_key {
                Some(public) => write!(
                    f,
                    "environment variable {name} is not set: set {}, {} (the app's RSA2 private \
                     key, base64) and {public} ({label}'s public key, base64)",
                    env.appid, env.secret
                ),
                None => write!(
                    f,
                    "environment variable {name} is not set: set {} and {} to the {label} mini \
                     program's app id and app secret",
                    env.appid, env.secret
                ),
            },
            ConfigProblem::Empty(what) => write!(f, "the {label} {what} is empty"),
            ConfigProblem::BadApiBase(reason) => write!(
                f,
                "the {label} API base URL is not usable: {reason}; expected an http(s) URL \
                 without query or fragment, by default {}",
                self.about.api_base
            ),
            ConfigProblem::ZeroTimeout => {
                write!(f, "the {label} API timeout is zero: give it a few seconds")
            }
            ConfigProblem::BadPrivateKey => write!(
                f,
                "the {label} private key is not usable: give the base64 of the app's RSA private \
                 key (PKCS#8 or PKCS#1, 2048 bits or more) as {label}'s key tool writes it, \
                 without PEM header lines"
            ),
            ConfigProblem::BadPublicKey => write!(
                f,
                "{label}'s public key is not usable: give the base64 public key of {label} from \
                 the app's settings (an RSA SubjectPublicKeyInfo), not the app's own"
            ),
            ConfigProblem::HttpClient(_) => {
                write!(f, "the HTTP client for {label}'s API could not be built")
            }
        }
    }
}

impl Error for LoginConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match &self.problem {
            ConfigProblem::HttpClient(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// What `main` prints when it returns this error: the message and its causes, not the variant.
impl fmt::Debug for LoginConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::error::report(f, self, "LoginConfigError")
    }
}
