//! WeChat's `encryptedData`: the sensitive data some mini program APIs hand to the client
//! encrypted for your server (share tickets' `openGId`, WeRun steps, the legacy phone button,
//! `wx.getUserInfo`'s `openId`/`unionId`).
//!
//! WeChat's documentation of the algorithm ("加密数据解密算法"), the fields this module checks:
//! - "对称解密使用的算法为 AES-128-CBC,数据采用PKCS#7填充" (AES-128-CBC, PKCS#7 padding);
//! - "对称解密的目标密文为 Base64_Decode(encryptedData)" (the ciphertext is the base64-decoded
//!   `encryptedData`);
//! - "对称解密秘钥 aeskey = Base64_Decode(session_key), aeskey 是16字节" (the key is the
//!   base64-decoded `session_key`, 16 bytes);
//! - "对称解密算法初始向量 为Base64_Decode(iv),其中iv由数据接口返回" (the IV is the
//!   base64-decoded `iv` that the API returned next to the data);
//! - "为了应用能校验数据的有效性,会在敏感数据加上数据水印( watermark )":
//!   `"watermark": {"appid": "APPID", "timestamp": TIMESTAMP}`, the app the data was encrypted
//!   for and when (Unix seconds).
//!
//! The lengths are checked before any cipher is built (a client-supplied IV of the wrong length
//! is [`OpenDataError::BadIvLength`], never a panic); the cipher is RustCrypto's `aes` + `cbc`;
//! the key, the IV and the plaintext are held in buffers that are wiped on drop.

use std::{
    fmt,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use aes::cipher::{BlockDecryptMut as _, KeyIvInit as _, block_padding::Pkcs7};
use base64::{Engine as _, engine::general_purpose::STANDARD};
use serde::{Deserialize, de::DeserializeOwned};
use zeroize::Zeroizing;

use super::WechatSessionKey;

/// The longest `encryptedData` (base64 text) that [`OpenDataRules::decrypt`] reads: 64 KiB,
/// far above what any WeChat API sends (thirty days of WeRun steps are about 3 KB). Longer
/// input is [`OpenDataError::TooLarge`], refused before it is decoded.
pub const MAX_ENCRYPTED_DATA_LEN: usize = 64 * 1024;

/// AES-128: the key and the CBC IV are 16 bytes each.
const KEY_LEN: usize = 16;
const IV_LEN: usize = 16;
const BLOCK_LEN: usize = 16;

type Aes128CbcDec = cbc::Decryptor<aes::Aes128>;

/// The `watermark` WeChat adds to decrypted data: which app it was encrypted for, and when.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Watermark {
    /// The app id of the mini program the data was encrypted for.
    pub appid: String,
    /// When WeChat encrypted the data, Unix seconds.
    pub timestamp: u64,
}

/// What [`OpenDataRules`] checks in the plaintext, per payload kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WatermarkRule {
    /// The payload must carry a watermark, and it is checked: every kind WeChat documents
    /// (user info, share info, WeRun, phone number) has one.
    Required,
    /// A watermark is checked when present; payloads without one pass. For [`OpenDataJson`],
    /// whose kind the crate does not know.
    IfPresent,
}

/// A kind of decrypted payload: what [`OpenDataRules::decrypt`] parses the plaintext into.
///
/// Implemented for [`UserInfo`], [`ShareInfo`], [`WeRun`], [`PhoneNumber`] and [`OpenDataJson`];
/// implement it for your own `Deserialize` type to read another kind.
pub trait OpenDataKind: DeserializeOwned {
    /// How the payload's watermark is checked.
    const WATERMARK: WatermarkRule;
}

/// `wx.getUserInfo`'s `encryptedData` (and the older `open-type="getUserInfo"` button).
///
/// `Debug` prints no field: these are personal data.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UserInfo {
    /// The user's id under your app (`openId`).
    pub open_id: String,
    /// The user's id across your Open Platform account (`unionId`), when your app is bound to one.
    pub union_id: Option<String>,
    /// `nickName`.
    pub nick_name: Option<String>,
    /// `gender`: 0 unknown, 1 male, 2 female.
    pub gender: Option<u8>,
    /// `language`, e.g. `zh_CN`.
    pub language: Option<String>,
    /// `city`.
    pub city: Option<String>,
    /// `province`.
    pub province: Option<String>,
    /// `country`.
    pub country: Option<String>,
    /// `avatarUrl`.
    pub avatar_url: Option<String>,
    /// The watermark, already checked.
    pub watermark: Watermark,
}

/// `wx.getShareInfo`'s `encryptedData`: the group chat a share ticket came from.
///
/// `Debug` prints no field.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ShareInfo {
    /// The group's id under your app (`openGId`).
    #[serde(rename = "openGId")]
    pub open_g_id: String,
    /// The watermark, already checked.
    pub watermark: Watermark,
}

