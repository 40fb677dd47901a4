//! Prints, as one line of `spec/profiles/recorded.json`, the engine section
//! that a default `Config` of one crates.io Wasmtime release (its default
//! cargo features) writes for `x86_64-unknown-linux-gnu`:
//!
//! ```sh
//! cd oracle/profile-recorder
//! CARGO_TARGET_DIR=../../target cargo run --release --features v44
//! CARGO_TARGET_DIR=../../target cargo run --release --features v50 --ignore-rust-version
//! ```
//!
//! One `vNN` feature at a time.

use base64::Engine as _;
use object::{Object, ObjectSection};

#[cfg(feature = "v44")]
use wasmtime44 as wasmtime;
#[cfg(feature = "v50")]
use wasmtime50 as wasmtime;

#[cfg(feature = "v44")]
const RELEASE: &str = "44.0.3";
#[cfg(feature = "v50")]
const RELEASE: &str = "50.0.1";

const TARGET: &str = "x86_64-unknown-linux-gnu";

fn main() {
    let mut config = wasmtime::Config::new();
    config.target(TARGET).expect("target");
    let engine = wasmtime::Engine::new(&config).expect("engine");
    let artifact = engine.precompile_module(b"(module)").expect("compile");
    let file = object::File::parse(&*artifact).expect("ELF");
    let section = file
        .section_by_name(".wasmtime.engine")
        .and_then(|s| s.data().ok())
        .expect("engine section");
    let major: u32 = RELEASE.split('.').next().unwrap().parse().unwrap();
    let line = serde_json::json!({
        "build": "crates.io",
        "release": RELEASE,
        "major": major,
        "target": TARGET,
        "kind": "module",
        "triple": TARGET,
        "engine_section": base64::engine::general_purpose::STANDARD.encode(section),
        "provenance": format!("crates.io wasmtime {RELEASE} (default features; oracle/profile-recorder)"),
    });
    println!("{line}");
}
