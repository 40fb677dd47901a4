//! A release's layout and rules, computed from the history's rows.

use super::{container, features, flags, pick, pick_one, tunables, Version};

macro_rules! collect_operator_names {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        [$(stringify!($op),)*]
    };
}
macro_rules! operator_names {
    () => {
        wasmparser254::for_each_operator!(collect_operator_names)
    };
}

/// What `ModuleVersionStrategy::WasmtimeVersion` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VersionForm {
    /// The full crate version, `36.0.5`.
    Full,
    /// The major alone, `48`.
    Major,
}

/// One release's layout and rules. Releases with equal layouts read and
/// check artifacts alike.
#[derive(Debug, PartialEq, Eq)]
pub struct Layout {
    /// Message under the default strategy; `{}` is the artifact's string.
    pub default_version_message: &'static str,
    /// The same message before and after the artifact's string.
    pub default_version_around: [&'static str; 2],
    pub elf: ElfRules,
    pub load: LoadRules,
    pub tunables: Vec<TunableField>,
    pub tunable_checks: Vec<TunableCheck>,
    /// For each Tunables check of [`CheckKind::Bool`], in order, its two
    /// messages: the artifact has the setting and the host not, and the
    /// other way round (empty for the other kinds).
    pub tunable_check_messages: Vec<[String; 2]>,
    pub feature_encoding: FeatureEncoding,
    pub features: Vec<Feature>,
    pub feature_rule: FeatureRule,
    /// Every bit some feature names: `from_bits_truncate` keeps only these.
    feature_bits: u64,
    /// For each feature, in order, r[compat.features]'s two messages: the
    /// artifact has it and the host not, and the other way round.
    pub feature_messages: Vec<[String; 2]>,
    /// The bits of the features the shared-flag rules consult, found once.
    pub reference_types_bits: u64,
    pub stack_switching_bits: u64,
    pub shared_flags: Vec<SharedFlagRule>,
    /// ISA flags mapped to the name the host CPU detector is asked about.
    pub detected_isa_flags: Vec<(&'static str, &'static str)>,
    /// Message when the detector cannot tell; `{flag}` and `{feature}` are
    /// replaced by the quoted ISA flag and detector names.
    pub undetectable_message: &'static str,
    /// ISA flags accepted without asking the detector.
    pub free_isa_flags: Vec<&'static str>,
    pub isa_rules: IsaRules,
}

impl Layout {
    /// The layout of `version`, from the rows that hold in it.
    pub fn of(version: Version) -> Layout {
        let tunables = pick(tunables::FIELDS, version);
        let tunable_checks = pick(tunables::CHECKS, version)
            .into_iter()
            .filter_map(|c| {
                let index = tunables.iter().position(|f| f.name == c.field)?;
                Some(TunableCheck {
                    rule: c.rule,
                    field: c.field,
                    index,
                    kind: c.kind,
                })
            })
            .collect::<Vec<_>>();
        let tunable_check_messages = tunable_checks
            .iter()
            .map(|c| match c.kind {
                CheckKind::Bool(what) => with_and_without(what),
                _ => Default::default(),
            })
            .collect();
        let features = pick(features::FEATURES, version);
        let bits_of = |name: &str| {
            features
                .iter()
                .find(|f: &&Feature| f.name == name)
                .map_or(0, |f| f.bits)
        };
        let default_version_message = pick_one(container::DEFAULT_VERSION_MESSAGE, version);
        Layout {
            default_version_around: split_at_hole(default_version_message),
            feature_bits: features.iter().fold(0, |acc, f| acc | f.bits),
            feature_messages: features.iter().map(feature_messages).collect(),
            reference_types_bits: bits_of("reference_types"),
            stack_switching_bits: bits_of("stack_switching"),
            default_version_message,
            elf: pick_one(container::ELF, version),
            load: pick_one(container::LOAD, version),
            tunables,
            tunable_checks,
            tunable_check_messages,
            feature_encoding: pick_one(features::ENCODING, version),
            features,
            feature_rule: pick_one(features::RULE, version),
            shared_flags: pick(flags::SHARED, version),
            detected_isa_flags: pick(flags::DETECTED, version),
            undetectable_message: pick_one(flags::UNDETECTABLE_MESSAGE, version),
            free_isa_flags: pick(flags::FREE, version),
            isa_rules: pick_one(flags::ISA_RULES, version),
        }
    }

