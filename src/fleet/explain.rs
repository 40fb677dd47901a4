//! `explain` (r[fleet.explain]): every mismatch between an artifact and a
//! host, not only the first, in Wasmtime's check order, each with the
//! values on both sides, Wasmtime's message, and how to fix it on either
//! side, as a `Config` call and as a Wasmtime command-line option of the
//! host's release.

use super::options::{rows_of, Effect, Row};
use super::profile::{tunable_scalar, Scalar};
use crate::check::{check, record_mismatches, Subject};
use crate::framing::{find_engine_section, split_engine_section};
use crate::history::{Demand, TunableType};
use crate::host::{Host, ModuleVersion};
use crate::metadata::{FlagValue, Metadata, TunableValue};
use crate::{Kind, Rejection};

/// One mismatch.
#[derive(Clone, Debug)]
pub struct Mismatch {
    pub rule: &'static str,
    pub phase: &'static str,
    /// Wasmtime's error chain for it, outermost first.
    pub chain: Vec<String>,
    /// What was compared: `target`, `tunables.memory_reservation`,
    /// `features.gc`, `isa_flags.has_avx2`, `version`, `container`, …
    pub subject: String,
    /// The artifact's value, and what the host has or asks for, as text.
    pub artifact: String,
    pub host: String,
    pub fixes: Vec<Fix>,
    /// Why this might happen, where a likely cause is known.
    pub note: Option<String>,
}

/// Which side a fix changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Recompile the artifact.
    Artifact,
    /// Configure the host differently.
    Host,
}

/// One way to remove a mismatch.
#[derive(Clone, Debug)]
pub struct Fix {
    pub side: Side,
    /// A `Config` call, or `None` when no call does it.
    pub config: Option<String>,
    /// A `wasmtime compile` (artifact side) or `wasmtime run` (host side)
    /// option of the host's release, or what to do instead.
    pub cli: Option<String>,
}

/// Every mismatch of `artifact`, loaded as `kind`, on `host`. Empty when
/// the host accepts it; otherwise the first is exactly `check`'s verdict.
pub fn explain(artifact: &[u8], kind: Kind, host: &Host) -> Vec<Mismatch> {
    let Err(first) = check(artifact, kind, host) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let record_rule = first.rule().starts_with("compat.") || first.rule() == "version.match";
    if !first.rule().starts_with("compat.") {
        out.push(plain(&first, host));
    }
    if record_rule {
        let Ok(data) = find_engine_section(artifact, kind, host.release) else {
            return out;
        };
        let Ok(section) = split_engine_section(data) else {
            return out;
        };
        let Ok(meta) = Metadata::decode(section.body, host.release) else {
            return out;
        };
        for (subject, rejection) in record_mismatches(&meta, host) {
            out.push(mismatch(subject, rejection, &meta, host));
        }
    }
    if out.is_empty() {
        out.push(plain(&first, host));
    }
    out
}

/// A mismatch the record rules do not describe field by field.
fn plain(r: &Rejection, host: &Host) -> Mismatch {
    let rule = r.rule();
    let (subject, fixes) = if rule == "version.match" {
        let release = host.release;
        // A host with a custom module version takes only artifacts that
        // carry that string (Wasmtime 36.0.20 and 48.0.8: recompiling with
        // the release's own version string still fails the check).
        let artifact_fix = match &host.module_version {
            ModuleVersion::Custom(text) => Fix {
                side: Side::Artifact,
                config: Some(format!(
                    "Config::module_version(ModuleVersionStrategy::Custom(\"{text}\"))"
                )),
                cli: Some(format!(
                    "recompile with Wasmtime {release} and the host's module version `{text}`"
                )),
            },
            _ => Fix {
                side: Side::Artifact,
                config: None,
                cli: Some(format!("recompile with Wasmtime {release}")),
            },
        };
        (
            "version",
            vec![
                artifact_fix,
                Fix {
                    side: Side::Host,
                    config: Some(
                        "Config::module_version(ModuleVersionStrategy::None) (only if the builds \
                         are otherwise alike)"
                            .into(),
                    ),
                    cli: None,
                },
            ],
        )
    } else {
        (
            "container",
            vec![Fix {
                side: Side::Artifact,
                config: None,
                cli: Some("recompile: the file is damaged or was changed after compilation".into()),
            }],
        )
    };
    Mismatch {
        rule,
        phase: r.phase().as_str(),
        chain: r.chain().to_vec(),
        subject: subject.into(),
        artifact: String::new(),
        host: match subject {
            "version" => host.release.version_string().to_string(),
            _ => String::new(),
        },
        fixes,
        note: None,
    }
}

