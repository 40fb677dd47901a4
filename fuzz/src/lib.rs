//! What the fuzz targets share: each major's default artifacts, built into
//! the binaries, the default host of every layout, and the `structured`
//! target's input. The checks themselves are in `cwasm_spec::fuzzing`.

use arbitrary::Arbitrary;
use cwasm_spec::framing::{find_engine_section, split_engine_section};
use cwasm_spec::fuzzing::{check_structured, layout_hosts, layout_index, Defaults, LayoutHost};
use cwasm_spec::history::{FeatureEncoding, Layout, TunableType};
use cwasm_spec::metadata::{FlagList, FlagValue, Metadata, TunableValue, Tunables};
use cwasm_spec::{Kind, Rejection};
use std::sync::OnceLock;

macro_rules! artifact {
    ($major:literal, $name:literal) => {
        include_bytes!(concat!(
            "../../conformance/v",
            stringify!($major),
            "/official/artifacts/",
            $name,
            ".cwasm"
        ))
    };
}

macro_rules! defaults {
    ($($major:literal)*; $($cmajor:literal)*) => {
        &[
            $(Defaults { major: $major, module: artifact!($major, "default"), component: None },)*
            $(Defaults {
                major: $cmajor,
                module: artifact!($cmajor, "default"),
                component: Some(artifact!($cmajor, "component-default")),
            },)*
        ]
    };
}

/// Each major's official default module, and component where the major's
/// official corpus has one (33+). 26 has none.
pub static DEFAULTS: &[Defaults<'static>] = defaults!(
    24 25 27 28 29 30 31 32;
    33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50
);

/// Every layout's default host, built on first use.
pub fn hosts() -> &'static [LayoutHost<'static>] {
    static HOSTS: OnceLock<Vec<LayoutHost<'static>>> = OnceLock::new();
    HOSTS.get_or_init(|| layout_hosts(DEFAULTS))
}

/// Triples the target string is picked from, besides the host's own.
const TRIPLES: &[&str] = &[
    "x86_64-unknown-linux-gnu",
    "x86_64-unknown-linux-musl",
    "x86_64-pc-windows-msvc",
    "x86_64-apple-darwin",
    "aarch64-unknown-linux-gnu",
    "aarch64-apple-darwin",
    "riscv64gc-unknown-linux-gnu",
    "s390x-unknown-linux-gnu",
    "i686-unknown-linux-gnu",
    "pulley32",
    "pulley64",
    "pulley64be",
    "x86_64-unknown-freebsd",
    "x86_64",
    "",
];

/// Enum values a flag is set to, besides any string.
const ENUM_VALUES: &[&str] = &[
    "isa_default",
    "inline",
    "outline",
    "basic",
    "update_windows_tib",
    "pointer32",
    "pointer64",
    "none",
    "speed",
    "speed_and_size",
    "backtracking",
    "single_pass",
    "system_v",
    "windows_fastcall",
    "apple_aarch64",
    "probestack",
    "elf_gd",
];

/// ISA flag names a release does not list but the check knows about.
const EXTRA_ISA_FLAGS: &[&str] = &["big_endian", "not_a_flag", "has_avx10_1"];

/// A `Metadata` for one layout, as edits of its default host's own: every
/// choice left at `Host` gives back the host's value.
#[derive(Arbitrary, Debug)]
pub struct Input<'a> {
    /// Picks the layout as the other targets' selector byte does.
    pub layout: u8,
    /// Place it into the default component (where the major has one)
    /// instead of the default module.
    pub component: bool,
    pub version: Version<'a>,
    pub target: Text<'a>,
    pub shared_flags: Flags<'a>,
    pub isa_flags: Flags<'a>,
    /// One per Tunables field, in order; missing ones are `Host`.
    pub tunables: Vec<Tunable>,
    pub features: Features,
}

