//! Start-up checks and documented defaults of the configuration.

use super::*;
use crate::key::{Key, Keys};

fn config() -> SessionConfig {
    SessionConfig::new(Keys::single(Key::generate()))
}

#[test]
fn bad_configuration_fails_at_start_up_saying_what_to_fix() {
    let err = config()
        .with_max_age(Duration::ZERO)
        .validate()
        .unwrap_err();
    assert_eq!(err, ConfigError::ZeroMaxAge);
    assert!(err.to_string().contains("with_max_age"));
    assert_eq!(
        config()
            .with_absolute_lifetime(Some(Duration::ZERO))
            .validate()
            .unwrap_err(),
        ConfigError::ZeroAbsoluteLifetime
    );
    assert!(matches!(
        config()
            .with_header_name("bad header")
            .validate()
            .unwrap_err(),
        ConfigError::BadHeaderName { .. }
    ));
    let err = config().with_max_len(100).validate().unwrap_err();
    // The shortest version 2 token: 95 bytes, 127 characters.
    assert_eq!(err, ConfigError::CapTooSmall { cap: 100, min: 127 });
    assert!(config().with_max_len(126).validate().is_err());
    assert!(config().with_max_len(127).validate().is_ok());
    assert!(config().with_absolute_lifetime(None).validate().is_ok());
    assert_eq!(
        config().with_carriers([]).validate().unwrap_err(),
        ConfigError::NoCarrier
    );
    assert_eq!(
        config()
            .with_carriers([Carrier::Bearer, Carrier::Bearer])
            .validate()
            .unwrap_err(),
        ConfigError::DuplicateCarrier {
            carrier: "bearer".into()
        }
    );
}

#[cfg(feature = "cookie")]
#[test]
fn the_cookie_attributes_count_against_the_cap() {
    let cookie = || config().with_carriers([Carrier::Header, Carrier::Cookie]);
    let err = cookie().with_max_len(120).validate().unwrap_err();
    assert!(
        matches!(err, ConfigError::CapTooSmall { cap: 120, min } if min > 170),
        "{err}"
    );
    assert!(matches!(
        cookie()
            .with_cookie(CookieOptions::new().with_name("a b"))
            .validate(),
        Err(ConfigError::BadCookieName { .. })
    ));
}

#[test]
fn defaults_are_the_documented_ones() {
    let settings = config().validate().unwrap();
    assert_eq!(settings.carriers.header().as_str(), "x-session");
    assert_eq!(settings.carriers.first(), Carrier::Header);
    assert_eq!(settings.max_age_ms, 86_400_000);
    assert!(settings.reissue.renew && !settings.reissue.rolling);
    assert_eq!(settings.codec.max_len(), 4096);
    assert_eq!(settings.codec.absolute_lifetime_ms(), Some(30 * 86_400_000));
}
