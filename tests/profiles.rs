//! Host profiles (r[fleet.profile]) against artifacts real Wasmtime wrote:
//! built-in profiles have the Metadata of the default engines' artifacts in
//! the corpus (recorded separately), the crates.io defaults derived from
//! the C-API recordings equal the crates.io recordings where both exist, and
//! `host --from` round-trips every witness of the corpus.

use cwasm_spec::fleet::profile::{described, Build, Profile};
use cwasm_spec::inspect::read_record;
use cwasm_spec::metadata::Metadata;
use cwasm_spec::Release;
use std::path::Path;

fn corpus() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/conformance"))
}

#[test]
fn builtin_profiles_match_the_default_artifacts_of_real_wasmtime() {
    let mut checked = 0;
    for major in (24..=50).filter(|m| *m != 26) {
        let release = Release::parse(&major.to_string()).unwrap();
        let path = corpus().join(format!("v{major}/official/artifacts/default.cwasm"));
        let bytes = std::fs::read(&path).unwrap();
        let witness = read_record(&bytes, None).unwrap();
        let profile = Profile::builtin(release, Build::CApi, None);
        assert_eq!(
            profile.described().unwrap(),
            described(&witness.meta),
            "{major}"
        );
        checked += 1;
    }
    for (version, dir) in [("36.0.20", "v36"), ("48.0.8", "v48")] {
        let release = Release::parse(version).unwrap();
        let bytes = std::fs::read(corpus().join(dir).join("hosts/default.cwasm")).unwrap();
        let witness = read_record(&bytes, None).unwrap();
        let profile = Profile::builtin(release, Build::CratesIo, None);
        assert_eq!(
            profile.described().unwrap(),
            described(&witness.meta),
            "{version}"
        );
        checked += 1;
    }
    assert_eq!(checked, 28);
}

#[test]
fn crates_io_defaults_derived_from_the_c_api_equal_the_recordings() {
    // Every release with a crates.io recording: 36.0.20 and 48.0.8 (the
    // oracle), 44.0.3 and 50.0.1 (oracle/profile-recorder), where the
    // builds' defaults differ in concurrency support and the collector.
    for version in ["36.0.20", "44.0.3", "48.0.8", "50.0.1"] {
        let release = Release::parse(version).unwrap();
        let profile = Profile::builtin(release, Build::CratesIo, Some("x86_64-unknown-linux-gnu"));
        let derived = profile.derived_metadata_body().unwrap().unwrap();
        let recorded = profile.metadata_body().unwrap();
        assert_eq!(
            described(&Metadata::decode(&derived, release).unwrap()),
            described(&Metadata::decode(&recorded, release).unwrap()),
            "{version}"
        );
    }
}

#[test]
fn every_witness_round_trips_through_its_profile() {
    let mut checked = 0;
    for major in (24..=50).filter(|m| *m != 26) {
        let mut witnesses = vec![];
        for dir in ["hosts", "official/artifacts"] {
            let Ok(entries) = std::fs::read_dir(corpus().join(format!("v{major}/{dir}"))) else {
                continue;
            };
            witnesses.extend(entries.map(|e| e.unwrap().path()));
        }
        witnesses.sort();
        for path in witnesses {
            let bytes = std::fs::read(&path).unwrap();
            let Ok(witness) = read_record(&bytes, None) else {
                continue;
            };
            let (profile, notes) = Profile::of_witness(&bytes, None, Build::CratesIo).unwrap();
            // Cost tables have no profile form; targets without a recording
            // have no base to start from.
            if !notes.is_empty() || profile.provenance().is_err() {
                continue;
            }
            let read = Profile::from_toml(&profile.to_toml())
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(read, profile, "{}", path.display());
            assert_eq!(
                read.described().unwrap(),
                described(&witness.meta),
                "{}",
                path.display()
            );
            let host = read.host().unwrap();
            assert_eq!(host.release, profile.release);
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
}

#[test]
fn bad_profiles_are_errors_that_name_what_is_known() {
    let err =
        Profile::from_toml("wasmtime = \"48\"\n[tunables]\nmemory_reservaton = 1\n").unwrap_err();
    assert!(
        err.contains("unknown Tunables field `memory_reservaton`")
            && err.contains("memory_reservation"),
        "{err}"
    );
    let err = Profile::from_toml("wasmtime = \"48\"\n[features]\ngcc = true\n").unwrap_err();
    assert!(
        err.contains("unknown wasm feature `gcc`") && err.contains("gc"),
        "{err}"
    );
    let err =
        Profile::from_toml("wasmtime = \"48\"\n[tunables]\ncollector = \"Moving\"\n").unwrap_err();
    assert!(err.contains("collector"), "{err}");
    let err = Profile::from_toml("wasmtime = \"48\"\nbogus = 1\n").unwrap_err();
    assert!(err.contains("bogus"), "{err}");
    let err = Profile::builtin(
        Release::parse("42").unwrap(),
        Build::CApi,
        Some("aarch64-unknown-linux-gnu"),
    )
    .host()
    .unwrap_err();
    assert!(
        err.contains("recorded targets: pulley64, x86_64-unknown-linux-gnu"),
        "{err}"
    );
}
