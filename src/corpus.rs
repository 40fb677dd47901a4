//! The golden corpus: cases whose verdicts real Wasmtime recorded, and the
//! code that replays them through the reference.
//!
//! Layout: `conformance/v{MAJOR}/cases.json` lists the cases of a release;
//! paths in a case are relative to that file's directory. See
//! `conformance/README.md` for the schema.

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
    /// Spec rule IDs this case exercises.
    pub rules: Vec<String>,
    /// Which Wasmtime and configuration produced the artifact and the verdict.
    pub provenance: String,
}

/// The host of a case.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct HostSpec {
    pub release: u32,
    /// Oracle preset that configures the host engine.
    pub config: String,
    /// An artifact compiled by that engine: its target, Tunables and features.
    pub witness: String,
    /// `default`, `none` or `custom:TEXT`.
    pub module_version: String,
    /// Detector names that answer yes, or `"undetectable"`.
    pub cpu_features: CpuSpec,
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

/// A release's cases and the directory they live in.
pub struct Suite {
    pub release: Release,
    pub dir: PathBuf,
    pub cases: Vec<Case>,
}

impl Suite {
    pub fn load(corpus: &Path, release: Release) -> Result<Suite, String> {
        let dir = corpus.join(format!("v{}", release.major()));
        let file = dir.join("cases.json");
        let text =
            std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        let cases = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        Ok(Suite {
            release,
            dir,
            cases,
        })
    }

    pub fn read(&self, relative: &str) -> Result<Vec<u8>, String> {
        let path = self.dir.join(relative);
        std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The reference's host model for `case`.
    pub fn host(&self, case: &Case) -> Result<Host, String> {
        let release = Release::from_major(case.host.release)
            .ok_or_else(|| format!("{}: unsupported release", case.id))?;
        let witness = self.read(&case.host.witness)?;
        let mut host = Host::from_witness(&witness, Some(release)).map_err(|e| e.to_string())?;
        host.module_version = case.host.module_version.parse::<ModuleVersion>()?;
        host.cpu = match &case.host.cpu_features {
            CpuSpec::Exactly(list) => Cpu::Exactly(list.clone()),
            CpuSpec::Mode(mode) => mode.parse::<Cpu>()?,
        };
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

pub fn parse_kind(kind: &str) -> Result<Kind, String> {
    match kind {
        "module" => Ok(Kind::Module),
        "component" => Ok(Kind::Component),
        other => Err(format!("unknown kind `{other}`")),
    }
}
