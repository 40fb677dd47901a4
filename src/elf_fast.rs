//! A fast, conservative reader of the ELF header and section table.
//!
//! `object`'s parses (`crate::framing`) are exact but not cheap: the full
//! parse of 24–42 and of `detect` validates program headers, both symbol
//! tables and the relocation sections, and every reading resolves section
//! names through a string table of unknown shape. This reader accepts a file
//! only when it can prove, from the header and the section table read at
//! absolute offsets, that `object` would parse it and would see the same
//! header, sections and names:
//!
//! - little-endian, 64-bit, `EV_CURRENT`, a section table that is in the
//!   file, with 64-byte entries and a count and string-table index that are
//!   not extended;
//! - a section-name table that is in the file and ends with a NUL, and every
//!   section's name offset inside it, so that every name resolves, to the
//!   bytes up to the first NUL from its offset;
//! - for the full parse: program headers in the file with 56-byte entries,
//!   a symbol table in the file with a whole number of 24-byte entries and a
//!   string-table link that `object` accepts, no `.dynsym` and no
//!   `SHT_SYMTAB_SHNDX`, and relocation sections whose `sh_info` `object`
//!   accepts;
//! - for `object` 0.36, which reads its tables in place, every table read
//!   aligned to 8 bytes in memory.
//!
//! Anything else is "don't know" (`None`), and the caller falls back to
//! `object`'s parse, which decides and gives the exact error messages. So a
//! verdict reached through this reader is `object`'s by construction; the
//! conditions are sufficient, not necessary.

use crate::history::ElfReader;
use crate::reader::{same_bytes, word64};

const ELFCLASS64: u8 = 2;
const ELFDATA2LSB: u8 = 1;
const EV_CURRENT: u8 = 1;
const SHN_XINDEX: u16 = 0xffff;
const PN_XNUM: u16 = 0xffff;

pub(crate) const SHT_SYMTAB: u32 = 2;
pub(crate) const SHT_STRTAB: u32 = 3;
pub(crate) const SHT_RELA: u32 = 4;
pub(crate) const SHT_NOBITS: u32 = 8;
pub(crate) const SHT_REL: u32 = 9;
pub(crate) const SHT_DYNSYM: u32 = 11;
pub(crate) const SHT_SYMTAB_SHNDX: u32 = 18;
pub(crate) const SHT_CREL: u32 = 0x4000_0014;

const SECTION_HEADER_SIZE: usize = 64;
const PROGRAM_HEADER_SIZE: u64 = 56;
const SYM_SIZE: u64 = 24;

fn u16_at(h: &[u8; 64], at: usize) -> u16 {
    u16::from_le_bytes([h[at], h[at + 1]])
}

fn u32_at(h: &[u8; 64], at: usize) -> u32 {
    u32::from_le_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]])
}

fn u64_at(h: &[u8; 64], at: usize) -> u64 {
    u64::from_le_bytes([
        h[at],
        h[at + 1],
        h[at + 2],
        h[at + 3],
        h[at + 4],
        h[at + 5],
        h[at + 6],
        h[at + 7],
    ])
}

/// A 64-byte record at the start of `bytes`, if there is one.
fn record(bytes: &[u8]) -> Option<&[u8; 64]> {
    bytes.get(..64)?.try_into().ok()
}

/// The range `offset..offset + size` of a file of `len` bytes, if it lies
/// in it.
fn range_in(offset: u64, size: u64, len: usize) -> Option<std::ops::Range<usize>> {
    let end = offset.checked_add(size)?;
    if end > len as u64 {
        return None;
    }
    Some(offset as usize..end as usize)
}

/// Whether the byte at `offset` of `bytes` lies at an address that is a
/// multiple of 8, as `object` 0.36 wants for its tables.
fn aligned8(bytes: &[u8], offset: u64) -> bool {
    (bytes.as_ptr() as usize as u64).wrapping_add(offset) % 8 == 0
}

/// The ELF file header, as every reader parses it: magic, 64-bit class,
/// little-endian, `EV_CURRENT`. `None` for anything else, big-endian
/// included.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Header<'a> {
    raw: &'a [u8; 64],
}

