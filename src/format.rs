//! Raw layout constants of a Wasmtime `.cwasm` artifact: this crate's `elf.h`.
//!
//! Everything here is a fact read from `wasmtime-environ`'s `obj.rs` and
//! `wasmtime`'s `engine/serialization.rs`; decoding, encoding and checking
//! live in their own modules.

/// `e_ident[EI_OSABI]` that Wasmtime writes into every artifact.
pub const ELFOSABI_WASMTIME: u8 = 200;
/// `e_flags` bit: the artifact is a core wasm module.
pub const EF_WASMTIME_MODULE: u32 = 1 << 0;
/// `e_flags` bit: the artifact is a component.
pub const EF_WASMTIME_COMPONENT: u32 = 1 << 1;
/// `e_flags` bit: the code is Pulley bytecode for 32-bit hosts.
pub const EF_WASMTIME_PULLEY32: u32 = 1 << 2;
/// `e_flags` bit: the code is Pulley bytecode for 64-bit hosts.
pub const EF_WASMTIME_PULLEY64: u32 = 1 << 3;

/// Name of the section that carries the compatibility record.
pub const ENGINE_SECTION: &str = ".wasmtime.engine";
/// First byte of the engine section.
pub const ENGINE_SECTION_VERSION: u8 = 0;
/// The version string's length is one byte.
pub const MAX_VERSION_STRING_LEN: usize = 255;
