//! Finding the engine section in the ELF container and splitting it into the
//! version byte, the version string and the `Metadata` body, in each
//! release's exact order of checks.
//!
//! ELF parsing goes through the same `object` release that the Wasmtime
//! release uses (0.37 for 36, 0.39 for 48), so the messages that come from
//! `object` are its own.

use crate::elf_fast::{Elf, Header};
use crate::error::Rejection;
use crate::format::*;
use crate::history::{ElfReader, ElfRules, Release};
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

/// [`ENGINE_SECTION`]'s bytes, whose length the fast reader's search is
/// written for.
const ENGINE_SECTION_NAME: &[u8; 16] = match ENGINE_SECTION.as_bytes().first_chunk::<16>() {
    Some(name) if ENGINE_SECTION.len() == 16 => name,
    _ => panic!("the engine section's name has 16 bytes"),
};

/// r[elf.*] and r[section.find], r[section.data]: the raw engine section.
pub fn find_engine_section(bytes: &[u8], kind: Kind, release: Release) -> Result<&[u8], Rejection> {
    let rules = release.layout().elf;
    if let Some(found) = find_fast(bytes, kind, rules) {
        return found.map(|(data, _)| data).map_err(Refusal::rejection);
    }
    find_engine_section_object(bytes, kind, rules)
}

/// [`find_engine_section`] through `object`'s parse alone.
pub(crate) fn find_engine_section_object(
    bytes: &[u8],
    kind: Kind,
    rules: ElfRules,
) -> Result<&[u8], Rejection> {
    match rules.reader {
        ElfReader::Full036 => full036::find(bytes, kind, rules),
        ElfReader::Full037 => full037::find(bytes, kind, rules),
        ElfReader::HeaderOnly => find_v48(bytes, kind),
    }
}

/// Whether `e_flags` marks an artifact of `kind` under `rules`.
pub(crate) fn kind_matches(e_flags: u32, kind: Kind, rules: ElfRules) -> bool {
    let bit = kind_bit(kind);
    if rules.exact_kind {
        e_flags == bit
    } else {
        e_flags & bit == bit
    }
}

#[cold]
fn missing_section() -> Rejection {
    const _: () = assert!(const_str_eq(ENGINE_SECTION, ".wasmtime.engine"));
    Rejection::fixed("section.find", "failed to find section `.wasmtime.engine`")
}

/// `a == b`, at compile time.
const fn const_str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cold]
fn bad_section_data() -> Rejection {
    Rejection::fixed("section.data", "Invalid ELF section size or offset")
}

/// The engine section as `rules`' reader finds it, read through the fast
/// reader (`crate::elf_fast`), with the view of the file the load walk
/// reads on; `None` when that reader cannot prove what `object` would do,
/// and the caller must take `object`'s parse.
#[inline(always)]
pub(crate) fn find_fast(
    bytes: &[u8],
    kind: Kind,
    rules: ElfRules,
) -> Option<Result<(&[u8], Elf<'_>), Refusal>> {
    let header = Header::parse(bytes)?;
    let full = rules.reader.is_full();
    if !full && header.e_flags() & kind_bit(kind) != kind_bit(kind) {
        // 43+ look at `e_flags` right after the header.
        return Some(Err(Refusal::IncompatibleFormat));
    }
    // The full parse takes the first section of the name, 43+ the last.
    let engine = ENGINE_SECTION.as_bytes();
    let (elf, section) = if full {
        let elf = Elf::parse(bytes, header, rules.reader, full)?;
        if header.os_abi() != ELFOSABI_WASMTIME
            || header.abi_version() != 0
            || !kind_matches(header.e_flags(), kind, rules)
        {
            return Some(Err(Refusal::IncompatibleFormat));
        }
        (elf, elf.sections().find(|s| elf.name_is(*s, engine)))
    } else {
        Elf::parse_finding_last(bytes, header, ENGINE_SECTION_NAME)?
    };
    let Some(section) = section else {
        return Some(Err(Refusal::MissingSection));
    };
    Some(match section.data(bytes, rules.reader) {
        Some(data) => Ok((data, elf)),
        None => Err(Refusal::BadSectionData),
    })
}

