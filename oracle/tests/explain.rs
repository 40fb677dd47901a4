//! `explain`'s fixes (r[fleet.explain], issue 10) against real Wasmtime
//! 36.0.20 and 48.0.8. For pairs of artifact and host presets taken from
//! the corpus's `Compat.*` and `Version.*` families, and for combined
//! presets that give several mismatches at once:
//!
//! - the first mismatch is exactly Wasmtime's error chain;
//! - every fix given as a Wasmtime option, translated into the oracle's
//!   preset vocabulary by the explicit table [`option_knob`] and applied to
//!   its side's preset (artifact side: recompile; host side: rebuild the
//!   engine), removes that mismatch in real Wasmtime: its chain is no
//!   longer what Wasmtime says (Wasmtime may now stop at a later one).
//!   Each mismatch is fixed after the artifact-side fixes of the mismatches
//!   before it, so that Wasmtime is asked about it first where it can be;
//! - fixes that are not options are checked where there is a preset for
//!   them (a CPU feature on the host, recompiling with the host's release,
//!   a host that ignores module versions) and otherwise counted as skipped;
//! - after every pair's artifact-side fixes at once, the artifact loads;
//! - on each fixed pair, `explain`'s first mismatch is again Wasmtime's.

use cwasm_oracle::{Detector, Verdict};
use cwasm_spec::fleet::explain::{explain, Fix, Side};
use cwasm_spec::host::{Cpu, Host, ModuleVersion, X86_64_DETECTOR_NAMES};
use cwasm_spec::{Kind, Release};
use std::collections::BTreeMap;

/// The x86-64 flags through AVX2 (the corpus's `Compat.IsaFlags` artifact).
const X86_ISA: &str = "isa=has_sse3,isa=has_ssse3,isa=has_sse41,isa=has_sse42,isa=has_popcnt,\
                       isa=has_avx,isa=has_avx2,isa=has_bmi1,isa=has_bmi2,isa=has_lzcnt,isa=has_fma";
const AVX512: &str = "isa=has_avx512f,isa=has_avx512vl,isa=has_avx512dq,isa=has_avx512bitalg,\
                      isa=has_avx512vbmi";
/// A host without the GC proposals (GC support itself stays on).
const NO_GC_PROPOSALS: &str =
    "-gc,-function_references,-reference_types,-exceptions,-stack_switching";
/// 48: without GC support.
const NO_GC_SUPPORT: &str = "-gc,-function_references,-exceptions,-stack_switching,no-gc-support";

/// A simulated host CPU: the detector's yes-list, or undetectable (`None`).
type CpuList = Option<Vec<String>>;

fn all_x86() -> CpuList {
    Some(
        X86_64_DETECTOR_NAMES
            .iter()
            .map(|s| s.to_string())
            .collect(),
    )
}

fn x86_without(filter: impl Fn(&str) -> bool) -> CpuList {
    Some(
        X86_64_DETECTOR_NAMES
            .iter()
            .filter(|f| !filter(f))
            .map(|s| s.to_string())
            .collect(),
    )
}

