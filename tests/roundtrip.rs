//! Decoding an artifact's Metadata and encoding it again gives back the
//! bytes Wasmtime wrote, for every compiled golden artifact and witness.

use cwasm_spec::framing::{find_engine_section, split_engine_section};
use cwasm_spec::metadata::Metadata;
use cwasm_spec::{detect, Release};
use std::path::Path;

#[test]
fn golden_metadata_reencodes_byte_for_byte() {
    let mut checked = 0;
    for release in [Release::V36, Release::V48] {
        let dir =
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("conformance/v{}", release.major()));
        for sub in ["artifacts", "hosts"] {
            for entry in std::fs::read_dir(dir.join(sub)).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                // Only what Wasmtime compiled; edited inputs are malformed on purpose.
                if [
                    "malformed-",
                    "synthetic-",
                    "version-",
                    "trailing-",
                    "target-",
                ]
                .iter()
                .any(|p| name.starts_with(p))
                {
                    continue;
                }
                let bytes = std::fs::read(&path).unwrap();
                let kind = detect(&bytes, release).unwrap().kind;
                let data = find_engine_section(&bytes, kind, release).unwrap();
                let section = split_engine_section(data).unwrap();
                let meta = Metadata::decode(section.body, release).unwrap();
                assert_eq!(meta.encode(), section.body, "{}", path.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} artifacts");
}
