//! `encryptedData` decryption (`sealed_session::wechat::OpenDataRules`): WeChat's public demo
//! vector, the project's own vectors for each payload kind and each failure kind, and a property:
//! no input panics.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aes::cipher::{BlockEncryptMut as _, KeyIvInit as _, block_padding::Pkcs7};
use base64::{Engine as _, engine::general_purpose::STANDARD};
use proptest::prelude::*;
use sealed_session::wechat::{
    OpenDataError, OpenDataField, OpenDataJson, OpenDataRules, PhoneNumber, ShareInfo, UserInfo,
    WeRun, WechatSessionKey, decrypt_bytes,
};
use serde_json::json;

/// WeChat's demo vector, published with its official decryption samples (WXBizDataCrypt).
const DEMO_APPID: &str = "wx4f4bc4dec97d474b";
const DEMO_KEY: &str = "tiihtNczf5v6AKRyjwEUhQ==";
const DEMO_IV: &str = "r7BXXKkLb8qrSNn05n0qiA==";
const DEMO_DATA: &str = "CiyLU1Aw2KjvrjMdj8YKliAjtP4gsMZMQmRzooG2xrDcvSnxIMXFufNstNGTyaGS9uT5geRa0W4oTOb1WT7fJlAC+oNPdbB+3hVbJSRgv+4lGOETKUQz6OYStslQ142dNCuabNPGBzlooOmB231qMM85d2/fV6ChevvXvQP8Hkue1poOFtnEtpyxVLW1zAo6/1Xx1COxFvrc2d7UL/lmHInNlxuacJXwu0fjpXfz/YqYzBIBzD6WUfTIF9GRHpOn/Hz7saL8xz+W//FRAUid1OksQaQx4CMs8LOddcQhULW4ucetDf96JcR3g0gfRK4PC7E/r7Z6xNrXd2UIeorGj5Ef7b1pJAYB6Y5anaHqZ9J6nKEBvB4DnNLIVWSgARns/8wR2SiRS7MNACwTyrGvt9ts8p12PKFdlqYTopNHR1Vf7XjfhQlVsAJdNiKdYmYVoKlaRv85IfVunYzO0IKXsyl7JCUjCpoG20f0a04COwfneQAGGwd5oa+T8yO5hzuyDb/XcxxmK01EpqOyuxINew==";
const DEMO_TIMESTAMP: u64 = 1_477_314_187;

/// The project's own key and IV for its vectors.
const KEY: [u8; 16] = *b"sealed-session-k";
const IV: [u8; 16] = *b"iv-for-the-tests";
const APPID: &str = "wx0123456789abcdef";
const T: u64 = 1_700_000_000;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn session_key() -> WechatSessionKey {
    WechatSessionKey::new(STANDARD.encode(KEY))
}

/// Encrypts `plain` as WeChat does (AES-128-CBC, PKCS#7) and base64-encodes it.
fn seal(key: &[u8; 16], iv: &[u8; 16], plain: &[u8]) -> String {
    let enc = cbc::Encryptor::<aes::Aes128>::new(key.into(), iv.into());
    let mut buf = plain.to_vec();
    buf.resize(plain.len() + 16, 0);
    let len = enc
        .encrypt_padded_mut::<Pkcs7>(&mut buf, plain.len())
        .expect("room for the padding")
        .len();
    STANDARD.encode(&buf[..len])
}

fn seal_json(value: &serde_json::Value) -> String {
    seal(&KEY, &IV, value.to_string().as_bytes())
}

fn iv() -> String {
    STANDARD.encode(IV)
}

fn rules() -> OpenDataRules {
    OpenDataRules::new(APPID)
}

fn mark(appid: &str, timestamp: u64) -> serde_json::Value {
    json!({"appid": appid, "timestamp": timestamp})
}

