//! The compatibility key (r[fleet.key]) against every corpus case, whose
//! verdicts real Wasmtime recorded:
//! - artifacts with the same key get the same verdict from the
//!   compatibility check on every host of the corpus;
//! - a host whose key equals an artifact's accepts it when its CPU has the
//!   features the artifact's ISA flags ask for.
//!
//! The key covers the record and the ELF header's markers, not the
//! container: cases that Wasmtime rejects by a container rule (`elf.*`,
//! `section.*`, `load.*`, `info.*`: a damaged section table or section,
//! whose bytes the key does not cover) are left out. Every other case's
//! verdict is decided by what the key covers.

use cwasm_spec::corpus::{parse_kind, Case, Suite};
use cwasm_spec::fleet::key::{artifact_key, host_key};
use cwasm_spec::fleet::level::cpu_needs;
use cwasm_spec::inspect::read_record;
use std::collections::HashMap;
use std::path::Path;

/// A verdict: accepted, or the chain.
type Verdict = Result<(), Vec<String>>;

/// Wasmtime's verdict, or `None` for a container rule's rejection.
fn record_verdict(case: &Case) -> Option<Verdict> {
    if case.expect.compatible {
        return Some(Ok(()));
    }
    let rule = case.rules.first()?;
    let container = ["elf.", "section.", "load.", "info."]
        .iter()
        .any(|family| rule.starts_with(family));
    (!container).then(|| Err(case.expect.chain.clone()))
}

#[test]
fn same_key_same_verdict_and_own_key_accepted() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let (mut pairs, mut own_keys) = (0, 0);
    for suite in Suite::load_all(&corpus, None).unwrap() {
        // (host, key) -> the first case seen and its verdict.
        let mut seen: HashMap<(String, String), (String, Verdict)> = HashMap::new();
        for case in &suite.cases {
            let bytes = suite.artifact(case).unwrap();
            let Ok(key) = artifact_key(&bytes, Some(case.host.release().unwrap())) else {
                continue;
            };
            let Some(verdict) = record_verdict(case) else {
                continue;
            };
            let host_id = format!("{:?}", case.host);
            match seen.get(&(host_id.clone(), key.clone())) {
                Some((first, expected)) => {
                    assert_eq!(
                        &verdict, expected,
                        "{} and {first} share key {key}",
                        case.id
                    );
                    pairs += 1;
                }
                None => {
                    seen.insert((host_id, key.clone()), (case.id.clone(), verdict.clone()));
                }
            }
            let host = suite.host(case).unwrap();
            let kind = parse_kind(&case.kind).unwrap();
            if host_key(&host, kind) == key {
                let record = read_record(&bytes, Some(host.release)).unwrap();
                let needs = cpu_needs(&record.meta);
                if needs
                    .features
                    .iter()
                    .all(|f| host.cpu().detect(f) == Some(true))
                {
                    assert_eq!(verdict, Ok(()), "{}: the host's own key", case.id);
                    own_keys += 1;
                }
            }
        }
    }
    assert!(pairs > 8_000, "{pairs}");
    assert!(own_keys > 9_000, "{own_keys}");
}

/// Today's keys of the default artifacts, pinned: a change of key is a
/// deliberate, visible event.
#[test]
fn default_artifact_keys_are_pinned() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let mut lines = Vec::new();
    let mut paths = vec![
        "v36/artifacts/default.cwasm".to_string(),
        "v48/artifacts/default.cwasm".to_string(),
    ];
    paths.extend(
        (24..=50)
            .filter(|m| *m != 26)
            .map(|m| format!("v{m}/official/artifacts/default.cwasm")),
    );
    paths.push("v48/artifacts/component-default.cwasm".to_string());
    for path in paths {
        let bytes = std::fs::read(corpus.join(&path)).unwrap();
        lines.push(format!("{path} {}", artifact_key(&bytes, None).unwrap()));
    }
    for name in ["wasmtime-36.0.20", "wasmtime-48.0.8", "wasmtime-48/c-api"] {
        let profile = cwasm_spec::fleet::profile::Profile::parse_name(name)
            .unwrap()
            .unwrap();
        let host = profile.host().unwrap();
        lines.push(format!(
            "{name} {}",
            host_key(&host, cwasm_spec::Kind::Module)
        ));
    }
    insta::assert_snapshot!("keys", lines.join("\n"));
}
