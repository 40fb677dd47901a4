//! `matrix` at fleet scale (r[fleet.matrix]): 10,000 artifacts × 100 hosts,
//! one core. The artifacts are the corpus's 36 and 48 artifacts, repeated;
//! the hosts are built-in profiles of ten releases, each with ten CPUs.

use criterion::{criterion_group, criterion_main, Criterion};
use cwasm_spec::fleet::matrix::{FleetHost, Matrix};
use cwasm_spec::fleet::profile::{Build, Profile};
use cwasm_spec::host::Cpu;
use cwasm_spec::{detect, Kind, Release};
use std::path::Path;

fn artifacts() -> Vec<(Vec<u8>, Kind)> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let mut distinct = Vec::new();
    for dir in [
        "v36/artifacts",
        "v48/artifacts",
        "v48/official/artifacts",
        "v36/official/artifacts",
    ] {
        let mut paths: Vec<_> = std::fs::read_dir(corpus.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            let kind = detect(&bytes, Release::V48).map_or(Kind::Module, |p| p.kind);
            distinct.push((bytes, kind));
        }
    }
    distinct.iter().cycle().take(10_000).cloned().collect()
}

fn hosts() -> Vec<FleetHost> {
    let cpus = [
        "x86-64-v1",
        "x86-64-v2",
        "x86-64-v3",
        "x86-64-v4",
        "skylake-avx512",
        "icelake-server",
        "sapphirerapids",
        "znver3",
        "znver4",
        "native",
    ];
    let mut hosts = Vec::new();
    for (release, build) in [
        ("36.0.20", Build::CratesIo),
        ("36.0.0", Build::CApi),
        ("48.0.8", Build::CratesIo),
        ("48.0.0", Build::CApi),
        ("42", Build::CratesIo),
        ("44", Build::CApi),
        ("46", Build::CratesIo),
        ("47", Build::CratesIo),
        ("49", Build::CratesIo),
        ("50", Build::CratesIo),
    ] {
        for cpu in cpus {
            let profile = Profile::builtin(Release::parse(release).unwrap(), build, None);
            let mut host = profile.host().unwrap();
            host.set_cpu(cpu.parse::<Cpu>().unwrap());
            hosts.push(FleetHost {
                name: format!("{release}/{build} {cpu}"),
                host,
                count: 1,
            });
        }
    }
    hosts
}

fn matrix(c: &mut Criterion) {
    let files = artifacts();
    let hosts = hosts();
    assert_eq!((files.len(), hosts.len()), (10_000, 100));
    let inputs: Vec<(&[u8], Kind)> = files.iter().map(|(b, k)| (b.as_slice(), *k)).collect();
    // Not every cell is the same: some load, most are refused by one rule
    // or another.
    let m = Matrix::build(&inputs, &hosts);
    let accepted = m.cells.iter().flatten().filter(|c| c.is_ok()).count();
    assert!(accepted > 10_000 && accepted < 900_000, "{accepted}");
    let mut group = c.benchmark_group("matrix");
    group.sample_size(10);
    group.bench_function("10000 artifacts x 100 hosts", |b| {
        b.iter(|| Matrix::build(std::hint::black_box(&inputs), &hosts))
    });
    group.finish();
}

criterion_group!(benches, matrix);
criterion_main!(benches);
