//! The conformance runner: feeds every golden case to a testee (the built-in
//! reference, or another implementation speaking `conformance/PROTOCOL.md`),
//! compares its answers with what real Wasmtime said, and accounts for
//! expected failures.

use crate::corpus::{Case, CpuSpec, Suite};
use crate::host::{Cpu, Host, ModuleVersion};
use crate::protocol::{
    CheckRequest, HostRequest, ReleaseName, Request, Response, Scope, PROTOCOL_VERSION,
};
use crate::{check, check::check_decoded, corpus::parse_kind, inspect::inspect, Release};
use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// What must match for a case to pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// The verdict (accept or reject).
    Required,
    /// The verdict and the whole chain, word for word.
    Recommended,
}

/// An implementation under test.
pub trait Testee {
    /// The handshake: the testee's name and what it implements.
    fn hello(&mut self) -> Result<(String, Scope), String>;
    /// The testee's answer to one case.
    fn check(&mut self, request: &CheckRequest) -> Response;
    /// True once the testee has stopped answering: the run ends there.
    fn unresponsive(&self) -> bool {
        false
    }
}

/// The reference, in process.
pub struct ReferenceTestee;

impl Testee for ReferenceTestee {
    fn hello(&mut self) -> Result<(String, Scope), String> {
        let mut majors: Vec<u32> = Release::all().map(|r| r.major()).collect();
        majors.dedup();
        let releases = majors.into_iter().map(ReleaseName::Major).collect();
        Ok(("cwasm-spec reference".into(), Scope::everything(releases)))
    }

    fn check(&mut self, request: &CheckRequest) -> Response {
        let id = request.id.clone();
        match reference_verdict(request) {
            Ok(None) => Response::Accept { id },
            Ok(Some(chain)) => Response::Reject { id, chain },
            Err(message) => Response::Error { id, message },
        }
    }
}

fn reference_verdict(request: &CheckRequest) -> Result<Option<Vec<String>>, String> {
    let artifact = BASE64
        .decode(&request.artifact_base64)
        .map_err(|e| e.to_string())?;
    let witness = BASE64
        .decode(&request.host.witness_base64)
        .map_err(|e| e.to_string())?;
    let release = Release::parse(&request.host.release)
        .ok_or_else(|| format!("release {} is not supported", request.host.release))?;
    let mut host = Host::from_witness(&witness, Some(release)).map_err(|e| e.to_string())?;
    host.module_version = request.host.module_version.parse::<ModuleVersion>()?;
    host.set_cpu(match &request.host.cpu_features {
        CpuSpec::Exactly(list) => Cpu::Exactly(list.clone()),
        CpuSpec::Mode(mode) => mode.parse::<Cpu>()?,
    });
    let kind = parse_kind(&request.kind)?;
    // The fast path and the plain reading of the rules both answer; a case
    // on which they differ is an error, so the corpus certifies both.
    let plain = check(&artifact, kind, &host);
    let decoded = check_decoded(&artifact, kind, &host);
    if plain != decoded {
        return Err(format!(
            "check and check_decoded differ: {plain:?} against {decoded:?}"
        ));
    }
    Ok(plain.err().map(|r| r.chain().to_vec()))
}

/// Another implementation, as a child process speaking the protocol. It is
/// started once and restarted after a case times out.
pub struct ExternalTestee {
    command: String,
    timeout: Duration,
    process: Option<Running>,
    timeouts_in_a_row: u32,
}

/// Timeouts in a row after which a testee counts as unresponsive.
pub const UNRESPONSIVE_AFTER: u32 = 3;

struct Running {
    child: Child,
    stdin: ChildStdin,
    lines: Receiver<String>,
}

impl ExternalTestee {
    /// `command` is run by `sh -c`; `timeout` bounds each answer.
    pub fn new(command: &str, timeout: Duration) -> Self {
        ExternalTestee {
            command: command.to_string(),
            timeout,
            process: None,
            timeouts_in_a_row: 0,
        }
    }

