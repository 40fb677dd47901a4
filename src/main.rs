//! The `cwasm-spec` command line. Exit status: 0 compatible (or success),
//! 1 incompatible (or conformance failures), 2 bad usage or unreadable input.

use clap::{Parser, Subcommand, ValueEnum};
use cwasm_spec::diff::{diff_artifacts, diff_releases, render_text};
use cwasm_spec::host::{Cpu, Host, ModuleVersion};
use cwasm_spec::{detect, inspect::inspect, Kind, Phase, Release};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// `println!` that ignores a closed stdout (e.g. piped into `head`)
/// instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod conformance;

#[derive(Parser)]
#[command(
    name = "cwasm-spec",
    version,
    about = "Reference checker for Wasmtime .cwasm compatibility records"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum LevelArg {
    Required,
    Recommended,
}

#[derive(Clone, Copy, ValueEnum)]
enum PhaseArg {
    Compatibility,
    Load,
    ModuleInfo,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Module,
    Component,
}

#[derive(Subcommand)]
enum Command {
    /// Print `module`, `component` or `none`, as `Engine::detect_precompiled` would.
    Detect {
        file: PathBuf,
        /// Release whose ELF reader to use: a major (`48`) or a version (`36.0.5`).
        #[arg(long, default_value = "48")]
        wasmtime: String,
    },
    /// Print an artifact's kind, version string and decoded Metadata.
    Inspect {
        artifact: PathBuf,
        /// Layout to use when the version string names no release: a major
        /// (`42`) or a version (`36.0.5`).
        #[arg(long)]
        wasmtime: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Would the host that compiled HOST_ARTIFACT accept ARTIFACT?
    Check {
        artifact: PathBuf,
        /// A witness artifact compiled by the host engine.
        #[arg(long = "host-from", value_name = "HOST_ARTIFACT")]
        host_from: PathBuf,
        /// The host's Wasmtime release: a major (`42`, its latest release)
        /// or a version (`36.0.5`).
        #[arg(long)]
        wasmtime: Option<String>,
        #[arg(long, value_enum, default_value_t = KindArg::Module)]
        kind: KindArg,
        /// What the CPU detector answers: `a,b,c` (exactly these detector
        /// names), '' (none), an x86-64 level (`x86-64-v1` … `x86-64-v4`),
        /// `native` or `undetectable`.
        #[arg(long = "cpu-features", visible_alias = "cpu", default_value = "native")]
        cpu_features: String,
        /// `default`, `none` or `custom:TEXT`.
        #[arg(long = "module-version")]
        module_version: Option<String>,
        /// Stop after this phase: `compatibility` (the format's own check),
        /// `load` (also loading's section walk) or `module-info` (also the
        /// `.wasmtime.info` decode: the full verdict).
        #[arg(long, value_enum, default_value_t = PhaseArg::ModuleInfo)]
        phase: PhaseArg,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List every supported release with its version string and layout.
    Releases {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// What changed between two releases (`--releases 36.0.20 48.0.8`), or
    /// between two artifacts, field by field (`A.cwasm B.cwasm`).
    Diff {
        /// Two releases: majors (`42`) or versions (`36.0.5`).
        #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with = "artifacts")]
        releases: Option<Vec<String>>,
        /// Two artifacts.
        #[arg(num_args = 2, value_names = ["A.cwasm", "B.cwasm"], required_unless_present = "releases")]
        artifacts: Vec<PathBuf>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Certify the reference, or another implementation, against the golden corpus.
    Conformance {
        /// Only the cases of hosts of this major (`42`) or release (`36.0.5`).
        #[arg(long)]
        wasmtime: Option<String>,
        /// Run this command as the testee (see conformance/PROTOCOL.md)
        /// instead of the built-in reference.
        #[arg(long = "impl", value_name = "CMD ARGS")]
        implementation: Option<String>,
        /// Cases expected to fail: one ID per line, optionally followed by a message prefix.
        #[arg(long = "expected-failures", value_name = "FILE")]
        expected_failures: Option<PathBuf>,
        /// required: the verdict must match; recommended: the whole chain too.
        #[arg(long, value_enum, default_value_t = LevelArg::Recommended)]
        level: LevelArg,
        /// Write a JUnit XML report.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
        /// Write a JSON report.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
        /// Rewrite the expected-failures file with the current failures.
        #[arg(long = "update-expected-failures")]
        update_expected_failures: bool,
        /// List every spec rule with its accepting and rejecting cases.
        #[arg(long)]
        coverage: bool,
        /// Seconds a testee may take to answer one case; three cases in a
        /// row without an answer stop the run.
        #[arg(long, default_value_t = 10)]
        timeout: u64,
        /// Seconds the whole run may take.
        #[arg(long = "max-time")]
        max_time: Option<u64>,
        /// The corpus directory.
        #[arg(long, default_value = "conformance")]
        corpus: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("cwasm-spec: {message}");
            ExitCode::from(2)
        }
    }
}

fn release(text: &str) -> Result<Release, String> {
    Release::parse(text).ok_or_else(|| {
        format!(
            "unsupported Wasmtime release `{text}`: give a major from 24 to 50 or a release \
             such as 36.0.5 (`cwasm-spec releases` lists them)"
        )
    })
}

/// Reads an input file. Only regular files are read: a directory, a FIFO or
/// a device gets a clear message instead of a hang.
fn read(path: &Path) -> Result<Vec<u8>, String> {
    regular_file(path)?;
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Only regular files are inputs.
fn regular_file(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if meta.is_dir() {
        return Err(format!("{shown}: is a directory"));
    }
    if !meta.is_file() {
        return Err(format!("{shown}: not a regular file"));
    }
    Ok(())
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Detect { file, wasmtime } => {
            let bytes = read(&file)?;
            let found = detect(&bytes, release(&wasmtime)?);
            outln!("{}", found.map_or("none", |p| p.kind.as_str()));
            Ok(ExitCode::SUCCESS)
        }
        Command::Inspect {
            artifact,
            wasmtime,
            format,
        } => {
            let bytes = read(&artifact)?;
            let fallback = wasmtime.as_deref().map(release).transpose()?;
            let value =
                inspect(&bytes, fallback).map_err(|e| format!("{}: {e}", artifact.display()))?;
            match format {
                Format::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&value).unwrap_or_default()
                ),
                Format::Text => print_inspect_text(&value),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check {
            artifact,
            host_from,
            wasmtime,
            kind,
            cpu_features,
            module_version,
            phase,
            format,
        } => {
            // The artifact is read by range (`-` is standard input, read
            // whole); only the witness is read whole.
            let stdin = artifact == Path::new("-");
            if !stdin {
                regular_file(&artifact)?;
            }
            let witness = read(&host_from)?;
            let asked = wasmtime.as_deref().map(release).transpose()?;
            let mut host = Host::from_witness(&witness, asked)
                .map_err(|e| format!("{}: {e}", host_from.display()))?;
            let cpu = cpu_features.parse::<Cpu>()?;
            cpu.validate(host.release)?;
            host.set_cpu(cpu);
            if let Some(mv) = module_version {
                host.module_version = mv.parse::<ModuleVersion>()?;
            }
            let kind = match kind {
                KindArg::Module => Kind::Module,
                KindArg::Component => Kind::Component,
            };
            let until = match phase {
                PhaseArg::Compatibility => Phase::Compatibility,
                PhaseArg::Load => Phase::Load,
                PhaseArg::ModuleInfo => Phase::ModuleInfo,
            };
            let verdict = if stdin {
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                    .map_err(|e| format!("standard input: {e}"))?;
                cwasm_spec::check::check_until(&bytes, kind, &host, until)
            } else {
                cwasm_spec::file::check_file_until(&artifact, kind, &host, until)
                    .map_err(|e| format!("{}: {e}", artifact.display()))?
            };
            match (format, &verdict) {
                (Format::Json, Ok(())) => outln!("{}", json!({"compatible": true})),
                (Format::Json, Err(r)) => outln!(
                    "{}",
                    json!({"compatible": false, "chain": r.chain(), "rule": r.rule(), "phase": r.phase().as_str()})
                ),
                (Format::Text, Ok(())) => outln!("compatible"),
                (Format::Text, Err(r)) => {
                    outln!("incompatible [{}, {} phase]", r.rule(), r.phase().as_str());
                    for (i, message) in r.chain().iter().enumerate() {
                        if i == 0 {
                            outln!("  {message}");
                        } else {
                            outln!("  caused by: {message}");
                        }
                    }
                }
            }
            Ok(if verdict.is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            })
        }
        Command::Releases { format } => {
            let rows: Vec<serde_json::Value> = Release::all()
                .map(|r| {
                    json!({
                        "release": r.to_string(),
                        "major": r.major(),
                        "version_string": r.version_string(),
                        "layout": r.layout_origin().to_string(),
                    })
                })
                .collect();
            match format {
                Format::Json => outln!(
                    "{}",
                    serde_json::to_string_pretty(&rows).unwrap_or_default()
                ),
                Format::Text => {
                    outln!(
                        "{:<9} {:>5}  {:<14} layout",
                        "release",
                        "major",
                        "version string"
                    );
                    for r in &rows {
                        outln!(
                            "{:<9} {:>5}  {:<14} {}",
                            r["release"].as_str().unwrap_or(""),
                            r["major"],
                            r["version_string"].as_str().unwrap_or(""),
                            r["layout"].as_str().unwrap_or("")
                        );
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Diff {
            releases,
            artifacts,
            format,
        } => {
            let (header, changes) = match releases.as_deref() {
                Some([a, b]) => {
                    let (a, b) = (release(a)?, release(b)?);
                    (
                        json!({"from": a.to_string(), "to": b.to_string()}),
                        diff_releases(a, b),
                    )
                }
                _ => {
                    let [a, b] = artifacts.as_slice() else {
                        return Err("diff takes --releases A B, or two artifacts".into());
                    };
                    let changes = diff_artifacts(&read(a)?, &read(b)?)
                        .map_err(|e| format!("{} / {}: {e}", a.display(), b.display()))?;
                    (
                        json!({"from": a.display().to_string(), "to": b.display().to_string()}),
                        changes,
                    )
                }
            };
            match format {
                Format::Json => {
                    let mut value = header;
                    value["changes"] = json!(changes);
                    outln!(
                        "{}",
                        serde_json::to_string_pretty(&value).unwrap_or_default()
                    );
                }
                Format::Text => {
                    outln!(
                        "{} -> {}",
                        header["from"].as_str().unwrap_or(""),
                        header["to"].as_str().unwrap_or("")
                    );
                    outln!("{}", render_text(&changes).trim_end());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Conformance {
            wasmtime,
            implementation,
            expected_failures,
            level,
            junit,
            json,
            update_expected_failures,
            coverage,
            timeout,
            max_time,
            corpus,
        } => {
            let only = wasmtime
                .as_deref()
                .map(|text| {
                    release(text)?;
                    Ok::<_, String>(text.to_string())
                })
                .transpose()?;
            conformance::run(conformance::Args {
                corpus,
                only,
                implementation,
                expected_failures,
                level: match level {
                    LevelArg::Required => cwasm_spec::runner::Level::Required,
                    LevelArg::Recommended => cwasm_spec::runner::Level::Recommended,
                },
                junit,
                json,
                update_expected_failures,
                coverage,
                timeout: std::time::Duration::from_secs(timeout),
                max_time: max_time.map(std::time::Duration::from_secs),
            })
        }
    }
}

fn print_inspect_text(value: &serde_json::Value) {
    let get = |k: &str| value.get(k).cloned().unwrap_or_default();
    outln!("kind:      {}", get("kind").as_str().unwrap_or("?"));
    if let Some(p) = get("pulley").as_str() {
        outln!("pulley:    {p}");
    }
    let releases: Vec<&str> = value["releases"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_str())
        .collect();
    let named = match releases.as_slice() {
        [] => "names no release".to_string(),
        [one] => format!("release {one}"),
        [first, .., last] => format!("releases {first} to {last}"),
    };
    outln!(
        "version:   {:?}: {named}; layout of {}",
        get("version").as_str().unwrap_or(""),
        get("layout").as_str().unwrap_or("")
    );
    outln!("target:    {}", get("target").as_str().unwrap_or(""));
    for key in ["shared_flags", "isa_flags"] {
        outln!("{key}:");
        for flag in get(key).as_array().into_iter().flatten() {
            outln!(
                "  {} = {}",
                flag["name"].as_str().unwrap_or(""),
                flag["value"]
            );
        }
    }
    outln!("tunables:");
    for (name, v) in get("tunables").as_object().into_iter().flatten() {
        match v.get("Table") {
            Some(_) => outln!("  {name} = Table(..) (see --format json)"),
            None => outln!("  {name} = {v}"),
        }
    }
    let features: Vec<String> = get("features")
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str().map(str::to_string))
        .collect();
    outln!(
        "features:  {} (bits {:#x})",
        features.join(" "),
        get("feature_bits").as_u64().unwrap_or(0)
    );
}
