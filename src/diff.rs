//! What changed between two releases, read from the same history rows the
//! checker uses; and what differs between two artifacts, field by field, in
//! the vocabulary of `inspect`.
//!
//! ```
//! use cwasm_spec::{diff::diff_releases, Release};
//! let changes = diff_releases(Release::V36, Release::V48);
//! assert!(changes.iter().any(|c| c.area == "version" && c.name == "form"));
//! ```

use crate::history::{
    CheckKind, Demand, ElfReader, FeatureEncoding, FeatureRule, Layout, NameQuote, Release,
    TunableType, VersionForm,
};
use crate::info_diff::{diff_info, info_changes};
use crate::inspect::{inspect, InspectError};
use serde::Serialize;
use serde_json::Value;

/// One difference: in `area`, the thing `name` was `added`, `removed` or
/// `changed`, from `from` to `to` (as text; empty where it does not apply).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    pub area: &'static str,
    pub change: &'static str,
    pub name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub from: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub to: String,
}

impl Change {
    pub(crate) fn new(area: &'static str, change: &'static str, name: impl Into<String>) -> Change {
        Change {
            area,
            change,
            name: name.into(),
            from: String::new(),
            to: String::new(),
        }
    }

    pub(crate) fn values(mut self, from: impl Into<String>, to: impl Into<String>) -> Change {
        self.from = from.into();
        self.to = to.into();
        self
    }
}

/// Everything that differs between releases `a` and `b`, area by area:
/// the version string, the ELF and load rules, the Tunables fields and
/// checks, the wasm features, the flag rules, and the `.wasmtime.info`
/// schema ([`diff_info`]).
pub fn diff_releases(a: Release, b: Release) -> Vec<Change> {
    let (la, lb) = (a.layout(), b.layout());
    let mut out = Vec::new();
    version(a, b, la, lb, &mut out);
    container(la, lb, &mut out);
    named_list(
        "tunables.fields",
        &la.tunables,
        &lb.tunables,
        |f| f.name.to_string(),
        |f| tunable_type(f.ty),
        &mut out,
    );
    named_list(
        "tunables.checks",
        &la.tunable_checks,
        &lb.tunable_checks,
        |c| c.rule.to_string(),
        |c| check_kind(c.kind),
        &mut out,
    );
    features(la, lb, &mut out);
    named_list(
        "flags.shared",
        &la.shared_flags,
        &lb.shared_flags,
        |r| r.name.to_string(),
        |r| demand(r.demand),
        &mut out,
    );
    named_list(
        "flags.isa-detected",
        &la.detected_isa_flags,
        &lb.detected_isa_flags,
        |(flag, _)| flag.to_string(),
        |(_, detector)| format!("asks {detector:?}"),
        &mut out,
    );
    named_list(
        "flags.isa-free",
        &la.free_isa_flags,
        &lb.free_isa_flags,
        |f| f.to_string(),
        |_| "accepted".to_string(),
        &mut out,
    );
    let rules = |l: &Layout| {
        [
            ("pointer-width rule", l.isa_rules.pointer_width),
            ("big-endian rule", l.isa_rules.big_endian),
        ]
    };
    for ((name, x), (_, y)) in rules(la).into_iter().zip(rules(lb)) {
        if x != y {
            out.push(Change::new("flags.isa-rules", "changed", name).values(yes(x), yes(y)));
        }
    }
    if la.undetectable_message != lb.undetectable_message {
        out.push(
            Change::new("flags.isa-rules", "reworded", "undetectable message")
                .values(la.undetectable_message, lb.undetectable_message),
        );
    }
    out.extend(diff_info(a, b));
    out
}

