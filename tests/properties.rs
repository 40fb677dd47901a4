//! Property tests: Metadata round trips for each release's layout, no panic
//! on any bytes, and a verdict that names the first difference in the
//! release's check order.

use cwasm_spec::history::{CheckKind, TunableType};
use cwasm_spec::host::{Cpu, Host, ModuleVersion, X86_64_DETECTOR_NAMES};
use cwasm_spec::inspect::inspect;
use cwasm_spec::metadata::{FlagList, FlagValue, Metadata, TunableValue, Tunables};
use cwasm_spec::{check, check::check_metadata, Kind, Release};
use proptest::prelude::*;
use std::path::Path;

/// One release of each layout, with the default artifact Wasmtime compiled
/// for its major (26 has no official build, so no artifact).
fn default_artifacts() -> Vec<(Release, Vec<u8>)> {
    Release::layout_changes()
        .into_iter()
        .filter_map(|release| {
            let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
                "conformance/v{}/official/artifacts/default.cwasm",
                release.major()
            ));
            Some((release, std::fs::read(path).ok()?))
        })
        .collect()
}

/// Owned inputs from which a `Metadata` is borrowed.
#[derive(Debug, Clone)]
struct Owned {
    target: String,
    shared: Vec<(String, OwnedFlag)>,
    isa: Vec<(String, OwnedFlag)>,
    tunables: Vec<OwnedTunable>,
    features: u64,
}

#[derive(Debug, Clone)]
enum OwnedFlag {
    Enum(String),
    Num(u8),
    Bool(bool),
}

