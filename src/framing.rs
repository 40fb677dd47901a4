//! Finding the engine section in the ELF container and splitting it into the
//! version byte, the version string and the `Metadata` body, in each
//! release's exact order of checks.
//!
//! ELF parsing goes through the same `object` release that the Wasmtime
//! release uses (0.37 for 36, 0.39 for 48), so the messages that come from
//! `object` are its own.

use crate::error::Rejection;
use crate::format::*;
use crate::release::{ElfRules, Release};
use crate::Kind;

/// The parts of an engine section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineSection<'a> {
    /// The version string's bytes (not yet known to be UTF-8).
    pub version: &'a [u8],
    /// The postcard `Metadata` and anything after it.
    pub body: &'a [u8],
}

/// The expected `e_flags` bit for `kind`.
fn kind_bit(kind: Kind) -> u32 {
    match kind {
        Kind::Module => EF_WASMTIME_MODULE,
        Kind::Component => EF_WASMTIME_COMPONENT,
    }
}

/// r[elf.*] and r[section.find], r[section.data]: the raw engine section.
pub fn find_engine_section(bytes: &[u8], kind: Kind, release: Release) -> Result<&[u8], Rejection> {
    match release.layout().elf {
        ElfRules::FullParseFirstSection => find_v36(bytes, kind),
        ElfRules::HeaderOnlyLastSection => find_v48(bytes, kind),
    }
}

#[cold]
fn missing_section() -> Rejection {
    Rejection::new(
        "section.find",
        format!("failed to find section `{ENGINE_SECTION}`"),
    )
}

#[cold]
fn incompatible_format() -> Rejection {
    Rejection::new("elf.kind", "incompatible object file format")
}

/// Generates a check of what `object`'s `ElfFile64::parse` validates, in its
/// order, without the relocation map it allocates: header, program headers,
/// section table and names, both symbol tables, and the relocation sections'
/// `sh_info`. One copy per `object` release (0.37 for 36, 0.39 for 48), whose
/// validations are the same.
/// Why an ELF file does not parse: `object`'s error, or one of the two
/// relocation-section messages `object` raises itself.
#[derive(Debug)]
pub(crate) enum ParseError<E> {
    Object(E),
    Relocation(&'static str),
}

impl<E: std::fmt::Display> std::fmt::Display for ParseError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Object(e) => e.fmt(f),
            ParseError::Relocation(m) => f.write_str(m),
        }
    }
}

macro_rules! elf_file_validation {
    ($name:ident, $object:ident) => {
        #[allow(clippy::type_complexity)]
        pub(crate) fn $name<'a, R: $object::ReadRef<'a>>(
            bytes: R,
        ) -> Result<
            (
                &'a $object::elf::FileHeader64<$object::Endianness>,
                $object::Endianness,
                $object::read::elf::SectionTable<
                    'a,
                    $object::elf::FileHeader64<$object::Endianness>,
                    R,
                >,
            ),
            ParseError<$object::Error>,
        > {
            use $object::elf::{FileHeader64, SHT_CREL, SHT_DYNSYM, SHT_REL, SHT_RELA, SHT_SYMTAB};
            use $object::read::elf::{FileHeader, SectionHeader};
            use $object::{Endianness, SectionIndex};

            let text = ParseError::Object;
            let header = FileHeader64::<Endianness>::parse(bytes).map_err(text)?;
            let endian = header.endian().map_err(text)?;
            header.program_headers(endian, bytes).map_err(text)?;
            let sections = header.sections(endian, bytes).map_err(text)?;
            let symbols = sections.symbols(endian, bytes, SHT_SYMTAB).map_err(text)?;
            sections.symbols(endian, bytes, SHT_DYNSYM).map_err(text)?;
            let is_reloc = |t: u32| t == SHT_REL || t == SHT_RELA || t == SHT_CREL;
            for section in sections.iter().rev() {
                if !is_reloc(section.sh_type(endian)) || section.link(endian) != symbols.section() {
                    continue;
                }
                let target = section.info_link(endian);
                if target == SectionIndex(0) {
                    continue;
                }
                if target.0 >= sections.len() {
                    return Err(ParseError::Relocation(
                        "Invalid ELF sh_info for relocation section",
                    ));
                }
                if is_reloc(sections.section(target).map_err(text)?.sh_type(endian)) {
                    return Err(ParseError::Relocation(
                        "Unsupported ELF sh_info for relocation section",
                    ));
                }
            }
            Ok((header, endian, sections))
        }
    };
}

elf_file_validation!(parse_v36, object36);
elf_file_validation!(parse_full_v48, object48);

