//! The one error type of the reference: a rejection with Wasmtime's exact
//! message chain and the ID of the spec rule that produced it.

use crate::reader::{word32, word64};
use std::borrow::Cow;
use std::fmt;

/// Why an artifact is not accepted: the rule that fired and the error chain
/// exactly as Wasmtime prints it, outermost message first.
///
/// A rejection whose messages are fixed texts is built without allocating,
/// and so is one whose message is a fixed text around a short ASCII piece of
/// the artifact (a version string): that message is joined when it is read.
/// Any other built message is allocated once. `Result<(), Rejection>` stays
/// at most 56 bytes, as every caller moves it.
#[derive(Clone)]
pub struct Rejection(Repr);

#[derive(Clone)]
enum Repr {
    /// Fixed texts: most rejections, and often the common answer.
    Static {
        rule: &'static str,
        /// The outermost message, when the chain has a cause.
        context: Option<&'static str>,
        message: &'static str,
    },
    /// A fixed context, if any, and a built message: one allocation, the
    /// message's own.
    Built {
        rule: &'static str,
        context: Option<&'static str>,
        message: String,
    },
    Boxed(Box<Inner>),
    /// A single message that is a fixed text around a short piece of the
    /// artifact (a version string): kept in place, and joined only when
    /// the message is read.
    Spliced {
        rule: &'static str,
        around: &'static [&'static str; 2],
        piece: Piece,
    },
}

/// Up to [`Piece::CAPACITY`] bytes of UTF-8, in place, as two
/// little-endian words: built from loads alone, with no bytes stored and
/// read back.
#[derive(Clone, Copy)]
struct Piece {
    words: [u64; 2],
    len: u8,
}

impl Piece {
    const CAPACITY: usize = 16;

    fn new(text: &str) -> Option<Piece> {
        Piece::of_bytes(text.as_bytes())
    }

    /// A piece of `bytes` that are ASCII, which is UTF-8 without decoding.
    fn ascii(bytes: &[u8]) -> Option<Piece> {
        let piece = Piece::of_bytes(bytes)?;
        const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
        ((piece.words[0] | piece.words[1]) & HIGH_BITS == 0).then_some(piece)
    }

    /// `bytes` in place, when they fit; the caller knows them to be UTF-8.
    fn of_bytes(bytes: &[u8]) -> Option<Piece> {
        let len = bytes.len();
        let words = match len {
            0..=8 => [short_word(bytes), 0],
            9..=Piece::CAPACITY => {
                // The last eight bytes, shifted so that byte 8 comes first.
                let last = word64(bytes, len - 8).unwrap_or(0) >> (8 * (Piece::CAPACITY - len));
                [word64(bytes, 0).unwrap_or(0), last]
            }
            _ => return None,
        };
        Some(Piece {
            words,
            len: len as u8,
        })
    }

    /// The bytes, and how many there are.
    fn bytes(&self) -> ([u8; Piece::CAPACITY], usize) {
        let mut out = [0; Piece::CAPACITY];
        let (first, second) = out.split_at_mut(8);
        first.copy_from_slice(&self.words[0].to_le_bytes());
        second.copy_from_slice(&self.words[1].to_le_bytes());
        (out, usize::from(self.len))
    }

    /// Calls `f` with the text.
    fn with_str<T>(&self, f: impl FnOnce(&str) -> T) -> T {
        let (bytes, len) = self.bytes();
        // Taken from a `str` whole, so always UTF-8.
        f(std::str::from_utf8(bytes.get(..len).unwrap_or_default()).unwrap_or_default())
    }
}

/// Up to eight bytes as a little-endian word, by at most two overlapping
/// loads.
fn short_word(bytes: &[u8]) -> u64 {
    let len = bytes.len();
    let u32_at = |at: usize| word32(bytes, at).map_or(0, u64::from);
    match len {
        8 => word64(bytes, 0).unwrap_or(0),
        // Overlapping bytes are the same bytes at the same places.
        4..=7 => u32_at(0) | (u32_at(len - 4) << (8 * (len - 4))),
        _ => bytes
            .iter()
            .enumerate()
            .fold(0, |w, (i, &b)| w | u64::from(b) << (8 * i)),
    }
}

#[derive(Clone)]
struct Inner {
    rule: &'static str,
    context: Option<Cow<'static, str>>,
    message: Cow<'static, str>,
}

impl Rejection {
    /// A rejection with a single message.
    #[cold]
    pub fn new(rule: &'static str, message: impl Into<Cow<'static, str>>) -> Self {
        match message.into() {
            Cow::Borrowed(message) => Rejection::fixed(rule, message),
            Cow::Owned(message) => Rejection(Repr::Built {
                rule,
                context: None,
                message,
            }),
        }
    }

