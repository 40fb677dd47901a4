//! The exhaustive sweep: single-byte changes and truncations of golden
//! artifacts, each loaded by real Wasmtime and checked by the reference,
//! verdict and chain compared.

use crate::{edit, expect_of, v36, v48, Detector};
use cwasm_spec::corpus::{parse_kind, Case, CpuSpec, Expect, Suite};
use cwasm_spec::{check, Kind, Release};

/// How many values each byte takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Depth {
    /// All 255 other values at every offset; every truncation.
    Full,
    /// 0x00, 0xff and the low bit flipped; every 16th truncation.
    Reduced,
}

/// One input on which Wasmtime and the reference disagree.
#[derive(Clone, Debug)]
pub struct Disagreement {
    pub input: String,
    pub wasmtime: Expect,
    pub reference: Expect,
}

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub tried: u64,
    pub agreed: u64,
    pub disagreements: Vec<Disagreement>,
}

impl Stats {
    pub fn disagreed(&self) -> u64 {
        self.tried - self.agreed
    }
}

/// Loads bytes into a prepared host engine.
type Loader = dyn Fn(&[u8]) -> crate::Verdict;

/// The mutations of `bytes`: (name, mutated bytes), produced lazily.
fn mutations(bytes: &[u8], depth: Depth) -> impl Iterator<Item = (String, Vec<u8>)> + '_ {
    let loc = edit::locate(bytes);
    let mut offsets: Vec<(String, usize)> =
        (0..64).map(|i| (format!("elf-header+{i}"), i)).collect();
    offsets
        .extend((0..edit::SHDR_SIZE).map(|i| (format!("engine-shdr+{i}"), loc.header_offset + i)));
    offsets
        .extend((0..loc.data_size).map(|i| (format!("engine-section+{i}"), loc.data_offset + i)));
    let values = move |original: u8| -> Vec<u8> {
        match depth {
            Depth::Full => (0..=255).filter(|v| *v != original).collect(),
            Depth::Reduced => {
                let mut v = vec![0x00, 0xff, original ^ 1];
                v.retain(|x| *x != original);
                v.dedup();
                v
            }
        }
    };
    let step = if depth == Depth::Full { 1 } else { 16 };
    let changes = offsets.into_iter().flat_map(move |(name, offset)| {
        values(bytes[offset]).into_iter().map(move |value| {
            let mut b = bytes.to_vec();
            b[offset] = value;
            (format!("{name}={value:#04x}"), b)
        })
    });
    let size_field = loc.header_offset + 32;
    let section_cuts = (0..loc.data_size).step_by(step).map(move |n| {
        let mut b = bytes.to_vec();
        b[size_field..size_field + 8].copy_from_slice(&(n as u64).to_le_bytes());
        (format!("engine-section-len={n}"), b)
    });
    let file_cuts = (0..bytes.len())
        .step_by(step)
        .map(move |n| (format!("file-len={n}"), bytes[..n].to_vec()));
    changes.chain(section_cuts).chain(file_cuts)
}

/// Sweeps the artifact of `case` on its host. `progress` sees the stats so far.
pub fn sweep_case(
    suite: &Suite,
    case: &Case,
    depth: Depth,
    keep: usize,
    progress: &mut dyn FnMut(&Stats),
) -> Result<Stats, String> {
    let bytes = suite.artifact(case)?;
    let host = suite.host(case)?;
    let kind = parse_kind(&case.kind)?;
    let detector = match &case.host.cpu_features {
        CpuSpec::Exactly(list) => Detector::Exactly(list.clone()),
        CpuSpec::Mode(_) => Detector::Undetectable,
    };
    let engine: Box<Loader> = match case.host.release()? {
        Release::V36 => {
            let e = v36::HostEngine::new(&case.host.config, detector)?;
            Box::new(move |b| e.load(b, kind == Kind::Component))
        }
        Release::V48 => {
            let e = v48::HostEngine::new(&case.host.config, detector)?;
            Box::new(move |b| e.load(b, kind == Kind::Component))
        }
        other => return Err(format!("the oracle does not build Wasmtime {other}")),
    };
    let mut stats = Stats::default();
    for (name, input) in mutations(&bytes, depth) {
        let wasmtime = expect_of(engine(&input));
        let reference = expect_of(check(&input, kind, &host).map_err(|r| r.chain().to_vec()));
        stats.tried += 1;
        if wasmtime == reference {
            stats.agreed += 1;
        } else if stats.disagreements.len() < keep {
            stats.disagreements.push(Disagreement {
                input: format!("{} {name}", case.artifact),
                wasmtime,
                reference,
            });
        }
        if stats.tried % 5000 == 0 {
            progress(&stats);
        }
    }
    Ok(stats)
}

