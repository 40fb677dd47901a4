//! The postcard-encoded `Metadata` of the engine section: decoding (borrowing
//! from the input, never allocating) and encoding (byte-exact).
//!
//! `Metadata` is, in encoding order: the target triple (`str`), the Cranelift
//! shared flags and ISA flags (each a sequence of `(str, FlagValue)`), the
//! release's `Tunables` (see [`crate::history`]) and the wasm feature bits
//! (`u64`). Bytes after `features` are ignored, as `postcard::from_bytes`
//! ignores them.

use crate::history::{FeatureEncoding, Layout, Release, TunableType};
use crate::reader::{Reader, Writer};
use postcard::Error;
use std::fmt;

/// The value of a Cranelift setting. Variant order is the encoding order.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FlagValue<'a> {
    Enum(&'a str),
    Num(u8),
    Bool(bool),
}

/// Renders as Rust's derived `Debug` does (`Bool(true)`, `Enum("inline")`),
/// which is how Wasmtime's flag messages print values.
impl fmt::Debug for FlagValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlagValue::Enum(s) => write!(f, "Enum({s:?})"),
            FlagValue::Num(n) => write!(f, "Num({n})"),
            FlagValue::Bool(b) => write!(f, "Bool({b})"),
        }
    }
}

/// A validated, still-encoded sequence of `(name, FlagValue)` pairs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FlagList<'a> {
    /// The encoded elements, without the length prefix.
    elements: &'a [u8],
    len: u64,
}

impl<'a> FlagList<'a> {
    pub(crate) fn decode(r: &mut Reader<'a>) -> Result<Self, Error> {
        let len = r.read_len()?;
        let start = r.position();
        // Every element takes at least one byte, so this loop is bounded by
        // the input however large `len` claims to be.
        for _ in 0..len {
            decode_flag(r)?;
        }
        Ok(FlagList {
            elements: r.slice(start, r.position()),
            len,
        })
    }

    /// Encodes `flags` as a postcard sequence (with its length prefix).
    pub fn encode(flags: &[(&str, FlagValue<'_>)]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut w = Writer(&mut out);
        w.varint(flags.len() as u64);
        for (name, value) in flags {
            w.str(name);
            match value {
                FlagValue::Enum(s) => {
                    w.varint(0);
                    w.str(s);
                }
                FlagValue::Num(n) => {
                    w.varint(1);
                    w.u8(*n);
                }
                FlagValue::Bool(b) => {
                    w.varint(2);
                    w.bool(*b);
                }
            }
        }
        out
    }

    /// Parses a whole buffer produced by [`FlagList::encode`].
    pub fn parse(encoded: &'a [u8]) -> Result<Self, Error> {
        FlagList::decode(&mut Reader::new(encoded))
    }

    pub fn len(&self) -> u64 {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'a str, FlagValue<'a>)> + 'a {
        let mut r = Reader::new(self.elements);
        // The elements were validated when the list was decoded.
        std::iter::from_fn(move || decode_flag(&mut r).ok())
    }

    fn write(&self, w: &mut Writer<'_>) {
        w.varint(self.len);
        w.bytes(self.elements);
    }
}

impl fmt::Debug for FlagList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// What one unit of an encoded `Metadata` body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    /// The target string, with its length.
    Target,
    /// A flag list's length.
    Count(List),
    /// One element of a flag list.
    Flag(List),
    /// One Tunables field, by its index in the layout.
    Tunable(usize),
}

/// Which flag list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum List {
    Shared,
    Isa,
}

/// A body cut into its units, which lie end to end from its start to the
/// end of the Tunables: the target, each flag list's length and elements,
/// and each Tunables field. Where an artifact's bytes agree with the host's
/// from a unit's start, the units they hold whole are the host's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BodyUnits {
    /// Each unit's bytes, end to end from the body's start.
    ranges: Vec<(usize, usize)>,
    /// `holder[o]`: the unit holding byte `o`, so that how many units a run
    /// of shared bytes covers is one lookup.
    holder: Vec<u32>,
    kinds: Vec<Unit>,
    /// The unit after each list (shared, then ISA): the next list's length,
    /// or the first Tunables field.
    after: [usize; 2],
}

