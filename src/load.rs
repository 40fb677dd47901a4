//! What loading does after the compatibility check passes, as far as the
//! ELF container goes: `CodeMemory::new` walks every section in table order,
//! resolving its data and name, refusing one whose file offset breaks its own
//! `sh_addralign`, (48) refusing relocations outside debug sections and names
//! it does not know, and requiring one `.wasmtime.bti` byte.
//!
//! The walk also says where the `.wasmtime.info` data lies, which loading
//! decodes next (`crate::info`). The contents of the other sections (the
//! code and the rest) are the compiled module's business and are not
//! specified.

use crate::elf_fast::{Elf, Section, SHT_CREL, SHT_REL, SHT_RELA};
use crate::error::Rejection;
use crate::framing::Parsed48;
use crate::history::{ElfReader, LoadRules, NameQuote};
use crate::host::Host;
use crate::info::INFO_SECTION;
use crate::reader::same_bytes;

/// The section whose single byte says whether branch protection is on.
const BTI_SECTION: &str = ".wasmtime.bti";

/// The file range of the `.wasmtime.info` data that loading decodes: the
/// last section of that name in table order, or no bytes (`(0, 0)`) when
/// there is none.
pub type InfoRange = (u64, u64);

/// r[load.section-data], r[load.section-name], r[load.section-alignment],
/// r[load.relocations], r[load.section-known], r[load.bti].
pub fn check_sections(bytes: &[u8], host: &Host) -> Result<InfoRange, Rejection> {
    match host.layout().elf.reader {
        ElfReader::Full036 => walk036::check(bytes, host),
        ElfReader::Full037 => walk037::check(bytes, host),
        ElfReader::HeaderOnly => check_v48(bytes, host),
    }
}

/// Where a section's bytes lie, as `SectionHeader::data` decides it over
/// the file's bytes: `None` when they are not in the file, an empty range for
/// `SHT_NOBITS`. An empty section is in the file wherever it points from
/// `object` 0.37 on; `object` 0.36 wants its offset within the file. Only
/// the range is computed; no byte of the section is read.
fn data_range(range: Option<(u64, u64)>, file_len: u64, reader: ElfReader) -> Option<(u64, u64)> {
    match range {
        None => Some((0, 0)),
        Some((offset, 0)) if reader != ElfReader::Full036 => Some((offset, 0)),
        Some((offset, size)) => offset
            .checked_add(size)
            .filter(|end| *end <= file_len)
            .map(|_| (offset, size)),
    }
}

/// `object`'s message for a section whose bytes are not in the file.
#[cold]
fn bad_range() -> Rejection {
    Rejection::fixed("load.section-data", "Invalid ELF section size or offset")
}

/// The per-section steps both releases share, in their order, and the one
/// check after the walk.
struct Walk {
    rules: &'static LoadRules,
    /// The process's unwind-information section, which 48 also knows.
    unwind_section: &'static str,
    bti_seen: bool,
    info: InfoRange,
}

impl Walk {
    fn new(host: &Host) -> Self {
        Walk {
            rules: &host.layout().load,
            unwind_section: host.process.unwind_section(),
            bti_seen: false,
            info: (0, 0),
        }
    }

    /// r[load.section-alignment].
    fn aligned(&self, name: &str, offset: u64, size: u64, align: u64) -> Result<(), Rejection> {
        if align != 0 && size != 0 && offset % align != 0 {
            return Err(self.misaligned(name, align));
        }
        Ok(())
    }

    #[cold]
    fn misaligned(&self, name: &str, align: u64) -> Rejection {
        let quoted = match self.rules.quote {
            NameQuote::Backticks => Some(("section `", "` isn't aligned to ")),
            // `Debug` of a name that needs no escaping is the name quoted.
            NameQuote::Debug if debug_is_plain(name) => {
                Some(("section \"", "\" isn't aligned to "))
            }
            NameQuote::Debug => None,
        };
        match quoted {
            Some((before, after)) => {
                let mut hex = [0; 18];
                Rejection::joined(
                    "load.section-alignment",
                    &[before, name, after, lower_hex(align, &mut hex)],
                )
            }
            None => Rejection::new(
                "load.section-alignment",
                format!("section {name:?} isn't aligned to {align:#x}"),
            ),
        }
    }