    fn start(&mut self) -> Result<&mut Running, String> {
        if self.process.is_none() {
            let mut child = Command::new("sh")
                .arg("-c")
                .arg(&self.command)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::inherit())
                .spawn()
                .map_err(|e| format!("cannot start `{}`: {e}", self.command))?;
            let stdin = child.stdin.take().ok_or("no stdin")?;
            let stdout = child.stdout.take().ok_or("no stdout")?;
            let (tx, lines) = channel();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
            self.process = Some(Running {
                child,
                stdin,
                lines,
            });
        }
        self.process.as_mut().ok_or_else(|| "not running".into())
    }

    fn stop(&mut self) {
        if let Some(mut running) = self.process.take() {
            let _ = running.child.kill();
            let _ = running.child.wait();
        }
    }

    /// Sends one request and waits for one response line.
    fn exchange(&mut self, request: &Request) -> Result<Response, String> {
        let timeout = self.timeout;
        let line = serde_json::to_string(request).map_err(|e| e.to_string())?;
        let running = self.start()?;
        writeln!(running.stdin, "{line}")
            .and_then(|_| running.stdin.flush())
            .map_err(|e| format!("testee stopped reading: {e}"))?;
        match running.lines.recv_timeout(timeout) {
            Ok(answer) => serde_json::from_str(&answer)
                .map_err(|e| format!("unreadable response `{answer}`: {e}")),
            Err(RecvTimeoutError::Timeout) => {
                self.stop();
                self.timeouts_in_a_row += 1;
                Err(format!("no response within {timeout:?}"))
            }
            Err(RecvTimeoutError::Disconnected) => {
                self.stop();
                Err("testee exited".into())
            }
        }
    }
}

impl Drop for ExternalTestee {
    fn drop(&mut self) {
        // Closing stdin is the end of the session; a testee that lingers is
        // stopped.
        if let Some(mut running) = self.process.take() {
            drop(running.stdin);
            std::thread::sleep(Duration::from_millis(10));
            let _ = running.child.kill();
            let _ = running.child.wait();
        }
    }
}

impl Testee for ExternalTestee {
    fn hello(&mut self) -> Result<(String, Scope), String> {
        match self.exchange(&Request::Hello {
            protocol: PROTOCOL_VERSION,
        })? {
            Response::Hello {
                protocol,
                name,
                releases,
                kinds,
                families,
            } if protocol == PROTOCOL_VERSION => {
                let scope = Scope::declared(releases, kinds, families)
                    .map_err(|e| format!("{name}: {e}"))?;
                Ok((name, scope))
            }
            Response::Hello { protocol: 1, .. } => Err(format!(
                "testee speaks protocol 1; this runner speaks {PROTOCOL_VERSION}, where a host's \
                 release is a string (\"36.0.5\") instead of a major (see conformance/PROTOCOL.md)"
            )),
            Response::Hello { protocol, .. } => Err(format!(
                "testee speaks protocol {protocol}, the runner {PROTOCOL_VERSION}"
            )),
            other => Err(format!("expected a hello, got {other:?}")),
        }
    }

    fn check(&mut self, request: &CheckRequest) -> Response {
        let restarted = self.process.is_none();
        if restarted {
            // A fresh process needs its handshake first.
            if let Err(message) = self.hello() {
                return Response::Error {
                    id: request.id.clone(),
                    message,
                };
            }
        }
        match self.exchange(&Request::Check(Box::new(request.clone()))) {
            Ok(response) => {
                self.timeouts_in_a_row = 0;
                response
            }
            Err(message) => Response::Error {
                id: request.id.clone(),
                message,
            },
        }
    }

    fn unresponsive(&self) -> bool {
        self.timeouts_in_a_row >= UNRESPONSIVE_AFTER
    }
}