impl<'a> Header<'a> {
    #[inline]
    pub(crate) fn parse(bytes: &'a [u8]) -> Option<Self> {
        let raw = record(bytes)?;
        // The magic, class, data and version bytes, as one word.
        const IDENT: u64 = u64::from_le_bytes([
            0x7f,
            b'E',
            b'L',
            b'F',
            ELFCLASS64,
            ELFDATA2LSB,
            EV_CURRENT,
            0,
        ]);
        let ok = u64_at(raw, 0) & 0x00ff_ffff_ffff_ffff == IDENT;
        ok.then_some(Header { raw })
    }

    pub(crate) fn os_abi(&self) -> u8 {
        self.raw[7]
    }

    pub(crate) fn abi_version(&self) -> u8 {
        self.raw[8]
    }

    pub(crate) fn e_flags(&self) -> u32 {
        u32_at(self.raw, 48)
    }

    fn phoff(&self) -> u64 {
        u64_at(self.raw, 32)
    }

    fn shoff(&self) -> u64 {
        u64_at(self.raw, 40)
    }

    fn phentsize(&self) -> u16 {
        u16_at(self.raw, 54)
    }

    fn phnum(&self) -> u16 {
        u16_at(self.raw, 56)
    }

    fn shentsize(&self) -> u16 {
        u16_at(self.raw, 58)
    }

    fn shnum(&self) -> u16 {
        u16_at(self.raw, 60)
    }

    fn shstrndx(&self) -> u16 {
        u16_at(self.raw, 62)
    }
}

/// `FileHeader::program_headers` succeeds.
fn program_headers_parse(bytes: &[u8], header: Header<'_>, aligned: bool) -> bool {
    let phoff = header.phoff();
    let phnum = header.phnum();
    phoff == 0
        || phnum == 0
        || (phnum != PN_XNUM
            && u64::from(header.phentsize()) == PROGRAM_HEADER_SIZE
            && range_in(phoff, u64::from(phnum) * PROGRAM_HEADER_SIZE, bytes.len()).is_some()
            && (!aligned || aligned8(bytes, phoff)))
}

/// One section header.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Section<'a> {
    raw: &'a [u8; 64],
}

impl Section<'_> {
    pub(crate) fn sh_name(&self) -> u32 {
        u32_at(self.raw, 0)
    }

    pub(crate) fn sh_type(&self) -> u32 {
        u32_at(self.raw, 4)
    }

    pub(crate) fn sh_offset(&self) -> u64 {
        u64_at(self.raw, 24)
    }

    pub(crate) fn sh_size(&self) -> u64 {
        u64_at(self.raw, 32)
    }

    pub(crate) fn sh_link(&self) -> u32 {
        u32_at(self.raw, 40)
    }

    pub(crate) fn sh_info(&self) -> u32 {
        u32_at(self.raw, 44)
    }

    pub(crate) fn sh_addralign(&self) -> u64 {
        u64_at(self.raw, 48)
    }

    /// `SectionHeader::file_range`: `None` for `SHT_NOBITS`.
    pub(crate) fn file_range(&self) -> Option<(u64, u64)> {
        if self.sh_type() == SHT_NOBITS {
            None
        } else {
            Some((self.sh_offset(), self.sh_size()))
        }
    }

    /// `SectionHeader::data` over `bytes` with `reader`'s `object`: `None`
    /// where it fails ("Invalid ELF section size or offset"). An empty
    /// section is anywhere from `object` 0.37 on; 0.36 wants its offset in
    /// the file.
    pub(crate) fn data<'b>(&self, bytes: &'b [u8], reader: ElfReader) -> Option<&'b [u8]> {
        let Some((offset, size)) = self.file_range() else {
            return Some(&[]);
        };
        if size == 0 && reader != ElfReader::Full036 {
            return Some(&[]);
        }
        bytes.get(range_in(offset, size, bytes.len())?)
    }
}

fn is_relocation(sh_type: u32) -> bool {
    matches!(sh_type, SHT_REL | SHT_RELA | SHT_CREL)
}

