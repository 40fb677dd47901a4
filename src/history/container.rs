//! The container and the version string: how each release reads the ELF
//! file, what loading demands of its sections, and the version rule.
//! Spec 2, 3 and 3.2.

use super::layout::{ElfReader, ElfRules, LoadRules, NameQuote, VersionForm};
use super::{majors, row, since, Row};

pub static VERSION_FORM: &[Row<VersionForm>] = &[
    row(majors(24, 37), VersionForm::Full),
    row(since(38), VersionForm::Major),
];

/// From 42 the default and custom strategies share one comparison and one
/// message.
pub static DEFAULT_VERSION_MESSAGE: &[Row<&str>] = &[
    row(
        majors(24, 41),
        "Module was compiled with incompatible Wasmtime version '{}'",
    ),
    row(
        since(42),
        "Module was compiled with incompatible version '{}'",
    ),
];

const fn elf(reader: ElfReader, native_endian_only: bool, exact_kind: bool) -> ElfRules {
    ElfRules {
        reader,
        native_endian_only,
        exact_kind,
    }
}

pub static ELF: &[Row<ElfRules>] = &[
    row(majors(24, 27), elf(ElfReader::Full036, true, true)),
    row(majors(28, 31), elf(ElfReader::Full036, false, true)),
    row(majors(32, 35), elf(ElfReader::Full036, false, false)),
    row(majors(36, 42), elf(ElfReader::Full037, false, false)),
    row(since(43), elf(ElfReader::HeaderOnly, false, false)),
];

#[rustfmt::skip]
pub static LOAD: &[Row<LoadRules>] = &[
    row(majors(24, 42), LoadRules { known_sections: None, known_prefixes: &[], quote: NameQuote::Backticks }),
    row(since(43), LoadRules {
        known_sections: Some(&[
            ".text", ".rodata.wasm", ".wasmtime.addrmap", ".wasmtime.stackmap",
            ".wasmtime.traps", ".wasmtime.exceptions", ".wasmtime.frames", ".name.wasm",
            ".wasmtime.info", ".wasmtime.dwarf", ".wasmtime.wasm_bytecode",
            ".wasmtime.wasm_bytecode_ends", "", ".symtab", ".strtab", ".shstrtab", ".xdata",
            ".wasmtime.engine",
        ]),
        known_prefixes: &[".debug_", ".rela.debug_"],
        quote: NameQuote::Debug,
    }),
];