fn mismatch(subject: Subject<'_>, r: Rejection, meta: &Metadata<'_>, host: &Host) -> Mismatch {
    let layout = host.layout();
    let host_meta = host.metadata();
    let major = host.release.major();
    let triple = host.target.to_string();
    let mut note = None;
    let (name, artifact, host_value, fixes) = match subject {
        Subject::Target => (
            "target".to_string(),
            meta.target.to_string(),
            triple.clone(),
            vec![
                Fix {
                    side: Side::Artifact,
                    config: Some(format!("Config::target(\"{triple}\")")),
                    cli: Some(format!("wasmtime compile --target {triple}")),
                },
                Fix {
                    side: Side::Host,
                    config: None,
                    cli: Some(format!("load it on a {} host", meta.target)),
                },
            ],
        ),
        Subject::SharedFlag(flag, value) => {
            let demand = layout
                .shared_flags
                .iter()
                .find(|f| f.name == flag)
                .map(|f| f.demand);
            let wanted = match demand {
                Some(Demand::Bool(b)) => Some(b.to_string()),
                Some(Demand::Enum(e)) => Some(e.to_string()),
                _ => None,
            };
            let fix = match &wanted {
                Some(w) => Fix {
                    side: Side::Artifact,
                    config: Some(format!("Config::cranelift_flag_set(\"{flag}\", \"{w}\")")),
                    cli: Some(format!("wasmtime compile -C cranelift-{flag}={w}")),
                },
                None => Fix {
                    side: Side::Artifact,
                    config: None,
                    cli: Some(format!("recompile without setting Cranelift's `{flag}`")),
                },
            };
            (
                format!("shared_flags.{flag}"),
                flag_text(value),
                wanted.unwrap_or_else(|| "(see the message)".into()),
                vec![fix],
            )
        }
        Subject::IsaFlag(flag, value) => {
            let detector = layout
                .detected_isa_flags
                .iter()
                .find(|(f, _)| *f == flag)
                .map(|(_, d)| *d);
            let mut fixes = vec![Fix {
                side: Side::Artifact,
                config: Some(format!("Config::target(\"{triple}\") (an explicit target compiles for the baseline CPU)")),
                cli: Some(format!("wasmtime compile --target {triple}")),
            }];
            if let Some(d) = detector {
                fixes.push(Fix {
                    side: Side::Host,
                    config: None,
                    cli: Some(format!(
                        "load it on a CPU with `{d}` (cwasm-spec level names them)"
                    )),
                });
            }
            (
                format!("isa_flags.{flag}"),
                flag_text(value),
                match detector.map(|d| host.cpu().detect(d)) {
                    Some(Some(true)) => "available".into(),
                    Some(Some(false)) => "not available".into(),
                    Some(None) => "cannot tell".into(),
                    None => "not tested".into(),
                },
                fixes,
            )
        }
        Subject::Tunable(index) => {
            let field = layout.tunables[index];
            let ty = field.ty;
            let (a, h) = (meta.tunables.get(index), host_meta.tunables.get(index));
            if field.name == "collector" {
                note = Some(
                    "defaults differ between builds: the official C-API library collects with \
                     deferred reference counting, a crates.io build of 46 or later with the \
                     copying collector (spec/fleet.md, r[fleet.profile]); the artifact may come \
                     from the other build"
                        .to_string(),
                );
            }
            let debug_guest = |m: &Metadata<'_>| {
                layout
                    .tunables
                    .iter()
                    .position(|f| f.name == "debug_guest")
                    .is_some_and(|i| m.tunables.get(i) == TunableValue::Bool(true))
            };
            let mut fixes = option_fixes(major, OptionTarget::Tunable(field.name), a, h, ty);
            for fix in &mut fixes {
                let (side_meta, wanted) = match fix.side {
                    Side::Artifact => (meta, h),
                    Side::Host => (&host_meta, a),
                };
                if field.name == "collector" {
                    let from = match fix.side {
                        Side::Artifact => a,
                        Side::Host => h,
                    };
                    if let Some(f) = collector_fix(major, fix, from, wanted) {
                        *fix = f;
                    }
                } else if field.name == "signals_based_traps"
                    && wanted == TunableValue::Bool(true)
                    && debug_guest(side_meta)
                {
                    *fix = guest_debug_off(fix.side);
                }
            }
            (
                format!("tunables.{}", field.name),
                tunable_text(a, ty),
                tunable_text(h, ty),
                fixes,
            )
        }
        Subject::Feature(feature) => {
            let bits = layout
                .features
                .iter()
                .find(|f| f.name == feature)
                .map_or(0, |f| f.bits);
            let (a, h) = (
                meta.features & bits == bits,
                host_meta.features & bits == bits,
            );
            let mut fixes = option_fixes(
                major,
                OptionTarget::Feature(feature),
                TunableValue::Bool(a),
                TunableValue::Bool(h),
                TunableType::Bool,
            );
            for fix in &mut fixes {
                let (side_meta, wanted) = match fix.side {
                    Side::Artifact => (meta, h),
                    Side::Host => (&host_meta, a),
                };
                feature_companion(major, layout, fix, feature, wanted, side_meta);
            }
            (
                format!("features.{feature}"),
                a.to_string(),
                h.to_string(),
                fixes,
            )
        }
    };
    Mismatch {
        rule: r.rule(),
        phase: r.phase().as_str(),
        chain: r.chain().to_vec(),
        subject: name,
        artifact,
        host: host_value,
        fixes,
        note,
    }
}

