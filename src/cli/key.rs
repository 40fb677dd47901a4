//! `cwasm-spec key`.

use super::host_args::host_spec;
use super::{print_json, read, release, Format, KindArg};
use cwasm_spec::fleet::key::{artifact_key, host_key};
use cwasm_spec::host::ModuleVersion;
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Print the compatibility key of an artifact, or of a host (spec/fleet.md):
/// artifacts with the same key are interchangeable on every host, and a
/// host accepts an artifact with its own key when its CPU has the features
/// the artifact's ISA flags ask for.
#[derive(clap::Args)]
pub struct Args {
    /// The artifact (`-`: standard input).
    #[arg(required_unless_present = "host", conflicts_with = "host")]
    artifact: Option<PathBuf>,
    /// A host: a built-in profile (`wasmtime-48.0.8`), a profile file or a
    /// witness artifact.
    #[arg(long)]
    host: Option<String>,
    /// The kind of artifact the host's key is for.
    #[arg(long, value_enum, default_value_t = KindArg::Module)]
    kind: KindArg,
    /// The release: for an artifact whose version string names none, or
    /// for a witness host.
    #[arg(long)]
    wasmtime: Option<String>,
    /// The host's module-version strategy: `default`, `none` or `custom:TEXT`.
    #[arg(long = "module-version")]
    module_version: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let asked = args.wasmtime.as_deref().map(release).transpose()?;
    let (key, of) = match (&args.artifact, &args.host) {
        (Some(path), _) => {
            let bytes = read(path)?;
            let key =
                artifact_key(&bytes, asked).map_err(|e| format!("{}: {e}", path.display()))?;
            (key, path.display().to_string())
        }
        (None, Some(text)) => {
            let mut host = host_spec(text)?.host(None, None, &[], asked)?;
            if let Some(mv) = &args.module_version {
                host.module_version = mv.parse::<ModuleVersion>()?;
            }
            (host_key(&host, args.kind.into()), text.clone())
        }
        (None, None) => return Err("give an artifact or --host".into()),
    };
    match args.format {
        Format::Text => outln!("{key}"),
        Format::Json => print_json(&json!({"key": key, "of": of})),
    }
    Ok(ExitCode::SUCCESS)
}
