//! `cwasm-spec conformance`: replays the golden corpus through the reference.

use cwasm_spec::corpus::Suite;
use cwasm_spec::Release;
use std::path::Path;
use std::process::ExitCode;

pub fn run(corpus: &Path, only: Option<Release>) -> Result<ExitCode, String> {
    let releases: Vec<Release> = match only {
        Some(r) => vec![r],
        None => Release::ALL.to_vec(),
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    for release in releases {
        let suite = Suite::load(corpus, release)?;
        for case in &suite.cases {
            let outcome = suite.run_reference(case);
            match outcome {
                Ok((got, _)) if got == case.expect => passed += 1,
                Ok((got, _)) => {
                    failed += 1;
                    outln!(
                        "FAIL {}\n  expected: {:?}\n  got:      {:?}",
                        case.id,
                        case.expect,
                        got
                    );
                }
                Err(e) => {
                    failed += 1;
                    outln!("ERROR {}: {e}", case.id);
                }
            }
        }
    }
    outln!("{passed} passed, {failed} failed, 0 expected failures, 0 skipped");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
