//! The bodies of the fuzz targets in `fuzz/`, kept here so that `cargo test`
//! replays every committed fuzz corpus file through the same code on stable
//! Rust. Each function panics only when the reference breaks a promise.
//!
//! The `check` and `roundtrip` inputs start with a selector byte: its value
//! modulo the number of [`layouts`] picks the layout one execution exercises,
//! and the rest of the input is the data. For `check`, the selector's
//! quotient picks one of [`HOST_VARIANTS`] of that layout's default host.

use crate::check::check_engine_section;
use crate::framing::{encode_engine_section, find_engine_section, split_engine_section};
use crate::host::{Cpu, Host, ModuleVersion};
use crate::metadata::Metadata;
use crate::{check, framing, inspect::inspect, Kind, Rejection, Release};
use std::sync::OnceLock;

/// One release per distinct layout ([`Release::layout_changes`]), oldest
/// first, computed once.
pub fn layouts() -> &'static [Release] {
    static LAYOUTS: OnceLock<Vec<Release>> = OnceLock::new();
    LAYOUTS.get_or_init(Release::layout_changes)
}

/// The index in [`layouts`] that a selector byte picks.
pub fn layout_index(selector: u8) -> usize {
    usize::from(selector) % layouts().len()
}

/// The selector byte that picks `release`'s layout (and, for `check`, the
/// default host itself).
pub fn selector(release: Release) -> u8 {
    let layout = release.layout();
    let index = layouts()
        .iter()
        .position(|r| r.layout() == layout)
        .expect("every release's layout is among the layout changes");
    u8::try_from(index).expect("fewer than 256 layouts")
}

/// The variants of a default host that `check` picks with the selector's
/// quotient: the CPU it answers for, and its module-version strategy.
pub const HOST_VARIANTS: [(CpuVariant, ModuleVersion); 6] = [
    (CpuVariant::Native, ModuleVersion::Default),
    (CpuVariant::Empty, ModuleVersion::Default),
    (CpuVariant::Undetectable, ModuleVersion::Default),
    (CpuVariant::Native, ModuleVersion::None),
    (CpuVariant::Empty, ModuleVersion::None),
    (CpuVariant::Undetectable, ModuleVersion::None),
];

/// A [`Cpu`] that can sit in a constant.
#[derive(Clone, Copy, Debug)]
pub enum CpuVariant {
    Native,
    Empty,
    Undetectable,
}

impl CpuVariant {
    fn cpu(self) -> Cpu {
        match self {
            CpuVariant::Native => Cpu::Native,
            CpuVariant::Empty => Cpu::Exactly(Vec::new()),
            CpuVariant::Undetectable => Cpu::Undetectable,
        }
    }
}

/// A major's default artifacts: the module, and the component if the
/// major's official corpus has one.
#[derive(Clone, Copy, Debug)]
pub struct Defaults<'a> {
    pub major: u32,
    pub module: &'a [u8],
    pub component: Option<&'a [u8]>,
}

/// One layout's default host, and the artifacts it came from.
#[derive(Clone, Debug)]
pub struct LayoutHost<'a> {
    pub release: Release,
    /// The default host, then the other [`HOST_VARIANTS`]; empty when no
    /// artifact decodes with this layout.
    pub hosts: Vec<Host>,
    /// The artifacts the host was read from: its own major's defaults, or
    /// (for a major without any) a neighbouring major's.
    pub defaults: Option<Defaults<'a>>,
}

impl LayoutHost<'_> {
    /// The default host (its witness's CPU and version strategy).
    pub fn host(&self) -> Option<&Host> {
        self.hosts.first()
    }

    /// The default artifact of `kind`, if the major has one.
    pub fn artifact(&self, kind: Kind) -> Option<&[u8]> {
        let defaults = self.defaults.as_ref()?;
        match kind {
            Kind::Module => Some(defaults.module),
            Kind::Component => defaults.component,
        }
    }
}

