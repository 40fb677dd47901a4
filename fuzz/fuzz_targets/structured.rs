#![no_main]
//! An arbitrary `Metadata` of one layout, placed into that layout's default
//! artifact and checked against its default host.

use cwasm_spec_fuzz::{structured, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: Input<'_>| {
    structured(&input);
});