    pub fn tunable_index(&self, name: &str) -> Option<usize> {
        self.tunables.iter().position(|f| f.name == name)
    }

    pub fn feature_by_name(&self, name: &str) -> Option<&Feature> {
        self.features.iter().find(|f| f.name == name)
    }

    /// Every bit some feature names: `from_bits_truncate` keeps only these.
    pub fn known_feature_bits(&self) -> u64 {
        self.feature_bits
    }
}

/// A message's text before and after its `{}`.
pub(crate) fn split_at_hole(template: &'static str) -> [&'static str; 2] {
    match template.split_once("{}") {
        Some((before, after)) => [before, after],
        None => [template, ""],
    }
}

/// r[compat.features]'s messages for `feature`: compiled with it for a host
/// without it, and compiled without it for a host with it.
fn feature_messages(feature: &Feature) -> [String; 2] {
    match feature.what {
        Some(what) => with_and_without(what),
        None => with_and_without(&format!(
            "support for WebAssembly feature `{}`",
            feature.name
        )),
    }
}

/// "Module was compiled with {what} but it is not enabled for the host",
/// and the other way round: the messages of the features rule and of the
/// boolean Tunables rules.
fn with_and_without(what: &str) -> [String; 2] {
    let message = |with: &str, is: &str| {
        format!("Module was compiled {with} {what} but it {is} enabled for the host")
    };
    [message("with", "is not"), message("without", "is")]
}

/// How the ELF container is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElfRules {
    pub reader: ElfReader,
    /// 24–27: only the host's own byte order parses.
    pub native_endian_only: bool,
    /// 24–31: `e_flags` must be exactly the kind bit, not merely contain it.
    pub exact_kind: bool,
}

/// Which parse finds the engine section.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfReader {
    /// `object` 0.36's full `ElfFile64::parse` (24–35): OS/ABI and ABI
    /// version are checked with the kind bit, and the *first* engine
    /// section is used. SHT_CREL sections are not relocation sections.
    Full036,
    /// The same with `object` 0.37 (36–42), which also validates SHT_CREL.
    Full037,
    /// Header, section table and names only (43+); only `e_flags` is
    /// checked, and the *last* engine section is used.
    HeaderOnly,
}

impl ElfReader {
    /// Whether this reader is `object`'s full parse.
    pub fn is_full(self) -> bool {
        !matches!(self, ElfReader::HeaderOnly)
    }
}

/// What loading's section walk demands beyond data ranges and names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadRules {
    /// The section names loading knows besides `.wasmtime.bti` and the
    /// process's unwind section; `None` when any name is let through (36).
    pub known_sections: Option<&'static [&'static str]>,
    /// Name prefixes loading also lets through.
    pub known_prefixes: &'static [&'static str],
    /// How messages quote a section name.
    pub quote: NameQuote,
}

/// How a message quotes a section name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameQuote {
    /// 36: `` `name` ``.
    Backticks,
    /// 48: Rust's `{:?}`, `"name"` with escapes.
    Debug,
}

impl NameQuote {
    pub fn apply(self, name: &str) -> String {
        match self {
            NameQuote::Backticks => format!("`{name}`"),
            NameQuote::Debug => format!("{name:?}"),
        }
    }
}

/// How `Metadata` encodes the wasm features.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureEncoding {
    /// 24–32: Wasmtime's own struct of this many `bool`s, one byte each;
    /// the reference reads bool `i` as bit `i`.
    Bools(u8),
    /// 33: wasmparser's bits as a `u32` varint.
    U32,
    /// 34+: wasmparser's bits as a `u64` varint.
    U64,
}

/// The ISA-flag value rules a release has, before the flag's name is
/// looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IsaRules {
    /// 28+: `Enum("pointer32")`/`Enum("pointer64")` must match the host
    /// process's pointer width.
    pub pointer_width: bool,
    /// 29+: `big_endian` is accepted on a big-endian process only.
    pub big_endian: bool,
}

