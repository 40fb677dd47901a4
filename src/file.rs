//! Checking an artifact in a file without reading the whole file: only the
//! ELF header, the section table, the section-name table, (up to 42) the
//! symbol tables, and the engine section are read, through `object`'s `ReadCache`.
//! The verdict is the one [`crate::check()`] gives on the same bytes.

use crate::error::{Phase, Rejection};
use crate::framing::{find_v48_parsed, full036, full037};
use crate::history::ElfReader;
use crate::host::Host;
use crate::{check::check_engine_section, load, Kind};
use std::io::{Read, Seek};
use std::path::Path;

/// [`crate::check()`] on the file at `path`. The outer error is an I/O
/// failure opening the file.
pub fn check_file(path: &Path, kind: Kind, host: &Host) -> std::io::Result<Result<(), Rejection>> {
    check_file_until(path, kind, host, Phase::Load)
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
    check_reader_until(reader, kind, host, Phase::Load)
}

/// [`check_reader`], stopping after the rules of phase `until`.
pub fn check_reader_until<R: Read + Seek>(
    reader: R,
    kind: Kind,
    host: &Host,
    until: Phase,
) -> Result<(), Rejection> {
    let load = until >= Phase::Load;
    let rules = host.release.layout().elf;
    match rules.reader {
        ElfReader::Full036 => {
            let cache = object036::ReadCache::new(reader);
            let (data, parsed) = full036::find_parsed(&cache, kind, rules)?;
            check_engine_section(data, host)?;
            if !load {
                return Ok(());
            }
            load::walk036::walk(parsed, &cache, host)
        }
        ElfReader::Full037 => {
            let cache = object037::ReadCache::new(reader);
            let (data, parsed) = full037::find_parsed(&cache, kind, rules)?;
            check_engine_section(data, host)?;
            if !load {
                return Ok(());
            }
            load::walk037::walk(parsed, &cache, host)
        }
        ElfReader::HeaderOnly => {
            let cache = object039::ReadCache::new(reader);
            let (data, parsed) = find_v48_parsed(&cache, kind)?;
            check_engine_section(data, host)?;
            if !load {
                return Ok(());
            }
            load::walk_v48(parsed, &cache, host)
        }
    }
}
