//! The compatibility check: what `Module::deserialize` and
//! `Component::deserialize` decide about an artifact, rule by rule, in the
//! host release's order.

use crate::error::{Phase, Rejection};
use crate::framing::{
    find_engine_section_object, find_v48_parsed, full036, full037, split_engine_section,
};
use crate::history::{CheckKind, Demand, ElfReader, FeatureRule, Layout, TunableType};
use crate::host::{Host, ModuleVersion};
use crate::metadata::{FlagValue, Metadata, TunableValue, Tunables};
use crate::reader::same_bytes;
use crate::Kind;
use crate::{info, load};
use std::str::FromStr;
use target_lexicon::{Architecture, OperatingSystem, Triple};

mod body;
use body::check_body;

/// Checks `artifact`, loaded as `kind`, against `host`: `Ok(())` where
/// Wasmtime accepts it, else the rule and exact error chain it rejects with.
#[inline]
pub fn check(artifact: &[u8], kind: Kind, host: &Host) -> Result<(), Rejection> {
    check_until(artifact, kind, host, Phase::ModuleInfo)
}

/// [`check()`], stopping after the rules of phase `until`:
/// `Phase::Compatibility` is the format's own check, without loading's walk;
/// `Phase::Load` stops after the walk, before `.wasmtime.info` is decoded.
pub fn check_until(
    artifact: &[u8],
    kind: Kind,
    host: &Host,
    until: Phase,
) -> Result<(), Rejection> {
    // 43+ read `e_flags` right after the header: an artifact of the other
    // kind is refused before anything else is read.
    let rules = host.elf_rules();
    if !rules.reader.is_full() && crate::framing::kind_refused(artifact, kind) {
        return Err(crate::framing::incompatible_format());
    }
    check_container(artifact, kind, host, until)
}

/// [`check_until`] from the container on.
#[inline(never)]
fn check_container(
    artifact: &[u8],
    kind: Kind,
    host: &Host,
    until: Phase,
) -> Result<(), Rejection> {
    let load = until >= Phase::Load;
    let rules = host.elf_rules();
    // The fast reader decides most files; the view it builds is the one the
    // load walk reads.
    let info = match crate::framing::find_fast(artifact, kind, rules) {
        Some(found) => {
            let (data, elf) = found.map_err(crate::framing::Refusal::rejection)?;
            // The engine section's rules in place, so that a rejection is
            // built where it is returned.
            let section = split_engine_section(data)?;
            if !version_passes(section.version, host) {
                return Err(version_rejection(section.version, host));
            }
            check_body(section.body, host)?;
            if !load {
                return Ok(());
            }
            load::walk_fast(&elf, artifact, host)?
        }
        None => match check_container_object(artifact, kind, host, load)? {
            Some(info) => info,
            None => return Ok(()),
        },
    };
    if until < Phase::ModuleInfo {
        return Ok(());
    }
    info::check(info_bytes(artifact, info), kind, host.release)
}

/// The container through `object`'s parse, which is parsed once: the load
/// walk reads on from the parse that found the engine section. `None` when
/// `load` is false and the engine section passed.
#[cold]
#[inline(never)]
fn check_container_object(
    artifact: &[u8],
    kind: Kind,
    host: &Host,
    load: bool,
) -> Result<Option<load::InfoRange>, Rejection> {
    let rules = host.elf_rules();
    let info = match rules.reader {
        ElfReader::Full036 => {
            let (data, parsed) = full036::find_parsed(artifact, kind, rules)?;
            check_engine_section(data, host)?;
            if !load {
                return Ok(None);
            }
            load::walk036::walk(parsed, artifact, host)?
        }
        ElfReader::Full037 => {
            let (data, parsed) = full037::find_parsed(artifact, kind, rules)?;
            check_engine_section(data, host)?;
            if !load {
                return Ok(None);
            }
            load::walk037::walk(parsed, artifact, host)?
        }
        ElfReader::HeaderOnly => {
            let (data, parsed) = find_v48_parsed(artifact, kind)?;
            check_engine_section(data, host)?;
            if !load {
                return Ok(None);
            }
            load::walk_v48(parsed, artifact, host)?
        }
    };
    Ok(Some(info))
}