    /// r[load.relocations]: a relocation section may only patch debug
    /// sections.
    fn relocation(&self, name: &str, target: &str) -> Result<(), Rejection> {
        if target.starts_with(".debug_") {
            return Ok(());
        }
        Err(Rejection::new(
            "load.relocations",
            format!("section {target:?} has unexpected relocations (defined in section {name:?})"),
        ))
    }

    /// The name among those the walk knows (`.wasmtime.info`,
    /// `.wasmtime.bti`, the release's known sections and the unwind
    /// section) that `bytes` spell, if any: such a name is known to be
    /// UTF-8 without validating it.
    #[inline]
    fn known_name(&self, bytes: &[u8]) -> Option<&'static str> {
        [INFO_SECTION, BTI_SECTION, self.unwind_section]
            .iter()
            .chain(self.rules.known_sections.unwrap_or_default())
            .find(|name| same_bytes(name.as_bytes(), bytes))
            .copied()
    }

    /// r[load.bti] (its size) and r[load.section-known]; notes where the
    /// `.wasmtime.info` data is (the last such section wins). `known`: the
    /// name is one [`Walk::known_name`] found.
    fn named(&mut self, name: &str, offset: u64, size: u64, known: bool) -> Result<(), Rejection> {
        if known {
            if same_bytes(name.as_bytes(), INFO_SECTION.as_bytes()) {
                self.info = (offset, size);
            } else if same_bytes(name.as_bytes(), BTI_SECTION.as_bytes()) {
                return self.bti(size);
            }
            return Ok(());
        }
        // Not `.wasmtime.info` nor `.wasmtime.bti`; known only by prefix.
        let Some(_) = self.rules.known_sections else {
            return Ok(());
        };
        let bytes = name.as_bytes();
        let prefixed = self.rules.known_prefixes.iter().any(|p| {
            bytes
                .get(..p.len())
                .is_some_and(|head| same_bytes(head, p.as_bytes()))
        });
        if prefixed {
            return Ok(());
        }
        Err(Rejection::new(
            "load.section-known",
            format!("unexpected section {name:?} in Wasm compilation artifact"),
        ))
    }

    /// r[load.bti]: the section holds one byte.
    fn bti(&mut self, size: u64) -> Result<(), Rejection> {
        if size != 1 {
            let name = self.rules.quote.apply(BTI_SECTION);
            return Err(Rejection::new(
                "load.bti",
                format!("invalid {name} section"),
            ));
        }
        self.bti_seen = true;
        Ok(())
    }

    /// [`Walk::named`] for a name not yet classified.
    fn named_str(&mut self, name: &str, offset: u64, size: u64) -> Result<(), Rejection> {
        let known = self.known_name(name.as_bytes()).is_some();
        self.named(name, offset, size, known)
    }

    /// r[load.bti]: after the walk, some section held the byte.
    fn finish(self) -> Result<InfoRange, Rejection> {
        if self.bti_seen {
            return Ok(self.info);
        }
        Err(Rejection::new(
            "load.bti",
            format!("missing `{BTI_SECTION}` section"),
        ))
    }
}