impl BodyUnits {
    /// The units of `body` read with `layout`; `None` when it does not
    /// decode.
    pub(crate) fn of(body: &[u8], layout: &Layout) -> Option<BodyUnits> {
        let mut r = Reader::new(body);
        let mut ranges = Vec::new();
        let mut kinds: Vec<Unit> = Vec::new();
        let mut unit = |r: &Reader<'_>, start: usize, kind: Unit| {
            ranges.push((start, r.position()));
            kinds.push(kind);
            kinds.len()
        };
        let len = r.read_len().ok()?;
        std::str::from_utf8(r.take(len).ok()?).ok()?;
        unit(&r, 0, Unit::Target);
        let mut after = [0; 2];
        for (list, after) in [List::Shared, List::Isa].into_iter().zip(&mut after) {
            let start = r.position();
            let len = r.read_len().ok()?;
            *after = unit(&r, start, Unit::Count(list));
            for _ in 0..len {
                let start = r.position();
                decode_flag(&mut r).ok()?;
                *after = unit(&r, start, Unit::Flag(list));
            }
        }
        for (index, field) in layout.tunables.iter().enumerate() {
            let start = r.position();
            decode_tunable(&mut r, field.ty).ok()?;
            unit(&r, start, Unit::Tunable(index));
        }
        let mut holder = Vec::new();
        for (index, &(start, end)) in ranges.iter().enumerate() {
            let index = u32::try_from(index).unwrap_or(u32::MAX);
            holder.extend(std::iter::repeat_n(index, end - start));
        }
        Some(BodyUnits {
            ranges,
            holder,
            kinds,
            after,
        })
    }

    pub(crate) fn kind(&self, index: usize) -> Option<Unit> {
        self.kinds.get(index).copied()
    }

    /// Unit `index`'s bytes in the body.
    pub(crate) fn range(&self, index: usize) -> Option<(usize, usize)> {
        self.ranges.get(index).copied()
    }

    /// The unit that follows `list`'s last element.
    pub(crate) fn after(&self, list: List) -> usize {
        self.after[list as usize]
    }

    /// Tunables field `index`'s bytes in the body.
    pub(crate) fn tunable(&self, index: usize) -> Option<(usize, usize)> {
        self.range(self.after(List::Isa) + index)
    }

    /// The host's bytes (of `body`) from unit `index` to the last unit's
    /// end: `None` past the last unit.
    pub(crate) fn from<'b>(&self, body: &'b [u8], index: usize) -> Option<&'b [u8]> {
        let (start, _) = self.range(index)?;
        body.get(start..self.holder.len())
    }

    /// Given `shared` bytes that agree with the host's from unit `index`'s
    /// start: how many units they hold whole, and their length in bytes.
    pub(crate) fn whole_within(&self, index: usize, shared: usize) -> (usize, usize) {
        let Some((from, _)) = self.range(index) else {
            return (0, 0);
        };
        // The unit holding the first byte that is not shared is the first
        // that is not whole.
        let not_whole = self
            .holder
            .get(from + shared)
            .map_or(self.ranges.len(), |&k| k as usize);
        let whole = not_whole.saturating_sub(index);
        match whole
            .checked_sub(1)
            .and_then(|last| self.range(index + last))
        {
            Some((_, end)) => (whole, end - from),
            None => (0, 0),
        }
    }
}

pub(crate) fn decode_flag<'a>(r: &mut Reader<'a>) -> Result<(&'a str, FlagValue<'a>), Error> {
    let name = r.read_str()?;
    let value = match r.read_variant(3)? {
        0 => FlagValue::Enum(r.read_str()?),
        1 => FlagValue::Num(r.read_u8()?),
        _ => FlagValue::Bool(r.read_bool()?),
    };
    Ok((name, value))
}

