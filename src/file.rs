//! Checking an artifact in a file without reading the whole file: only the
//! ELF header, the section table, the section-name table, (36–42) the
//! symbol tables, the engine section and (36 and 48) the `.wasmtime.info`
//! section are read, through `object`'s `ReadCache`. 24–35 read the file whole (see [`check_reader_until`]). The
//! verdict is the one [`crate::check()`] gives on the same bytes.

use crate::error::{Phase, Rejection};
use crate::framing::{find_v48_parsed, full037};
use crate::history::ElfReader;
use crate::host::Host;
use crate::{check::check_engine_section, load, Kind};
use std::io::{Read, Seek};
use std::path::Path;

/// [`crate::check()`] on the file at `path`. The outer error is an I/O
/// failure opening the file.
pub fn check_file(path: &Path, kind: Kind, host: &Host) -> std::io::Result<Result<(), Rejection>> {
    check_file_until(path, kind, host, Phase::ModuleInfo)
}

/// [`check_file`], stopping after the rules of phase `until`.
pub fn check_file_until(
    path: &Path,
    kind: Kind,
    host: &Host,
    until: Phase,
) -> std::io::Result<Result<(), Rejection>> {
    let file = std::fs::File::open(path)?;
    Ok(check_reader_until(file, kind, host, until))
}

/// [`crate::check()`] on the bytes `reader` yields, read by range.
pub fn check_reader<R: Read + Seek>(reader: R, kind: Kind, host: &Host) -> Result<(), Rejection> {
    check_reader_until(reader, kind, host, Phase::ModuleInfo)
}

/// [`check_reader`], stopping after the rules of phase `until`.
pub fn check_reader_until<R: Read + Seek>(
    reader: R,
    kind: Kind,
    host: &Host,
    until: Phase,
) -> Result<(), Rejection> {
    let load = until >= Phase::Load;
    // The `.wasmtime.info` bytes are read only when they are decoded.
    let info = until >= Phase::ModuleInfo && crate::info::schema(host.release).is_some();
    let rules = host.layout().elf;
    match rules.reader {
        // object 0.36, as 24-35 build it, reads its tables in place and
        // wants them aligned in memory as they are in the file Wasmtime
        // maps; a range cache would align them. These are read whole.
        ElfReader::Full036 => {
            let mut reader = reader;
            let mut bytes = Vec::new();
            reader
                .seek(std::io::SeekFrom::Start(0))
                .and_then(|_| reader.read_to_end(&mut bytes))
                .map_err(|e| {
                    Rejection::with_context(
                        "elf.parse",
                        "failed to parse precompiled artifact as an ELF",
                        e.to_string(),
                    )
                })?;
            crate::check::check_until(&bytes, kind, host, until)
        }
        ElfReader::Full037 => {
            let cache = object037::ReadCache::new(reader);
            let (data, parsed) = full037::find_parsed(&cache, kind, rules)?;
            check_engine_section(data, host)?;
            if !load {
                return Ok(());
            }
            let (offset, size) = load::walk037::walk(parsed, &cache, host)?;
            if !info {
                return Ok(());
            }
            let bytes = object037::ReadRef::read_bytes_at(&cache, offset, size).map_err(unread)?;
            crate::info::check(bytes, kind, host.release)
        }
        ElfReader::HeaderOnly => {
            let cache = object039::ReadCache::new(reader);
            let (data, parsed) = find_v48_parsed(&cache, kind)?;
            check_engine_section(data, host)?;
            if !load {
                return Ok(());
            }
            let (offset, size) = load::walk_v48(parsed, &cache, host)?;
            if !info {
                return Ok(());
            }
            let bytes = object039::ReadRef::read_bytes_at(&cache, offset, size).map_err(unread)?;
            crate::info::check(bytes, kind, host.release)
        }
    }
}

/// The walk found the range in the file, so reading it fails only when the
/// file changes underneath.
#[cold]
fn unread(_: ()) -> Rejection {
    Rejection::new("load.section-data", "Invalid ELF section size or offset")
}