/// Generates the section walk of the full-parse releases (24–42) for one
/// `object` release: every section's data range, name and alignment.
macro_rules! full_walk {
    ($m:ident, $object:ident, $parse:path, $parsed:ty) => {
        pub mod $m {
            use super::*;
            use $object::read::elf::SectionHeader;

            /// The walk; `bytes` is a slice or a file cache.
            pub fn check<'a, R: $object::ReadRef<'a>>(
                bytes: R,
                host: &Host,
            ) -> Result<InfoRange, Rejection> {
                let rules = host.layout().elf;
                let parsed = $parse(bytes, rules).map_err(|e| {
                    Rejection::with_context(
                        "load.section-data",
                        "failed to parse internal compilation artifact",
                        e.to_string(),
                    )
                })?;
                walk(parsed, bytes, host)
            }

            /// The walk over a parse the check already made.
            pub fn walk<'a, R: $object::ReadRef<'a>>(
                (_, endian, sections): $parsed,
                bytes: R,
                host: &Host,
            ) -> Result<InfoRange, Rejection> {
                let file_len = bytes.len().map_err(|_| bad_range())?;
                let reader = host.layout().elf.reader;
                let mut walk = Walk::new(host);
                // `ElfFile::sections()` passes over the null section.
                for section in sections.iter().skip(1) {
                    let (offset, size) = data_range(section.file_range(endian), file_len, reader)
                        .ok_or_else(bad_range)?;
                    let name = sections
                        .section_name(endian, section)
                        .map_err(|e| Rejection::new("load.section-name", e.to_string()))?;
                    let name = std::str::from_utf8(name).map_err(|_| {
                        Rejection::new("load.section-name", "Non UTF-8 ELF section name")
                    })?;
                    walk.aligned(name, offset, size, section.sh_addralign(endian))?;
                    walk.named_str(name, offset, size)?;
                }
                walk.finish()
            }
        }
    };
}

full_walk!(
    walk036,
    object036,
    crate::framing::full036::parse,
    crate::framing::full036::Parsed<'a, R>
);
full_walk!(
    walk037,
    object037,
    crate::framing::full037::parse,
    crate::framing::full037::Parsed<'a, R>
);

/// The section walk over the fast reader's view of `bytes` (see
/// `crate::elf_fast`): the same steps, in the same order, with the same
/// messages as the walk over `object`'s parse of `host`'s reader. Every
/// name resolves in such a view.
pub(crate) fn walk_fast(elf: &Elf<'_>, bytes: &[u8], host: &Host) -> Result<InfoRange, Rejection> {
    let reader = host.layout().elf.reader;
    let full = reader.is_full();
    let file_len = bytes.len() as u64;
    let mut walk = Walk::new(host);
    // A name the walk knows is UTF-8 already; any other is validated.
    let name_of = |walk: &Walk, section: Section<'_>| -> Result<(&str, bool), Rejection> {
        let bytes = elf.name(section).ok_or_else(bad_name)?;
        if let Some(known) = walk.known_name(bytes) {
            return Ok((known, true));
        }
        match std::str::from_utf8(bytes) {
            Ok(name) => Ok((name, false)),
            Err(_) if full => Err(Rejection::fixed(
                "load.section-name",
                "Non UTF-8 ELF section name",
            )),
            Err(e) => Err(invalid_name(e)),
        }
    };
    // `ElfFile::sections()` passes over the null section; 43+ walk the
    // table.
    for section in elf.sections().skip(usize::from(full)) {
        let (offset, size) =
            data_range(section.file_range(), file_len, reader).ok_or_else(bad_range)?;
        let (name, known) = name_of(&walk, section)?;
        walk.aligned(name, offset, size, section.sh_addralign())?;
        if !full {
            let relocates = matches!(section.sh_type(), SHT_REL | SHT_RELA | SHT_CREL);
            let target = section.sh_info();
            // `sh_info` 0 marks dynamic relocations, which patch no section.
            if relocates && target != 0 {
                let target = elf
                    .section(target as usize)
                    .ok_or_else(bad_relocation_target)?;
                walk.relocation(name, name_of(&walk, target)?.0)?;
            }
        }
        walk.named(name, offset, size, known)?;
    }
    walk.finish()
}

#[cold]
fn bad_name() -> Rejection {
    Rejection::fixed("load.section-name", "Invalid ELF section name offset")
}

#[cold]
fn invalid_name(e: std::str::Utf8Error) -> Rejection {
    Rejection::with_context(
        "load.section-name",
        "invalid section name in Wasm compilation artifact",
        e.to_string(),
    )
}

#[cold]
fn bad_relocation_target() -> Rejection {
    Rejection::fixed(
        "load.relocations",
        "invalid ELF `sh_info` for relocation section",
    )
}