/// Why `case` is outside `scope`, or `None` when it is inside: the testee
/// implements the host's release (its major, or its release string), the
/// case's kind, and the family of the rule that decides the case (every
/// family, for an accepted case).
pub fn out_of_scope(scope: &Scope, case: &Case) -> Option<String> {
    let major = case.host.release().ok().map(|r| r.major());
    let release = scope.releases.iter().any(|r| match r {
        ReleaseName::Major(m) => Some(*m) == major,
        ReleaseName::Text(text) => *text == case.host.release,
    });
    if !release {
        return Some(format!("release {} not declared", case.host.release));
    }
    if !scope.kinds.contains(&case.kind) {
        return Some(format!("kind {} not declared", case.kind));
    }
    let family = match (case.expect.compatible, case.rules.first()) {
        (false, Some(rule)) => rule.split('.').next().unwrap_or(rule),
        _ if scope.all_families() => return None,
        _ => return Some("an acceptance depends on every rule family".into()),
    };
    if !scope.families.iter().any(|f| f == family) {
        return Some(format!("rule family {family} not declared"));
    }
    None
}

/// The request for `case`.
pub fn request_for(suite: &Suite, case: &Case) -> Result<CheckRequest, String> {
    let artifact = suite.artifact(case)?;
    let witness = suite.read(&case.host.witness)?;
    let profile = inspect(&witness, case.host.release().ok())
        .map_err(|e| format!("{}: witness: {e}", case.id))?;
    Ok(CheckRequest {
        id: case.id.clone(),
        kind: case.kind.clone(),
        artifact_base64: BASE64.encode(&artifact),
        host: HostRequest {
            release: case.host.release.clone(),
            module_version: case.host.module_version.clone(),
            cpu_features: case.host.cpu_features.clone(),
            profile,
            witness_base64: BASE64.encode(&witness),
            config: case.host.config.clone(),
        },
    })
}

/// A case's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Pass,
    Fail(String),
    Skip(String),
}

/// Compares a testee's response with what Wasmtime said.
pub fn judge(case: &Case, response: &Response, level: Level) -> Status {
    let expected = &case.expect;
    match response {
        Response::Skip { reason, .. } => Status::Skip(reason.clone()),
        Response::Error { message, .. } => Status::Fail(format!("runtime error: {message}")),
        Response::Hello { .. } => Status::Fail("answered a case with hello".into()),
        Response::Accept { id } | Response::Reject { id, .. } if *id != case.id => {
            Status::Fail(format!("answered for `{id}`"))
        }
        Response::Accept { .. } if expected.compatible => Status::Pass,
        Response::Accept { .. } => Status::Fail(format!(
            "accepted; Wasmtime rejects: {}",
            expected.chain.join(": ")
        )),
        Response::Reject { chain, .. } if !expected.compatible => {
            if level == Level::Required || *chain == expected.chain {
                Status::Pass
            } else {
                Status::Fail(format!(
                    "chain {chain:?}; Wasmtime's is {:?}",
                    expected.chain
                ))
            }
        }
        Response::Reject { chain, .. } => {
            Status::Fail(format!("rejected ({}); Wasmtime accepts", chain.join(": ")))
        }
    }
}

/// One line of an expected-failures file: a case ID, optionally followed by
/// a prefix the failure message must start with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExpectedFailure {
    pub id: String,
    pub prefix: Option<String>,
}

/// Parses an expected-failures file; `#` starts a comment line.
pub fn parse_expected_failures(text: &str) -> Vec<ExpectedFailure> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((id, prefix)) => ExpectedFailure {
                id: id.to_string(),
                prefix: Some(prefix.trim().to_string()),
            },
            None => ExpectedFailure {
                id: l.to_string(),
                prefix: None,
            },
        })
        .collect()
}

/// How one case ended, after expected failures are accounted for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed(String),
    ExpectedFailure(String),
    /// Outside the scope the testee declared.
    OutOfScope(String),
}

