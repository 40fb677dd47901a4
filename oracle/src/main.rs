//! `cwasm-oracle generate [CORPUS_DIR]`: compiles the golden artifacts with
//! real Wasmtime 48.0.8 and 36.0.20, loads each case into a real host
//! engine, and writes `CORPUS_DIR/v{36,48}/cases.json` with the verdicts.

mod profiles;

use cwasm_oracle::{edit, expect_of, v36, v48, Detector, Verdict};
use cwasm_spec::corpus::{apply_edits, Case, CpuSpec, Edit, HostSpec};
use cwasm_spec::history::TunableType;
use cwasm_spec::metadata::{FlagList, FlagValue, Metadata, TunableValue};
use cwasm_spec::Release;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Every name the x86-64 detector is asked about: a CPU that has them all.
const ALL_X86: &[&str] = cwasm_spec::host::X86_64_DETECTOR_NAMES;

/// A host without the GC proposals (GC support itself stays on).
const NO_GC_PROPOSALS: &str =
    "-gc,-function_references,-reference_types,-exceptions,-stack_switching";

const X86_ISA: &str = "isa=has_sse3,isa=has_ssse3,isa=has_sse41,isa=has_sse42,isa=has_popcnt,isa=has_avx,isa=has_avx2,isa=has_bmi1,isa=has_bmi2,isa=has_lzcnt,isa=has_fma";

struct Gen {
    release: Release,
    version: &'static str,
    dir: PathBuf,
    compile: fn(&str, bool) -> Result<Vec<u8>, String>,
    load: fn(&str, Detector, &[u8], bool) -> Result<Verdict, String>,
    detect: fn(&[u8]) -> &'static str,
    /// The files this run wrote, by path relative to `dir`.
    files: BTreeMap<String, Vec<u8>>,
    cases: Vec<Case>,
}

/// A preset as a file name that can be typed as a command-line argument:
/// it starts with a letter. A `-feature` knob reads `no-feature`, a
/// `+feature` knob `with-feature`; knobs are joined with `_`, and any other
/// character outside `[A-Za-z0-9_-]` becomes `_`.
fn sanitize(preset: &str) -> String {
    if preset.is_empty() {
        return "default".into();
    }
    let name: String = preset
        .split(',')
        .map(|knob| {
            let knob = if let Some(f) = knob.strip_prefix('-') {
                format!("no-{f}")
            } else if let Some(f) = knob.strip_prefix('+') {
                format!("with-{f}")
            } else {
                knob.to_string()
            };
            knob.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("_");
    assert!(
        name.starts_with(|c: char| c.is_ascii_alphabetic()),
        "file name `{name}` of preset `{preset}` must start with a letter"
    );
    if name.len() <= 64 {
        return name;
    }
    // Long presets keep a readable start and a stable FNV-1a tag.
    let hash = preset.bytes().fold(0x811c9dc5u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x01000193)
    });
    format!("{}-{hash:08x}", name[..48].trim_end_matches(['-', '_']))
}

impl Gen {
    /// The bytes of `rel`: a file this run wrote, or one already in the
    /// corpus that the generator never writes (`official/...`, `../v35/...`).
    fn bytes(&self, rel: &str) -> Vec<u8> {
        if let Some(bytes) = self.files.get(rel) {
            return bytes.clone();
        }
        assert!(
            rel.starts_with("official/") || rel.starts_with("../"),
            "{rel}: not written by this run"
        );
        let path = self.dir.join(rel);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn write(&mut self, rel: String, bytes: Vec<u8>) -> String {
        assert!(
            rel.rsplit('/')
                .next()
                .is_some_and(|n| n.starts_with(|c: char| c.is_ascii_alphabetic())),
            "file name `{rel}` must start with a letter"
        );
        let path = self.dir.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &bytes).unwrap();
        self.files.insert(rel.clone(), bytes);
        rel
    }

    /// Compiles (once) an artifact with `preset`.
    fn compiled(&mut self, preset: &str, component: bool) -> (String, Vec<u8>) {
        let rel = format!(
            "artifacts/{}{}.cwasm",
            if component { "component-" } else { "" },
            sanitize(preset)
        );
        if let Some(bytes) = self.files.get(&rel) {
            return (rel, bytes.clone());
        }
        let bytes = (self.compile)(preset, component)
            .unwrap_or_else(|e| panic!("compile `{preset}` for {}: {e}", self.version));
        (self.write(rel.clone(), bytes.clone()), bytes)
    }

    fn raw(&mut self, name: &str, bytes: Vec<u8>) -> String {
        self.write(format!("artifacts/{name}.cwasm"), bytes)
    }

    fn witness(&mut self, preset: &str) -> String {
        let rel = format!("hosts/{}.cwasm", sanitize(preset));
        if !self.files.contains_key(&rel) {
            let bytes = (self.compile)(preset, false)
                .unwrap_or_else(|e| panic!("witness `{preset}` for {}: {e}", self.version));
            self.write(rel.clone(), bytes);
        }
        rel
    }

