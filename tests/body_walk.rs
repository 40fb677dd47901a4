//! The Metadata body read against the host's by units (`check_engine_section`)
//! against the plain reading (decode it all, then every rule in order), on
//! edits of each layout's host body: bytes set, inserted and removed, so
//! that units change length and the lists their count. Hosts whose own flags
//! pass and hosts whose own flags fail (a CPU without features) both.

use cwasm_spec::check::{check_engine_section, check_metadata};
use cwasm_spec::error::Rejection;
use cwasm_spec::framing::encode_engine_section;
use cwasm_spec::host::{Cpu, Host, ModuleVersion, X86_64_DETECTOR_NAMES};
use cwasm_spec::metadata::{FlagList, FlagValue, Metadata, TunableValue};
use cwasm_spec::Release;
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// Each layout's official default artifact's host, with every CPU feature
/// and with none.
fn hosts() -> &'static [Host] {
    static HOSTS: OnceLock<Vec<Host>> = OnceLock::new();
    HOSTS.get_or_init(build_hosts)
}

fn build_hosts() -> Vec<Host> {
    let mut out = Vec::new();
    for release in Release::layout_changes() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
            "conformance/v{}/official/artifacts/default.cwasm",
            release.major()
        ));
        let Ok(witness) = std::fs::read(path) else {
            continue;
        };
        let mut host = Host::from_witness(&witness, Some(release)).unwrap();
        host.module_version = ModuleVersion::None;
        for cpu in [
            Cpu::Exactly(
                X86_64_DETECTOR_NAMES
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
            ),
            Cpu::Exactly(Vec::new()),
        ] {
            let mut host = host.clone();
            host.set_cpu(cpu);
            out.push(host);
        }
    }
    assert!(out.len() >= 10, "hosts of most layouts");
    out
}

/// Decode everything, then every rule: `check_decoded`'s reading of a body.
fn plain(body: &[u8], host: &Host) -> Result<(), Rejection> {
    let meta = Metadata::decode(body, host.release)
        .map_err(|e| Rejection::new("metadata.decode", e.to_string()))?;
    check_metadata(&meta, host)
}

#[derive(Debug, Clone)]
enum Edit {
    Set(prop::sample::Index, u8),
    Insert(prop::sample::Index, u8),
    Remove(prop::sample::Index),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        1 => (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Edit::Insert(i, b)),
        1 => any::<prop::sample::Index>().prop_map(Edit::Remove),
    ]
}

fn apply(body: &mut Vec<u8>, edits: &[Edit]) {
    for edit in edits {
        match edit {
            Edit::Set(at, byte) if !body.is_empty() => {
                let i = at.index(body.len());
                body[i] = *byte;
            }
            Edit::Insert(at, byte) => {
                let i = at.index(body.len() + 1);
                body.insert(i, *byte);
            }
            Edit::Remove(at) if !body.is_empty() => {
                body.remove(at.index(body.len()));
            }
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_walk_agrees_with_the_plain_reading(edits in proptest::collection::vec(edit(), 0..6)) {
        for host in hosts() {
            let mut body = host.body().to_vec();
            apply(&mut body, &edits);
            let section = encode_engine_section("", &body).unwrap();
            prop_assert_eq!(
                check_engine_section(&section, host),
                plain(&body, host),
                "{} {:?}",
                host.release,
                host.cpu()
            );
        }
    }
}

/// Bodies of the host's own configuration, and of one that differs in a
/// flag's length, agree too (the edits above rarely keep a body decodable
/// after a length changes).
#[test]
fn a_longer_flag_value_realigns_the_walk() {
    // Accepted, rejected.
    let mut verdicts = [0; 2];
    for host in hosts() {
        let meta = host.metadata();
        let own = host.body().to_vec();
        assert_eq!(
            check_engine_section(&encode_engine_section("", &own).unwrap(), host),
            plain(&own, host)
        );
        // Every enum-valued shared flag given a longer value, one at a time.
        let flags: Vec<_> = meta.shared_flags.iter().collect();
        for (n, (_, value)) in flags.iter().enumerate() {
            let FlagValue::Enum(text) = value else {
                continue;
            };
            let longer = format!("{text}_longer");
            let edited: Vec<_> = flags
                .iter()
                .enumerate()
                .map(|(m, &(name, value))| {
                    if m == n {
                        (name, FlagValue::Enum(&longer))
                    } else {
                        (name, value)
                    }
                })
                .collect();
            let encoded = FlagList::encode(&edited);
            let mut other = meta;
            other.shared_flags = FlagList::parse(&encoded).unwrap();
            let body = other.encode();
            let section = encode_engine_section("", &body).unwrap();
            let walked = check_engine_section(&section, host);
            assert_eq!(walked, plain(&body, host), "{} flag {n}", host.release);
            verdicts[usize::from(walked.is_err())] += 1;
        }
    }
    // Flags the rules ignore pass; the others fail on a value they do not
    // know.
    assert!(verdicts[0] > 0 && verdicts[1] > 0, "{verdicts:?}");
}

/// Many Tunables fields changed at once, more than the walk notes where
/// they start: every field no rule checks, plus one checked field, for each
/// checked field in turn, so that the one rule that fires reads a field past
/// the noted ones; and the first `n` fields for growing `n`.
#[test]
fn many_differing_tunables_agree() {
    let flip = |value: TunableValue<'static>| match value {
        TunableValue::Bool(b) => Some(TunableValue::Bool(!b)),
        TunableValue::U32(v) => Some(TunableValue::U32(v ^ 0x10)),
        TunableValue::U64(v) => Some(TunableValue::U64(v ^ 0x1000)),
        _ => None,
    };
    let (mut most, mut rejected) = (0, 0);
    for host in hosts() {
        let meta = host.metadata();
        let values = meta.tunables.values().to_vec();
        let checked: Vec<usize> = host
            .layout()
            .tunable_checks
            .iter()
            .map(|c| c.index)
            .collect();
        let unchecked = (0..values.len()).filter(|i| !checked.contains(i));
        let mut sets: Vec<Vec<usize>> = checked
            .iter()
            .map(|&k| unchecked.clone().chain([k]).collect())
            .collect();
        sets.extend((1..=values.len()).map(|n| (0..n).collect()));
        for set in sets {
            let mut other = meta;
            let mut changed = 0;
            for &index in &set {
                if let Some(flipped) = flip(values[index]) {
                    other.tunables.set(index, flipped);
                    changed += 1;
                }
            }
            most = most.max(changed);
            let body = other.encode();
            let section = encode_engine_section("", &body).unwrap();
            let walked = check_engine_section(&section, host);
            assert_eq!(
                walked,
                plain(&body, host),
                "{} fields {set:?}",
                host.release
            );
            rejected += usize::from(walked.is_err());
        }
    }
    assert!(most > 8, "more fields changed than the walk notes: {most}");
    assert!(rejected > 0);
}