/// The bytes of the `.wasmtime.info` range the walk found: it lies in the
/// file, or is empty.
fn info_bytes(artifact: &[u8], (offset, size): load::InfoRange) -> &[u8] {
    // An empty section may point anywhere (object 0.37 on): its bytes are
    // none, wherever that is.
    let range = usize::try_from(offset)
        .ok()
        .zip(usize::try_from(size).ok())
        .and_then(|(start, size)| Some(start..start.checked_add(size)?));
    range
        .and_then(|range| artifact.get(range))
        .unwrap_or_default()
}

/// The same verdict as [`check()`], read plainly: the whole Metadata is
/// decoded and nothing the host prepared is used. The conformance run
/// compares the two on every case.
pub fn check_decoded(artifact: &[u8], kind: Kind, host: &Host) -> Result<(), Rejection> {
    // `object`'s parse alone: the fast reader is what `check` is compared
    // with.
    let data = find_engine_section_object(artifact, kind, host.elf_rules())?;
    let section = split_engine_section(data)?;
    check_version(section.version, host)?;
    let meta = Metadata::decode(section.body, host.release)
        .map_err(|e| Rejection::new("metadata.decode", e.to_string()))?;
    check_metadata(&meta, host)?;
    let info = crate::load::check_sections(artifact, host)?;
    info::check(info_bytes(artifact, info), kind, host.release)
}

/// Everything after the engine section is found: its framing, the version
/// string, the Metadata and every compatibility rule.
pub fn check_engine_section(data: &[u8], host: &Host) -> Result<(), Rejection> {
    let section = split_engine_section(data)?;
    check_version(section.version, host)?;
    check_body(section.body, host)
}

/// r[version.utf8], r[version.match].
fn check_version(version: &[u8], host: &Host) -> Result<(), Rejection> {
    if version_passes(version, host) {
        Ok(())
    } else {
        Err(version_rejection(version, host))
    }
}

/// Whether the version string passes: the usual case, the bytes are the
/// expected string, which is UTF-8 and matches.
#[inline(always)]
fn version_passes(version: &[u8], host: &Host) -> bool {
    match &host.module_version {
        ModuleVersion::None => true,
        ModuleVersion::Default => same_bytes(version, host.version_string().as_bytes()),
        ModuleVersion::Custom(text) => same_bytes(version, text.as_bytes()),
    }
}

/// Why a version string that is not the expected one is rejected: it is
/// not UTF-8, or it is another string (Wasmtime compares strings).
#[cold]
#[inline(never)]
fn version_rejection(version: &[u8], host: &Host) -> Rejection {
    const CUSTOM: [&str; 2] = ["Module was compiled with incompatible version '", "'"];
    let around = match &host.module_version {
        ModuleVersion::Custom(_) => &CUSTOM,
        _ => &host.layout().default_version_around,
    };
    // Version strings are short ASCII: no UTF-8 decoding needed.
    if let Some(rejection) = Rejection::spliced_ascii("version.match", around, version) {
        return rejection;
    }
    match std::str::from_utf8(version) {
        Ok(version) => Rejection::spliced("version.match", around, version),
        Err(e) => Rejection::new("version.utf8", e.to_string()),
    }
}

/// The head rules on the host's own flags, with its CPU: what an artifact
/// with the host's head gets.
pub(crate) fn own_head_verdict(host: &Host) -> Result<(), Rejection> {
    let meta = host.metadata();
    check_flags(
        meta.shared_flags.iter(),
        meta.isa_flags.iter(),
        host,
        meta.features,
    )
}

/// Every compatibility rule on a decoded `Metadata`, in check order.
pub fn check_metadata(meta: &Metadata<'_>, host: &Host) -> Result<(), Rejection> {
    let host_meta = host.metadata();
    if meta.target != host_meta.target {
        check_triple(meta.target, host)?;
    }
    check_flags(
        meta.shared_flags.iter(),
        meta.isa_flags.iter(),
        host,
        host_meta.features,
    )?;
    let layout = host.layout();
    check_tunables(&meta.tunables, &host_meta.tunables, layout)?;
    check_features(meta.features, host_meta.features, layout)
}

