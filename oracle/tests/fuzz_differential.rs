//! Replays the committed corpus of the `differential` fuzz target through
//! the same code, on stable Rust.

use cwasm_oracle::sweep::Differential;
use std::path::Path;

#[test]
fn differential_corpus() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    let target = Differential::new(&root.join("conformance")).unwrap();
    let dir = root.join("fuzz/corpus/differential");
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        target.run(&data).unwrap();
        count += 1;
    }
    assert!(count > 0);
}