/// A file whose header, section table and section names `object` reads as
/// this reader does (see the module documentation).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Elf<'a> {
    /// The section table: `shnum` records of 64 bytes.
    table: &'a [u8],
    /// The section-name table's bytes; its last byte is a NUL.
    names: &'a [u8],
}

impl<'a> Elf<'a> {
    /// [`Elf::parse`] of 43+ (not `full`), and the last section named
    /// `name`, in one pass over the section table.
    #[inline]
    pub(crate) fn parse_finding_last(
        bytes: &'a [u8],
        header: Header<'a>,
        name: &[u8; 16],
    ) -> Option<(Self, Option<Section<'a>>)> {
        let elf = Elf::tables(bytes, header, false)?;
        let names = elf.names;
        // The name and its NUL, as two words and a byte: the NUL is
        // compared first, as most other names end elsewhere.
        let words = [word64(name, 0), word64(name, 8)];
        let mut found = None;
        for section in elf.sections() {
            let at = section.sh_name() as usize;
            if at >= names.len() {
                return None;
            }
            let spelled = names
                .get(at..)
                .and_then(|rest| rest.get(..17))
                .and_then(|s| <&[u8; 17]>::try_from(s).ok());
            if let Some(spelled) = spelled {
                if spelled[16] == 0
                    && word64(spelled, 8) == words[1]
                    && word64(spelled, 0) == words[0]
                {
                    found = Some(section);
                }
            }
        }
        Some((elf, found))
    }

    /// The header and section table as `reader` reads them, and, for the
    /// full parse (`reader.is_full()`, or `full` for `detect`'s parse of
    /// 43+), the rest of what it validates.
    #[inline]
    pub(crate) fn parse(
        bytes: &'a [u8],
        header: Header<'a>,
        reader: ElfReader,
        full: bool,
    ) -> Option<Self> {
        let aligned = reader == ElfReader::Full036;
        let elf = Elf::tables(bytes, header, aligned)?;
        let names_len = elf.names.len();
        if !full {
            if elf.sections().any(|s| s.sh_name() as usize >= names_len) {
                return None;
            }
            return Some(elf);
        }
        // The full parse: program headers, then one pass over the sections
        // for their names, the first symbol table and the relocation
        // sections.
        if !program_headers_parse(bytes, header, aligned) {
            return None;
        }
        let mut symtab = false;
        for section in elf.sections() {
            if section.sh_name() as usize >= names_len {
                return None;
            }
            match section.sh_type() {
                SHT_DYNSYM | SHT_SYMTAB_SHNDX => return None,
                SHT_SYMTAB if !symtab => {
                    if !elf.symbol_table_parses(bytes, section, aligned) {
                        return None;
                    }
                    symtab = true;
                }
                // `object` checks the relocation sections that link the
                // symbol table; every one is checked here.
                t if is_relocation(t) => {
                    let target = section.sh_info() as usize;
                    let fine = target == 0
                        || elf
                            .section(target)
                            .is_some_and(|t| !is_relocation(t.sh_type()));
                    if !fine {
                        return None;
                    }
                }
                _ => {}
            }
        }
        Some(elf)
    }

    /// The section table and the section-name table, which every reading
    /// needs: in the file, of standard entries, the names ending with a
    /// NUL. Names are not checked against the table.
    #[inline]
    fn tables(bytes: &'a [u8], header: Header<'a>, aligned: bool) -> Option<Self> {
        if aligned && !aligned8(bytes, 0) {
            return None;
        }
        let shoff = header.shoff();
        let shnum = usize::from(header.shnum());
        let shstrndx = header.shstrndx();
        if shoff == 0
            || shnum == 0
            || usize::from(header.shentsize()) != SECTION_HEADER_SIZE
            || shstrndx == SHN_XINDEX
            || shstrndx == 0
            || usize::from(shstrndx) >= shnum
            || (aligned && !aligned8(bytes, shoff))
        {
            return None;
        }
        let table = bytes.get(range_in(
            shoff,
            (shnum * SECTION_HEADER_SIZE) as u64,
            bytes.len(),
        )?)?;
        let mut elf = Elf { table, names: &[] };
        let strings = elf.section(usize::from(shstrndx))?;
        if strings.sh_type() == SHT_NOBITS {
            return None;
        }
        let names = bytes.get(range_in(
            strings.sh_offset(),
            strings.sh_size(),
            bytes.len(),
        )?)?;
        if names.last() != Some(&0) {
            return None;
        }
        elf.names = names;
        Some(elf)
    }

