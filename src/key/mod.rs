//! Keys and the key rotation list.
//!
//! A [`Key`] is 32 random bytes. A [`Keys`] list is a rotation array: **every** key opens
//! tokens and one seals them, the first (or, when keys carry a time from which they seal, the
//! first whose time has passed). Each key is known in tokens by a public 4-byte [`KeyId`], so
//! opening never has to try keys one after another. With the feature `key-file`, a list is read
//! from a file ([`KeyFileError`] says why one is refused) and a [`KeySource`] reloads it while
//! the server runs.
//!
//! Key bytes are wiped from memory when a `Key` is dropped, and neither `Debug` nor any error
//! message ever prints them.

use std::fmt;

use base64::{
    Engine as _, alphabet,
    engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig},
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::error::{KeyError, KeyHint, RandomError};

#[cfg(feature = "key-file")]
pub mod file;
mod list;
mod session_keys;
#[cfg(feature = "key-file")]
mod source;

pub use list::{KeyState, Keys};
pub use session_keys::SessionKeys;
#[cfg(feature = "key-file")]
pub use source::{KeySource, Reload};

/// Length of a key in bytes.
pub const KEY_LEN: usize = 32;

/// Length of a key id in bytes.
pub(crate) const KID_LEN: usize = 4;

const KID_DOMAIN: &[u8] = b"sealed-session:kid:v1";

const LENIENT: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_encode_padding(false)
    .with_decode_padding_mode(DecodePaddingMode::Indifferent);
const URL_SAFE_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, LENIENT);
const STANDARD_LENIENT: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, LENIENT);

/// The public 4-byte id of a key: the first four bytes of
/// `SHA-256("sealed-session:kid:v1" || key)`. It is written in clear in every token.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; KID_LEN]);

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_hex(f, &self.0)
    }
}

/// Writes bytes as lower-case hex: how public ids (key ids, session ids) are printed.
pub(crate) fn write_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8]) -> fmt::Result {
    bytes.iter().try_for_each(|b| write!(f, "{b:02x}"))
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// A 32-byte secret key.
///
/// Its bytes are zeroized on drop, compared in constant time, and never printed: `Debug` shows
/// only the public [`KeyId`].
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Key {
    bytes: [u8; KEY_LEN],
    #[zeroize(skip)]
    id: KeyId,
}

/// What a refused key looks like, so the error can say how to give it instead. Looks only at
/// the shape (length, which characters), never prints the text.
fn hint_for(text: &str) -> KeyHint {
    let quotes = |c: char| c == '"' || c == '\'';
    if text.starts_with(quotes) || text.ends_with(quotes) {
        KeyHint::Quoted
    } else if text.len() == 2 * KEY_LEN && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        KeyHint::Hex
    } else {
        KeyHint::None
    }
}

impl Key {
    /// A new random key from the operating system's CSPRNG.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails. For a non-panicking version,
    /// use [`Key::try_generate`].
    #[must_use]
    pub fn generate() -> Self {
        Self::try_generate().expect("the operating system's random number generator failed")
    }

    /// A new random key from the operating system's CSPRNG.
    ///
    /// # Errors
    ///
    /// [`RandomError`] if the operating system's random number generator fails.
    pub fn try_generate() -> Result<Self, RandomError> {
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        RandomError::fill(bytes.as_mut())?;
        Ok(Self::from_bytes(*bytes))
    }

    /// A key from its 32 bytes.
    #[must_use]
    pub fn from_bytes(mut bytes: [u8; KEY_LEN]) -> Self {
        let key = Self {
            bytes,
            id: kid_of(&bytes),
        };
        bytes.zeroize();
        key
    }

