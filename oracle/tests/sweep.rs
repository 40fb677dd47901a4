//! A reduced sweep: every byte of the ELF header, of the engine section's
//! header and of the engine section, three values each, plus every 16th
//! truncation, on the default artifact of each release. Real Wasmtime and
//! the reference must agree on every input, verdict and chain.

use cwasm_oracle::sweep::{sweep_case, Depth};
use cwasm_spec::Release;
use std::path::Path;

fn sweep(release: Release) {
    let corpus = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance"));
    let suite = cwasm_oracle::suite(corpus, release).unwrap();
    let case = suite
        .cases
        .iter()
        .find(|c| c.id.ends_with(".Accept.Default"))
        .unwrap();
    let stats = sweep_case(&suite, case, Depth::Reduced, 10, &mut |_| {}).unwrap();
    assert!(stats.tried > 2000, "{} inputs", stats.tried);
    assert!(
        stats.disagreements.is_empty(),
        "{} of {} disagree, e.g. {:#?}",
        stats.disagreed(),
        stats.tried,
        stats.disagreements
    );
}

#[test]
fn reduced_sweep_v48() {
    sweep(Release::V48);
}

#[test]
fn reduced_sweep_v36() {
    sweep(Release::V36);
}
