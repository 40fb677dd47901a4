//! `cwasm-oracle profiles OUT_FILE`: the `.wasmtime.engine` section that the
//! default `Config` of each crates.io release this oracle links (36.0.20 and
//! 48.0.8, with the oracle's cargo features) writes, natively and for each
//! target of [`TARGETS`], for an empty module and an empty component.
//!
//! OUT_FILE is the document of `spec/profiles/README.md`; the entries of
//! other builds already in it (the C-API builds that
//! `oracle/official/profiles.py` records) are kept, and the whole is written
//! in the same order and layout as that script writes it.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const BUILD: &str = "crates.io";

/// The targets asked for besides the native one, as in `profiles.py`.
pub const TARGETS: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "riscv64gc-unknown-linux-gnu",
    "s390x-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "pulley64",
    "pulley32",
];

const EMPTY_MODULE: &str = "(module)";
const EMPTY_COMPONENT: &str = "(component)";

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Profile {
    pub build: String,
    pub release: String,
    pub major: u32,
    pub target: String,
    pub kind: String,
    pub triple: String,
    pub engine_section: String,
    pub provenance: String,
}

#[derive(Serialize, Deserialize, Clone, Debug)]
pub struct Refused {
    pub build: String,
    pub release: String,
    pub major: u32,
    pub target: String,
    /// `target` (`Config::target` failed), `engine` (`Engine::new` failed)
    /// or `compile` (precompiling the empty module failed).
    pub stage: String,
    pub error: String,
    pub provenance: String,
}

#[derive(Serialize, Deserialize, Debug)]
pub struct Document {
    pub format: u32,
    pub profiles: Vec<Profile>,
    pub refused: Vec<Refused>,
}