    #[allow(clippy::too_many_arguments)]
    fn case(
        &mut self,
        id: &str,
        artifact: &str,
        component: bool,
        host: &str,
        cpu: &[&str],
        rules: &[&str],
        how: &str,
    ) {
        self.case_cpu(
            id,
            artifact,
            component,
            host,
            CpuSpec::Exactly(cpu.iter().map(|s| s.to_string()).collect()),
            rules,
            how,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn case_cpu(
        &mut self,
        id: &str,
        artifact: &str,
        component: bool,
        host: &str,
        cpu: CpuSpec,
        rules: &[&str],
        how: &str,
    ) {
        self.case_full(id, artifact, &[], component, host, cpu, rules, how)
    }

    /// A case on the default host whose artifact is `artifact` with `edits`.
    fn case_edited(&mut self, id: &str, artifact: &str, edits: &[Edit], rules: &[&str], how: &str) {
        let cpu = CpuSpec::Exactly(ALL_X86.iter().map(|s| s.to_string()).collect());
        self.case_full(id, artifact, edits, false, "", cpu, rules, how)
    }

    #[allow(clippy::too_many_arguments)]
    fn case_full(
        &mut self,
        id: &str,
        artifact: &str,
        edits: &[Edit],
        component: bool,
        host: &str,
        cpu: CpuSpec,
        rules: &[&str],
        how: &str,
    ) {
        let witness = self.witness(host);
        let detector = match &cpu {
            CpuSpec::Exactly(list) => Detector::Exactly(list.clone()),
            CpuSpec::Mode(_) => Detector::Undetectable,
        };
        let mut bytes = self.bytes(artifact);
        apply_edits(&mut bytes, edits).unwrap();
        let detect = (self.detect)(&bytes);
        let verdict = (self.load)(host, detector, &bytes, component)
            .unwrap_or_else(|e| panic!("host `{host}` for {}: {e}", self.version));
        let module_version = match host.split(',').find_map(|k| k.strip_prefix("version=")) {
            Some("none") => "none".to_string(),
            Some(text) => format!("custom:{text}"),
            None => "default".to_string(),
        };
        let full_id = format!("Required.V{}.{id}", self.release.major());
        self.cases.push(Case {
            id: full_id,
            artifact: artifact.to_string(),
            edits: edits.to_vec(),
            kind: if component { "component" } else { "module" }.into(),
            host: HostSpec {
                release: self.release.to_string(),
                config: host.to_string(),
                witness,
                module_version,
                cpu_features: cpu,
            },
            expect: expect_of(verdict),
            detect: Some(detect.to_string()),
            rules: rules.iter().map(|s| s.to_string()).collect(),
            provenance: format!(
                "Wasmtime {}; artifact: {how}; host preset `{host}`",
                self.version
            ),
        });
    }
}

/// Re-encodes `base`'s Metadata after `edit`, as a new engine section.
fn synthetic(
    base: &[u8],
    release: Release,
    edit: impl FnOnce(&mut Metadata<'_>, &mut Vec<u8>, &mut Vec<u8>),
) -> Vec<u8> {
    let section = edit::engine_section(base).to_vec();
    let split = cwasm_spec::framing::split_engine_section(&section).unwrap();
    let version = std::str::from_utf8(split.version).unwrap().to_string();
    let mut meta = Metadata::decode(split.body, release).unwrap();
    let mut shared: Vec<u8> = Vec::new();
    let mut isa: Vec<u8> = Vec::new();
    edit(&mut meta, &mut shared, &mut isa);
    let shared_list;
    let isa_list;
    if !shared.is_empty() {
        shared_list = FlagList::parse(&shared).unwrap();
        meta.shared_flags = shared_list;
    }
    if !isa.is_empty() {
        isa_list = FlagList::parse(&isa).unwrap();
        meta.isa_flags = isa_list;
    }
    let body = meta.encode();
    let data = cwasm_spec::framing::encode_engine_section(&version, &body).unwrap();
    edit::replace_engine_section(base, &data)
}

fn with_flag<'a>(list: &FlagList<'a>, extra: (&'a str, FlagValue<'a>)) -> Vec<u8> {
    let mut flags: Vec<(&str, FlagValue<'_>)> = list.iter().collect();
    flags.push(extra);
    FlagList::encode(&flags)
}

/// The rules an artifact passes when its host accepts it.
#[rustfmt::skip]
fn accept_path(r: Release) -> Vec<&'static str> {
    let mut path: Vec<&str> = vec!["elf.parse", "elf.kind", "section.find", "section.data", "section.version-byte", "section.version-length", "section.too-small", "version.utf8", "version.match", "metadata.decode", "compat.target.parse", "compat.target.architecture", "compat.target.operating-system", "compat.shared-flags.unknown", "compat.shared-flags.value", "compat.isa-flags.value", "compat.features", "load.section-data", "load.section-name", "load.section-alignment"];
    path.push("load.bti");
    if r == Release::V48 {
        path.extend(["elf.section-headers", "elf.section-strings", "elf.section-name", "load.relocations", "load.section-known"]);
    }
    path.extend(r.layout().tunable_checks.iter().map(|c| c.rule));
    path
}

#[rustfmt::skip] // The case tables read best one case per line.
fn generate(g: &mut Gen) {
    let r = g.release;
    let all: &[&str] = ALL_X86;
    let (default, default_bytes) = g.compiled("", false);

    // The default artifact on the default host passes every rule on its path.
    let path = accept_path(r);
    g.case("Accept.Default", &default, false, "", all, &path, "default engine");

    // Boolean tunables: artifact-only, host-only, both.
    let mut bools: Vec<(&str, &str, &str)> = vec![
        ("epoch", "EpochInterruption", "compat.tunables.epoch-interruption"),
        ("fuel", "ConsumeFuel", "compat.tunables.consume-fuel"),
        ("no-memory-may-move", "MemoryMayMove", "compat.tunables.memory-may-move"),
        ("no-guard-before", "GuardBeforeLinearMemory", "compat.tunables.guard-before-linear-memory"),
        ("no-table-lazy-init", "TableLazyInit", "compat.tunables.table-lazy-init"),
        ("relaxed-simd-deterministic", "RelaxedSimdDeterministic", "compat.tunables.relaxed-simd-deterministic"),
        ("no-signals-based-traps", "SignalsBasedTraps", "compat.tunables.signals-based-traps"),
        ("no-cow", "MemoryInitCow", "compat.tunables.memory-init-cow"),
    ];
    if r == Release::V36 {
        bools.push(("debug-info", "GenerateNativeDebuginfo", "compat.tunables.generate-native-debuginfo"));
        bools.push(("inlining", "Inlining", "compat.tunables.inlining"));
    } else {
        bools.push(("debug-info", "DebugNative", "compat.tunables.debug-native"));
        bools.push(("no-concurrency", "ConcurrencySupport", "compat.tunables.concurrency-support"));
        bools.push(("guest-debug", "DebugGuest", "compat.tunables.debug-guest"));
        bools.push(("no-debug-symbols", "DebugSymbols", "compat.tunables.debug-symbols"));
        bools.push(("inlining", "Inlining", "compat.tunables.inlining"));
    }
    for (preset, name, rule) in bools {
        let (art, _) = g.compiled(preset, false);
        g.case(&format!("Compat.Tunables.{name}.ArtifactOnly"), &art, false, "", all, &[rule], &format!("preset `{preset}`"));
        g.case(&format!("Compat.Tunables.{name}.HostOnly"), &default, false, preset, all, &[rule], "default engine");
        g.case(&format!("Compat.Tunables.{name}.Both"), &art, false, preset, all, &[rule], &format!("preset `{preset}`"));
    }

    let mut ints = vec![
        ("memory-reservation=1073741824", "MemoryReservation", "compat.tunables.memory-reservation"),
        ("memory-guard-size=65536", "MemoryGuardSize", "compat.tunables.memory-guard-size"),
    ];
    if r == Release::V48 {
        ints.push(("gc-heap-reservation=1073741824", "GcHeapReservation", "compat.tunables.gc-heap-reservation"));
        ints.push(("gc-heap-guard-size=65536", "GcHeapGuardSize", "compat.tunables.gc-heap-guard-size"));
    }
    for (preset, name, rule) in ints {
        let (art, _) = g.compiled(preset, false);
        g.case(&format!("Compat.Tunables.{name}.ArtifactOnly"), &art, false, "", all, &[rule], &format!("preset `{preset}`"));
        g.case(&format!("Compat.Tunables.{name}.HostOnly"), &default, false, preset, all, &[rule], "default engine");
        g.case(&format!("Compat.Tunables.{name}.Both"), &art, false, preset, all, &[rule], &format!("preset `{preset}`"));
    }

    // Stack switching on a Linux host: the model must be "basic".
    let (switching, _) = g.compiled("+stack_switching", false);
    g.case("Compat.SharedFlags.StackSwitchModel.Both", &switching, false, "+stack_switching", all, &["compat.shared-flags.stack-switching-platform", "compat.shared-flags.value"], "preset `+stack_switching`");
    g.case("Compat.SharedFlags.StackSwitchModel.HostOnly", &default, false, "+stack_switching", all, &["compat.shared-flags.value", "compat.shared-flags.stack-switching-platform"], "default engine");

    // Collectors and GC.
    let (null, _) = g.compiled("collector=null", false);
    g.case("Compat.Tunables.Collector.NullOnDrc", &null, false, "", all, &["compat.tunables.collector"], "preset `collector=null`");
    g.case("Compat.Tunables.Collector.DrcOnNull", &default, false, "collector=null", all, &["compat.tunables.collector"], "default engine");
    g.case("Compat.Tunables.Collector.NullOnNull", &null, false, "collector=null", all, &["compat.tunables.collector"], "preset `collector=null`");
    // Turning the GC proposals off changes the features and, in 36, the
    // `enable_safepoints` flag; GC support itself stays on.
    let nogc = NO_GC_PROPOSALS;
    let (nogc_art, _) = g.compiled(nogc, false);
    let nogc_rule = if r == Release::V36 { "compat.shared-flags.value" } else { "compat.features" };
    g.case("Compat.Features.NoGcProposals.ArtifactLacks", &nogc_art, false, "", all, &[nogc_rule], "GC proposals disabled");
    g.case("Compat.Features.NoGcProposals.HostLacks", &default, false, nogc, all, &["compat.features"], "default engine");
    for (name, preset) in [("Simd", "-relaxed_simd,-simd"), ("Gc", "-gc"), ("FunctionReferences", "-gc,-function_references"), ("Exceptions", "-exceptions"), ("StackSwitching", "-stack_switching")] {
        g.case(&format!("Compat.Features.{name}.HostLacks"), &default, false, preset, all, &["compat.features"], "default engine");
    }
    // Neither side has reference types, so 36 lets `enable_safepoints` be off.
    g.case("Compat.Features.NoGcProposals.Both", &nogc_art, false, nogc, all, &["compat.features", "compat.shared-flags.value"], "GC proposals disabled");
    if r == Release::V48 {
        let nogc_support = "-gc,-function_references,-exceptions,-stack_switching,no-gc-support";
        let (art, _) = g.compiled(nogc_support, false);
        g.case("Compat.Tunables.Collector.GcArtifactOnNoGcHost", &default, false, nogc_support, all, &["compat.tunables.collector"], "default engine");
        g.case("Compat.Tunables.Collector.NoGcArtifactOnGcHost", &art, false, "", all, &["compat.tunables.collector"], "GC support disabled");
    }

    if r == Release::V48 {
        let (costs, _) = g.compiled("fuel,costs", false);
        let (fuel, _) = g.compiled("fuel", false);
        let (costs_nofuel, _) = g.compiled("costs", false);
        g.case("Compat.Tunables.OperatorCost.CustomOnDefault", &costs, false, "fuel", all, &["compat.tunables.operator-cost"], "preset `fuel,costs`");
        g.case("Compat.Tunables.OperatorCost.DefaultOnCustom", &fuel, false, "fuel,costs", all, &["compat.tunables.operator-cost"], "preset `fuel`");
        g.case("Compat.Tunables.OperatorCost.CustomOnCustom", &costs, false, "fuel,costs", all, &["compat.tunables.operator-cost"], "preset `fuel,costs`");
        g.case("Compat.Tunables.OperatorCost.WithoutFuel", &costs_nofuel, false, "", all, &["compat.tunables.operator-cost"], "preset `costs`");
    }

    // Wasm features.
    for feature in ["threads", "tail_call", "multi_memory", "memory64", "extended_const", "relaxed_simd"] {
        let off = format!("-{feature}");
        let (art, _) = g.compiled(&off, false);
        let camel: String = feature.split('_').map(|w| { let mut c = w.chars(); c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default() }).collect();
        g.case(&format!("Compat.Features.{camel}.HostLacks"), &default, false, &off, all, &["compat.features"], "default engine");
        g.case(&format!("Compat.Features.{camel}.ArtifactLacks"), &art, false, "", all, &["compat.features"], &format!("preset `{off}`"));
    }
    for feature in ["wide_arithmetic", "custom_page_sizes"] {
        let on = format!("+{feature}");
        let (art, _) = g.compiled(&on, false);
        let camel: String = feature.split('_').map(|w| { let mut c = w.chars(); c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default() }).collect();
        g.case(&format!("Compat.Features.{camel}.HostLacks"), &art, false, "", all, &["compat.features"], &format!("preset `{on}`"));
        g.case(&format!("Compat.Features.{camel}.ArtifactLacks"), &default, false, &on, all, &["compat.features"], "default engine");
    }

    // Module versions.
    let (custom, _) = g.compiled("version=my-build", false);
    let (none, _) = g.compiled("version=none", false);
    g.case("Version.CustomOnDefault", &custom, false, "", all, &["version.match"], "preset `version=my-build`");
    g.case("Version.CustomOnSameCustom", &custom, false, "version=my-build", all, &["version.match"], "preset `version=my-build`");
    g.case("Version.CustomOnOtherCustom", &custom, false, "version=other", all, &["version.match"], "preset `version=my-build`");
    g.case("Version.DefaultOnNone", &default, false, "version=none", all, &["version.match"], "default engine");
    g.case("Version.NoneOnDefault", &none, false, "", all, &["version.match"], "preset `version=none`");
    g.case("Version.NoneOnNone", &none, false, "version=none", all, &["version.match"], "preset `version=none`");
    let loc = edit::locate(&default_bytes);
    let version_end = loc.data_offset + 2 + default_bytes[loc.data_offset + 1] as usize;
    let older = edit::set_byte(&default_bytes, version_end - 1, default_bytes[version_end - 1] - 1);
    let older = g.raw("version-older", older);
    g.case("Version.OlderRelease", &older, false, "", all, &["version.match"], "default engine, last byte of the version string decremented");
    let bad_utf8 = g.raw("version-not-utf8", edit::set_byte(&default_bytes, loc.data_offset + 2, 0xff));
    g.case("Version.NotUtf8.Default", &bad_utf8, false, "", all, &["version.utf8"], "default engine, first version byte 0xff");
    g.case("Version.NotUtf8.Custom", &bad_utf8, false, "version=x", all, &["version.utf8"], "default engine, first version byte 0xff");
    g.case("Version.NotUtf8.None", &bad_utf8, false, "version=none", all, &["version.match"], "default engine, first version byte 0xff");
    if r == Release::V48 {
        let (full, _) = g.compiled("version=48.0.8", false);
        g.case("Version.FullStringOnMajorOnly", &full, false, "", all, &["version.match"], "preset `version=48.0.8`");
    }

    // Targets, strategies, kinds.
    for (target, name, rule) in [
        ("aarch64-unknown-linux-gnu", "Aarch64", "compat.target.architecture"),
        ("s390x-unknown-linux-gnu", "S390x", "compat.target.architecture"),
        ("riscv64gc-unknown-linux-gnu", "Riscv64gc", "compat.target.architecture"),
        ("pulley32", "Pulley32", "compat.target.architecture"),
        ("pulley64", "Pulley64", "compat.target.architecture"),
        ("x86_64-pc-windows-msvc", "Windows", "compat.target.operating-system"),
        ("x86_64-apple-darwin", "MacOs", "compat.target.operating-system"),
    ] {
        let preset = format!("target={target}");
        let (art, _) = g.compiled(&preset, false);
        g.case(&format!("Compat.Target.{name}.OnX86_64Linux"), &art, false, "", all, &[rule], &format!("preset `{preset}`"));
    }
    let (p64, _) = g.compiled("target=pulley64", false);
    g.case("Compat.Target.Pulley64.OnPulley64", &p64, false, "target=pulley64", all, &["compat.isa-flags.pointer-width", "compat.target.architecture"], "preset `target=pulley64`");
    let (winch, _) = g.compiled("winch", false);
    // Winch in 36 compiles without GC support, which the collector rule sees first.
    let winch_rule = if r == Release::V36 { "compat.tunables.collector" } else { "compat.tunables.winch-callable" };
    g.case("Compat.Tunables.WinchCallable.ArtifactOnly", &winch, false, "", all, &[winch_rule], "preset `winch`");
    g.case("Compat.Tunables.WinchCallable.Both", &winch, false, "winch", all, &["compat.tunables.winch-callable"], "preset `winch`");
    let (component, _) = g.compiled("", true);
    g.case("Elf.Kind.ComponentAsComponent", &component, true, "", all, &["elf.kind"], "default engine, component");
    g.case("Elf.Kind.ComponentAsModule", &component, false, "", all, &["elf.kind"], "default engine, component");
    g.case("Elf.Kind.ModuleAsComponent", &default, true, "", all, &["elf.kind"], "default engine");

    // CPU features.
    let (isa, _) = g.compiled(X86_ISA, false);
    g.case("Compat.IsaFlags.AllDetected", &isa, false, "", all, &["compat.isa-flags.detected", "compat.isa-flags.undetectable"], "x86-64 flags through AVX2");
    for (flag, feature) in [("HasSse41", "sse4.1"), ("HasAvx2", "avx2"), ("HasLzcnt", "lzcnt"), ("HasBmi2", "bmi2"), ("HasPopcnt", "popcnt"), ("HasFma", "fma")] {
        let cpu: Vec<&str> = all.iter().copied().filter(|f| *f != feature).collect();
        g.case(&format!("Compat.IsaFlags.{flag}.Withheld"), &isa, false, "", &cpu, &["compat.isa-flags.detected"], "x86-64 flags through AVX2");
    }
    g.case_cpu("Compat.IsaFlags.Undetectable", &isa, false, "", CpuSpec::Mode("undetectable".into()), &["compat.isa-flags.undetectable"], "x86-64 flags through AVX2");
    g.case("Compat.IsaFlags.BaselineOnBareCpu", &default, false, "", &[], &["compat.isa-flags.detected"], "default engine (baseline flags)");
    let avx512 = format!("{X86_ISA},isa=has_avx512f,isa=has_avx512vl,isa=has_avx512dq,isa=has_avx512bitalg,isa=has_avx512vbmi");
    let (avx512_art, _) = g.compiled(&avx512, false);
    g.case("Compat.IsaFlags.Avx512.AllDetected", &avx512_art, false, "", all, &["compat.isa-flags.detected"], "x86-64 flags through AVX-512");
    let no512: Vec<&str> = all.iter().copied().filter(|f| !f.starts_with("avx512")).collect();
    g.case("Compat.IsaFlags.Avx512.Withheld", &avx512_art, false, "", &no512, &["compat.isa-flags.detected"], "x86-64 flags through AVX-512");

    // Malformed containers.
    let b = &default_bytes;
    let mal: Vec<(&str, Vec<u8>, &str)> = vec![
        ("Empty", vec![], "elf.parse"),
        ("NotElf", b"this is not an ELF file, just text".to_vec(), "elf.parse"),
        ("WasmBinary", b"\0asm\x01\0\0\0".to_vec(), "elf.parse"),
        ("Truncated.Header16", edit::truncate(b, 16), "elf.parse"),
        ("Truncated.Header63", edit::truncate(b, 63), "elf.parse"),
        ("Truncated.BeforeEngineSection", edit::truncate(b, loc.data_offset), if r == Release::V36 { "elf.parse" } else { "elf.section-headers" }),
        ("Ident.Class32", edit::set_byte(b, 4, 1), "elf.parse"),
        ("Ident.BigEndian", edit::set_byte(b, 5, 2), if r == Release::V36 { "elf.parse" } else { "elf.kind" }),
        ("Ident.OsAbiZero", edit::set_byte(b, 7, 0), "elf.kind"),
        ("Ident.AbiVersionOne", edit::set_byte(b, 8, 1), "elf.kind"),
        ("Flags.NoKindBit", edit::set_byte(b, 48, b[48] & !1), "elf.kind"),
        ("Section.Renamed", edit::set_byte(b, loc.name_offset + 15, b'x'), "section.find"),
        ("Section.VersionByte", edit::set_byte(b, loc.data_offset, 1), "section.version-byte"),
        ("Section.LengthByte255.SwallowsBody", edit::set_byte(b, loc.data_offset + 1, 255), "version.match"),
        ("Section.Empty", edit::replace_engine_section(b, &[]), "section.version-byte"),
        ("Section.OnlyVersionByte", edit::replace_engine_section(b, &[0]), "section.version-length"),
        ("Section.NoBody", edit::replace_engine_section(b, &[0, 0]), "section.too-small"),
        ("Section.OffsetPastEnd", { let mut v = b.clone(); v[loc.header_offset + 24..loc.header_offset + 32].copy_from_slice(&(1u64 << 40).to_le_bytes()); v }, "section.data"),
    ];
    for (name, bytes, rule) in mal {
        let art = g.raw(&format!("malformed-{}", name.to_lowercase().replace('.', "-")), bytes);
        g.case(&format!("Malformed.{name}"), &art, false, "", all, &[rule], &format!("default engine, {name}"));
    }
    let section = edit::engine_section(b).to_vec();
    let body_start = 2 + section[1] as usize;
    let truncated_body = edit::replace_engine_section(b, &section[..body_start + (section.len() - body_start) / 2]);
    let art = g.raw("malformed-body-half", truncated_body);
    g.case("Malformed.Metadata.TruncatedBody", &art, false, "", all, &["metadata.decode"], "default engine, body cut in half");
    let mut trailing = section.clone();
    trailing.extend_from_slice(&[1, 2, 3, 4]);
    let art = g.raw("trailing-bytes", edit::replace_engine_section(b, &trailing));
    g.case("Malformed.Metadata.TrailingBytes", &art, false, "", all, &["metadata.decode"], "default engine, four bytes after the Metadata");
    let mut target_len = section.clone();
    target_len[body_start] = 0xff;
    let art = g.raw("target-length-huge", edit::replace_engine_section(b, &target_len));
    g.case("Malformed.Metadata.TargetLengthTooLong", &art, false, "", all, &["metadata.decode"], "default engine, target length byte 0xff");
    let mut target_utf8 = section.clone();
    target_utf8[body_start + 1] = 0xff;
    let art = g.raw("target-not-utf8", edit::replace_engine_section(b, &target_utf8));
    g.case("Malformed.Metadata.TargetNotUtf8", &art, false, "", all, &["metadata.decode"], "default engine, first target byte 0xff");

    // Synthetic Metadata, loaded by real Wasmtime.
    let syn: Vec<(&str, Vec<u8>, &str)> = vec![
        ("Target.UnknownArchitecture", synthetic(b, r, |m, _, _| m.target = "unknown-generic-linux"), "compat.target.architecture"),
        ("Target.UnknownOs", synthetic(b, r, |m, _, _| m.target = "x86_64-generic-unknown"), "compat.target.operating-system"),
        ("Target.Unparseable", synthetic(b, r, |m, _, _| m.target = "bogus-arch-linux"), "compat.target.parse"),
        ("SharedFlags.PreserveFramePointersFalse", synthetic(b, r, |m, s, _| *s = with_flag(&m.shared_flags, ("preserve_frame_pointers", FlagValue::Bool(false)))), "compat.shared-flags.value"),
        ("SharedFlags.Unknown", synthetic(b, r, |m, s, _| *s = with_flag(&m.shared_flags, ("made_up_setting", FlagValue::Num(7)))), "compat.shared-flags.unknown"),
        ("SharedFlags.OptLevelAnyValue", synthetic(b, r, |m, s, _| *s = with_flag(&m.shared_flags, ("opt_level", FlagValue::Enum("anything")))), "compat.shared-flags.value"),
        ("IsaFlags.NotAFlag", synthetic(b, r, |m, _, i| *i = with_flag(&m.isa_flags, ("not_a_flag", FlagValue::Bool(true)))), "compat.isa-flags.unknown"),
        ("IsaFlags.UnknownValue", synthetic(b, r, |m, _, i| *i = with_flag(&m.isa_flags, ("has_avx2", FlagValue::Num(3)))), "compat.isa-flags.value"),
        ("IsaFlags.Pointer32", synthetic(b, r, |m, _, i| *i = with_flag(&m.isa_flags, ("pointer_width", FlagValue::Enum("pointer32")))), "compat.isa-flags.pointer-width"),
        ("IsaFlags.BigEndian", synthetic(b, r, |m, _, i| *i = with_flag(&m.isa_flags, ("big_endian", FlagValue::Bool(true)))), "compat.isa-flags.endianness"),
        ("IsaFlags.FreeFlag", synthetic(b, r, |m, _, i| *i = with_flag(&m.isa_flags, ("use_bti", FlagValue::Bool(true)))), "compat.isa-flags.unknown"),
        ("Tunables.MemoryGuardSizeZero", synthetic(b, r, |m, _, _| { let i = r.layout().tunable_index("memory_guard_size").unwrap(); m.tunables.set(i, TunableValue::U64(0)); }), "compat.tunables.memory-guard-size"),
        ("Tunables.EpochInterruption", synthetic(b, r, |m, _, _| { let i = r.layout().tunable_index("epoch_interruption").unwrap(); m.tunables.set(i, TunableValue::Bool(true)); }), "compat.tunables.epoch-interruption"),
        ("Tunables.CollectorNone", synthetic(b, r, |m, _, _| { let i = r.layout().tunable_index("collector").unwrap(); m.tunables.set(i, TunableValue::Collector(None)); }), "compat.tunables.collector"),
        ("Features.Threads", synthetic(b, r, |m, _, _| m.features |= 1 << 8), "compat.features"),
        ("Features.UnknownBit", synthetic(b, r, |m, _, _| m.features |= 1 << 62), "compat.features"),
        ("Features.OneBitOfReferenceTypes", synthetic(b, r, |m, _, _| m.features &= !(1 << 3)), "compat.features"),
    ];
    for (name, bytes, rule) in syn {
        let art = g.raw(&format!("synthetic-{}", name.to_lowercase().replace('.', "-")), bytes);
        g.case(&format!("Synthetic.{name}"), &art, false, "", all, &[rule], &format!("default engine, Metadata re-encoded: {name}"));
    }
    let threads_off = "-threads";
    let art = g.raw("synthetic-features-threads-x", synthetic(b, r, |m, _, _| m.features |= 1 << 8));
    g.case("Synthetic.Features.ThreadsOnHostWithout", &art, false, threads_off, all, &["compat.features"], "default engine, threads bit set");
    systematic(g, &default, &default_bytes);
    every_tunable(g, &default_bytes);
    every_feature(g, &default_bytes);
    bad_encodings(g, &default_bytes);
    section_tables(g, &default_bytes);
    crossed(g);
}

/// The official C-API builds' presets that the `Crossed` family loads, if
/// the build recorded them; `component-default` is loaded as a component.
const CROSSED_PRESETS: &[&str] = &[
    "default",
    "fuel",
    "epoch",
    "debug-info",
    "nan-canonicalization",
    "memory-may-move-off",
    "wasm-threads-off",
    "isa-off=has_avx2",
    "component-default",
];

/// Artifacts of the official C-API build of this major (36.0.0, 48.0.0) and
/// of the neighbouring majors, loaded on the crates.io default host with a
/// CPU that has every feature: one patch release's artifact on another's
/// host. Their rules are read off Wasmtime's chain.
#[rustfmt::skip]
fn crossed(g: &mut Gen) {
    let r = g.release;
    let major = r.major();
    for mm in [major - 1, major, major + 1] {
        let rel_dir = if mm == major { "official".to_string() } else { format!("../v{mm}/official") };
        let dir = g.dir.join(&rel_dir);
        let Ok(manifest) = std::fs::read_to_string(dir.join("presets.json")) else {
            eprintln!("{}: no official build of {mm}; its Crossed cases skipped", g.version);
            continue;
        };
        let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
        let package = manifest["package"].as_str().unwrap().to_string();
        for preset in CROSSED_PRESETS {
            let artifact = format!("{rel_dir}/artifacts/{preset}.cwasm");
            if !g.dir.join(&artifact).exists() {
                continue;
            }
            let component = preset.starts_with("component-");
            let bytes = g.bytes(&artifact);
            // The official 48.0.0 build collects with DRC, the crates.io
            // 48.0.8 default with the copying collector: a DRC host shows
            // what lies past that rule.
            let hosts: &[(&str, &str)] = if mm == major && r == Release::V48 { &[("", ""), ("collector=drc", ".OnDrcCollector")] } else { &[("", "")] };
            for (host, suffix) in hosts {
                let detector = Detector::Exactly(ALL_X86.iter().map(|s| s.to_string()).collect());
                let verdict = (g.load)(host, detector, &bytes, component).unwrap();
                let rules = match &verdict {
                    Ok(()) => accept_path(r),
                    Err(chain) => vec![rule_of_chain(r, chain)],
                };
                let how = format!("official C-API wasmtime {package} (PyPI wasmtime=={package}), preset `{preset}`");
                g.case(&format!("Crossed.Official{mm}.{}{suffix}", camel(preset)), &artifact, component, host, ALL_X86, &rules, &how);
            }
        }
    }
}

/// `wasm-threads-off` -> `WasmThreadsOff`, `isa-off=has_avx2` -> `IsaOffHasAvx2`.
fn camel(name: &str) -> String {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| p[..1].to_ascii_uppercase() + &p[1..])
        .collect()
}

/// The rule of a rejection, read off Wasmtime's outermost message (its cause,
/// under the wrapper of the shared and ISA flag checks), with the message
/// table of `spec/cwasm.md`.
fn rule_of_chain(r: Release, chain: &[String]) -> &'static str {
    match framing_rules(Some(chain), None)[0] {
        "compat" => compat_rule(r, chain),
        rule => rule,
    }
}

