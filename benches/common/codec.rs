//! The codec contestants: ours, the floor built from the fastest well-kept parts, and the peers.
//! Every function does a whole seal and open (or encode and decode) of one session and returns
//! what it opened, so that nothing can be optimized away.

use base64_simd::URL_SAFE_NO_PAD;
use chacha20::{
    cipher::{consts::U10, generic_array::GenericArray},
    hchacha,
};
use chacha20poly1305::{AeadInPlace, KeyInit, XChaCha20Poly1305, XNonce};
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, Nonce, UnboundKey};
use sealed_session::{
    Key,
    token::{Codec, Data, Envelope, Line, SessionId},
};
use serde_json::{Map, Value};

use super::{KEY, PAYLOAD};

/// A fixed request time, so that every token is valid.
pub const NOW_MS: u64 = 1_700_000_000_000;
const DAY_MS: u64 = 86_400_000;
/// The 13-byte head (version, kid, line, generation), the 37 clear bytes with the nonce, and
/// the 40-byte envelope of a version 2 token.
const HEAD_LEN: usize = 13;
const PREFIX_LEN: usize = 37;
const ENVELOPE_LEN: usize = 40;
const TAG_LEN: usize = 16;

fn envelope() -> Envelope {
    Envelope {
        created_ms: NOW_MS,
        expires_ms: NOW_MS + DAY_MS,
        max_age_ms: DAY_MS,
        sid: SessionId([7; 16]),
        line: Line([7; 4]),
        generation: 1,
    }
}

/// Our codec, as the layer uses it.
pub struct Ours {
    codec: Codec,
    envelope: Envelope,
}

impl Ours {
    pub fn new() -> Self {
        Self {
            codec: Codec::new(super::our_keys()),
            envelope: envelope(),
        }
    }

    /// The session's data as the layer holds it: each value raw JSON text, parsed on read.
    pub fn data(map: &Map<String, Value>) -> Data {
        Data::from_map(map).expect("the payload fits")
    }

    pub fn seal(&self, data: &Data) -> String {
        self.codec.seal(&self.envelope, data).expect("seals")
    }

    pub fn open(&self, token: &str) -> Data {
        self.codec
            .open(token.as_bytes(), NOW_MS)
            .expect("opens")
            .data
    }

    pub fn seal_open(&self, data: &Data) -> Data {
        self.open(&self.seal(data))
    }
}

/// The floor: the same work by the shortest path with the fastest well-kept parts, in one
/// function, so it is one figure. A 24-byte nonce from the OS (the format asks for one per seal;
/// `OS_NONCE = false` takes a fixed one, to show that part alone), XChaCha20-Poly1305 seal and
/// open, base64url encode and decode (`base64-simd`), serde_json to and from bytes of the same
/// map; no key lookup, no expiry check, no error types.
pub struct Floor {
    key: [u8; 32],
    /// `version || kid || line || generation` of a version 2 token, the additional data with
    /// an empty context.
    aad: [u8; HEAD_LEN],
    envelope: [u8; ENVELOPE_LEN],
    rustcrypto: XChaCha20Poly1305,
}

impl Floor {
    pub fn new() -> Self {
        let kid = Key::from_bytes(KEY).id().0;
        let e = envelope();
        let mut env = [0u8; ENVELOPE_LEN];
        env[..8].copy_from_slice(&e.created_ms.to_be_bytes());
        env[8..16].copy_from_slice(&e.expires_ms.to_be_bytes());
        env[16..24].copy_from_slice(&e.max_age_ms.to_be_bytes());
        env[24..].copy_from_slice(&e.sid.0);
        Self {
            key: KEY,
            aad: [2, kid[0], kid[1], kid[2], kid[3], 7, 7, 7, 7, 0, 0, 0, 1],
            envelope: env,
            rustcrypto: XChaCha20Poly1305::new(&KEY.into()),
        }
    }

