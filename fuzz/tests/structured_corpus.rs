//! Replays the committed `structured` corpus on stable Rust, as the target
//! reads it (`arbitrary_take_rest`, as `fuzz_target!` does). The main
//! crate's `tests/fuzz_corpus.rs` replays the other corpora; it cannot read
//! these files without `arbitrary`.

use arbitrary::{Arbitrary, Unstructured};
use cwasm_spec_fuzz::{structured, Input};
use std::collections::BTreeMap;
use std::path::Path;

#[test]
fn structured_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/structured");
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut files = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        files += 1;
        let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(&bytes)) else {
            continue;
        };
        let rule = match structured(&input) {
            None => "(skipped)".to_string(),
            Some(Ok(())) => "(accepted)".to_string(),
            Some(Err(r)) => r.rule().to_string(),
        };
        *rules.entry(rule).or_default() += 1;
    }
    assert!(files > 0, "no structured corpus");
    for (rule, count) in &rules {
        eprintln!("{count:6} {rule}");
    }
}
