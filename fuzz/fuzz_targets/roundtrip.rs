#![no_main]
//! A selector byte, then a Metadata body of the selected layout: decode,
//! encode, decode.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cwasm_spec::fuzzing::roundtrip_input(data));