    /// The plaintext buffer with its clear prefix: `head || nonce || envelope || json`.
    fn plaintext<const OS_NONCE: bool>(&self, data: &Map<String, Value>) -> Vec<u8> {
        let mut buf = Vec::with_capacity(PREFIX_LEN + ENVELOPE_LEN + 256);
        buf.extend_from_slice(&self.aad);
        let mut nonce = [0x55u8; 24];
        if OS_NONCE {
            getrandom::fill(&mut nonce).expect("OS random");
        }
        buf.extend_from_slice(&nonce);
        buf.extend_from_slice(&self.envelope);
        serde_json::to_writer(&mut buf, data).expect("serializes");
        buf
    }

    /// HChaCha20 (RustCrypto `chacha20`) + `ring` ChaCha20-Poly1305, as in `src/aead.rs`.
    pub fn ring<const OS_NONCE: bool>(&self, data: &Map<String, Value>) -> Map<String, Value> {
        let mut buf = self.plaintext::<OS_NONCE>(data);
        let nonce: [u8; 24] = buf[HEAD_LEN..PREFIX_LEN].try_into().expect("24 bytes");
        let tag = ring_key(&self.key, &nonce)
            .seal_in_place_separate_tag(
                ring_nonce(&nonce),
                Aad::from(&self.aad),
                &mut buf[PREFIX_LEN..],
            )
            .expect("seals");
        buf.extend_from_slice(tag.as_ref());
        let token = URL_SAFE_NO_PAD.encode_to_string(&buf);

        let mut raw = URL_SAFE_NO_PAD.decode_to_vec(token).expect("decodes");
        let nonce: [u8; 24] = raw[HEAD_LEN..PREFIX_LEN].try_into().expect("24 bytes");
        let plain = ring_key(&self.key, &nonce)
            .open_in_place(
                ring_nonce(&nonce),
                Aad::from(&self.aad),
                &mut raw[PREFIX_LEN..],
            )
            .expect("opens");
        parse(&plain[ENVELOPE_LEN..])
    }

    /// The floor of a lazy session (what ours does since values are parsed on read): the JSON
    /// text is written as it is (no serialization) and opening checks that it is one object,
    /// borrowing each key and value from the decrypted bytes (no allocation per value).
    pub fn ring_lazy(&self, json: &str) -> usize {
        let mut buf = Vec::with_capacity(PREFIX_LEN + ENVELOPE_LEN + json.len() + TAG_LEN);
        buf.extend_from_slice(&self.aad);
        let mut nonce = [0u8; 24];
        getrandom::fill(&mut nonce).expect("OS random");
        buf.extend_from_slice(&nonce);
        buf.extend_from_slice(&self.envelope);
        buf.extend_from_slice(json.as_bytes());
        let tag = ring_key(&self.key, &nonce)
            .seal_in_place_separate_tag(
                ring_nonce(&nonce),
                Aad::from(&self.aad),
                &mut buf[PREFIX_LEN..],
            )
            .expect("seals");
        buf.extend_from_slice(tag.as_ref());
        let token = URL_SAFE_NO_PAD.encode_to_string(&buf);

        let mut raw = URL_SAFE_NO_PAD.decode_to_vec(token).expect("decodes");
        let nonce: [u8; 24] = raw[HEAD_LEN..PREFIX_LEN].try_into().expect("24 bytes");
        let plain = ring_key(&self.key, &nonce)
            .open_in_place(
                ring_nonce(&nonce),
                Aad::from(&self.aad),
                &mut raw[PREFIX_LEN..],
            )
            .expect("opens");
        let text = std::str::from_utf8(&plain[ENVELOPE_LEN..]).expect("UTF-8");
        let object: std::collections::BTreeMap<&str, &serde_json::value::RawValue> =
            serde_json::from_str(text).expect("one object");
        object.len()
    }