/// 48's section walk; `bytes` is a slice or a file cache.
pub fn check_v48<'a, R: object039::ReadRef<'a>>(
    bytes: R,
    host: &Host,
) -> Result<InfoRange, Rejection> {
    use object039::elf::FileHeader64;
    use object039::read::elf::FileHeader;
    use object039::Endianness;

    // The compatibility check has parsed the same header and tables, so
    // these steps cannot fail here; their messages are the check's.
    let header = FileHeader64::<Endianness>::parse(bytes)
        .map_err(|e| Rejection::new("load.section-data", e.to_string()))?;
    let endian = header
        .endian()
        .map_err(|e| Rejection::new("load.section-data", e.to_string()))?;
    let strings = header
        .section_headers(endian, bytes)
        .and_then(|headers| header.section_strings(endian, bytes, headers))
        .map_err(|e| Rejection::new("load.section-data", e.to_string()))?;
    let sections = header
        .sections(endian, bytes)
        .map_err(|e| Rejection::new("load.section-data", e.to_string()))?;
    walk_v48(
        Parsed48 {
            endian,
            sections,
            strings,
        },
        bytes,
        host,
    )
}

/// 48's section walk over the parse the check already made.
pub fn walk_v48<'a, R: object039::ReadRef<'a>>(
    parsed: Parsed48<'a, R>,
    bytes: R,
    host: &Host,
) -> Result<InfoRange, Rejection> {
    use object039::elf::{SectionHeader64, SHT_CREL, SHT_REL, SHT_RELA};
    use object039::read::elf::SectionHeader;
    use object039::{Endianness, StringTable};

    fn name_of<'a, R: object039::ReadRef<'a>>(
        section: &SectionHeader64<Endianness>,
        endian: Endianness,
        strings: StringTable<'a, R>,
    ) -> Result<&'a str, Rejection> {
        let name = section
            .name(endian, strings)
            .map_err(|e| Rejection::new("load.section-name", e.to_string()))?;
        std::str::from_utf8(name).map_err(invalid_name)
    }

    let Parsed48 {
        endian,
        sections,
        strings,
    } = parsed;
    let file_len = bytes.len().map_err(|_| bad_range())?;
    let mut walk = Walk::new(host);
    for section in sections.iter() {
        let (offset, size) =
            data_range(section.file_range(endian), file_len, ElfReader::HeaderOnly)
                .ok_or_else(bad_range)?;
        let name = name_of(section, endian, strings)?;
        walk.aligned(name, offset, size, section.sh_addralign(endian))?;
        let relocates = matches!(section.sh_type(endian), SHT_REL | SHT_RELA | SHT_CREL);
        let target = section.sh_info(endian);
        // `sh_info` 0 marks dynamic relocations, which patch no section.
        if relocates && target != 0 {
            let target = sections
                .section(object039::SectionIndex(target as usize))
                .map_err(|_| bad_relocation_target())?;
            walk.relocation(name, name_of(target, endian, strings)?)?;
        }
        walk.named_str(name, offset, size)?;
    }
    walk.finish()
}

/// Whether `str`'s `Debug` rendering is the text itself between quotes:
/// printable ASCII without a quote or a backslash.
fn debug_is_plain(text: &str) -> bool {
    text.bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\')
}

/// `{:#x}` of `value`, written into `out`.
fn lower_hex(value: u64, out: &mut [u8; 18]) -> &str {
    let digits = (64 - value.leading_zeros()).div_ceil(4).max(1) as usize;
    out[0] = b'0';
    out[1] = b'x';
    for i in 0..digits {
        let nibble = (value >> (4 * (digits - 1 - i))) & 0xf;
        out[2 + i] = b"0123456789abcdef"[nibble as usize];
    }
    std::str::from_utf8(&out[..2 + digits]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_and_plain_names_render_as_format_does() {
        let mut out = [0; 18];
        for value in [0, 1, 0x81, 0x1000, u64::MAX, 1 << 63, 0xabc] {
            assert_eq!(lower_hex(value, &mut out), format!("{value:#x}"));
        }
        assert!(debug_is_plain(".wasmtime.engine"));
        for name in [
            ".text",
            ".wasmtime.engine",
            "a b",
            "",
            "x\"y",
            "x\\y",
            "é",
            "\n",
        ] {
            // Plain names are rendered without `format!`; the others take it.
            if debug_is_plain(name) {
                assert_eq!(format!("{name:?}"), format!("\"{name}\""), "{name}");
            }
        }
    }
}
