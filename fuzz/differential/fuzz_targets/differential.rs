#![no_main]
//! Edits of golden 48 artifacts, checked by real Wasmtime 48.0.8 and by the
//! reference in the same process; any difference in verdict or chain fails.

use cwasm_oracle::sweep::Differential;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static TARGET: OnceLock<Differential> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let target = TARGET.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        Differential::new(&root.join("conformance")).expect("corpus")
    });
    if let Err(disagreement) = target.run(data) {
        panic!("{disagreement}");
    }
});