/// The cases a sweep starts from: one per distinct unedited artifact.
pub fn sweep_cases(suite: &Suite) -> Vec<&Case> {
    let mut seen = std::collections::BTreeSet::new();
    suite
        .cases
        .iter()
        .filter(|c| c.edits.is_empty() && c.expect.compatible)
        .filter(|c| seen.insert(c.artifact.clone()))
        .collect()
}

/// The body of the `differential` fuzz target: `data` picks one of
/// its seed artifacts and edits it (pairs of a little-endian `u16` position and a
/// byte value; an odd last pair truncates). Real Wasmtime 48 and the
/// reference must agree on the verdict and the chain.
///
/// Positions fall on every byte of the file but the contents of `.text`, the
/// seeds' only code (Wasmtime maps it executable; `.eh_frame` is unwind data,
/// which libgcc 12's `__register_frame` queues without reading it, and which
/// is read only if something unwinds or takes a backtrace while the module
/// lives: run with `RUST_BACKTRACE=0`): the ELF header, every
/// field of every section header (offsets, sizes, links, entry sizes, flags
/// and addresses too), `.wasmtime.engine`, `.wasmtime.bti`, `.eh_frame`,
/// `.wasmtime.addrmap`, `.wasmtime.traps`, `.wasmtime.exceptions`,
/// `.wasmtime.info`, `.symtab`, `.strtab`, `.shstrtab`, and the padding
/// between them.
///
/// Four kinds of input are out of scope and are not handed to Wasmtime:
///
/// 1. The reference accepts, and some section other than the engine section
///    has a new name, type or data range. What Wasmtime does next depends on
///    that section's contents, which `spec/cwasm.md` 3.2 leaves out: 48.0.8
///    panics (`changing of protections isn't page-aligned`) when a section
///    renamed to `.text` does not start on a page.
/// 2. The reference accepts, and the `.wasmtime.info` data differs from the
///    seed's. The reference only decodes it (r[info.decode]); what Wasmtime
///    does with the decoded values is not specified (section 8): 48.0.8
///    panics (`index out of bounds: the len is 1 but the index is 1`, in
///    `TypeRegistry::register_module_types_impl`) when byte 0x6f of a seed's
///    `.wasmtime.info` goes from 1 to 0x30
///    (`corpus/differential/info-type-index`).
/// 3. The reference rejects by `info.decode`, and the `.text` or the
///    `.eh_frame` that `publish()` would use (the last of that name: its type
///    and data range) differs from the seed's. `publish()` runs between the
///    walk and the decoding and is not specified (section 8): 48.0.8 panics
///    with the same message when `.text` has alignment 0 or 1 and starts off
///    a page.
/// 4. The reference rejects by `info.decode`, and the module's `exports` map
///    claims [`HUGE_CLAIM`] entries or more, beyond the bytes left after its
///    count. 48's `TryIndexMap` reserves the claimed count before reading
///    (section 3.3): where the host cannot map that much, the chain is
///    `Serde Deserialization Error` (out of memory), and where it can, the
///    reservation touches a control byte per hash bucket (up to gigabytes) before
///    the entries run out as the reference says. The reference assumes the
///    reservation succeeds (section 8); which one happens depends on the host.
///
/// `oracle/tests/fuzz_differential.rs` shows 3 and 4 with real Wasmtime;
/// `corpus/differential/symtab-renamed-text` is an input of 1.
pub struct Differential {
    seeds: Vec<Seed>,
    host: cwasm_spec::host::Host,
    engine: v48::HostEngine,
}

/// The smallest `exports` count claim that is out of scope (exclusion 4 of
/// [`Differential`]): 2^24 entries, which 48.0.8 reserves as hundreds of
/// megabytes; a smaller reservation succeeds on any host with a gigabyte to
/// spare, and is compared.
pub const HUGE_CLAIM: u64 = 1 << 24;

/// A seed artifact with what every input derived from it needs: the byte
/// ranges edits may touch, the shape of its sections, and what `publish()`
/// reads.
struct Seed {
    bytes: Vec<u8>,
    /// `(start, len)` ranges, in the order edit positions walk them.
    regions: Vec<(usize, usize)>,
    /// Their total length.
    total: usize,
    shape: Option<Vec<Shape>>,
    published: Option<Published>,
    info: Vec<u8>,
}

impl Seed {
    fn new(bytes: Vec<u8>) -> Seed {
        let regions = editable(&bytes);
        let total = regions.iter().map(|r| r.1).sum();
        let shape = section_shape(&bytes);
        let published = published(&bytes);
        let info = info_data(&bytes).to_vec();
        Seed {
            bytes,
            regions,
            total,
            shape,
            published,
            info,
        }
    }
}

