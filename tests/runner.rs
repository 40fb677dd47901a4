//! The conformance runner: expected failures, stale entries, levels,
//! timeouts, reports, and the Python example testee.

use cwasm_spec::corpus::Suite;
use cwasm_spec::protocol::{CheckRequest, ReleaseName, Response, Scope};
use cwasm_spec::runner::{
    self, parse_expected_failures, ExternalTestee, Level, Options, Outcome, ReferenceTestee, Testee,
};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance")
}

/// The reference, except that it accepts the cases named in `flip` and
/// garbles the chain of those in `garble`.
struct Sabotaged {
    flip: Vec<&'static str>,
    garble: Vec<&'static str>,
}

impl Testee for Sabotaged {
    fn hello(&mut self) -> Result<(String, Scope), String> {
        Ok((
            "sabotaged".into(),
            Scope::everything(vec![ReleaseName::Major(48)]),
        ))
    }
    fn check(&mut self, request: &CheckRequest) -> Response {
        let id = request.id.clone();
        if self.flip.contains(&request.id.as_str()) {
            return Response::Accept { id };
        }
        match ReferenceTestee.check(request) {
            Response::Reject { id, .. } if self.garble.contains(&request.id.as_str()) => {
                Response::Reject {
                    id,
                    chain: vec!["something else".into()],
                }
            }
            other => other,
        }
    }
}

const EPOCH: &str = "Required.V48.Compat.Tunables.EpochInterruption.HostOnly";
const FUEL: &str = "Required.V48.Compat.Tunables.ConsumeFuel.HostOnly";

fn options(only: Option<&str>, level: Level, expected: &str) -> Options {
    Options {
        only: only.map(str::to_string),
        level,
        expected: parse_expected_failures(expected),
        max_time: None,
    }
}

fn run(testee: &mut dyn Testee, level: Level, expected: &str) -> runner::Report {
    runner::run(
        &corpus(),
        testee,
        &options(Some("48"), level, expected),
        &mut |_, _| {},
    )
    .unwrap()
}