/// (artifact preset, host preset, host CPU), as the corpus pairs them.
fn pairs(release: Release) -> Vec<(String, String, CpuList)> {
    let v48 = release == Release::V48;
    let mut out: Vec<(String, String, CpuList)> = Vec::new();
    let mut pair = |a: &str, h: &str, cpu: CpuList| out.push((a.into(), h.into(), cpu));
    // Compat.Tunables.*: artifact only and host only.
    let mut one_sided = vec![
        "epoch",
        "fuel",
        "no-memory-may-move",
        "no-guard-before",
        "no-table-lazy-init",
        "relaxed-simd-deterministic",
        "no-signals-based-traps",
        "no-cow",
        "debug-info",
        "inlining",
        "memory-reservation=1073741824",
        "memory-guard-size=65536",
        "collector=null",
        "-threads",
        "-tail_call",
        "-multi_memory",
        "-memory64",
        "-extended_const",
        "-relaxed_simd",
        "+wide_arithmetic",
        "+custom_page_sizes",
        NO_GC_PROPOSALS,
    ];
    if v48 {
        one_sided.extend([
            "no-concurrency",
            "guest-debug",
            "no-debug-symbols",
            "gc-heap-reservation=1073741824",
            "gc-heap-guard-size=65536",
            "collector=drc",
            NO_GC_SUPPORT,
        ]);
    }
    for preset in one_sided {
        pair(preset, "", all_x86());
        pair("", preset, all_x86());
    }
    // Compat.Features.*.HostLacks, Compat.SharedFlags.StackSwitchModel.
    for host in [
        "-relaxed_simd,-simd",
        "-gc",
        "-gc,-function_references",
        "-exceptions",
        "-stack_switching",
        "+stack_switching",
    ] {
        pair("", host, all_x86());
    }
    pair("+stack_switching", "+stack_switching", all_x86());
    pair(NO_GC_PROPOSALS, NO_GC_PROPOSALS, all_x86());
    // Compat.Tunables.OperatorCost.
    if v48 {
        pair("fuel,costs", "fuel", all_x86());
        pair("fuel", "fuel,costs", all_x86());
        pair("costs", "", all_x86());
    }
    // Version.*.
    pair("version=my-build", "", all_x86());
    pair("version=my-build", "version=other", all_x86());
    pair("version=none", "", all_x86());
    pair("", "version=my-build", all_x86());
    // Compat.Target.*, Compat.Tunables.WinchCallable.
    for target in [
        "aarch64-unknown-linux-gnu",
        "s390x-unknown-linux-gnu",
        "riscv64gc-unknown-linux-gnu",
        "pulley32",
        "pulley64",
        "x86_64-pc-windows-msvc",
        "x86_64-apple-darwin",
    ] {
        pair(&format!("target={target}"), "", all_x86());
    }
    pair("target=pulley64", "target=pulley64", all_x86());
    pair("winch", "", all_x86());
    pair("winch", "winch", all_x86());
    // Compat.IsaFlags.*.
    for feature in ["sse4.1", "avx2", "lzcnt", "bmi2", "popcnt", "fma"] {
        pair(X86_ISA, "", x86_without(|f| f == feature));
    }
    pair(X86_ISA, "", None);
    pair("", "", Some(vec![]));
    let avx512 = format!("{X86_ISA},{AVX512}");
    pair(&avx512, "", x86_without(|f| f.starts_with("avx512")));
    // Several mismatches at once.
    pair(
        "epoch,memory-reservation=1073741824,-threads",
        "",
        all_x86(),
    );
    pair(
        "fuel,no-cow,memory-guard-size=65536,collector=null,-tail_call",
        "epoch",
        all_x86(),
    );
    pair(
        "no-signals-based-traps,no-table-lazy-init,relaxed-simd-deterministic,-multi_memory",
        "debug-info,no-guard-before,+wide_arithmetic",
        all_x86(),
    );
    pair(
        &format!("{X86_ISA},epoch,-gc"),
        "memory-reservation=1073741824",
        x86_without(|f| f == "avx2" || f == "bmi2"),
    );
    pair(
        "target=aarch64-unknown-linux-gnu,epoch,-threads",
        "",
        all_x86(),
    );
    pair("version=my-build,epoch", "fuel", all_x86());
    if v48 {
        pair(
            "memory-reservation=1073741824,gc-heap-guard-size=65536,no-concurrency",
            "fuel,-threads",
            all_x86(),
        );
        pair(
            "collector=drc,memory-reservation=1073741824,no-debug-symbols",
            "",
            all_x86(),
        );
        pair(
            "",
            "collector=null,memory-reservation=1073741824,-gc,epoch",
            all_x86(),
        );
    }
    out
}

/// A change to one side of a pair.
#[derive(Clone, Debug)]
enum Edit {
    /// Add a preset knob, replacing any with the same key.
    Set(String),
    /// Remove the knob with this key.
    Remove(String),
    /// Remove every `isa=` knob (compile for the baseline CPU).
    RemoveIsa,
    /// The host CPU detects one more feature.
    AddCpu(String),
}

/// What a knob of a preset sets: the same key means the same setting.
fn key(token: &str) -> String {
    if let Some(f) = token.strip_prefix(['+', '-']) {
        return format!("feature {f}");
    }
    if let Some((k, v)) = token.split_once('=') {
        return if k == "isa" {
            format!("isa {v}")
        } else {
            k.to_string()
        };
    }
    match token {
        "inlining" | "no-inlining" => "inlining".into(),
        t => t.strip_prefix("no-").unwrap_or(t).into(),
    }
}