/// Every byte of `bytes` but the contents of its `.text` sections, as
/// `(start, len)` ranges in file order.
pub fn editable(bytes: &[u8]) -> Vec<(usize, usize)> {
    use object::read::elf::{FileHeader, SectionHeader};
    let header = object::elf::FileHeader64::<object::Endianness>::parse(bytes).expect("ELF header");
    let endian = header.endian().expect("endianness");
    let table = header.sections(endian, bytes).expect("sections");
    let mut code: Vec<(usize, usize)> = table
        .iter()
        .filter(|s| table.section_name(endian, s) == Ok(b".text"))
        .filter_map(|s| s.file_range(endian))
        .map(|(offset, size)| (offset as usize, (offset + size) as usize))
        .collect();
    code.sort();
    let mut regions = Vec::new();
    let mut at = 0;
    for (start, end) in code {
        if start > at {
            regions.push((at, start - at));
        }
        at = at.max(end);
    }
    if bytes.len() > at {
        regions.push((at, bytes.len() - at));
    }
    regions
}

impl Differential {
    /// The default host of the 48 corpus, seeded with its default-configured module artifacts.
    pub fn new(corpus: &std::path::Path) -> Result<Self, String> {
        let suite = crate::suite(corpus, Release::V48)?;
        let case = suite
            .cases
            .iter()
            .find(|c| c.id.ends_with(".Accept.Default"))
            .ok_or("no default case")?;
        let seeds: Vec<Seed> = sweep_cases(&suite)
            .into_iter()
            .filter(|c| c.host.config.is_empty() && c.kind == "module")
            .map(|c| suite.artifact(c).map(Seed::new))
            .collect::<Result<_, _>>()?;
        let detector = match &case.host.cpu_features {
            CpuSpec::Exactly(list) => Detector::Exactly(list.clone()),
            CpuSpec::Mode(_) => Detector::Undetectable,
        };
        Ok(Differential {
            seeds,
            host: suite.host(case)?,
            engine: v48::HostEngine::new("", detector)?,
        })
    }

    /// How many seeds there are.
    pub fn seeds(&self) -> usize {
        self.seeds.len()
    }

    /// Seed `pick`'s bytes, and how many of them edits may touch.
    pub fn seed(&self, pick: u8) -> (&[u8], usize) {
        let seed = &self.seeds[usize::from(pick) % self.seeds.len()];
        (&seed.bytes, seed.total)
    }

    /// The input that sets the bytes at file offsets `edits` of seed `pick`
    /// (none of them in `.text`).
    pub fn input(&self, pick: u8, edits: &[(usize, u8)]) -> Vec<u8> {
        let seed = &self.seeds[usize::from(pick) % self.seeds.len()];
        let mut data = vec![pick];
        for &(offset, value) in edits {
            let mut position = 0;
            for &(start, len) in &seed.regions {
                if (start..start + len).contains(&offset) {
                    position += offset - start;
                    break;
                }
                position += len;
            }
            assert!(position < seed.total, "offset {offset:#x} is not editable");
            let position = u16::try_from(position).expect("a u16 position");
            data.extend(position.to_le_bytes());
            data.push(value);
        }
        data
    }

    /// Runs one input; `Err` describes a disagreement.
    pub fn run(&self, data: &[u8]) -> Result<(), String> {
        let Some((&pick, edits)) = data.split_first() else {
            return Ok(());
        };
        let seed = &self.seeds[usize::from(pick) % self.seeds.len()];
        let mut bytes = seed.bytes.clone();
        for chunk in edits.chunks(3) {
            match *chunk {
                [lo, hi, value] => {
                    let mut at = usize::from(u16::from_le_bytes([lo, hi])) % seed.total;
                    for &(start, len) in &seed.regions {
                        if at < len {
                            bytes[start + at] = value;
                            break;
                        }
                        at -= len;
                    }
                }
                [lo, hi] => bytes.truncate(usize::from(u16::from_le_bytes([lo, hi]))),
                _ => {}
            }
        }
        let verdict = check(&bytes, Kind::Module, &self.host);
        let decode = matches!(&verdict, Err(r) if r.rule() == "info.decode");
        let reference = expect_of(verdict.map_err(|r| r.chain().to_vec()));
        // The four exclusions of the doc comment.
        if reference.compatible
            && (section_shape(&bytes) != seed.shape || info_data(&bytes) != seed.info)
        {
            return Ok(());
        }
        if decode && published(&bytes) != seed.published {
            return Ok(());
        }
        if decode && exports_claim(info_data(&bytes)).is_some_and(huge) {
            return Ok(());
        }
        let wasmtime = expect_of(self.engine.load(&bytes, false));
        if wasmtime == reference {
            Ok(())
        } else {
            Err(format!("Wasmtime {wasmtime:?}, reference {reference:?}"))
        }
    }
}