#[test]
fn reference_passes_everything_at_the_recommended_level() {
    let report = runner::run(
        &corpus(),
        &mut ReferenceTestee,
        &options(None, Level::Recommended, ""),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(report.ok(), "{}", report.summary());
    assert_eq!(report.passed(), report.cases.len());
    assert!(report.cases.len() >= 600);
}

#[test]
fn reference_detect_agrees_with_every_recorded_detect_precompiled() {
    let detect = runner::detect_cases(&corpus(), None).unwrap();
    let failed: Vec<_> = detect
        .iter()
        .filter(|(_, o)| !matches!(o, Outcome::Passed))
        .collect();
    assert!(failed.is_empty(), "{failed:?}");
}

#[test]
fn a_wrong_verdict_fails_unless_listed() {
    let mut testee = Sabotaged {
        flip: vec![EPOCH],
        garble: vec![],
    };
    let report = run(&mut testee, Level::Required, "");
    assert_eq!(report.failed(), 1);
    assert!(!report.ok());
    assert!(report
        .summary()
        .ends_with("1 failed, 0 expected failures, 0 out of scope"));

    let report = run(&mut testee, Level::Required, &format!("# known\n{EPOCH}\n"));
    assert!(report.ok(), "{}", report.summary());
    assert_eq!(report.expected_failures(), 1);

    let report = run(
        &mut testee,
        Level::Required,
        &format!("{EPOCH} accepted; Wasmtime rejects"),
    );
    assert!(report.ok());
    let report = run(&mut testee, Level::Required, &format!("{EPOCH} chain"));
    assert!(
        !report.ok(),
        "a listed failure with another message is unexpected"
    );
}

#[test]
fn listed_cases_that_pass_and_stale_entries_fail_the_run() {
    let mut testee = Sabotaged {
        flip: vec![],
        garble: vec![],
    };
    let report = run(
        &mut testee,
        Level::Required,
        &format!("{FUEL}\nRequired.V48.No.Such.Case\n"),
    );
    assert_eq!(report.failed(), 2);
    assert_eq!(report.stale, vec!["Required.V48.No.Such.Case".to_string()]);
    let fuel = report.cases.iter().find(|(id, _)| id == FUEL).unwrap();
    assert!(matches!(&fuel.1, Outcome::Failed(m) if m.contains("passes")));
}

#[test]
fn the_chain_counts_only_at_the_recommended_level() {
    let mut testee = Sabotaged {
        flip: vec![],
        garble: vec![EPOCH],
    };
    assert!(run(&mut testee, Level::Required, "").ok());
    let report = run(&mut testee, Level::Recommended, "");
    assert_eq!(report.failed(), 1);
}

#[test]
fn reports_and_updated_expected_failures() {
    let mut testee = Sabotaged {
        flip: vec![EPOCH, FUEL],
        garble: vec![],
    };
    let report = run(&mut testee, Level::Required, "");
    let xml = runner::junit(&report);
    assert!(xml.starts_with("<?xml") && xml.contains("failures=\"2\""));
    assert_eq!(xml.matches("<failure ").count(), 2);
    let json = runner::json(&report);
    assert_eq!(json["failed"], 2);
    let file = runner::expected_failures_file(&report);
    let report = run(&mut testee, Level::Required, &file);
    assert!(
        report.ok(),
        "the written file makes the run pass: {}",
        report.summary()
    );
    assert_eq!(report.expected_failures(), 2);
}

/// A corpus of two 48 cases, for tests that restart testees.
fn small_corpus() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("small-corpus");
    let v48 = dir.join("v48");
    std::fs::create_dir_all(v48.join("artifacts")).unwrap();
    std::fs::create_dir_all(v48.join("hosts")).unwrap();
    let all: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(corpus().join("v48/cases.json")).unwrap())
            .unwrap();
    let cases: Vec<_> = all
        .into_iter()
        .filter(|c| c["id"] == EPOCH || c["id"] == FUEL)
        .collect();
    for case in &cases {
        for key in [&case["artifact"], &case["host"]["witness"]] {
            let rel = key.as_str().unwrap();
            std::fs::copy(corpus().join("v48").join(rel), v48.join(rel)).unwrap();
        }
    }
    std::fs::write(
        v48.join("cases.json"),
        serde_json::to_string(&cases).unwrap(),
    )
    .unwrap();
    dir
}

const HANGS: &str = r#"read line; echo '{"type":"hello","protocol":2,"name":"hangs","releases":[48],"kinds":["module"]}'; sleep 30"#;

