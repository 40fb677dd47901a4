//! The bodies of the fuzz targets in `fuzz/`, kept here so that `cargo test`
//! replays every committed fuzz corpus file through the same code on stable
//! Rust. Each function panics only when the reference breaks a promise.

use crate::host::{Cpu, Host, ModuleVersion};
use crate::metadata::Metadata;
use crate::{check, framing, inspect::inspect, Kind, Release};

/// Hosts the `check` target uses: each release's default engine, with an
/// empty, a full and an undetectable CPU.
pub fn hosts(witnesses: &[(Release, &[u8])]) -> Vec<Host> {
    let mut hosts = Vec::new();
    for (release, witness) in witnesses {
        let Ok(host) = Host::from_witness(witness, Some(*release)) else {
            continue;
        };
        for cpu in [Cpu::Exactly(vec![]), Cpu::Undetectable, Cpu::Native] {
            for module_version in [ModuleVersion::Default, ModuleVersion::None] {
                let mut h = host.clone();
                h.cpu = cpu.clone();
                h.module_version = module_version;
                hosts.push(h);
            }
        }
    }
    hosts
}

/// `check`: any bytes, as a module and as a component, on every host. A
/// verdict or a rejection, never a panic; a rejection always has a message.
pub fn check_bytes(bytes: &[u8], hosts: &[Host]) {
    for host in hosts {
        for kind in [Kind::Module, Kind::Component] {
            if let Err(r) = check(bytes, kind, host) {
                assert!(!r.chain().is_empty() && !r.rule().is_empty());
            }
        }
    }
}

/// `decode`: any bytes as an engine section and as a Metadata body of each
/// release, and `inspect` on the bytes as an artifact.
pub fn decode_bytes(bytes: &[u8]) {
    let _ = framing::split_engine_section(bytes);
    for release in Release::layout_changes() {
        let _ = Metadata::decode(bytes, release);
        let _ = inspect(bytes, Some(release));
    }
}

/// `roundtrip`: whatever decodes re-encodes to the bytes it was read from
/// (up to the trailing bytes), and decodes again to the same value.
pub fn roundtrip_bytes(bytes: &[u8]) {
    for release in Release::layout_changes() {
        let Ok(meta) = Metadata::decode(bytes, release) else {
            continue;
        };
        let encoded = meta.encode();
        // Postcard varints have one canonical form; a non-canonical one
        // decodes but re-encodes shorter, so only compare canonical input.
        if bytes.starts_with(&encoded) {
            let again = Metadata::decode(&encoded, release).expect("re-encoded Metadata decodes");
            assert_eq!(again, meta);
        } else {
            let again = Metadata::decode(&encoded, release).expect("re-encoded Metadata decodes");
            assert_eq!(again.encode(), encoded);
        }
    }
}
