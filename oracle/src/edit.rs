//! Byte-level edits of compiled artifacts, for malformed and synthetic cases.

use object::elf::{FileHeader64, SectionHeader64};
use object::read::elf::{FileHeader, SectionHeader};
use object::Endianness;

/// Where the engine section and its header sit in a well-formed artifact.
#[derive(Clone, Copy, Debug)]
pub struct EngineLocation {
    /// File offset of the section's data.
    pub data_offset: usize,
    pub data_size: usize,
    /// File offset of the section's header entry.
    pub header_offset: usize,
    /// File offset of the section's name in shstrtab.
    pub name_offset: usize,
    /// The section's index in the section table.
    pub index: usize,
    /// `e_shoff`, `e_shnum` and `e_shstrndx`.
    pub shoff: usize,
    pub shnum: usize,
    pub shstrndx: usize,
}

/// Size of one `Elf64_Shdr`.
pub const SHDR_SIZE: usize = 64;

pub fn locate(bytes: &[u8]) -> EngineLocation {
    let header = FileHeader64::<Endianness>::parse(bytes).expect("ELF header");
    let endian = header.endian().expect("endianness");
    let sections = header.sections(endian, bytes).expect("sections");
    let shoff = header.e_shoff.get(endian) as usize;
    for (index, section) in sections.iter().enumerate() {
        let name = sections.section_name(endian, section).expect("name");
        if name == b".wasmtime.engine" {
            let (offset, size) = section.file_range(endian).expect("file range");
            let strtab = sections
                .section(object::SectionIndex(header.e_shstrndx.get(endian).into()))
                .expect("shstrtab");
            let (str_offset, _) = strtab.file_range(endian).expect("shstrtab range");
            return EngineLocation {
                data_offset: offset as usize,
                data_size: size as usize,
                header_offset: shoff + index * core::mem::size_of::<SectionHeader64<Endianness>>(),
                name_offset: str_offset as usize + section.sh_name(endian) as usize,
                index,
                shoff,
                shnum: sections.len(),
                shstrndx: header.e_shstrndx.get(endian).into(),
            };
        }
    }
    panic!("no engine section");
}

/// The engine section's bytes.
pub fn engine_section(bytes: &[u8]) -> &[u8] {
    let loc = locate(bytes);
    &bytes[loc.data_offset..loc.data_offset + loc.data_size]
}

/// Replaces the engine section's contents: the new data is appended to the
/// file and the section header is pointed at it.
pub fn replace_engine_section(bytes: &[u8], data: &[u8]) -> Vec<u8> {
    let loc = locate(bytes);
    let mut out = bytes.to_vec();
    let offset = out.len() as u64;
    out.extend_from_slice(data);
    // sh_offset at +24, sh_size at +32 in an Elf64_Shdr (little-endian).
    out[loc.header_offset + 24..loc.header_offset + 32].copy_from_slice(&offset.to_le_bytes());
    out[loc.header_offset + 32..loc.header_offset + 40]
        .copy_from_slice(&(data.len() as u64).to_le_bytes());
    out
}

/// Sets one byte.
pub fn set_byte(bytes: &[u8], offset: usize, value: u8) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[offset] = value;
    out
}

/// The first `len` bytes.
pub fn truncate(bytes: &[u8], len: usize) -> Vec<u8> {
    bytes[..len.min(bytes.len())].to_vec()
}

/// Writes a little-endian integer of `N` bytes at `offset`.
pub fn set_le<const N: usize>(bytes: &[u8], offset: usize, value: u64) -> Vec<u8> {
    let mut out = bytes.to_vec();
    out[offset..offset + N].copy_from_slice(&value.to_le_bytes()[..N]);
    out
}

/// Reads a little-endian `u64` at `offset`.
pub fn get_u64(bytes: &[u8], offset: usize) -> u64 {
    u64::from_le_bytes(bytes[offset..offset + 8].try_into().unwrap())
}

/// Reads a little-endian `u32` at `offset`.
pub fn get_u32(bytes: &[u8], offset: usize) -> u32 {
    u32::from_le_bytes(bytes[offset..offset + 4].try_into().unwrap())
}

/// File offsets of the header entry and of the name of the first section
/// called `name`.
pub fn section_by_name(bytes: &[u8], name: &str) -> (usize, usize) {
    let header = FileHeader64::<Endianness>::parse(bytes).expect("ELF header");
    let endian = header.endian().expect("endianness");
    let sections = header.sections(endian, bytes).expect("sections");
    let shstrtab = sections
        .section(object::SectionIndex(header.e_shstrndx.get(endian).into()))
        .expect("shstrtab");
    let (str_offset, _) = shstrtab.file_range(endian).expect("shstrtab range");
    let shoff = header.e_shoff.get(endian) as usize;
    for (index, section) in sections.iter().enumerate() {
        if sections.section_name(endian, section).expect("name") == name.as_bytes() {
            return (
                shoff + index * SHDR_SIZE,
                str_offset as usize + section.sh_name(endian) as usize,
            );
        }
    }
    panic!("no section {name}");
}
