//! XChaCha20-Poly1305, the only AEAD of the crate, in one place.
//!
//! XChaCha20-Poly1305 is ChaCha20-Poly1305 (RFC 8439) keyed with
//! `HChaCha20(key, nonce[0..16])` and run with the 12-byte nonce `0x00000000 || nonce[16..24]`
//! (draft-irtf-cfrg-xchacha-03, section 2.3; libsodium builds it the same way). We take
//! HChaCha20 from RustCrypto's `chacha20` and the ChaCha20-Poly1305 from `ring`, whose
//! Poly1305 is several times faster than the portable one in a default (non `target-cpu=native`)
//! build. The output is byte for byte that of any XChaCha20-Poly1305: the tests check it against
//! the draft's vector and against RustCrypto's `XChaCha20Poly1305`.

use chacha20::{
    cipher::{consts::U10, generic_array::GenericArray},
    hchacha,
};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use zeroize::Zeroize;

use crate::key::KEY_LEN;

/// Length of an XChaCha20-Poly1305 nonce.
pub(crate) const NONCE_LEN: usize = 24;
/// Length of a Poly1305 tag.
pub(crate) const TAG_LEN: usize = 16;

const _: () = assert!(ring::aead::NONCE_LEN == 12 && TAG_LEN == 16);

/// The ChaCha20-Poly1305 key and nonce for one XChaCha20 nonce.
fn subkey(key: &[u8; KEY_LEN], nonce: &[u8; NONCE_LEN]) -> (LessSafeKey, Nonce) {
    // HChaCha20 takes 10 double rounds for ChaCha20.
    let mut sub = hchacha::<U10>(
        GenericArray::from_slice(key),
        GenericArray::from_slice(&nonce[..16]),
    );
    let unbound = UnboundKey::new(&CHACHA20_POLY1305, &sub)
        .expect("a 32-byte key is the length ChaCha20-Poly1305 takes");
    sub.as_mut_slice().zeroize();
    let mut short = [0u8; 12];
    short[4..].copy_from_slice(&nonce[16..]);
    (
        LessSafeKey::new(unbound),
        Nonce::assume_unique_for_key(short),
    )
}

/// Encrypts `in_out` in place and returns the tag.
pub(crate) fn seal_in_place(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    in_out: &mut [u8],
) -> [u8; TAG_LEN] {
    let (key, nonce) = subkey(key, nonce);
    let tag = key
        .seal_in_place_separate_tag(nonce, Aad::from(aad), in_out)
        .expect("session tokens are far below ChaCha20-Poly1305's 256 GiB message limit");
    let mut out = [0u8; TAG_LEN];
    out.copy_from_slice(tag.as_ref());
    out
}

/// Verifies and decrypts `in_out` (ciphertext then tag) in place; returns the plaintext's
/// length, or `None` if the tag does not verify.
pub(crate) fn open_in_place(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    aad: &[u8],
    in_out: &mut [u8],
) -> Option<usize> {
    let (key, nonce) = subkey(key, nonce);
    key.open_in_place(nonce, Aad::from(aad), in_out)
        .ok()
        .map(|plain| plain.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// draft-irtf-cfrg-xchacha-03, appendix A.3.1.
    #[test]
    fn matches_the_xchacha_draft_vector() {
        let plaintext = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
        let aad = hex("50515253c0c1c2c3c4c5c6c7");
        let key: [u8; 32] = hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
            .try_into()
            .unwrap();
        let nonce: [u8; 24] = hex("404142434445464748494a4b4c4d4e4f5051525354555657")
            .try_into()
            .unwrap();
        let expected = hex(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb
             731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452
             2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
             21f9664c97637da9768812f615c68b13b52e",
        );
        let tag = hex("c0875924c1c7987947deafd8780acf49");
        let mut buf = plaintext.to_vec();
        let got_tag = seal_in_place(&key, &nonce, &aad, &mut buf);
        assert_eq!(buf, expected);
        assert_eq!(got_tag.as_slice(), tag.as_slice());

        buf.extend_from_slice(&got_tag);
        let n = open_in_place(&key, &nonce, &aad, &mut buf).unwrap();
        assert_eq!(&buf[..n], plaintext);
    }

    #[test]
    fn any_flipped_bit_fails() {
        let key = [1u8; 32];
        let nonce = [2u8; 24];
        let mut sealed = b"hello".to_vec();
        let tag = seal_in_place(&key, &nonce, b"a", &mut sealed);
        sealed.extend_from_slice(&tag);
        for i in 0..sealed.len() {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert_eq!(open_in_place(&key, &nonce, b"a", &mut bad), None);
        }
        assert_eq!(open_in_place(&key, &nonce, b"b", &mut sealed.clone()), None);
        let mut other_nonce = nonce;
        other_nonce[23] ^= 1;
        assert_eq!(open_in_place(&key, &other_nonce, b"a", &mut sealed), None);
    }
}