/// The engine section's version string.
#[derive(Arbitrary, Debug)]
pub enum Version<'a> {
    /// The host release's own string.
    Host,
    /// The default artifact's.
    Artifact,
    Other(&'a str),
}

/// A string: the host's (or, where the host has none, the empty string),
/// one of a list, or any.
#[derive(Arbitrary, Debug)]
pub enum Text<'a> {
    Host,
    Known(u8),
    Other(&'a str),
}

#[derive(Arbitrary, Debug)]
pub enum Flags<'a> {
    Host,
    /// The host's flags, edited in order.
    Edited(Vec<FlagEdit<'a>>),
    /// Only these.
    Only(Vec<Flag<'a>>),
}

#[derive(Arbitrary, Debug)]
pub enum FlagEdit<'a> {
    /// Sets the value of the flag at this index.
    Set(u8, Value<'a>),
    Remove(u8),
    /// Inserts a flag before this index.
    Insert(u8, Flag<'a>),
    Swap(u8, u8),
}

#[derive(Arbitrary, Debug)]
pub struct Flag<'a> {
    pub name: Name<'a>,
    pub value: Value<'a>,
}

/// A flag's name.
#[derive(Arbitrary, Debug)]
pub enum Name<'a> {
    /// The name of the host's flag at this index.
    Host(u8),
    /// A name the layout's rules list.
    Known(u8),
    Other(&'a str),
}

#[derive(Arbitrary, Debug)]
pub enum Value<'a> {
    Bool(bool),
    Num(u8),
    Enum(Text<'a>),
}

/// A Tunables field's value, read according to the field's type.
#[derive(Arbitrary, Debug)]
pub enum Tunable {
    Host,
    /// A bool, or 0/1, or `None`/`Some(first variant)`.
    Bool(bool),
    /// Any integer (truncated), or a variant index modulo the count.
    Int(u64),
    /// The host's integer or index moved by this much.
    Near(i8),
    /// Zero, `None`, the first variant.
    Zero,
    /// An operator-cost table: the host's (or all ones), with these
    /// `(operator, cost)` changes.
    Costs(Vec<(u16, u8)>),
}

#[derive(Arbitrary, Debug)]
pub enum Features {
    Host,
    /// Toggles the layout's named features at these indices.
    Toggle(Vec<u8>),
    Xor(u64),
    Set(u64),
}

/// The `structured` target: builds the `Metadata` the input describes for
/// its layout and runs `check_structured` on it: the verdict, if any.
pub fn structured(input: &Input<'_>) -> Option<Result<(), Rejection>> {
    let entry = &hosts()[layout_index(input.layout)];
    let host = entry.host()?;
    let kind = if input.component && entry.artifact(Kind::Component).is_some() {
        Kind::Component
    } else {
        Kind::Module
    };
    let host_meta = host.metadata();
    let layout = entry.release.layout();

    let target = pick(&input.target, Some(host_meta.target), TRIPLES);
    let shared_names: Vec<&str> = layout.shared_flags.iter().map(|r| r.name).collect();
    let isa_names: Vec<&str> = layout
        .detected_isa_flags
        .iter()
        .map(|(flag, _)| *flag)
        .chain(layout.free_isa_flags.iter().copied())
        .chain(EXTRA_ISA_FLAGS.iter().copied())
        .collect();
    let shared = FlagList::encode(&flags(
        &input.shared_flags,
        &host_meta.shared_flags,
        &shared_names,
    ));
    let isa = FlagList::encode(&flags(&input.isa_flags, &host_meta.isa_flags, &isa_names));
    let tables = cost_tables(input, &host_meta, layout);
    let values: Vec<TunableValue<'_>> = layout
        .tunables
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let host_value = host_meta.tunables.get(i);
            let edit = input.tunables.get(i).unwrap_or(&Tunable::Host);
            tunable(edit, field.ty, host_value, tables[i].as_deref())
        })
        .collect();
    let features = features(&input.features, host_meta.features, layout);
    let meta = Metadata {
        release: entry.release,
        target,
        shared_flags: FlagList::parse(&shared).expect("an encoded flag list parses"),
        isa_flags: FlagList::parse(&isa).expect("an encoded flag list parses"),
        tunables: Tunables::from_values(&values).expect("no more fields than a layout has"),
        features,
    };
    let artifact_version;
    let version = match input.version {
        Version::Host => entry.release.version_string(),
        Version::Artifact => {
            let artifact = entry.artifact(kind).expect("picked above");
            let data = find_engine_section(artifact, kind, cwasm_spec::Release::V48)
                .expect("a default artifact has an engine section");
            let section = split_engine_section(data).expect("and it splits");
            artifact_version = String::from_utf8_lossy(section.version).into_owned();
            &artifact_version
        }
        Version::Other(s) => s,
    };
    check_structured(&meta, version, kind, entry)
}

