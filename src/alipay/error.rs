//! What can go wrong with Alipay: building the client ([`AlipayConfigError`]) and an exchange
//! ([`AlipayError`]). No error text contains the private key, the auth code, the access token
//! or the body of Alipay's answer.

use std::{error::Error, fmt};

use crate::login::http::HttpFailure;

type Source = Box<dyn Error + Send + Sync>;

/// Why an `authCode` from `my.getAuthCode` could not be exchanged.
#[derive(Debug)]
#[non_exhaustive]
pub enum AlipayError {
    /// The code is empty, longer than [`MAX_CODE_LEN`](super::MAX_CODE_LEN) or not printable
    /// ASCII; it was not sent.
    BadCode,
    /// sub_code `isv.code-invalid`: the auth code is wrong, used, expired, or another app's.
    InvalidCode,
    /// sub_code `isv.grant-type-invalid`: the grant type was refused.
    GrantTypeInvalid,
    /// sub_code `isv.unmatched-app-id`: the code was issued to another app id.
    UnmatchedAppId,
    /// sub_code `isv.invalid-app-id`: Alipay does not know the app id.
    InvalidAppId,
    /// sub_code `isv.invalid-signature`: Alipay could not verify the request's signature with
    /// the public key uploaded for the app.
    InvalidSignature,
    /// code `40006`: the app lacks the permission to call `alipay.system.oauth.token`.
    InsufficientPermissions,
    /// code `20000`: Alipay's service is unavailable; try again.
    ServiceUnavailable,
    /// Any other error answer.
    Other {
        /// Alipay's `code` (e.g. `40004`).
        code: String,
        /// Alipay's `sub_code`, when sent.
        sub_code: Option<String>,
        /// Alipay's `sub_msg` or `msg`, cut to 200 characters.
        msg: String,
    },
    /// The answer's `sign` does not verify with Alipay's public key: the answer is not Alipay's,
    /// or the configured public key is not Alipay's key for this app.
    BadSignature,
    /// A successful answer without `sign`.
    Unsigned,
    /// Alipay answered with an HTTP status other than 200.
    Status {
        /// The status code.
        status: u16,
    },
    /// The answer's body is not the JSON Alipay documents.
    NotJson,
    /// The answer lacks a field a login needs.
    MissingField {
        /// `"user_id"`/`"open_id"`.
        field: &'static str,
    },
    /// The answer is longer than [`MAX_ANSWER_LEN`](super::MAX_ANSWER_LEN).
    AnswerTooLarge,
    /// No complete answer within the configured timeout.
    Timeout,
    /// The request could not be signed (the key refused to sign).
    Signing,
    /// The request could not be sent or the answer not read.
    Transport(Source),
}

impl AlipayError {
    /// Alipay's `sub_code` behind this error, else its `code`, if Alipay sent one.
    #[must_use]
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::InvalidCode => Some("isv.code-invalid"),
            Self::GrantTypeInvalid => Some("isv.grant-type-invalid"),
            Self::UnmatchedAppId => Some("isv.unmatched-app-id"),
            Self::InvalidAppId => Some("isv.invalid-app-id"),
            Self::InvalidSignature => Some("isv.invalid-signature"),
            Self::InsufficientPermissions => Some("40006"),
            Self::ServiceUnavailable => Some("20000"),
            Self::Other { code, sub_code, .. } => Some(sub_code.as_deref().unwrap_or(code)),
            _ => None,
        }
    }

    /// `true` when the auth code the client sent is at fault: answer `400`; the client should
    /// call `my.getAuthCode` again.
    #[must_use]
    pub fn is_bad_code(&self) -> bool {
        matches!(
            self,
            Self::BadCode | Self::InvalidCode | Self::UnmatchedAppId
        )
    }

    pub(crate) fn from_answer(code: &str, sub_code: Option<&str>, msg: Option<&str>) -> Self {
        match (code, sub_code) {
            (_, Some("isv.code-invalid")) => Self::InvalidCode,
            (_, Some("isv.grant-type-invalid")) => Self::GrantTypeInvalid,
            (_, Some("isv.unmatched-app-id")) => Self::UnmatchedAppId,
            (_, Some("isv.invalid-app-id")) => Self::InvalidAppId,
            (_, Some("isv.invalid-signature")) => Self::InvalidSignature,
            ("40006", _) => Self::InsufficientPermissions,
            ("20000", _) => Self::ServiceUnavailable,
            (code, sub_code) => Self::Other {
                code: code.chars().take(40).collect(),
                sub_code: sub_code.map(|s| s.chars().take(80).collect()),
                msg: msg.unwrap_or_default().chars().take(200).collect(),
            },
        }
    }
}

impl From<HttpFailure> for AlipayError {
    fn from(failure: HttpFailure) -> Self {
        match failure {
            HttpFailure::Status(status) => Self::Status { status },
            HttpFailure::TooLarge => Self::AnswerTooLarge,
            HttpFailure::Timeout => Self::Timeout,
            HttpFailure::Transport(e) => Self::Transport(e),
        }
    }
}

