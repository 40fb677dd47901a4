//! `level` against real Wasmtime 36.0.20 and 48.0.8: an artifact compiled
//! with a set of ISA flags loads on a host simulated at the level `level`
//! names, and not at the level below. An artifact beyond x86-64-v4 loads
//! on v4 plus the features `level` names beyond it, and not on v4.

use cwasm_oracle::Detector;
use cwasm_spec::fleet::cpus::x86_64_levels;
use cwasm_spec::fleet::level::cpu_needs;
use cwasm_spec::inspect::read_record;

/// Flag sets that land on each level, and beyond.
const PRESETS: &[&str] = &[
    "",
    "isa=has_sse3",
    "isa=has_popcnt,isa=has_sse41",
    "isa=has_sse42",
    "isa=has_avx",
    "isa=has_sse3,isa=has_avx2,isa=has_bmi2",
    "isa=has_lzcnt",
    "isa=has_fma",
    "isa=has_avx512f",
    "isa=has_avx512vl,isa=has_avx512dq",
    "isa=has_avx512vbmi",
    "isa=has_avx512bitalg,isa=has_avx",
];

fn features(names: &[String]) -> Detector {
    Detector::Exactly(names.to_vec())
}

macro_rules! level_test {
    ($test:ident, $oracle:ident) => {
        #[test]
        fn $test() {
            use cwasm_oracle::$oracle::{compile, HostEngine};
            let levels: Vec<_> = x86_64_levels().collect();
            let mut checked = 0;
            for preset in PRESETS {
                let artifact = compile(preset, false).unwrap();
                let record = read_record(&artifact, None).unwrap();
                let needs = cpu_needs(&record.meta);
                assert_eq!(needs.arch, "x86_64");
                let load = |cpu: Vec<String>| {
                    HostEngine::new("", features(&cpu))
                        .unwrap()
                        .load(&artifact, false)
                };
                match needs.level {
                    Some(level) => {
                        assert!(needs.beyond.is_empty(), "{preset}");
                        assert_eq!(
                            load(level.features.clone()),
                            Ok(()),
                            "{preset} at {}",
                            level.name
                        );
                        let at = levels.iter().position(|l| l.name == level.name).unwrap();
                        if at > 0 {
                            let below = levels[at - 1];
                            assert!(
                                load(below.features.clone()).is_err(),
                                "{preset} at {}",
                                below.name
                            );
                        }
                    }
                    None => {
                        let v4 = levels.last().unwrap();
                        assert!(!needs.beyond.is_empty(), "{preset}");
                        assert!(load(v4.features.clone()).is_err(), "{preset} at v4");
                        let mut more = v4.features.clone();
                        more.extend(needs.beyond.iter().map(|f| f.to_string()));
                        assert_eq!(load(more), Ok(()), "{preset} at v4 and {:?}", needs.beyond);
                    }
                }
                checked += 1;
            }
            assert_eq!(checked, PRESETS.len());
        }
    };
}

level_test!(levels_against_wasmtime_36, v36);
level_test!(levels_against_wasmtime_48, v48);