fn flag_text(value: FlagValue<'_>) -> String {
    match value {
        FlagValue::Bool(b) => b.to_string(),
        FlagValue::Num(n) => n.to_string(),
        FlagValue::Enum(e) => e.to_string(),
    }
}

fn tunable_text(value: TunableValue<'_>, ty: TunableType) -> String {
    match tunable_scalar(value, ty) {
        Some(Scalar::Text(t)) => t,
        Some(Scalar::Static(t)) => t.to_string(),
        Some(Scalar::Null) => "none".into(),
        Some(other) => other.to_string(),
        None => "a cost table".into(),
    }
}

#[derive(Clone, Copy)]
enum OptionTarget {
    Tunable(&'static str),
    Feature(&'static str),
}

/// The option of `major` that sets `target`, preferring the one named
/// after it (the newer spelling).
fn option_row(major: u32, target: OptionTarget) -> Option<&'static Row> {
    let sets = |row: &Row| match (row.effect, target) {
        (Effect::Tunable(f), OptionTarget::Tunable(t))
        | (Effect::Twin(f, _), OptionTarget::Tunable(t))
        | (Effect::GcHeap(f), OptionTarget::Tunable(t))
        | (Effect::SetTrue(f), OptionTarget::Tunable(t)) => f == t,
        (Effect::Inverted(f, _), OptionTarget::Tunable(t)) => f == t,
        (Effect::Collector(_), OptionTarget::Tunable(t)) => t == "collector",
        (Effect::Concurrency { .. }, OptionTarget::Tunable(t)) => t == "concurrency_support",
        (Effect::Feature(f), OptionTarget::Feature(t)) => f == t,
        _ => false,
    };
    let rows: Vec<&Row> = ['O', 'W', 'C', 'D']
        .into_iter()
        .flat_map(|g| rows_of(major, g))
        .filter(|r| sets(r))
        .collect();
    let wanted = match target {
        OptionTarget::Tunable(t) | OptionTarget::Feature(t) => t.replace('_', "-"),
    };
    rows.iter()
        .find(|r| r.name == wanted || wanted.ends_with(r.name))
        .or_else(|| rows.first())
        .copied()
}

/// The `Config` method a row's citation names (`… (memory_reservation) …`).
fn config_method(row: &Row) -> Option<&'static str> {
    let start = row.cited.find('(')? + 1;
    let end = start + row.cited[start..].find(')')?;
    Some(&row.cited[start..end])
}