fn pick<'a>(text: &Text<'a>, host: Option<&'a str>, known: &[&'a str]) -> &'a str {
    match *text {
        Text::Host => host.unwrap_or(""),
        Text::Known(_) if known.is_empty() => host.unwrap_or(""),
        Text::Known(i) => known[usize::from(i) % known.len()],
        Text::Other(s) => s,
    }
}

fn value<'a>(value: &Value<'a>) -> FlagValue<'a> {
    match value {
        Value::Bool(b) => FlagValue::Bool(*b),
        Value::Num(n) => FlagValue::Num(*n),
        Value::Enum(text) => FlagValue::Enum(pick(text, None, ENUM_VALUES)),
    }
}

fn flag<'a>(
    flag: &Flag<'a>,
    host: &[(&'a str, FlagValue<'a>)],
    known: &[&'a str],
) -> (&'a str, FlagValue<'a>) {
    let name = match flag.name {
        Name::Host(i) if !host.is_empty() => host[usize::from(i) % host.len()].0,
        Name::Known(i) if !known.is_empty() => known[usize::from(i) % known.len()],
        Name::Other(s) => s,
        _ => "",
    };
    (name, value(&flag.value))
}

fn flags<'a>(
    input: &Flags<'a>,
    host: &FlagList<'a>,
    known: &[&'a str],
) -> Vec<(&'a str, FlagValue<'a>)> {
    let host: Vec<_> = host.iter().collect();
    match input {
        Flags::Host => host,
        Flags::Only(list) => list.iter().map(|f| flag(f, &host, known)).collect(),
        Flags::Edited(edits) => {
            let mut out = host.clone();
            for edit in edits {
                let at = |i: u8, len: usize| usize::from(i) % len.max(1);
                match edit {
                    FlagEdit::Set(i, v) if !out.is_empty() => {
                        let i = at(*i, out.len());
                        out[i].1 = value(v);
                    }
                    FlagEdit::Remove(i) if !out.is_empty() => {
                        out.remove(at(*i, out.len()));
                    }
                    FlagEdit::Insert(i, f) => {
                        let f = flag(f, &host, known);
                        out.insert(at(*i, out.len() + 1), f);
                    }
                    FlagEdit::Swap(i, j) if !out.is_empty() => {
                        let (i, j) = (at(*i, out.len()), at(*j, out.len()));
                        out.swap(i, j);
                    }
                    _ => {}
                }
            }
            out
        }
    }
}

/// The owned operator-cost tables the Tunables borrow, one slot per field.
fn cost_tables(input: &Input<'_>, host: &Metadata<'_>, layout: &Layout) -> Vec<Option<Vec<u8>>> {
    layout
        .tunables
        .iter()
        .enumerate()
        .map(|(i, field)| {
            let TunableType::OperatorCost { len } = field.ty else {
                return None;
            };
            let base = match host.tunables.get(i) {
                TunableValue::Cost(Some(table)) => table.to_vec(),
                _ => vec![1; len],
            };
            match input.tunables.get(i) {
                Some(Tunable::Costs(changes)) => {
                    let mut table = base;
                    for &(at, cost) in changes {
                        table[usize::from(at) % len] = cost;
                    }
                    Some(table)
                }
                Some(Tunable::Int(v)) => Some(vec![*v as u8; len]),
                _ => Some(base),
            }
        })
        .collect()
}

