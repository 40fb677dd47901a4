//! The conformance protocol between the runner and an implementation under
//! test (the *testee*): JSON lines on the testee's stdin and stdout. See
//! `conformance/PROTOCOL.md`.

use crate::corpus::CpuSpec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The protocol version this runner speaks.
///
/// Version 2 carries the host's full release (`"36.0.5"`) as a string where
/// version 1 carried its major as a number.
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
