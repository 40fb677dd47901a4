#![no_main]
//! Arbitrary bytes as an engine section, a Metadata body and an artifact.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| cwasm_spec::fuzzing::decode_bytes(data));
