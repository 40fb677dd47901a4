//! The compatibility key (r[fleet.key]): a digest of exactly what the
//! compatibility check compares, so that artifacts can be cached and
//! matched to hosts by a string.
//!
//! Version 1, byte by byte (spec/fleet.md): SHA-256 over
//! - the 31 ASCII bytes `cwasm-spec compatibility key v1`, then `0x00`;
//! - the kind: `0x01` module, `0x02` component;
//! - the ELF header's byte order (`EI_DATA`), OS/ABI and ABI version bytes,
//!   and its `e_flags` as a little-endian `u32`;
//! - the version string's length as a little-endian `u32`, then its bytes;
//! - the Metadata's length as a little-endian `u32`, then the Metadata
//!   encoded as postcard encodes it (the record's decoded values written
//!   back: trailing bytes and non-minimal varints do not count).
//!
//! The key is `cwasm1-` and the digest's 64 lower-case hex digits.

use crate::format::{
    EF_WASMTIME_COMPONENT, EF_WASMTIME_MODULE, EF_WASMTIME_PULLEY32, EF_WASMTIME_PULLEY64,
    ELFOSABI_WASMTIME,
};
use crate::framing::find_engine_section;
use crate::history::Release;
use crate::host::{Host, ModuleVersion};
use crate::metadata::Metadata;
use crate::Kind;
use sha2::{Digest, Sha256};

/// What the digest starts with.
pub const KEY_DOMAIN: &[u8] = b"cwasm-spec compatibility key v1\0";
/// What every key starts with.
pub const KEY_PREFIX: &str = "cwasm1-";

/// The ELF header's fields the check reads: byte order (`EI_DATA`: 1
/// little, 2 big), OS/ABI, ABI version, `e_flags`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElfMarks {
    pub data: u8,
    pub os_abi: u8,
    pub abi_version: u8,
    pub e_flags: u32,
}

impl ElfMarks {
    /// Read from an ELF64 header (at least 64 bytes).
    fn read(bytes: &[u8]) -> Option<ElfMarks> {
        let flags: [u8; 4] = bytes.get(48..52)?.try_into().ok()?;
        let data = *bytes.get(5)?;
        Some(ElfMarks {
            data,
            os_abi: *bytes.get(7)?,
            abi_version: *bytes.get(8)?,
            e_flags: if data == 2 {
                u32::from_be_bytes(flags)
            } else {
                u32::from_le_bytes(flags)
            },
        })
    }

    /// What a host's engine writes for `kind` on its target.
    fn of_host(host: &Host, kind: Kind) -> ElfMarks {
        use target_lexicon::Architecture;
        let kind_bit = match kind {
            Kind::Module => EF_WASMTIME_MODULE,
            Kind::Component => EF_WASMTIME_COMPONENT,
        };
        let pulley = match host.target.architecture {
            Architecture::Pulley32 | Architecture::Pulley32be => EF_WASMTIME_PULLEY32,
            Architecture::Pulley64 | Architecture::Pulley64be => EF_WASMTIME_PULLEY64,
            _ => 0,
        };
        ElfMarks {
            data: if host.process.big_endian { 2 } else { 1 },
            os_abi: ELFOSABI_WASMTIME,
            abi_version: 0,
            e_flags: kind_bit | pulley,
        }
    }
}

/// The key of a record: `kind`, the ELF marks, the version string and the
/// Metadata.
pub fn record_key(kind: Kind, marks: ElfMarks, version: &str, encoded_metadata: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(KEY_DOMAIN);
    h.update([match kind {
        Kind::Module => 1u8,
        Kind::Component => 2u8,
    }]);
    h.update([marks.data, marks.os_abi, marks.abi_version]);
    h.update(marks.e_flags.to_le_bytes());
    for part in [version.as_bytes(), encoded_metadata] {
        // Both are far below 4 GiB: a version string is at most 255 bytes,
        // and a Metadata is decoded from a section that fits in memory.
        h.update((part.len() as u32).to_le_bytes());
        h.update(part);
    }
    let digest = h.finalize();
    let mut key = String::with_capacity(KEY_PREFIX.len() + 64);
    key.push_str(KEY_PREFIX);
    for byte in digest {
        key.push_str(&format!("{byte:02x}"));
    }
    key
}

/// An artifact's key. Its Metadata is read with the layout its version
/// string names, or `fallback`'s. Only a container that every release's
/// ELF reader reads, finding the same engine section, has a key: of the
/// others, some releases reject what others read.
pub fn artifact_key(artifact: &[u8], fallback: Option<Release>) -> Result<String, String> {
    let record = crate::inspect::read_record(artifact, fallback).map_err(|e| e.to_string())?;
    for reader_of in ["24", "36"] {
        let release = Release::parse(reader_of).ok_or("no release")?;
        let same = find_engine_section(artifact, record.kind, release)
            .is_ok_and(|data| data == record.section);
        if !same {
            return Err(format!(
                "Wasmtime {} reads this container differently: it has no key",
                release.major()
            ));
        }
    }
    let marks = ElfMarks::read(artifact).ok_or("no ELF header")?;
    Ok(metadata_key(
        record.kind,
        marks,
        record.version,
        &record.meta,
    ))
}

/// The key of a decoded record.
pub fn metadata_key(kind: Kind, marks: ElfMarks, version: &str, meta: &Metadata<'_>) -> String {
    record_key(kind, marks, version, &meta.encode())
}

/// A host's key for artifacts of `kind`: the key of the record the host's
/// engine writes (its version string, as its module-version strategy makes
/// it, and its Metadata). An artifact with this key is accepted by the
/// compatibility check when the host's CPU has the features its ISA flags
/// ask for.
pub fn host_key(host: &Host, kind: Kind) -> String {
    let version = match &host.module_version {
        ModuleVersion::Default => host.release.version_string(),
        ModuleVersion::Custom(text) => text.as_str(),
        ModuleVersion::None => "",
    };
    record_key(kind, ElfMarks::of_host(host, kind), version, host.body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_domain_is_as_specified() {
        assert_eq!(KEY_DOMAIN.len(), 32);
        // An empty record's key, computed by hand from the definition:
        // sha256(domain || 01 || 01 c8 00 || 01000000 || 00000000 || 00000000).
        let mut input = KEY_DOMAIN.to_vec();
        input.extend([1, 1, 200, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let expected: String = Sha256::digest(&input)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let marks = ElfMarks {
            data: 1,
            os_abi: 200,
            abi_version: 0,
            e_flags: 1,
        };
        assert_eq!(
            record_key(Kind::Module, marks, "", &[]),
            format!("cwasm1-{expected}")
        );
    }
}
