//! Host profiles with Wasmtime options (r[fleet.profile]) against every
//! major's official C-API build: for each preset the corpus recorded with
//! it (`conformance/vNN/official/presets.json`), the built-in `c-api`
//! profile of that major plus the Wasmtime command-line options that set
//! the same `Config` knobs has exactly the target, Tunables and features of
//! the artifact real Wasmtime compiled with the preset.

use cwasm_spec::fleet::options;
use cwasm_spec::fleet::profile::{described, Build, Profile};
use cwasm_spec::inspect::read_record;
use cwasm_spec::metadata::Metadata;
use cwasm_spec::Release;
use std::path::Path;

/// The Wasmtime options for one token of an official preset's name, or
/// `None` for a token that changes only Cranelift settings, which the
/// Metadata's target, Tunables and features do not show.
fn options_of(token: &str) -> Option<Vec<String>> {
    let one = |s: String| Some(vec![s]);
    if let Some((name, value)) = token.split_once('=') {
        return match name {
            "memory-guard-size"
            | "memory-reservation"
            | "memory-reservation-for-growth"
            | "static-memory-maximum-size"
            | "dynamic-memory-reserved-for-growth"
            | "static-memory-guard-size" => one(format!("-O {name}={value}")),
            "target" | "opt-level" | "regalloc" | "isa-off" => None,
            _ => panic!("unknown preset token {token}"),
        };
    }
    match token {
        "default" | "nan-canonicalization" | "debug-verifier" | "native-unwind-info-off" => None,
        "fuel" => one("-W fuel=1".into()),
        "epoch" => one("-W epoch-interruption=y".into()),
        "debug-info" => one("-D debug-info=y".into()),
        "memory-may-move-off" => one("-O memory-may-move=n".into()),
        "memory-init-cow-off" => one("-O memory-init-cow=n".into()),
        "signals-based-traps-off" => one("-O signals-based-traps=n".into()),
        "static-memory-forced" => one("-O static-memory-forced=y".into()),
        "gc-support-off" => one("-W gc-support=n".into()),
        "concurrency-support-off" => one("-W concurrency-support=n".into()),
        "winch" => one("-C compiler=winch".into()),
        "wasm-relaxed-simd-deterministic" => one("-W relaxed-simd-deterministic=y".into()),
        _ => {
            let feature = token.strip_prefix("wasm-").expect(token);
            match feature.strip_suffix("-off") {
                Some(name) => one(format!("-W {name}=n")),
                None => one(format!("-W {feature}=y")),
            }
        }
    }
}

#[test]
fn every_official_preset_is_its_profile_plus_options() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("conformance");
    let mut checked = 0;
    let mut failures = Vec::new();
    for major in (24..=50).filter(|m| *m != 26) {
        let dir = corpus.join(format!("v{major}/official"));
        let manifest: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("presets.json")).unwrap())
                .unwrap();
        let release = Release::parse(&major.to_string()).unwrap();
        for preset in manifest["presets"].as_array().unwrap() {
            let name = preset.as_str().unwrap();
            let Ok(bytes) = std::fs::read(dir.join(format!("artifacts/{name}.cwasm"))) else {
                continue;
            };
            let witness = read_record(&bytes, None).unwrap();
            let mut profile = Profile::builtin(release, Build::CApi, None);
            let mut args = Vec::new();
            for token in name.split('.') {
                if let Some(target) = token.strip_prefix("target=") {
                    profile.target = target.to_string();
                }
                args.extend(options_of(token).unwrap_or_default());
            }
            let built = options::apply(&mut profile, &args).and_then(|()| profile.metadata_body());
            let body = match built {
                Ok(body) => body,
                Err(e) => {
                    failures.push(format!("{major} {name}: {args:?}: {e}"));
                    continue;
                }
            };
            let mine = described(&Metadata::decode(&body, release).unwrap());
            if mine != described(&witness.meta) {
                failures.push(format!("{major} {name}: {args:?}: the Metadata differs"));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 600, "{checked}");
}
