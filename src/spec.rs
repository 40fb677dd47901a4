//! The rule IDs of `spec/cwasm.md`, which is compiled in, and the corpus's
//! coverage of them.

use crate::corpus::Suite;
use std::collections::BTreeMap;
use std::path::Path;

/// The normative text.
pub const SPEC: &str = include_str!("../spec/cwasm.md");

/// Every `r[id]` label of the spec, in order.
pub fn rule_ids() -> Vec<&'static str> {
    SPEC.lines()
        .filter_map(|l| l.strip_prefix("r[").and_then(|l| l.strip_suffix(']')))
        .collect()
}

/// Rules the corpus cannot both accept and reject on, and why.
pub const KNOWN_INCOMPLETE: &[(&str, &str)] = &[
    (
        "compat.isa-flags.endianness",
        "no accepting case: that needs a big-endian host process",
    ),
    (
        "compat.shared-flags.stack-switching-platform",
        "no rejecting case: that needs a host engine for an OS other than Windows, Linux or macOS, which fails its own native-host check first",
    ),
    ("detect.kind", "detection has no verdict; tests/cli.rs covers it"),
    (
        "compat.tunables.asan-stack-switching",
        "no rejecting case: the host's value is whether Wasmtime itself was built with AddressSanitizer, and no build here is",
    ),
    (
        "compat.tunables.dynamic-memory-offset-guard-size",
        "no rejecting case: the official 24 and 25 builds leave this field unchanged under every setting their C API offers",
    ),
    (
        "elf.endianness",
        "unreachable with object 0.39: the header parse already refuses such an EI_DATA",
    ),
    (
        "elf.sections",
        "unreachable: it re-reads what the section-header and strings rules accepted",
    ),
];

/// For each rule: the cases that accept while exercising it, and those that
/// reject on it.
pub type Coverage = BTreeMap<&'static str, (Vec<String>, Vec<String>)>;

pub fn coverage(corpus: &Path, only: Option<&str>) -> Result<Coverage, String> {
    let mut map: Coverage = rule_ids()
        .into_iter()
        .map(|r| (r, (vec![], vec![])))
        .collect();
    for suite in Suite::load_all(corpus, only)? {
        for case in &suite.cases {
            // An accepting case exercises every rule it names (one that
            // names none, every tunable rule its release checks); a
            // rejecting case rejects on the first.
            let every_tunable_rule: Vec<String>;
            let named = if case.expect.compatible && case.rules.is_empty() {
                let release = case.host.release()?;
                every_tunable_rule = release
                    .layout()
                    .tunable_checks
                    .iter()
                    .map(|c| c.rule.to_string())
                    .collect();
                &every_tunable_rule[..]
            } else if case.expect.compatible {
                &case.rules[..]
            } else {
                &case.rules[..case.rules.len().min(1)]
            };
            for rule in named {
                if let Some((accepting, rejecting)) = map.get_mut(rule.as_str()) {
                    if case.expect.compatible {
                        accepting.push(case.id.clone());
                    } else {
                        rejecting.push(case.id.clone());
                    }
                }
            }
        }
    }
    Ok(map)
}