#[test]
fn a_testee_that_hangs_times_out_and_is_restarted() {
    // Answers the handshake, then never answers a case.
    let mut testee = ExternalTestee::new(HANGS, Duration::from_millis(300));
    let report = runner::run(
        &small_corpus(),
        &mut testee,
        &options(Some("48"), Level::Required, ""),
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(report.failed(), 2);
    assert!(report.aborted.is_none());
    for (_, outcome) in &report.cases {
        assert!(
            matches!(outcome, Outcome::Failed(m) if m.contains("no response within")),
            "{outcome:?}"
        );
    }
}

#[test]
fn python_example_passes_the_required_level_on_header_and_framing() {
    let script = corpus().join("examples/testee.py");
    let mut testee = ExternalTestee::new(
        &format!("python3 {}", script.display()),
        Duration::from_secs(20),
    );
    let report = runner::run(
        &corpus(),
        &mut testee,
        &options(None, Level::Required, ""),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(report.ok(), "{}", report.summary());
    // It declares the header, framing, version and loading rules, and
    // answers every case they decide.
    assert_eq!(report.passed(), report.in_scope());
    assert!(report.in_scope() >= 600, "{}", report.in_scope());
}

#[test]
fn a_testee_that_never_answers_stops_the_run_after_three_timeouts() {
    let mut testee = ExternalTestee::new(HANGS, Duration::from_millis(200));
    let report = runner::run(
        &corpus(),
        &mut testee,
        &options(Some("48"), Level::Required, ""),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(!report.ok());
    assert_eq!(report.count(|o| matches!(o, Outcome::Failed(_))), 3);
    assert!(report
        .aborted
        .as_deref()
        .unwrap()
        .starts_with("testee unresponsive"));
}

/// The reference, but answering `skip` to the cases `skip` selects.
struct Skipping {
    scope: Scope,
    skip: fn(&str) -> bool,
}

impl Testee for Skipping {
    fn hello(&mut self) -> Result<(String, Scope), String> {
        Ok(("skipping".into(), self.scope.clone()))
    }
    fn check(&mut self, request: &CheckRequest) -> Response {
        if (self.skip)(&request.id) {
            return Response::Skip {
                id: request.id.clone(),
                reason: "not implemented".into(),
            };
        }
        ReferenceTestee.check(request)
    }
}

fn everything_48() -> Scope {
    Scope::everything(vec![ReleaseName::Major(48)])
}

#[test]
fn a_testee_that_skips_everything_is_not_certified() {
    let mut testee = Skipping {
        scope: everything_48(),
        skip: |_| true,
    };
    let report = run(&mut testee, Level::Required, "");
    assert!(!report.ok());
    assert_eq!(report.passed(), 0);
    assert_eq!(report.failed(), report.in_scope());
}

#[test]
fn a_testee_that_skips_one_case_in_scope_fails_on_it_unless_listed() {
    let mut testee = Skipping {
        scope: everything_48(),
        skip: |id| id == EPOCH,
    };
    let report = run(&mut testee, Level::Required, "");
    assert!(!report.ok());
    assert_eq!(report.failures.len(), 1);
    assert!(report.failures[0].1.starts_with("skipped in scope"));
    let listed = run(
        &mut testee,
        Level::Required,
        &format!("{EPOCH} skipped in scope"),
    );
    assert!(listed.ok(), "{}", listed.summary());
}

#[test]
fn a_testee_that_declares_nothing_fails_the_run() {
    let script = r#"read line; echo '{"type":"hello","protocol":2,"name":"empty","releases":[]}'"#;
    let mut testee = ExternalTestee::new(script, Duration::from_secs(5));
    let report = runner::run(
        &small_corpus(),
        &mut testee,
        &options(Some("48"), Level::Required, ""),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(!report.ok());
    assert!(report.aborted.unwrap().contains("declares no release"));
    // Releases but no kind is as empty.
    let script =
        r#"read line; echo '{"type":"hello","protocol":2,"name":"empty","releases":[48]}'"#;
    let mut testee = ExternalTestee::new(script, Duration::from_secs(5));
    let report = runner::run(
        &small_corpus(),
        &mut testee,
        &options(Some("48"), Level::Required, ""),
        &mut |_, _| {},
    )
    .unwrap();
    assert!(report.aborted.unwrap().contains("declares no kind"));
}

#[test]
fn a_header_only_scope_certifies_only_the_cases_its_rules_decide() {
    let scope = Scope::declared(
        vec![ReleaseName::Major(48)],
        vec!["module".into()],
        Some(vec!["elf".into(), "section".into()]),
    )
    .unwrap();
    let mut testee = Skipping {
        scope,
        skip: |_| false,
    };
    let report = run(&mut testee, Level::Recommended, "");
    assert!(report.ok(), "{}", report.summary());
    assert!(report.in_scope() > 0 && report.out_of_scope() > report.in_scope());
    let text = report.certificate().join("\n");
    assert!(text.contains("rule families elf section"), "{text}");
}

#[test]
fn the_digest_is_stable_and_covers_cases_and_artifacts() {
    let a = runner::digest(&Suite::load_all(&small_corpus(), None).unwrap()).unwrap();
    let b = runner::digest(&Suite::load_all(&small_corpus(), None).unwrap()).unwrap();
    assert_eq!(a, b);
    let mut suites = Suite::load_all(&small_corpus(), None).unwrap();
    suites[0].cases[0].expect.compatible = !suites[0].cases[0].expect.compatible;
    assert_ne!(runner::digest(&suites).unwrap(), a);
    let mut suites = Suite::load_all(&small_corpus(), None).unwrap();
    suites[0].cases[0].artifact = suites[0].cases[0].host.witness.clone();
    assert_ne!(runner::digest(&suites).unwrap(), a);
}
