//! r[metadata.decode] and the compatibility rules on an encoded `Metadata`
//! body, read against the host's own body.
//!
//! The host's body is cut into units (`BodyUnits`): the target, each flag
//! list's length and elements, each Tunables field. The artifact's body is
//! compared with the host's from a unit's start, and the units the shared
//! bytes hold whole are the host's: they decode, and every rule says of
//! them what it says of the host's. Only the other units are decoded and
//! checked, so an artifact of the host's own configuration costs one
//! comparison, and one of another configuration a comparison and the
//! units that differ.
//!
//! Decoding comes before every rule, so a decode error anywhere wins over a
//! rule's rejection: the first rejection is kept while the rest decodes.

use super::{check_features, check_flags, check_isa_flag, check_shared_flag, check_triple};
use super::{check_tunables_by, native_host_context};
use crate::error::{postcard_message, Rejection};
use crate::history::Layout;
use crate::host::Host;
use crate::metadata::{
    decode_features, decode_flag, decode_tunable, field_at, FlagList, List, Unit,
};
use crate::reader::{common_prefix, Reader};

#[cold]
fn decode_error(e: postcard::Error) -> Rejection {
    Rejection::new("metadata.decode", postcard_message(e))
}

pub(super) fn check_body(body: &[u8], host: &Host) -> Result<(), Rejection> {
    let own = host.own();
    let units = &own.units;
    let host_body = host.body();
    let layout = host.layout();
    // With the host's own flags passing, only the artifact's other flags
    // can fail, and they are checked as they are decoded.
    let head_passes = own.head_verdict.is_ok();
    let mut first_rejection: Option<Rejection> = None;
    let mut head_differs = false;
    let mut tunables = Differing::default();
    let mut r = Reader::new(body);
    let mut unit = 0;
    while let Some(host_rest) = units.from(host_body, unit) {
        let (whole, bytes) = units.whole_within(unit, common_prefix(r.rest(), host_rest));
        r.take(bytes as u64).map_err(decode_error)?;
        unit += whole;
        let Some(kind) = units.kind(unit) else {
            break;
        };
        let mut check = |verdict: Result<(), Rejection>| {
            if first_rejection.is_none() {
                first_rejection = verdict.err();
            }
        };
        match kind {
            Unit::Target => {
                head_differs = true;
                let len = r.read_len().map_err(decode_error)?;
                let bytes = r.take(len).map_err(decode_error)?;
                let target = std::str::from_utf8(bytes)
                    .map_err(|_| decode_error(postcard::Error::DeserializeBadUtf8))?;
                if head_passes {
                    check(check_triple(target, host));
                }
                unit += 1;
            }
            // Another length: the whole list is the artifact's own.
            Unit::Count(list) => {
                head_differs = true;
                let len = r.read_len().map_err(decode_error)?;
                // Each element takes at least one byte: the loop ends
                // within the input, whatever `len` claims.
                for _ in 0..len {
                    let (name, value) = decode_flag(&mut r).map_err(decode_error)?;
                    if head_passes {
                        check(check_flag(list, name, value, host));
                    }
                }
                unit = units.after(list);
            }
            Unit::Flag(list) => {
                head_differs = true;
                let (name, value) = decode_flag(&mut r).map_err(decode_error)?;
                if head_passes {
                    check(check_flag(list, name, value, host));
                }
                unit += 1;
            }
            Unit::Tunable(index) => {
                tunables.note(index, r.position());
                let ty = layout.tunables.get(index).map(|field| field.ty);
                if let Some(ty) = ty {
                    decode_tunable(&mut r, ty).map_err(decode_error)?;
                }
                unit += 1;
            }
        }
    }
    let features = decode_features(&mut r, layout.feature_encoding).map_err(decode_error)?;
    // The rules, in check order: target and flags, Tunables, features.
    if let Some(rejection) = first_rejection {
        return Err(rejection);
    }
    if let Err(verdict) = &own.head_verdict {
        if !head_differs {
            return Err(verdict.clone());
        }
        check_whole_head(body, host)?;
    }
    if tunables.any() {
        check_differing_tunables(&tunables, body, host, layout)?;
    }
    check_features(features, own.features, layout)
}

fn check_flag(
    list: List,
    name: &str,
    value: crate::metadata::FlagValue<'_>,
    host: &Host,
) -> Result<(), Rejection> {
    let verdict = match list {
        List::Shared => check_shared_flag(name, value, host, host.own().features),
        List::Isa => check_isa_flag(name, value, host),
    };
    verdict.map_err(|(rule, message)| native_host_context(rule, message))
}

/// The head rules on every flag of a body that decodes: for a host whose
/// own flags fail, where the artifact's flags that equal the host's can
/// fail too.
#[cold]
#[inline(never)]
fn check_whole_head(body: &[u8], host: &Host) -> Result<(), Rejection> {
    let (target, shared, isa) = read_head(&mut Reader::new(body)).map_err(decode_error)?;
    // The host's own target passes the target rules too.
    check_triple(target, host)?;
    check_flags(shared.iter(), isa.iter(), host, host.own().features)
}

/// The target and the two flag lists, from a body's start.
fn read_head<'a>(
    r: &mut Reader<'a>,
) -> Result<(&'a str, FlagList<'a>, FlagList<'a>), postcard::Error> {
    Ok((r.read_str()?, FlagList::decode(r)?, FlagList::decode(r)?))
}

/// r[compat.tunables.*] on the Tunables fields whose bytes are not the
/// host's; the others have the host's values, and no check fires on equal
/// values.
fn check_differing_tunables(
    tunables: &Differing,
    body: &[u8],
    host: &Host,
    layout: &'static Layout,
) -> Result<(), Rejection> {
    let host_body = host.body();
    let units = &host.own().units;
    let expected = |index: usize| {
        let start = units.tunable(index).map_or(0, |r| r.0);
        field_at(host_body, start, layout, index)
    };
    let found = |index: usize| match tunables.start(index, body, layout) {
        Some(start) => field_at(body, start, layout, index),
        None => expected(index),
    };
    check_tunables_by(layout, |index| tunables.differs(index), found, expected)
}

/// The Tunables fields whose bytes are not the host's, and where the first
/// few start in the artifact's body.
#[derive(Default)]
struct Differing {
    /// Bit `i`: field `i` differs.
    bits: u64,
    noted: [(usize, usize); 4],
    noted_len: usize,
}

impl Differing {
    fn note(&mut self, index: usize, start: usize) {
        self.bits |= 1u64.checked_shl(index as u32).unwrap_or(0);
        if let Some(slot) = self.noted.get_mut(self.noted_len) {
            *slot = (index, start);
            self.noted_len += 1;
        }
    }

    fn any(&self) -> bool {
        self.bits != 0
    }

    fn differs(&self, index: usize) -> bool {
        self.bits & 1u64.checked_shl(index as u32).unwrap_or(0) != 0
    }

    /// Where differing field `index` starts in `body` (which decodes):
    /// `None` for a field with the host's bytes.
    fn start(&self, index: usize, body: &[u8], layout: &Layout) -> Option<usize> {
        if !self.differs(index) {
            return None;
        }
        let noted = self.noted.get(..self.noted_len).unwrap_or_default();
        if let Some(&(_, start)) = noted.iter().find(|(i, _)| *i == index) {
            return Some(start);
        }
        // Past the noted ones: decode up to it.
        let mut r = Reader::new(body);
        read_head(&mut r).ok()?;
        for field in layout.tunables.get(..index)? {
            decode_tunable(&mut r, field.ty).ok()?;
        }
        Some(r.position())
    }
}
