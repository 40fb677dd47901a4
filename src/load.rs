//! What loading does after the compatibility check passes, as far as the
//! ELF container goes: `CodeMemory::new` walks every section, resolving its
//! data and name and refusing one whose file offset breaks its own
//! `sh_addralign`.
//!
//! Only these structural steps are specified. The rest of loading (allowed
//! section names, relocations, the `.wasmtime.bti` byte, the module's own
//! `.wasmtime.info`) concerns the compiled code, not the compatibility
//! record, and holds for every artifact Wasmtime writes.

use crate::error::Rejection;
use crate::release::{ElfRules, Release};

/// r[load.section-data], r[load.section-name], r[load.section-alignment].
pub fn check_sections(bytes: &[u8], release: Release) -> Result<(), Rejection> {
    match release.layout().elf {
        ElfRules::FullParseFirstSection => check_v36(bytes),
        ElfRules::HeaderOnlyLastSection => check_v48(bytes),
    }
}

/// Where a section's bytes lie, as `SectionHeader::data` decides it: `None`
/// when they are not in the file, an empty range for `SHT_NOBITS`. Only the
/// range is computed; no byte of the section is read.
fn data_range(range: Option<(u64, u64)>, file_len: u64) -> Option<(u64, u64)> {
    match range {
        None => Some((0, 0)),
        Some((offset, size)) => offset
            .checked_add(size)
            .filter(|end| *end <= file_len)
            .map(|_| (offset, size)),
    }
}

/// `object`'s message for a section whose bytes are not in the file.
#[cold]
fn bad_range() -> Rejection {
    Rejection::new("load.section-data", "Invalid ELF section size or offset")
}

#[cold]
fn misaligned(name: String, align: u64) -> Rejection {
    Rejection::new(
        "load.section-alignment",
        format!("section {name} isn't aligned to {align:#x}"),
    )
}

/// 36's section pass; `bytes` is a slice or a file cache.
pub fn check_v36<'a, R: object36::ReadRef<'a>>(bytes: R) -> Result<(), Rejection> {
    use object36::read::elf::SectionHeader;

    let (_, endian, sections) = crate::framing::parse_v36(bytes).map_err(|e| {
        Rejection::with_context(
            "load.section-data",
            "failed to parse internal compilation artifact",
            e.to_string(),
        )
    })?;
    let file_len = bytes.len().map_err(|_| bad_range())?;
    for section in sections.iter() {
        let (offset, size) =
            data_range(section.file_range(endian), file_len).ok_or_else(bad_range)?;
        let name = sections
            .section_name(endian, section)
            .map_err(|e| Rejection::new("load.section-name", e.to_string()))?;
        let name = std::str::from_utf8(name)
            .map_err(|_| Rejection::new("load.section-name", "Non UTF-8 ELF section name"))?;
        let align = section.sh_addralign(endian);
        if align != 0 && size != 0 && offset % align != 0 {
            return Err(misaligned(format!("`{name}`"), align));
        }
    }
    Ok(())
}

/// 48's section pass; `bytes` is a slice or a file cache.
pub fn check_v48<'a, R: object48::ReadRef<'a>>(bytes: R) -> Result<(), Rejection> {
    use object48::elf::FileHeader64;
    use object48::read::elf::{FileHeader, SectionHeader};
    use object48::Endianness;

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
    let file_len = bytes.len().map_err(|_| bad_range())?;
    for section in sections.iter() {
        let (offset, size) =
            data_range(section.file_range(endian), file_len).ok_or_else(bad_range)?;
        let name = section
            .name(endian, strings)
            .map_err(|e| Rejection::new("load.section-name", e.to_string()))?;
        let name = std::str::from_utf8(name).map_err(|e| {
            Rejection::with_context(
                "load.section-name",
                "invalid section name in Wasm compilation artifact",
                e.to_string(),
            )
        })?;
        let align = section.sh_addralign(endian);
        if align != 0 && size != 0 && offset % align != 0 {
            return Err(misaligned(format!("{name:?}"), align));
        }
    }
    Ok(())
}
