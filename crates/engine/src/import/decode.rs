//! Turning a file's bytes into text: UTF-8 (with or without a byte-order mark), UTF-16 from
//! Excel's "Unicode text" export, and the two Windows code pages our users' older exports use,
//! Windows-1250 (Central European: Hungarian, Polish) and Windows-1252 (Western: English,
//! Spanish, Indonesian). The two code-page tables are 256 characters of data here instead of a
//! general encoding crate, which would add every Asian table to the WebAssembly.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A text encoding the import reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1250,
    Windows1252,
}

impl Encoding {
    pub const ALL: [Encoding; 5] = [
        Encoding::Utf8,
        Encoding::Utf16Le,
        Encoding::Utf16Be,
        Encoding::Windows1250,
        Encoding::Windows1252,
    ];

    /// The name people know it by (also its key in the translation table).
    pub fn key(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1250 => "windows-1250",
            Encoding::Windows1252 => "windows-1252",
        }
    }

    pub fn from_key(key: &str) -> Option<Encoding> {
        Encoding::ALL.into_iter().find(|e| e.key() == key)
    }
}

/// Why bytes are not text in an encoding.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum DecodeError {
    /// The byte at this offset (0-based) does not start or continue a character.
    Invalid {
        encoding: Encoding,
        offset: usize,
        byte: u8,
    },
    /// UTF-16 text with an odd number of bytes.
    OddLength,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Invalid {
                encoding,
                offset,
                byte,
            } => write!(
                f,
                "byte {offset} (0x{byte:02X}) is not a character in {}",
                encoding.key()
            ),
            DecodeError::OddLength => f.write_str("UTF-16 text with an odd number of bytes"),
        }
    }
}

/// Text decoded from a file, and how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    /// The file began with a byte-order mark (which is not part of `text`).
    pub bom: bool,
    /// Another encoding would also have read the file, into different text: the person may
    /// want to switch (only between the two Windows code pages).
    pub alternative: Option<Encoding>,
}

/// Reads bytes as text, detecting the encoding: a byte-order mark decides; otherwise valid UTF-8
/// is UTF-8; otherwise the Windows code page whose letters fit the text better (see
/// [`guess_code_page`]).
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_owned(bytes.to_vec())
}

const UTF8_BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// [`decode`] of bytes the caller gives up: UTF-8, what nearly every file is, becomes the text
/// in the same buffer, checked once and not copied.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    let decoded = |text, encoding, bom, alternative| Decoded {
        text,
        encoding,
        bom,
        alternative,
    };
    for (mark, encoding) in [
        ([0xFF, 0xFE], Encoding::Utf16Le),
        ([0xFE, 0xFF], Encoding::Utf16Be),
    ] {
        if let Some(body) = bytes.strip_prefix(&mark) {
            return decode_as(body, encoding).map(|text| decoded(text, encoding, true, None));
        }
    }
    let bom = bytes.starts_with(&UTF8_BOM);
    match utf8_in_place(bytes) {
        Ok(text) => Ok(decoded(text, Encoding::Utf8, bom, None)),
        Err((_, error)) if bom => Err(error),
        Err((bytes, _)) => {
            let (encoding, alternative) = guess_code_page(&bytes);
            decode_as(&bytes, encoding).map(|text| decoded(text, encoding, false, alternative))
        }
    }
}

/// [`decode_as`] of bytes the caller gives up (UTF-8 is not copied).
pub fn decode_as_owned(bytes: Vec<u8>, encoding: Encoding) -> Result<String, DecodeError> {
    match encoding {
        Encoding::Utf8 => utf8_in_place(bytes).map_err(|(_, error)| error),
        _ => decode_as(&bytes, encoding),
    }
}

/// The bytes as UTF-8 text without a leading byte-order mark, in their own buffer; or, when
/// they are not UTF-8, the bytes back (mark removed) and where they stop being UTF-8.
fn utf8_in_place(mut bytes: Vec<u8>) -> Result<String, (Vec<u8>, DecodeError)> {
    if bytes.starts_with(&UTF8_BOM) {
        bytes.drain(..UTF8_BOM.len());
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let error = DecodeError::Invalid {
            encoding: Encoding::Utf8,
            offset,
            byte: bytes[offset],
        };
        (bytes, error)
    })
}

