//! The load-time check path, side by side with real Wasmtime 48.0.8 in the
//! same run. See benches/README.md for the figures and how to reproduce them.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use cwasm_spec::framing::{find_engine_section, split_engine_section};
use cwasm_spec::host::{Cpu, Host};
use cwasm_spec::metadata::{FlagList, FlagValue, Metadata, TunableValue};
use cwasm_spec::{check, detect, Kind, Release};
use std::path::Path;
use std::ptr::NonNull;
use wasmtime48 as wasmtime;

fn golden(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("conformance/v48")
            .join(rel),
    )
    .unwrap()
}

const ALL_X86: &[&str] = cwasm_spec::host::X86_64_DETECTOR_NAMES;

fn all_x86(feature: &str) -> Option<bool> {
    Some(ALL_X86.contains(&feature))
}

/// The reference's host and Wasmtime's engine for the corpus's default host
/// (`conformance/v48/hosts/default.cwasm`: the default `Config` for
/// x86_64-unknown-linux-gnu), with the same simulated CPU.
fn hosts() -> (Host, wasmtime::Engine) {
    let mut host = Host::from_witness(&golden("hosts/default.cwasm"), Some(Release::V48)).unwrap();
    host.set_cpu(Cpu::Exactly(
        ALL_X86.iter().map(|s| s.to_string()).collect(),
    ));
    let mut config = wasmtime::Config::new();
    config.target("x86_64-unknown-linux-gnu").unwrap();
    // SAFETY: `all_x86` is a plain function of its argument.
    unsafe {
        config.detect_host_feature(all_x86);
    }
    (host, wasmtime::Engine::new(&config).unwrap())
}

fn bench_detect(c: &mut Criterion) {
    let mut group = c.benchmark_group("detect");
    for (name, bytes) in [
        ("module", golden("artifacts/default.cwasm")),
        ("component", golden("artifacts/component-default.cwasm")),
        (
            "not-elf",
            b"\0asm\x01\0\0\0 definitely not an ELF file".to_vec(),
        ),
    ] {
        group.bench_with_input(BenchmarkId::new("reference", name), &bytes, |b, bytes| {
            b.iter(|| detect(black_box(bytes), Release::V48))
        });
        group.bench_with_input(BenchmarkId::new("wasmtime", name), &bytes, |b, bytes| {
            b.iter(|| wasmtime::Engine::detect_precompiled(black_box(bytes)))
        });
    }
    group.finish();
}

/// An artifact that passes every rule but the last one 48 checks: it needs
/// the `wide_arithmetic` feature, which the default host lacks.
fn bench_reject_last_rule(c: &mut Criterion) {
    let (host, engine) = hosts();
    let artifact = golden("artifacts/with-wide_arithmetic.cwasm");
    let expected = "Module was compiled with support for WebAssembly feature `wide_arithmetic` but it is not enabled for the host";
    assert_eq!(
        check(&artifact, Kind::Module, &host).unwrap_err().message(),
        expected
    );
    let raw = |bytes: &[u8]| {
        // SAFETY: the bytes outlive the call and are never written; the
        // load fails at the compatibility check.
        unsafe { wasmtime::Module::deserialize_raw(&engine, NonNull::from(bytes)) }
    };
    assert_eq!(raw(&artifact).unwrap_err().to_string(), expected);
    let mut group = c.benchmark_group("check-rejected-at-last-rule");
    group.bench_function("reference", |b| {
        b.iter(|| check(black_box(&artifact), Kind::Module, &host))
    });
    group.bench_function("wasmtime-deserialize_raw", |b| {
        b.iter(|| raw(black_box(&artifact)))
    });
    group.finish();
}

fn raw_deserialize(
    engine: &wasmtime::Engine,
    bytes: &[u8],
    component: bool,
) -> wasmtime::Result<()> {
    // SAFETY: the bytes outlive the call and are never written; a load that
    // succeeds is dropped at once.
    unsafe {
        if component {
            wasmtime::component::Component::deserialize_raw(engine, NonNull::from(bytes)).map(drop)
        } else {
            wasmtime::Module::deserialize_raw(engine, NonNull::from(bytes)).map(drop)
        }
    }
}