/// The value a row's option takes to give `value`.
fn option_value(row: &Row, value: TunableValue<'_>, ty: TunableType) -> Option<String> {
    let yn = |b: bool| if b { "y" } else { "n" }.to_string();
    match (row.effect, value) {
        (Effect::Inverted(..), TunableValue::Bool(b)) => Some(yn(!b)),
        (Effect::SetTrue(_), TunableValue::Bool(true)) => Some("1".into()),
        (Effect::SetTrue(_), TunableValue::Bool(false)) => None,
        (Effect::Collector(words), _) => {
            let variant = tunable_text(value, ty);
            words
                .iter()
                .find(|(_, v)| *v == variant)
                .map(|(w, _)| w.to_string())
        }
        (_, TunableValue::Bool(b)) => Some(yn(b)),
        (_, TunableValue::U32(n)) => Some(n.to_string()),
        (_, TunableValue::U64(n)) => Some(n.to_string()),
        (_, TunableValue::NonZeroU32(Some(n))) => Some(n.to_string()),
        _ => None,
    }
}

/// The Config value a fix passes.
fn config_value(value: TunableValue<'_>, ty: TunableType) -> String {
    match value {
        TunableValue::Collector(Some(_)) => format!("Collector::{}", tunable_text(value, ty)),
        other => tunable_text(other, ty),
    }
}

fn option_fixes(
    major: u32,
    target: OptionTarget,
    artifact: TunableValue<'_>,
    host: TunableValue<'_>,
    ty: TunableType,
) -> Vec<Fix> {
    let Some(row) = option_row(major, target) else {
        let what = match target {
            OptionTarget::Tunable(t) => format!("Tunables field `{t}`"),
            OptionTarget::Feature(f) => format!("feature `{f}`"),
        };
        return vec![Fix {
            side: Side::Artifact,
            config: None,
            cli: Some(format!(
                "no single option of Wasmtime {major} sets the {what}"
            )),
        }];
    };
    let group = row.group;
    let method = config_method(row);
    let fix = |side: Side, value: TunableValue<'_>| {
        let command = match side {
            Side::Artifact => "compile",
            Side::Host => "run",
        };
        Fix {
            side,
            config: method.map(|m| format!("Config::{m}({})", config_value(value, ty))),
            cli: Some(match option_value(row, value, ty) {
                Some(v) => format!("wasmtime {command} -{group} {}={v}", row.name),
                None => format!("wasmtime {command} without -{group} {}", row.name),
            }),
        }
    };
    vec![fix(Side::Artifact, host), fix(Side::Host, artifact)]
}

