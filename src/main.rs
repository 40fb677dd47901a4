//! The `cwasm-spec` command line; each command lives in `src/cli/`.
//! Exit status: 0 yes (compatible, success), 1 no (incompatible, failures),
//! 2 bad usage or unreadable input.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

mod cli;

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

#[derive(Subcommand)]
enum Command {
    Detect(cli::detect::Args),
    Inspect(cli::inspect::Args),
    Check(cli::check::Args),
    Releases(cli::releases::Args),
    Diff(cli::diff::Args),
    Conformance(cli::conformance::Args),
    Level(cli::level::Args),
    Host(cli::host::Args),
    Key(cli::key::Args),
    Matrix(cli::matrix::Args),
    Explain(cli::explain::Args),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Detect(args) => cli::detect::run(args),
        Command::Inspect(args) => cli::inspect::run(args),
        Command::Check(args) => cli::check::run(args),
        Command::Releases(args) => cli::releases::run(args),
        Command::Diff(args) => cli::diff::run(args),
        Command::Conformance(args) => cli::conformance::run(args),
        Command::Level(args) => cli::level::run(args),
        Command::Host(args) => cli::host::run(args),
        Command::Key(args) => cli::key::run(args),
        Command::Matrix(args) => cli::matrix::run(args),
        Command::Explain(args) => cli::explain::run(args),
    };
    result.unwrap_or_else(|message| {
        eprintln!("cwasm-spec: {message}");
        ExitCode::from(2)
    })
}
