//! [`LoginError`]: any platform's failure, behind one type.

use std::{error::Error, fmt};

use super::Platform;

/// Why an exchange failed: the platform's own typed error, one variant per platform.
#[derive(Debug)]
#[non_exhaustive]
pub enum LoginError {
    /// WeChat's exchange failed.
    #[cfg(feature = "wechat")]
    Wechat(crate::wechat::WechatError),
    /// QQ's exchange failed.
    #[cfg(feature = "qq")]
    Qq(crate::qq::QqError),
    /// Douyin's exchange failed.
    #[cfg(feature = "douyin")]
    Douyin(crate::douyin::DouyinError),
    /// Alipay's exchange failed.
    #[cfg(feature = "alipay")]
    Alipay(crate::alipay::AlipayError),
}

impl LoginError {
    /// The platform whose exchange failed.
    #[must_use]
    pub fn platform(&self) -> Platform {
        match self {
            #[cfg(feature = "wechat")]
            Self::Wechat(_) => Platform::Wechat,
            #[cfg(feature = "qq")]
            Self::Qq(_) => Platform::Qq,
            #[cfg(feature = "douyin")]
            Self::Douyin(_) => Platform::Douyin,
            #[cfg(feature = "alipay")]
            Self::Alipay(_) => Platform::Alipay,
        }
    }

    /// `true` when the code the client sent is at fault: answer `400`, and the client should
    /// call the platform's login again. Every other error is the platform's or the server's.
    #[must_use]
    pub fn is_bad_code(&self) -> bool {
        match self {
            #[cfg(feature = "wechat")]
            Self::Wechat(e) => e.is_bad_code(),
            #[cfg(feature = "qq")]
            Self::Qq(e) => e.is_bad_code(),
            #[cfg(feature = "douyin")]
            Self::Douyin(e) => e.is_bad_code(),
            #[cfg(feature = "alipay")]
            Self::Alipay(e) => e.is_bad_code(),
        }
    }

    /// `true` when the platform did not answer within the timeout (answer `504`).
    #[must_use]
    pub fn is_timeout(&self) -> bool {
        match self {
            #[cfg(feature = "wechat")]
            Self::Wechat(e) => matches!(e, crate::wechat::WechatError::Timeout),
            #[cfg(feature = "qq")]
            Self::Qq(e) => matches!(e, crate::qq::QqError::Timeout),
            #[cfg(feature = "douyin")]
            Self::Douyin(e) => matches!(e, crate::douyin::DouyinError::Timeout),
            #[cfg(feature = "alipay")]
            Self::Alipay(e) => matches!(e, crate::alipay::AlipayError::Timeout),
        }
    }

    /// The platform's own error code, when it sent one (`errcode`, `err_no`, or Alipay's
    /// `sub_code`, else its `code`), as text.
    #[must_use]
    pub fn platform_code(&self) -> Option<String> {
        match self {
            #[cfg(feature = "wechat")]
            Self::Wechat(e) => e.errcode().map(|c| c.to_string()),
            #[cfg(feature = "qq")]
            Self::Qq(e) => e.errcode().map(|c| c.to_string()),
            #[cfg(feature = "douyin")]
            Self::Douyin(e) => e.err_no().map(|c| c.to_string()),
            #[cfg(feature = "alipay")]
            Self::Alipay(e) => e.code().map(str::to_owned),
        }
    }
}

impl fmt::Display for LoginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            #[cfg(feature = "wechat")]
            Self::Wechat(e) => e.fmt(f),
            #[cfg(feature = "qq")]
            Self::Qq(e) => e.fmt(f),
            #[cfg(feature = "douyin")]
            Self::Douyin(e) => e.fmt(f),
            #[cfg(feature = "alipay")]
            Self::Alipay(e) => e.fmt(f),
        }
    }
}

impl Error for LoginError {
    // Display already is the platform error's; its source is this one's.
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        match self {
            #[cfg(feature = "wechat")]
            Self::Wechat(e) => e.source(),
            #[cfg(feature = "qq")]
            Self::Qq(e) => e.source(),
            #[cfg(feature = "douyin")]
            Self::Douyin(e) => e.source(),
            #[cfg(feature = "alipay")]
            Self::Alipay(e) => e.source(),
        }
    }
}

#[cfg(feature = "wechat")]
impl From<crate::wechat::WechatError> for LoginError {
    fn from(e: crate::wechat::WechatError) -> Self {
        Self::Wechat(e)
    }
}
#[cfg(feature = "qq")]
impl From<crate::qq::QqError> for LoginError {
    fn from(e: crate::qq::QqError) -> Self {
        Self::Qq(e)
    }
}
#[cfg(feature = "douyin")]
impl From<crate::douyin::DouyinError> for LoginError {
    fn from(e: crate::douyin::DouyinError) -> Self {
        Self::Douyin(e)
    }
}
#[cfg(feature = "alipay")]
impl From<crate::alipay::AlipayError> for LoginError {
    fn from(e: crate::alipay::AlipayError) -> Self {
        Self::Alipay(e)
    }
}