#[test]
fn the_demo_vector_decrypts_to_the_published_user_info() {
    let key = WechatSessionKey::new(DEMO_KEY);
    let rules = OpenDataRules::new(DEMO_APPID);
    let user: UserInfo = rules
        .decrypt_at(&key, DEMO_DATA, DEMO_IV, at(DEMO_TIMESTAMP))
        .expect("the demo vector decrypts");
    assert_eq!(user.open_id, "oGZUI0egBJY1zhBYw2KhdUfwVJJE");
    assert_eq!(user.nick_name.as_deref(), Some("Band"));
    assert_eq!(
        user.union_id.as_deref(),
        Some("ocMvos6NjeKLIBqg5Mr9QjxrP1FA")
    );
    assert_eq!(user.watermark.appid, DEMO_APPID);
    assert_eq!(user.watermark.timestamp, DEMO_TIMESTAMP);

    // The plaintext's padding is 7 bytes: 16 - (plaintext length mod 16) = 7.
    let plain = decrypt_bytes(DEMO_KEY, DEMO_DATA, DEMO_IV).unwrap();
    assert_eq!(STANDARD.decode(DEMO_DATA).unwrap().len() - plain.len(), 7);

    // The same bytes as raw JSON, and without the watermark.
    let raw: OpenDataJson = rules.decrypt(&key, DEMO_DATA, DEMO_IV).unwrap();
    assert_eq!(raw.as_map()["watermark"], mark(DEMO_APPID, DEMO_TIMESTAMP));
    let bare = raw.into_map_without_watermark();
    assert!(!bare.contains_key("watermark"));
    assert_eq!(bare["openId"], "oGZUI0egBJY1zhBYw2KhdUfwVJJE");
}

#[test]
fn the_demo_vector_is_refused_for_another_app_and_when_too_old() {
    let key = WechatSessionKey::new(DEMO_KEY);
    let err = rules()
        .decrypt::<UserInfo>(&key, DEMO_DATA, DEMO_IV)
        .unwrap_err();
    assert_eq!(err, OpenDataError::OtherApp);
    let old = OpenDataRules::new(DEMO_APPID).with_max_age(Duration::from_secs(600));
    assert!(
        old.decrypt_at::<UserInfo>(&key, DEMO_DATA, DEMO_IV, at(DEMO_TIMESTAMP + 600))
            .is_ok()
    );
    assert_eq!(
        old.decrypt_at::<UserInfo>(&key, DEMO_DATA, DEMO_IV, at(DEMO_TIMESTAMP + 601))
            .unwrap_err(),
        OpenDataError::TooOld { age_secs: 601 }
    );
    // Today the demo data is years old.
    assert!(matches!(
        old.decrypt::<UserInfo>(&key, DEMO_DATA, DEMO_IV),
        Err(OpenDataError::TooOld { .. })
    ));
}

#[test]
fn each_payload_kind_decrypts() {
    let key = session_key();
    let share = seal_json(&json!({"openGId": "tG-group-1", "watermark": mark(APPID, T)}));
    let share: ShareInfo = rules().decrypt_at(&key, &share, &iv(), at(T)).unwrap();
    assert_eq!(share.open_g_id, "tG-group-1");

    let steps = seal_json(&json!({
        "stepInfoList": [{"timestamp": 1_699_977_600, "step": 100}, {"timestamp": 1_700_064_000, "step": 8_012}],
        "watermark": mark(APPID, T),
    }));
    let run: WeRun = rules().decrypt_at(&key, &steps, &iv(), at(T)).unwrap();
    assert_eq!(run.step_info_list.len(), 2);
    assert_eq!(run.step_info_list[1].step, 8_012);
    assert_eq!(run.step_info_list[0].timestamp, 1_699_977_600);

    let phone = seal_json(&json!({
        "phoneNumber": "+852 61234567", "purePhoneNumber": "61234567", "countryCode": "852",
        "watermark": mark(APPID, T),
    }));
    let phone: PhoneNumber = rules().decrypt_at(&key, &phone, &iv(), at(T)).unwrap();
    assert_eq!(phone.pure_phone_number, "61234567");
    assert_eq!(phone.country_code, "852");
    assert_eq!(phone.phone_number, "+852 61234567");

    let user = seal_json(&json!({"openId": "o-user", "watermark": mark(APPID, T)}));
    let user: UserInfo = rules().decrypt_at(&key, &user, &iv(), at(T)).unwrap();
    assert_eq!((user.open_id.as_str(), user.union_id), ("o-user", None));

    // Raw JSON: a watermark is checked when there is one, not required otherwise.
    let plain = seal_json(&json!({"anything": [1, 2]}));
    let raw: OpenDataJson = rules().decrypt_at(&key, &plain, &iv(), at(T)).unwrap();
    assert_eq!(raw.as_map()["anything"], json!([1, 2]));
    let foreign = seal_json(&json!({"anything": 1, "watermark": mark("wxother", T)}));
    assert_eq!(
        rules().decrypt_at::<OpenDataJson>(&key, &foreign, &iv(), at(T)),
        Err(OpenDataError::OtherApp)
    );
}

