//! `cwasm-spec explain`.

use super::host_args::HostArgs;
use super::{print_json, read, Format, KindArg};
use cwasm_spec::fleet::explain::{explain, Side};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// Every mismatch between ARTIFACT and the host, in Wasmtime's check order,
/// each with both values, Wasmtime's message and the fix on either side.
/// Exit 0 when there is none, 1 otherwise.
#[derive(clap::Args)]
pub struct Args {
    /// The artifact (`-`: standard input).
    artifact: PathBuf,
    #[command(flatten)]
    host: HostArgs,
    #[arg(long, value_enum, default_value_t = KindArg::Module)]
    kind: KindArg,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

fn side(side: Side) -> &'static str {
    match side {
        Side::Artifact => "artifact",
        Side::Host => "host",
    }
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let host = args.host.host()?;
    let bytes = read(&args.artifact)?;
    let mismatches = explain(&bytes, args.kind.into(), &host);
    match args.format {
        Format::Json => print_json(&json!({
            "compatible": mismatches.is_empty(),
            "mismatches": mismatches.iter().map(|m| json!({
                "rule": m.rule,
                "phase": m.phase,
                "chain": m.chain,
                "subject": m.subject,
                "artifact": m.artifact,
                "host": m.host,
                "note": m.note,
                "fixes": m.fixes.iter().map(|f| json!({
                    "side": side(f.side),
                    "config": f.config,
                    "cli": f.cli,
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })),
        Format::Text => {
            if mismatches.is_empty() {
                outln!("compatible");
            }
            for (i, m) in mismatches.iter().enumerate() {
                outln!("{}. {} [{}, {} phase]", i + 1, m.subject, m.rule, m.phase);
                for (j, message) in m.chain.iter().enumerate() {
                    let lead = if j == 0 { "" } else { "caused by: " };
                    outln!("   {lead}{message}");
                }
                if !m.artifact.is_empty() || !m.host.is_empty() {
                    outln!("   artifact: {}   host: {}", m.artifact, m.host);
                }
                for f in &m.fixes {
                    let ways: Vec<&str> = [f.config.as_deref(), f.cli.as_deref()]
                        .into_iter()
                        .flatten()
                        .collect();
                    outln!("   fix the {}: {}", side(f.side), ways.join("  |  "));
                }
                if let Some(note) = &m.note {
                    outln!("   note: {note}");
                }
            }
        }
    }
    Ok(if mismatches.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
