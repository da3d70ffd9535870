//! Douyin (ByteDance) mini program login: `tt.login` codes in, [`Identity`] out (feature
//! `douyin`).
//!
//! The exchange is `POST {api_base}/api/apps/v2/jscode2session` with the JSON body
//! `{appid, secret, code, anonymous_code}`; Douyin answers
//! `{err_no, err_tips, log_id, data: {session_key, openid, anonymous_openid, unionid}}`. A login
//! with only an anonymous code (a user not logged in to the Douyin app) gives the device's
//! `anonymous_openid` and no session key: [`Identity::anonymous`] says so.
//!
//! ```no_run
//! use sealed_session::{douyin::{DouyinClient, DouyinConfig}, login::{LoginCode, MiniProgramLogin}};
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let douyin = DouyinClient::new(DouyinConfig::from_env()?)?; // DOUYIN_APPID, DOUYIN_SECRET
//! let code = LoginCode::new("code").with_anonymous_code("anonymousCode");
//! let identity = douyin.exchange(&code).await?;
//! # Ok(()) }
//! ```
//!
//! Douyin's documentation of `code2Session` lists these `err_no`: `-1` system error, `40014`
//! bad parameters, `40015` bad app id, `40017` bad secret, `40018` bad code, `40019` bad
//! anonymous code.

use reqwest::RequestBuilder;
use serde::Serialize;

use super::api::{About, Answer, Api, App, Described, Documented, Env};
use super::codes::Code::Number;
use super::{Identity, LoginClient, LoginCode, LoginConfig, Platform, error::Kind, http};

pub use super::DEFAULT_TIMEOUT;
pub use super::api::MAX_ANSWER_LEN;
pub use super::api::MAX_CODE_LEN;

/// Douyin's API server.
pub const DEFAULT_API_BASE: &str = "https://developer.toutiao.com";

/// Douyin's login API (`v2/jscode2session`), for [`LoginClient`] and [`LoginConfig`].
#[derive(Debug)]
pub enum DouyinApi {}

impl Described for DouyinApi {
    type Keys = ();
    const API: Api<()> = Api::new(&ABOUT, PATH, CODES, request, read).plausible(either_code);
}

/// Which Douyin mini program logs in, and where and how to reach Douyin.
pub type DouyinConfig = LoginConfig<DouyinApi>;
/// Exchanges `tt.login` codes with Douyin.
pub type DouyinClient = LoginClient<DouyinApi>;

const ABOUT: About = About::new(Platform::Douyin, "tt.login", DEFAULT_API_BASE, ENV);
const ENV: Env = Env::new("DOUYIN_APPID", "DOUYIN_SECRET", "DOUYIN_API_BASE");
const PATH: &str = "api/apps/v2/jscode2session";

impl DouyinClient {
    /// Exchanges `tt.login`'s `code` and/or `anonymousCode` (pass `""` for one not given).
    ///
    /// # Errors
    ///
    /// A [`DouyinError`]: no plausible code (nothing sent), one of Douyin's error numbers, a
    /// status other than 200, a broken answer, a timeout, or a failed connection.
    pub async fn code2session(
        &self,
        code: &str,
        anonymous_code: &str,
    ) -> Result<Identity, DouyinError> {
        let mut login = LoginCode::new(code);
        login.anonymous_code = Some(anonymous_code.to_owned()).filter(|c| !c.is_empty());
        self.exchange(&login).await
    }
}

// The errors of every platform, under this platform's old names.
pub use super::LoginConfigError as DouyinConfigError;
pub use super::LoginError as DouyinError;

/// A code, an anonymous code or both, each empty or worth sending (each up to `max` bytes).
fn either_code(code: &LoginCode, max: usize) -> bool {
    let anonymous = code.anonymous_code.as_deref().unwrap_or_default();
    let given = |c: &str| c.is_empty() || http::plausible_code(c, max);
    !(code.code.is_empty() && anonymous.is_empty()) && given(&code.code) && given(anonymous)
}

/// The request body Douyin documents.
#[derive(Serialize)]
struct Body<'a> {
    appid: &'a str,
    secret: &'a str,
    code: &'a str,
    anonymous_code: &'a str,
}

