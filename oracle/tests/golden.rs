//! Replays the golden corpus through real Wasmtime (which must still say what
//! it said when the corpus was recorded) and through the reference (which
//! must say the same, word for word, and name the case's rule).

use cwasm_oracle::{expect_of, v36, v48, Detector};
use cwasm_spec::corpus::{parse_kind, CpuSpec};
use cwasm_spec::{Kind, Release};
use std::path::Path;

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance"))
}

fn replay(release: Release, minimum: usize) {
    let suite = cwasm_oracle::suite(corpus(), release).unwrap();
    assert!(
        suite.cases.len() >= minimum,
        "{} cases for {release}",
        suite.cases.len()
    );
    let mut failures = Vec::new();
    for case in &suite.cases {
        let bytes = suite.artifact(case).unwrap();
        let component = parse_kind(&case.kind).unwrap() == Kind::Component;
        let detector = match &case.host.cpu_features {
            CpuSpec::Exactly(list) => Detector::Exactly(list.clone()),
            CpuSpec::Mode(m) if m == "undetectable" => Detector::Undetectable,
            CpuSpec::Mode(m) => panic!("{}: cpu mode {m} is not reproducible", case.id),
        };
        let load = match release {
            Release::V36 => v36::load,
            _ => v48::load,
        };
        let wasmtime = expect_of(load(&case.host.config, detector, &bytes, component).unwrap());
        if wasmtime != case.expect {
            failures.push(format!(
                "{}: Wasmtime now says {wasmtime:?}, recorded {:?}",
                case.id, case.expect
            ));
        }
        let (reference, rule) = suite.run_reference(case).unwrap();
        if reference != case.expect {
            failures.push(format!(
                "{}: reference says {reference:?}, Wasmtime {:?}",
                case.id, case.expect
            ));
        }
        if let Some(rule) = rule {
            if !case.rules.iter().any(|r| r == rule) {
                failures.push(format!(
                    "{}: rejected by {rule}, case names {:?}",
                    case.id, case.rules
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn golden_v48() {
    replay(Release::V48, 60);
}

#[test]
fn golden_v36() {
    replay(Release::V36, 40);
}

/// `detect` agrees with `Engine::detect_precompiled` on every corpus input,
/// and every case recorded what `detect_precompiled` says today.
#[test]
fn detect_matches_wasmtime() {
    use cwasm_spec::{detect, Kind as K};
    let mut checked = 0;
    for release in cwasm_oracle::RELEASES {
        let suite = cwasm_oracle::suite(corpus(), release).unwrap();
        for case in &suite.cases {
            let bytes = suite.artifact(case).unwrap();
            let ours = detect(&bytes, release).map(|p| p.kind);
            let theirs = match release {
                Release::V36 => wasmtime36::Engine::detect_precompiled(&bytes).map(|p| match p {
                    wasmtime36::Precompiled::Module => K::Module,
                    wasmtime36::Precompiled::Component => K::Component,
                }),
                _ => wasmtime48::Engine::detect_precompiled(&bytes).map(|p| match p {
                    wasmtime48::Precompiled::Module => K::Module,
                    wasmtime48::Precompiled::Component => K::Component,
                }),
            };
            assert_eq!(ours, theirs, "{}", case.id);
            let recorded = match release {
                Release::V36 => v36::detect_precompiled(&bytes),
                _ => v48::detect_precompiled(&bytes),
            };
            assert_eq!(
                case.detect.as_deref(),
                Some(recorded),
                "{}: recorded detect",
                case.id
            );
            checked += 1;
        }
        // The reference's own comparison sees every case too.
        let checks = suite.detect_checks().unwrap();
        assert_eq!(
            checks.len(),
            suite.cases.len(),
            "{release}: cases without detect"
        );
        for (id, verdict) in checks {
            assert_eq!(verdict, Ok(()), "{id}");
        }
    }
    assert!(checked > 0);
}
