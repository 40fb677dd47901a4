//! `explain` (r[fleet.explain]) on every corpus case, whose verdicts real
//! Wasmtime recorded: nothing to explain when Wasmtime accepts, and
//! otherwise the first mismatch is exactly Wasmtime's error chain; every
//! mismatch is one the check itself reports on its own.

use cwasm_spec::corpus::{parse_kind, Suite};
use cwasm_spec::fleet::explain::explain;
use std::path::Path;

#[test]
fn the_first_mismatch_is_wasmtimes_chain() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let (mut cases, mut several) = (0, 0);
    for suite in Suite::load_all(&corpus, None).unwrap() {
        for case in &suite.cases {
            let bytes = suite.artifact(case).unwrap();
            let host = suite.host(case).unwrap();
            let mismatches = explain(&bytes, parse_kind(&case.kind).unwrap(), &host);
            if case.expect.compatible {
                assert!(mismatches.is_empty(), "{}", case.id);
            } else {
                let first = mismatches.first().unwrap_or_else(|| panic!("{}", case.id));
                assert_eq!(first.chain, case.expect.chain, "{}", case.id);
                for m in &mismatches {
                    assert!(!m.chain.is_empty() && !m.fixes.is_empty(), "{}", case.id);
                }
                several += usize::from(mismatches.len() > 1);
            }
            cases += 1;
        }
    }
    assert!(cases > 30_000 && several > 1_000, "{cases} {several}");
}