    /// A rejection whose outermost message is `context`, caused by `cause`.
    #[cold]
    pub fn with_context(
        rule: &'static str,
        context: impl Into<Cow<'static, str>>,
        cause: impl Into<Cow<'static, str>>,
    ) -> Self {
        match (context.into(), cause.into()) {
            (Cow::Borrowed(context), Cow::Borrowed(message)) => Rejection(Repr::Static {
                rule,
                context: Some(context),
                message,
            }),
            (Cow::Borrowed(context), Cow::Owned(message)) => Rejection(Repr::Built {
                rule,
                context: Some(context),
                message,
            }),
            (context, message) => Rejection(Repr::Boxed(Box::new(Inner {
                rule,
                context: Some(context),
                message,
            }))),
        }
    }

    /// A rejection with a single fixed message: never allocates.
    #[cold]
    pub(crate) const fn fixed(rule: &'static str, message: &'static str) -> Self {
        Rejection(Repr::Static {
            rule,
            context: None,
            message,
        })
    }

    /// A rejection whose single message is `parts` end to end, built in
    /// one allocation without formatting.
    #[cold]
    pub(crate) fn joined(rule: &'static str, parts: &[&str]) -> Self {
        let len: usize = parts.iter().map(|p| p.len()).sum();
        let mut message = String::with_capacity(len);
        for part in parts {
            message.push_str(part);
        }
        Rejection::new(rule, message)
    }

    /// A rejection whose single message is `around[0]`, `piece`,
    /// `around[1]`: in place when the piece is short, so that it does not
    /// allocate.
    #[cold]
    pub(crate) fn spliced(
        rule: &'static str,
        around: &'static [&'static str; 2],
        piece: &str,
    ) -> Self {
        match Piece::new(piece) {
            Some(piece) => Rejection(Repr::Spliced {
                rule,
                around,
                piece,
            }),
            None => Rejection::joined(rule, &[around[0], piece, around[1]]),
        }
    }

    /// [`Rejection::spliced`] of a short ASCII piece given as bytes, which
    /// needs no UTF-8 check; `None` for any other bytes.
    #[inline]
    pub(crate) fn spliced_ascii(
        rule: &'static str,
        around: &'static [&'static str; 2],
        piece: &[u8],
    ) -> Option<Self> {
        let piece = Piece::ascii(piece)?;
        Some(Rejection(Repr::Spliced {
            rule,
            around,
            piece,
        }))
    }

    /// The spec rule ID (`spec/`), e.g. `compat.tunables.epoch-interruption`.
    pub fn rule(&self) -> &'static str {
        match &self.0 {
            Repr::Static { rule, .. } | Repr::Built { rule, .. } | Repr::Spliced { rule, .. } => {
                rule
            }
            Repr::Boxed(inner) => inner.rule,
        }
    }

    /// The outermost message when the chain has a cause, and the innermost.
    fn parts(&self) -> (Option<&str>, Cow<'_, str>) {
        match &self.0 {
            Repr::Static {
                context, message, ..
            } => (*context, Cow::Borrowed(message)),
            Repr::Built {
                context, message, ..
            } => (*context, Cow::Borrowed(message)),
            Repr::Boxed(inner) => (inner.context.as_deref(), Cow::Borrowed(&inner.message)),
            Repr::Spliced { around, piece, .. } => (
                None,
                Cow::Owned(piece.with_str(|piece| [around[0], piece, around[1]].concat())),
            ),
        }
    }

    /// The error chain, outermost first, word for word as Wasmtime's
    /// `Error::chain()` renders it.
    pub fn chain(&self) -> Vec<String> {
        let (context, message) = self.parts();
        context
            .map(str::to_string)
            .into_iter()
            .chain(std::iter::once(message.into_owned()))
            .collect()
    }

    /// The phase of the check the deciding rule belongs to.
    pub fn phase(&self) -> Phase {
        match self.rule().split('.').next() {
            Some("load") => Phase::Load,
            Some("info") => Phase::ModuleInfo,
            _ => Phase::Compatibility,
        }
    }

    /// The outermost message: borrowed, except where it is joined from a
    /// fixed text and a piece kept in place.
    pub fn message(&self) -> Cow<'_, str> {
        match self.parts() {
            (Some(context), _) => Cow::Borrowed(context),
            (None, message) => message,
        }
    }
}

/// Equal when the rule and the chain are, however they are stored.
impl PartialEq for Rejection {
    fn eq(&self, other: &Self) -> bool {
        self.rule() == other.rule() && self.parts() == other.parts()
    }
}