/// Reads bytes as text in a given encoding (a leading byte-order mark of that encoding is
/// skipped).
pub fn decode_as(bytes: &[u8], encoding: Encoding) -> Result<String, DecodeError> {
    match encoding {
        Encoding::Utf8 => {
            let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
            std::str::from_utf8(bytes)
                .map(str::to_string)
                .map_err(|e| DecodeError::Invalid {
                    encoding,
                    offset: e.valid_up_to(),
                    byte: bytes[e.valid_up_to()],
                })
        }
        Encoding::Utf16Le | Encoding::Utf16Be => {
            if bytes.len() % 2 != 0 {
                return Err(DecodeError::OddLength);
            }
            let little = encoding == Encoding::Utf16Le;
            let units = bytes.chunks_exact(2).map(|p| {
                if little {
                    u16::from_le_bytes([p[0], p[1]])
                } else {
                    u16::from_be_bytes([p[0], p[1]])
                }
            });
            let mut text = String::with_capacity(bytes.len() / 2);
            let mut offset = 0;
            for c in char::decode_utf16(units) {
                match c {
                    Ok('\u{feff}') if offset == 0 => {}
                    Ok(c) => text.push(c),
                    Err(_) => {
                        return Err(DecodeError::Invalid {
                            encoding,
                            offset,
                            byte: bytes[offset],
                        })
                    }
                }
                offset += c.map_or(2, char::len_utf16) * 2;
            }
            Ok(text)
        }
        Encoding::Windows1250 | Encoding::Windows1252 => {
            let table = high_half(encoding);
            let mut text = String::with_capacity(bytes.len() + bytes.len() / 8);
            for (offset, &byte) in bytes.iter().enumerate() {
                let c = if byte < 0x80 {
                    byte as char
                } else {
                    table[byte as usize - 0x80]
                };
                if c == UNDEFINED {
                    return Err(DecodeError::Invalid {
                        encoding,
                        offset,
                        byte,
                    });
                }
                text.push(c);
            }
            Ok(text)
        }
    }
}

/// Chooses between Windows-1250 and Windows-1252 for bytes that are not UTF-8.
///
/// Each code page scores the letters it decodes that only its languages use (ő, ű, ł, ą, ś, ż...
/// for 1250; ñ, ¿, ¡, ã, ç, à... for 1252, leaving out õ and û, which Hungarian text
/// read in the wrong page would show); letters both share (á, é, ö, ü) decide nothing. A
/// code page that cannot decode some byte loses. On a tie, 1252 is chosen. The other page is
/// returned as the alternative when it also decodes the bytes, into a different text.
pub fn guess_code_page(bytes: &[u8]) -> (Encoding, Option<Encoding>) {
    let score = |encoding: Encoding, distinctive: &str| -> Option<usize> {
        let table = high_half(encoding);
        let mut score = 0;
        for &b in bytes.iter().filter(|&&b| b >= 0x80) {
            let c = table[b as usize - 0x80];
            if c == UNDEFINED {
                return None;
            }
            if distinctive.contains(c) {
                score += 1;
            }
        }
        Some(score)
    };
    let central = score(Encoding::Windows1250, "őűŐŰłŁąĄęĘśŚżŻźŹćĆńŃčČřŘ");
    let western = score(Encoding::Windows1252, "ñÑ¿¡ãÃçÇàÀèÈìÌòÒùÙêîÊÎœŒ€£");
    let differs = bytes
        .iter()
        .any(|&b| b >= 0x80 && WINDOWS_1250[b as usize - 0x80] != WINDOWS_1252[b as usize - 0x80]);
    match (central, western) {
        (Some(c), Some(w)) if c > w => (
            Encoding::Windows1250,
            differs.then_some(Encoding::Windows1252),
        ),
        (Some(_), Some(_)) => (
            Encoding::Windows1252,
            differs.then_some(Encoding::Windows1250),
        ),
        (Some(_), None) => (Encoding::Windows1250, None),
        _ => (Encoding::Windows1252, None),
    }
}

/// A byte the code page leaves undefined.
const UNDEFINED: char = '\u{fffd}';

fn high_half(encoding: Encoding) -> &'static [char; 128] {
    match encoding {
        Encoding::Windows1250 => &WINDOWS_1250,
        _ => &WINDOWS_1252,
    }
}