#[test]
fn typed_kinds_require_their_watermark_and_their_shape() {
    let key = session_key();
    let bare = seal_json(&json!({"openGId": "tG"}));
    assert_eq!(
        rules().decrypt_at::<ShareInfo>(&key, &bare, &iv(), at(T)),
        Err(OpenDataError::MissingWatermark)
    );
    let broken = seal_json(&json!({"openGId": "tG", "watermark": {"appid": APPID}}));
    assert_eq!(
        rules().decrypt_at::<ShareInfo>(&key, &broken, &iv(), at(T)),
        Err(OpenDataError::MissingWatermark)
    );
    let share = seal_json(&json!({"openGId": "tG", "watermark": mark(APPID, T)}));
    assert_eq!(
        rules().decrypt_at::<WeRun>(&key, &share, &iv(), at(T)),
        Err(OpenDataError::WrongKind)
    );
    // A timestamp in the future counts as age 0.
    let fresh = rules().with_max_age(Duration::from_secs(1));
    assert!(
        fresh
            .decrypt_at::<ShareInfo>(&key, &share, &iv(), at(T - 3600))
            .is_ok()
    );
}

#[test]
fn each_failure_kind_has_its_own_error() {
    let key = session_key();
    let share = seal_json(&json!({"openGId": "tG", "watermark": mark(APPID, T)}));
    let decrypt = |key: &WechatSessionKey, data: &str, iv: &str| {
        rules()
            .decrypt_at::<ShareInfo>(key, data, iv, at(T))
            .unwrap_err()
    };

    // Another app's watermark.
    let other = seal_json(&json!({"openGId": "tG", "watermark": mark("wx9999999999999999", T)}));
    assert_eq!(decrypt(&key, &other, &iv()), OpenDataError::OtherApp);

    // Bad base64 in each input.
    for (k, d, i, field) in [
        (key.clone(), "%%%", iv(), OpenDataField::EncryptedData),
        (
            key.clone(),
            share.as_str(),
            "not base64".into(),
            OpenDataField::Iv,
        ),
        (
            WechatSessionKey::new("???"),
            share.as_str(),
            iv(),
            OpenDataField::SessionKey,
        ),
    ] {
        let err = decrypt(&k, d, &i);
        assert_eq!(err, OpenDataError::BadBase64 { field });
        assert_eq!(err.kind(), "bad_base64");
    }

    // Wrong lengths, checked before any cipher is built.
    let short_iv = STANDARD.encode(&IV[..12]);
    assert_eq!(
        decrypt(&key, &share, &short_iv),
        OpenDataError::BadIvLength { got: 12 }
    );
    let long_iv = STANDARD.encode([7u8; 32]);
    assert_eq!(
        decrypt(&key, &share, &long_iv),
        OpenDataError::BadIvLength { got: 32 }
    );
    let long_key = WechatSessionKey::new(STANDARD.encode([1u8; 24]));
    assert_eq!(
        decrypt(&long_key, &share, &iv()),
        OpenDataError::BadKeyLength { got: 24 }
    );
    let mut cut = STANDARD.decode(&share).unwrap();
    cut.truncate(cut.len() - 3);
    let err = decrypt(&key, &STANDARD.encode(&cut), &iv());
    assert_eq!(err, OpenDataError::BadDataLength { got: cut.len() });
    assert_eq!(err.kind(), "bad_length");
    assert_eq!(
        decrypt(&key, "", &iv()),
        OpenDataError::BadDataLength { got: 0 }
    );

    // A flipped byte in the last block breaks the padding.
    let mut flipped = STANDARD.decode(&share).unwrap();
    let last = flipped.len() - 1;
    flipped[last] ^= 0x01;
    let err = decrypt(&key, &STANDARD.encode(&flipped), &iv());
    assert_eq!(err, OpenDataError::BadPadding);
    assert!(err.is_stale_session_key());
    assert_eq!(err.kind(), "stale_session_key");
    assert!(err.to_string().contains("wx.checkSession"), "{err}");
    assert!(err.to_string().contains("wx.login"), "{err}");

    // A wrong key (a stale session_key): bad padding, or (one time in 256) garbage that is not JSON.
    let stale = WechatSessionKey::new(STANDARD.encode(*b"an-older-session"));
    let err = decrypt(&stale, &share, &iv());
    assert!(err.is_stale_session_key(), "{err:?}");

    // Valid padding around text that is not JSON, and JSON that is not an object.
    for plain in [&b"definitely not json"[..], b"[1,2,3]", b"\xff\xfe{}"] {
        let data = seal(&KEY, &IV, plain);
        let err = decrypt(&key, &data, &iv());
        assert_eq!(err, OpenDataError::NotJson);
        assert!(err.is_stale_session_key());
    }

    // Too large, refused before decoding.
    let huge = "A".repeat(sealed_session::wechat::MAX_ENCRYPTED_DATA_LEN + 4);
    assert_eq!(decrypt(&key, &huge, &iv()), OpenDataError::TooLarge);

    // Too old.
    let bounded = rules().with_max_age(Duration::from_secs(300));
    assert_eq!(
        bounded.decrypt_at::<ShareInfo>(&key, &share, &iv(), at(T + 301)),
        Err(OpenDataError::TooOld { age_secs: 301 })
    );
}