fn yes(value: &str) -> bool {
    match value {
        "" | "y" | "yes" | "true" => true,
        "n" | "no" | "false" => false,
        other => panic!("not a boolean option value: `{other}`"),
    }
}

/// The oracle preset knob a Wasmtime option `-GROUP NAME=VALUE` stands for
/// (`value` is `None` for "without the option"): an explicit table, after
/// `wasmtime-cli-flags`' `CommonOptions::config` and the preset vocabulary
/// of `cwasm_oracle::parse_preset` (checked by `tests/profiles.rs`).
fn option_knob(group: char, name: &str, value: Option<&str>) -> Option<Edit> {
    let flag = |knob: &str, on: bool| {
        Edit::Set(if on {
            knob.into()
        } else {
            format!("no-{knob}")
        })
    };
    let bool_of = |knob: &str| value.map(|v| flag(knob, yes(v)));
    let int_of = |knob: &str| value.map(|v| Edit::Set(format!("{knob}={v}")));
    match (group, name) {
        ('O', "memory-reservation") => int_of("memory-reservation"),
        ('O', "memory-guard-size") => int_of("memory-guard-size"),
        ('O', "gc-heap-reservation") => int_of("gc-heap-reservation"),
        ('O', "gc-heap-guard-size") => int_of("gc-heap-guard-size"),
        ('O', "memory-may-move") => bool_of("memory-may-move"),
        ('O', "gc-heap-may-move") => bool_of("gc-heap-may-move"),
        ('O', "static-memory-forced") => value.map(|v| flag("memory-may-move", !yes(v))),
        ('O', "guard-before-linear-memory") => bool_of("guard-before"),
        ('O', "table-lazy-init") => bool_of("table-lazy-init"),
        ('O', "signals-based-traps") => bool_of("signals-based-traps"),
        ('O', "memory-init-cow") => bool_of("cow"),
        ('W', "epoch-interruption") => bool_of("epoch"),
        // `-W fuel=N` turns fuel on whatever N; without it, fuel is off.
        ('W', "fuel") => Some(match value {
            Some(_) => Edit::Set("fuel".into()),
            None => Edit::Remove("fuel".into()),
        }),
        ('W', "relaxed-simd-deterministic") => bool_of("relaxed-simd-deterministic"),
        ('W', "concurrency-support") => bool_of("concurrency"),
        ('W', "gc-support") => bool_of("gc-support"),
        (
            'W',
            "threads"
            | "simd"
            | "relaxed-simd"
            | "tail-call"
            | "multi-memory"
            | "memory64"
            | "extended-const"
            | "wide-arithmetic"
            | "custom-page-sizes"
            | "gc"
            | "function-references"
            | "reference-types"
            | "exceptions"
            | "stack-switching"
            | "component-model-async",
        ) => value.map(|v| {
            let sign = if yes(v) { '+' } else { '-' };
            Edit::Set(format!("{sign}{}", name.replace('-', "_")))
        }),
        ('C', "collector") => Some(match value {
            Some(v) => Edit::Set(format!("collector={v}")),
            None => Edit::Remove("collector".into()),
        }),
        ('C', "compiler") => value.map(|v| match v {
            "winch" => Edit::Set("winch".into()),
            _ => Edit::Remove("winch".into()),
        }),
        ('C', "inlining") => bool_of("inlining"),
        ('D', "debug-info") => bool_of("debug-info"),
        ('D', "symbols") => bool_of("debug-symbols"),
        ('D', "guest-debug") => bool_of("guest-debug"),
        _ => None,
    }
}

/// `-G rest` as the group letter and the rest.
fn group_and_list(option: &str) -> Option<(char, &str)> {
    let mut chars = option.chars();
    match (chars.next(), chars.next(), chars.next()) {
        (Some('-'), Some(group), Some(' ')) => Some((group, chars.as_str())),
        _ => None,
    }
}

