//! `cwasm-spec detect`.

use super::{read, release};
use std::path::PathBuf;
use std::process::ExitCode;

/// Print `module`, `component` or `none`, as `Engine::detect_precompiled` would.
#[derive(clap::Args)]
pub struct Args {
    /// The file (`-`: standard input).
    file: PathBuf,
    /// Release whose ELF reader to use: a major (`48`) or a version (`36.0.5`).
    #[arg(long, default_value = "48")]
    wasmtime: String,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let bytes = read(&args.file)?;
    let found = cwasm_spec::detect(&bytes, release(&args.wasmtime)?);
    outln!("{}", found.map_or("none", |p| p.kind.as_str()));
    Ok(ExitCode::SUCCESS)
}
