#![no_main]
//! A selector byte, then any bytes, checked against the selected layout's
//! default host (or one of its variants) as a module and as a component.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cwasm_spec::fuzzing::check_input(data, cwasm_spec_fuzz::hosts()));
