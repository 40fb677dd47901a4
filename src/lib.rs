//! `cwasm-spec`: an executable reference for the compatibility record that
//! Wasmtime writes into every precompiled `.cwasm` artifact.
//!
//! Given an artifact's bytes and a description of a host, [`check()`] says
//! whether that host's Wasmtime would accept it, and if not, returns the
//! exact error chain Wasmtime would print, with the ID of the rule in
//! `spec/` that fired.
//!
//! ```no_run
//! use cwasm_spec::{check, host::Host, Kind};
//! let witness = std::fs::read("host.cwasm").unwrap();
//! let artifact = std::fs::read("app.cwasm").unwrap();
//! let host = Host::from_witness(&witness, None).unwrap();
//! match check(&artifact, Kind::Module, &host) {
//!     Ok(()) => println!("compatible"),
//!     Err(r) => println!("{} ({})", r.chain().join(": "), r.rule()),
//! }
//! ```
#![forbid(unsafe_code)]

pub mod check;
pub mod corpus;
pub mod detect;
pub mod diff;
mod elf_fast;
pub mod error;
pub mod file;
pub mod fleet;
pub mod format;
pub mod framing;
pub mod fuzzing;
pub mod history;
pub mod host;
pub mod info;
pub mod info_diff;
pub mod inspect;
pub mod load;
pub mod metadata;
pub mod protocol;
pub mod reader;
pub mod runner;
pub mod spec;

pub use check::check;
pub use detect::{detect, Kind, Precompiled};
pub use error::{Phase, Rejection};
pub use history::Release;