/// The `compat.*` rule of a chain that `framing_rules` leaves as `compat`.
fn compat_rule(r: Release, chain: &[String]) -> &'static str {
    use cwasm_spec::history::CheckKind;
    const WRAPPER: &str = "compilation settings of module incompatible with native host";
    let m = match chain {
        [first, cause, ..] if first == WRAPPER => cause.as_str(),
        _ => chain[0].as_str(),
    };
    for check in &r.layout().tunable_checks {
        let hit = match check.kind {
            CheckKind::Bool(what) => {
                m == format!("Module was compiled with {what} but it is not enabled for the host")
                    || m == format!(
                        "Module was compiled without {what} but it is enabled for the host"
                    )
            }
            CheckKind::Int(what) => {
                m.starts_with(&format!("Module was compiled with a {what} of '"))
            }
            CheckKind::Collector { .. } => {
                m.starts_with("module was compiled for the ") || m.contains(" GC ")
            }
            CheckKind::Inlining => {
                m.starts_with("module was compiled ")
                    && m.contains(" however the host is configured ")
            }
            CheckKind::Cost { .. } => m == "Module costs are incompatible",
        };
        if hit {
            return check.rule;
        }
    }
    let table: &[(&str, &str, &str)] = &[
        (
            "Module was compiled for architecture ",
            "",
            "compat.target.architecture",
        ),
        (
            "Module was compiled for operating system ",
            "",
            "compat.target.operating-system",
        ),
        ("Unrecognized ", "", "compat.target.parse"),
        ("unknown shared setting ", "", "compat.shared-flags.unknown"),
        (
            "setting \"",
            " which is not supported",
            "compat.shared-flags.value",
        ),
        (
            "stack-switching feature not supported on this platform",
            "",
            "compat.shared-flags.stack-switching-platform",
        ),
        (
            "wrong host pointer width",
            "",
            "compat.isa-flags.pointer-width",
        ),
        ("isa-specific feature ", "", "compat.isa-flags.value"),
        ("wrong host endianness", "", "compat.isa-flags.endianness"),
        (
            "don't know how to test for target-specific flag ",
            "",
            "compat.isa-flags.unknown",
        ),
        (
            "compilation setting \"",
            " is enabled, but not available on the host",
            "compat.isa-flags.detected",
        ),
        (
            "failed to detect if target-specific flag ",
            "",
            "compat.isa-flags.undetectable",
        ),
        (
            "cannot determine if host feature ",
            "",
            "compat.isa-flags.undetectable",
        ),
        (
            "Module was compiled with support for WebAssembly feature ",
            "",
            "compat.features",
        ),
        (
            "Module was compiled without support for WebAssembly feature ",
            "",
            "compat.features",
        ),
    ];
    table
        .iter()
        .find(|(start, end, _)| m.starts_with(start) && m.ends_with(end))
        .map(|(_, _, rule)| *rule)
        .unwrap_or_else(|| panic!("no rule for Wasmtime's message {m:?}"))
}