/// A whole run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub testee: String,
    /// What the testee declared; `None` when the handshake failed.
    pub scope: Option<Scope>,
    pub level: Option<Level>,
    /// SHA-256 of the cases run and of the artifacts and witnesses they
    /// name.
    pub digest: String,
    pub cases: Vec<(String, Outcome)>,
    /// Expected-failure entries that name no case.
    pub stale: Vec<String>,
    /// Every failure, listed or not: what `--update-expected-failures` writes.
    pub failures: Vec<(String, String)>,
    /// Why the run stopped early: a failed handshake, an unresponsive
    /// testee, `--max-time`. A stopped run fails.
    pub aborted: Option<String>,
}

impl Report {
    pub fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.cases.iter().filter(|(_, o)| f(o)).count()
    }

    pub fn passed(&self) -> usize {
        self.count(|o| *o == Outcome::Passed)
    }

    /// Unexpected failures, listed cases that now pass, stale entries, and
    /// a run that stopped early.
    pub fn failed(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Failed(_)))
            + self.stale.len()
            + usize::from(self.aborted.is_some())
    }

    pub fn expected_failures(&self) -> usize {
        self.count(|o| matches!(o, Outcome::ExpectedFailure(_)))
    }

    pub fn out_of_scope(&self) -> usize {
        self.count(|o| matches!(o, Outcome::OutOfScope(_)))
    }

    /// The cases inside the declared scope.
    pub fn in_scope(&self) -> usize {
        self.cases.len() - self.out_of_scope()
    }

    /// The closing line.
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} expected failures, {} out of scope",
            self.passed(),
            self.failed(),
            self.expected_failures(),
            self.out_of_scope()
        )
    }

    /// True when nothing unexpected happened and something was certified.
    pub fn ok(&self) -> bool {
        self.failed() == 0 && self.in_scope() > 0
    }

    /// What was certified, one line each: the testee, its scope, the level,
    /// the counts, and the corpus the certificate holds for.
    pub fn certificate(&self) -> Vec<String> {
        let mut lines = vec![format!("testee:  {}", self.testee)];
        if let Some(scope) = &self.scope {
            let releases: Vec<String> = scope
                .releases
                .iter()
                .map(|r| match r {
                    ReleaseName::Major(m) => m.to_string(),
                    ReleaseName::Text(t) => t.clone(),
                })
                .collect();
            lines.push(format!("scope:   releases {}", releases.join(" ")));
            lines.push(format!("         kinds {}", scope.kinds.join(" ")));
            lines.push(format!(
                "         rule families {}",
                scope.families.join(" ")
            ));
        }
        if let Some(level) = self.level {
            lines.push(format!("level:   {}", level.name()));
        }
        lines.push(format!(
            "result:  {} of {} in-scope cases passed{}",
            self.passed(),
            self.in_scope(),
            match &self.aborted {
                Some(why) => format!("; run stopped: {why}"),
                None => String::new(),
            }
        ));
        lines.push(format!(
            "corpus:  sha256:{} (cwasm-spec {})",
            self.digest,
            env!("CARGO_PKG_VERSION")
        ));
        lines
    }
}

impl Level {
    pub fn name(self) -> &'static str {
        match self {
            Level::Required => "required",
            Level::Recommended => "recommended",
        }
    }
}

/// How a run is made.
#[derive(Clone, Debug)]
pub struct Options {
    /// Only the cases of this major (`42`) or release (`36.0.5`).
    pub only: Option<String>,
    pub level: Level,
    pub expected: Vec<ExpectedFailure>,
    /// The whole run's time limit.
    pub max_time: Option<Duration>,
}

impl Options {
    pub fn new(level: Level) -> Options {
        Options {
            only: None,
            level,
            expected: Vec::new(),
            max_time: None,
        }
    }
}

/// The reference's `detect` against every recorded `detect_precompiled`
/// answer in `corpus` (of `only`, when given), as extra cases named
/// `ID.Detect`.
pub fn detect_cases(corpus: &Path, only: Option<&str>) -> Result<Vec<(String, Outcome)>, String> {
    let mut out = Vec::new();
    for suite in Suite::load_all(corpus, only)? {
        for (id, verdict) in suite.detect_checks()? {
            let outcome = match verdict {
                Ok(()) => Outcome::Passed,
                Err(message) => Outcome::Failed(message),
            };
            out.push((format!("{id}.Detect"), outcome));
        }
    }
    Ok(out)
}