/// r[compat.shared-flags.*] then r[compat.isa-flags.*], in the artifact's
/// order. The host's own target parsed when the host was built.
fn check_flags<'a>(
    shared: impl Iterator<Item = (&'a str, FlagValue<'a>)>,
    isa: impl Iterator<Item = (&'a str, FlagValue<'a>)>,
    host: &Host,
    host_features: u64,
) -> Result<(), Rejection> {
    for (name, value) in shared {
        check_shared_flag(name, value, host, host_features)
            .map_err(|(rule, msg)| native_host_context(rule, msg))?;
    }
    for (name, value) in isa {
        check_isa_flag(name, value, host).map_err(|(rule, msg)| native_host_context(rule, msg))?;
    }
    Ok(())
}

#[cold]
fn native_host_context(rule: &'static str, message: String) -> Rejection {
    Rejection::with_context(
        rule,
        "compilation settings of module incompatible with native host",
        message,
    )
}

/// r[compat.target.parse], r[compat.target.architecture],
/// r[compat.target.operating-system].
fn check_triple(target: &str, host: &Host) -> Result<(), Rejection> {
    let module = Triple::from_str(target)
        .map_err(|e| Rejection::new("compat.target.parse", e.to_string()))?;
    if module.architecture != host.target.architecture {
        return Err(Rejection::new(
            "compat.target.architecture",
            format!(
                "Module was compiled for architecture '{}'",
                module.architecture
            ),
        ));
    }
    if module.operating_system != host.target.operating_system {
        return Err(Rejection::new(
            "compat.target.operating-system",
            format!(
                "Module was compiled for operating system '{}'",
                module.operating_system
            ),
        ));
    }
    Ok(())
}