/// The fixed rejections the fast reader reaches, as a code the caller turns
/// into its [`Rejection`]: a byte is cheaper to hand back than the
/// rejection itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    IncompatibleFormat,
    MissingSection,
    BadSectionData,
}

impl Refusal {
    #[cold]
    pub(crate) fn rejection(self) -> Rejection {
        match self {
            Refusal::IncompatibleFormat => incompatible_format(),
            Refusal::MissingSection => missing_section(),
            Refusal::BadSectionData => bad_section_data(),
        }
    }
}

/// Whether 43+'s reading refuses the file at its `e_flags`: the header
/// parses (as the fast reader proves it) and lacks `kind`'s bit.
#[inline]
pub(crate) fn kind_refused(bytes: &[u8], kind: Kind) -> bool {
    Header::parse(bytes).is_some_and(|h| h.e_flags() & kind_bit(kind) != kind_bit(kind))
}

#[cold]
pub(crate) fn incompatible_format() -> Rejection {
    Rejection::fixed("elf.kind", "incompatible object file format")
}

#[cold]
fn not_an_elf(message: String) -> Rejection {
    Rejection::with_context(
        "elf.parse",
        "failed to parse precompiled artifact as an ELF",
        message,
    )
}

/// Why an ELF file does not parse: `object`'s error, or a message `object`
/// raises itself outside its error type's constructors.
#[derive(Debug)]
pub(crate) enum ParseError<E> {
    Object(E),
    Static(&'static str),
}

impl<E: std::fmt::Display> std::fmt::Display for ParseError<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParseError::Object(e) => e.fmt(f),
            ParseError::Static(m) => f.write_str(m),
        }
    }
}

