//! Reviewed snapshots: `inspect --format json` of every artifact Wasmtime
//! compiled for the corpus, and every distinct message in the corpus. A
//! change of layout or wording shows up here as a diff to review with
//! `cargo insta review`.

use cwasm_spec::corpus::Suite;
use cwasm_spec::inspect::inspect;
use cwasm_spec::Release;
use std::collections::BTreeSet;
use std::path::Path;

fn corpus() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

/// Artifacts as Wasmtime wrote them, not byte edits of them.
fn compiled(name: &str) -> bool {
    ![
        "malformed-",
        "synthetic-",
        "version-",
        "trailing-",
        "target-",
        "each-tunable-",
    ]
    .iter()
    .any(|p| name.starts_with(p))
}

#[test]
fn inspect_json_of_every_compiled_artifact() {
    for release in [Release::V36, Release::V48] {
        let dir = corpus().join(format!("v{}", release.major()));
        for sub in ["artifacts", "hosts"] {
            let mut names: Vec<String> = std::fs::read_dir(dir.join(sub))
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| compiled(n))
                .collect();
            names.sort();
            for name in names {
                let bytes = std::fs::read(dir.join(sub).join(&name)).unwrap();
                let mut value = inspect(&bytes, Some(release)).unwrap();
                // The per-operator cost table is one line per operator; its
                // bytes are covered by the Metadata round-trip test.
                if let Some(table) = value["tunables"]["operator_cost"].get_mut("Table") {
                    let ops = table.as_object().map_or(0, |t| t.len());
                    *table = serde_json::json!(format!("{ops} entries"));
                }
                let stem = name.trim_end_matches(".cwasm");
                let snapshot = format!("v{}-{sub}-{stem}", release.major());
                insta::assert_snapshot!(snapshot, serde_json::to_string_pretty(&value).unwrap());
            }
        }
    }
}

#[test]
fn every_distinct_message() {
    for suite in Suite::load_all(&corpus(), None).unwrap() {
        let messages: BTreeSet<&str> = suite
            .cases
            .iter()
            .flat_map(|c| c.expect.chain.iter().map(String::as_str))
            .collect();
        let text: Vec<String> = messages.iter().map(|m| format!("{m:?}")).collect();
        insta::assert_snapshot!(format!("v{}-messages", suite.major), text.join("\n"));
    }
}

/// `inspect` of each major's default artifact from the official build: the
/// layout that decodes it, and the release its version string names.
#[test]
fn inspect_json_of_every_major_default() {
    for suite in Suite::load_all(&corpus(), None).unwrap() {
        let path = suite.dir.join("official/artifacts/default.cwasm");
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let mut value = inspect(&bytes, None).unwrap();
        if let Some(table) = value["tunables"]["operator_cost"].get_mut("Table") {
            let ops = table.as_object().map_or(0, |t| t.len());
            *table = serde_json::json!(format!("{ops} entries"));
        }
        let snapshot = format!("v{}-official-default", suite.major);
        insta::assert_snapshot!(snapshot, serde_json::to_string_pretty(&value).unwrap());
    }
}