/// Runs the cases from `corpus` through `testee`, as `options` say.
/// `progress` is called after each case with (done, total).
pub fn run(
    corpus: &Path,
    testee: &mut dyn Testee,
    options: &Options,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Report, String> {
    let started = Instant::now();
    let suites = Suite::load_all(corpus, options.only.as_deref())?;
    let mut report = Report {
        level: Some(options.level),
        digest: digest(&suites)?,
        ..Report::default()
    };
    let (name, scope) = match testee.hello() {
        Ok(hello) => hello,
        Err(why) => {
            report.aborted = Some(format!("handshake: {why}"));
            return Ok(report);
        }
    };
    report.testee = name;
    report.scope = Some(scope.clone());
    let total: usize = suites.iter().map(|s| s.cases.len()).sum();
    let listed: BTreeMap<&str, &ExpectedFailure> = options
        .expected
        .iter()
        .map(|e| (e.id.as_str(), e))
        .collect();
    let mut seen = BTreeSet::new();
    'suites: for suite in &suites {
        for case in &suite.cases {
            if let Some(limit) = options.max_time.filter(|l| started.elapsed() > *l) {
                report.aborted = Some(format!("the run took longer than --max-time {limit:?}"));
                break 'suites;
            }
            seen.insert(case.id.as_str());
            let status = match out_of_scope(&scope, case) {
                Some(why) => {
                    report
                        .cases
                        .push((case.id.clone(), Outcome::OutOfScope(why)));
                    progress(report.cases.len(), total);
                    continue;
                }
                None => {
                    let request = request_for(suite, case)?;
                    match judge(case, &testee.check(&request), options.level) {
                        // Inside the declared scope every case is answered.
                        Status::Skip(reason) => Status::Fail(format!("skipped in scope: {reason}")),
                        other => other,
                    }
                }
            };
            if let Status::Fail(message) = &status {
                report.failures.push((case.id.clone(), message.clone()));
            }
            let outcome = match (status, listed.get(case.id.as_str())) {
                (Status::Skip(reason), _) => Outcome::Failed(reason),
                (Status::Pass, None) => Outcome::Passed,
                (Status::Pass, Some(_)) => Outcome::Failed(
                    "listed as an expected failure but passes; remove it from the list".into(),
                ),
                (Status::Fail(message), None) => Outcome::Failed(message),
                (Status::Fail(message), Some(entry)) => match &entry.prefix {
                    Some(prefix) if !message.starts_with(prefix.as_str()) => Outcome::Failed(
                        format!("fails differently from the listed `{prefix}`: {message}"),
                    ),
                    _ => Outcome::ExpectedFailure(message),
                },
            };
            report.cases.push((case.id.clone(), outcome));
            progress(report.cases.len(), total);
            if testee.unresponsive() {
                report.aborted = Some(format!(
                    "testee unresponsive: no answer to {UNRESPONSIVE_AFTER} cases in a row"
                ));
                break 'suites;
            }
        }
    }
    if report.aborted.is_none() {
        report.stale = options
            .expected
            .iter()
            .filter(|e| !seen.contains(e.id.as_str()))
            .map(|e| e.id.clone())
            .collect();
    }
    Ok(report)
}