/// How the wasm feature bits are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeatureRule {
    /// 36: any difference in either direction is rejected.
    Symmetric,
    /// 48: only features the artifact has and the host lacks are rejected.
    MissingOnHost,
}

/// A wasm feature as `wasmparser::WasmFeatures` declares it. `bits` may hold
/// more than one bit (`reference_types`, `bulk_memory`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Feature {
    pub name: &'static str,
    pub bits: u64,
    /// 24–32: the words the mismatch message uses for this feature.
    pub what: Option<&'static str>,
}

/// A Tunables field, in encoding order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TunableField {
    pub name: &'static str,
    pub ty: TunableType,
}

/// The postcard shape of a Tunables field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TunableType {
    Bool,
    U32,
    U64,
    /// `Option<Collector>`.
    Collector(&'static EnumType),
    /// A unit-only enum encoded as its variant index.
    Enum(&'static EnumType),
    /// `Option<NonZeroU32>`.
    OptionNonZeroU32,
    /// `OperatorCostStrategy`: `Table(Box<OperatorCost>)` or `Default`;
    /// the table is `len` single-byte costs.
    OperatorCost {
        len: usize,
    },
}

/// A unit-only enum: serde variant names, and the text Wasmtime's messages
/// use for each variant.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumType {
    pub variants: &'static [&'static str],
    pub descriptions: &'static [&'static str],
}

/// One tunable comparison, in check order. `rule` is its spec ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TunableCheck {
    pub rule: &'static str,
    pub field: &'static str,
    /// `field`'s position in the layout, found at compile time.
    pub index: usize,
    pub kind: CheckKind,
}

/// A tunable check as the history states it; the layout adds the field's
/// position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckRow {
    pub rule: &'static str,
    pub field: &'static str,
    pub kind: CheckKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckKind {
    /// "Module was compiled with a {what} of '{found}' but '{expected}' is expected for the host"
    Int(&'static str),
    /// "Module was compiled with/without {what} but it is/is not enabled for the host"
    Bool(&'static str),
    /// GC collector; `host_gc_without_module_gc` rejects a host with GC
    /// when the artifact has none (36).
    Collector { reject_host_only_gc: bool },
    /// "module was compiled {desc} however the host is configured {desc}"
    Inlining,
    /// Operator costs compared only when the artifact consumes fuel;
    /// `fuel_field` names that field.
    Cost { fuel_field: &'static str },
}

/// What a release demands of one Cranelift shared flag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SharedFlagRule {
    pub name: &'static str,
    pub demand: Demand,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Demand {
    /// The value must be exactly this.
    Bool(bool),
    Enum(&'static str),
    /// Any value is accepted.
    Any,
    /// Must be `true` when the host targets Windows; else anything.
    TrueOnWindows,
    /// Checked only when the host enables stack switching: the model must
    /// match the host OS.
    StackSwitchModel,
    /// Must be `true` when the host enables reference types (27–37).
    TrueWithReferenceTypes,
    /// 24–26: must be `true` on x86-64, aarch64 and riscv64 hosts, `false`
    /// elsewhere.
    ProbestackSupported,
}

/// The operator names of `wasmparser` 0.254, in `for_each_operator!` order:
/// the fields of 48's `OperatorCost`, one `u8` each, before `variable`.
pub static OPERATORS_V48: &[&str] = &operator_names!();

/// The fields of 48's `VariableOperatorCost`, one `u8` each.
pub static VARIABLE_COSTS_V48: &[&str] = &[
    "memory_copy_per_byte",
    "memory_fill_per_byte",
    "memory_init_per_byte",
    "memory_grow_per_page",
    "table_copy_per_element",
    "table_fill_per_element",
    "table_init_per_element",
    "table_grow_per_element",
    "array_copy_per_element",
    "array_fill_per_element",
    "array_new_data_per_element",
    "array_init_data_per_element",
    "array_new_elem_per_element",
    "array_init_elem_per_element",
    "array_new_default_per_element",
    "array_new_per_element",
];