#[derive(Debug, Clone)]
enum OwnedTunable {
    Plain(TunableValue<'static>),
    Cost(Option<Vec<u8>>),
}

fn flag() -> impl Strategy<Value = (String, OwnedFlag)> {
    let value = prop_oneof![
        ".{0,12}".prop_map(OwnedFlag::Enum),
        any::<u8>().prop_map(OwnedFlag::Num),
        any::<bool>().prop_map(OwnedFlag::Bool),
    ];
    (".{0,20}", value)
}

fn tunable(ty: TunableType) -> BoxedStrategy<OwnedTunable> {
    let plain = |s: BoxedStrategy<TunableValue<'static>>| s.prop_map(OwnedTunable::Plain).boxed();
    match ty {
        TunableType::Bool => plain(any::<bool>().prop_map(TunableValue::Bool).boxed()),
        TunableType::U32 => plain(any::<u32>().prop_map(TunableValue::U32).boxed()),
        TunableType::U64 => plain(any::<u64>().prop_map(TunableValue::U64).boxed()),
        TunableType::Collector(e) => plain(
            proptest::option::of(0..e.variants.len() as u8)
                .prop_map(TunableValue::Collector)
                .boxed(),
        ),
        TunableType::Enum(e) => plain(
            (0..e.variants.len() as u8)
                .prop_map(TunableValue::Enum)
                .boxed(),
        ),
        TunableType::OptionNonZeroU32 => plain(
            proptest::option::of(1..=u32::MAX)
                .prop_map(TunableValue::NonZeroU32)
                .boxed(),
        ),
        TunableType::OperatorCost { len } => {
            proptest::option::of(proptest::collection::vec(any::<u8>(), len..=len))
                .prop_map(OwnedTunable::Cost)
                .boxed()
        }
    }
}

fn metadata(release: Release) -> impl Strategy<Value = Owned> {
    let tunables: Vec<_> = release
        .layout()
        .tunables
        .iter()
        .map(|f| tunable(f.ty))
        .collect();
    (
        ".{0,40}",
        proptest::collection::vec(flag(), 0..8),
        proptest::collection::vec(flag(), 0..8),
        tunables,
        any::<u64>(),
    )
        .prop_map(|(target, shared, isa, tunables, features)| Owned {
            target,
            shared,
            isa,
            tunables,
            features,
        })
}

fn encode_flags(flags: &[(String, OwnedFlag)]) -> Vec<u8> {
    let list: Vec<(&str, FlagValue<'_>)> = flags
        .iter()
        .map(|(n, v)| {
            let v = match v {
                OwnedFlag::Enum(s) => FlagValue::Enum(s),
                OwnedFlag::Num(n) => FlagValue::Num(*n),
                OwnedFlag::Bool(b) => FlagValue::Bool(*b),
            };
            (n.as_str(), v)
        })
        .collect();
    FlagList::encode(&list)
}

fn roundtrip(release: Release, owned: &Owned) {
    let shared = encode_flags(&owned.shared);
    let isa = encode_flags(&owned.isa);
    let values: Vec<TunableValue<'_>> = owned
        .tunables
        .iter()
        .map(|t| match t {
            OwnedTunable::Plain(v) => *v,
            OwnedTunable::Cost(c) => TunableValue::Cost(c.as_deref()),
        })
        .collect();
    let meta = Metadata {
        release,
        target: &owned.target,
        shared_flags: FlagList::parse(&shared).unwrap(),
        isa_flags: FlagList::parse(&isa).unwrap(),
        tunables: Tunables::from_values(&values).unwrap(),
        features: owned.features,
    };
    let bytes = meta.encode();
    let decoded = Metadata::decode(&bytes, release).unwrap();
    assert_eq!(decoded, meta);
    assert_eq!(decoded.encode(), bytes);
}

proptest! {
    #[test]
    fn metadata_roundtrips_v48(owned in metadata(Release::V48)) {
        roundtrip(Release::V48, &owned);
    }

    #[test]
    fn metadata_roundtrips_v36(owned in metadata(Release::V36)) {
        roundtrip(Release::V36, &owned);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for (release, witness) in default_artifacts() {
            let host = Host::from_witness(&witness, Some(release)).unwrap();
            let _ = check(&bytes, Kind::Module, &host);
            let _ = check(&bytes, Kind::Component, &host);
            let _ = inspect(&bytes, Some(release));
            let _ = Metadata::decode(&bytes, release);
        }
    }

    #[test]
    fn mutated_artifacts_never_panic(
        changes in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..12),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        for (release, default) in default_artifacts() {
            let mut bytes = default.clone();
            for (at, value) in &changes {
                let i = at.index(bytes.len());
                bytes[i] = *value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len()));
            }
            let host = Host::from_witness(&default, Some(release)).unwrap();
            let _ = check(&bytes, Kind::Module, &host);
            let _ = inspect(&bytes, Some(release));
        }
    }

    /// Change any subset of the compared tunables (and maybe add feature
    /// bits): the verdict names the first changed field in check order.
    #[test]
    fn verdict_names_the_first_difference(
        picks in proptest::collection::vec(any::<bool>(), 40),
        extra_features in any::<bool>(),
    ) {
        for (release, witness) in default_artifacts() {
            let mut host = Host::from_witness(&witness, Some(release)).unwrap();
            // The official artifacts carry this machine's ISA flags.
            host.set_cpu(Cpu::Exactly(X86_64_DETECTOR_NAMES.iter().map(|n| n.to_string()).collect()));
            host.module_version = ModuleVersion::None;
            let host_meta = host.metadata();
            let layout = release.layout();
            let mut meta = host_meta;
            let mut first = None;
            for (n, check) in layout.tunable_checks.iter().enumerate() {
                let index = layout.tunable_index(check.field).unwrap();
                let changed = match (check.kind, meta.tunables.get(index)) {
                    (CheckKind::Bool(_), TunableValue::Bool(b)) => TunableValue::Bool(!b),
                    (CheckKind::Int(_), TunableValue::U64(v)) => TunableValue::U64(v ^ 0x1000),
                    (CheckKind::Int(_), TunableValue::U32(v)) => TunableValue::U32(v ^ 0x10),
                    _ => continue,
                };
                if picks[n] {
                    meta.tunables.set(index, changed);
                    first.get_or_insert(check.rule);
                }
            }
            // A feature the default host lacks.
            let lacking = layout.features.iter().find(|f| host_meta.features & f.bits == 0);
            let extra_features = extra_features && lacking.is_some();
            if let Some(feature) = lacking.filter(|_| extra_features) {
                meta.features |= feature.bits;
            }
            let expected = first.or(extra_features.then_some("compat.features"));
            let verdict = check_metadata(&meta, &host);
            prop_assert_eq!(verdict.err().map(|r| r.rule()), expected);
        }
    }
}
