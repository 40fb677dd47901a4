//! The conformance protocol between the runner and an implementation under
//! test (the *testee*): JSON lines on the testee's stdin and stdout. See
//! `conformance/PROTOCOL.md`.

use crate::corpus::CpuSpec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The protocol version this runner speaks.
///
/// Version 2 carries the host's full release (`"36.0.5"`) as a string where
/// version 1 carried its major as a number, and the testee's handshake
/// declares its scope: releases, kinds and, optionally, rule families.
pub const PROTOCOL_VERSION: u32 = 2;

/// Runner to testee.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Request {
    /// The first line: the runner's protocol version.
    Hello { protocol: u32 },
    /// One case.
    Check(Box<CheckRequest>),
}

/// One case: load `artifact` as `kind` on `host`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CheckRequest {
    pub id: String,
    /// `module` or `component`.
    pub kind: String,
    /// The artifact's bytes, base64 (standard alphabet, padded).
    pub artifact_base64: String,
    pub host: HostRequest,
}

/// The host of a case.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HostRequest {
    /// The host's release: a full version (`36.0.5`), or the major
    /// (`48`) where the case's host is known only by its major.
    pub release: String,
    /// `default`, `none` or `custom:TEXT`.
    pub module_version: String,
    /// Detector names that answer yes (all others answer no), or `"undetectable"`.
    pub cpu_features: CpuSpec,
    /// The host engine's target, Tunables and features, in the vocabulary of
    /// `cwasm-spec inspect --format json`.
    pub profile: Value,
    /// An artifact the host engine compiled, base64: the same facts, raw.
    pub witness_base64: String,
    /// The oracle preset that configured the host engine. Informative: only
    /// the Wasmtime adapter uses it, to build the same engine.
    pub config: String,
}

/// The rule families a testee may declare: the first part of a rule ID.
/// A case rejected by a rule belongs to that rule's family; an accepted case
/// belongs to every family.
pub const FAMILIES: &[&str] = &[
    "elf", "section", "version", "metadata", "compat", "load", "info",
];

/// Phases a testee may declare instead of families: `compatibility` is the
/// engine record and the ELF markers (what the format's own check covers),
/// `load` the section walk after it, `module-info` the decoding of the
/// `.wasmtime.info` section after that.
pub const PHASES: &[(&str, &[&str])] = &[
    (
        "compatibility",
        &["elf", "section", "version", "metadata", "compat"],
    ),
    ("load", &["load"]),
    ("module-info", &["info"]),
];

/// What a testee says it implements in its handshake.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub releases: Vec<ReleaseName>,
    pub kinds: Vec<String>,
    /// Rule families, with phases expanded; every family when the testee
    /// names none.
    pub families: Vec<String>,
}

impl Scope {
    /// The scope a handshake declares, or why it is not one.
    pub fn declared(
        releases: Vec<ReleaseName>,
        kinds: Vec<String>,
        families: Option<Vec<String>>,
    ) -> Result<Scope, String> {
        if releases.is_empty() {
            return Err("the testee declares no release".into());
        }
        if kinds.is_empty() {
            return Err("the testee declares no kind (`module`, `component`)".into());
        }
        if let Some(kind) = kinds.iter().find(|k| *k != "module" && *k != "component") {
            return Err(format!(
                "unknown kind `{kind}`: expected module or component"
            ));
        }
        let families = match families {
            None => FAMILIES.iter().map(|f| f.to_string()).collect(),
            Some(names) => {
                let mut out: Vec<String> = Vec::new();
                for name in &names {
                    let expanded: Vec<&str> =
                        match PHASES.iter().find(|(p, _)| p == name) {
                            Some((_, families)) => families.to_vec(),
                            None if FAMILIES.contains(&name.as_str()) => vec![name.as_str()],
                            None => {
                                return Err(format!(
                                "unknown rule family `{name}`: expected one of {} or a phase ({})",
                                FAMILIES.join(", "),
                                PHASES.iter().map(|(p, _)| *p).collect::<Vec<_>>().join(", ")
                            ))
                            }
                        };
                    for f in expanded {
                        if !out.iter().any(|o| o == f) {
                            out.push(f.to_string());
                        }
                    }
                }
                if out.is_empty() {
                    return Err("the testee declares no rule family".into());
                }
                out
            }
        };
        Ok(Scope {
            releases,
            kinds,
            families,
        })
    }

    /// Every family, every kind, these releases.
    pub fn everything(releases: Vec<ReleaseName>) -> Scope {
        Scope {
            releases,
            kinds: vec!["module".into(), "component".into()],
            families: FAMILIES.iter().map(|f| f.to_string()).collect(),
        }
    }

    pub fn all_families(&self) -> bool {
        FAMILIES
            .iter()
            .all(|f| self.families.iter().any(|g| g == f))
    }
}

/// A release as a testee names it: a major (a JSON number, every release
/// of it) or a release string (`"36.0.5"`, `"48"`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum ReleaseName {
    Major(u32),
    Text(String),
}

/// Testee to runner.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// The answer to `hello`.
    Hello {
        protocol: u32,
        name: String,
        /// What the testee implements: majors (`48`) and releases (`"36.0.5"`).
        releases: Vec<ReleaseName>,
        /// The kinds it loads: `module`, `component`.
        #[serde(default)]
        kinds: Vec<String>,
        /// The rule families it implements (see [`FAMILIES`]); absent means
        /// all of them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        families: Option<Vec<String>>,
    },
    /// The artifact is accepted.
    Accept { id: String },
    /// The artifact is rejected with this chain, outermost first.
    Reject { id: String, chain: Vec<String> },
    /// The testee does not handle this case.
    Skip { id: String, reason: String },
    /// The testee failed to produce a verdict.
    Error { id: String, message: String },
}
