//! Unit tests of the codec: the public vectors of both versions byte for byte, exact lengths,
//! tokens of every length, and data that is not UTF-8.

use super::*;
use crate::key::Key;

const VECTOR_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
const VECTOR: &str = "AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlFQggV9mH8f7H9KT2083V2";
const VECTOR_MY_APP: &str = "AQBUuiBAQUJDREVGR0hJSktMTU5PUFFSU1RVVlfUOQT7HwURFo_0hjV6l6GSkrqtxBZ_D5rKkF_mraGFN75QqMX5Pyq_hJCCJW-tqdOhEF_HCerbvozNdYlOFWEUepidOXCVEsl2_6Ae";
const VECTOR_V2: &str = "AgBUuiDAwcLDAAAAB0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11ifY0ShkC9PfseS5l_QrmgBg";
const VECTOR_V2_MY_APP: &str = "AgBUuiDAwcLDAAAAB0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11icez5En_SiGBTrSI6JBBmVs";
const VECTOR_V2_GEN1: &str = "AgBUuiDAwcLDAAAAAUBBQkNERUZHSElKS0xNTk9QUVJTVFVWV9Q5BPsfBREWj_SGNXqXoZKSuq3EFn8PmsqQX-atoYU3vlCoxfk_Kr-EkIIlb62p06EQX8cJ6tu-jM11iTPv9hihXDFCc7uUXJhklFs";
const NONCE: [u8; 24] = [
    0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f,
    0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57,
];
const NOW: u64 = 1_700_000_000_001;

fn vector_codec() -> Codec {
    Codec::new(Keys::single(Key::from_base64(VECTOR_KEY).unwrap()))
}

fn vector_envelope(generation: u32) -> Envelope {
    Envelope {
        created_ms: 1_700_000_000_000,
        expires_ms: 1_700_086_400_000,
        max_age_ms: 86_400_000,
        sid: SessionId(std::array::from_fn(|i| 0xa0 + i as u8)),
        line: Line([0xc0, 0xc1, 0xc2, 0xc3]),
        generation,
    }
}