/// 36's reading of the container; `bytes` is a slice or a file cache.
pub fn find_v36<'a, R: object36::ReadRef<'a>>(bytes: R, kind: Kind) -> Result<&'a [u8], Rejection> {
    use object36::read::elf::{FileHeader, SectionHeader};

    let (header, endian, sections) = parse_v36(bytes).map_err(|e| {
        Rejection::with_context(
            "elf.parse",
            "failed to parse precompiled artifact as an ELF",
            e.to_string(),
        )
    })?;
    let ident = header.e_ident();
    let e_flags = header.e_flags(endian);
    if ident.os_abi != ELFOSABI_WASMTIME
        || ident.abi_version != 0
        || e_flags & kind_bit(kind) != kind_bit(kind)
    {
        return Err(incompatible_format());
    }
    // The first section whose name resolves to the engine section's; names
    // that do not resolve are passed over.
    let (_, section) = sections
        .section_by_name(endian, ENGINE_SECTION.as_bytes())
        .ok_or_else(missing_section)?;
    section
        .data(endian, bytes)
        .map_err(|_| Rejection::new("section.data", "Invalid ELF section size or offset"))
}

/// 48's reading of the container; `bytes` is a slice or a file cache.
pub fn find_v48<'a, R: object48::ReadRef<'a>>(bytes: R, kind: Kind) -> Result<&'a [u8], Rejection> {
    use object48::elf::FileHeader64;
    use object48::read::elf::{FileHeader, SectionHeader};
    use object48::Endianness;

    let header = FileHeader64::<Endianness>::parse(bytes).map_err(|e| {
        Rejection::with_context(
            "elf.parse",
            "failed to parse precompiled artifact as an ELF",
            e.to_string(),
        )
    })?;
    let endian = header.endian().map_err(|e| {
        Rejection::with_context(
            "elf.endianness",
            "failed to parse header endianness",
            e.to_string(),
        )
    })?;
    if header.e_flags(endian) & kind_bit(kind) != kind_bit(kind) {
        return Err(incompatible_format());
    }
    let section_headers = header.section_headers(endian, bytes).map_err(|e| {
        Rejection::with_context(
            "elf.section-headers",
            "failed to parse section headers",
            e.to_string(),
        )
    })?;
    let strings = header
        .section_strings(endian, bytes, section_headers)
        .map_err(|e| {
            Rejection::with_context(
                "elf.section-strings",
                "failed to parse strings table",
                e.to_string(),
            )
        })?;
    let sections = header.sections(endian, bytes).map_err(|e| {
        Rejection::with_context(
            "elf.sections",
            "failed to parse sections table",
            e.to_string(),
        )
    })?;
    // Every name is resolved, and the last section with the name wins.
    let mut found = None;
    for section in sections.iter() {
        let name = section
            .name(endian, strings)
            .map_err(|e| Rejection::new("elf.section-name", e.to_string()))?;
        if name == ENGINE_SECTION.as_bytes() {
            found = Some(section);
        }
    }
    let section = found.ok_or_else(missing_section)?;
    section
        .data(endian, bytes)
        .map_err(|e| Rejection::new("section.data", e.to_string()))
}

/// r[section.version-byte], r[section.version-length], r[section.too-small]:
/// splits the engine section into its version string and body.
pub fn split_engine_section(data: &[u8]) -> Result<EngineSection<'_>, Rejection> {
    let (&first, rest) = data
        .split_first()
        .ok_or_else(|| Rejection::new("section.version-byte", "invalid engine section"))?;
    if first != ENGINE_SECTION_VERSION {
        return Err(Rejection::new(
            "section.version-byte",
            "mismatched version in engine section",
        ));
    }
    let (&len, rest) = rest
        .split_first()
        .ok_or_else(|| Rejection::new("section.version-length", "invalid engine section"))?;
    let len = usize::from(len);
    // At least one byte of body must follow the version string.
    if rest.len() < len + 1 {
        return Err(Rejection::new(
            "section.too-small",
            "engine section too small",
        ));
    }
    let (version, body) = rest.split_at(len);
    Ok(EngineSection { version, body })
}

/// Writes an engine section: version byte, length byte, version string and
/// body. `None` if the version string is longer than 255 bytes.
pub fn encode_engine_section(version: &str, body: &[u8]) -> Option<Vec<u8>> {
    if version.len() > MAX_VERSION_STRING_LEN {
        return None;
    }
    let mut out = Vec::with_capacity(2 + version.len() + body.len());
    out.push(ENGINE_SECTION_VERSION);
    out.push(version.len() as u8);
    out.extend_from_slice(version.as_bytes());
    out.extend_from_slice(body);
    Some(out)
}