/// Settings Wasmtime refuses to combine, so a feature fix brings its
/// companion along: relaxed SIMD needs SIMD ("cannot disable the simd
/// proposal but enable the relaxed simd proposal", 36.0.20 config.rs:2494,
/// 48.0.8 config.rs:3034), and the component model's async and threading
/// features need concurrency support ("concurrency support must be enabled
/// to use the component model async or threading features", 48.0.8
/// config.rs:2763). Turning SIMD off on a side with relaxed SIMD turns that
/// off too; turning relaxed SIMD on a side without SIMD turns SIMD on too;
/// turning one of those component features on a side without concurrency
/// support turns that on too.
fn feature_companion(
    major: u32,
    layout: &crate::history::Layout,
    fix: &mut Fix,
    feature: &str,
    wanted: bool,
    side: &Metadata<'_>,
) {
    let has = |name: &str| {
        layout
            .features
            .iter()
            .find(|f| f.name == name)
            .is_some_and(|f| f.bits != 0 && side.features & f.bits == f.bits)
    };
    let without_concurrency = || {
        layout
            .tunables
            .iter()
            .position(|f| f.name == "concurrency_support")
            .is_some_and(|i| side.tunables.get(i) == TunableValue::Bool(false))
    };
    let needs_concurrency = [
        "cm_async",
        "cm_more_async_builtins",
        "cm_async_stackful",
        "cm_threading",
        "cm_error_context",
    ];
    let companion = match (feature, wanted) {
        ("simd", false) if has("relaxed_simd") => OptionTarget::Feature("relaxed_simd"),
        ("relaxed_simd", true) if !has("simd") => OptionTarget::Feature("simd"),
        (f, true) if needs_concurrency.contains(&f) && without_concurrency() => {
            OptionTarget::Tunable("concurrency_support")
        }
        _ => return,
    };
    let Some(row) = option_row(major, companion) else {
        return;
    };
    let yn = if wanted { "y" } else { "n" };
    if let Some(cli) = &mut fix.cli {
        if row.group == 'W' && cli.contains(" -W ") {
            cli.push_str(&format!(",{}={yn}", row.name));
        } else {
            cli.push_str(&format!(" -{} {}={yn}", row.group, row.name));
        }
    }
    if let (Some(config), Some(method)) = (&mut fix.config, config_method(row)) {
        config.push_str(&format!(" and Config::{method}({wanted})"));
    }
}

/// A collector fix where one side compiles without GC types, so has no
/// collector at all (48.0.8 config.rs:2734, 36.0.20 config.rs:2269):
/// setting the collector does not change that. From 37 `-W gc-support`
/// turns GC types on or off; in 36 only Winch turns them off (36.0.20
/// config.rs:2109).
fn collector_fix(
    major: u32,
    fix: &Fix,
    from: TunableValue<'_>,
    to: TunableValue<'_>,
) -> Option<Fix> {
    let command = match fix.side {
        Side::Artifact => "compile",
        Side::Host => "run",
    };
    let (gc_on, config, cli) = match (from, to) {
        (TunableValue::Collector(Some(_)), TunableValue::Collector(None)) => (false, None, None),
        (TunableValue::Collector(None), TunableValue::Collector(Some(_))) => {
            (true, fix.config.clone(), fix.cli.clone())
        }
        _ => return None,
    };
    // The collector option itself, without the leading `wasmtime COMMAND`.
    let collector_cli = cli.and_then(|c| {
        c.strip_prefix(&format!("wasmtime {command} "))
            .map(|o| format!(" {o}"))
    });
    let collector_config = config.map(|c| format!(" and {c}"));
    let (switch_config, switch_cli) = if major >= 37 {
        (
            format!("Config::gc_support({gc_on})"),
            format!("-W gc-support={}", if gc_on { "y" } else { "n" }),
        )
    } else if gc_on {
        (
            "Config::strategy(Strategy::Cranelift)".to_string(),
            "-C compiler=cranelift".to_string(),
        )
    } else {
        (
            "Config::strategy(Strategy::Winch)".to_string(),
            "-C compiler=winch".to_string(),
        )
    };
    Some(Fix {
        side: fix.side,
        config: Some(format!(
            "{switch_config}{}",
            collector_config.unwrap_or_default()
        )),
        cli: Some(format!(
            "wasmtime {command} {switch_cli}{}",
            collector_cli.unwrap_or_default()
        )),
    })
}

/// Signals-based traps are off whenever guest debugging is on, and asking
/// for them then is refused ("cannot use signals-based traps with guest
/// debugging enabled", 48.0.8 config.rs:2756): the fix is to turn guest
/// debugging off, which leaves them at their default, on.
fn guest_debug_off(side: Side) -> Fix {
    let command = match side {
        Side::Artifact => "compile",
        Side::Host => "run",
    };
    Fix {
        side,
        config: Some("Config::guest_debug(false)".into()),
        cli: Some(format!("wasmtime {command} -D guest-debug=n")),
    }
}