#[test]
fn no_error_and_no_debug_shows_the_plaintext_or_the_key() {
    let key = session_key();
    let phone = seal_json(&json!({
        "phoneNumber": "13800138000", "purePhoneNumber": "13800138000", "countryCode": "86",
        "watermark": mark(APPID, T),
    }));
    let number: PhoneNumber = rules().decrypt_at(&key, &phone, &iv(), at(T)).unwrap();
    let raw: OpenDataJson = rules().decrypt_at(&key, &phone, &iv(), at(T)).unwrap();
    let user: UserInfo = OpenDataRules::new(DEMO_APPID)
        .decrypt(&WechatSessionKey::new(DEMO_KEY), DEMO_DATA, DEMO_IV)
        .unwrap();
    let mut texts = vec![
        format!("{number:?} {number:#?} {raw:?} {user:?} {key:?}"),
        format!("{:?}", rules()),
    ];
    let stale = WechatSessionKey::new(STANDARD.encode(*b"an-older-session"));
    for err in [
        rules().decrypt_at::<PhoneNumber>(&stale, &phone, &iv(), at(T)),
        rules().decrypt_at::<PhoneNumber>(&key, &phone, "AAAA", at(T)),
        OpenDataRules::new("wxother").decrypt_at::<PhoneNumber>(&key, &phone, &iv(), at(T)),
    ]
    .map(Result::unwrap_err)
    {
        texts.push(format!("{err} {err:?}"));
    }
    let all = texts.join("\n");
    assert_eq!(format!("{number:?}"), "PhoneNumber(REDACTED)");
    for secret in [
        "13800138000",
        "oGZUI0egBJY1zhBYw2KhdUfwVJJE",
        "Band",
        &STANDARD.encode(KEY),
        "sealed-session-k",
        DEMO_KEY,
    ] {
        assert!(!all.contains(secret), "{secret} in {all}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any bytes for the data, the IV and the key (base64-encoded, as they arrive) give a result
    /// or an error, never a panic; and any text at all, base64 or not, too.
    #[test]
    fn no_input_panics(
        key in proptest::collection::vec(any::<u8>(), 0..40),
        iv in proptest::collection::vec(any::<u8>(), 0..40),
        data in proptest::collection::vec(any::<u8>(), 0..200),
        text in ".{0,64}",
        max_age in proptest::option::of(0u64..10_000),
        now in any::<u64>(),
    ) {
        let mut rules = rules();
        if let Some(secs) = max_age {
            rules = rules.with_max_age(Duration::from_secs(secs));
        }
        let now = UNIX_EPOCH.checked_add(Duration::from_secs(now >> 30)).unwrap_or(UNIX_EPOCH);
        let (k, i, d) = (STANDARD.encode(&key), STANDARD.encode(&iv), STANDARD.encode(&data));
        let key_ok = key.len() == 16;
        let result = rules.decrypt_at::<OpenDataJson>(&WechatSessionKey::new(k.clone()), &d, &i, now);
        if !key_ok {
            prop_assert_eq!(result, Err(OpenDataError::BadKeyLength { got: key.len() }));
        } else if iv.len() != 16 {
            prop_assert_eq!(result, Err(OpenDataError::BadIvLength { got: iv.len() }));
        }
        let _ = rules.decrypt_at::<UserInfo>(&WechatSessionKey::new(text.clone()), &text, &text, now);
        let _ = decrypt_bytes(&k, &text, &i);
        let _ = decrypt_bytes(&k, &d, &text);
    }

    /// Whatever JSON object WeChat encrypts under the right key comes back as it was.
    #[test]
    fn any_object_round_trips(entries in proptest::collection::btree_map("[a-z]{1,8}", any::<i64>(), 0..8)) {
        let value = serde_json::to_value(&entries).unwrap();
        let data = seal_json(&value);
        let raw: OpenDataJson = rules().decrypt_at(&session_key(), &data, &iv(), at(T)).unwrap();
        prop_assert_eq!(serde_json::Value::Object(raw.as_map().clone()), value);
    }
}
