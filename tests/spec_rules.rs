//! Every rule ID the code reports is written down in `spec/`, every rule in
//! `spec/` is implemented somewhere, and the golden corpus rejects on every
//! rule except the ones listed in `NO_REJECTING_CASE_YET`.

use cwasm_spec::Release;
use std::collections::BTreeSet;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The spec's rule IDs; `the_compiled_in_spec_is_spec_cwasm_md` checks that
/// the compiled-in text is the file on disk.
fn spec_rules() -> BTreeSet<String> {
    cwasm_spec::spec::rule_ids()
        .into_iter()
        .map(str::to_string)
        .collect()
}

fn is_rule_id(s: &str) -> bool {
    let prefixes = [
        "elf.",
        "section.",
        "version.",
        "metadata.",
        "compat.",
        "detect.",
        "load.",
        "info.",
    ];
    prefixes
        .iter()
        .any(|p| s.len() > p.len() && s.starts_with(p))
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
}

/// Rule IDs written as string literals in `src/`, plus those in the layouts.
fn code_rules() -> BTreeSet<String> {
    let mut rules = BTreeSet::new();
    let mut dirs = vec![Path::new(ROOT).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                if is_rule_id(literal) {
                    rules.insert(literal.to_string());
                }
            }
            // Rules with no message of their own are named in doc comments
            // as r[id].
            for part in text.split("r[").skip(1) {
                if let Some(id) = part.split(']').next() {
                    if is_rule_id(id) {
                        rules.insert(id.to_string());
                    }
                }
            }
        }
    }
    for release in Release::all() {
        for check in &release.layout().tunable_checks {
            rules.insert(check.rule.to_string());
        }
    }
    rules
}

#[test]
fn every_reported_rule_is_specified() {
    let spec = spec_rules();
    let missing: Vec<_> = code_rules()
        .into_iter()
        .filter(|r| !spec.contains(r))
        .collect();
    assert!(
        missing.is_empty(),
        "rules in code but not in spec/: {missing:?}"
    );
}

#[test]
fn every_specified_rule_is_implemented() {
    let code = code_rules();
    let missing: Vec<_> = spec_rules()
        .into_iter()
        .filter(|r| !code.contains(r))
        .collect();
    assert!(
        missing.is_empty(),
        "rules in spec/ that no code names: {missing:?}"
    );
}

#[test]
fn every_rule_has_accepting_and_rejecting_cases_but_the_listed_ones() {
    let corpus = Path::new(ROOT).join("conformance");
    let coverage = cwasm_spec::spec::coverage(&corpus, None).unwrap();
    let incomplete: BTreeSet<&str> = coverage
        .iter()
        .filter(|(_, (accepting, rejecting))| accepting.is_empty() || rejecting.is_empty())
        .map(|(rule, _)| *rule)
        .collect();
    let listed: BTreeSet<&str> = cwasm_spec::spec::KNOWN_INCOMPLETE
        .iter()
        .map(|(r, _)| *r)
        .collect();
    assert_eq!(
        incomplete, listed,
        "rules lacking a case differ from the listed ones"
    );
}

#[test]
fn the_compiled_in_spec_is_spec_cwasm_md() {
    let on_disk = std::fs::read_to_string(Path::new(ROOT).join("spec/cwasm.md")).unwrap();
    assert_eq!(cwasm_spec::spec::SPEC, on_disk);
    assert_eq!(
        cwasm_spec::spec::rule_ids().len(),
        spec_rules().len(),
        "a rule ID is labelled twice"
    );
}
