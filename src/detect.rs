//! `Engine::detect_precompiled`: is this a Wasmtime module, a component, or
//! neither?

use crate::format::*;
use crate::release::{ElfRules, Release};
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
    let (os_abi, abi_version, e_flags) = match release.layout().elf {
        ElfRules::FullParseFirstSection => {
            use object36::read::elf::FileHeader;
            let (header, endian, _) = crate::framing::parse_v36(bytes).ok()?;
            let ident = header.e_ident();
            (ident.os_abi, ident.abi_version, header.e_flags(endian))
        }
        ElfRules::HeaderOnlyLastSection => {
            use object48::read::elf::FileHeader;
            let (header, endian, _) = crate::framing::parse_full_v48(bytes).ok()?;
            let ident = header.e_ident();
            (ident.os_abi, ident.abi_version, header.e_flags(endian))
        }
    };
    if os_abi != ELFOSABI_WASMTIME || abi_version != 0 {
        return None;
    }
    let kind = if e_flags & EF_WASMTIME_MODULE != 0 {
        Kind::Module
    } else if e_flags & EF_WASMTIME_COMPONENT != 0 {
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
