//! Replays every committed fuzz corpus file (`fuzz/corpus/<target>/`)
//! through the same functions the fuzz targets call, on stable Rust.

use cwasm_spec::fuzzing::{check_bytes, decode_bytes, hosts, roundtrip_bytes};
use cwasm_spec::Release;
use std::path::Path;

fn files(target: &str) -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no corpus for {target}");
    out
}

#[test]
fn check_corpus() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let w36 = std::fs::read(root.join("conformance/v36/hosts/default.cwasm")).unwrap();
    let w48 = std::fs::read(root.join("conformance/v48/hosts/default.cwasm")).unwrap();
    let hosts = hosts(&[(Release::V36, &w36), (Release::V48, &w48)]);
    for bytes in files("check") {
        check_bytes(&bytes, &hosts);
    }
}

#[test]
fn decode_corpus() {
    for bytes in files("decode") {
        decode_bytes(&bytes);
    }
}

#[test]
fn roundtrip_corpus() {
    for bytes in files("roundtrip") {
        roundtrip_bytes(&bytes);
    }
}
