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
/// Positions fall in the bytes the specification covers: the ELF header, the
/// engine section and its header, the section-name table, and in every
/// section header the fields that loading's walk reads without moving data
/// (`sh_name`, `sh_type`, `sh_info`, `sh_addralign`). An edit may still give
/// another section a new name, type or data range that loading lets through;
/// what Wasmtime does next depends on that section's contents, which
/// `spec/cwasm.md` 3.2 leaves out, so such an input is compared only when
/// the reference rejects it.
pub struct Differential {
    seeds: Vec<Seed>,
    host: cwasm_spec::host::Host,
    engine: v48::HostEngine,
}

/// A seed artifact with what every input derived from it needs: the byte
/// ranges edits may touch, and the shape of its sections.
struct Seed {
    bytes: Vec<u8>,
    /// `(start, len)` ranges, in the order edit positions walk them.
    regions: Vec<(usize, usize)>,
    /// Their total length.
    total: usize,
    shape: Option<Vec<Shape>>,
}

impl Seed {
    fn new(bytes: Vec<u8>) -> Seed {
        let loc = edit::locate(&bytes);
        let shstrtab = loc.shoff + loc.shstrndx * edit::SHDR_SIZE;
        let mut regions = vec![
            (0, 64),
            (loc.header_offset, edit::SHDR_SIZE),
            (loc.data_offset, loc.data_size),
            (
                edit::get_u64(&bytes, shstrtab + 24) as usize,
                edit::get_u64(&bytes, shstrtab + 32) as usize,
            ),
        ];
        for i in 0..loc.shnum {
            let header = loc.shoff + i * edit::SHDR_SIZE;
            // sh_name and sh_type; sh_info and sh_addralign.
            regions.extend([(header, 8), (header + 44, 12)]);
        }
        let total = regions.iter().map(|r| r.1).sum();
        let shape = section_shape(&bytes);
        Seed {
            bytes,
            regions,
            total,
            shape,
        }
    }
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
        let reference =
            expect_of(check(&bytes, Kind::Module, &self.host).map_err(|r| r.chain().to_vec()));
        // Out of scope, and not handed to Wasmtime at all: 48.0.8 panics
        // ("changing of protections isn't page-aligned") when a section
        // renamed to `.text` does not start on a page.
        if reference.compatible && section_shape(&bytes) != seed.shape {
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