/// Bytes 0x80 to 0xFF of Windows-1250, as published by Microsoft (cp1250.txt).
#[rustfmt::skip]
const WINDOWS_1250: [char; 128] = [
    '\u{20ac}', UNDEFINED, '\u{201a}', UNDEFINED, '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    UNDEFINED, '\u{2030}', '\u{0160}', '\u{2039}', '\u{015a}', '\u{0164}', '\u{017d}', '\u{0179}',
    UNDEFINED, '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    UNDEFINED, '\u{2122}', '\u{0161}', '\u{203a}', '\u{015b}', '\u{0165}', '\u{017e}', '\u{017a}',
    '\u{00a0}', '\u{02c7}', '\u{02d8}', '\u{0141}', '\u{00a4}', '\u{0104}', '\u{00a6}', '\u{00a7}',
    '\u{00a8}', '\u{00a9}', '\u{015e}', '\u{00ab}', '\u{00ac}', '\u{00ad}', '\u{00ae}', '\u{017b}',
    '\u{00b0}', '\u{00b1}', '\u{02db}', '\u{0142}', '\u{00b4}', '\u{00b5}', '\u{00b6}', '\u{00b7}',
    '\u{00b8}', '\u{0105}', '\u{015f}', '\u{00bb}', '\u{013d}', '\u{02dd}', '\u{013e}', '\u{017c}',
    '\u{0154}', '\u{00c1}', '\u{00c2}', '\u{0102}', '\u{00c4}', '\u{0139}', '\u{0106}', '\u{00c7}',
    '\u{010c}', '\u{00c9}', '\u{0118}', '\u{00cb}', '\u{011a}', '\u{00cd}', '\u{00ce}', '\u{010e}',
    '\u{0110}', '\u{0143}', '\u{0147}', '\u{00d3}', '\u{00d4}', '\u{0150}', '\u{00d6}', '\u{00d7}',
    '\u{0158}', '\u{016e}', '\u{00da}', '\u{0170}', '\u{00dc}', '\u{00dd}', '\u{0162}', '\u{00df}',
    '\u{0155}', '\u{00e1}', '\u{00e2}', '\u{0103}', '\u{00e4}', '\u{013a}', '\u{0107}', '\u{00e7}',
    '\u{010d}', '\u{00e9}', '\u{0119}', '\u{00eb}', '\u{011b}', '\u{00ed}', '\u{00ee}', '\u{010f}',
    '\u{0111}', '\u{0144}', '\u{0148}', '\u{00f3}', '\u{00f4}', '\u{0151}', '\u{00f6}', '\u{00f7}',
    '\u{0159}', '\u{016f}', '\u{00fa}', '\u{0171}', '\u{00fc}', '\u{00fd}', '\u{0163}', '\u{02d9}',
];