fn vector_data() -> Data {
    Data::from_json(r#"{"views":{"/foo":1}}"#).unwrap()
}

#[test]
fn seals_the_public_vectors_of_both_versions_byte_for_byte() {
    let codec = vector_codec();
    let seal = |codec: &Codec, version, generation| {
        codec
            .seal_with_nonce(
                version,
                &vector_envelope(generation),
                &vector_data(),
                &NONCE,
            )
            .unwrap()
    };
    assert_eq!(seal(&codec, TokenVersion::V1, 7), VECTOR);
    assert_eq!(VECTOR.len(), 140);
    assert_eq!(seal(&codec, TokenVersion::V2, 7), VECTOR_V2);
    assert_eq!(VECTOR_V2.len(), 151);
    assert_eq!(seal(&codec, TokenVersion::V2, 1), VECTOR_V2_GEN1);
    let my_app = codec.with_context("my-app");
    assert_eq!(seal(&my_app, TokenVersion::V1, 7), VECTOR_MY_APP);
    assert_eq!(seal(&my_app, TokenVersion::V2, 7), VECTOR_V2_MY_APP);
}

#[test]
fn opens_the_public_vectors_with_their_line_and_generation() {
    // Exercise: the public vectors of both versions. Expectation: version 2 gives its clear
    // line and generation; version 1 gives generation 0 and the line of its bytes 5 to 8 (the
    // nonce's first four bytes, 0x40..=0x43).
    let codec = vector_codec();
    let v2 = codec.open(VECTOR_V2.as_bytes(), NOW).unwrap();
    assert_eq!(v2.version, TokenVersion::V2);
    assert_eq!(v2.envelope, vector_envelope(7));
    assert_eq!(v2.data, vector_data());
    let v1 = codec.open(VECTOR.as_bytes(), NOW).unwrap();
    assert_eq!(v1.version, TokenVersion::V1);
    assert_eq!(
        v1.envelope,
        Envelope {
            line: Line([0x40, 0x41, 0x42, 0x43]),
            generation: 0,
            ..vector_envelope(0)
        }
    );
    assert_eq!(
        codec
            .open(VECTOR_V2_GEN1.as_bytes(), NOW)
            .unwrap()
            .envelope
            .generation,
        1
    );
}

#[test]
fn the_seal_version_is_a_setting_and_both_versions_open() {
    let v1 = vector_codec().with_seal_version(TokenVersion::V1);
    let v2 = vector_codec();
    assert_eq!(v1.seal_version(), TokenVersion::V1);
    assert_eq!(v2.seal_version(), TokenVersion::V2);
    let from_v1 = v1.seal(&vector_envelope(3), &vector_data()).unwrap();
    let from_v2 = v2.seal(&vector_envelope(3), &vector_data()).unwrap();
    assert!(from_v1.starts_with("AQ") && from_v2.starts_with("Ag"));
    assert_eq!(from_v2.len(), from_v1.len() + 11);
    for codec in [&v1, &v2] {
        assert_eq!(
            codec
                .open(from_v1.as_bytes(), NOW)
                .unwrap()
                .envelope
                .generation,
            0
        );
        assert_eq!(
            codec.open(from_v2.as_bytes(), NOW).unwrap().envelope,
            vector_envelope(3)
        );
    }
}

#[test]
fn debug_shows_the_settings_and_the_shape_never_the_data() {
    let codec = vector_codec().with_context("my-app");
    assert_eq!(
        format!("{codec:?}"),
        "Codec { keys: [Key { id: KeyId(0054ba20), .. }], context_len: 6, max_len: 4096, \
         absolute_ms: Some(2592000000), skew_ms: 60000, seal_version: V2, .. }"
    );
    let envelope = vector_envelope(7);
    assert_eq!(
        format!("{:?} {:?}", envelope.sid, envelope.line),
        "SessionId(a0a1a2a3a4a5a6a7a8a9aaabacadaeaf) Line(c0c1c2c3)"
    );
    let opened = codec.open(VECTOR_V2_MY_APP.as_bytes(), NOW).unwrap();
    let text = format!("{opened:?}");
    assert!(
        text.starts_with("Opened { envelope: Envelope { created_ms: 1700000000000,")
            && text.ends_with(
                "data: <1 entries>, key_index: 0, key_id: KeyId(0054ba20), sealing_index: 0, version: V2 }"
            ),
        "{text}"
    );
}

#[test]
fn token_len_is_exact_for_both_versions() {
    for version in [TokenVersion::V1, TokenVersion::V2] {
        let codec = vector_codec().with_seal_version(version);
        for n in 0..200 {
            let mut data = Data::new();
            data.insert("k", &"x".repeat(n)).unwrap();
            let json_len = data.json_len();
            assert_eq!(json_len, n + 8);
            let token = codec.seal(&vector_envelope(1), &data).unwrap();
            assert_eq!(token.len(), Codec::token_len_of(version, json_len));
        }
    }
    assert_eq!(
        Codec::token_len(2),
        Codec::token_len_of(TokenVersion::V2, 2)
    );
}

#[test]
fn tokens_of_every_length_open_and_a_changed_character_is_refused() {
    // Exercise: tokens of each length modulo 3 (each way base64url ends), small and large, up
    // to near the default cap. Expectation: each opens to its data (the JSON text kept from
    // the decoded buffer); one changed character in each is refused.
    let codec = vector_codec();
    for n in [0, 1, 2, 3, 100, 1000, 1001, 1002, 2900] {
        let mut data = Data::new();
        data.insert("k", &"x".repeat(n)).unwrap();
        let token = codec.seal(&vector_envelope(1), &data).unwrap();
        let opened = codec.open(token.as_bytes(), NOW).unwrap();
        assert_eq!(opened.data, data, "n {n}");
        let mut bad = token.into_bytes();
        let mid = bad.len() / 2;
        bad[mid] = if bad[mid] == b'A' { b'B' } else { b'A' };
        assert!(codec.open(&bad, NOW).is_err(), "n {n}");
    }
}

#[test]
fn a_long_context_is_bound_like_a_short_one() {
    // Exercise: a context longer than the stack buffer for the additional data.
    // Expectation: it opens under the same context only.
    let long = "c".repeat(STACK_AAD_LEN * 2);
    let codec = vector_codec().with_context(&long);
    let token = codec.seal(&vector_envelope(1), &vector_data()).unwrap();
    assert!(codec.open(token.as_bytes(), NOW).is_ok());
    let other = vector_codec().with_context(&"c".repeat(STACK_AAD_LEN * 2 - 1));
    assert_eq!(
        other.open(token.as_bytes(), NOW).unwrap_err(),
        Refusal::Forged
    );
}

/// A version 2 token whose data is `json` as given, valid or not.
fn seal_raw(codec: &Codec, json: &[u8]) -> String {
    let keys = codec.keys();
    let key = keys.first();
    let nonce = [9u8; NONCE_LEN];
    let mut buf = vec![2];
    buf.extend_from_slice(&key.id().0);
    buf.extend_from_slice(&[1, 2, 3, 4, 0, 0, 0, 1]);
    let head = buf.clone();
    buf.extend_from_slice(&nonce);
    vector_envelope(1).write(&mut buf);
    buf.extend_from_slice(json);
    let tag = aead::seal_in_place(key.bytes(), &nonce, &head, &mut buf[37..]);
    buf.extend_from_slice(&tag);
    URL_SAFE_NO_PAD.encode_to_string(&buf)
}

#[test]
fn data_that_is_not_utf8_is_refused() {
    // Exercise: authentic tokens whose JSON has invalid UTF-8 in a value, in a key, or
    // after the object. Expectation: each is refused as bad data; valid UTF-8 opens.
    let codec = vector_codec();
    for json in [&b"{\"a\":\"\xff\"}"[..], b"{\"\xc3\":1}", b"{\"a\":1}\xff"] {
        let token = seal_raw(&codec, json);
        assert_eq!(
            codec.open(token.as_bytes(), NOW).unwrap_err(),
            Refusal::BadData
        );
    }
    let token = seal_raw(&codec, "{\"a\":\"\u{e9}\"}".as_bytes());
    let opened = codec.open(token.as_bytes(), NOW).unwrap();
    assert_eq!(
        opened.data.get::<String>("a").unwrap().as_deref(),
        Some("\u{e9}")
    );
}

#[test]
fn data_budget_is_the_largest_that_fits() {
    for cap in [0, 100, 126, 127, 128, 4096, 4097, 4098, 4099] {
        match Codec::data_budget(cap) {
            None => assert!(Codec::token_len(2) > cap, "cap {cap}"),
            Some(n) => {
                assert!(Codec::token_len(n) <= cap, "cap {cap}");
                assert!(Codec::token_len(n + 1) > cap, "cap {cap}");
            }
        }
    }
}

/// A list whose new key (first) seals from `AT`, the old one (second) before.
fn rotating_codec() -> (Codec, KeyId, KeyId) {
    let (old, new) = (Key::from_bytes([1; 32]), Key::from_bytes([2; 32]));
    let ids = (old.id(), new.id());
    let keys = Keys::timed([(new, Some(AT)), (old, None)]).unwrap();
    (Codec::new(keys), ids.0, ids.1)
}

const AT: u64 = NOW + 60_000;

fn kid_of(token: &str) -> KeyId {
    let head = URL_SAFE_NO_PAD.decode_to_vec(&token[..8]).unwrap();
    KeyId(head[1..5].try_into().unwrap())
}

#[test]
fn a_timed_key_seals_from_its_millisecond_and_both_open_at_any_time() {
    // Exercise: seal one millisecond before the new key's time, at it, and after it.
    // Expectation: the old key, then the new one; either token opens before and after the
    // time, and says which key seals at the time it is opened.
    let (codec, old, new) = rotating_codec();
    let seal = |now| {
        let token = codec
            .seal_at(&vector_envelope(1), &vector_data(), now)
            .unwrap();
        (kid_of(&token), token)
    };
    let (before, early) = seal(AT - 1);
    let (at, late) = seal(AT);
    assert_eq!((before, at, seal(AT + 1).0), (old, new, new));
    for now in [AT - 1, AT] {
        let sealing = usize::from(now < AT);
        for (token, index) in [(&early, 1), (&late, 0)] {
            let opened = codec.open(token.as_bytes(), now).unwrap();
            assert_eq!((opened.key_index, opened.sealing_index), (index, sealing));
        }
    }
}

#[test]
fn a_reseal_keeps_a_newer_key_and_leaves_an_older_one() {
    // Exercise: re-seal a token that came with the new key before its time here (a peer whose
    // clock is ahead), and one that came with the old key after the time.
    // Expectation: the new key is kept (never back to the old one); the old one is left.
    let (codec, old, new) = rotating_codec();
    let reseal = |now, opened_with| {
        let token = codec
            .seal_keeping(&vector_envelope(2), &vector_data(), now, opened_with)
            .unwrap();
        kid_of(&token)
    };
    assert_eq!(reseal(AT - 1, Some(new)), new);
    assert_eq!(reseal(AT - 1, Some(old)), old);
    assert_eq!(reseal(AT - 1, None), old);
    assert_eq!(reseal(AT, Some(old)), new);
    assert_eq!(reseal(AT, None), new);
    // A key no longer listed is no preference.
    assert_eq!(reseal(AT - 1, Some(KeyId([7; 4]))), old);
}