/// One decoded Tunables field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TunableValue<'a> {
    Bool(bool),
    U32(u32),
    U64(u64),
    /// `Option<Collector>`: the variant index, if any.
    Collector(Option<u8>),
    /// A unit-only enum's variant index.
    Enum(u8),
    /// `Option<NonZeroU32>`.
    NonZeroU32(Option<u32>),
    /// `OperatorCostStrategy`: `Some(table)` for `Table`, `None` for `Default`.
    Cost(Option<&'a [u8]>),
}

/// The most Tunables fields any supported release has.
pub const MAX_TUNABLES: usize = 40;

/// A release's Tunables, in its field order.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Tunables<'a> {
    values: [TunableValue<'a>; MAX_TUNABLES],
    len: usize,
}

impl<'a> Tunables<'a> {
    /// Tunables from values given in `layout` field order.
    pub fn from_values(values: &[TunableValue<'a>]) -> Option<Self> {
        if values.len() > MAX_TUNABLES {
            return None;
        }
        let mut t = Tunables {
            values: [TunableValue::Bool(false); MAX_TUNABLES],
            len: values.len(),
        };
        t.values[..values.len()].copy_from_slice(values);
        Some(t)
    }

    pub fn values(&self) -> &[TunableValue<'a>] {
        &self.values[..self.len]
    }

    pub fn get(&self, index: usize) -> TunableValue<'a> {
        self.values[index]
    }

    pub fn set(&mut self, index: usize, value: TunableValue<'a>) {
        self.values[index] = value;
    }

    pub(crate) fn decode(r: &mut Reader<'a>, layout: &Layout) -> Result<Self, Error> {
        let mut t = Tunables {
            values: [TunableValue::Bool(false); MAX_TUNABLES],
            len: layout.tunables.len(),
        };
        for (slot, field) in t.values.iter_mut().zip(&layout.tunables) {
            *slot = decode_tunable(r, field.ty)?;
        }
        Ok(t)
    }

    fn write(&self, w: &mut Writer<'_>) {
        for value in self.values() {
            match *value {
                TunableValue::Bool(b) => w.bool(b),
                TunableValue::U32(v) => w.varint(v.into()),
                TunableValue::U64(v) => w.varint(v),
                TunableValue::Collector(c) => match c {
                    None => w.u8(0),
                    Some(index) => {
                        w.u8(1);
                        w.varint(index.into());
                    }
                },
                TunableValue::Enum(index) => w.varint(index.into()),
                TunableValue::NonZeroU32(v) => match v {
                    None => w.u8(0),
                    Some(v) => {
                        w.u8(1);
                        w.varint(v.into());
                    }
                },
                TunableValue::Cost(table) => match table {
                    Some(bytes) => {
                        w.varint(0);
                        w.bytes(bytes);
                    }
                    None => w.varint(1),
                },
            }
        }
    }
}

impl fmt::Debug for Tunables<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.values()).finish()
    }
}

/// The Tunables field `index` of `layout` encoded at `start` of `body`, which
/// is known to decode.
pub(crate) fn field_at<'a>(
    body: &'a [u8],
    start: usize,
    layout: &Layout,
    index: usize,
) -> TunableValue<'a> {
    layout
        .tunables
        .get(index)
        .and_then(|field| decode_tunable(&mut Reader::at(body, start), field.ty).ok())
        .unwrap_or(TunableValue::Bool(false))
}

pub(crate) fn decode_tunable<'a>(
    r: &mut Reader<'a>,
    ty: TunableType,
) -> Result<TunableValue<'a>, Error> {
    Ok(match ty {
        TunableType::Bool => TunableValue::Bool(r.read_bool()?),
        TunableType::U32 => TunableValue::U32(r.read_varint_u32()?),
        TunableType::U64 => TunableValue::U64(r.read_varint_u64()?),
        TunableType::Collector(e) => TunableValue::Collector(if r.read_option_tag()? {
            Some(r.read_variant(e.variants.len())? as u8)
        } else {
            None
        }),
        TunableType::Enum(e) => TunableValue::Enum(r.read_variant(e.variants.len())? as u8),
        TunableType::OptionNonZeroU32 => TunableValue::NonZeroU32(if r.read_option_tag()? {
            match r.read_varint_u32()? {
                // `NonZeroU32` rejects zero through serde's "invalid value".
                0 => return Err(Error::SerdeDeCustom),
                v => Some(v),
            }
        } else {
            None
        }),
        TunableType::OperatorCost { len } => TunableValue::Cost(match r.read_variant(2)? {
            0 => Some(r.take(len as u64)?),
            _ => None,
        }),
    })
}

