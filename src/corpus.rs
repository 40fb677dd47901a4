//! The golden corpus: cases whose verdicts real Wasmtime recorded, and the
//! code that replays them through the reference.
//!
//! Layout: `conformance/v{MAJOR}/` holds the cases of hosts of one major:
//! `cases.json` (recorded by the crates.io oracle), `official.json`
//! (recorded from the official C-API build) and `sweep.json` (byte edits and
//! truncations of the official default artifact's ELF container, recorded
//! from the same build by `oracle/official/sweep.py --subset`). Paths in a
//! case are relative to that directory. See `conformance/README.md` for the
//! schema.

use crate::host::{Cpu, Host, ModuleVersion};
use crate::{check, Kind, Release};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One golden case.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Case {
    /// Hierarchical name, e.g. `Required.V48.Compat.Tunables.EpochInterruption.HostOnly`.
    pub id: String,
    /// The artifact, relative to the case file.
    pub artifact: String,
    /// Byte edits applied to the artifact, in order, before it is loaded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
    /// `module` or `component`: how the artifact is loaded.
    pub kind: String,
    pub host: HostSpec,
    /// What real Wasmtime said.
    pub expect: Expect,
    /// What the host release's `Engine::detect_precompiled` said of the
    /// artifact: `module`, `component` or `none`. Absent where the recording
    /// Wasmtime does not offer it (the C API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detect: Option<String>,
    /// Spec rule IDs this case exercises.
    pub rules: Vec<String>,
    /// Which Wasmtime and configuration produced the artifact and the verdict.
    pub provenance: String,
}

/// The host of a case.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HostSpec {
    /// The host's release: a full version (`36.0.5`) or, where only the
    /// major is known, the major (`48`). A JSON number is read as a major.
    #[serde(deserialize_with = "string_or_number")]
    pub release: String,
    /// Oracle preset that configures the host engine.
    pub config: String,
    /// An artifact compiled by that engine: its target, Tunables and features.
    pub witness: String,
    /// `default`, `none` or `custom:TEXT`.
    pub module_version: String,
    /// Detector names that answer yes, or `"undetectable"`.
    pub cpu_features: CpuSpec,
}

fn string_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Either {
        Text(String),
        Number(u32),
    }
    Ok(match Either::deserialize(d)? {
        Either::Text(text) => text,
        Either::Number(n) => n.to_string(),
    })
}

impl HostSpec {
    /// The release whose rules decide the case.
    pub fn release(&self) -> Result<Release, String> {
        Release::parse(&self.release)
            .ok_or_else(|| format!("unsupported host release `{}`", self.release))
    }
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum CpuSpec {
    Exactly(Vec<String>),
    Mode(String),
}

/// A byte edit of an artifact. Offsets are file offsets; out-of-range
/// edits are a corpus error.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Edit {
    /// Keep only the first `n` bytes.
    Truncate(usize),
    /// Set one byte: `[offset, value]`.
    SetByte(usize, u8),
    /// Write a little-endian `u64`: `[offset, value]`.
    SetU64(usize, u64),
}

