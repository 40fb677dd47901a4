//! Heap use of a check, measured with a counting global allocator: the
//! accept path allocates nothing, and no input, whatever its length prefixes
//! claim, makes a check hold more than 64 KiB.
//!
//! Everything runs in one test, so no other test thread allocates meanwhile.

use cwasm_spec::host::{Cpu, Host};
use cwasm_spec::{check, Kind, Release};
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static COUNT: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        COUNT.fetch_add(1, Relaxed);
        let live = LIVE.fetch_add(layout.size(), Relaxed) + layout.size();
        PEAK.fetch_max(live, Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// (allocations, peak bytes above the starting point) during `f`.
fn measure(f: impl FnOnce()) -> (usize, usize) {
    let start = LIVE.load(Relaxed);
    PEAK.store(start, Relaxed);
    let count = COUNT.load(Relaxed);
    f();
    (COUNT.load(Relaxed) - count, PEAK.load(Relaxed) - start)
}

fn golden(release: Release, rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("conformance/v{}/{rel}", release.major())),
    )
    .unwrap()
}

/// The default artifact with its engine section's Metadata replaced by
/// `body`, appended at the end of the file.
fn with_body(artifact: &[u8], body: &[u8]) -> Vec<u8> {
    // Find the engine section header: its data starts with 0x00 and a
    // length byte, and it is the section whose name is `.wasmtime.engine`.
    use object039::read::elf::{FileHeader, SectionHeader};
    let header = object039::elf::FileHeader64::<object039::Endianness>::parse(artifact).unwrap();
    let endian = header.endian().unwrap();
    let sections = header.sections(endian, artifact).unwrap();
    let shoff = header.e_shoff.get(endian) as usize;
    let (index, section) = sections
        .iter()
        .enumerate()
        .find(|(_, s)| sections.section_name(endian, s).unwrap() == b".wasmtime.engine")
        .unwrap();
    let data = section.data(endian, artifact).unwrap();
    let mut section_bytes = data[..2 + data[1] as usize].to_vec();
    section_bytes.extend_from_slice(body);
    let mut out = artifact.to_vec();
    let at = out.len() as u64;
    out.extend_from_slice(&section_bytes);
    let h = shoff + index * 64;
    out[h + 24..h + 32].copy_from_slice(&at.to_le_bytes());
    out[h + 32..h + 40].copy_from_slice(&(section_bytes.len() as u64).to_le_bytes());
    out
}

#[test]
fn heap_use_of_checks() {
    for release in [Release::V36, Release::V48] {
        let artifact = golden(release, "artifacts/default.cwasm");
        let mut host =
            Host::from_witness(&golden(release, "hosts/default.cwasm"), Some(release)).unwrap();
        host.set_cpu(Cpu::Exactly(vec![]));

        // The accept path makes no heap allocation at all.
        let (count, _) = measure(|| assert!(check(&artifact, Kind::Module, &host).is_ok()));
        assert_eq!(count, 0, "{release}: accept path allocated {count} times");

        // Hostile length prefixes: 2^32 and 2^64-1 for the target string and
        // the flag count; a section claiming 2^40 bytes; an offset past the end.
        let huge_varints: [&[u8]; 4] = [
            &[0x80, 0x80, 0x80, 0x80, 0x10],
            &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
            &[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
            &[0xff, 0xff, 0xff, 0xff, 0x0f],
        ];
        let mut inputs: Vec<Vec<u8>> = Vec::new();
        for prefix in huge_varints {
            inputs.push(with_body(&artifact, prefix));
            let mut flags = vec![0u8];
            flags.extend_from_slice(prefix);
            inputs.push(with_body(&artifact, &flags));
        }
        for (field, value) in [
            (32usize, 1u64 << 40),
            (24, 1 << 40),
            (24, u64::MAX),
            (32, u64::MAX),
        ] {
            let mut b = with_body(&artifact, &[0]);
            // The engine section header is patched in place.
            let shoff = u64::from_le_bytes(b[40..48].try_into().unwrap()) as usize;
            let engine_index = (0..u16::from_le_bytes(b[60..62].try_into().unwrap()) as usize)
                .find(|i| {
                    let h = shoff + i * 64;
                    u64::from_le_bytes(b[h + 24..h + 32].try_into().unwrap()) as usize
                        == artifact.len()
                })
                .unwrap();
            let h = shoff + engine_index * 64 + field;
            b[h..h + 8].copy_from_slice(&value.to_le_bytes());
            inputs.push(b);
        }
        for input in &inputs {
            let (_, peak) = measure(|| {
                let verdict = check(input, Kind::Module, &host);
                assert!(verdict.is_err());
            });
            assert!(peak <= 64 * 1024, "{release}: a check held {peak} bytes");
        }
    }
}