/// The wasm features as a bit set: wasmparser's bits, or (24–32) bool `i`
/// of Wasmtime's struct as bit `i`.
pub(crate) fn decode_features(r: &mut Reader<'_>, encoding: FeatureEncoding) -> Result<u64, Error> {
    match encoding {
        FeatureEncoding::Bools(count) => {
            let mut bits = 0;
            for i in 0..count {
                if r.read_bool()? {
                    bits |= 1 << i;
                }
            }
            Ok(bits)
        }
        FeatureEncoding::U32 => r.read_varint_u32().map(u64::from),
        FeatureEncoding::U64 => r.read_varint_u64(),
    }
}

fn write_features(w: &mut Writer<'_>, bits: u64, encoding: FeatureEncoding) {
    match encoding {
        FeatureEncoding::Bools(count) => {
            for i in 0..count {
                w.bool(bits & (1 << i) != 0);
            }
        }
        // A `u32` varint is a `u64` varint of the same value.
        FeatureEncoding::U32 | FeatureEncoding::U64 => w.varint(bits),
    }
}

/// The fields before the Tunables: target and flags, and where the Tunables
/// start in the body.
#[derive(Clone, Copy, Debug)]
pub struct Head<'a> {
    pub target: &'a str,
    pub shared_flags: FlagList<'a>,
    pub isa_flags: FlagList<'a>,
    /// Offset of the Tunables in the body.
    pub rest: usize,
}

impl<'a> Head<'a> {
    pub fn decode(body: &'a [u8]) -> Result<Self, Error> {
        let mut r = Reader::new(body);
        let target = r.read_str()?;
        let shared_flags = FlagList::decode(&mut r)?;
        let isa_flags = FlagList::decode(&mut r)?;
        Ok(Head {
            target,
            shared_flags,
            isa_flags,
            rest: r.position(),
        })
    }
}

/// A decoded `Metadata`, borrowing from the engine section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata<'a> {
    /// The layout the body was read with.
    pub release: Release,
    pub target: &'a str,
    pub shared_flags: FlagList<'a>,
    pub isa_flags: FlagList<'a>,
    pub tunables: Tunables<'a>,
    pub features: u64,
}

impl<'a> Metadata<'a> {
    /// Decodes a `Metadata` body with `release`'s layout, exactly as
    /// `postcard::from_bytes` does; trailing bytes are ignored.
    pub fn decode(body: &'a [u8], release: Release) -> Result<Self, Error> {
        let head = Head::decode(body)?;
        let mut r = Reader::new(&body[head.rest..]);
        let layout = release.layout();
        let tunables = Tunables::decode(&mut r, layout)?;
        let features = decode_features(&mut r, layout.feature_encoding)?;
        Ok(Metadata {
            release,
            target: head.target,
            shared_flags: head.shared_flags,
            isa_flags: head.isa_flags,
            tunables,
            features,
        })
    }

    /// The postcard encoding, byte for byte as Wasmtime writes it.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1024);
        let mut w = Writer(&mut out);
        w.str(self.target);
        self.shared_flags.write(&mut w);
        self.isa_flags.write(&mut w);
        self.tunables.write(&mut w);
        write_features(
            &mut w,
            self.features,
            self.release.layout().feature_encoding,
        );
        out
    }

    /// The value of the Tunables field `name`, if this release has it.
    pub fn tunable(&self, name: &str) -> Option<TunableValue<'a>> {
        let index = self.release.layout().tunable_index(name)?;
        Some(self.tunables.get(index))
    }
}