    /// A key from base64: standard or URL-safe alphabet, padding optional (43 or 44 characters).
    ///
    /// # Errors
    ///
    /// [`KeyError::BadBase64`] or [`KeyError::BadLength`] (with `index` 0).
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        Self::parse_at(text, 0, 1)
    }

    /// Key `index` of a list of `count`.
    pub(crate) fn parse_at(text: &str, index: usize, count: usize) -> Result<Self, KeyError> {
        let text = text.trim();
        let hint = hint_for(text);
        let bad_length = |got| KeyError::BadLength {
            index,
            count,
            got,
            hint,
        };
        // A 32-byte key is 43 or 44 characters; anything much longer is not worth decoding.
        if text.len() > 4 * KEY_LEN {
            return Err(bad_length(text.len() / 4 * 3));
        }
        let decoded = Zeroizing::new(
            URL_SAFE_LENIENT
                .decode(text)
                .or_else(|_| STANDARD_LENIENT.decode(text))
                .map_err(|_| KeyError::BadBase64 { index, count, hint })?,
        );
        let bytes: [u8; KEY_LEN] = decoded
            .as_slice()
            .try_into()
            .map_err(|_| bad_length(decoded.len()))?;
        Ok(Self::from_bytes(bytes))
    }

    /// The key in URL-safe base64 without padding (43 characters), for writing into
    /// configuration. The returned string is zeroized when dropped.
    #[must_use]
    pub fn to_base64(&self) -> Zeroizing<String> {
        Zeroizing::new(URL_SAFE_LENIENT.encode(self.bytes))
    }

    /// The key's public id.
    #[must_use]
    pub fn id(&self) -> KeyId {
        self.id
    }

    pub(crate) fn bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }
}

fn kid_of(bytes: &[u8; KEY_LEN]) -> KeyId {
    let digest = Sha256::new()
        .chain_update(KID_DOMAIN)
        .chain_update(bytes)
        .finalize();
    let mut kid = [0u8; KID_LEN];
    kid.copy_from_slice(&digest[..KID_LEN]);
    KeyId(kid)
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Self) -> bool {
        self.bytes.ct_eq(&other.bytes).into()
    }
}