/// The releases a changelog has a section for, oldest first: the first
/// release, then each where the layout ([`Release::layout_changes`]) or
/// the `.wasmtime.info` schema ([`info_changes`]) changes.
pub fn changelog_releases() -> Vec<Release> {
    let mut out = Release::layout_changes();
    out.extend(info_changes());
    out.sort();
    out.dedup();
    out
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

fn version(a: Release, b: Release, la: &Layout, lb: &Layout, out: &mut Vec<Change>) {
    let form = |r: Release| match r.version_form() {
        VersionForm::Full => format!("full version ({:?})", r.version_string()),
        VersionForm::Major => format!("major only ({:?})", r.version_string()),
    };
    if a.version_form() != b.version_form() {
        out.push(Change::new("version", "changed", "form").values(form(a), form(b)));
    } else if a.version_string() != b.version_string() {
        // Under the default strategy each refuses the other's artifacts.
        out.push(
            Change::new("version", "changed", "string")
                .values(a.version_string(), b.version_string()),
        );
    }
    if la.default_version_message != lb.default_version_message {
        out.push(
            Change::new("version", "reworded", "default-strategy message")
                .values(la.default_version_message, lb.default_version_message),
        );
    }
}

fn container(la: &Layout, lb: &Layout, out: &mut Vec<Change>) {
    let (ea, eb) = (la.elf, lb.elf);
    let reader = |r: ElfReader| match r {
        ElfReader::Full036 => "object 0.36 full parse",
        ElfReader::Full037 => "object 0.37 full parse",
        ElfReader::HeaderOnly => "header and section table only",
    };
    if ea.reader != eb.reader {
        out.push(
            Change::new("elf", "changed", "reader").values(reader(ea.reader), reader(eb.reader)),
        );
    }
    let checks = |e: crate::history::ElfRules| {
        [
            ("OS/ABI and ABI version checked", e.reader.is_full()),
            // Full parses take the first engine section, the header-only
            // reader the last.
            ("engine section used", e.reader.is_full()),
            ("native byte order only", e.native_endian_only),
            ("e_flags must equal the kind bit", e.exact_kind),
        ]
    };
    for ((name, x), (_, y)) in checks(ea).into_iter().zip(checks(eb)) {
        if x == y {
            continue;
        }
        let change = if name == "engine section used" {
            let which = |first: bool| if first { "first" } else { "last" };
            Change::new("elf", "changed", name).values(which(x), which(y))
        } else {
            Change::new("elf", "changed", name).values(yes(x), yes(y))
        };
        out.push(change);
    }
    let (da, db) = (la.load, lb.load);
    let known = |k: Option<&[&str]>| match k {
        None => "any name".to_string(),
        Some(list) => format!("{} names", list.len()),
    };
    if da.known_sections != db.known_sections {
        out.push(
            Change::new("load", "changed", "known section names")
                .values(known(da.known_sections), known(db.known_sections)),
        );
    }
    if da.known_prefixes != db.known_prefixes {
        out.push(
            Change::new("load", "changed", "known name prefixes")
                .values(da.known_prefixes.join(" "), db.known_prefixes.join(" ")),
        );
    }
    let quote = |q: NameQuote| match q {
        NameQuote::Backticks => "`name`",
        NameQuote::Debug => "\"name\" (Debug)",
    };
    if da.quote != db.quote {
        out.push(
            Change::new("load", "changed", "name quoting").values(quote(da.quote), quote(db.quote)),
        );
    }
}

fn features(la: &Layout, lb: &Layout, out: &mut Vec<Change>) {
    let encoding = |e: FeatureEncoding| match e {
        FeatureEncoding::Bools(n) => format!("struct of {n} bools"),
        FeatureEncoding::U32 => "u32 bits".to_string(),
        FeatureEncoding::U64 => "u64 bits".to_string(),
    };
    if la.feature_encoding != lb.feature_encoding {
        out.push(
            Change::new("features", "changed", "encoding")
                .values(encoding(la.feature_encoding), encoding(lb.feature_encoding)),
        );
    }
    let rule = |r: FeatureRule| match r {
        FeatureRule::Symmetric => "any difference rejected",
        FeatureRule::MissingOnHost => "only features the host lacks rejected",
    };
    if la.feature_rule != lb.feature_rule {
        out.push(
            Change::new("features", "changed", "rule")
                .values(rule(la.feature_rule), rule(lb.feature_rule)),
        );
    }
    named_list(
        "features.bits",
        &la.features,
        &lb.features,
        |f| f.name.to_string(),
        |f| {
            let bits: Vec<String> = (0..64)
                .filter(|i| f.bits & (1 << i) != 0)
                .map(|i| i.to_string())
                .collect();
            format!("bit {}", bits.join("|"))
        },
        out,
    );
}

/// Compares two lists of named things: names added and removed, values
/// changed, and the common names' relative order.
fn named_list<T>(
    area: &'static str,
    a: &[T],
    b: &[T],
    name: impl Fn(&T) -> String,
    value: impl Fn(&T) -> String,
    out: &mut Vec<Change>,
) {
    let names_a: Vec<String> = a.iter().map(&name).collect();
    let names_b: Vec<String> = b.iter().map(&name).collect();
    for (x, n) in a.iter().zip(&names_a) {
        match b.iter().zip(&names_b).find(|(_, m)| *m == n) {
            None => out.push(Change::new(area, "removed", n.clone()).values(value(x), "")),
            Some((y, _)) if value(x) != value(y) => {
                out.push(Change::new(area, "changed", n.clone()).values(value(x), value(y)))
            }
            Some(_) => {}
        }
    }
    for (y, n) in b.iter().zip(&names_b) {
        if !names_a.contains(n) {
            out.push(Change::new(area, "added", n.clone()).values("", value(y)));
        }
    }
    let common_a: Vec<&String> = names_a.iter().filter(|n| names_b.contains(n)).collect();
    let common_b: Vec<&String> = names_b.iter().filter(|n| names_a.contains(n)).collect();
    let kept = longest_common_subsequence(&common_a, &common_b);
    let after = |list: &[&String], n: &String| {
        let i = list.iter().position(|m| *m == n).unwrap_or(0);
        i.checked_sub(1)
            .map_or("first".to_string(), |p| format!("after {}", list[p]))
    };
    for n in common_b.iter().filter(|n| !kept.contains(n)) {
        out.push(
            Change::new(area, "moved", n.to_string())
                .values(after(&common_a, n), after(&common_b, n)),
        );
    }
}

/// The longest run of names both lists have in the same order; the other
/// common names are the ones that moved.
pub(crate) fn longest_common_subsequence<'s>(
    a: &[&'s String],
    b: &[&'s String],
) -> Vec<&'s String> {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] {
                table[i + 1][j + 1] + 1
            } else {
                table[i + 1][j].max(table[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(a[i]);
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

fn tunable_type(ty: TunableType) -> String {
    match ty {
        TunableType::Bool => "bool".into(),
        TunableType::U32 => "u32".into(),
        TunableType::U64 => "u64".into(),
        TunableType::Collector(e) => format!("Option<Collector {{{}}}>", e.variants.join(", ")),
        TunableType::Enum(e) => format!("enum {{{}}}", e.variants.join(", ")),
        TunableType::OptionNonZeroU32 => "Option<NonZeroU32>".into(),
        TunableType::OperatorCost { len } => format!("OperatorCost ({len} costs)"),
    }
}

fn check_kind(kind: CheckKind) -> String {
    match kind {
        CheckKind::Int(what) => format!("int \"{what}\""),
        CheckKind::Bool(what) => format!("bool \"{what}\""),
        CheckKind::Collector {
            reject_host_only_gc,
        } => format!(
            "collector{}",
            if reject_host_only_gc {
                ", a host with GC rejects an artifact without"
            } else {
                ""
            }
        ),
        CheckKind::Inlining => "inlining description".into(),
        CheckKind::Cost { fuel_field } => format!("costs, when {fuel_field}"),
    }
}

fn demand(d: Demand) -> String {
    match d {
        Demand::Bool(b) => format!("must be {b}"),
        Demand::Enum(e) => format!("must be {e:?}"),
        Demand::Any => "any value".into(),
        Demand::TrueOnWindows => "true on Windows hosts".into(),
        Demand::StackSwitchModel => "host OS's model with stack switching".into(),
        Demand::TrueWithReferenceTypes => "true with reference types".into(),
        Demand::ProbestackSupported => "true on x86-64, aarch64, riscv64".into(),
    }
}

/// The differences between two artifacts, field by field, in the
/// vocabulary of `inspect`: top-level fields, each Tunables field, each
/// flag (by name) and each feature name.
pub fn diff_artifacts(a: &[u8], b: &[u8]) -> Result<Vec<Change>, InspectError> {
    let (ja, jb) = (inspect(a, None)?, inspect(b, None)?);
    let mut out = Vec::new();
    for key in [
        "kind",
        "pulley",
        "version",
        "layout",
        "target",
        "feature_bits",
    ] {
        if ja[key] != jb[key] {
            out.push(
                Change::new("artifact", "changed", key).values(show(&ja[key]), show(&jb[key])),
            );
        }
    }
    object_diff("tunables", &ja["tunables"], &jb["tunables"], &mut out);
    for key in ["shared_flags", "isa_flags"] {
        let as_object = |v: &Value| -> Value {
            let map = v
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|f| Some((f["name"].as_str()?.to_string(), f["value"].clone())));
            Value::Object(map.collect())
        };
        let area = if key == "shared_flags" {
            "flags.shared"
        } else {
            "flags.isa"
        };
        object_diff(area, &as_object(&ja[key]), &as_object(&jb[key]), &mut out);
    }
    let names = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|f| f.as_str().map(str::to_string))
            .collect()
    };
    let (fa, fb) = (names(&ja["features"]), names(&jb["features"]));
    for f in fa.iter().filter(|f| !fb.contains(f)) {
        out.push(Change::new("features", "removed", f.clone()));
    }
    for f in fb.iter().filter(|f| !fa.contains(f)) {
        out.push(Change::new("features", "added", f.clone()));
    }
    Ok(out)
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "none".into(),
        other => other.to_string(),
    }
}

fn object_diff(area: &'static str, a: &Value, b: &Value, out: &mut Vec<Change>) {
    let empty = serde_json::Map::new();
    let (ma, mb) = (
        a.as_object().unwrap_or(&empty),
        b.as_object().unwrap_or(&empty),
    );
    for (k, va) in ma {
        match mb.get(k) {
            None => out.push(Change::new(area, "removed", k.clone()).values(show(va), "")),
            Some(vb) if va != vb => {
                out.push(Change::new(area, "changed", k.clone()).values(show(va), show(vb)))
            }
            Some(_) => {}
        }
    }
    for (k, vb) in mb {
        if !ma.contains_key(k) {
            out.push(Change::new(area, "added", k.clone()).values("", show(vb)));
        }
    }
}

/// The changes as aligned text, one per line.
pub fn render_text(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        let detail = match (c.from.is_empty(), c.to.is_empty()) {
            (true, true) => String::new(),
            (true, false) => format!(": {}", c.to),
            (false, true) => format!(": {}", c.from),
            (false, false) => format!(": {} -> {}", c.from, c.to),
        };
        out.push_str(&format!(
            "{:<20} {:<9} {}{detail}\n",
            c.area, c.change, c.name
        ));
    }
    out
}
