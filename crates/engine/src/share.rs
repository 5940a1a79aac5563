//! The share link: the assumptions and scenarios (never the customers' data) in the URL's
//! fragment, which browsers do not send to any server. JSON, deflated, in URL-safe base64,
//! behind a version: `#share=1.<data>`.

use crate::assumptions::Assumptions;
use crate::i18n::{fill, tr, Lang};
use crate::scenario::Scenarios;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a link carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SharedSettings {
    pub assumptions: Assumptions,
    pub scenarios: Scenarios,
}

/// The fragment's start, with the version of its content.
pub const PREFIX: &str = "share=1.";
/// The largest settings a link may unpack to: a link is typed or pasted, and its content must
/// not be able to fill the memory.
const MAX_UNPACKED: usize = 1 << 20;

/// Why a fragment cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// The fragment is not a share link (another anchor, or none).
    NotALink,
    /// A share link of a version this build does not read.
    Version(String),
    /// A share link cut short or altered.
    Damaged,
}

impl ShareError {
    /// Why the link was not applied, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ShareError::NotALink => tr(lang, "share.error.not_a_link").to_string(),
            ShareError::Version(v) => fill(tr(lang, "share.error.version"), &[("version", v)]),
            ShareError::Damaged => tr(lang, "share.error.damaged").to_string(),
        }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// URL-safe base64 without padding (RFC 4648, section 5).
fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * k)) as usize & 63] as char);
        }
    }
    out
}

fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut n) = (0u32, 0u32);
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c)? as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    // A single leftover character (6 bits) cannot end a valid encoding.
    (n < 6).then_some(out)
}

/// The fragment (without its `#`) that carries `settings`.
pub fn to_fragment(settings: &SharedSettings) -> String {
    let json = serde_json::to_vec(settings).unwrap_or_default();
    let packed = miniz_oxide::deflate::compress_to_vec(&json, 9);
    format!("{PREFIX}{}", base64url(&packed))
}

/// The settings a fragment (with or without its `#`) carries.
pub fn from_fragment(fragment: &str) -> Result<SharedSettings, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let Some(rest) = fragment.strip_prefix("share=") else {
        return Err(ShareError::NotALink);
    };
    let Some(data) = rest.strip_prefix("1.") else {
        let version = rest
            .split('.')
            .next()
            .unwrap_or("")
            .chars()
            .take(8)
            .collect();
        return Err(ShareError::Version(version));
    };
    let packed = from_base64url(data).ok_or(ShareError::Damaged)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_UNPACKED)
        .map_err(|_| ShareError::Damaged)?;
    serde_json::from_slice(&json).map_err(|_| ShareError::Damaged)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[test]
    fn base64url_matches_the_rfc_vectors() {
        // RFC 4648, section 10, without padding.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url(plain.as_bytes()), coded);
            assert_eq!(from_base64url(coded).unwrap(), plain.as_bytes());
        }
        // The URL-safe characters: 0xfb 0xff is "-_8" (62, 63, then 0b111100 = 60 = '8').
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(from_base64url("Z"), None);
        assert_eq!(from_base64url("Zm+v"), None);
    }

    fn settings() -> SharedSettings {
        let assumptions = Assumptions {
            cost_per_ticket: Decimal::new(1250, 2),
            ..Assumptions::default()
        };
        let mut scenarios = Scenarios::default();
        scenarios.save_as("Tickets at 12.50", &assumptions).unwrap();
        scenarios
            .save_as("Default", &Assumptions::default())
            .unwrap();
        SharedSettings {
            assumptions,
            scenarios,
        }
    }

    #[test]
    fn settings_round_trip_through_a_short_fragment() {
        let s = settings();
        let fragment = to_fragment(&s);
        assert!(fragment.starts_with("share=1."));
        assert!(
            fragment
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"=.-_".contains(&b)),
            "only characters a URL keeps as they are"
        );
        // Three sets of assumptions compress to well under the 2,000 characters every browser
        // and chat program keeps in a link.
        assert!(fragment.len() < 2_000, "{} characters", fragment.len());
        assert_eq!(from_fragment(&format!("#{fragment}")), Ok(s.clone()));
        assert_eq!(from_fragment(&fragment), Ok(s));
    }

    #[test]
    fn other_fragments_and_damaged_links_change_nothing() {
        assert_eq!(from_fragment(""), Err(ShareError::NotALink));
        assert_eq!(from_fragment("#customers"), Err(ShareError::NotALink));
        assert_eq!(
            from_fragment("#share=2.abc"),
            Err(ShareError::Version("2".to_string()))
        );
        let fragment = to_fragment(&settings());
        let cut = &fragment[..fragment.len() - 10];
        assert_eq!(from_fragment(cut), Err(ShareError::Damaged));
        assert_eq!(from_fragment("share=1.%%%"), Err(ShareError::Damaged));
        // Valid base64 and deflate of something that is not settings.
        let packed = miniz_oxide::deflate::compress_to_vec(b"{\"x\":1}", 9);
        assert_eq!(
            from_fragment(&format!("share=1.{}", base64url(&packed))),
            Err(ShareError::Damaged)
        );
    }
}