/// SHA-256 over every case (its JSON) with the bytes of its artifact and
/// witness: any change to a case or an artifact changes it.
pub fn digest(suites: &[Suite]) -> Result<String, String> {
    let mut hasher = Sha256::new();
    let mut files: BTreeMap<PathBuf, [u8; 32]> = BTreeMap::new();
    let mut file_hash = |suite: &Suite, relative: &str| -> Result<[u8; 32], String> {
        let path = suite.dir.join(relative);
        if let Some(h) = files.get(&path) {
            return Ok(*h);
        }
        let h: [u8; 32] = Sha256::digest(suite.read(relative)?).into();
        files.insert(path, h);
        Ok(h)
    };
    for suite in suites {
        for case in &suite.cases {
            let json = serde_json::to_vec(case).map_err(|e| e.to_string())?;
            hasher.update((json.len() as u64).to_le_bytes());
            hasher.update(&json);
            hasher.update(file_hash(suite, &case.artifact)?);
            hasher.update(file_hash(suite, &case.host.witness)?);
        }
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => {
                out.push_str(&format!("&#x{:x};", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// The report as JUnit XML.
pub fn junit(report: &Report) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuite name=\"cwasm-spec conformance: {}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\">\n",
        xml_escape(&report.testee),
        report.cases.len() + report.stale.len(),
        report.failed(),
        report.out_of_scope() + report.expected_failures(),
    ));
    out.push_str("  <properties>\n");
    for line in report.certificate() {
        if let Some((key, value)) = line.split_once(':') {
            out.push_str(&format!(
                "    <property name=\"{}\" value=\"{}\"/>\n",
                xml_escape(key.trim()),
                xml_escape(value.trim())
            ));
        }
    }
    if let Some(why) = &report.aborted {
        out.push_str(&format!(
            "    <property name=\"stopped\" value=\"{}\"/>\n",
            xml_escape(why)
        ));
    }
    out.push_str("  </properties>\n");
    for (id, outcome) in &report.cases {
        out.push_str(&format!("  <testcase name=\"{}\">", xml_escape(id)));
        match outcome {
            Outcome::Passed => {}
            Outcome::Failed(m) => {
                out.push_str(&format!("<failure message=\"{}\"/>", xml_escape(m)))
            }
            Outcome::ExpectedFailure(m) => out.push_str(&format!(
                "<skipped message=\"expected failure: {}\"/>",
                xml_escape(m)
            )),
            Outcome::OutOfScope(m) => out.push_str(&format!(
                "<skipped message=\"out of scope: {}\"/>",
                xml_escape(m)
            )),
        }
        out.push_str("</testcase>\n");
    }
    for id in &report.stale {
        out.push_str(&format!(
            "  <testcase name=\"{}\"><failure message=\"expected-failures entry names no case\"/></testcase>\n",
            xml_escape(id)
        ));
    }
    out.push_str("</testsuite>\n");
    out
}

/// The report as JSON.
pub fn json(report: &Report) -> serde_json::Value {
    let cases: Vec<_> = report
        .cases
        .iter()
        .map(|(id, outcome)| {
            let (status, message) = match outcome {
                Outcome::Passed => ("passed", None),
                Outcome::Failed(m) => ("failed", Some(m)),
                Outcome::ExpectedFailure(m) => ("expected_failure", Some(m)),
                Outcome::OutOfScope(m) => ("out_of_scope", Some(m)),
            };
            serde_json::json!({"id": id, "status": status, "message": message})
        })
        .collect();
    serde_json::json!({
        "testee": report.testee,
        "scope": report.scope,
        "level": report.level.map(Level::name),
        "corpus_sha256": report.digest,
        "cwasm_spec_version": env!("CARGO_PKG_VERSION"),
        "passed": report.passed(),
        "failed": report.failed(),
        "expected_failures": report.expected_failures(),
        "out_of_scope": report.out_of_scope(),
        "in_scope": report.in_scope(),
        "stopped": report.aborted,
        "stale_expected_failures": report.stale,
        "cases": cases,
    })
}

/// An expected-failures file listing every current failure.
pub fn expected_failures_file(report: &Report) -> String {
    let mut out = format!(
        "# Expected failures of {}: case ID, then the start of its message.\n",
        report.testee
    );
    for (id, message) in &report.failures {
        out.push_str(&format!("{id} {}\n", message.lines().next().unwrap_or("")));
    }
    out
}
