//! The postcard-encoded `Metadata` of the engine section: decoding (borrowing
//! from the input, never allocating) and encoding (byte-exact).
//!
//! `Metadata` is, in encoding order: the target triple (`str`), the Cranelift
//! shared flags and ISA flags (each a sequence of `(str, FlagValue)`), the
//! release's `Tunables` (see [`crate::history`]) and the wasm feature bits
//! (`u64`). Bytes after `features` are ignored, as `postcard::from_bytes`
//! ignores them.

use crate::history::{FeatureEncoding, Layout, Release, TunableType};
use crate::reader::{common_prefix, Reader, Writer};
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
    fn decode(r: &mut Reader<'a>) -> Result<Self, Error> {
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

    /// Decodes a flag list, passing over, undecoded, each element whose
    /// bytes are `known`'s element at the same position: those are known to
    /// decode. Returns the list, whether every element was known, and where
    /// the others lie.
    pub(crate) fn decode_against(
        r: &mut Reader<'a>,
        known: Known<'_>,
    ) -> Result<(Self, bool, Unknown), Error> {
        let len = r.read_len()?;
        let start = r.position();
        let known_len = known.ranges.len() as u64;
        let mut all_known = len == known_len;
        let mut unknown = Unknown::default();
        // The host's elements lie end to end: the bytes the artifact shares
        // with the host's list from element `i` on cover every element of
        // the host's that they hold whole.
        let host_end = known.ranges.last().map_or(0, |&(_, end)| end);
        let mut i = 0;
        while i < len {
            if let Some(&(from, _)) = known.ranges.get(i as usize) {
                let host = known.body.get(from..host_end).unwrap_or_default();
                let shared = common_prefix(r.rest(), host);
                // The host's elements from `i` on that end within the
                // shared bytes (their ends ascend), no more than the list
                // has left.
                let rest = known.ranges.get(i as usize..).unwrap_or_default();
                let whole = rest.partition_point(|&(_, end)| end - from <= shared);
                let whole = whole.min(usize::try_from(len - i).unwrap_or(usize::MAX));
                if let Some(&(_, end)) = whole.checked_sub(1).and_then(|last| rest.get(last)) {
                    r.take((end - from) as u64)?;
                    i += whole as u64;
                    continue;
                }
            }
            all_known = false;
            unknown.push(r.position() - start);
            decode_flag(r)?;
            i += 1;
        }
        let list = FlagList {
            elements: r.slice(start, r.position()),
            len,
        };
        Ok((list, all_known, unknown))
    }

    /// The elements [`FlagList::decode_against`] found unknown, decoded;
    /// `None` when there were too many to note.
    pub(crate) fn elements_at(
        &self,
        unknown: Unknown,
    ) -> Option<impl Iterator<Item = (&'a str, FlagValue<'a>)> + 'a> {
        if unknown.overflow {
            return None;
        }
        let elements = self.elements;
        Some((0..usize::from(unknown.len)).filter_map(move |k| {
            let at = *unknown.at.get(k)?;
            decode_flag(&mut Reader::at(elements, at as usize)).ok()
        }))
    }

    /// The elements that are not `known`'s at their position, decoded.
    pub(crate) fn unknown_elements<'k>(
        &self,
        known: Known<'k>,
    ) -> impl Iterator<Item = (&'a str, FlagValue<'a>)> + 'k
    where
        'a: 'k,
    {
        let mut r = Reader::new(self.elements);
        let mut i = 0;
        std::iter::from_fn(move || loop {
            if r.remaining() == 0 {
                return None;
            }
            let index = i;
            i += 1;
            if known.get(index).is_some_and(|entry| r.skip_if_next(entry)) {
                continue;
            }
            // The elements were validated when the list was decoded.
            return decode_flag(&mut r).ok();
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

/// Where the parts of an encoded `Metadata` body lie: the target string's
/// bytes, each flag element's, the end of the head and of the Tunables.
/// `None` when `body` does not decode with `layout`.
pub(crate) fn body_ranges(body: &[u8], layout: &Layout) -> Option<BodyRanges> {
    let mut r = Reader::new(body);
    let len = r.read_len().ok()?;
    let start = r.position();
    std::str::from_utf8(r.take(len).ok()?).ok()?;
    let target = (start, r.position());
    let mut lists = [Vec::new(), Vec::new()];
    for list in &mut lists {
        for _ in 0..r.read_len().ok()? {
            let start = r.position();
            decode_flag(&mut r).ok()?;
            list.push((start, r.position()));
        }
    }
    let head_end = r.position();
    let mut tunables = Vec::with_capacity(layout.tunables.len());
    for field in &layout.tunables {
        let start = r.position();
        decode_tunable(&mut r, field.ty).ok()?;
        tunables.push((start, r.position()));
    }
    let [shared, isa] = lists;
    Some(BodyRanges {
        target,
        shared,
        isa,
        head_end,
        tunables,
        tunables_end: r.position(),
    })
}

/// See [`body_ranges`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BodyRanges {
    pub target: (usize, usize),
    pub shared: Vec<(usize, usize)>,
    pub isa: Vec<(usize, usize)>,
    pub head_end: usize,
    /// Each Tunables field's bytes.
    pub tunables: Vec<(usize, usize)>,
    pub tunables_end: usize,
}

/// Where, in a flag list, the elements that are not the host's lie: up to
/// eight offsets from the list's first element.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Unknown {
    at: [u32; 8],
    len: u8,
    /// More than eight, or an offset past `u32`: not noted.
    overflow: bool,
}

impl Unknown {
    fn push(&mut self, offset: usize) {
        match (
            self.at.get_mut(usize::from(self.len)),
            u32::try_from(offset),
        ) {
            (Some(slot), Ok(offset)) => {
                *slot = offset;
                self.len += 1;
            }
            _ => self.overflow = true,
        }
    }
}

/// Another flag list's elements, by position, as byte ranges of `body`.
#[derive(Clone, Copy)]
pub(crate) struct Known<'k> {
    pub body: &'k [u8],
    pub ranges: &'k [(usize, usize)],
}

