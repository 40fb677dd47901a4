//! Named CPUs (r[cpu.models]): the x86-64 psABI levels and a few models,
//! each the list of detector names it answers yes to. The lists are the
//! cited data of `spec/cpus.json`; `spec/cpus.md` gives the sources.

use serde::Deserialize;
use std::sync::OnceLock;

/// One named CPU.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
pub struct NamedCpu {
    /// `x86-64-v3`, `sapphirerapids`, `neoverse-n1`, …
    pub name: String,
    /// `x86_64` or `aarch64`.
    pub arch: String,
    pub what: String,
    /// The detector names (`--cpu-features` vocabulary) it answers yes to.
    pub features: Vec<String>,
    /// Where the list comes from.
    pub source: String,
}

/// A detector name: what `--cpu-features` takes.
#[derive(Clone, Debug, Deserialize)]
pub struct DetectorName {
    /// `avx2`, `lse`, …
    pub name: String,
    pub arch: String,
    /// The Cranelift ISA flag that asks for it (`has_avx2`).
    pub flag: String,
    /// The first major whose detector is asked about it.
    pub since: u32,
}

#[derive(Default, Deserialize)]
struct File {
    cpus: Vec<NamedCpu>,
    names: Vec<DetectorName>,
}

fn data() -> &'static File {
    static DATA: OnceLock<File> = OnceLock::new();
    DATA.get_or_init(|| {
        serde_json::from_str(include_str!("../../spec/cpus.json")).unwrap_or_default()
    })
}

/// Every named CPU, in `spec/cpus.json`'s order.
pub fn named_cpus() -> &'static [NamedCpu] {
    &data().cpus
}

/// Every detector name, with its architecture and first major.
pub fn detector_names() -> &'static [DetectorName] {
    &data().names
}

/// The architecture name spec/cpus.json uses for `target`'s, if it has
/// named CPUs.
pub fn arch_of(target: &target_lexicon::Triple) -> Option<&'static str> {
    match target.architecture {
        target_lexicon::Architecture::X86_64 => Some("x86_64"),
        target_lexicon::Architecture::Aarch64(_) => Some("aarch64"),
        _ => None,
    }
}

/// The named CPU called `name`.
pub fn named_cpu(name: &str) -> Option<&'static NamedCpu> {
    named_cpus().iter().find(|c| c.name == name)
}

/// The x86-64 psABI levels, lowest first: each one's list includes the
/// lists of the levels below it.
pub fn x86_64_levels() -> impl Iterator<Item = &'static NamedCpu> {
    named_cpus()
        .iter()
        .filter(|c| c.name.starts_with("x86-64-v"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_reads_and_levels_nest() {
        assert!(named_cpus().len() >= 13);
        let levels: Vec<_> = x86_64_levels().collect();
        let names: Vec<&str> = levels.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["x86-64-v1", "x86-64-v2", "x86-64-v3", "x86-64-v4"]);
        for pair in levels.windows(2) {
            assert!(pair[0]
                .features
                .iter()
                .all(|f| pair[1].features.contains(f)));
            assert!(pair[1].features.len() > pair[0].features.len());
        }
        for cpu in named_cpus() {
            assert!(
                ["x86_64", "aarch64"].contains(&cpu.arch.as_str()),
                "{}",
                cpu.name
            );
            assert!(!cpu.source.is_empty(), "{}", cpu.name);
            for feature in &cpu.features {
                let known = detector_names().iter().find(|n| &n.name == feature);
                assert_eq!(
                    known.map(|n| n.arch.as_str()),
                    Some(cpu.arch.as_str()),
                    "{feature}"
                );
            }
        }
    }
}