fn request(app: &App<()>, code: &LoginCode) -> Result<RequestBuilder, Kind> {
    let body = Body {
        appid: &app.appid,
        secret: &app.secret,
        code: &code.code,
        anonymous_code: code.anonymous_code.as_deref().unwrap_or_default(),
    };
    Ok(app.http.post(app.endpoint.clone()).json(&body))
}

/// Douyin's answer (`{err_no, err_tips, data: {...}}`) as a result.
fn read(app: &App<()>, answer: &Answer<'_>) -> Result<Identity, Kind> {
    answer.expect(
        app,
        "err_no",
        0,
        answer.get::<String>("err_tips")?.as_deref(),
    )?;
    let data: Answer<'_> = answer.get("data")?.ok_or(Kind::MissingField("data"))?;
    let anonymous_id = data.text("anonymous_openid")?;
    let mut identity = match (data.text("openid")?, &anonymous_id) {
        (None, Some(anonymous)) => {
            let mut identity = Identity::new(Platform::Douyin, anonymous.clone());
            identity.anonymous = true;
            identity
        }
        _ => data.identity(Platform::Douyin, "openid", "session_key", None)?,
    };
    identity.anonymous_id = anonymous_id;
    identity.unionid = data.text("unionid")?;
    Ok(identity)
}

/// The `err_no`s Douyin documents (see above).
const CODES: &[Documented] = &[
    Documented::bad_code(
        Number(40018),
        "the code is wrong, expired, used or another app's",
    ),
    Documented::bad_code(Number(40019), "the anonymous code is wrong"),
    Documented::refused(Number(40014), "a parameter is missing or malformed"),
    Documented::config(Number(40015), "Douyin does not know the app id"),
    Documented::config(Number(40017), "the app secret is wrong"),
    Documented::upstream(Number(-1), "Douyin's system error"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &[u8]) -> Result<Identity, Kind> {
        let client = DouyinClient::new(DouyinConfig::new("tt1", "s")).unwrap();
        Answer::parse(body).and_then(|answer| read(client.app(), &answer))
    }

    #[test]
    fn parse_reads_the_documented_answers() {
        let ok = parse(br#"{"err_no":0,"err_tips":"success","log_id":"1","data":{"session_key":"k","openid":"o1","anonymous_openid":"a1","unionid":"u1"}}"#).unwrap();
        assert_eq!(
            (
                ok.user_id.as_str(),
                ok.anonymous_id.as_deref(),
                ok.unionid.as_deref()
            ),
            ("o1", Some("a1"), Some("u1"))
        );
        assert!(!ok.anonymous);
        let anon = parse(br#"{"err_no":0,"err_tips":"success","data":{"session_key":"","openid":"","anonymous_openid":"a2","unionid":""}}"#).unwrap();
        assert!(anon.anonymous && anon.secret.is_none() && anon.user_id == "a2");
        assert!(matches!(
            parse(br#"{"err_no":0}"#),
            Err(Kind::MissingField("data"))
        ));
        assert!(matches!(
            parse(br#"{"err_no":0,"data":{"openid":"o"}}"#),
            Err(Kind::MissingField("session_key"))
        ));
        assert!(matches!(
            parse(br#"{"err_no":0,"data":{}}"#),
            Err(Kind::MissingField("openid"))
        ));
        for junk in [&b""[..], b"<html>", b"[]", b"{}", b"\xff"] {
            assert!(matches!(parse(junk), Err(Kind::NotJson)), "{junk:?}");
        }
    }

    #[test]
    fn either_code_is_enough_and_both_must_be_plausible() {
        let code = |c: &str, a: &str| LoginCode::new(c).with_anonymous_code(a);
        assert!(either_code(&code("c", ""), 8) && either_code(&code("", "a"), 8));
        for bad in [
            code("", ""),
            code("a b", "a"),
            code("c", "a\n"),
            code("c", &"x".repeat(9)),
        ] {
            assert!(!either_code(&bad, 8), "{bad:?}");
        }
    }
}