    /// The same with RustCrypto's `XChaCha20Poly1305` (cipher built once), for context.
    pub fn rustcrypto(&self, data: &Map<String, Value>) -> Map<String, Value> {
        let mut buf = self.plaintext::<true>(data);
        let nonce = *XNonce::from_slice(&buf[HEAD_LEN..PREFIX_LEN]);
        let tag = self
            .rustcrypto
            .encrypt_in_place_detached(&nonce, &self.aad, &mut buf[PREFIX_LEN..])
            .expect("seals");
        buf.extend_from_slice(&tag);
        let token = URL_SAFE_NO_PAD.encode_to_string(&buf);

        let mut raw = URL_SAFE_NO_PAD.decode_to_vec(token).expect("decodes");
        let nonce = *XNonce::from_slice(&raw[HEAD_LEN..PREFIX_LEN]);
        let sealed_len = raw.len() - PREFIX_LEN - TAG_LEN;
        let (sealed, tag) = raw[PREFIX_LEN..].split_at_mut(sealed_len);
        self.rustcrypto
            .decrypt_in_place_detached(&nonce, &self.aad, sealed, (&*tag).into())
            .expect("opens");
        parse(&sealed[ENVELOPE_LEN..])
    }
}

/// serde_json's fastest way to a map from bytes: one UTF-8 check, then a `str` parse.
fn parse(json: &[u8]) -> Map<String, Value> {
    serde_json::from_str(std::str::from_utf8(json).expect("UTF-8")).expect("parses")
}

pub fn ring_key(key: &[u8; 32], nonce: &[u8; 24]) -> LessSafeKey {
    let sub = hchacha::<U10>(
        GenericArray::from_slice(key),
        GenericArray::from_slice(&nonce[..16]),
    );
    LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &sub).expect("32 bytes"))
}

pub fn ring_nonce(nonce: &[u8; 24]) -> Nonce {
    let mut short = [0u8; 12];
    short[4..].copy_from_slice(&nonce[16..]);
    Nonce::assume_unique_for_key(short)
}

/// The `cookie` crate's private jar (AES-256-GCM), what axum-extra's `PrivateCookieJar` runs.
pub struct Jar {
    key: cookie::Key,
}

impl Jar {
    pub fn new() -> Self {
        Self {
            key: cookie::Key::generate(),
        }
    }

    /// `add` then `get` of the payload string as it is: no serialization.
    pub fn raw(&self) -> usize {
        let mut jar = cookie::CookieJar::new();
        jar.private_mut(&self.key)
            .add(cookie::Cookie::new("session", PAYLOAD));
        let got = jar.private(&self.key).get("session").expect("opens");
        got.value().len()
    }

    /// The same session as ours: serde_json to a string, `add`, `get`, serde_json back.
    pub fn json(&self, data: &Map<String, Value>) -> Map<String, Value> {
        let value = serde_json::to_string(data).expect("serializes");
        let mut jar = cookie::CookieJar::new();
        jar.private_mut(&self.key)
            .add(cookie::Cookie::new("session", value));
        let got = jar.private(&self.key).get("session").expect("opens");
        serde_json::from_str(got.value()).expect("parses")
    }
}

/// The `branca` crate (XChaCha20-Poly1305 from `orion`, base62).
pub struct Branca {
    branca: branca::Branca,
}

impl Branca {
    pub fn new() -> Self {
        Self {
            branca: branca::Branca::new(&KEY).expect("32-byte key"),
        }
    }

    /// `encode` then `decode` of the payload bytes as they are.
    pub fn raw(&mut self) -> usize {
        let token = self.branca.encode(PAYLOAD.as_bytes()).expect("encodes");
        self.branca.decode(&token, 0).expect("decodes").len()
    }

    /// The same session as ours: serde_json to bytes, `encode`, `decode`, serde_json back.
    pub fn json(&mut self, data: &Map<String, Value>) -> Map<String, Value> {
        let bytes = serde_json::to_vec(data).expect("serializes");
        let token = self.branca.encode(&bytes).expect("encodes");
        let plain = self.branca.decode(&token, 0).expect("decodes");
        serde_json::from_slice(&plain).expect("parses")
    }
}
