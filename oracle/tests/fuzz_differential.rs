//! Replays the committed corpus of the `differential` fuzz target through
//! the same code, on stable Rust, and shows with real Wasmtime 48.0.8 why
//! the target leaves out what it leaves out.

use cwasm_oracle::sweep::{exports_claim, Differential, HUGE_CLAIM};
use cwasm_oracle::{edit, expect_of, v48, Detector};
use cwasm_spec::{check, Kind, Release};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).to_path_buf()
}

fn target() -> Differential {
    Differential::new(&root().join("conformance")).unwrap()
}

#[test]
fn differential_corpus() {
    let target = target();
    let dir = root().join("fuzz/corpus/differential");
    let mut count = 0;
    let mut failed = vec![];
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        // A panic in Wasmtime leaves its engine unusable: it ends the test,
        // naming the input.
        let _name = Naming(&path);
        if let Err(disagreement) = target.run(&data) {
            failed.push(format!("{}: {disagreement}", path.display()));
        }
        count += 1;
    }
    assert!(count > 0);
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

struct Naming<'a>(&'a Path);

impl Drop for Naming<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("while replaying {}", self.0.display());
        }
    }
}

/// Edits reach every byte of every seed but the contents of `.text`.
#[test]
fn every_byte_but_text() {
    let target = target();
    assert!(target.seeds() > 1);
    for pick in 0..target.seeds() as u8 {
        let (bytes, total) = target.seed(pick);
        let (header, _) = edit::section_by_name(bytes, ".text");
        let text = edit::get_u64(bytes, header + 32) as usize;
        assert_eq!(total, bytes.len() - text, "seed {pick}");
    }
}

/// The default seed, Wasmtime's host engine for it, and the reference's host.
fn default_seed() -> (Vec<u8>, v48::HostEngine, cwasm_spec::host::Host) {
    let suite = cwasm_oracle::suite(&root().join("conformance"), Release::V48).unwrap();
    let case = suite
        .cases
        .iter()
        .find(|c| c.id.ends_with(".Accept.Default"))
        .unwrap();
    let detector = match &case.host.cpu_features {
        cwasm_spec::corpus::CpuSpec::Exactly(list) => Detector::Exactly(list.clone()),
        cwasm_spec::corpus::CpuSpec::Mode(_) => Detector::Undetectable,
    };
    (
        suite.artifact(case).unwrap(),
        v48::HostEngine::new("", detector).unwrap(),
        suite.host(case).unwrap(),
    )
}

/// The offset of section `name`'s header.
fn header(bytes: &[u8], name: &str) -> usize {
    edit::section_by_name(bytes, name).0
}

/// The input `edits` (file offsets and bytes) makes of the default seed.
fn input(target: &Differential, bytes: &[u8], edits: &[(usize, u8)]) -> Vec<u8> {
    let pick = (0..target.seeds() as u8)
        .find(|&p| target.seed(p).0 == bytes)
        .unwrap();
    target.input(pick, edits)
}

fn le64(offset: usize, value: u64) -> Vec<(usize, u8)> {
    (0..8)
        .map(|i| (offset + i, value.to_le_bytes()[i]))
        .collect()
}

/// Exclusion 3: a `.text` with alignment 0 that starts off a page passes the
/// walk; the reference then rejects the empty `.wasmtime.info`, and Wasmtime
/// panics in `publish()`, before it decodes.
#[test]
fn text_off_a_page_panics_before_the_information() {
    let (seed, engine, host) = default_seed();
    let text = header(&seed, ".text");
    let info = header(&seed, ".wasmtime.info");
    let mut edits = le64(text + 24, edit::get_u64(&seed, text + 24) + 0x10);
    edits.extend(le64(text + 48, 0));
    edits.extend(le64(info + 32, 0));
    let mut bytes = seed.clone();
    for &(at, value) in &edits {
        bytes[at] = value;
    }
    let rejection = check(&bytes, Kind::Module, &host).unwrap_err();
    assert_eq!(rejection.rule(), "info.decode");
    assert_eq!(
        rejection.chain(),
        ["Hit the end of buffer, expected more data"]
    );
    let panic =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| engine.load(&bytes, false)))
            .unwrap_err();
    let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
    assert_eq!(message, "changing of protections isn't page-aligned");
    // The target does not hand it to Wasmtime.
    let target = target();
    target.run(&input(&target, &seed, &edits)).unwrap();
}

/// Exclusion 4: an `exports` map that claims 2^62 entries, and no bytes
/// after the count. The reference runs out of bytes; Wasmtime cannot reserve
/// the claim.
#[test]
fn a_huge_exports_claim_fails_to_reserve() {
    let (seed, engine, host) = default_seed();
    let info = header(&seed, ".wasmtime.info");
    let start = edit::get_u64(&seed, info + 24) as usize;
    let size = edit::get_u64(&seed, info + 32) as usize;
    let (count, left) = exports_claim(&seed[start..start + size]).unwrap();
    assert_eq!(count, 1);
    // The one-byte count, replaced by nine bytes claiming 2^62; the section
    // ends after them.
    let at = start + size - left - 1;
    let mut edits: Vec<(usize, u8)> = [0x80; 8]
        .into_iter()
        .chain([0x40])
        .enumerate()
        .map(|(i, b)| (at + i, b))
        .collect();
    edits.extend(le64(info + 32, (at + 9 - start) as u64));
    let mut bytes = seed.clone();
    for &(at, value) in &edits {
        bytes[at] = value;
    }
    let (claim, left) = exports_claim(&bytes[start..at + 9]).unwrap();
    assert_eq!((claim, left), (1 << 62, 0));
    assert!(claim >= HUGE_CLAIM);
    let rejection = check(&bytes, Kind::Module, &host).unwrap_err();
    assert_eq!(rejection.rule(), "info.decode");
    assert_eq!(
        rejection.chain(),
        ["Hit the end of buffer, expected more data"]
    );
    assert_eq!(
        expect_of(engine.load(&bytes, false)).chain,
        ["Serde Deserialization Error"]
    );
    let target = target();
    target.run(&input(&target, &seed, &edits)).unwrap();
}
