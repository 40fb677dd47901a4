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
    /// Also require that the artifact needs no CPU feature beyond this
    /// named CPU (`x86-64-v2`, …): exit 1 naming the leaked features.
    #[arg(long = "max-level", value_name = "CPU")]
    max_level: Option<String>,
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
    let leaked = match &args.max_level {
        Some(name) => Some(leaked_features(&args.artifact, name)?),
        None => None,
    };
    match (&leaked, args.format) {
        (Some(leaked), super::Format::Json) => {
            let mut value = verdict_json(&verdict);
            value["max_level"] = json!(args.max_level);
            value["leaked"] = json!(leaked);
            outln!("{value}");
        }
        (Some(leaked), super::Format::Text) => {
            print_verdict(args.format, &verdict);
            if !leaked.is_empty() {
                outln!(
                    "needs more than {}: {}",
                    args.max_level.as_deref().unwrap_or(""),
                    leaked.join(", ")
                );
            }
        }
        (None, _) => print_verdict(args.format, &verdict),
    }
    let fits = leaked.is_none_or(|l| l.is_empty());
    Ok(if verdict.is_ok() && fits {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The features the artifact at `path` needs beyond the named CPU `max`.
fn leaked_features(path: &Path, max: &str) -> Result<Vec<String>, String> {
    use cwasm_spec::fleet::level::{cpu_needs, leaked_above};
    let bytes = super::read(path)?;
    let record = cwasm_spec::inspect::read_record(&bytes, None)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let needs = cpu_needs(&record.meta);
    let max = super::level::max_level(max, &needs.arch)?;
    Ok(leaked_above(&needs, max)
        .into_iter()
        .map(str::to_string)
        .collect())
}

/// A verdict in `check`'s JSON.
pub fn verdict_json(verdict: &Result<(), Rejection>) -> serde_json::Value {
    match verdict {
        Ok(()) => json!({"compatible": true}),
        Err(r) => {
            json!({"compatible": false, "chain": r.chain(), "rule": r.rule(), "phase": r.phase().as_str()})
        }
    }
}

/// A verdict as `check` prints it.
pub fn print_verdict(format: super::Format, verdict: &Result<(), Rejection>) {
    match (format, verdict) {
        (super::Format::Json, _) => outln!("{}", verdict_json(verdict)),
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
