//! RSA2 (SHA256withRSA, PKCS#1 v1.5) for Alipay's gateway, with ring: the app's private key signs
//! each request, Alipay's public key verifies each answer.
//!
//! The signed content of a request is every parameter but `sign`, sorted by name, as
//! `name=value` joined with `&`, values as they are (not URL-encoded); the signature goes in the
//! `sign` parameter as base64. The signed content of an answer is the JSON text of its
//! `*_response` member, byte for byte as Alipay sent it.

use base64::{Engine, engine::general_purpose::STANDARD};
use ring::{
    rand::SystemRandom,
    rsa::KeyPair,
    signature::{RSA_PKCS1_2048_8192_SHA256, RSA_PKCS1_SHA256, UnparsedPublicKey},
};
use spki::{ObjectIdentifier, SubjectPublicKeyInfoRef};

/// `rsaEncryption`, the algorithm of an RSA public key in an X.509 SubjectPublicKeyInfo.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// The app's private key, ready to sign. Its `Debug` shows nothing of it.
pub struct Signer {
    key: KeyPair,
    rng: SystemRandom,
}

/// Alipay's public key, ready to verify.
#[derive(Debug)]
pub struct Verifier {
    /// The RSAPublicKey (PKCS#1) DER that ring takes.
    key: Vec<u8>,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(REDACTED)")
    }
}

/// Base64 with any whitespace (line breaks of a pasted key) left out.
fn decode(text: &str) -> Option<Vec<u8>> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(compact.as_bytes()).ok()
}

impl Signer {
    /// A private key as Alipay's key tool writes it: base64 of PKCS#8 ("Java") or PKCS#1 DER.
    pub(crate) fn from_base64(text: &str) -> Option<Self> {
        let der = zeroize::Zeroizing::new(decode(text)?);
        let key = KeyPair::from_pkcs8(&der)
            .or_else(|_| KeyPair::from_der(&der))
            .ok()?;
        Some(Self {
            key,
            rng: SystemRandom::new(),
        })
    }

    /// The base64 RSA2 signature of `content`.
    pub(crate) fn sign(&self, content: &[u8]) -> Option<String> {
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &self.rng, content, &mut signature)
            .ok()?;
        Some(STANDARD.encode(signature))
    }
}

impl Verifier {
    /// Alipay's public key as its console shows it: base64 of an X.509 SubjectPublicKeyInfo
    /// (or of a bare PKCS#1 RSAPublicKey).
    pub(crate) fn from_base64(text: &str) -> Option<Self> {
        let der = decode(text)?;
        let key = match SubjectPublicKeyInfoRef::try_from(der.as_slice()) {
            Ok(spki) if spki.algorithm.oid == RSA_ENCRYPTION => {
                spki.subject_public_key.as_bytes()?.to_vec()
            }
            Ok(_) => return None,
            Err(_) => der,
        };
        Some(Self { key })
    }

    /// Whether `signature` (base64) is Alipay's RSA2 signature of `content`.
    pub(crate) fn verify(&self, content: &[u8], signature: &str) -> bool {
        let Some(signature) = decode(signature) else {
            return false;
        };
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.key)
            .verify(content, &signature)
            .is_ok()
    }
}

/// The content a request's signature covers: `params` but `sign` and empty values, sorted by
/// name, `name=value` joined with `&`.
pub(crate) fn content(params: &[(&str, &str)]) -> String {
    let mut sorted: Vec<_> = params
        .iter()
        .filter(|(name, value)| *name != "sign" && !value.is_empty())
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    sorted
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_is_sorted_without_sign_and_empty_values() {
        let params = [
            ("method", "alipay.system.oauth.token"),
            ("app_id", "2021"),
            ("sign", "x"),
            ("code", "c 1&2"),
            ("app_auth_token", ""),
        ];
        assert_eq!(
            content(&params),
            "app_id=2021&code=c 1&2&method=alipay.system.oauth.token"
        );
    }

    #[test]
    fn keys_that_are_not_keys_are_refused() {
        for text in ["", "not base64!", "AAAA"] {
            assert!(Signer::from_base64(text).is_none(), "{text}");
        }
        assert!(Verifier::from_base64("not base64!").is_none());
    }
}
