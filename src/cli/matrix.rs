//! `cwasm-spec matrix`.

use super::host_args::{host_spec, set_cpu};
use super::{print_json, read, KindArg};
use cwasm_spec::fleet::matrix::{FleetHost, Matrix};
use cwasm_spec::host::Host;
use cwasm_spec::Kind;
use serde::Deserialize;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum MatrixFormat {
    Text,
    Json,
    Csv,
}

/// Check every artifact on every host: one row per artifact, one column per
/// host, each cell ✓ or the first failing rule. Exit 1 when a cell fails,
/// unless --report-only.
#[derive(clap::Args)]
pub struct Args {
    /// The artifacts (their kind is detected).
    #[arg(required = true)]
    artifacts: Vec<PathBuf>,
    /// A host: a built-in profile (`wasmtime-48.0.8`), a profile file or a
    /// witness artifact; repeatable.
    #[arg(long = "host", required_unless_present = "fleet")]
    hosts: Vec<String>,
    /// The CPU of every --host (default: this machine's).
    #[arg(long = "cpu")]
    cpu: Option<String>,
    /// A fleet file (TOML): `[[host]]` tables with `host`, and optionally
    /// `name`, `cpu`, `count`, `build`, `target`.
    #[arg(long, conflicts_with = "hosts")]
    fleet: Option<PathBuf>,
    /// Load every artifact as this kind instead of the detected one.
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// Exit 0 even when a cell fails.
    #[arg(long = "report-only")]
    report_only: bool,
    #[arg(long, value_enum, default_value_t = MatrixFormat::Text)]
    format: MatrixFormat,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FleetFile {
    host: Vec<FleetEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FleetEntry {
    host: String,
    name: Option<String>,
    cpu: Option<String>,
    count: Option<u64>,
    build: Option<String>,
    target: Option<String>,
}

/// A host from its description; paths are relative to `base`.
fn make_host(
    text: &str,
    base: &Path,
    cpu: Option<&str>,
    build: Option<&str>,
    target: Option<&str>,
) -> Result<Host, String> {
    let relative = base.join(text);
    let resolved = if Path::new(text).is_relative() && relative.exists() {
        relative.display().to_string()
    } else {
        text.to_string()
    };
    let mut host = host_spec(&resolved)?.host(build, target, &[], None)?;
    if let Some(cpu) = cpu {
        set_cpu(&mut host, cpu)?;
    }
    Ok(host)
}

fn hosts(args: &Args) -> Result<Vec<FleetHost>, String> {
    match &args.fleet {
        Some(path) => {
            let text = String::from_utf8(read(path)?)
                .map_err(|_| format!("{}: not UTF-8", path.display()))?;
            let file: FleetFile =
                toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
            let base = path.parent().unwrap_or(Path::new("."));
            file.host
                .iter()
                .map(|e| {
                    let host = make_host(
                        &e.host,
                        base,
                        e.cpu.as_deref(),
                        e.build.as_deref(),
                        e.target.as_deref(),
                    )
                    .map_err(|m| format!("{}: host {}: {m}", path.display(), e.host))?;
                    let name = e.name.clone().unwrap_or_else(|| match &e.cpu {
                        Some(cpu) => format!("{} {cpu}", e.host),
                        None => e.host.clone(),
                    });
                    Ok(FleetHost {
                        name,
                        host,
                        count: e.count.unwrap_or(1),
                    })
                })
                .collect()
        }
        None => args
            .hosts
            .iter()
            .map(|text| {
                let host = make_host(text, Path::new("."), args.cpu.as_deref(), None, None)?;
                Ok(FleetHost {
                    name: text.clone(),
                    host,
                    count: 1,
                })
            })
            .collect(),
    }
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let hosts = hosts(&args)?;
    let mut files = Vec::new();
    for path in &args.artifacts {
        let bytes = read(path)?;
        let kind = match args.kind {
            Some(kind) => kind.into(),
            None => cwasm_spec::detect(&bytes, cwasm_spec::Release::V48)
                .map_or(Kind::Module, |p| p.kind),
        };
        files.push((bytes, kind));
    }
    let inputs: Vec<(&[u8], Kind)> = files.iter().map(|(b, k)| (b.as_slice(), *k)).collect();
    let matrix = Matrix::build(&inputs, &hosts);
    let loadable = matrix.loadable_counts(&hosts);
    let total: u64 = hosts.iter().map(|h| h.count).sum();
    let names: Vec<String> = args
        .artifacts
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let cell = |c: &Result<(), cwasm_spec::Rejection>| match c {
        Ok(()) => "✓".to_string(),
        Err(r) => r.rule().to_string(),
    };
    match args.format {
        MatrixFormat::Json => print_json(&json!({
            "hosts": hosts.iter().map(|h| json!({"name": h.name, "count": h.count})).collect::<Vec<_>>(),
            "artifacts": names.iter().zip(&matrix.cells).zip(&loadable).map(|((name, row), n)| json!({
                "artifact": name,
                "loadable_on": n,
                "of": total,
                "cells": row.iter().map(|c| match c {
                    Ok(()) => json!({"compatible": true}),
                    Err(r) => json!({"compatible": false, "rule": r.rule(), "chain": r.chain()}),
                }).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })),
        MatrixFormat::Csv => {
            let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            let header: Vec<String> = std::iter::once("artifact".to_string())
                .chain(hosts.iter().map(|h| quote(&h.name)))
                .chain(["loadable_on".to_string(), "of".to_string()])
                .collect();
            outln!("{}", header.join(","));
            for ((name, row), n) in names.iter().zip(&matrix.cells).zip(&loadable) {
                let cells: Vec<String> = row
                    .iter()
                    .map(|c| match c {
                        Ok(()) => "ok".to_string(),
                        Err(r) => r.rule().to_string(),
                    })
                    .collect();
                outln!("{},{},{n},{total}", quote(name), cells.join(","));
            }
        }
        MatrixFormat::Text => {
            for (i, h) in hosts.iter().enumerate() {
                outln!("H{}: {} (×{})", i + 1, h.name, h.count);
            }
            for ((name, row), n) in names.iter().zip(&matrix.cells).zip(&loadable) {
                let cells: Vec<String> = row
                    .iter()
                    .enumerate()
                    .map(|(i, c)| format!("H{} {}", i + 1, cell(c)))
                    .collect();
                outln!("{name}: loads on {n} of {total}");
                outln!("  {}", cells.join("  "));
            }
        }
    }
    Ok(if matrix.all_accepted() || args.report_only {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
