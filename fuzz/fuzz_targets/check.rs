#![no_main]
//! Arbitrary bytes checked against each release's default host.

use cwasm_spec::fuzzing::{check_bytes, hosts};
use cwasm_spec::host::Host;
use cwasm_spec::Release;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static HOSTS: OnceLock<Vec<Host>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let hosts = HOSTS.get_or_init(|| {
        hosts(&[
            (Release::V36, include_bytes!("../../conformance/v36/hosts/default.cwasm")),
            (Release::V48, include_bytes!("../../conformance/v48/hosts/default.cwasm")),
        ])
    });
    check_bytes(data, hosts);
});
