//! Host profiles from Wasmtime's own CLI options against real Wasmtime
//! 36.0.20 and 48.0.8: for each oracle preset, the crates.io default
//! profile plus the equivalent `wasmtime compile` options has exactly the
//! target, Tunables and wasm features of the artifact real Wasmtime
//! compiled with that preset. Options without a profile form are errors.

use cwasm_spec::fleet::options;
use cwasm_spec::fleet::profile::{described, Build, Profile};
use cwasm_spec::inspect::read_record;
use cwasm_spec::Release;

/// (oracle preset, the same settings as Wasmtime CLI options), both releases.
const COMMON: &[(&str, &[&str])] = &[
    ("", &[]),
    ("epoch", &["-W epoch-interruption"]),
    ("fuel", &["-W fuel=10000"]),
    ("no-memory-may-move", &["-O memory-may-move=n"]),
    ("no-memory-may-move", &["-O static-memory-forced=y"]),
    ("no-guard-before", &["-O guard-before-linear-memory=no"]),
    ("no-table-lazy-init", &["-O table-lazy-init=false"]),
    (
        "relaxed-simd-deterministic",
        &["-W relaxed-simd-deterministic=y"],
    ),
    ("no-signals-based-traps", &["-O signals-based-traps=n"]),
    ("no-cow", &["-O memory-init-cow=n"]),
    ("debug-info", &["-D debug-info"]),
    (
        "memory-reservation=1073741824",
        &["-O memory-reservation=1073741824"],
    ),
    (
        "memory-reservation=1073741824",
        &["-Omemory-reservation=0x4000_0000"],
    ),
    (
        "memory-reservation=1073741824",
        &["-O static-memory-maximum-size=1_073_741_824"],
    ),
    ("memory-guard-size=65536", &["-O memory-guard-size=65536"]),
    (
        "memory-guard-size=65536",
        &["-O dynamic-memory-guard-size=0x10000"],
    ),
    ("-gc", &["-W gc=n"]),
    ("-threads", &["-W threads=n"]),
    ("-simd,-relaxed_simd", &["-W simd=n,relaxed-simd=n"]),
    ("-relaxed_simd", &["-W relaxed-simd=n"]),
    ("-tail_call", &["-W tail-call=n"]),
    ("+stack_switching", &["-W stack-switching=y"]),
    ("collector=null", &["-C collector=null"]),
    ("collector=drc", &["-C collector=drc"]),
    ("winch", &["-C compiler=winch"]),
    (
        "winch,collector=null",
        &["-C compiler=winch", "-C collector=null"],
    ),
    (
        "epoch,fuel,no-cow,memory-guard-size=65536,-threads",
        &[
            "-W epoch-interruption,fuel=1,threads=n",
            "-O memory-init-cow=n",
            "-O memory-guard-size=65536",
        ],
    ),
];

/// 48 only.
const V48: &[(&str, &[&str])] = &[
    (
        "gc-heap-reservation=1073741824",
        &["-O gc-heap-reservation=1073741824"],
    ),
    ("gc-heap-guard-size=65536", &["-O gc-heap-guard-size=65536"]),
    (
        "memory-reservation=1073741824,gc-heap-guard-size=65536",
        &["-O memory-reservation=1073741824,gc-heap-guard-size=65536"],
    ),
    ("no-concurrency", &["-W concurrency-support=n"]),
    ("no-debug-symbols", &["-D symbols=n"]),
    ("collector=drc", &["-C collector=drc"]),
    (
        "no-gc-support,-gc,-exceptions",
        &["-W gc-support=n,gc=n,exceptions=n"],
    ),
];

