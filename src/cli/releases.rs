//! `cwasm-spec releases`.

use super::{print_json, Format};
use cwasm_spec::Release;
use serde_json::json;
use std::process::ExitCode;

/// List every supported release with its version string and layout.
#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: Args) -> Result<ExitCode, String> {
    let rows: Vec<serde_json::Value> = Release::all()
        .map(|r| {
            json!({
                "release": r.to_string(),
                "major": r.major(),
                "version_string": r.version_string(),
                "layout": r.layout_origin().to_string(),
            })
        })
        .collect();
    match args.format {
        Format::Json => print_json(&json!(rows)),
        Format::Text => {
            outln!(
                "{:<9} {:>5}  {:<14} layout",
                "release",
                "major",
                "version string"
            );
            for r in &rows {
                outln!(
                    "{:<9} {:>5}  {:<14} {}",
                    r["release"].as_str().unwrap_or(""),
                    r["major"],
                    r["version_string"].as_str().unwrap_or(""),
                    r["layout"].as_str().unwrap_or("")
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
