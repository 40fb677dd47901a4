//! `cwasm-spec conformance`: certifies the reference, or another
//! implementation, against the golden corpus.

use cwasm_spec::runner::{self, ExternalTestee, Level, ReferenceTestee, Testee};
use cwasm_spec::spec;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

pub struct Args {
    pub corpus: PathBuf,
    /// Only the cases of this major or release.
    pub only: Option<String>,
    pub implementation: Option<String>,
    pub expected_failures: Option<PathBuf>,
    pub level: Level,
    pub junit: Option<PathBuf>,
    pub json: Option<PathBuf>,
    pub update_expected_failures: bool,
    pub coverage: bool,
    pub timeout: Duration,
    pub max_time: Option<Duration>,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
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
        Some(command) => Box::new(ExternalTestee::new(command, args.timeout)),
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
        level: args.level,
        expected,
        max_time: args.max_time,
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