/// Generates, for one `object` release, a module with:
/// - `parse`: what `ElfFile64::parse` validates, in its order, without the
///   relocation map it allocates: header, byte order, program headers,
///   section table and names, both symbol tables, and the relocation
///   sections' `sh_info` (relocation sections are those of `$reloc`);
/// - `find`: the engine section as the full-parse releases find it.
macro_rules! full_parse {
    ($m:ident, $object:ident, [$($reloc:ident),*]) => {
        pub mod $m {
            use super::*;
            use $object::elf::{FileHeader64, SHT_DYNSYM, SHT_SYMTAB, $($reloc),*};
            use $object::read::elf::{FileHeader, SectionHeader, SectionTable};
            use $object::{Endianness, SectionIndex};

            pub(crate) type Parsed<'a, R> = (
                &'a FileHeader64<Endianness>,
                Endianness,
                SectionTable<'a, FileHeader64<Endianness>, R>,
            );

            pub(crate) fn parse<'a, R: $object::ReadRef<'a>>(
                bytes: R,
                rules: ElfRules,
            ) -> Result<Parsed<'a, R>, ParseError<$object::Error>> {
                let text = ParseError::Object;
                let header = FileHeader64::<Endianness>::parse(bytes).map_err(text)?;
                let endian = header.endian().map_err(text)?;
                // The host process is little-endian; these releases parse
                // with its native byte order only.
                if rules.native_endian_only && endian == Endianness::Big {
                    return Err(ParseError::Static("Unsupported ELF endian"));
                }
                header.program_headers(endian, bytes).map_err(text)?;
                let sections = header.sections(endian, bytes).map_err(text)?;
                let symbols = sections.symbols(endian, bytes, SHT_SYMTAB).map_err(text)?;
                sections.symbols(endian, bytes, SHT_DYNSYM).map_err(text)?;
                let is_reloc = |t: u32| false $(|| t == $reloc)*;
                for section in sections.iter().rev() {
                    if !is_reloc(section.sh_type(endian))
                        || section.link(endian) != symbols.section()
                    {
                        continue;
                    }
                    let target = section.info_link(endian);
                    if target == SectionIndex(0) {
                        continue;
                    }
                    if target.0 >= sections.len() {
                        return Err(ParseError::Static(
                            "Invalid ELF sh_info for relocation section",
                        ));
                    }
                    if is_reloc(sections.section(target).map_err(text)?.sh_type(endian)) {
                        return Err(ParseError::Static(
                            "Unsupported ELF sh_info for relocation section",
                        ));
                    }
                }
                Ok((header, endian, sections))
            }

            /// The engine section; `bytes` is a slice or a file cache.
            #[allow(dead_code)]
            pub fn find<'a, R: $object::ReadRef<'a>>(
                bytes: R,
                kind: Kind,
                rules: ElfRules,
            ) -> Result<&'a [u8], Rejection> {
                find_parsed(bytes, kind, rules).map(|(data, _)| data)
            }

            /// The engine section, and the parse that found it, which the
            /// load walk reads on.
            #[allow(dead_code)]
            pub fn find_parsed<'a, R: $object::ReadRef<'a>>(
                bytes: R,
                kind: Kind,
                rules: ElfRules,
            ) -> Result<(&'a [u8], Parsed<'a, R>), Rejection> {
                let (header, endian, sections) =
                    parse(bytes, rules).map_err(|e| not_an_elf(e.to_string()))?;
                let ident = header.e_ident();
                if ident.os_abi != ELFOSABI_WASMTIME
                    || ident.abi_version != 0
                    || !kind_matches(header.e_flags(endian), kind, rules)
                {
                    return Err(incompatible_format());
                }
                // The first section whose name resolves to the engine
                // section's; names that do not resolve are passed over.
                let (_, section) = sections
                    .section_by_name(endian, ENGINE_SECTION.as_bytes())
                    .ok_or_else(missing_section)?;
                let data = section.data(endian, bytes).map_err(|_| {
                    Rejection::new("section.data", "Invalid ELF section size or offset")
                })?;
                Ok((data, (header, endian, sections)))
            }
        }
    };
}

full_parse!(full036, object036, [SHT_REL, SHT_RELA]);
full_parse!(full037, object037, [SHT_REL, SHT_RELA, SHT_CREL]);

// `object` 0.39's full parse: what `detect_precompiled` runs from 43 on.
full_parse!(full039, object039, [SHT_REL, SHT_RELA, SHT_CREL]);

/// 48's reading of the container; `bytes` is a slice or a file cache.
pub fn find_v48<'a, R: object039::ReadRef<'a>>(
    bytes: R,
    kind: Kind,
) -> Result<&'a [u8], Rejection> {
    find_v48_parsed(bytes, kind).map(|(data, _)| data)
}

/// What 48's reading parsed: the load walk reads on from it.
pub struct Parsed48<'a, R: object039::ReadRef<'a>> {
    pub endian: object039::Endianness,
    pub sections: object039::read::elf::SectionTable<
        'a,
        object039::elf::FileHeader64<object039::Endianness>,
        R,
    >,
    pub strings: object039::StringTable<'a, R>,
}

/// The engine section, and the parse that found it.
pub fn find_v48_parsed<'a, R: object039::ReadRef<'a>>(
    bytes: R,
    kind: Kind,
) -> Result<(&'a [u8], Parsed48<'a, R>), Rejection> {
    use object039::elf::FileHeader64;
    use object039::read::elf::{FileHeader, SectionHeader};
    use object039::Endianness;

    let header = FileHeader64::<Endianness>::parse(bytes).map_err(|e| not_an_elf(e.to_string()))?;
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
    let data = section
        .data(endian, bytes)
        .map_err(|e| Rejection::new("section.data", e.to_string()))?;
    Ok((
        data,
        Parsed48 {
            endian,
            sections,
            strings,
        },
    ))
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
