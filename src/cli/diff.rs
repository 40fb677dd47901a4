//! `cwasm-spec diff`.

use super::{print_json, read, release, Format};
use cwasm_spec::diff::{diff_artifacts, diff_releases, render_text};
use serde_json::json;
use std::path::PathBuf;
use std::process::ExitCode;

/// What changed between two releases (`--releases 36.0.20 48.0.8`), or
/// between two artifacts, field by field (`A.cwasm B.cwasm`).
#[derive(clap::Args)]
pub struct Args {
    /// Two releases: majors (`42`) or versions (`36.0.5`).
    #[arg(long, num_args = 2, value_names = ["A", "B"], conflicts_with = "artifacts")]
    releases: Option<Vec<String>>,
    /// Two artifacts.
    #[arg(num_args = 2, value_names = ["A.cwasm", "B.cwasm"], required_unless_present = "releases")]
    artifacts: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let (header, changes) = match args.releases.as_deref() {
        Some([a, b]) => {
            let (a, b) = (release(a)?, release(b)?);
            (
                json!({"from": a.to_string(), "to": b.to_string()}),
                diff_releases(a, b),
            )
        }
        _ => {
            let [a, b] = args.artifacts.as_slice() else {
                return Err("diff takes --releases A B, or two artifacts".into());
            };
            let changes = diff_artifacts(&read(a)?, &read(b)?)
                .map_err(|e| format!("{} / {}: {e}", a.display(), b.display()))?;
            (
                json!({"from": a.display().to_string(), "to": b.display().to_string()}),
                changes,
            )
        }
    };
    match args.format {
        Format::Json => {
            let mut value = header;
            value["changes"] = json!(changes);
            print_json(&value);
        }
        Format::Text => {
            outln!(
                "{} -> {}",
                header["from"].as_str().unwrap_or(""),
                header["to"].as_str().unwrap_or("")
            );
            outln!("{}", render_text(&changes).trim_end());
        }
    }
    Ok(ExitCode::SUCCESS)
}