fn deserialize(engine: &wasmtime::Engine, bytes: &[u8], component: bool) -> wasmtime::Result<()> {
    // SAFETY: the bytes are a Wasmtime artifact of the corpus; a load that
    // succeeds is dropped at once.
    unsafe {
        if component {
            wasmtime::component::Component::deserialize(engine, bytes).map(drop)
        } else {
            wasmtime::Module::deserialize(engine, bytes).map(drop)
        }
    }
}

/// An artifact from another configuration: one shared flag and one Tunables
/// field differ from the host's (neither is checked), so both are decoded
/// and compared, and the check fails at the last rule, the features.
fn other_config_artifact() -> Vec<u8> {
    let mut artifact = golden("artifacts/with-wide_arithmetic.cwasm");
    let data = find_engine_section(&artifact, Kind::Module, Release::V48).unwrap();
    let offset = data.as_ptr() as usize - artifact.as_ptr() as usize;
    let section = split_engine_section(data).unwrap();
    let body_offset = offset + (data.len() - section.body.len());
    let mut meta = Metadata::decode(section.body, Release::V48).unwrap();
    let shared: Vec<_> = meta
        .shared_flags
        .iter()
        .map(|(name, value)| match (name, value) {
            ("enable_alias_analysis", FlagValue::Bool(b)) => (name, FlagValue::Bool(!b)),
            other => other,
        })
        .collect();
    let encoded_shared = FlagList::encode(&shared);
    meta.shared_flags = FlagList::parse(&encoded_shared).unwrap();
    let layout = Release::V48.layout();
    let growth = layout
        .tunable_index("memory_reservation_for_growth")
        .unwrap();
    if let TunableValue::U64(v) = meta.tunables.get(growth) {
        meta.tunables.set(growth, TunableValue::U64(v ^ 1));
    }
    let body = meta.encode();
    assert_eq!(body.len(), section.body.len(), "same-length edits");
    artifact[body_offset..body_offset + body.len()].copy_from_slice(&body);
    artifact
}

fn bench_other_config(c: &mut Criterion) {
    let (host, engine) = hosts();
    let artifact = other_config_artifact();
    let expected = "Module was compiled with support for WebAssembly feature `wide_arithmetic` but it is not enabled for the host";
    assert_eq!(
        check(&artifact, Kind::Module, &host).unwrap_err().message(),
        expected
    );
    assert_eq!(
        raw_deserialize(&engine, &artifact, false)
            .unwrap_err()
            .to_string(),
        expected
    );
    let mut group = c.benchmark_group("check-other-config");
    group.bench_function("reference", |b| {
        b.iter(|| check(black_box(&artifact), Kind::Module, &host))
    });
    group.bench_function("wasmtime-deserialize_raw", |b| {
        b.iter(|| raw_deserialize(&engine, black_box(&artifact), false))
    });
    group.finish();
}

