//! The lowest CPU an artifact can load on (r[fleet.level]): the detector
//! names its enabled ISA flags ask for, and the lowest x86-64 psABI level
//! that has them all.

use super::cpus::{arch_of, named_cpus, x86_64_levels, NamedCpu};
use crate::metadata::{FlagValue, Metadata};

/// What an artifact asks of the host CPU.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CpuNeeds {
    /// `x86_64`, `aarch64`, or the target's architecture when it has no
    /// named CPUs.
    pub arch: String,
    /// The detector names its enabled ISA flags ask about, in flag order.
    pub features: Vec<&'static str>,
    /// x86_64: the lowest psABI level that has every one of them; `None`
    /// when even x86-64-v4 lacks some (see `beyond`), or on other
    /// architectures.
    pub level: Option<&'static NamedCpu>,
    /// The features no psABI level has (x86_64), or every feature (other
    /// architectures).
    pub beyond: Vec<&'static str>,
    /// The named CPUs of the same architecture that have every feature.
    pub cpus: Vec<&'static NamedCpu>,
}

/// The CPU features `meta`'s ISA flags ask for, as its release's detector
/// names them. An enabled flag the release does not test (a free flag) asks
/// for nothing.
pub fn cpu_needs(meta: &Metadata<'_>) -> CpuNeeds {
    let layout = meta.release.layout();
    let mut features = Vec::new();
    for (name, value) in meta.isa_flags.iter() {
        if value != FlagValue::Bool(true) {
            continue;
        }
        if let Some(&(_, detector)) = layout.detected_isa_flags.iter().find(|(f, _)| *f == name) {
            if !features.contains(&detector) {
                features.push(detector);
            }
        }
    }
    let arch = match meta.target.parse::<target_lexicon::Triple>() {
        Ok(triple) => {
            arch_of(&triple).map_or_else(|| triple.architecture.to_string(), str::to_string)
        }
        Err(_) => meta.target.split('-').next().unwrap_or("").to_string(),
    };
    let has_all = |cpu: &NamedCpu| features.iter().all(|f| cpu.features.iter().any(|c| c == f));
    let (level, beyond) = if arch == "x86_64" {
        let level = x86_64_levels().find(|l| has_all(l));
        let top = x86_64_levels().last();
        let beyond = features
            .iter()
            .copied()
            .filter(|f| !top.is_some_and(|t| t.features.iter().any(|c| c == f)))
            .collect();
        (level, beyond)
    } else {
        (None, features.clone())
    };
    let cpus = named_cpus()
        .iter()
        .filter(|c| c.arch == arch && has_all(c))
        .collect();
    CpuNeeds {
        arch,
        features,
        level,
        beyond,
        cpus,
    }
}

/// The features `needs` asks for that the named CPU `max` lacks: empty
/// when an artifact fits under `max` (a CI gate's `--max-level`).
pub fn leaked_above<'a>(needs: &'a CpuNeeds, max: &NamedCpu) -> Vec<&'a str> {
    needs
        .features
        .iter()
        .copied()
        .filter(|f| !max.features.iter().any(|c| c == f))
        .collect()
}
