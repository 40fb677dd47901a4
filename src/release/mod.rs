//! What differs from one Wasmtime release to the next, as data.
//!
//! Each supported release is one small file (`v36.rs`, `v48.rs`) holding a
//! [`Layout`]: the Tunables fields in encoding order, the order and wording
//! of the tunable checks, the wasm feature bits, the shared-flag rules and
//! the ISA flags the host CPU detector is asked about. The decoder, encoder
//! and checker read these tables; they contain no per-release branches other
//! than the few [`Layout`] switches below.
//!
//! ```
//! use cwasm_spec::release::Release;
//! let r = Release::from_major(48).unwrap();
//! assert_eq!(r.layout().default_module_version, "48");
//! ```

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

macro_rules! count_operators {
    ($(@$proposal:ident $op:ident $({ $($arg:ident: $argty:ty),* })? => $visit:ident ($($ann:tt)*))*) => {
        [$(stringify!($op),)*].len()
    };
}

mod v36;
mod v48;

use std::fmt;

/// A supported Wasmtime release line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Release {
    V36,
    V48,
}

impl Release {
    pub const ALL: [Release; 2] = [Release::V36, Release::V48];

    pub fn from_major(major: u32) -> Option<Release> {
        match major {
            36 => Some(Release::V36),
            48 => Some(Release::V48),
            _ => None,
        }
    }

    /// The release a version string names: "48" or "36.0.20" (a leading
    /// decimal major followed by the end or a `.`).
    pub fn from_version_string(version: &str) -> Option<Release> {
        let major = version.split('.').next()?;
        if major.is_empty() || !major.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Release::from_major(major.parse().ok()?)
    }

    pub fn major(self) -> u32 {
        self.layout().major
    }

    pub fn layout(self) -> &'static Layout {
        match self {
            Release::V36 => &v36::LAYOUT,
            Release::V48 => &v48::LAYOUT,
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.major())
    }
}

/// One release's layout and rules.
pub struct Layout {
    pub major: u32,
    /// The exact Wasmtime version whose behaviour this layout reproduces.
    pub wasmtime_version: &'static str,
    /// What `ModuleVersionStrategy::WasmtimeVersion` writes and expects.
    pub default_module_version: &'static str,
    /// Message under the default strategy; `{}` is the artifact's string.
    pub default_version_message: &'static str,
    pub elf: ElfRules,
    pub load: LoadRules,
    pub tunables: &'static [TunableField],
    pub tunable_checks: &'static [TunableCheck],
    pub features: &'static [Feature],
    pub feature_rule: FeatureRule,
    pub shared_flags: &'static [SharedFlagRule],
    /// ISA flags mapped to the name the host CPU detector is asked about.
    pub detected_isa_flags: &'static [(&'static str, &'static str)],
    /// Message when the detector cannot tell; `{flag}` and `{feature}` are
    /// replaced by the quoted ISA flag and detector names.
    pub undetectable_message: &'static str,
    /// ISA flags accepted without asking the detector.
    pub free_isa_flags: &'static [&'static str],
}

/// How the ELF container is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ElfRules {
    /// 36: `object`'s full `ElfFile64::parse`, OS/ABI and ABI version are
    /// checked with the kind bit, and the *first* engine section is used.
    FullParseFirstSection,
    /// 48: header, section table and names only; only `e_flags` is checked,
    /// and the *last* engine section is used.
    HeaderOnlyLastSection,
}

/// What loading's section walk demands beyond data ranges and names.
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
pub struct Feature {
    pub name: &'static str,
    pub bits: u64,
}

/// A Tunables field, in encoding order.
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
pub struct TunableCheck {
    pub rule: &'static str,
    pub field: &'static str,
    /// `field`'s position in the layout, found at compile time.
    pub index: usize,
    pub kind: CheckKind,
}

/// The position of the field `name` in `fields`; a compile error if absent.
pub const fn field_index(fields: &[TunableField], name: &str) -> usize {
    let mut i = 0;
    while i < fields.len() {
        if str_eq(fields[i].name, name) {
            return i;
        }
        i += 1;
    }
    panic!("no such Tunables field")
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
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
    /// Must be `true` when the host enables reference types (36).
    TrueWithReferenceTypes,
}

impl Layout {
    pub fn tunable_index(&self, name: &str) -> Option<usize> {
        self.tunables.iter().position(|f| f.name == name)
    }

    pub fn feature_by_name(&self, name: &str) -> Option<&'static Feature> {
        self.features.iter().find(|f| f.name == name)
    }

    /// Every bit some feature names: `from_bits_truncate` keeps only these.
    pub fn known_feature_bits(&self) -> u64 {
        self.features.iter().fold(0, |acc, f| acc | f.bits)
    }
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