/// The corpus's cases on the default host, one rejected per rule family,
/// and the first accepted module and component, plus a `.wasmtime.info`
/// rejection: both sides' verdicts and messages are asserted to be the
/// recorded ones before anything is timed. (An accepted artifact, and one
/// rejected while its `.wasmtime.info` is decoded, have no check-only path
/// in Wasmtime: it gets there by loading the code, with `deserialize`, as
/// `deserialize_raw` cannot on this engine; benches/README.md reports the
/// spread with and without them.)
fn bench_spread(c: &mut Criterion) {
    let (host, engine) = hosts();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let suite = cwasm_spec::corpus::Suite::load_files(&corpus, 48, &["cases.json"]).unwrap();
    let all: Vec<String> = ALL_X86.iter().map(|s| s.to_string()).collect();
    let mut picked: Vec<(String, &cwasm_spec::corpus::Case)> = Vec::new();
    for case in &suite.cases {
        let default_host = case.host.config.is_empty()
            && case.host.module_version == "default"
            && case.host.cpu_features == cwasm_spec::corpus::CpuSpec::Exactly(all.clone());
        if !default_host {
            continue;
        }
        let family = match (case.expect.compatible, case.rules.first()) {
            (false, Some(rule)) => rule.split('.').next().unwrap_or("").to_string(),
            // The accepted ones: the first module and the first component.
            (true, _) if case.edits.is_empty() => format!("accepted-{}", case.kind),
            _ => continue,
        };
        if !picked.iter().any(|(f, _)| *f == family) {
            picked.push((family, case));
        }
    }
    let mut inputs: Vec<SpreadInput> = picked
        .into_iter()
        .map(|(family, case)| {
            let name = format!("{family}:{}", case.id.rsplit('.').next().unwrap_or(""));
            let kind = if case.kind == "component" {
                Kind::Component
            } else {
                Kind::Module
            };
            let bytes = suite.artifact(case).unwrap();
            let message = (!case.expect.compatible).then(|| case.expect.chain[0].clone());
            let loads = case.expect.compatible;
            SpreadInput {
                name,
                bytes,
                kind,
                message,
                loads,
            }
        })
        .collect();
    // The corpus's `.wasmtime.info` cases are on the official build's host
    // (`sweep.json`); this one is the default artifact with that section
    // emptied, which Wasmtime reports as it decodes the empty section. It
    // decodes it only after the code is mapped, so its side is
    // `deserialize`, as for the accepted ones.
    let info = empty_info_section(golden("artifacts/default.cwasm"));
    let message = "Hit the end of buffer, expected more data";
    let rule = check(&info, Kind::Module, &host).unwrap_err().rule();
    assert_eq!(rule, "info.decode");
    inputs.push(SpreadInput {
        name: "info:EmptySection".to_string(),
        bytes: info,
        kind: Kind::Module,
        message: Some(message.to_string()),
        loads: true,
    });
    let mut group = c.benchmark_group("spread");
    for SpreadInput {
        name,
        bytes,
        kind,
        message,
        loads,
    } in inputs
    {
        let component = kind == Kind::Component;
        let wasmtime_side = |bytes: &[u8]| {
            if loads {
                deserialize(&engine, bytes, component)
            } else {
                raw_deserialize(&engine, bytes, component)
            }
        };
        // Both sides give the recorded verdict and message before either is
        // timed.
        let wasmtime = wasmtime_side(&bytes).map_err(|e| e.to_string());
        assert_eq!(wasmtime.err(), message, "{name}");
        let reference = check(&bytes, kind, &host).map_err(|e| e.message().into_owned());
        assert_eq!(reference.err(), message, "{name}");
        group.bench_with_input(BenchmarkId::new("reference", &name), &bytes, |b, bytes| {
            b.iter(|| check(black_box(bytes), kind, &host))
        });
        let side = if loads {
            "wasmtime-deserialize"
        } else {
            "wasmtime"
        };
        group.bench_with_input(BenchmarkId::new(side, &name), &bytes, |b, bytes| {
            b.iter(|| wasmtime_side(black_box(bytes)))
        });
    }
    group.finish();
}

/// One input of the spread.
struct SpreadInput {
    name: String,
    bytes: Vec<u8>,
    kind: Kind,
    /// The outermost message of a rejection; `None` for an accepted one.
    message: Option<String>,
    /// Whether Wasmtime's side must load the artifact (`deserialize`) to
    /// reach its verdict.
    loads: bool,
}

