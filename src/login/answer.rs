//! [`Answer`]: a platform's JSON answer, read field by field under the platform's names, so that
//! a platform says which fields it reads and no platform writes its own answer type.

use std::fmt;

use serde::{
    Deserialize, Deserializer,
    de::{self, MapAccess, Visitor},
};
use serde_json::value::RawValue;

use super::{
    api::App,
    error::Kind,
    identity::{Identity, Platform, PlatformSecret},
};

/// One JSON object, its members left unparsed (in the answer's wiped buffer) until read.
pub struct Answer<'a>(Vec<(String, &'a RawValue)>);

impl<'a> Answer<'a> {
    /// The answer's body, which must be one JSON object with no member twice.
    pub fn parse(body: &'a [u8]) -> Result<Self, Kind> {
        serde_json::from_slice(body).map_err(|_| Kind::NotJson)
    }

    /// Member `name` as a `T`: `None` when it is not there or `null`; not a `T`, the answer is
    /// not the platform's JSON.
    pub fn get<T: Deserialize<'a>>(&self, name: &str) -> Result<Option<T>, Kind> {
        match self.0.iter().find(|(n, _)| n == name) {
            Some(&(_, raw)) => serde_json::from_str(raw.get()).map_err(|_| Kind::NotJson),
            None => Ok(None),
        }
    }

    /// Member `name` when it is text and not empty.
    pub fn text(&self, name: &str) -> Result<Option<String>, Kind> {
        Ok(self.get::<String>(name)?.filter(|text| !text.is_empty()))
    }

    /// `Ok` when the number in member `name` is `ok`; else the platform's refusal, with its
    /// message `msg`. An answer without that number is not the platform's.
    pub fn expect<K>(
        &self,
        app: &App<K>,
        name: &'static str,
        ok: i64,
        msg: Option<&str>,
    ) -> Result<(), Kind> {
        match self.get::<i64>(name)? {
            Some(code) if code == ok => Ok(()),
            Some(code) => Err(app.refused(name, &code, msg)),
            None => Err(Kind::NotJson),
        }
    }

    /// The identity in an answer with a user id (member `user_id`) and a session key (member
    /// `key`), both required and not empty, and a union id (member `unionid`) when sent.
    pub fn identity(
        &self,
        platform: Platform,
        user_id: &'static str,
        key: &'static str,
        unionid: Option<&str>,
    ) -> Result<Identity, Kind> {
        let id = self.text(user_id)?.ok_or(Kind::MissingField(user_id))?;
        let secret = self.get::<PlatformSecret>(key)?;
        let secret = secret.filter(|s| !s.expose_secret().is_empty());
        let mut identity = Identity::new(platform, id);
        identity.secret = Some(secret.ok_or(Kind::MissingField(key))?);
        if let Some(name) = unionid {
            identity.unionid = self.text(name)?;
        }
        Ok(identity)
    }
}

/// The members' names only: their values may be secrets.
impl fmt::Debug for Answer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Answer<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(Members)
    }
}

/// Reads an object's members, refusing one named twice (which of the two would be believed?).
struct Members;

impl<'de> Visitor<'de> for Members {
    type Value = Answer<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Answer<'de>, A::Error> {
        let mut members: Vec<(String, &'de RawValue)> = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, &'de RawValue>()? {
            if members.iter().any(|(n, _)| *n == name) {
                return Err(de::Error::custom("a member named twice"));
            }
            members.push((name, value));
        }
        Ok(Answer(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_read_by_name_and_typed_when_read() {
        let answer = Answer::parse(br#"{"a":1,"b":"x","c":null,"d":"","e":{"f":"g"}}"#).unwrap();
        assert_eq!(answer.get::<i64>("a").unwrap(), Some(1));
        assert_eq!(answer.text("b").unwrap().as_deref(), Some("x"));
        assert_eq!(answer.text("c").unwrap(), None);
        assert_eq!(answer.text("d").unwrap(), None);
        assert_eq!(answer.text("nope").unwrap(), None);
        let inner = answer.get::<Answer<'_>>("e").unwrap().unwrap();
        assert_eq!(inner.text("f").unwrap().as_deref(), Some("g"));
        assert!(matches!(answer.get::<i64>("b"), Err(Kind::NotJson)));
        assert!(matches!(answer.text("a"), Err(Kind::NotJson)));
    }

    #[test]
    fn only_one_object_with_distinct_members_is_an_answer() {
        for junk in [
            &b""[..],
            b"<html>",
            b"[]",
            b"1",
            b"\xff",
            br#"{"a":1,"a":2}"#,
        ] {
            assert!(
                matches!(Answer::parse(junk), Err(Kind::NotJson)),
                "{junk:?}"
            );
        }
    }

    #[test]
    fn the_identity_needs_its_user_id_and_session_key() {
        let read = |body: &[u8]| {
            let union = Some("u");
            Answer::parse(body)?.identity(Platform::Qq, "id", "key", union)
        };
        let ok = read(br#"{"id":"o","key":"k","u":"x"}"#).unwrap();
        assert_eq!(
            (ok.user_id.as_str(), ok.unionid.as_deref()),
            ("o", Some("x"))
        );
        assert_eq!(ok.secret.unwrap().expose_secret(), "k");
        for (body, missing) in [
            (&br#"{"key":"k"}"#[..], "id"),
            (br#"{"id":"","key":"k"}"#, "id"),
            (br#"{"id":"o"}"#, "key"),
            (br#"{"id":"o","key":""}"#, "key"),
        ] {
            assert!(matches!(read(body), Err(Kind::MissingField(m)) if m == missing));
        }
    }
}
