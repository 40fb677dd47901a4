//! Checking an artifact in a file without reading the whole file: only the
//! ELF header, the section table, the section-name table, (for 36) the symbol
//! tables, and the engine section are read, through `object`'s `ReadCache`.
//! The verdict is the one [`crate::check()`] gives on the same bytes.

use crate::error::Rejection;
use crate::framing::{find_v36, find_v48};
use crate::host::Host;
use crate::release::ElfRules;
use crate::{check::check_engine_section, load, Kind};
use std::io::{Read, Seek};
use std::path::Path;

/// [`crate::check()`] on the file at `path`. The outer error is an I/O
/// failure opening the file.
pub fn check_file(path: &Path, kind: Kind, host: &Host) -> std::io::Result<Result<(), Rejection>> {
    let file = std::fs::File::open(path)?;
    Ok(check_reader(file, kind, host))
}

/// [`crate::check()`] on the bytes `reader` yields, read by range.
pub fn check_reader<R: Read + Seek>(reader: R, kind: Kind, host: &Host) -> Result<(), Rejection> {
    match host.release.layout().elf {
        ElfRules::FullParseFirstSection => {
            let cache = object36::ReadCache::new(reader);
            check_engine_section(find_v36(&cache, kind)?, host)?;
            load::check_v36(&cache, host)
        }
        ElfRules::HeaderOnlyLastSection => {
            let cache = object48::ReadCache::new(reader);
            check_engine_section(find_v48(&cache, kind)?, host)?;
            load::check_v48(&cache, host)
        }
    }
}