fn tunable<'a>(
    edit: &Tunable,
    ty: TunableType,
    host: TunableValue<'a>,
    table: Option<&'a [u8]>,
) -> TunableValue<'a> {
    let near = |v: u64, d: i8| v.wrapping_add(d as i64 as u64);
    match (ty, edit) {
        (_, Tunable::Host) => host,
        (TunableType::Bool, e) => TunableValue::Bool(match *e {
            Tunable::Bool(b) => b,
            Tunable::Int(v) => v & 1 == 1,
            Tunable::Near(d) => matches!(host, TunableValue::Bool(b) if b) ^ (d & 1 == 1),
            _ => false,
        }),
        (TunableType::U32, e) => {
            let TunableValue::U32(h) = host else {
                return host;
            };
            TunableValue::U32(match *e {
                Tunable::Bool(b) => b.into(),
                Tunable::Int(v) => v as u32,
                Tunable::Near(d) => near(h.into(), d) as u32,
                _ => 0,
            })
        }
        (TunableType::U64, e) => {
            let TunableValue::U64(h) = host else {
                return host;
            };
            TunableValue::U64(match *e {
                Tunable::Bool(b) => b.into(),
                Tunable::Int(v) => v,
                Tunable::Near(d) => near(h, d),
                _ => 0,
            })
        }
        (TunableType::Collector(e), edit) => {
            let n = e.variants.len() as u64;
            TunableValue::Collector(match *edit {
                Tunable::Bool(b) => b.then_some(0),
                Tunable::Int(v) => Some((v % n) as u8),
                Tunable::Near(d) => match host {
                    TunableValue::Collector(Some(i)) => Some((near(i.into(), d) % n) as u8),
                    _ => Some(0),
                },
                _ => None,
            })
        }
        (TunableType::Enum(e), edit) => {
            let n = e.variants.len() as u64;
            let h = match host {
                TunableValue::Enum(i) => u64::from(i),
                _ => 0,
            };
            TunableValue::Enum(match *edit {
                Tunable::Bool(b) => u64::from(b) % n,
                Tunable::Int(v) => v % n,
                Tunable::Near(d) => near(h, d) % n,
                _ => 0,
            } as u8)
        }
        (TunableType::OptionNonZeroU32, edit) => {
            let h = match host {
                TunableValue::NonZeroU32(v) => v.unwrap_or(0),
                _ => 0,
            };
            let v = match *edit {
                Tunable::Bool(b) => u32::from(b),
                Tunable::Int(v) => v as u32,
                Tunable::Near(d) => near(h.into(), d) as u32,
                _ => 0,
            };
            TunableValue::NonZeroU32((v != 0).then_some(v))
        }
        (TunableType::OperatorCost { .. }, edit) => TunableValue::Cost(match edit {
            Tunable::Zero | Tunable::Bool(false) => None,
            _ => table,
        }),
    }
}

fn features(input: &Features, host: u64, layout: &Layout) -> u64 {
    let bits = match input {
        Features::Host => host,
        Features::Toggle(_) if layout.features.is_empty() => host,
        Features::Toggle(indices) => indices.iter().fold(host, |acc, &i| {
            acc ^ layout.features[usize::from(i) % layout.features.len()].bits
        }),
        Features::Xor(x) => host ^ x,
        Features::Set(x) => *x,
    };
    // Only the bits the encoding can hold read back.
    match layout.feature_encoding {
        FeatureEncoding::Bools(count) => bits & ((1 << count) - 1),
        FeatureEncoding::U32 => bits & u64::from(u32::MAX),
        FeatureEncoding::U64 => bits,
    }
}