/// Applies `edits` to `bytes`.
pub fn apply_edits(bytes: &mut Vec<u8>, edits: &[Edit]) -> Result<(), String> {
    for edit in edits {
        match *edit {
            Edit::Truncate(n) if n <= bytes.len() => bytes.truncate(n),
            Edit::SetByte(at, v) if at < bytes.len() => bytes[at] = v,
            Edit::SetU64(at, v) if at.checked_add(8).is_some_and(|end| end <= bytes.len()) => {
                bytes[at..at + 8].copy_from_slice(&v.to_le_bytes())
            }
            _ => return Err(format!("edit {edit:?} is out of range")),
        }
    }
    Ok(())
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Expect {
    pub compatible: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub chain: Vec<String>,
}

/// The cases of one major's hosts and the directory they live in.
pub struct Suite {
    pub major: u32,
    pub dir: PathBuf,
    pub cases: Vec<Case>,
}

/// The case files of a major's directory, in the order they are run:
/// the crates.io oracle's, the official build's, and the official build's
/// sweep subset of the ELF container.
pub const CASE_FILES: &[&str] = &["cases.json", "official.json", "sweep.json"];

impl Suite {
    /// The cases of `major`'s hosts: every case file of `v{major}/`.
    pub fn load(corpus: &Path, major: u32) -> Result<Suite, String> {
        Suite::load_files(corpus, major, CASE_FILES)
    }

    /// The cases of `major`'s hosts in the case files `names` only.
    pub fn load_files(corpus: &Path, major: u32, names: &[&str]) -> Result<Suite, String> {
        let dir = corpus.join(format!("v{major}"));
        let mut cases = Vec::new();
        for name in names {
            let file = dir.join(name);
            if !file.exists() {
                continue;
            }
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let mut more: Vec<Case> =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            cases.append(&mut more);
        }
        if cases.is_empty() {
            return Err(format!("{}: no cases", dir.display()));
        }
        Ok(Suite { major, dir, cases })
    }

    /// Every major's suite in `corpus`, oldest first. `only` keeps the
    /// cases of one major (`42`) or one release (`36.0.5`).
    pub fn load_all(corpus: &Path, only: Option<&str>) -> Result<Vec<Suite>, String> {
        let entries =
            std::fs::read_dir(corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let mut majors: Vec<u32> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str()?.strip_prefix('v')?.parse().ok())
            .collect();
        majors.sort_unstable();
        let wanted = only.map(|text| (text, Release::parse(text)));
        let mut suites = Vec::new();
        for major in majors {
            if let Some((_, Some(release))) = wanted {
                if release.major() != major {
                    continue;
                }
            }
            let mut suite = Suite::load(corpus, major)?;
            if let Some((text, Some(release))) = wanted {
                // A full version keeps that release's hosts only.
                if text.contains('.') {
                    suite
                        .cases
                        .retain(|c| c.host.release().ok() == Some(release));
                }
            }
            suites.push(suite);
        }
        Ok(suites)
    }

    pub fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        let path = self.dir.join(relative);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The reference's host model for `case`.
    pub fn host(&self, case: &Case) -> Result<Host, String> {
        let release = case
            .host
            .release()
            .map_err(|e| format!("{}: {e}", case.id))?;
        let witness = self.read(&case.host.witness)?;
        let mut host = Host::from_witness(&witness, Some(release)).map_err(|e| e.to_string())?;
        host.module_version = case.host.module_version.parse::<ModuleVersion>()?;
        host.set_cpu(match &case.host.cpu_features {
            CpuSpec::Exactly(list) => Cpu::Exactly(list.clone()),
            CpuSpec::Mode(mode) => mode.parse::<Cpu>()?,
        });
        Ok(host)
    }

    /// The artifact of `case`, with its edits applied.
    pub fn artifact(&self, case: &Case) -> Result<Vec<u8>, String> {
        let mut bytes = self.read(&case.artifact)?;
        apply_edits(&mut bytes, &case.edits).map_err(|e| format!("{}: {e}", case.id))?;
        Ok(bytes)
    }

    /// Runs the reference on `case`: its verdict, as an `Expect`, and the
    /// rule that fired.
    pub fn run_reference(&self, case: &Case) -> Result<(Expect, Option<&'static str>), String> {
        let host = self.host(case)?;
        let artifact = self.artifact(case)?;
        let kind = parse_kind(&case.kind)?;
        Ok(match check(&artifact, kind, &host) {
            Ok(()) => (
                Expect {
                    compatible: true,
                    chain: vec![],
                },
                None,
            ),
            Err(r) => (
                Expect {
                    compatible: false,
                    chain: r.chain().to_vec(),
                },
                Some(r.rule()),
            ),
        })
    }
}

/// A case's ID, and `Err` with the difference where the reference's
/// `detect` and the recorded `detect_precompiled` disagree.
pub type DetectCheck = (String, Result<(), String>);

impl Suite {
    /// The reference's `detect` on every case that recorded
    /// `detect_precompiled`'s answer: the case's ID and `Err` with the
    /// difference where they disagree.
    pub fn detect_checks(&self) -> Result<Vec<DetectCheck>, String> {
        let mut out = Vec::new();
        for case in &self.cases {
            let Some(expected) = &case.detect else {
                continue;
            };
            let release = case.host.release()?;
            let bytes = self.artifact(case)?;
            let ours = crate::detect(&bytes, release).map_or("none", |p| p.kind.as_str());
            let verdict = if ours == expected {
                Ok(())
            } else {
                Err(format!(
                    "detect says {ours}; Wasmtime's detect_precompiled {expected}"
                ))
            };
            out.push((case.id.clone(), verdict));
        }
        Ok(out)
    }
}

pub fn parse_kind(kind: &str) -> Result<Kind, String> {
    match kind {
        "module" => Ok(Kind::Module),
        "component" => Ok(Kind::Component),
        other => Err(format!("unknown kind `{other}`")),
    }
}