/// A fix as edits of its side, or why it is not checked.
fn translate(fix: &Fix, release: Release) -> Result<Vec<Edit>, String> {
    let (command, other) = match fix.side {
        Side::Artifact => ("wasmtime compile ", "wasmtime run "),
        Side::Host => ("wasmtime run ", "wasmtime compile "),
    };
    let cli = fix.cli.as_deref().unwrap_or("");
    assert!(
        !cli.starts_with(other),
        "{:?} fix with the other side's command: {cli}",
        fix.side
    );
    if let Some(rest) = cli.strip_prefix(command) {
        if let Some(triple) = rest.strip_prefix("--target ") {
            return Ok(vec![Edit::RemoveIsa, Edit::Set(format!("target={triple}"))]);
        }
        if let Some(option) = rest.strip_prefix("without ") {
            let (group, name) =
                group_and_list(option).ok_or_else(|| format!("not an option: {cli}"))?;
            return option_knob(group, name, None)
                .map(|e| vec![e])
                .ok_or_else(|| format!("option not in the table: {cli}"));
        }
        // `-G name=value,name=value -G name=value …`
        let mut edits = Vec::new();
        let mut words = rest.split(' ');
        while let Some(flag) = words.next() {
            let list = words
                .next()
                .ok_or_else(|| format!("not an option: {cli}"))?;
            let (group, list) = group_and_list(&format!("{flag} {list}"))
                .map(|(g, l)| (g, l.to_string()))
                .ok_or_else(|| format!("not an option: {cli}"))?;
            for item in list.split(',') {
                let (name, value) = item.split_once('=').unwrap_or((item, ""));
                edits.push(
                    option_knob(group, name, Some(value))
                        .ok_or_else(|| format!("option not in the table: {cli}"))?,
                );
            }
        }
        return Ok(edits);
    }
    if let Some(rest) = cli.strip_prefix("load it on a CPU with `") {
        assert_eq!(fix.side, Side::Host, "{cli}");
        let feature = rest.split('`').next().unwrap();
        return Ok(vec![Edit::AddCpu(feature.into())]);
    }
    let config = fix.config.as_deref().unwrap_or("");
    if cli == format!("recompile with Wasmtime {release}") {
        assert_eq!(fix.side, Side::Artifact, "{cli}");
        return Ok(vec![Edit::Remove("version".into())]);
    }
    if cli.starts_with(&format!(
        "recompile with Wasmtime {release} and the host's module version"
    )) {
        assert_eq!(fix.side, Side::Artifact, "{cli}");
        let text = config
            .strip_prefix("Config::module_version(ModuleVersionStrategy::Custom(\"")
            .and_then(|t| t.strip_suffix("\"))"))
            .unwrap_or_else(|| panic!("{config}"));
        return Ok(vec![Edit::Set(format!("version={text}"))]);
    }
    if config.starts_with("Config::module_version(ModuleVersionStrategy::None)") {
        assert_eq!(fix.side, Side::Host, "{config}");
        return Ok(vec![Edit::Set("version=none".into())]);
    }
    Err(format!("{cli}{config}"))
}

/// One side of a pair as it is being fixed.
#[derive(Clone, Debug)]
struct State {
    artifact: Vec<String>,
    host: Vec<String>,
    cpu: CpuList,
}

