//! `cwasm-spec inspect`.

use super::{print_json, read, release, Format};
use cwasm_spec::inspect::inspect;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print an artifact's kind, version string and decoded Metadata.
#[derive(clap::Args)]
pub struct Args {
    /// The artifact (`-`: standard input).
    artifact: PathBuf,
    /// Layout to use when the version string names no release: a major
    /// (`42`) or a version (`36.0.5`).
    #[arg(long)]
    wasmtime: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let bytes = read(&args.artifact)?;
    let fallback = args.wasmtime.as_deref().map(release).transpose()?;
    let value =
        inspect(&bytes, fallback).map_err(|e| format!("{}: {e}", args.artifact.display()))?;
    match args.format {
        Format::Json => print_json(&value),
        Format::Text => print_inspect_text(&value),
    }
    Ok(ExitCode::SUCCESS)
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
