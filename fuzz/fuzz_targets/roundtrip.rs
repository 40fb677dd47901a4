#![no_main]
//! Decode, encode, decode.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cwasm_spec::fuzzing::roundtrip_bytes(data));