/// One synthetic artifact per tunable check: that field alone changed.
#[rustfmt::skip]
fn every_tunable(g: &mut Gen, base: &[u8]) {
    let r = g.release;
    let layout = r.layout();
    for check in &layout.tunable_checks {
        let index = layout.tunable_index(check.field).unwrap();
        let ty = layout.tunables[index].ty;
        let bytes = synthetic(base, r, |m, _, _| {
            let changed = match m.tunables.get(index) {
                TunableValue::Bool(b) => TunableValue::Bool(!b),
                TunableValue::U64(0) => TunableValue::U64(65536),
                TunableValue::U64(n) => TunableValue::U64(n / 2),
                TunableValue::U32(n) => TunableValue::U32(n + 1),
                TunableValue::Collector(Some(c)) => TunableValue::Collector(Some((c + 1) % variants(ty))),
                TunableValue::Collector(None) => TunableValue::Collector(Some(0)),
                TunableValue::Enum(e) => TunableValue::Enum((e + 1) % variants(ty)),
                other => other,
            };
            m.tunables.set(index, changed);
        });
        if check.field == "operator_cost" {
            continue;
        }
        let name = format!("each-tunable-{}", check.field);
        let art = g.raw(&name, bytes);
        g.case(&format!("Synthetic.Tunables.Each.{}", check.field), &art, false, "", ALL_X86, &[check.rule], &format!("default engine, `{}` changed", check.field));
    }
}