type FlagResult = Result<(), (&'static str, String)>;

/// r[compat.shared-flags.*].
fn check_shared_flag(
    name: &str,
    value: FlagValue<'_>,
    host: &Host,
    host_features: u64,
) -> FlagResult {
    let layout = host.layout();
    let Some(rule) = layout
        .shared_flags
        .iter()
        .find(|r| same_bytes(r.name.as_bytes(), name.as_bytes()))
    else {
        return Err((
            "compat.shared-flags.unknown",
            format!("unknown shared setting {name:?} configured to {value:?}"),
        ));
    };
    let ok = match rule.demand {
        Demand::Bool(b) => value == FlagValue::Bool(b),
        Demand::Enum(e) => value == FlagValue::Enum(e),
        Demand::Any => true,
        Demand::ProbestackSupported => {
            let supported = matches!(
                host.target.architecture,
                Architecture::X86_64 | Architecture::Aarch64(_) | Architecture::Riscv64(_)
            );
            value == FlagValue::Bool(supported)
        }
        Demand::TrueOnWindows => {
            host.target.operating_system != OperatingSystem::Windows
                || value == FlagValue::Bool(true)
        }
        Demand::TrueWithReferenceTypes => {
            let reference_types = layout.reference_types_bits;
            host_features & reference_types != reference_types || value == FlagValue::Bool(true)
        }
        Demand::StackSwitchModel => {
            if host_features & layout.stack_switching_bits == 0 {
                true
            } else {
                let expected = match host.target.operating_system {
                    OperatingSystem::Windows => "update_windows_tib",
                    OperatingSystem::Linux
                    | OperatingSystem::MacOSX(_)
                    | OperatingSystem::Darwin(_) => "basic",
                    _ => {
                        return Err((
                            "compat.shared-flags.stack-switching-platform",
                            "stack-switching feature not supported on this platform".to_string(),
                        ))
                    }
                };
                value == FlagValue::Enum(expected)
            }
        }
    };
    if ok {
        Ok(())
    } else {
        Err((
            "compat.shared-flags.value",
            format!("setting {name:?} is configured to {value:?} which is not supported"),
        ))
    }
}

/// r[compat.isa-flags.*].
fn check_isa_flag(name: &str, value: FlagValue<'_>, host: &Host) -> FlagResult {
    let layout = host.layout();
    let rules = layout.isa_rules;
    match value {
        FlagValue::Bool(false) => return Ok(()),
        FlagValue::Bool(true) => {}
        FlagValue::Enum("pointer32") | FlagValue::Enum("pointer64") if rules.pointer_width => {
            let wants_32 = value == FlagValue::Enum("pointer32");
            return if wants_32 == host.process.pointer_width_32 {
                Ok(())
            } else {
                Err((
                    "compat.isa-flags.pointer-width",
                    "wrong host pointer width".to_string(),
                ))
            };
        }
        _ => {
            return Err((
                "compat.isa-flags.value",
                format!("isa-specific feature {name:?} configured to unknown value {value:?}"),
            ))
        }
    }
    if layout.free_isa_flags.contains(&name) {
        return Ok(());
    }
    let Some(&(_, feature)) = layout
        .detected_isa_flags
        .iter()
        .find(|(flag, _)| *flag == name)
    else {
        if name == "big_endian" && rules.big_endian {
            return if host.process.big_endian {
                Ok(())
            } else {
                Err((
                    "compat.isa-flags.endianness",
                    "wrong host endianness".to_string(),
                ))
            };
        }
        // riscv64 hosts accept every other flag except the test sentinel.
        if host.process.riscv64 && name != "not_a_flag" {
            return Ok(());
        }
        return Err((
            "compat.isa-flags.unknown",
            format!("don't know how to test for target-specific flag {name:?} at runtime"),
        ));
    };
    match host.cpu().detect(feature) {
        Some(true) => Ok(()),
        Some(false) => Err((
            "compat.isa-flags.detected",
            format!("compilation setting {name:?} is enabled, but not available on the host"),
        )),
        None => Err((
            "compat.isa-flags.undetectable",
            layout
                .undetectable_message
                .replace("{flag}", &format!("{name:?}"))
                .replace("{feature}", &format!("{feature:?}")),
        )),
    }
}

/// r[compat.tunables.*], in the release's check order.
fn check_tunables(
    tunables: &Tunables<'_>,
    host: &Tunables<'_>,
    layout: &'static Layout,
) -> Result<(), Rejection> {
    check_tunables_by(
        layout,
        |_| true,
        |index| tunables.get(index),
        |index| host.get(index),
    )
}

/// r[compat.tunables.*] over field values read on demand. A field for which
/// `differs` is false has the host's value, and no check fires on equal
/// values: it is passed over.
fn check_tunables_by<'t>(
    layout: &'static Layout,
    differs: impl Fn(usize) -> bool,
    found_at: impl Fn(usize) -> TunableValue<'t>,
    expected_at: impl Fn(usize) -> TunableValue<'t>,
) -> Result<(), Rejection> {
    for (at, check) in layout.tunable_checks.iter().enumerate() {
        let index = check.index;
        if !differs(index) {
            continue;
        }
        let found = found_at(index);
        let expected = expected_at(index);
        let message = match check.kind {
            CheckKind::Int(what) => int_mismatch(found, expected, what),
            // Made once per layout: no formatting here.
            CheckKind::Bool(_) if found != expected => {
                let messages = layout.tunable_check_messages.get(at);
                let with = found == TunableValue::Bool(true);
                let message = messages.map_or("", |m| &m[usize::from(!with)]);
                return Err(Rejection::fixed(check.rule, message));
            }
            CheckKind::Bool(_) => None,
            CheckKind::Collector {
                reject_host_only_gc,
            } => collector_mismatch(
                found,
                expected,
                layout.tunables[index].ty,
                reject_host_only_gc,
            ),
            CheckKind::Inlining => inlining_mismatch(found, expected, layout.tunables[index].ty),
            CheckKind::Cost { fuel_field } => {
                let fuel = layout
                    .tunable_index(fuel_field)
                    .is_some_and(|i| found_at(i) == TunableValue::Bool(true));
                (fuel && found != expected).then(|| "Module costs are incompatible".to_string())
            }
        };
        if let Some(message) = message {
            return Err(Rejection::new(check.rule, message));
        }
    }
    Ok(())
}

fn int_mismatch(found: TunableValue<'_>, expected: TunableValue<'_>, what: &str) -> Option<String> {
    let show = |v| match v {
        TunableValue::U32(n) => u64::from(n),
        TunableValue::U64(n) => n,
        _ => 0,
    };
    (found != expected).then(|| {
        format!(
            "Module was compiled with a {what} of '{}' but '{}' is expected for the host",
            show(found),
            show(expected)
        )
    })
}

fn enum_descriptions(ty: TunableType) -> &'static [&'static str] {
    match ty {
        TunableType::Collector(e) | TunableType::Enum(e) => e.descriptions,
        _ => &[],
    }
}

fn describe(ty: TunableType, index: u8) -> &'static str {
    enum_descriptions(ty)
        .get(usize::from(index))
        .copied()
        .unwrap_or("")
}