    /// `SymbolTable::parse` of `section` succeeds.
    fn symbol_table_parses(&self, bytes: &[u8], section: Section<'_>, aligned: bool) -> bool {
        let (offset, size) = (section.sh_offset(), section.sh_size());
        if range_in(offset, size, bytes.len()).is_none()
            || size % SYM_SIZE != 0
            || (aligned && !aligned8(bytes, offset))
        {
            return false;
        }
        let link = section.sh_link() as usize;
        link == 0
            || self.section(link).is_some_and(|s| {
                s.sh_type() == SHT_STRTAB && s.sh_offset().checked_add(s.sh_size()).is_some()
            })
    }

    /// The section at `index`, if there is one.
    pub(crate) fn section(&self, index: usize) -> Option<Section<'a>> {
        let start = index.checked_mul(SECTION_HEADER_SIZE)?;
        Some(Section {
            raw: record(self.table.get(start..)?)?,
        })
    }

    /// Every section in table order, the null section first.
    pub(crate) fn sections(&self) -> impl Iterator<Item = Section<'a>> + 'a {
        self.table
            .chunks_exact(SECTION_HEADER_SIZE)
            .filter_map(|raw| {
                Some(Section {
                    raw: raw.try_into().ok()?,
                })
            })
    }

    /// A section's name: the bytes up to the first NUL from its offset.
    /// Always `Some` for a section of this file.
    pub(crate) fn name(&self, section: Section<'_>) -> Option<&'a [u8]> {
        let tail = self.names.get(section.sh_name() as usize..)?;
        let end = tail.iter().position(|&b| b == 0)?;
        tail.get(..end)
    }

    /// Whether the section's name is `name` (which has no NUL).
    #[inline]
    pub(crate) fn name_is(&self, section: Section<'_>, name: &[u8]) -> bool {
        let start = section.sh_name() as usize;
        match self
            .names
            .get(start..)
            .and_then(|tail| tail.get(..name.len() + 1))
            .and_then(|spelled| spelled.split_last())
        {
            Some((0, spelled)) => same_bytes(spelled, name),
            _ => false,
        }
    }
}

