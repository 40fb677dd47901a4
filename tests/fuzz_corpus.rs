//! Replays every committed fuzz corpus file (`fuzz/corpus/<target>/`)
//! through the same functions the fuzz targets call, on stable Rust.
//!
//! The `structured` corpus is read through `arbitrary`, which this crate
//! does not depend on; `fuzz/tests/structured_corpus.rs` replays it
//! (`cargo test --manifest-path fuzz/Cargo.toml`). Its body,
//! `check_structured`, runs here on every default host's own `Metadata` and
//! on the `roundtrip` corpus.

use cwasm_spec::fuzzing::{
    check_input, check_structured, decode_bytes, layout_hosts, layout_index, layouts,
    roundtrip_input, selector, Defaults, LayoutHost,
};
use cwasm_spec::metadata::Metadata;
use cwasm_spec::{Kind, Release};
use std::path::Path;
use std::sync::OnceLock;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files(target: &str) -> Vec<Vec<u8>> {
    let dir = root().join("fuzz/corpus").join(target);
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no corpus for {target}");
    out
}

/// Each major's official default module and component, as the `check` and
/// `structured` targets embed them.
fn defaults() -> &'static [Defaults<'static>] {
    static DEFAULTS: OnceLock<Vec<Defaults<'static>>> = OnceLock::new();
    DEFAULTS.get_or_init(|| {
        let read = |major: u32, name: &str| {
            let path = root().join(format!(
                "conformance/v{major}/official/artifacts/{name}.cwasm"
            ));
            let bytes = std::fs::read(path).ok()?;
            Some(&*Box::leak(bytes.into_boxed_slice()))
        };
        (24..=50)
            .filter_map(|major| {
                Some(Defaults {
                    major,
                    module: read(major, "default")?,
                    component: read(major, "component-default"),
                })
            })
            .collect()
    })
}

fn hosts() -> &'static [LayoutHost<'static>] {
    static HOSTS: OnceLock<Vec<LayoutHost<'static>>> = OnceLock::new();
    HOSTS.get_or_init(|| layout_hosts(defaults()))
}

/// Every layout has a default host but 26's: no artifact of 26 exists, and
/// neither 25's nor 27's `Metadata` decodes with its layout.
#[test]
fn every_layout_but_26_has_a_host() {
    for entry in hosts() {
        assert!(
            entry.host().is_some() || entry.release.major() == 26,
            "{}",
            entry.release
        );
    }
    assert_eq!(hosts().len(), layouts().len());
    for d in defaults() {
        let release = Release::from_major(d.major).unwrap();
        let entry = &hosts()[usize::from(selector(release))];
        assert_eq!(entry.release.layout(), release.layout());
    }
}

#[test]
fn check_corpus() {
    for bytes in files("check") {
        check_input(&bytes, hosts());
    }
}

#[test]
fn decode_corpus() {
    for bytes in files("decode") {
        decode_bytes(&bytes);
    }
}

#[test]
fn roundtrip_corpus() {
    for bytes in files("roundtrip") {
        roundtrip_input(&bytes);
    }
}

/// Every default host's own `Metadata`, and every roundtrip corpus body
/// that decodes with its layout, through the `structured` target's body.
#[test]
fn structured_on_default_and_roundtrip_bodies() {
    let bodies = files("roundtrip");
    for entry in hosts() {
        let Some(host) = entry.host() else { continue };
        let version = entry.release.version_string();
        for kind in [Kind::Module, Kind::Component] {
            let own = check_structured(&host.metadata(), version, kind, entry);
            let expected = entry.artifact(kind).map(|_| Ok(()));
            assert_eq!(own, expected, "{} {kind:?}", entry.release);
            for input in &bodies {
                let Some((&s, body)) = input.split_first() else {
                    continue;
                };
                if layout_index(s) != usize::from(selector(entry.release)) {
                    continue;
                }
                if let Ok(meta) = Metadata::decode(body, entry.release) {
                    check_structured(&meta, version, kind, entry);
                }
            }
        }
    }
}