fn collector_mismatch(
    found: TunableValue<'_>,
    expected: TunableValue<'_>,
    ty: TunableType,
    reject_host_only_gc: bool,
) -> Option<String> {
    let (TunableValue::Collector(module), TunableValue::Collector(host)) = (found, expected) else {
        return None;
    };
    match (module, host) {
        (None, None) => None,
        (None, Some(_)) => reject_host_only_gc
            .then(|| "module was compiled without GC but GC is enabled in the host".to_string()),
        (Some(_), None) => {
            Some("module was compiled with GC however GC is disabled in the host".to_string())
        }
        (Some(m), Some(h)) if m == h => None,
        (Some(m), Some(h)) => Some(format!(
            "module was compiled for the {} collector but the host is configured to use the {} collector",
            describe(ty, m),
            describe(ty, h)
        )),
    }
}

fn inlining_mismatch(
    found: TunableValue<'_>,
    expected: TunableValue<'_>,
    ty: TunableType,
) -> Option<String> {
    let (TunableValue::Enum(m), TunableValue::Enum(h)) = (found, expected) else {
        return None;
    };
    (m != h).then(|| {
        format!(
            "module was compiled {} however the host is configured {}",
            describe(ty, m),
            describe(ty, h)
        )
    })
}

/// r[compat.features]: names are visited in declaration order the way
/// `bitflags`' `iter_names` does, so a multi-bit feature is named only when
/// all of its bits are in the set being walked.
fn check_features(module: u64, host: u64, layout: &'static Layout) -> Result<(), Rejection> {
    let known = layout.known_feature_bits();
    let module = module & known;
    let host = host & known;
    let source = match layout.feature_rule {
        FeatureRule::MissingOnHost => (host & module) ^ module,
        FeatureRule::Symmetric => host ^ module,
    };
    let mut remaining = source;
    for (index, feature) in layout.features.iter().enumerate() {
        if remaining == 0 {
            break;
        }
        if source & feature.bits != feature.bits || remaining & feature.bits == 0 {
            continue;
        }
        remaining &= !feature.bits;
        let found = module & feature.bits == feature.bits;
        let expected = host & feature.bits == feature.bits;
        if found == expected {
            continue;
        }
        let messages = layout.feature_messages.get(index);
        let message = messages.map_or("", |m| &m[usize::from(!found)]);
        return Err(Rejection::fixed("compat.features", message));
    }
    Ok(())
}

/// What a record rule compared, for `explain`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Subject<'a> {
    Target,
    SharedFlag(&'a str, FlagValue<'a>),
    IsaFlag(&'a str, FlagValue<'a>),
    /// A Tunables field, by its index in the layout.
    Tunable(usize),
    Feature(&'static str),
}

/// Every compatibility rule on a decoded `Metadata` that rejects it, not
/// only the first: each rule is asked on its own, in check order. The first
/// is [`check_metadata`]'s verdict.
pub fn record_mismatches<'a>(meta: &'a Metadata<'a>, host: &Host) -> Vec<(Subject<'a>, Rejection)> {
    let mut out = Vec::new();
    let host_meta = host.metadata();
    if meta.target != host_meta.target {
        if let Err(r) = check_triple(meta.target, host) {
            out.push((Subject::Target, r));
        }
    }
    for (name, value) in meta.shared_flags.iter() {
        let one = std::iter::once((name, value));
        if let Err(r) = check_flags(one, std::iter::empty(), host, host_meta.features) {
            out.push((Subject::SharedFlag(name, value), r));
        }
    }
    for (name, value) in meta.isa_flags.iter() {
        let one = std::iter::once((name, value));
        if let Err(r) = check_flags(std::iter::empty(), one, host, host_meta.features) {
            out.push((Subject::IsaFlag(name, value), r));
        }
    }
    let layout = host.layout();
    for check in &layout.tunable_checks {
        let only = check.index;
        let verdict = check_tunables_by(
            layout,
            |i| i == only,
            |i| meta.tunables.get(i),
            |i| host_meta.tunables.get(i),
        );
        if let Err(r) = verdict {
            out.push((Subject::Tunable(only), r));
        }
    }
    for feature in &layout.features {
        let verdict = check_features(
            meta.features & feature.bits,
            host_meta.features & feature.bits,
            layout,
        );
        if let Err(r) = verdict {
            if !out.iter().any(|(_, seen)| seen.chain() == r.chain()) {
                out.push((Subject::Feature(feature.name), r));
            }
        }
    }
    out
}