/// `wx.getWeRunData`'s `encryptedData`: the user's daily steps (the last 30 days).
///
/// `Debug` prints no field.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WeRun {
    /// `stepInfoList`, oldest first as WeChat sends them.
    pub step_info_list: Vec<StepInfo>,
    /// The watermark, already checked.
    pub watermark: Watermark,
}

/// One day of [`WeRun`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct StepInfo {
    /// The day, as the Unix time (seconds) of its midnight in China.
    pub timestamp: i64,
    /// The steps walked that day.
    pub step: u64,
}

/// The legacy phone button's `encryptedData` (`open-type="getPhoneNumber"` before the phone
/// code): WeChat now recommends the code and
/// [`getuserphonenumber`](https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html).
///
/// `Debug` prints no field: a phone number is personal data.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PhoneNumber {
    /// `phoneNumber`: with the country code for numbers outside mainland China.
    pub phone_number: String,
    /// `purePhoneNumber`: without the country code.
    pub pure_phone_number: String,
    /// `countryCode`, e.g. `"86"`.
    pub country_code: String,
    /// The watermark, already checked.
    pub watermark: Watermark,
}

/// Any decrypted payload as JSON, for kinds this crate has no type for.
///
/// `Debug` prints no content. Its watermark, when it has one, is checked like the others'.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct OpenDataJson(serde_json::Map<String, serde_json::Value>);

impl OpenDataJson {
    /// The payload, watermark included.
    #[must_use]
    pub fn as_map(&self) -> &serde_json::Map<String, serde_json::Value> {
        &self.0
    }

    /// The payload without its `watermark` (what a handler answers to the client).
    #[must_use]
    pub fn into_map_without_watermark(mut self) -> serde_json::Map<String, serde_json::Value> {
        self.0.remove("watermark");
        self.0
    }
}

macro_rules! redacted_debug {
    ($($ty:ident),*) => {$(
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($ty), "(REDACTED)"))
            }
        }
    )*};
}
redacted_debug!(UserInfo, ShareInfo, WeRun, PhoneNumber, OpenDataJson);

impl OpenDataKind for UserInfo {
    const WATERMARK: WatermarkRule = WatermarkRule::Required;
}
impl OpenDataKind for ShareInfo {
    const WATERMARK: WatermarkRule = WatermarkRule::Required;
}
impl OpenDataKind for WeRun {
    const WATERMARK: WatermarkRule = WatermarkRule::Required;
}
impl OpenDataKind for PhoneNumber {
    const WATERMARK: WatermarkRule = WatermarkRule::Required;
}
impl OpenDataKind for OpenDataJson {
    const WATERMARK: WatermarkRule = WatermarkRule::IfPresent;
}

/// Which input could not be base64-decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenDataField {
    /// The `encryptedData` the client sent.
    EncryptedData,
    /// The `iv` the client sent.
    Iv,
    /// The `session_key` (from the session).
    SessionKey,
}

impl OpenDataField {
    fn name(self) -> &'static str {
        match self {
            Self::EncryptedData => "encryptedData",
            Self::Iv => "iv",
            Self::SessionKey => "session_key",
        }
    }
}

/// Why `encryptedData` could not be read. No error text contains the key, the IV, the data
/// or any of the plaintext.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OpenDataError {
    /// `encryptedData` is longer than [`MAX_ENCRYPTED_DATA_LEN`].
    TooLarge,
    /// An input is not standard base64 (with `=` padding), as WeChat sends it.
    BadBase64 {
        /// Which one.
        field: OpenDataField,
    },
    /// The decoded `session_key` is not 16 bytes.
    BadKeyLength {
        /// Its length in bytes.
        got: usize,
    },
    /// The decoded `iv` is not 16 bytes.
    BadIvLength {
        /// Its length in bytes.
        got: usize,
    },
    /// The decoded `encryptedData` is empty or not a whole number of 16-byte blocks.
    BadDataLength {
        /// Its length in bytes.
        got: usize,
    },
    /// The plaintext does not end in valid PKCS#7 padding: the data was not encrypted under
    /// this key and IV. Most often the `session_key` is stale (a later `wx.login` replaced it).
    BadPadding,
    /// The plaintext is not a JSON object: as with [`BadPadding`](Self::BadPadding), most often a
    /// stale `session_key` (a wrong key passes the padding check about once in 256 tries).
    NotJson,
    /// The plaintext is JSON, but not the payload kind asked for (e.g. WeRun data read as
    /// [`UserInfo`]).
    WrongKind,
    /// The payload kind requires a watermark and the plaintext has none (or a malformed one).
    MissingWatermark,
    /// The watermark's `appid` is another app's: the data was encrypted for another mini program.
    OtherApp,
    /// The watermark's `timestamp` is older than the configured
    /// [`max_age`](OpenDataRules::with_max_age).
    TooOld {
        /// The data's age, in seconds.
        age_secs: u64,
    },
}