/// Bytes 0x80 to 0xFF of Windows-1252, as published by Microsoft (cp1252.txt).
#[rustfmt::skip]
const WINDOWS_1252: [char; 128] = [
    '\u{20ac}', UNDEFINED, '\u{201a}', '\u{0192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}',
    '\u{02c6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', UNDEFINED, '\u{017d}', UNDEFINED,
    UNDEFINED, '\u{2018}', '\u{2019}', '\u{201c}', '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}',
    '\u{02dc}', '\u{2122}', '\u{0161}', '\u{203a}', '\u{0153}', UNDEFINED, '\u{017e}', '\u{0178}',
    '\u{00a0}', '\u{00a1}', '\u{00a2}', '\u{00a3}', '\u{00a4}', '\u{00a5}', '\u{00a6}', '\u{00a7}',
    '\u{00a8}', '\u{00a9}', '\u{00aa}', '\u{00ab}', '\u{00ac}', '\u{00ad}', '\u{00ae}', '\u{00af}',
    '\u{00b0}', '\u{00b1}', '\u{00b2}', '\u{00b3}', '\u{00b4}', '\u{00b5}', '\u{00b6}', '\u{00b7}',
    '\u{00b8}', '\u{00b9}', '\u{00ba}', '\u{00bb}', '\u{00bc}', '\u{00bd}', '\u{00be}', '\u{00bf}',
    '\u{00c0}', '\u{00c1}', '\u{00c2}', '\u{00c3}', '\u{00c4}', '\u{00c5}', '\u{00c6}', '\u{00c7}',
    '\u{00c8}', '\u{00c9}', '\u{00ca}', '\u{00cb}', '\u{00cc}', '\u{00cd}', '\u{00ce}', '\u{00cf}',
    '\u{00d0}', '\u{00d1}', '\u{00d2}', '\u{00d3}', '\u{00d4}', '\u{00d5}', '\u{00d6}', '\u{00d7}',
    '\u{00d8}', '\u{00d9}', '\u{00da}', '\u{00db}', '\u{00dc}', '\u{00dd}', '\u{00de}', '\u{00df}',
    '\u{00e0}', '\u{00e1}', '\u{00e2}', '\u{00e3}', '\u{00e4}', '\u{00e5}', '\u{00e6}', '\u{00e7}',
    '\u{00e8}', '\u{00e9}', '\u{00ea}', '\u{00eb}', '\u{00ec}', '\u{00ed}', '\u{00ee}', '\u{00ef}',
    '\u{00f0}', '\u{00f1}', '\u{00f2}', '\u{00f3}', '\u{00f4}', '\u{00f5}', '\u{00f6}', '\u{00f7}',
    '\u{00f8}', '\u{00f9}', '\u{00fa}', '\u{00fb}', '\u{00fc}', '\u{00fd}', '\u{00fe}', '\u{00ff}',
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_order_marks_decide() {
        let d = decode(b"\xEF\xBB\xBFid;n\xC3\xA9v").unwrap();
        assert_eq!(
            (d.text.as_str(), d.encoding, d.bom),
            ("id;név", Encoding::Utf8, true)
        );
        // "é1" in UTF-16 little-endian: é = U+00E9.
        let d = decode(&[0xFF, 0xFE, 0xE9, 0x00, 0x31, 0x00]).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("é1", Encoding::Utf16Le));
        let d = decode(&[0xFE, 0xFF, 0x00, 0xE9, 0x00, 0x31]).unwrap();
        assert_eq!((d.text.as_str(), d.encoding), ("é1", Encoding::Utf16Be));
        assert_eq!(decode(&[0xFF, 0xFE, 0x31]), Err(DecodeError::OddLength));
        // A lone high surrogate (0xD800) is named by its byte offset.
        assert_eq!(
            decode_as(&[0x31, 0x00, 0x00, 0xD8, 0x31, 0x00], Encoding::Utf16Le),
            Err(DecodeError::Invalid {
                encoding: Encoding::Utf16Le,
                offset: 2,
                byte: 0x00
            })
        );
    }

    #[test]
    fn plain_utf8_needs_no_mark() {
        let d = decode("Łódź;1 234,50 zł".as_bytes()).unwrap();
        assert_eq!(
            (d.encoding, d.bom, d.alternative),
            (Encoding::Utf8, false, None)
        );
        assert_eq!(d.text, "Łódź;1 234,50 zł");
    }

    #[test]
    fn hungarian_and_polish_code_page() {
        // "Kőbányai Sörgyár" in Windows-1250: ő = 0xF5, ö = 0xF6, á = 0xE1.
        let d = decode(b"K\xF5b\xE1nyai S\xF6rgy\xE1r").unwrap();
        assert_eq!(d.encoding, Encoding::Windows1250);
        assert_eq!(d.text, "Kőbányai Sörgyár");
        assert_eq!(d.alternative, Some(Encoding::Windows1252));
        // "Łódź zł": Ł = 0xA3, ó = 0xF3, ź = 0x9F, ł = 0xB3.
        let d = decode(b"\xA3\xF3d\x9F z\xB3").unwrap();
        assert_eq!(
            (d.encoding, d.text.as_str()),
            (Encoding::Windows1250, "Łódź zł")
        );
    }

    #[test]
    fn spanish_code_page() {
        // "Año: 1.234,50 €" in Windows-1252: ñ = 0xF1, € = 0x80.
        let d = decode(b"A\xF1o: 1.234,50 \x80").unwrap();
        assert_eq!(d.encoding, Encoding::Windows1252);
        assert_eq!(d.text, "Año: 1.234,50 €");
    }

    #[test]
    fn undefined_bytes_are_named() {
        // 0x81 is undefined in both code pages; 0x83 only in 1250.
        assert_eq!(
            decode_as(b"ab\x81", Encoding::Windows1252),
            Err(DecodeError::Invalid {
                encoding: Encoding::Windows1252,
                offset: 2,
                byte: 0x81
            })
        );
        assert_eq!(guess_code_page(b"\x83"), (Encoding::Windows1252, None));
        let e = decode_as(b"ok\xFF", Encoding::Utf8).unwrap_err();
        assert_eq!(e.to_string(), "byte 2 (0xFF) is not a character in utf-8");
    }

    #[test]
    fn code_pages_round_trip_their_own_letters() {
        for (encoding, letters) in [
            (Encoding::Windows1250, "ŐŰőűŁłĄąĘęŚśŻżŹźĆćŃń"),
            (Encoding::Windows1252, "ÑñÃãÕõÇçÀàÈè¿¡€£"),
        ] {
            let bytes: Vec<u8> = letters
                .chars()
                .map(|c| 0x80 + high_half(encoding).iter().position(|&t| t == c).unwrap() as u8)
                .collect();
            assert_eq!(decode_as(&bytes, encoding).unwrap(), letters);
        }
    }
}