/// One synthetic artifact per wasm feature of the release's table: the
/// default artifact with that feature's bits removed when the default host
/// has them, added when it lacks them.
#[rustfmt::skip]
fn every_feature(g: &mut Gen, base: &[u8]) {
    let r = g.release;
    let section = edit::engine_section(base).to_vec();
    let split = cwasm_spec::framing::split_engine_section(&section).unwrap();
    let host_features = Metadata::decode(split.body, r).unwrap().features;
    for feature in &r.layout().features {
        let on_host = host_features & feature.bits == feature.bits;
        let (how, bytes) = if on_host {
            ("Removed", synthetic(base, r, |m, _, _| m.features &= !feature.bits))
        } else {
            ("Added", synthetic(base, r, |m, _, _| m.features |= feature.bits))
        };
        let art = g.raw(&format!("each-feature-{}", feature.name), bytes);
        g.case(&format!("Synthetic.Features.Each.{}.{how}", feature.name), &art, false, "", ALL_X86, &["compat.features"], &format!("default engine, feature `{}` {}", feature.name, how.to_lowercase()));
        // A feature of several bits is named only when all of them differ.
        for bit in single_bits(feature.bits).filter(|b| *b != feature.bits) {
            let n = bit.trailing_zeros();
            let bytes = synthetic(base, r, |m, _, _| m.features ^= bit);
            let art = g.raw(&format!("one-bit-{}-{n}", feature.name), bytes);
            g.case(&format!("Synthetic.Features.OneBit.{}.Bit{n}", feature.name), &art, false, "", ALL_X86, &["compat.features"], &format!("default engine, bit {n} of `{}` flipped", feature.name));
        }
    }
    // 48 only names what the host lacks; its hosts without the GC proposals
    // lack both bits of `reference_types`.
    if r == Release::V48 {
        let nogc = NO_GC_PROPOSALS;
        let (_, nogc_bytes) = g.compiled(nogc, false);
        let reference_types = r.layout().feature_by_name("reference_types").unwrap().bits;
        for bit in single_bits(reference_types) {
            let n = bit.trailing_zeros();
            let bytes = synthetic(&nogc_bytes, r, |m, _, _| m.features |= bit);
            let art = g.raw(&format!("nogc-plus-bit-{n}"), bytes);
            g.case(&format!("Synthetic.Features.OneBit.reference_types.Bit{n}OnHostWithout"), &art, false, nogc, ALL_X86, &["compat.features"], &format!("GC proposals disabled, bit {n} set"));
        }
    }
}

