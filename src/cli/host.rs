//! `cwasm-spec host`.

use super::host_args::{host_spec, HostSpec};
use super::{print_json, read, release};
use cwasm_spec::fleet::profile::{Build, Profile};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print a host's profile as TOML (the form `--host PROFILE.toml` reads),
/// every Tunables field and feature spelled out: of a built-in profile or
/// profile file (`HOST`), or of the engine that compiled a witness
/// (`--from WITNESS.cwasm`).
#[derive(clap::Args)]
pub struct Args {
    /// A built-in profile (`wasmtime-48.0.8`, `wasmtime-42/c-api`) or a
    /// profile file.
    #[arg(required_unless_present = "from", conflicts_with = "from")]
    host: Option<String>,
    /// A witness artifact (`-`: standard input).
    #[arg(long, value_name = "WITNESS")]
    from: Option<PathBuf>,
    /// The witness's release when its version string names none.
    #[arg(long)]
    wasmtime: Option<String>,
    /// The build to start from: `crates.io` (default) or `c-api`.
    #[arg(long)]
    build: Option<String>,
    /// The target of a built-in profile.
    #[arg(long)]
    target: Option<String>,
    /// `toml` (default) or `json`.
    #[arg(long, default_value = "toml")]
    format: String,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let build = args.build.as_deref().map(str::parse::<Build>).transpose()?;
    let (profile, notes) = match (&args.host, &args.from) {
        (_, Some(path)) => {
            let bytes = read(path)?;
            let asked = args.wasmtime.as_deref().map(release).transpose()?;
            Profile::of_witness(&bytes, asked, build.unwrap_or(Build::CratesIo))
                .map_err(|e| format!("{}: {e}", path.display()))?
        }
        (Some(text), None) => match host_spec(text)? {
            HostSpec::Profile(mut profile) => {
                if let Some(build) = build {
                    profile.build = build;
                }
                if let Some(target) = &args.target {
                    profile.target = target.clone();
                }
                profile.expanded()?
            }
            HostSpec::Witness(path) => {
                let bytes = read(&path)?;
                Profile::of_witness(&bytes, None, build.unwrap_or(Build::CratesIo))
                    .map_err(|e| format!("{}: {e}", path.display()))?
            }
        },
        (None, None) => return Err("give a host, or --from WITNESS".into()),
    };
    let provenance = profile.provenance()?;
    match args.format.as_str() {
        "toml" => {
            outln!("# defaults: {provenance}");
            for note in &notes {
                outln!("# {note}");
            }
            outln!("{}", profile.to_toml().trim_end());
        }
        "json" => print_json(&json!({
            "wasmtime": profile.release.to_string(),
            "build": profile.build.as_str(),
            "target": profile.target,
            "module_version": profile.module_version,
            "cpu": profile.cpu,
            "tunables": profile.tunables.iter().map(|(k, v)| (k.clone(), scalar_json(v))).collect::<serde_json::Map<_, _>>(),
            "features": profile.features,
            "defaults": provenance,
            "notes": notes,
        })),
        other => return Err(format!("unknown format `{other}`: toml or json")),
    }
    Ok(ExitCode::SUCCESS)
}

fn scalar_json(value: &cwasm_spec::fleet::profile::Scalar) -> serde_json::Value {
    use cwasm_spec::fleet::profile::Scalar;
    match value {
        Scalar::Bool(b) => json!(b),
        Scalar::Int(n) => json!(n),
        Scalar::Text(t) => json!(t),
        Scalar::Static(t) => json!(t),
        Scalar::Null => json!(null),
    }
}
