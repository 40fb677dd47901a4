//! `cwasm-spec conformance`: certifies the reference, or another
//! implementation, against the golden corpus.

use cwasm_spec::runner::{self, ExternalTestee, Level, ReferenceTestee, Testee};
use cwasm_spec::spec;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[derive(Clone, Copy, clap::ValueEnum)]
enum LevelArg {
    Required,
    Recommended,
}

/// Certify the reference, or another implementation, against the golden corpus.
#[derive(clap::Args)]
pub struct Args {
    /// Only the cases of hosts of this major (`42`) or release (`36.0.5`).
    #[arg(long = "wasmtime")]
    only: Option<String>,
    /// Run this command as the testee (see conformance/PROTOCOL.md)
    /// instead of the built-in reference.
    #[arg(long = "impl", value_name = "CMD ARGS")]
    implementation: Option<String>,
    /// Cases expected to fail: one ID per line, optionally followed by a message prefix.
    #[arg(long = "expected-failures", value_name = "FILE")]
    expected_failures: Option<PathBuf>,
    /// required: the verdict must match; recommended: the whole chain too.
    #[arg(long, value_enum, default_value_t = LevelArg::Recommended)]
    level: LevelArg,
    /// Write a JUnit XML report.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Write a JSON report.
    #[arg(long, value_name = "FILE")]
    json: Option<PathBuf>,
    /// Rewrite the expected-failures file with the current failures.
    #[arg(long = "update-expected-failures")]
    update_expected_failures: bool,
    /// List every spec rule with its accepting and rejecting cases.
    #[arg(long)]
    coverage: bool,
    /// Seconds a testee may take to answer one case; three cases in a
    /// row without an answer stop the run.
    #[arg(long = "timeout", default_value_t = 10)]
    timeout_secs: u64,
    /// Seconds the whole run may take.
    #[arg(long = "max-time")]
    max_time_secs: Option<u64>,
    /// The corpus directory.
    #[arg(long, default_value = "conformance")]
    corpus: PathBuf,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    if let Some(text) = &args.only {
        super::release(text)?;
    }
    if args.coverage {
        return print_coverage(&args);
    }
    let expected = match &args.expected_failures {
        Some(path) if path.exists() || !args.update_expected_failures => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            runner::parse_expected_failures(&text)
        }
        _ => Vec::new(),
    };
    if args.update_expected_failures && args.expected_failures.is_none() {
        return Err("--update-expected-failures needs --expected-failures FILE".into());
    }
    let mut testee: Box<dyn Testee> = match &args.implementation {
        Some(command) => Box::new(ExternalTestee::new(
            command,
            Duration::from_secs(args.timeout_secs),
        )),
        None => Box::new(ReferenceTestee),
    };
    let show_progress = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
    let mut progress = |done: usize, total: usize| {
        if show_progress && (done % 25 == 0 || done == total) {
            let width = 40;
            let filled = done * width / total.max(1);
            eprint!(
                "\r[{}{}] {done}/{total}",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            if done == total {
                eprintln!();
            }
        }
    };
    let options = runner::Options {
        only: args.only.clone(),
        level: match args.level {
            LevelArg::Required => Level::Required,
            LevelArg::Recommended => Level::Recommended,
        },
        expected,
        max_time: args.max_time_secs.map(Duration::from_secs),
    };
    let mut report = runner::run(&args.corpus, testee.as_mut(), &options, &mut progress)?;
    // The reference also answers for `detect_precompiled`.
    if args.implementation.is_none() {
        let detect = runner::detect_cases(&args.corpus, args.only.as_deref())?;
        for (id, outcome) in &detect {
            if let runner::Outcome::Failed(message) = outcome {
                report.failures.push((id.clone(), message.clone()));
            }
        }
        report.cases.extend(detect);
    }
    for (id, outcome) in &report.cases {
        if let runner::Outcome::Failed(message) = outcome {
            outln!("FAILED {id}: {message}");
        }
    }
    for id in &report.stale {
        outln!("FAILED {id}: expected-failures entry names no case");
    }
    if let Some(path) = &args.junit {
        std::fs::write(path, runner::junit(&report))
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&runner::json(&report)).unwrap_or_default();
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if args.update_expected_failures {
        if let Some(path) = &args.expected_failures {
            std::fs::write(path, runner::expected_failures_file(&report))
                .map_err(|e| format!("{}: {e}", path.display()))?;
            outln!(
                "wrote {} entries to {}",
                report.failures.len(),
                path.display()
            );
        }
    }
    if let Some(why) = &report.aborted {
        outln!("STOPPED: {why}");
    }
    if report.in_scope() == 0 && report.aborted.is_none() {
        outln!("FAILED: no case is inside the declared scope; nothing was certified");
    }
    for line in report.certificate() {
        outln!("{line}");
    }
    outln!("{}", report.summary());
    Ok(
        if report.ok() || (args.update_expected_failures && report.aborted.is_none()) {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}

fn print_coverage(args: &Args) -> Result<ExitCode, String> {
    let coverage = spec::coverage(&args.corpus, args.only.as_deref())?;
    let mut complete = true;
    outln!("{:<48} {:>9} {:>9}", "rule", "accepting", "rejecting");
    for (rule, (accepting, rejecting)) in &coverage {
        let known = spec::KNOWN_INCOMPLETE.iter().find(|(r, _)| r == rule);
        let mark = match (accepting.is_empty() || rejecting.is_empty(), known) {
            (false, _) => String::new(),
            (true, Some((_, why))) => format!("  (known: {why})"),
            (true, None) => {
                complete = false;
                "  <- incomplete".to_string()
            }
        };
        outln!(
            "{rule:<48} {:>9} {:>9}{mark}",
            accepting.len(),
            rejecting.len()
        );
    }
    Ok(if complete {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