impl Eq for Key {}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";

    #[test]
    fn kid_matches_the_public_vector() {
        let key = Key::from_base64(VECTOR_KEY).unwrap();
        assert_eq!(key.id().to_string(), "0054ba20");
        let expected: [u8; 32] = std::array::from_fn(|i| i as u8);
        assert_eq!(key.bytes(), &expected);
    }

    #[test]
    fn both_alphabets_and_padding_are_accepted() {
        let bytes: [u8; 32] = std::array::from_fn(|i| 250 - i as u8); // has '+', '/' or '-', '_'
        let key = Key::from_bytes(bytes);
        let url = key.to_base64();
        assert_eq!(url.len(), 43);
        let standard = url.replace('-', "+").replace('_', "/");
        assert_ne!(
            *url, standard,
            "test key must use the alphabet-specific characters"
        );
        for text in [
            url.to_string(),
            format!("{}=", *url),
            standard.clone(),
            format!("{standard}="),
        ] {
            assert_eq!(Key::from_base64(&text).unwrap(), key, "{text}");
        }
    }

    #[test]
    fn debug_does_not_leak_key() {
        let key = Key::from_base64(VECTOR_KEY).unwrap();
        assert_eq!(format!("{key:?}"), "Key { id: KeyId(0054ba20), .. }");
        let keys = Keys::single(key);
        assert_eq!(format!("{keys:?}"), "[Key { id: KeyId(0054ba20), .. }]");
    }

    #[test]
    fn errors_say_what_to_fix() {
        assert_eq!(Keys::parse(""), Err(KeyError::Empty));
        assert_eq!(Keys::parse(" , "), Err(KeyError::Empty));
        let short = KeyError::BadLength {
            index: 1,
            count: 2,
            got: 3,
            hint: KeyHint::None,
        };
        assert_eq!(
            Keys::parse(&format!("{VECTOR_KEY},AAAA")),
            Err(short.clone())
        );
        assert_eq!(
            Keys::parse("not base64!"),
            Err(KeyError::BadBase64 {
                index: 0,
                count: 1,
                hint: KeyHint::None
            })
        );
        assert_eq!(
            Keys::parse(&format!("{VECTOR_KEY}, {VECTOR_KEY}")),
            Err(KeyError::DuplicateKid {
                kid: "0054ba20".into()
            })
        );
        let long = "A".repeat(10_000);
        assert!(matches!(
            Keys::parse(&long),
            Err(KeyError::BadLength { index: 0, .. })
        ));
        let msg = short.to_string();
        assert!(msg.contains("session key 2 of 2"), "{msg}");
        assert!(
            msg.contains("expected 32 bytes (43 or 44 base64 characters), got 3 bytes"),
            "{msg}"
        );
        // Hints that work outside this repository.
        let empty = KeyError::Empty.to_string();
        assert!(empty.contains("openssl rand -base64 32") && empty.contains("Key::generate()"));
        assert!(!empty.contains("cargo run"), "{empty}");
    }

    #[test]
    fn hex_and_quoted_keys_get_a_hint() {
        // Exercise: the key as `openssl rand -hex 32` prints it, and a base64 key in quotes.
        // Expectation: errors that name what the key looks like and how to give it.
        let hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        let err = Keys::parse(&format!("{VECTOR_KEY},{hex}")).unwrap_err();
        assert!(
            matches!(
                err,
                KeyError::BadLength {
                    index: 1,
                    count: 2,
                    got: 48,
                    hint: KeyHint::Hex
                }
            ),
            "{err:?}"
        );
        let text = err.to_string();
        assert!(
            text.contains("looks like hex") && text.contains("openssl rand -base64 32"),
            "{text}"
        );
        let quoted = Keys::parse(&format!("\"{VECTOR_KEY}\"")).unwrap_err();
        assert!(
            matches!(
                quoted,
                KeyError::BadBase64 {
                    hint: KeyHint::Quoted,
                    ..
                }
            ),
            "{quoted:?}"
        );
        assert!(quoted.to_string().contains("remove the quotes"));
        // A quote at one end only is a quote too (the other one lost on the way).
        for half in [format!("\"{VECTOR_KEY}"), format!("{VECTOR_KEY}'")] {
            let err = Keys::parse(&half).unwrap_err();
            assert!(
                matches!(
                    err,
                    KeyError::BadBase64 {
                        hint: KeyHint::Quoted,
                        ..
                    }
                ),
                "{err:?}"
            );
        }
        // The text itself is never in the message.
        assert!(!text.contains(hex) && !quoted.to_string().contains(VECTOR_KEY));
    }

    #[test]
    fn debug_is_what_a_user_should_read_when_main_returns_it() {
        // `fn main() -> Result<(), Box<dyn Error>>` prints `Error: {err:?}`.
        let err: Box<dyn std::error::Error> = Box::new(crate::ConfigError::Key(KeyError::Empty));
        let printed = format!("Error: {err:?}");
        assert_eq!(
            printed,
            format!(
                "Error: the session keys cannot be used\n  caused by: {}\n  (ConfigError::Key)",
                KeyError::Empty
            )
        );
    }

    #[test]
    fn from_env_reads_and_reports_missing() {
        // Each test process has its own environment; these names are used nowhere else.
        assert_eq!(
            Keys::from_env("SEALED_SESSION_TEST_UNSET_VAR"),
            Err(KeyError::MissingEnv {
                name: "SEALED_SESSION_TEST_UNSET_VAR".into()
            })
        );
    }

    #[test]
    fn generated_keys_differ_and_round_trip() {
        let (a, b) = (Key::generate(), Key::generate());
        assert_ne!(a, b);
        assert_eq!(Key::from_base64(&a.to_base64()).unwrap(), a);
        let keys = Keys::new(vec![a.clone(), b.clone()]).unwrap();
        assert_eq!(keys.first(), &a);
        assert_eq!(keys.position(b.id()), Some(1));
    }
}