/// Each set bit of `bits`, as a value of its own.
fn single_bits(bits: u64) -> impl Iterator<Item = u64> {
    (0..64).map(|b| 1u64 << b).filter(move |b| bits & b != 0)
}

fn variants(ty: TunableType) -> u8 {
    match ty {
        TunableType::Collector(e) | TunableType::Enum(e) => e.variants.len() as u8,
        _ => 1,
    }
}

fn varint_len(mut v: u64) -> usize {
    let mut n = 1;
    while v >= 0x80 {
        v >>= 7;
        n += 1;
    }
    n
}

/// Offset, within the Metadata body, of Tunables field `index`.
fn tunable_offset(meta: &Metadata<'_>, index: usize) -> usize {
    let mut prefix = *meta;
    prefix.tunables =
        cwasm_spec::metadata::Tunables::from_values(&meta.tunables.values()[..index]).unwrap();
    prefix.encode().len() - varint_len(meta.features)
}

/// Replaces `old_len` bytes at `offset` of the Metadata body with `new`.
fn splice_body(base: &[u8], offset: usize, old_len: usize, new: &[u8]) -> Vec<u8> {
    let section = edit::engine_section(base);
    let start = 2 + section[1] as usize + offset;
    let mut data = section[..start].to_vec();
    data.extend_from_slice(new);
    data.extend_from_slice(&section[start + old_len..]);
    edit::replace_engine_section(base, &data)
}

/// postcard encodings that no Wasmtime writes.
#[rustfmt::skip]
fn bad_encodings(g: &mut Gen, base: &[u8]) {
    let r = g.release;
    let section = edit::engine_section(base).to_vec();
    let split = cwasm_spec::framing::split_engine_section(&section).unwrap();
    let meta = Metadata::decode(split.body, r).unwrap();
    let layout = r.layout();
    let collector = tunable_offset(&meta, layout.tunable_index("collector").unwrap());
    let reservation = tunable_offset(&meta, layout.tunable_index("memory_reservation").unwrap());
    let reservation_len = tunable_offset(&meta, layout.tunable_index("memory_reservation").unwrap() + 1) - reservation;
    let first_bool = layout.tunables.iter().position(|f| f.ty == TunableType::Bool).unwrap();
    let bool_at = tunable_offset(&meta, first_bool);
    let target_len = varint_len(meta.target.len() as u64) + meta.target.len();
    let shared_at = target_len;
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("CollectorOptionTag2", splice_body(base, collector, 1, &[2])),
        ("CollectorVariant9", splice_body(base, collector, 2, &[1, 9])),
        ("BoolByte2", splice_body(base, bool_at, 1, &[2])),
        ("VarintTooLong", splice_body(base, reservation, reservation_len, &[0xff; 11])),
        ("VarintLastByteTooLarge", splice_body(base, reservation, reservation_len, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])),
        ("TargetLength2To64", splice_body(base, 0, varint_len(meta.target.len() as u64), &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])),
        ("SharedFlagCount2To62", splice_body(base, shared_at, varint_len(meta.shared_flags.len()), &[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40])),
        ("FlagValueVariant3", splice_body(base, shared_at + varint_len(meta.shared_flags.len()) + 1 + meta.shared_flags.iter().next().unwrap().0.len(), 1, &[3])),
        ("FeaturesMissing", splice_body(base, split.body.len() - varint_len(meta.features), varint_len(meta.features), &[])),
    ];
    if r == Release::V48 {
        let zeal = tunable_offset(&meta, layout.tunable_index("gc_zeal_alloc_counter").unwrap());
        cases.push(("NonZeroU32Zero", splice_body(base, zeal, 1, &[1, 0])));
        let cost = tunable_offset(&meta, layout.tunable_index("operator_cost").unwrap());
        cases.push(("OperatorCostTableShort", splice_body(base, cost, 1, &[0, 1, 2, 3])));
    }
    for (name, bytes) in cases {
        let art = g.raw(&format!("synthetic-encoding-{}", name.to_lowercase()), bytes);
        g.case(&format!("Malformed.Metadata.Encoding.{name}"), &art, false, "", ALL_X86, &["metadata.decode"], &format!("default engine, Metadata bytes edited: {name}"));
    }
}