impl Eq for Rejection {}

/// postcard's `Display` text of the errors the reader raises, without
/// allocating; any other error's text is formatted.
pub(crate) fn postcard_message(e: postcard::Error) -> Cow<'static, str> {
    use postcard::Error::*;
    Cow::Borrowed(match e {
        DeserializeUnexpectedEnd => "Hit the end of buffer, expected more data",
        DeserializeBadVarint => {
            "Found a varint that didn't terminate. Is the usize too big for this platform?"
        }
        DeserializeBadBool => "Found a bool that wasn't 0 or 1",
        DeserializeBadUtf8 => "Tried to parse invalid utf-8",
        DeserializeBadOption => "Found an Option discriminant that wasn't 0 or 1",
        SerdeDeCustom => "Serde Deserialization Error",
        other => return Cow::Owned(other.to_string()),
    })
}

/// The phases of `deserialize`, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// The ELF markers and the engine record: what the format's own
    /// `check_compatible` covers (spec 2, 3, 5).
    Compatibility,
    /// The section walk of loading after it (spec 3.2).
    Load,
    /// Decoding the `.wasmtime.info` section after the walk (spec 3.3).
    ModuleInfo,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Compatibility => "compatibility",
            Phase::Load => "load",
            Phase::ModuleInfo => "module-info",
        }
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Spliced { around, piece, .. } => {
                f.write_str(around[0])?;
                piece.with_str(|piece| f.write_str(piece))?;
                f.write_str(around[1])
            }
            _ => f.write_str(&self.message()),
        }
    }
}

impl fmt::Debug for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.rule(), self.chain().join(": "))
    }
}

impl std::error::Error for Rejection {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postcard_messages_are_postcards() {
        use postcard::Error::*;
        for e in [
            DeserializeUnexpectedEnd,
            DeserializeBadVarint,
            DeserializeBadBool,
            DeserializeBadUtf8,
            DeserializeBadOption,
            SerdeDeCustom,
            DeserializeBadEncoding,
        ] {
            assert_eq!(postcard_message(e.clone()), e.to_string());
        }
    }

    /// Early rejections are moved up through every caller: a rejection
    /// larger than the fixed kind plus a `String` makes each of them dearer.
    #[test]
    fn rejection_stays_small() {
        assert!(std::mem::size_of::<Result<(), Rejection>>() <= 56);
    }

    #[test]
    fn spliced_pieces_render_like_joined_ones() {
        static AROUND: [&str; 2] = ["before '", "' after"];
        let short = Rejection::spliced("version.match", &AROUND, "48");
        let long = Rejection::spliced("version.match", &AROUND, &"x".repeat(40));
        let text = "0123456789abcdefé";
        for end in 0..=text.len() {
            let Some(piece) = text.get(..end) else {
                continue;
            };
            let spliced = Rejection::spliced("version.match", &AROUND, piece);
            assert_eq!(spliced.message(), format!("before '{piece}' after"));
            let inline = matches!(spliced.0, Repr::Spliced { .. });
            assert_eq!(inline, piece.len() <= Piece::CAPACITY, "{piece}");
            let ascii = Rejection::spliced_ascii("version.match", &AROUND, piece.as_bytes());
            assert_eq!(ascii.is_some(), inline && piece.is_ascii(), "{piece}");
            if let Some(ascii) = ascii {
                assert_eq!(ascii, spliced);
            }
        }
        assert!(matches!(short.0, Repr::Spliced { .. }));
        assert!(matches!(long.0, Repr::Built { .. }));
        assert_eq!(short.message(), "before '48' after");
        assert_eq!(short.to_string(), "before '48' after");
        assert_eq!(
            short,
            Rejection::new("version.match", "before '48' after".to_string())
        );
        assert_eq!(long.message(), format!("before '{}' after", "x".repeat(40)));
    }

    #[test]
    fn fixed_and_boxed_compare_by_content() {
        let fixed = Rejection::new("section.find", "no");
        let boxed = Rejection::new("section.find", String::from("no"));
        assert!(matches!(fixed.0, Repr::Static { .. }));
        assert!(matches!(boxed.0, Repr::Built { .. }));
        assert_eq!(fixed, boxed);
        assert_eq!(fixed.chain(), vec!["no".to_string()]);
        let chained = Rejection::with_context("elf.parse", "outer", String::from("inner"));
        assert_eq!(
            chained,
            Rejection::with_context("elf.parse", "outer", "inner")
        );
        assert_eq!(chained.message(), "outer");
        assert_eq!(
            chained.chain(),
            vec!["outer".to_string(), "inner".to_string()]
        );
    }
}