/// What one release's default engine did for one target.
enum Outcome {
    Sections(Vec<(&'static str, Vec<u8>)>),
    Refused(&'static str, String),
}

macro_rules! record_release {
    ($name:ident, $wasmtime:ident) => {
        fn $name(target: &str) -> Outcome {
            use $wasmtime::{Config, Engine};
            let chain = |e: &$wasmtime::Error| {
                e.chain()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(": ")
            };
            let mut config = Config::new();
            if target != "native" {
                if let Err(e) = config.target(target) {
                    return Outcome::Refused("target", chain(&e));
                }
            }
            let engine = match Engine::new(&config) {
                Ok(engine) => engine,
                Err(e) => return Outcome::Refused("engine", chain(&e)),
            };
            let module = wat::parse_str(EMPTY_MODULE).unwrap();
            let component = wat::parse_str(EMPTY_COMPONENT).unwrap();
            let mut out = Vec::new();
            match engine.precompile_module(&module) {
                Ok(bytes) => out.push(("module", engine_section(&bytes))),
                Err(e) => return Outcome::Refused("compile", chain(&e)),
            }
            match engine.precompile_component(&component) {
                Ok(bytes) => out.push(("component", engine_section(&bytes))),
                Err(e) => panic!(
                    "{target}: the module compiled but the component failed: {}",
                    chain(&e)
                ),
            }
            Outcome::Sections(out)
        }
    };
}

record_release!(record36, wasmtime36);
record_release!(record48, wasmtime48);

/// The bytes of the `.wasmtime.engine` section of an artifact (ELF of either
/// class and byte order).
/// Records one target with one release.
type Recorder = fn(&str) -> Outcome;

fn engine_section(artifact: &[u8]) -> Vec<u8> {
    use object::{Object, ObjectSection};
    let file = object::File::parse(artifact).expect("artifact is an ELF file");
    let section = file
        .section_by_name(".wasmtime.engine")
        .expect("artifact has an engine section");
    section.data().expect("engine section data").to_vec()
}

fn sort_key_parts<'a>(
    build: &'a str,
    major: u32,
    release: &str,
    target: &'a str,
    kind: &'a str,
) -> (&'a str, u32, Vec<u64>, bool, &'a str, &'a str) {
    let release = release.split('.').map(|p| p.parse().unwrap()).collect();
    (build, major, release, target != "native", target, kind)
}

/// Writes `doc` one profile or refusal a line, as `profiles.py` does.
pub fn write(doc: &Document, path: &Path) -> std::io::Result<()> {
    fn list<T: Serialize>(items: &[T]) -> String {
        items
            .iter()
            .map(|x| serde_json::to_string(x).unwrap())
            .collect::<Vec<_>>()
            .join(",\n  ")
    }
    let text = format!(
        "{{\"format\": {},\n \"profiles\": [\n  {}\n ],\n \"refused\": [\n  {}\n ]\n}}\n",
        doc.format,
        list(&doc.profiles),
        list(&doc.refused)
    );
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}

pub fn run(out: &Path) {
    let mut doc = match std::fs::read(out) {
        Ok(bytes) => serde_json::from_slice::<Document>(&bytes)
            .unwrap_or_else(|e| panic!("{}: {e}", out.display())),
        Err(_) => Document {
            format: 1,
            profiles: vec![],
            refused: vec![],
        },
    };
    assert_eq!(doc.format, 1, "{}: unknown format", out.display());
    doc.profiles.retain(|p| p.build != BUILD);
    doc.refused.retain(|p| p.build != BUILD);
    let releases: [(&str, u32, Recorder); 2] = [
        (cwasm_oracle::v36::VERSION, 36, record36),
        (cwasm_oracle::v48::VERSION, 48, record48),
    ];
    for (release, major, record) in releases {
        let provenance = format!("crates.io wasmtime {release} (cwasm-oracle: default features + all-arch, winch, pulley)");
        let mut refused = vec![];
        for target in std::iter::once("native").chain(TARGETS.iter().copied()) {
            match record(target) {
                Outcome::Sections(sections) => {
                    for (kind, section) in sections {
                        let split = cwasm_spec::framing::split_engine_section(&section)
                            .unwrap_or_else(|e| panic!("{release} {target}: {e:?}"));
                        let version = std::str::from_utf8(split.version).unwrap();
                        assert!(
                            version == release || version == major.to_string(),
                            "{release}: version string {version}"
                        );
                        let triple = cwasm_spec::metadata::Metadata::decode(
                            split.body,
                            cwasm_spec::Release::parse(release).unwrap(),
                        )
                        .unwrap_or_else(|e| panic!("{release} {target}: {e:?}"))
                        .target
                        .to_string();
                        doc.profiles.push(Profile {
                            build: BUILD.into(),
                            release: release.into(),
                            major,
                            target: target.into(),
                            kind: kind.into(),
                            triple,
                            engine_section: base64::engine::general_purpose::STANDARD
                                .encode(&section),
                            provenance: provenance.clone(),
                        });
                    }
                }
                Outcome::Refused(stage, error) => {
                    refused.push(target);
                    doc.refused.push(Refused {
                        build: BUILD.into(),
                        release: release.into(),
                        major,
                        target: target.into(),
                        stage: stage.into(),
                        error,
                        provenance: provenance.clone(),
                    });
                }
            }
        }
        println!(
            "{release}: refused: {}",
            if refused.is_empty() {
                "none".to_string()
            } else {
                refused.join(", ")
            }
        );
    }
    doc.profiles.sort_by(|a, b| {
        sort_key_parts(&a.build, a.major, &a.release, &a.target, &a.kind).cmp(&sort_key_parts(
            &b.build, b.major, &b.release, &b.target, &b.kind,
        ))
    });
    doc.refused.sort_by(|a, b| {
        sort_key_parts(&a.build, a.major, &a.release, &a.target, "").cmp(&sort_key_parts(
            &b.build, b.major, &b.release, &b.target, "",
        ))
    });
    write(&doc, out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    println!(
        "{}: {} profiles, {} refused",
        out.display(),
        doc.profiles.len(),
        doc.refused.len()
    );
}