fn options_of(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

macro_rules! options_test {
    ($test:ident, $oracle:ident, $extra:expr) => {
        #[test]
        fn $test() {
            use cwasm_oracle::$oracle::{compile, VERSION};
            let release = Release::parse(VERSION).unwrap();
            let mut checked = 0;
            for (preset, opts) in COMMON.iter().chain($extra) {
                let artifact =
                    compile(preset, false).unwrap_or_else(|e| panic!("{VERSION} `{preset}`: {e}"));
                let witness = read_record(&artifact, None).unwrap();
                let mut profile = Profile::builtin(release, Build::CratesIo, None);
                options::apply(&mut profile, &options_of(opts))
                    .unwrap_or_else(|e| panic!("{VERSION} {opts:?}: {e}"));
                assert_eq!(
                    profile.described().unwrap(),
                    described(&witness.meta),
                    "{VERSION} preset `{preset}` vs {opts:?}"
                );
                checked += 1;
            }
            assert!(checked >= COMMON.len());
        }
    };
}

options_test!(options_match_real_wasmtime_36, v36, &[]);
options_test!(options_match_real_wasmtime_48, v48, V48);

/// Settings real Wasmtime refuses to build an engine with: the options are
/// refused too.
#[test]
fn options_wasmtime_refuses_are_refused() {
    for (preset, opts, version) in [
        ("-simd", &["-W simd=n"][..], cwasm_oracle::v36::VERSION),
        ("-simd", &["-W simd=n"][..], cwasm_oracle::v48::VERSION),
        (
            "winch,+gc",
            &["-C compiler=winch", "-W gc=y"][..],
            cwasm_oracle::v48::VERSION,
        ),
    ] {
        let real = if version == cwasm_oracle::v36::VERSION {
            cwasm_oracle::v36::compile(preset, false)
        } else {
            cwasm_oracle::v48::compile(preset, false)
        };
        assert!(real.is_err(), "{version} `{preset}` compiled");
        let mut profile = Profile::builtin(Release::parse(version).unwrap(), Build::CratesIo, None);
        let ours = options::apply(&mut profile, &options_of(opts));
        assert!(ours.is_err(), "{version} {opts:?}: {:?}", real.unwrap_err());
    }
}

#[test]
fn options_without_a_profile_form_are_errors_that_say_why() {
    let release = Release::parse("48.0.8").unwrap();
    let err = |opts: &[&str]| {
        let mut profile = Profile::builtin(release, Build::CratesIo, None);
        options::apply(&mut profile, &options_of(opts)).unwrap_err()
    };
    let e = err(&["-C cranelift-has-avx2"]);
    assert!(e.contains("Cranelift") && e.contains("not compare"), "{e}");
    let e = err(&["-O opt-level=0"]);
    assert!(e.contains("Cranelift"), "{e}");
    let e = err(&["-W max-wasm-stack=65536"]);
    assert!(e.contains("does not record"), "{e}");
    let e = err(&["-W all-proposals"]);
    assert!(e.contains("every proposal"), "{e}");
    let e = err(&["-D guest-debug"]);
    assert!(e.contains("signals_based_traps"), "{e}");
    let e = err(&["-W gcc=n"]);
    assert!(
        e.contains("unknown -W (wasm) option `gcc` for Wasmtime 48") && e.contains(" gc,"),
        "{e}"
    );
    let e = err(&["-W gc=nope"]);
    assert!(e.contains("unknown boolean `nope`"), "{e}");
    let e = err(&["-O memory-reservation=4GiB"]);
    assert!(e.contains("no unit suffixes"), "{e}");
    let e = err(&["-O memory-reservation=1", "-O static-memory-maximum-size=2"]);
    assert!(
        e.contains("both set Tunables field `memory_reservation`"),
        "{e}"
    );
    let e = err(&["-C compiler=winch", "-W gc=y"]);
    assert!(
        e.contains("not supported on this compiler configuration"),
        "{e}"
    );
    let e = err(&["-W concurrency-support=n,component-model-async=y"]);
    assert!(e.contains("concurrency support is off"), "{e}");
    // An option of a later release is unknown to an earlier one.
    let mut v36 = Profile::builtin(Release::parse("36.0.20").unwrap(), Build::CratesIo, None);
    let e = options::apply(&mut v36, &options_of(&["-O gc-heap-reservation=1"])).unwrap_err();
    assert!(
        e.contains("for Wasmtime 36") && e.contains("memory-reservation"),
        "{e}"
    );
}

#[test]
fn profile_files_take_options() {
    let text =
        "wasmtime = \"48.0.8\"\noptions = [\"-W gc=n\", \"-O memory-reservation=1073741824\"]\n";
    let from_file = Profile::from_toml(text).unwrap();
    let mut direct = Profile::builtin(Release::parse("48.0.8").unwrap(), Build::CratesIo, None);
    options::apply(
        &mut direct,
        &options_of(&["-W gc=n", "-O memory-reservation=1073741824"]),
    )
    .unwrap();
    assert_eq!(from_file.described().unwrap(), direct.described().unwrap());
    let artifact = cwasm_oracle::v48::compile("-gc,memory-reservation=1073741824", false).unwrap();
    let witness = read_record(&artifact, None).unwrap();
    assert_eq!(from_file.described().unwrap(), described(&witness.meta));
}