/// `artifact` with its `.wasmtime.info` section's size set to zero.
fn empty_info_section(mut artifact: Vec<u8>) -> Vec<u8> {
    let u16_at = |b: &[u8], at: usize| usize::from(u16::from_le_bytes([b[at], b[at + 1]]));
    let u64_at =
        |b: &[u8], at: usize| u64::from_le_bytes(b[at..at + 8].try_into().unwrap()) as usize;
    let shoff = u64_at(&artifact, 0x28);
    let (shnum, shstrndx) = (u16_at(&artifact, 0x3c), u16_at(&artifact, 0x3e));
    let header = |index: usize| shoff + 64 * index;
    let names = u64_at(&artifact, header(shstrndx) + 24);
    let info = (0..shnum)
        .find(|&i| {
            let name = names
                + u32::from_le_bytes(artifact[header(i)..header(i) + 4].try_into().unwrap())
                    as usize;
            artifact[name..].starts_with(b".wasmtime.info\0")
        })
        .expect("a .wasmtime.info section");
    artifact[header(info) + 32..header(info) + 40].fill(0);
    artifact
}

fn bench_accept(c: &mut Criterion) {
    let (host, _) = hosts();
    let artifact = golden("artifacts/default.cwasm");
    assert!(check(&artifact, Kind::Module, &host).is_ok());
    let mut group = c.benchmark_group("check-accepted");
    group.bench_function("reference", |b| {
        b.iter(|| check(black_box(&artifact), Kind::Module, &host))
    });
    group.finish();
}

fn bench_decode(c: &mut Criterion) {
    let artifact = golden("artifacts/default.cwasm");
    let data = find_engine_section(&artifact, Kind::Module, Release::V48).unwrap();
    let body = split_engine_section(data).unwrap().body;
    c.bench_function("decode/metadata", |b| {
        b.iter(|| Metadata::decode(black_box(body), Release::V48))
    });
}

fn bench_size_independence(c: &mut Criterion) {
    let (host, _) = hosts();
    let small = golden("artifacts/default.cwasm");
    let mut large = small.clone();
    large.resize(100 << 20, 0);
    let dir = std::env::temp_dir();
    let small_path = dir.join("cwasm-bench-13k.cwasm");
    let large_path = dir.join("cwasm-bench-100m.cwasm");
    std::fs::write(&small_path, &small).unwrap();
    std::fs::write(&large_path, &large).unwrap();
    let mut group = c.benchmark_group("size-independence");
    group.bench_function("memory/13KB", |b| {
        b.iter(|| check(black_box(&small), Kind::Module, &host))
    });
    group.bench_function("memory/100MB", |b| {
        b.iter(|| check(black_box(&large), Kind::Module, &host))
    });
    group.bench_function("file/13KB", |b| {
        b.iter(|| cwasm_spec::file::check_file(black_box(&small_path), Kind::Module, &host))
    });
    group.bench_function("file/100MB", |b| {
        b.iter(|| cwasm_spec::file::check_file(black_box(&large_path), Kind::Module, &host))
    });
    group.finish();
}

/// 1,000 artifacts against one host: each rebuilt from scratch, or against
/// a host prepared once.
fn bench_many_artifacts(c: &mut Criterion) {
    let (host, _) = hosts();
    let witness = golden("hosts/default.cwasm");
    let names = [
        "default.cwasm",
        "epoch.cwasm",
        "with-wide_arithmetic.cwasm",
        "fuel.cwasm",
    ];
    let artifacts: Vec<Vec<u8>> = (0..1000)
        .map(|i| golden(&format!("artifacts/{}", names[i % names.len()])))
        .collect();
    let mut group = c.benchmark_group("thousand-artifacts");
    group.sample_size(20);
    group.bench_function("host-rebuilt-per-artifact", |b| {
        b.iter(|| {
            artifacts
                .iter()
                .filter(|a| {
                    let mut h = Host::from_witness(&witness, Some(Release::V48)).unwrap();
                    h.set_cpu(host.cpu().clone());
                    check(a, Kind::Module, &h).is_ok()
                })
                .count()
        })
    });
    group.bench_function("host-shared", |b| {
        b.iter(|| {
            artifacts
                .iter()
                .filter(|a| check(a, Kind::Module, &host).is_ok())
                .count()
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    bench_detect,
    bench_reject_last_rule,
    bench_other_config,
    bench_spread,
    bench_accept,
    bench_decode,
    bench_size_independence,
    bench_many_artifacts
);
criterion_main!(benches);