/// Section-table edits that the two releases read differently.
#[rustfmt::skip]
fn section_tables(g: &mut Gen, base: &[u8]) {
    let r = g.release;
    let loc = edit::locate(base);
    let header = |i: usize| loc.shoff + i * edit::SHDR_SIZE;
    // Two sections named `.wasmtime.engine`: the real one, and the address
    // map's header slot turned into a copy whose version string is "zz".
    // 36 reads the first, 48 the last.
    let copy_slot = 5;
    assert!(copy_slot > loc.index && copy_slot < loc.shnum && copy_slot != loc.shstrndx, "section order changed");
    let section = edit::engine_section(base).to_vec();
    let mut zz = vec![0, 2, b'z', b'z'];
    zz.extend_from_slice(&section[2 + section[1] as usize..]);
    let mut with_zz = base.to_vec();
    let zz_offset = with_zz.len() as u64;
    with_zz.extend_from_slice(&zz);
    let original: Vec<u8> = base[loc.header_offset..loc.header_offset + edit::SHDR_SIZE].to_vec();
    let mut zz_header = original.clone();
    zz_header[24..32].copy_from_slice(&zz_offset.to_le_bytes());
    zz_header[32..40].copy_from_slice(&(zz.len() as u64).to_le_bytes());
    let place = |first: &[u8], second: &[u8]| {
        let mut out = with_zz.clone();
        out[loc.header_offset..loc.header_offset + edit::SHDR_SIZE].copy_from_slice(first);
        out[header(copy_slot)..header(copy_slot) + edit::SHDR_SIZE].copy_from_slice(second);
        out
    };
    let dup_first = place(&zz_header, &original);
    let dup_last = place(&original, &zz_header);
    let (first_rule, last_rule) = if r == Release::V36 { ("version.match", "section.find") } else { ("section.find", "version.match") };
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("Section.Duplicate.EarlierCopy", dup_first, first_rule),
        ("Section.Duplicate.LaterCopy", dup_last, last_rule),
        ("Table.ShstrndxOutOfRange", edit::set_le::<2>(base, 62, loc.shnum as u64 + 5), if r == Release::V36 { "elf.parse" } else { "elf.section-strings" }),
        ("Table.ShentsizeWrong", edit::set_le::<2>(base, 58, 32), if r == Release::V36 { "elf.parse" } else { "elf.section-headers" }),
        ("Table.ShoffPastEnd", edit::set_le::<8>(base, 40, 1 << 40), if r == Release::V36 { "elf.parse" } else { "elf.section-headers" }),
        // 36 resolves no names then, so it finds no engine section.
        ("Table.ShstrtabOffsetPastEnd", edit::set_le::<8>(base, header(loc.shstrndx) + 24, 1 << 40), if r == Release::V36 { "section.find" } else { "elf.section-name" }),
        ("Table.EngineNamePastShstrtab", edit::set_le::<4>(base, loc.header_offset, 1 << 30), if r == Release::V36 { "section.find" } else { "elf.section-name" }),
    ];
    for (name, bytes, rule) in cases {
        let art = g.raw(&format!("malformed-{}", name.to_lowercase().replace('.', "-")), bytes);
        g.case(&format!("Malformed.{name}"), &art, false, "", ALL_X86, &[rule], &format!("default engine, {name}"));
    }
    // Sections the check never reads, but loading does.
    let (text_header, text_name) = edit::section_by_name(base, ".text");
    let (bti_header, _) = edit::section_by_name(base, ".wasmtime.bti");
    let (symtab_header, symtab_name) = edit::section_by_name(base, ".symtab");
    let text_index = ((text_header - loc.shoff) / edit::SHDR_SIZE) as u32;
    // A little-endian `u32` field, as byte edits.
    let u32_at = |offset: usize, value: u32| -> Vec<Edit> {
        value.to_le_bytes().iter().enumerate().map(|(i, b)| Edit::SetByte(offset + i, *b)).collect()
    };
    // `.symtab` turned into an `SHT_RELA` section relocating section `info`.
    let symtab_relocating = |info: u32| [u32_at(symtab_header + 4, 4), u32_at(symtab_header + 44, info)].concat();
    let mut load_cases: Vec<(&str, Vec<Edit>, &str)> = vec![
        ("TextOffsetPastEnd", vec![Edit::SetU64(text_header + 24, 1 << 40)], "load.section-data"),
        ("TextNameNotUtf8", vec![Edit::SetByte(text_name + 1, 0xff)], "load.section-name"),
        ("TextMisaligned", vec![Edit::SetU64(text_header + 48, 3)], "load.section-alignment"),
        ("BtiEmpty", vec![Edit::SetU64(bti_header + 32, 0)], "load.bti"),
        ("BtiTwoBytes", vec![Edit::SetU64(bti_header + 32, 2)], "load.bti"),
        // Its name becomes the empty string, which 48 knows and 36 ignores.
        ("BtiUnnamed", u32_at(bti_header, 0), "load.bti"),
        // 48 refuses the unknown name; 36 finds its symbol table by type.
        ("SymtabRenamed", vec![Edit::SetByte(symtab_name + 6, b'X')], "load.section-known"),
        // The null section is empty: from object 0.37 on, an empty section
        // is in the file wherever it points.
        ("EmptySectionPastEnd", vec![Edit::SetU64(loc.shoff + 24, 1 << 40)], "load.section-data"),
    ];
    if r == Release::V48 {
        load_cases.extend([
            // The differential fuzzer's first finding: `.text` cut to `.tex`.
            ("TextRenamed", vec![Edit::SetByte(text_name + 4, 0)], "load.section-known"),
            ("RelocationsIntoText", symtab_relocating(text_index), "load.relocations"),
            ("RelocationTargetOutOfRange", symtab_relocating(loc.shnum as u32 + 5), "load.relocations"),
            ("RelocationsDynamic", symtab_relocating(0), "load.relocations"),
        ]);
    }
    let default = "artifacts/default.cwasm";
    for (name, edits, rule) in load_cases {
        g.case_edited(&format!("Load.{name}"), default, &edits, &[rule], &format!("default engine, {name}"));
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") => {
            generate_corpus(args.get(2).cloned().unwrap_or_else(|| "conformance".into()))
        }
        Some("sweep") => run_sweep(&args[2..]),
        Some("profiles") if args.len() == 3 => profiles::run(std::path::Path::new(&args[2])),
        _ => {
            eprintln!("usage: cwasm-oracle generate [CORPUS_DIR]\n       cwasm-oracle sweep [--release 36|48] [--depth full|reduced] [--only A.cwasm,B.cwasm] [--corpus DIR]\n       cwasm-oracle profiles OUT_FILE");
            std::process::exit(2);
        }
    }
}