/// Each layout's default host, from the majors' default artifacts. A major
/// without artifacts borrows the previous or the next major's module, used
/// only if its `Metadata` decodes with the layout; otherwise the layout
/// gets no host.
pub fn layout_hosts<'a>(defaults: &[Defaults<'a>]) -> Vec<LayoutHost<'a>> {
    layouts()
        .iter()
        .map(|&release| {
            let major = release.major();
            let own = defaults.iter().find(|d| d.major == major);
            let found = match own {
                Some(d) => Host::from_witness(d.module, Some(release))
                    .ok()
                    .map(|host| (host, *d)),
                None => [major - 1, major + 1].iter().find_map(|&m| {
                    let d = defaults.iter().find(|d| d.major == m)?;
                    Some((borrowed_host(d.module, release)?, *d))
                }),
            };
            let Some((host, defaults)) = found else {
                return LayoutHost {
                    release,
                    hosts: Vec::new(),
                    defaults: None,
                };
            };
            let hosts = HOST_VARIANTS
                .iter()
                .map(|(cpu, version)| {
                    let mut h = host.clone();
                    h.set_cpu(cpu.cpu());
                    if matches!(version, ModuleVersion::None) {
                        h.module_version = ModuleVersion::None;
                    }
                    h
                })
                .collect();
            LayoutHost {
                release,
                hosts,
                defaults: Some(defaults),
            }
        })
        .collect()
}

/// A host of `release` read from another major's artifact: its `Metadata`
/// decoded with `release`'s layout, under `release`'s own version string.
fn borrowed_host(artifact: &[u8], release: Release) -> Option<Host> {
    let data = find_engine_section(artifact, Kind::Module, Release::V48).ok()?;
    let section = split_engine_section(data).ok()?;
    let meta = Metadata::decode(section.body, release).ok()?;
    Host::from_metadata(&meta, ModuleVersion::Default).ok()
}

