//! Alipay's answer: `{"alipay_system_oauth_token_response": {...}, "sign": "..."}` (or
//! `error_response`), its signature checked over the member's exact text before anything in it
//! is believed, and what Alipay's codes mean.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::sign::{Signer, Verifier};
use crate::login::{
    Identity, Platform, PlatformSecret,
    api::{Answer, App, Documented},
    codes::Code::Text,
    error::Kind,
};

/// The codes of `alipay.system.oauth.token` a login can meet: its business `sub_code`s, and the
/// gateway's `code`s `40006` (insufficient permissions) and `20000` (service unavailable).
pub(super) const CODES: &[Documented] = &[
    Documented::bad_code(
        Text("isv.code-invalid"),
        "the auth code is wrong, used, expired, or another app's",
    ),
    Documented::bad_code(
        Text("isv.unmatched-app-id"),
        "the auth code was issued to another app id; check that ALIPAY_APPID is the mini \
         program's",
    ),
    Documented::refused(Text("isv.grant-type-invalid"), "the grant type was refused"),
    Documented::config(
        Text("isv.invalid-app-id"),
        "Alipay does not know the app id",
    ),
    Documented::config(
        Text("isv.invalid-signature"),
        "Alipay could not verify the request's signature with the public key uploaded for the \
         app: the private key must be the one whose public key is uploaded, RSA2",
    ),
    Documented::config(
        Text("40006"),
        "the app may not call alipay.system.oauth.token: add the login capability (获取会员信息) \
         to the app",
    ),
    Documented::upstream(Text("20000"), "Alipay's service is unavailable"),
];

#[derive(Deserialize)]
struct Member {
    code: Option<String>,
    msg: Option<String>,
    sub_code: Option<String>,
    sub_msg: Option<String>,
    user_id: Option<String>,
    open_id: Option<String>,
    access_token: Option<PlatformSecret>,
}

/// Alipay's answer, its signature checked first, as a result.
pub(super) fn read(app: &App<(Signer, Verifier)>, answer: &Answer<'_>) -> Result<Identity, Kind> {
    let sign = answer.get::<String>("sign")?;
    let verified = |raw: &RawValue| match &sign {
        Some(sign) if app.keys.1.verify(raw.get().as_bytes(), sign) => Ok(()),
        Some(_) => Err(Kind::BadSignature),
        None => Err(Kind::Unsigned),
    };
    let member = |raw: &RawValue| -> Result<Member, Kind> {
        serde_json::from_str(raw.get()).map_err(|_| Kind::NotJson)
    };
    if let Some(raw) = answer.get::<&RawValue>("alipay_system_oauth_token_response")? {
        verified(raw)?;
        let m = member(raw)?;
        if m.code.as_deref().is_some_and(|c| c != "10000") {
            return Err(refusal(app, &m));
        }
        let id = [m.open_id, m.user_id]
            .into_iter()
            .flatten()
            .find(|id| !id.is_empty())
            .ok_or(Kind::MissingField("user_id/open_id"))?;
        let mut identity = Identity::new(Platform::Alipay, id);
        identity.secret = m.access_token.filter(|t| !t.expose_secret().is_empty());
        return Ok(identity);
    }
    if let Some(raw) = answer.get::<&RawValue>("error_response")? {
        // Alipay signs error answers too, but not all of them (an unknown app id has no key to
        // sign with): an unsigned error is believed, as it grants nothing; a badly signed one is not.
        match verified(raw) {
            Ok(()) | Err(Kind::Unsigned) => {}
            Err(e) => return Err(e),
        }
        return Err(refusal(app, &member(raw)?));
    }
    Err(Kind::NotJson)
}

/// An error answer: its `sub_code` when documented, else its `code` when documented, else the
/// `sub_code` (or the `code`) as sent.
fn refusal(app: &App<(Signer, Verifier)>, m: &Member) -> Kind {
    let documented = |c: &str| CODES.iter().any(|d| d.code.is(c));
    let code = m.code.as_deref().unwrap_or_default();
    let (field, code) = match m.sub_code.as_deref() {
        Some(sub) if documented(sub) => ("sub_code", sub),
        _ if documented(code) => ("code", code),
        Some(sub) => ("sub_code", sub),
        None => ("code", code),
    };
    app.refused(field, &code, m.sub_msg.as_deref().or(m.msg.as_deref()))
}