/// Each section's name, type and data range.
type Shape = (Vec<u8>, u32, Option<(u64, u64)>);

/// The shape of every section but the engine section: an input whose shape
/// differs from its seed's gives some other section a new name, type or data
/// range.
fn section_shape(bytes: &[u8]) -> Option<Vec<Shape>> {
    use object::read::elf::{FileHeader, SectionHeader};
    let header = object::elf::FileHeader64::<object::Endianness>::parse(bytes).ok()?;
    let endian = header.endian().ok()?;
    let table = header.sections(endian, bytes).ok()?;
    table
        .iter()
        .map(|s| {
            let name = table.section_name(endian, s).ok()?.to_vec();
            Some((name, s.sh_type(endian), s.file_range(endian)))
        })
        .filter(|s| !matches!(s, Some((name, ..)) if name == b".wasmtime.engine"))
        .collect()
}

/// The type and data range of the last `.text` and of the last `.eh_frame`:
/// what `publish()` makes executable and registers as unwind information.
type Published = [Option<(u32, Option<(u64, u64)>)>; 2];

fn published(bytes: &[u8]) -> Option<Published> {
    use object::read::elf::{FileHeader, SectionHeader};
    let header = object::elf::FileHeader64::<object::Endianness>::parse(bytes).ok()?;
    let endian = header.endian().ok()?;
    let table = header.sections(endian, bytes).ok()?;
    let mut found = [None, None];
    for s in table.iter() {
        let slot = match table.section_name(endian, s).ok()? {
            b".text" => 0,
            b".eh_frame" => 1,
            _ => continue,
        };
        found[slot] = Some((s.sh_type(endian), s.file_range(endian)));
    }
    Some(found)
}

/// The data Wasmtime decodes as the module information: that of the last
/// section named `.wasmtime.info` (none: no bytes).
fn info_data(bytes: &[u8]) -> &[u8] {
    use object::read::elf::{FileHeader, SectionHeader};
    let Ok(header) = object::elf::FileHeader64::<object::Endianness>::parse(bytes) else {
        return &[];
    };
    let Ok(endian) = header.endian() else {
        return &[];
    };
    let Ok(table) = header.sections(endian, bytes) else {
        return &[];
    };
    let mut data: &[u8] = &[];
    for s in table.iter() {
        if table.section_name(endian, s) == Ok(b".wasmtime.info") {
            data = s.data(endian, bytes).unwrap_or(&[]);
        }
    }
    data
}

/// A claim of [`HUGE_CLAIM`] entries or more that the bytes left cannot hold.
fn huge((count, left): (u64, usize)) -> bool {
    count >= HUGE_CLAIM && count > left as u64
}

/// The count the module's `exports` map claims and the number of bytes after
/// it, read as postcard reads 48's module information up to that map
/// (`spec/info/v48.json`: `CompiledModuleInfo.module` is a `Module`, whose
/// `module_index` (u32), `strings` (a sequence of strings), `name` (an
/// optional `NonZeroU32`) and `initializers` (a sequence of `Import`s of two
/// `NonZeroU32`s and an `EntityIndex`) come first). `None` when decoding
/// fails before the count.
pub fn exports_claim(info: &[u8]) -> Option<(u64, usize)> {
    let r = &mut { info };
    varint(r, 5, 0x0f)?;
    for _ in 0..varint(r, 10, 0x01)? {
        let len = usize::try_from(varint(r, 10, 0x01)?).ok()?;
        let (text, rest) = r.split_at_checked(len)?;
        std::str::from_utf8(text).ok()?;
        *r = rest;
    }
    match byte(r)? {
        0 => {}
        1 => nonzero(r)?,
        _ => return None,
    }
    for _ in 0..varint(r, 10, 0x01)? {
        if varint(r, 5, 0x0f)? != 0 {
            return None;
        }
        nonzero(r)?;
        nonzero(r)?;
        if varint(r, 5, 0x0f)? > 4 {
            return None;
        }
        varint(r, 5, 0x0f)?;
    }
    let count = varint(r, 10, 0x01)?;
    Some((count, r.len()))
}

fn byte(r: &mut &[u8]) -> Option<u8> {
    let (&b, rest) = r.split_first()?;
    *r = rest;
    Some(b)
}

/// A postcard varint of at most `max` bytes whose last byte is at most `last`.
fn varint(r: &mut &[u8], max: u32, last: u8) -> Option<u64> {
    let mut value = 0u64;
    for i in 0..max {
        let b = byte(r)?;
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return (i + 1 < max || b <= last).then_some(value);
        }
    }
    None
}

fn nonzero(r: &mut &[u8]) -> Option<()> {
    (varint(r, 5, 0x0f)? != 0).then_some(())
}