impl<'k> Known<'k> {
    fn get(&self, index: u64) -> Option<&'k [u8]> {
        let (start, end) = *self.ranges.get(usize::try_from(index).ok()?)?;
        self.body.get(start..end)
    }
}

fn decode_flag<'a>(r: &mut Reader<'a>) -> Result<(&'a str, FlagValue<'a>), Error> {
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

/// An artifact's Tunables read against the host's: every field decoded, as
/// `postcard` decodes it, and compared in bytes with the host's field.
/// Fields whose bytes are the host's have the host's value; only the
/// others are ever decoded again.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TunablesAgainst {
    /// Where each field starts in the artifact's body.
    starts: [usize; MAX_TUNABLES],
    /// Bit `i`: field `i`'s bytes are not the host's.
    differ: u64,
}

impl TunablesAgainst {
    /// Decodes the Tunables at `r` with `layout`; `host` is the host's
    /// body and `fields` its Tunables fields' ranges.
    pub(crate) fn decode(
        r: &mut Reader<'_>,
        layout: &Layout,
        host: &[u8],
        fields: &[(usize, usize)],
    ) -> Result<Self, Error> {
        let mut t = TunablesAgainst {
            starts: [0; MAX_TUNABLES],
            differ: 0,
        };
        let count = layout.tunables.len().min(MAX_TUNABLES);
        // The host's fields lie end to end: the bytes the artifact shares
        // with the host's from field `i` on cover every field they hold
        // whole, and those are the host's.
        let host_end = fields.last().map_or(0, |&(_, end)| end);
        let mut i = 0;
        while i < count {
            if let Some(&(from, _)) = fields.get(i) {
                let shared = common_prefix(r.rest(), host.get(from..host_end).unwrap_or_default());
                let base = r.position();
                let mut covered = 0;
                while let Some(&(start, end)) = fields.get(i).filter(|_| i < count) {
                    if end - from > shared {
                        break;
                    }
                    t.starts[i] = base + (start - from);
                    covered = end - from;
                    i += 1;
                }
                if covered > 0 {
                    r.take(covered as u64)?;
                    continue;
                }
            }
            t.starts[i] = r.position();
            decode_tunable(r, layout.tunables[i].ty)?;
            t.differ |= 1 << i;
            i += 1;
        }
        Ok(t)
    }

    /// Whether field `index`'s bytes are not the host's.
    pub(crate) fn differs(&self, index: usize) -> bool {
        self.differ & (1 << index) != 0
    }

    /// Field `index` of the artifact whose body is `body`.
    pub(crate) fn get<'a>(
        &self,
        body: &'a [u8],
        index: usize,
        layout: &Layout,
    ) -> TunableValue<'a> {
        let start = self.starts.get(index).copied().unwrap_or_default();
        field_at(body, start, layout, index)
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

fn decode_tunable<'a>(r: &mut Reader<'a>, ty: TunableType) -> Result<TunableValue<'a>, Error> {
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