fn run_sweep(args: &[String]) {
    use cwasm_oracle::sweep::{sweep_case, sweep_cases, Depth};
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(String::as_str)
    };
    let releases: Vec<Release> = match arg("--release") {
        Some(m) => vec![cwasm_oracle::RELEASES
            .into_iter()
            .find(|r| r.major().to_string() == m)
            .expect("--release 36 or 48")],
        None => cwasm_oracle::RELEASES.to_vec(),
    };
    let depth = match arg("--depth") {
        Some("reduced") => Depth::Reduced,
        _ => Depth::Full,
    };
    let corpus = PathBuf::from(arg("--corpus").unwrap_or("conformance"));
    let mut failed = false;
    for release in releases {
        let suite = cwasm_oracle::suite(&corpus, release).unwrap();
        let (mut tried, mut agreed) = (0u64, 0u64);
        let mut shown = 0;
        let only: Option<Vec<&str>> = arg("--only").map(|o| o.split(',').collect());
        let cases: Vec<_> = sweep_cases(&suite)
            .into_iter()
            .filter(|c| {
                only.as_ref()
                    .is_none_or(|o| o.iter().any(|a| c.artifact.ends_with(&format!("/{a}"))))
            })
            .collect();
        for (i, case) in cases.iter().enumerate() {
            let stats = sweep_case(&suite, case, depth, 5, &mut |s| {
                eprint!(
                    "\r{} [{}/{}] {}: {} tried, {} disagree   ",
                    release,
                    i + 1,
                    cases.len(),
                    case.artifact,
                    s.tried,
                    s.disagreed()
                );
            })
            .unwrap();
            tried += stats.tried;
            agreed += stats.agreed;
            for d in stats
                .disagreements
                .iter()
                .take(5usize.saturating_sub(shown))
            {
                eprintln!(
                    "\nDISAGREE {}\n  wasmtime:  {:?}\n  reference: {:?}",
                    d.input, d.wasmtime, d.reference
                );
                shown += 1;
            }
        }
        eprintln!();
        println!("Wasmtime {}: {} artifacts, {tried} inputs tried, {agreed} agreements, {} disagreements", release, cases.len(), tried - agreed);
        failed |= tried != agreed;
    }
    std::process::exit(i32::from(failed));
}

fn generate_corpus(corpus: String) {
    let corpus = PathBuf::from(corpus);
    for (release, version, compile, load, detect) in [
        (
            Release::V36,
            v36::VERSION,
            v36::compile as fn(&str, bool) -> _,
            v36::load as fn(&str, Detector, &[u8], bool) -> _,
            v36::detect_precompiled as fn(&[u8]) -> _,
        ),
        (
            Release::V48,
            v48::VERSION,
            v48::compile,
            v48::load,
            v48::detect_precompiled,
        ),
    ] {
        let dir = corpus.join(format!("v{}", release.major()));
        // The official build's cases (official.json, official/) stay.
        for old in ["artifacts", "hosts"] {
            let _ = std::fs::remove_dir_all(dir.join(old));
        }
        let mut g = Gen {
            release,
            version,
            dir: dir.clone(),
            compile,
            load,
            detect,
            files: BTreeMap::new(),
            cases: vec![],
        };
        generate(&mut g);
        let json = serde_json::to_string_pretty(&g.cases).unwrap();
        std::fs::write(dir.join(cwasm_oracle::CASE_FILE), json + "\n").unwrap();
        println!(
            "{}: {} cases, {} files",
            version,
            g.cases.len(),
            g.files.len()
        );
    }
}

/// The rules a framing verdict exercises, read off Wasmtime's own chain with
/// the message table of `spec/cwasm.md` section 3. `section_len` is the
/// engine section's length when the edit fixed it.
fn framing_rules(chain: Option<&[String]>, section_len: Option<u64>) -> Vec<&'static str> {
    let Some(chain) = chain else {
        return vec![
            "elf.parse",
            "elf.kind",
            "section.find",
            "section.data",
            "section.version-byte",
            "section.too-small",
            "version.match",
            "metadata.decode",
            "load.section-alignment",
        ];
    };
    let first = chain[0].as_str();
    let postcard = [
        "Hit the end of buffer",
        "Found a",
        "Tried to parse",
        "Serde Deserialization Error",
    ];
    let rule = match first {
        "failed to parse precompiled artifact as an ELF" => "elf.parse",
        "failed to parse header endianness" => "elf.endianness",
        "incompatible object file format" => "elf.kind",
        "failed to parse section headers" => "elf.section-headers",
        "failed to parse strings table" => "elf.section-strings",
        "failed to parse sections table" => "elf.sections",
        "invalid engine section" if section_len == Some(1) => "section.version-length",
        "invalid engine section" => "section.version-byte",
        "mismatched version in engine section" => "section.version-byte",
        "engine section too small" => "section.too-small",
        "Invalid ELF section size or offset" => "section.data",
        m if m.starts_with("failed to find section") => "section.find",
        m if m.starts_with("Module was compiled with incompatible") => "version.match",
        m if m.starts_with("invalid utf-8") || m.starts_with("incomplete utf-8") => "version.utf8",
        m if postcard.iter().any(|p| m.starts_with(p)) => "metadata.decode",
        m if m.starts_with("section ") && m.contains(" isn't aligned to ") => {
            "load.section-alignment"
        }
        m if m.starts_with("Invalid ELF") => "elf.section-name",
        m if m.starts_with("unexpected section ") => "load.section-known",
        m if m.contains("has unexpected relocations") || m.starts_with("invalid ELF `sh_info`") => {
            "load.relocations"
        }
        m if m.contains(".wasmtime.bti") => "load.bti",
        _ => "compat",
    };
    vec![rule]
}

/// Systematic families: every truncation of the engine section and a few
/// values for every byte of the ELF ident, `e_flags`, the section-table
/// fields of the header and the engine section's header.
#[rustfmt::skip]
fn systematic(g: &mut Gen, default: &str, base: &[u8]) {
    let loc = edit::locate(base);
    let size_field = loc.header_offset + 32;
    for n in 0..loc.data_size {
        let edits = [Edit::SetU64(size_field, n as u64)];
        g.case_classified(&format!("Malformed.Truncation.EngineSection.Len{n:04}"), default, &edits, Some(n as u64), &format!("default engine, engine section cut to {n} bytes"));
    }
    let mut bytes_to_vary: Vec<(String, usize)> = Vec::new();
    for i in 0..16 { bytes_to_vary.push((format!("Ident.Byte{i:02}"), i)); }
    for i in 48..52 { bytes_to_vary.push((format!("Flags.Byte{}", i - 48), i)); }
    for (name, range) in [("Shoff", 40..48), ("Shentsize", 58..60), ("Shnum", 60..62), ("Shstrndx", 62..64)] {
        for i in range.clone() { bytes_to_vary.push((format!("Header.{name}.Byte{}", i - range.start), i)); }
    }
    for i in 0..64 { bytes_to_vary.push((format!("EngineSectionHeader.Byte{i:02}"), loc.header_offset + i)); }
    for (name, offset) in bytes_to_vary {
        let original = base[offset];
        let mut values = vec![0x00u8, 0xff, original ^ 0x01, original ^ 0x80];
        values.sort();
        values.dedup();
        for value in values.into_iter().filter(|v| *v != original) {
            g.case_classified(&format!("Malformed.Byte.{name}.To{value:02x}"), default, &[Edit::SetByte(offset, value)], None, &format!("default engine, byte {offset} set to {value:#04x}"));
        }
    }
}

impl Gen {
    /// A default-host case whose rules are read off Wasmtime's verdict.
    fn case_classified(
        &mut self,
        id: &str,
        artifact: &str,
        edits: &[Edit],
        section_len: Option<u64>,
        how: &str,
    ) {
        let mut bytes = self.bytes(artifact);
        apply_edits(&mut bytes, edits).unwrap();
        let detector = Detector::Exactly(ALL_X86.iter().map(|s| s.to_string()).collect());
        let verdict = (self.load)("", detector, &bytes, false).unwrap();
        let rules = framing_rules(verdict.as_ref().err().map(|c| c.as_slice()), section_len);
        self.case_edited(id, artifact, edits, &rules, how);
    }
}
