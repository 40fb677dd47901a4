//! Certification of real implementations: the Wasmtime adapter passes every
//! case at the recommended level, and deliberately broken testees fail on
//! exactly the cases they should.

use cwasm_spec::corpus::Suite;
use cwasm_spec::runner::{self, ExternalTestee, Level, Outcome, Report};
use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance"))
}

fn certify(args: &str, level: Level) -> Report {
    let command = format!("{} {args}", env!("CARGO_BIN_EXE_testee"));
    let mut testee = ExternalTestee::new(&command, Duration::from_secs(30));
    runner::run(
        corpus(),
        &mut testee,
        &runner::Options::new(level),
        &mut |_, _| {},
    )
    .unwrap()
}

fn failed(report: &Report) -> BTreeSet<String> {
    report
        .cases
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .map(|(id, _)| id.clone())
        .collect()
}

/// The cases of the majors the broken references declare, 36 and 48.
fn cases() -> Vec<cwasm_spec::corpus::Case> {
    ["36", "48"]
        .into_iter()
        .flat_map(|major| Suite::load_all(corpus(), Some(major)).unwrap())
        .flat_map(|s| s.cases)
        .collect()
}

#[test]
fn wasmtime_adapter_passes_every_case_at_the_recommended_level() {
    let report = certify("--backend wasmtime", Level::Recommended);
    assert!(report.ok(), "{}", report.summary());
    // In scope: the cases of the two releases the adapter builds.
    assert_eq!(report.passed(), report.in_scope());
    assert!(report.in_scope() >= 3000, "{}", report.in_scope());
}

#[test]
fn a_testee_that_ignores_tunables_fails_exactly_the_tunable_rejections() {
    let report = certify(
        "--backend reference --break ignore-tunables",
        Level::Required,
    );
    assert!(!report.ok());
    let expected: BTreeSet<String> = cases()
        .into_iter()
        .filter(|c| !c.expect.compatible && c.rules[0].starts_with("compat.tunables."))
        .map(|c| c.id)
        .collect();
    assert!(expected.len() > 50);
    assert_eq!(failed(&report), expected);
}

#[test]
fn a_testee_that_compares_the_full_version_under_48_fails_there() {
    let report = certify("--backend reference --break full-version", Level::Required);
    assert!(!report.ok());
    let failed = failed(&report);
    // Every 48 case that Wasmtime accepts under the default strategy.
    for case in cases() {
        let default_48 =
            case.host.release().unwrap().major() == 48 && case.host.module_version == "default";
        if default_48 && case.expect.compatible {
            assert!(failed.contains(&case.id), "{} should fail", case.id);
        }
        if !default_48 {
            assert!(!failed.contains(&case.id), "{} should pass", case.id);
        }
    }
}