fn tokens(preset: &str) -> Vec<String> {
    preset
        .split(',')
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

impl State {
    fn apply(&mut self, side: Side, edits: &[Edit]) -> Result<(), String> {
        let preset = match side {
            Side::Artifact => &mut self.artifact,
            Side::Host => &mut self.host,
        };
        for edit in edits {
            match edit {
                Edit::Set(token) => {
                    let k = key(token);
                    preset.retain(|t| key(t) != k);
                    preset.push(token.clone());
                }
                Edit::Remove(k) => preset.retain(|t| key(t) != *k),
                Edit::RemoveIsa => preset.retain(|t| !t.starts_with("isa=")),
                Edit::AddCpu(feature) => match &mut self.cpu {
                    Some(list) => list.push(feature.clone()),
                    None => return Err("the host CPU is undetectable".into()),
                },
            }
        }
        Ok(())
    }

    fn describe(&self) -> String {
        let cpu = match &self.cpu {
            None => "undetectable".to_string(),
            Some(list) => {
                let missing: Vec<&str> = X86_64_DETECTOR_NAMES
                    .iter()
                    .copied()
                    .filter(|f| !list.iter().any(|l| l == f))
                    .collect();
                format!("every x86-64 feature but {missing:?}")
            }
        };
        format!(
            "artifact `{}` on host `{}`, CPU with {cpu}",
            self.artifact.join(","),
            self.host.join(",")
        )
    }
}

struct Oracle {
    release: Release,
    compile: fn(&str, bool) -> Result<Vec<u8>, String>,
    load: fn(&str, Detector, &[u8], bool) -> Result<Verdict, String>,
    compiled: BTreeMap<String, Result<Vec<u8>, String>>,
}

impl Oracle {
    fn compiled(&mut self, preset: &str) -> Result<Vec<u8>, String> {
        let compile = self.compile;
        self.compiled
            .entry(preset.to_string())
            .or_insert_with(|| compile(preset, false))
            .clone()
    }

    /// Real Wasmtime's verdict and the reference's mismatches on a state;
    /// `Err` when Wasmtime refuses a preset.
    fn run(&mut self, s: &State) -> Result<(Verdict, Vec<MismatchFixes>), String> {
        let (a, h) = (s.artifact.join(","), s.host.join(","));
        let artifact = self
            .compiled(&a)
            .map_err(|e| format!("compile `{a}`: {e}"))?;
        let witness = self.compiled(&h).map_err(|e| format!("host `{h}`: {e}"))?;
        let detector = match &s.cpu {
            Some(list) => Detector::Exactly(list.clone()),
            None => Detector::Undetectable,
        };
        let verdict = (self.load)(&h, detector, &artifact, false)?;
        let mut host =
            Host::from_witness(&witness, Some(self.release)).map_err(|e| e.to_string())?;
        host.module_version = match s.host.iter().find_map(|t| t.strip_prefix("version=")) {
            Some("none") => ModuleVersion::None,
            Some(text) => ModuleVersion::Custom(text.into()),
            None => ModuleVersion::Default,
        };
        host.set_cpu(match &s.cpu {
            Some(list) => Cpu::Exactly(list.clone()),
            None => Cpu::Undetectable,
        });
        let mismatches = explain(&artifact, Kind::Module, &host);
        let mismatches = mismatches
            .into_iter()
            .map(|m| MismatchFixes {
                subject: m.subject,
                chain: m.chain,
                fixes: m.fixes,
            })
            .collect();
        Ok((verdict, mismatches))
    }
}

struct MismatchFixes {
    subject: String,
    chain: Vec<String>,
    fixes: Vec<Fix>,
}

#[derive(Default, Debug)]
struct Counts {
    pairs: usize,
    accepted: usize,
    mismatches: usize,
    /// Mismatches Wasmtime reported first once the earlier ones were fixed
    /// on that side.
    reached: BTreeMap<&'static str, usize>,
    fixes: usize,
    /// Of `fixes`, those of a mismatch Wasmtime reported first.
    fixes_at_front: usize,
    skipped: BTreeMap<String, usize>,
    /// Pairs that load after every fix of that side.
    all_fixed: BTreeMap<&'static str, usize>,
}

fn check_release(oracle: &mut Oracle) -> (Counts, Vec<String>) {
    let release = oracle.release;
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    for (artifact, host, cpu) in pairs(release) {
        let start = State {
            artifact: tokens(&artifact),
            host: tokens(&host),
            cpu,
        };
        let (verdict, mismatches) = oracle
            .run(&start)
            .unwrap_or_else(|e| panic!("{release} {}: {e}", start.describe()));
        counts.pairs += 1;
        let chains: Vec<&Vec<String>> = mismatches.iter().map(|m| &m.chain).collect();
        let Err(chain) = verdict else {
            assert!(
                chains.is_empty(),
                "{release} {}: {chains:?}",
                start.describe()
            );
            counts.accepted += 1;
            continue;
        };
        assert_eq!(
            chains.first(),
            Some(&&chain),
            "{release} {}: the first mismatch is Wasmtime's",
            start.describe()
        );
        counts.mismatches += mismatches.len();
        for side in [Side::Artifact, Side::Host] {
            check_side(
                oracle,
                &start,
                &mismatches,
                side,
                &mut counts,
                &mut failures,
            );
        }
    }
    (counts, failures)
}

/// Checks `side`'s fixes of every mismatch of the pair `start`. Each
/// mismatch's fixes are applied after the same side's fixes of the
/// mismatches before it, so that Wasmtime is asked about it first where it
/// can be; after that side's fixes of every mismatch, the artifact loads.
fn check_side(
    oracle: &mut Oracle,
    start: &State,
    mismatches: &[MismatchFixes],
    side: Side,
    counts: &mut Counts,
    failures: &mut Vec<String>,
) {
    let release = oracle.release;
    let side_name = match side {
        Side::Artifact => "artifact",
        Side::Host => "host",
    };
    let mut prefix = start.clone();
    let mut all_fixable = true;
    for m in mismatches {
        let context = format!("{release} {}: {}", start.describe(), m.subject);
        let before = match oracle.run(&prefix) {
            Ok(run) => run.0,
            Err(e) => {
                failures.push(format!(
                    "{context}: after the earlier {side_name}-side fixes, {}: Wasmtime \
                     refuses it: {e}",
                    prefix.describe()
                ));
                return;
            }
        };
        let at_front = before.as_ref().err() == Some(&m.chain);
        *counts.reached.entry(side_name).or_default() += usize::from(at_front);
        let mut next = None;
        for fix in m.fixes.iter().filter(|f| f.side == side) {
            let edits = match translate(fix, release) {
                Ok(edits) => edits,
                Err(why) => {
                    *counts.skipped.entry(why).or_default() += 1;
                    continue;
                }
            };
            let mut fixed = prefix.clone();
            if let Err(why) = fixed.apply(fix.side, &edits) {
                *counts.skipped.entry(why).or_default() += 1;
                continue;
            }
            let fix_text = format!("{side_name} fix {:?} / {:?}", fix.config, fix.cli);
            let (after, new_mismatches) = match oracle.run(&fixed) {
                Ok(run) => run,
                Err(e) => {
                    failures.push(format!(
                        "{context}: {fix_text} -> {}: Wasmtime refuses it: {e}",
                        fixed.describe()
                    ));
                    continue;
                }
            };
            counts.fixes += 1;
            counts.fixes_at_front += usize::from(at_front);
            if std::env::var_os("EXPLAIN_TRACE").is_some() {
                println!(
                    "{context} [{}]: {fix_text} -> {after:?}",
                    if at_front { "first" } else { "later" }
                );
            }
            if let Err(new) = &after {
                if *new == m.chain || new.last() == m.chain.last() {
                    failures.push(format!(
                        "{context}: {fix_text} -> {}: Wasmtime still says {new:?}",
                        fixed.describe()
                    ));
                }
            }
            let expected: Option<&Vec<String>> = after.as_ref().err();
            let new_first = new_mismatches.first().map(|m| &m.chain);
            if new_first != expected {
                failures.push(format!(
                    "{context}: {fix_text} -> {}: explain's first {:?}, Wasmtime {after:?}",
                    fixed.describe(),
                    new_first
                ));
            }
            next.get_or_insert(fixed);
        }
        match next {
            Some(fixed) => prefix = fixed,
            None => all_fixable = false,
        }
    }
    if all_fixable {
        match oracle.run(&prefix) {
            Ok((Ok(()), _)) => *counts.all_fixed.entry(side_name).or_default() += 1,
            other => failures.push(format!(
                "{release} {}: after every {side_name}-side fix, {}: {:?}",
                start.describe(),
                prefix.describe(),
                other.map(|r| r.0)
            )),
        }
    }
}

macro_rules! explain_test {
    ($test:ident, $oracle:ident) => {
        #[test]
        fn $test() {
            use cwasm_oracle::$oracle::{compile, load, VERSION};
            let mut oracle = Oracle {
                release: Release::parse(VERSION).unwrap(),
                compile,
                load,
                compiled: BTreeMap::new(),
            };
            let (counts, failures) = check_release(&mut oracle);
            println!("Wasmtime {VERSION}: {counts:#?}");
            assert!(failures.is_empty(), "{}", failures.join("\n"));
            assert!(
                counts.pairs > 60 && counts.mismatches > counts.pairs && counts.fixes > 100,
                "{counts:?}"
            );
        }
    };
}

explain_test!(fixes_against_wasmtime_36, v36);
explain_test!(fixes_against_wasmtime_48, v48);