/// The fast reader against `object`'s parse, on every official artifact of
/// every major and on byte edits of them: `detect`, the engine section and
/// the whole check agree, and the fast reader takes the unedited files.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{check, check_decoded};
    use crate::detect::{detect, detect_object};
    use crate::framing::{find_engine_section, find_engine_section_object, find_fast};
    use crate::host::Host;
    use crate::{Kind, Release};
    use std::path::Path;

    type Official = (Release, Host, Vec<(Kind, Vec<u8>)>);

    /// Each major's official default module and component, and its host.
    fn officials() -> Vec<Official> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
        let mut out = Vec::new();
        for major in 24..=50 {
            let dir = root.join(format!("v{major}/official/artifacts"));
            let Ok(module) = std::fs::read(dir.join("default.cwasm")) else {
                continue;
            };
            let mut files = vec![(Kind::Module, module.clone())];
            if let Ok(component) = std::fs::read(dir.join("component-default.cwasm")) {
                files.push((Kind::Component, component));
            }
            let host = Host::from_witness(&module, None).unwrap();
            out.push((host.release, host, files));
        }
        assert!(out.len() >= 20, "official artifacts of most majors");
        out
    }

    /// The positions an edit touches: the header, every section header's
    /// fields, the name table and the symbol table's header fields.
    fn positions(bytes: &[u8]) -> Vec<usize> {
        let mut at: Vec<usize> = (0..64).collect();
        let header = Header::parse(bytes).unwrap();
        let shoff = header.shoff() as usize;
        for i in 0..usize::from(header.shnum()) {
            let base = shoff + 64 * i;
            for field in [0, 1, 3, 4, 5, 24, 25, 31, 32, 33, 39, 40, 44, 48, 49] {
                at.push(base + field);
            }
        }
        let elf = Elf::parse(bytes, header, ElfReader::HeaderOnly, false).unwrap();
        let names = elf.section(usize::from(header.shstrndx())).unwrap();
        let start = names.sh_offset() as usize;
        at.extend(start..start + names.sh_size() as usize);
        at.retain(|&p| p < bytes.len());
        at
    }

    fn agree(bytes: &[u8], release: Release, host: &Host, what: &str) {
        assert_eq!(
            detect(bytes, release),
            detect_object(bytes, release),
            "detect, {release}, {what}"
        );
        let rules = release.layout().elf;
        for kind in [Kind::Module, Kind::Component] {
            assert_eq!(
                find_engine_section(bytes, kind, release),
                find_engine_section_object(bytes, kind, rules),
                "engine section, {release}, {kind}, {what}"
            );
            if host.release == release {
                assert_eq!(
                    check(bytes, kind, host),
                    check_decoded(bytes, kind, host),
                    "check, {release}, {kind}, {what}"
                );
            }
        }
    }

    #[test]
    fn fast_reader_takes_official_artifacts() {
        for (release, _, files) in officials() {
            for (kind, bytes) in files {
                // Placed 8-aligned, as `object` 0.36 wants its tables.
                let mut buffer = vec![0u8; bytes.len() + 8];
                let shift = (8 - buffer.as_ptr() as usize % 8) % 8;
                buffer[shift..shift + bytes.len()].copy_from_slice(&bytes);
                let aligned = &buffer[shift..shift + bytes.len()];
                let rules = release.layout().elf;
                assert!(
                    matches!(find_fast(aligned, kind, rules), Some(Ok(_))),
                    "{release} {kind}"
                );
                assert!(detect(aligned, release).is_some());
            }
        }
    }

    #[test]
    fn fast_reader_agrees_with_object_on_edits() {
        // One release of each way of reading the container.
        let mut releases: Vec<Release> = Vec::new();
        for release in Release::layout_changes() {
            if releases
                .last()
                .is_none_or(|last| last.layout().elf != release.layout().elf)
            {
                releases.push(release);
            }
        }
        assert_eq!(releases.len(), 5);
        let hosts = officials();
        for (own, host, files) in &hosts {
            for (_, bytes) in files {
                let mut edited = bytes.clone();
                let check_all = |b: &[u8], what: &str| {
                    for &release in &releases {
                        agree(b, release, host, what);
                    }
                    agree(b, *own, host, what);
                };
                check_all(bytes, "unedited");
                for at in positions(bytes) {
                    let old = bytes[at];
                    for value in [0, 1, 0xff, old ^ 1, old ^ 0x80] {
                        edited[at] = value;
                        check_all(&edited, &format!("byte {at} = {value:#x}"));
                    }
                    edited[at] = old;
                }
                for cut in [0, 1, 63, 64, 65, bytes.len() / 2, bytes.len() - 1] {
                    check_all(&bytes[..cut], &format!("cut at {cut}"));
                }
                // Every alignment of the file in memory.
                let mut shifted = vec![0u8; bytes.len() + 8];
                for shift in 0..8 {
                    shifted[shift..shift + bytes.len()].copy_from_slice(bytes);
                    check_all(
                        &shifted[shift..shift + bytes.len()],
                        &format!("shift {shift}"),
                    );
                }
            }
        }
    }

    /// The committed `check` fuzz corpus: whatever it holds, the fast check
    /// and the plain reading agree on every official host.
    #[test]
    fn fast_reader_agrees_on_the_fuzz_corpus() {
        let hosts = officials();
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/check");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let input = std::fs::read(entry.unwrap().path()).unwrap();
            let Some((_, bytes)) = input.split_first() else {
                continue;
            };
            for (release, host, _) in &hosts {
                agree(bytes, *release, host, "fuzz corpus");
            }
            seen += 1;
        }
        assert!(seen > 100);
    }
}