impl fmt::Display for AlipayError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadCode => write!(
                f,
                "the auth code is empty, longer than {} characters or not printable ASCII: send \
                 the authCode from my.getAuthCode as it is",
                super::MAX_CODE_LEN
            ),
            Self::InvalidCode => f.write_str(
                "Alipay refused the auth code (isv.code-invalid): call my.getAuthCode again and \
                 send the new code (a code works once)",
            ),
            Self::GrantTypeInvalid => {
                f.write_str("Alipay refused the grant type (isv.grant-type-invalid)")
            }
            Self::UnmatchedAppId => f.write_str(
                "Alipay says the auth code belongs to another app (isv.unmatched-app-id): check \
                 that ALIPAY_APPID is the mini program's app id",
            ),
            Self::InvalidAppId => f.write_str(
                "Alipay does not know the app id (isv.invalid-app-id): check ALIPAY_APPID",
            ),
            Self::InvalidSignature => f.write_str(
                "Alipay could not verify the request's signature (isv.invalid-signature): the \
                 private key must be the one whose public key is uploaded for the app, RSA2",
            ),
            Self::InsufficientPermissions => f.write_str(
                "Alipay refused: the app may not call alipay.system.oauth.token (code 40006); \
                 add the login capability (获取会员信息) to the app",
            ),
            Self::ServiceUnavailable => {
                f.write_str("Alipay's service is unavailable (code 20000): try again in a moment")
            }
            Self::Other {
                code,
                sub_code,
                msg,
            } => write!(
                f,
                "Alipay refused the login: code {code}, sub_code {sub_code:?}, {msg:?}"
            ),
            Self::BadSignature => f.write_str(
                "the answer's signature does not verify with Alipay's public key: check \
                 ALIPAY_PUBLIC_KEY (Alipay's key for this app, not the app's own public key) and \
                 the gateway URL",
            ),
            Self::Unsigned => {
                f.write_str("Alipay's answer has no signature: check the gateway URL")
            }
            Self::Status { status } => write!(
                f,
                "Alipay's gateway answered with HTTP status {status} instead of 200: check the \
                 gateway URL"
            ),
            Self::NotJson => f.write_str(
                "Alipay's gateway answered with something that is not its JSON: check the \
                 gateway URL",
            ),
            Self::MissingField { field } => write!(f, "Alipay's answer has no `{field}`"),
            Self::AnswerTooLarge => write!(
                f,
                "Alipay's answer is longer than {} bytes: check the gateway URL",
                super::MAX_ANSWER_LEN
            ),
            Self::Timeout => f.write_str("Alipay's gateway did not answer within the timeout"),
            Self::Signing => f.write_str("the request could not be signed with the private key"),
            Self::Transport(_) => f.write_str(
                "could not reach Alipay's gateway (connection, TLS or a broken answer; see the \
                 source)",
            ),
        }
    }
}

impl Error for AlipayError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::Transport(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Why an [`AlipayClient`](super::AlipayClient) could not be built.
#[non_exhaustive]
pub enum AlipayConfigError {
    /// `ALIPAY_APPID`, `ALIPAY_PRIVATE_KEY` or `ALIPAY_PUBLIC_KEY` is not set (or not UTF-8).
    MissingEnv {
        /// The variable's name.
        name: &'static str,
    },
    /// The app id is empty.
    EmptyAppId,
    /// The private key is not base64 of an RSA private key (PKCS#8 or PKCS#1 DER) ring accepts.
    BadPrivateKey,
    /// Alipay's public key is not base64 of an RSA SubjectPublicKeyInfo (or RSAPublicKey).
    BadPublicKey,
    /// The gateway URL is not an `http` or `https` URL without query or fragment.
    BadGateway {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The timeout is zero.
    ZeroTimeout,
    /// The HTTP client could not be built.
    HttpClient(Source),
}

impl fmt::Display for AlipayConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingEnv { name } => write!(
                f,
                "environment variable {name} is not set: set ALIPAY_APPID, ALIPAY_PRIVATE_KEY \
                 (the app's RSA2 private key, base64) and ALIPAY_PUBLIC_KEY (Alipay's public \
                 key, base64)"
            ),
            Self::EmptyAppId => f.write_str("the Alipay app id is empty"),
            Self::BadPrivateKey => f.write_str(
                "the Alipay private key is not usable: give the base64 of the app's RSA private \
                 key (PKCS#8 or PKCS#1, 2048 bits or more) as Alipay's key tool writes it, \
                 without PEM header lines",
            ),
            Self::BadPublicKey => f.write_str(
                "Alipay's public key is not usable: give the base64 \"支付宝公钥\" from the \
                 app's settings (an RSA SubjectPublicKeyInfo)",
            ),
            Self::BadGateway { reason } => write!(
                f,
                "the Alipay gateway URL is not usable: {reason}; expected e.g. {}",
                super::DEFAULT_GATEWAY
            ),
            Self::ZeroTimeout => {
                f.write_str("the Alipay gateway timeout is zero: give it a few seconds")
            }
            Self::HttpClient(_) => {
                f.write_str("the HTTP client for Alipay's gateway could not be built")
            }
        }
    }
}

impl Error for AlipayConfigError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            Self::HttpClient(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// What `main` prints when it returns this error: the message and its causes, not the variant.
impl fmt::Debug for AlipayConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::error::report(f, self, "AlipayConfigError")
    }
}