impl OpenDataError {
    /// A short stable name for the kind, for a JSON error answer: `too_large`, `bad_base64`,
    /// `bad_length`, `stale_session_key` ([`BadPadding`](Self::BadPadding) and
    /// [`NotJson`](Self::NotJson)), `wrong_kind`, `missing_watermark`, `other_app`, `too_old`.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::TooLarge => "too_large",
            Self::BadBase64 { .. } => "bad_base64",
            Self::BadKeyLength { .. } | Self::BadIvLength { .. } | Self::BadDataLength { .. } => {
                "bad_length"
            }
            Self::BadPadding | Self::NotJson => "stale_session_key",
            Self::WrongKind => "wrong_kind",
            Self::MissingWatermark => "missing_watermark",
            Self::OtherApp => "other_app",
            Self::TooOld { .. } => "too_old",
        }
    }

    /// `true` for the signs of a stale `session_key` ([`BadPadding`](Self::BadPadding),
    /// [`NotJson`](Self::NotJson)): the client should call `wx.checkSession`, log in again
    /// (`wx.login`) and fetch the data anew.
    #[must_use]
    pub fn is_stale_session_key(&self) -> bool {
        matches!(self, Self::BadPadding | Self::NotJson)
    }
}

const STALE_HINT: &str = "most often the session_key is stale (a later wx.login replaced it): \
                          have the client call wx.checkSession, log in again with wx.login, and \
                          fetch the data anew";

impl fmt::Display for OpenDataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TooLarge => write!(
                f,
                "encryptedData is longer than {MAX_ENCRYPTED_DATA_LEN} characters: send the \
                 encryptedData of one WeChat API answer as it is"
            ),
            Self::BadBase64 { field } => write!(
                f,
                "`{}` is not standard base64: send it as the WeChat API returned it (no URL \
                 encoding left, `+` not turned into a space)",
                field.name()
            ),
            Self::BadKeyLength { got } => write!(
                f,
                "the session_key decodes to {got} bytes, expected 16: store the session_key \
                 from code2session as it is"
            ),
            Self::BadIvLength { got } => write!(
                f,
                "the iv decodes to {got} bytes, expected 16: send the iv that the WeChat API \
                 returned with this encryptedData"
            ),
            Self::BadDataLength { got } => write!(
                f,
                "encryptedData decodes to {got} bytes, expected a non-empty multiple of 16: send \
                 it whole, as the WeChat API returned it"
            ),
            Self::BadPadding => write!(
                f,
                "encryptedData does not decrypt under this session_key and iv (bad padding): \
                 {STALE_HINT}"
            ),
            Self::NotJson => write!(
                f,
                "encryptedData decrypts to something that is not a JSON object: {STALE_HINT}"
            ),
            Self::WrongKind => f.write_str(
                "encryptedData decrypts to JSON of another kind than the one asked for: read it \
                 with the type of the API that returned it, or as OpenDataJson",
            ),
            Self::MissingWatermark => f.write_str(
                "the decrypted data has no valid watermark {appid, timestamp}, which this kind \
                 requires: refuse it",
            ),
            Self::OtherApp => f.write_str(
                "the decrypted data's watermark names another app id: the data was encrypted \
                 for another mini program; check the app id the rules were built with",
            ),
            Self::TooOld { age_secs } => write!(
                f,
                "the decrypted data is {age_secs} s old, older than the allowed maximum: have \
                 the client fetch it anew"
            ),
        }
    }
}

impl std::error::Error for OpenDataError {}

/// How `encryptedData` is checked: the app id its watermark must name, and an optional
/// freshness bound.
///
/// ```
/// use std::time::Duration;
/// use sealed_session::wechat::{OpenDataRules, WechatSessionKey, UserInfo};
///
/// let rules = OpenDataRules::new("wx4f4bc4dec97d474b").with_max_age(Duration::from_secs(600));
/// # let key = WechatSessionKey::new("tiihtNczf5v6AKRyjwEUhQ==");
/// // In a handler: the key from the session, the data and iv from the client.
/// let err = rules.decrypt::<UserInfo>(&key, "not base64!", "r7BXXKkLb8qrSNn05n0qiA==").unwrap_err();
/// assert_eq!(err.kind(), "bad_base64");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct OpenDataRules {
    app_id: String,
    max_age: Option<Duration>,
}

impl OpenDataRules {
    /// Rules for the mini program `app_id` (the `appid` the watermark must name), with no
    /// freshness bound.
    pub fn new(app_id: impl Into<String>) -> Self {
        Self {
            app_id: app_id.into(),
            max_age: None,
        }
    }

