//! `cwasm-spec check`.

use super::host_args::HostArgs;
use super::{regular_file, KindArg};
use clap::ValueEnum;
use cwasm_spec::{Phase, Rejection};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Clone, Copy, ValueEnum)]
enum PhaseArg {
    Compatibility,
    Load,
    ModuleInfo,
}

/// Would the host accept ARTIFACT? Exit 0 yes, 1 no.
#[derive(clap::Args)]
pub struct Args {
    /// The artifact (`-`: standard input).
    artifact: PathBuf,
    #[command(flatten)]
    host: HostArgs,
    #[arg(long, value_enum, default_value_t = KindArg::Module)]
    kind: KindArg,
    /// Stop after this phase: `compatibility` (the format's own check),
    /// `load` (also loading's section walk) or `module-info` (also the
    /// `.wasmtime.info` decode: the full verdict).
    #[arg(long, value_enum, default_value_t = PhaseArg::ModuleInfo)]
    phase: PhaseArg,
    #[arg(long, value_enum, default_value_t = super::Format::Text)]
    format: super::Format,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    // The artifact is read by range (`-` is standard input, read whole).
    let stdin = args.artifact == Path::new("-");
    if !stdin {
        regular_file(&args.artifact)?;
    }
    let host = args.host.host()?;
    let kind = args.kind.into();
    let until = match args.phase {
        PhaseArg::Compatibility => Phase::Compatibility,
        PhaseArg::Load => Phase::Load,
        PhaseArg::ModuleInfo => Phase::ModuleInfo,
    };
    let verdict = if stdin {
        let bytes = super::read(&args.artifact)?;
        cwasm_spec::check::check_until(&bytes, kind, &host, until)
    } else {
        cwasm_spec::file::check_file_until(&args.artifact, kind, &host, until)
            .map_err(|e| format!("{}: {e}", args.artifact.display()))?
    };
    print_verdict(args.format, &verdict);
    Ok(if verdict.is_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A verdict as `check` prints it.
pub fn print_verdict(format: super::Format, verdict: &Result<(), Rejection>) {
    match (format, verdict) {
        (super::Format::Json, Ok(())) => outln!("{}", json!({"compatible": true})),
        (super::Format::Json, Err(r)) => outln!(
            "{}",
            json!({"compatible": false, "chain": r.chain(), "rule": r.rule(), "phase": r.phase().as_str()})
        ),
        (super::Format::Text, Ok(())) => outln!("compatible"),
        (super::Format::Text, Err(r)) => {
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
}
