//! `cwasm-spec level`.

use super::{print_json, read, release, Format};
use cwasm_spec::fleet::cpus::{named_cpu, NamedCpu};
use cwasm_spec::fleet::level::{cpu_needs, leaked_above, CpuNeeds};
use cwasm_spec::inspect::read_record;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// The lowest CPU that can load ARTIFACT: the x86-64 level (or the features
/// beyond x86-64-v4), on aarch64 the features. With --max-level, exit 1 when
/// the artifact needs more than that CPU has.
#[derive(clap::Args)]
pub struct Args {
    /// The artifact (`-`: standard input).
    artifact: PathBuf,
    /// A named CPU (`x86-64-v2`, `neoverse-n1`, …) the artifact must fit.
    #[arg(long = "max-level", value_name = "CPU")]
    max_level: Option<String>,
    /// Layout to use when the version string names no release.
    #[arg(long)]
    wasmtime: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// The named CPU a `--max-level` names, for an artifact of `arch`.
pub fn max_level(name: &str, arch: &str) -> Result<&'static NamedCpu, String> {
    let cpu = named_cpu(name).ok_or_else(|| {
        let known: Vec<&str> = cwasm_spec::fleet::cpus::named_cpus()
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        format!(
            "unknown CPU `{name}` for --max-level; named CPUs: {}",
            known.join(", ")
        )
    })?;
    if cpu.arch != arch {
        return Err(format!(
            "--max-level {name} is an {} CPU, but the artifact is compiled for {arch}",
            cpu.arch
        ));
    }
    Ok(cpu)
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let bytes = read(&args.artifact)?;
    let fallback = args.wasmtime.as_deref().map(release).transpose()?;
    let record =
        read_record(&bytes, fallback).map_err(|e| format!("{}: {e}", args.artifact.display()))?;
    let needs = cpu_needs(&record.meta);
    let max = args
        .max_level
        .as_deref()
        .map(|name| max_level(name, &needs.arch))
        .transpose()?;
    let leaked = max.map(|m| leaked_above(&needs, m));
    match args.format {
        Format::Json => {
            let mut value = needs_json(&needs);
            if let (Some(max), Some(leaked)) = (max, &leaked) {
                value["max_level"] = json!(max.name);
                value["leaked"] = json!(leaked);
            }
            print_json(&value);
        }
        Format::Text => {
            outln!("{}", needs_text(&needs));
            if let (Some(max), Some(leaked)) = (max, &leaked) {
                if leaked.is_empty() {
                    outln!("fits {}", max.name);
                } else {
                    outln!("needs more than {}: {}", max.name, leaked.join(", "));
                }
            }
        }
    }
    Ok(match leaked {
        Some(l) if !l.is_empty() => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}

/// `needs` in JSON.
pub fn needs_json(needs: &CpuNeeds) -> serde_json::Value {
    json!({
        "arch": needs.arch,
        "features": needs.features,
        "level": needs.level.map(|l| l.name.as_str()),
        "beyond": needs.beyond,
        "cpus": needs.cpus.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
    })
}

/// One line: the level, or what lies beyond.
pub fn needs_text(needs: &CpuNeeds) -> String {
    let features = if needs.features.is_empty() {
        "no CPU features".to_string()
    } else {
        needs.features.join(", ")
    };
    match (needs.arch.as_str(), needs.level) {
        ("x86_64", Some(level)) => format!("{} (needs: {features})", level.name),
        ("x86_64", None) => format!(
            "beyond x86-64-v4: also {} (needs: {features})",
            needs.beyond.join(", ")
        ),
        (arch, _) => format!("{arch}: needs {features}"),
    }
}