/// `check`: the selector picks a layout's host variant; the data is
/// checked as a module and as a component.
pub fn check_input(input: &[u8], hosts: &[LayoutHost<'_>]) {
    let Some((&selector, data)) = input.split_first() else {
        return;
    };
    let entry = &hosts[layout_index(selector)];
    if entry.hosts.is_empty() {
        return;
    }
    let variant = usize::from(selector) / hosts.len() % entry.hosts.len();
    check_bytes(data, std::slice::from_ref(&entry.hosts[variant]));
}

/// Any bytes, as a module and as a component, on every host. A verdict or
/// a rejection, never a panic; a rejection always has a message and a rule.
pub fn check_bytes(bytes: &[u8], hosts: &[Host]) {
    for host in hosts {
        for kind in [Kind::Module, Kind::Component] {
            if let Err(r) = check(bytes, kind, host) {
                assert!(!r.chain().is_empty() && !r.rule().is_empty());
            }
        }
    }
}

/// `decode`: any bytes as an engine section and as a Metadata body of each
/// layout, and `inspect` on the bytes as an artifact.
pub fn decode_bytes(bytes: &[u8]) {
    let _ = framing::split_engine_section(bytes);
    for &release in layouts() {
        let _ = Metadata::decode(bytes, release);
        let _ = inspect(bytes, Some(release));
    }
}

/// `roundtrip`: the selector picks a layout; the data is a Metadata body.
pub fn roundtrip_input(input: &[u8]) {
    let Some((&selector, body)) = input.split_first() else {
        return;
    };
    roundtrip_body(body, layouts()[layout_index(selector)]);
}

/// Whatever decodes re-encodes to the bytes it was read from (up to the
/// trailing bytes), and decodes again to the same value.
pub fn roundtrip_body(bytes: &[u8], release: Release) {
    let Ok(meta) = Metadata::decode(bytes, release) else {
        return;
    };
    let encoded = meta.encode();
    let again = Metadata::decode(&encoded, release).expect("re-encoded Metadata decodes");
    // Postcard varints have one canonical form; a non-canonical one decodes
    // but re-encodes shorter, so only canonical input must come back.
    if bytes.starts_with(&encoded) {
        assert_eq!(again, meta);
    } else {
        assert_eq!(again.encode(), encoded);
    }
}

/// `structured`: `meta` (of `entry`'s release), encoded and framed under
/// `version`, replaces the engine section of the layout's default artifact
/// of `kind` and is checked against the default host. The body decodes back
/// to `meta`, from the bytes and from the artifact; the check does not
/// panic, a rejection has a message and a rule, and the engine section
/// alone gets the same verdict short of loading; and the artifact's own
/// section, moved to the end of the file, gets the artifact's verdict.
/// The verdict, or `None` where the layout has no host or artifact of
/// `kind`, or the version string is too long to frame.
pub fn check_structured(
    meta: &Metadata<'_>,
    version: &str,
    kind: Kind,
    entry: &LayoutHost<'_>,
) -> Option<Result<(), Rejection>> {
    let (Some(host), Some(artifact)) = (entry.host(), entry.artifact(kind)) else {
        return None;
    };
    assert_eq!(
        meta.release, entry.release,
        "a Metadata of the layout's release"
    );
    let body = meta.encode();
    let decoded = Metadata::decode(&body, meta.release).expect("an encoded Metadata decodes");
    assert_eq!(&decoded, meta);
    let section = encode_engine_section(version, &body)?;
    let placed = replace_engine_section(artifact, &section).expect("a default artifact is ELF64");
    let found = find_engine_section(&placed, kind, host.release).expect("the placed section");
    assert_eq!(found, &section[..]);
    let split = split_engine_section(found).expect("an encoded section splits");
    assert_eq!(split.body, &body[..]);
    assert_eq!(
        Metadata::decode(split.body, meta.release).as_ref(),
        Ok(meta)
    );

    let verdict = check(&placed, kind, host);
    if let Err(r) = &verdict {
        assert!(!r.chain().is_empty() && !r.rule().is_empty());
    }
    // The section alone decides the same as the artifact up to loading.
    let alone = check_engine_section(&section, host);
    match (&verdict, &alone) {
        (Ok(()), Ok(())) => {}
        (Err(a), Err(b)) => assert_eq!(a, b),
        (Err(a), Ok(())) => assert!(
            matches!(a.rule().split('.').next(), Some("load" | "info")),
            "{a:?}"
        ),
        (Ok(()), Err(b)) => panic!("the artifact passes, its engine section alone fails: {b:?}"),
    }
    // Moving the artifact's own engine section changes nothing.
    if find_engine_section(artifact, kind, host.release).ok() == Some(&section[..]) {
        assert_eq!(verdict, check(artifact, kind, host), "the section, moved");
    }
    Some(verdict)
}

/// Field offsets in an ELF64 file header and section header.
const E_SHOFF: usize = 0x28;
const E_SHENTSIZE: usize = 0x3a;
const E_SHNUM: usize = 0x3c;
const E_SHSTRNDX: usize = 0x3e;
const SH_OFFSET: usize = 24;
const SH_SIZE: usize = 32;
const SH_ADDRALIGN: usize = 48;

fn le(bytes: &[u8], at: usize, len: usize) -> Option<u64> {
    let b = bytes.get(at..at.checked_add(len)?)?;
    Some(b.iter().rev().fold(0, |acc, &x| acc << 8 | u64::from(x)))
}

/// `artifact` (a little-endian ELF64 file) with the contents of its first
/// engine section replaced by `data`: appended at the end of the file,
/// after padding to the section's alignment, and the section header pointed
/// at it. `None` if the file has no such section.
pub fn replace_engine_section(artifact: &[u8], data: &[u8]) -> Option<Vec<u8>> {
    if artifact.get(..6) != Some(&[0x7f, b'E', b'L', b'F', 2, 1][..]) {
        return None;
    }
    let shoff = usize::try_from(le(artifact, E_SHOFF, 8)?).ok()?;
    let shentsize = usize::try_from(le(artifact, E_SHENTSIZE, 2)?).ok()?;
    let shnum = usize::try_from(le(artifact, E_SHNUM, 2)?).ok()?;
    let shstrndx = usize::try_from(le(artifact, E_SHSTRNDX, 2)?).ok()?;
    let header = |i: usize| shoff.checked_add(i.checked_mul(shentsize)?);
    let strtab = usize::try_from(le(artifact, header(shstrndx)? + SH_OFFSET, 8)?).ok()?;
    let name = format!("{}\0", crate::format::ENGINE_SECTION);
    let at = (0..shnum).map(header).find(|h| {
        h.and_then(|h| {
            let name_offset = usize::try_from(le(artifact, h, 4)?).ok()?;
            let start = strtab.checked_add(name_offset)?;
            artifact.get(start..start.checked_add(name.len())?)
        }) == Some(name.as_bytes())
    })??;
    let align = le(artifact, at + SH_ADDRALIGN, 8)?.max(1);
    let mut out = artifact.to_vec();
    while out.len() as u64 % align != 0 {
        out.push(0);
    }
    let offset = out.len() as u64;
    out.extend_from_slice(data);
    out[at + SH_OFFSET..at + SH_OFFSET + 8].copy_from_slice(&offset.to_le_bytes());
    out[at + SH_SIZE..at + SH_SIZE + 8].copy_from_slice(&(data.len() as u64).to_le_bytes());
    Some(out)
}
