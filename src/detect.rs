//! `Engine::detect_precompiled`: is this a Wasmtime module, a component, or
//! neither?

use crate::format::*;
use crate::framing::kind_matches;
use crate::history::{ElfReader, ElfRules, Release};
use std::fmt;

/// What an artifact is compiled as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Module,
    Component,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Module => "module",
            Kind::Component => "component",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which Pulley bytecode an artifact carries, from its `e_flags`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Pulley {
    Pulley32,
    Pulley64,
}

/// What `detect` found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Precompiled {
    pub kind: Kind,
    pub pulley: Option<Pulley>,
}

/// r[detect.kind]: `object`'s full ELF parse must succeed, OS/ABI must be
/// 200 and the ABI version 0; the module bit wins over the component bit.
pub fn detect(bytes: &[u8], release: Release) -> Option<Precompiled> {
    // Every reader's header parse wants the ELF magic within 64 bytes; what
    // lacks it is refused before anything else is looked at.
    if bytes.len() < 64 || !bytes.starts_with(b"\x7fELF") {
        return None;
    }
    let rules = release.layout().elf;
    // The fast reader proves most files parse; what it cannot prove,
    // `object`'s parse decides.
    let fast = crate::elf_fast::Header::parse(bytes).and_then(|header| {
        crate::elf_fast::Elf::parse(bytes, header, rules.reader, true)?;
        Some((header.os_abi(), header.abi_version(), header.e_flags()))
    });
    let (os_abi, abi_version, e_flags) = match fast {
        Some(fields) => fields,
        None => header_fields_object(bytes, rules)?,
    };
    if os_abi != ELFOSABI_WASMTIME || abi_version != 0 {
        return None;
    }
    classify(e_flags, rules)
}

/// `detect` through `object`'s parse alone.
#[cfg(test)]
pub(crate) fn detect_object(bytes: &[u8], release: Release) -> Option<Precompiled> {
    if bytes.len() < 64 || !bytes.starts_with(b"\x7fELF") {
        return None;
    }
    let rules = release.layout().elf;
    let (os_abi, abi_version, e_flags) = header_fields_object(bytes, rules)?;
    if os_abi != ELFOSABI_WASMTIME || abi_version != 0 {
        return None;
    }
    classify(e_flags, rules)
}

/// OS/ABI, ABI version and `e_flags` when `object`'s full parse succeeds.
#[cold]
fn header_fields_object(bytes: &[u8], rules: ElfRules) -> Option<(u8, u8, u32)> {
    Some(match rules.reader {
        ElfReader::Full036 => {
            use object036::read::elf::FileHeader;
            let (header, endian, _) = crate::framing::full036::parse(bytes, rules).ok()?;
            let ident = header.e_ident();
            (ident.os_abi, ident.abi_version, header.e_flags(endian))
        }
        ElfReader::Full037 => {
            use object037::read::elf::FileHeader;
            let (header, endian, _) = crate::framing::full037::parse(bytes, rules).ok()?;
            let ident = header.e_ident();
            (ident.os_abi, ident.abi_version, header.e_flags(endian))
        }
        ElfReader::HeaderOnly => {
            use object039::read::elf::FileHeader;
            let (header, endian, _) = crate::framing::full039::parse(bytes, rules).ok()?;
            let ident = header.e_ident();
            (ident.os_abi, ident.abi_version, header.e_flags(endian))
        }
    })
}

/// The kind and Pulley flavour `e_flags` marks.
fn classify(e_flags: u32, rules: ElfRules) -> Option<Precompiled> {
    let kind = if kind_matches(e_flags, Kind::Module, rules) {
        Kind::Module
    } else if kind_matches(e_flags, Kind::Component, rules) {
        Kind::Component
    } else {
        return None;
    };
    let pulley = if e_flags & EF_WASMTIME_PULLEY32 != 0 {
        Some(Pulley::Pulley32)
    } else if e_flags & EF_WASMTIME_PULLEY64 != 0 {
        Some(Pulley::Pulley64)
    } else {
        None
    };
    Some(Precompiled { kind, pulley })
}