    /// Refuses data whose watermark `timestamp` is more than `max_age` before now
    /// ([`OpenDataError::TooOld`]). Default: no bound. A timestamp in the future (clock skew)
    /// counts as age 0.
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = Some(max_age);
        self
    }

    /// Decrypts `encrypted_data` with `iv` under `session_key` and parses it as `T`, checking
    /// the watermark against the system clock. See [`decrypt_at`](Self::decrypt_at).
    ///
    /// # Errors
    ///
    /// As [`decrypt_at`](Self::decrypt_at).
    pub fn decrypt<T: OpenDataKind>(
        &self,
        session_key: &WechatSessionKey,
        encrypted_data: &str,
        iv: &str,
    ) -> Result<T, OpenDataError> {
        self.decrypt_at(session_key, encrypted_data, iv, SystemTime::now())
    }

    /// Decrypts `encrypted_data` (base64, as the WeChat API returned it) with `iv` (base64) under
    /// `session_key` and parses it as `T`; the watermark must name this app id and, with a
    /// [`max_age`](Self::with_max_age), be no older than that at `now`.
    ///
    /// # Errors
    ///
    /// An [`OpenDataError`] naming the first check that failed, in this order: size, base64,
    /// lengths, padding, JSON, the payload kind, the watermark's app id, its age.
    pub fn decrypt_at<T: OpenDataKind>(
        &self,
        session_key: &WechatSessionKey,
        encrypted_data: &str,
        iv: &str,
        now: SystemTime,
    ) -> Result<T, OpenDataError> {
        let plain = decrypt_bytes(session_key.expose_secret(), encrypted_data, iv)?;
        let value: serde_json::Value =
            serde_json::from_slice(&plain).map_err(|_| OpenDataError::NotJson)?;
        let serde_json::Value::Object(map) = &value else {
            return Err(OpenDataError::NotJson);
        };
        match map.get("watermark") {
            Some(mark) => {
                let mark =
                    Watermark::deserialize(mark).map_err(|_| OpenDataError::MissingWatermark)?;
                self.check(&mark, now)?;
            }
            None if T::WATERMARK == WatermarkRule::Required => {
                return Err(OpenDataError::MissingWatermark);
            }
            None => {}
        }
        T::deserialize(value).map_err(|_| OpenDataError::WrongKind)
    }

    fn check(&self, mark: &Watermark, now: SystemTime) -> Result<(), OpenDataError> {
        if mark.appid != self.app_id {
            return Err(OpenDataError::OtherApp);
        }
        if let Some(max_age) = self.max_age {
            let now = now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let age_secs = now.saturating_sub(mark.timestamp);
            if age_secs > max_age.as_secs() {
                return Err(OpenDataError::TooOld { age_secs });
            }
        }
        Ok(())
    }
}

/// The AES-128-CBC / PKCS#7 step alone, on untrusted input: every length is checked before the
/// cipher is built, and every buffer that held the key, the IV or plaintext is wiped on drop.
///
/// # Errors
///
/// [`OpenDataError::TooLarge`], [`BadBase64`](OpenDataError::BadBase64), the three length
/// errors and [`BadPadding`](OpenDataError::BadPadding).
pub fn decrypt_bytes(
    session_key: &str,
    encrypted_data: &str,
    iv: &str,
) -> Result<Zeroizing<Vec<u8>>, OpenDataError> {
    if encrypted_data.len() > MAX_ENCRYPTED_DATA_LEN {
        return Err(OpenDataError::TooLarge);
    }
    let decode = |text: &str, field| {
        STANDARD
            .decode(text)
            .map(Zeroizing::new)
            .map_err(|_| OpenDataError::BadBase64 { field })
    };
    let key = decode(session_key, OpenDataField::SessionKey)?;
    let iv = decode(iv, OpenDataField::Iv)?;
    let mut data = decode(encrypted_data, OpenDataField::EncryptedData)?;
    if key.len() != KEY_LEN {
        return Err(OpenDataError::BadKeyLength { got: key.len() });
    }
    if iv.len() != IV_LEN {
        return Err(OpenDataError::BadIvLength { got: iv.len() });
    }
    if data.is_empty() || data.len() % BLOCK_LEN != 0 {
        return Err(OpenDataError::BadDataLength { got: data.len() });
    }
    // Lengths were checked above, so this cannot fail; map it anyway rather than unwrap.
    let cipher = Aes128CbcDec::new_from_slices(&key, &iv)
        .map_err(|_| OpenDataError::BadKeyLength { got: key.len() })?;
    let len = cipher
        .decrypt_padded_mut::<Pkcs7>(&mut data)
        .map_err(|_| OpenDataError::BadPadding)?
        .len();
    data.truncate(len);
    Ok(data)
}
