//! The commands of `cwasm-spec`, one file each, over library calls.
//! Exit status everywhere: 0 yes (compatible, success), 1 no (incompatible,
//! failures), 2 bad usage or unreadable input.

use clap::ValueEnum;
use cwasm_spec::{Kind, Release};
use std::path::Path;

/// `println!` that ignores a closed stdout (e.g. piped into `head`)
/// instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

pub mod check;
pub mod conformance;
pub mod detect;
pub mod diff;
pub mod explain;
pub mod host;
pub mod host_args;
pub mod inspect;
pub mod key;
pub mod level;
pub mod matrix;
pub mod releases;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    Module,
    Component,
}

impl From<KindArg> for Kind {
    fn from(kind: KindArg) -> Kind {
        match kind {
            KindArg::Module => Kind::Module,
            KindArg::Component => Kind::Component,
        }
    }
}

/// A release as the user names it: a major (`42`) or a version (`36.0.5`).
pub fn release(text: &str) -> Result<Release, String> {
    Release::parse(text).ok_or_else(|| {
        format!(
            "unsupported Wasmtime release `{text}`: give a major from 24 to 50 or a release \
             such as 36.0.5 (`cwasm-spec releases` lists them)"
        )
    })
}

/// Reads an input file whole; `-` is standard input. Only regular files
/// are read: a directory, a FIFO or a device gets a clear message instead
/// of a hang.
pub fn read(path: &Path) -> Result<Vec<u8>, String> {
    if path == Path::new("-") {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
            .map_err(|e| format!("standard input: {e}"))?;
        return Ok(bytes);
    }
    regular_file(path)?;
    std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Only regular files are inputs.
pub fn regular_file(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if meta.is_dir() {
        return Err(format!("{shown}: is a directory"));
    }
    if !meta.is_file() {
        return Err(format!("{shown}: not a regular file"));
    }
    Ok(())
}

/// Pretty JSON on standard output.
pub fn print_json(value: &serde_json::Value) {
    outln!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}
