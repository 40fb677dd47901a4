//! The reference's `.wasmtime.info` decoder (`cwasm_spec::info`, driven by
//! the schemas in `spec/info/`) against postcard decoding the release's own
//! types, on byte edits and truncations of the section of artifacts the
//! real 36.0.20 and 48.0.8 compile: the same verdict and the same error.

use cwasm_spec::{info, Kind, Release};
use object::{Object, ObjectSection};
use std::alloc::{GlobalAlloc, Layout, System};

/// The real types reserve what a length prefix claims, in places without
/// a fallible path (wasmparser's `IndexMap`, in components), and Wasmtime
/// aborts when that fails. Here a large request is mapped without
/// reserving memory, so that decoding goes on, as on a host whose
/// allocation succeeds; the section's bytes then run out.
struct LazyBig;

const BIG: usize = 1 << 28;

fn map_big(size: usize) -> *mut u8 {
    // SAFETY: an anonymous private mapping; no existing memory is touched.
    let p = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            size,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        std::ptr::null_mut()
    } else {
        p.cast()
    }
}

// SAFETY: small requests go to `System`; large ones to page-aligned
// anonymous mappings (zeroed), released with `munmap`.
unsafe impl GlobalAlloc for LazyBig {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= BIG && layout.align() <= 4096 {
            map_big(layout.size())
        } else {
            System.alloc(layout)
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= BIG && layout.align() <= 4096 {
            map_big(layout.size())
        } else {
            System.alloc_zeroed(layout)
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() >= BIG && layout.align() <= 4096 {
            libc::munmap(ptr.cast(), layout.size());
        } else {
            System.dealloc(ptr, layout)
        }
    }
}

#[global_allocator]
static ALLOC: LazyBig = LazyBig;

/// The `.wasmtime.info` body of an artifact.
fn info_section(artifact: &[u8]) -> Vec<u8> {
    let file = object::File::parse(artifact).unwrap();
    let section = file.section_by_name(info::INFO_SECTION).unwrap();
    section.data().unwrap().to_vec()
}

/// What postcard says of `body` as the release's information.
type Real = fn(&[u8], Kind) -> Result<(), String>;

fn real36(body: &[u8], kind: Kind) -> Result<(), String> {
    use wasmtime_environ36 as e;
    match kind {
        Kind::Module => {
            postcard::from_bytes::<(e::CompiledModuleInfo, e::ModuleTypes)>(body).map(drop)
        }
        Kind::Component => postcard::from_bytes::<e::component::ComponentArtifacts>(body).map(drop),
    }
    .map_err(|e| e.to_string())
}

fn real48(body: &[u8], kind: Kind) -> Result<(), String> {
    use wasmtime_environ48 as e;
    match kind {
        Kind::Module => postcard::from_bytes::<(
            e::CompiledModuleInfo,
            e::CompiledFunctionsTable,
            e::ModuleTypes,
        )>(body)
        .map(drop),
        Kind::Component => postcard::from_bytes::<e::component::ComponentArtifacts>(body).map(drop),
    }
    .map_err(|e| e.to_string())
}

/// Every edit: each byte set to a few values, and every truncation.
fn edits(body: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![body.to_vec()];
    for i in 0..body.len() {
        for v in [
            0x00,
            0x01,
            0x02,
            0x04,
            0x7f,
            0x80,
            0xff,
            body[i] ^ 1,
            body[i].wrapping_add(1),
        ] {
            if v != body[i] {
                let mut b = body.to_vec();
                b[i] = v;
                out.push(b);
            }
        }
    }
    for n in 0..body.len() {
        out.push(body[..n].to_vec());
    }
    // Pairs of edits from a fixed pseudo-random sequence.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    for _ in 0..2000 {
        let mut b = body.to_vec();
        for _ in 0..2 {
            let i = (next() % body.len() as u64) as usize;
            b[i] = next() as u8;
        }
        out.push(b);
    }
    out
}

fn compare(release: &str, real: Real, compile: fn(&str, bool) -> Result<Vec<u8>, String>) {
    let release = Release::parse(release).unwrap();
    let mut checked = 0;
    let mut mismatches = vec![];
    for kind in [Kind::Module, Kind::Component] {
        let artifact = compile("", kind == Kind::Component).unwrap();
        let body = info_section(&artifact);
        assert_eq!(real(&body, kind), Ok(()));
        for edited in edits(&body) {
            let expected = real(&edited, kind);
            let found = info::check(&edited, kind, release).map_err(|r| r.chain().join(": "));
            if expected != found {
                mismatches.push(format!(
                    "{kind:?} {edited:02x?}: postcard {expected:?}, reference {found:?}"
                ));
            }
            checked += 1;
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {checked} differ, e.g.:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(5)].join("\n")
    );
}

#[test]
fn info_36() {
    compare("36.0.20", real36, cwasm_oracle::v36::compile);
}

#[test]
fn info_48() {
    compare("48.0.8", real48, cwasm_oracle::v48::compile);
}
