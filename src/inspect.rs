//! `inspect`: an artifact's kind, version string and decoded `Metadata`, in
//! a JSON vocabulary that uses Wasmtime's own names.
//!
//! Tunables are an object keyed by Wasmtime's field names, with enum values
//! as their serde variant names; flags are `{"name", "value"}` pairs in
//! artifact order (values: bool, number, or string for an enum); features
//! are the lower-case names of the bits that are set.

use crate::detect::{detect, Pulley};
use crate::framing::{find_engine_section, split_engine_section};
use crate::history::{Layout, Release, TunableType, OPERATORS_V48, VARIABLE_COSTS_V48};
use crate::metadata::{FlagList, FlagValue, Metadata, TunableValue};
use serde_json::{json, Map, Value};

/// Why an artifact could not be inspected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectError(pub String);

impl std::fmt::Display for InspectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InspectError {}

/// An artifact's compatibility record, decoded.
#[derive(Clone, Debug)]
pub struct Record<'a> {
    pub kind: crate::Kind,
    pub pulley: Option<Pulley>,
    /// The whole `.wasmtime.engine` section.
    pub section: &'a [u8],
    pub version: &'a str,
    /// The releases the version string names (empty: none).
    pub named: Vec<Release>,
    /// The release whose layout decoded the Metadata.
    pub release: Release,
    pub meta: Metadata<'a>,
}

/// Reads `artifact`'s record. The layout is the one the artifact's version
/// string names, or `fallback` when it names none.
pub fn read_record(artifact: &[u8], fallback: Option<Release>) -> Result<Record<'_>, InspectError> {
    let err = |m: String| InspectError(m);
    let precompiled = detect(artifact, Release::V48).ok_or_else(|| {
        err("not a Wasmtime artifact (no OS/ABI 200 ELF with a module or component flag)".into())
    })?;
    let data = find_engine_section(artifact, precompiled.kind, Release::V48)
        .map_err(|r| err(r.chain().join(": ")))?;
    let section = split_engine_section(data).map_err(|r| err(r.chain().join(": ")))?;
    let version = std::str::from_utf8(section.version)
        .map_err(|e| err(format!("version string is not UTF-8: {e}")))?;
    let named = Release::named_by(version);
    let release = match named.last().copied().or(fallback) {
        Some(r) => r,
        None => {
            return Err(err(format!(
                "version string {version:?} names no supported release; pass --wasmtime \
                 with the release that wrote it"
            )))
        }
    };
    let meta = Metadata::decode(section.body, release).map_err(|e| {
        err(format!(
            "metadata ({} layout): {e}",
            release.layout_origin().version()
        ))
    })?;
    Ok(Record {
        kind: precompiled.kind,
        pulley: precompiled.pulley,
        section: data,
        version,
        named,
        release,
        meta,
    })
}

/// Decodes `artifact` into the inspect vocabulary. The layout is the one the
/// artifact's version string names, or `fallback` when it names none.
pub fn inspect(artifact: &[u8], fallback: Option<Release>) -> Result<Value, InspectError> {
    let record = read_record(artifact, fallback)?;
    let mut out = Map::new();
    out.insert("kind".into(), json!(record.kind.as_str()));
    out.insert(
        "pulley".into(),
        match record.pulley {
            None => Value::Null,
            Some(Pulley::Pulley32) => json!("pulley32"),
            Some(Pulley::Pulley64) => json!("pulley64"),
        },
    );
    out.insert("version".into(), json!(record.version));
    let names: Vec<String> = record.named.iter().map(|r| r.to_string()).collect();
    out.insert("releases".into(), json!(names));
    out.insert(
        "layout".into(),
        json!(record.release.layout_origin().to_string()),
    );
    out.extend(
        metadata_json(&record.meta)
            .as_object()
            .cloned()
            .unwrap_or_default(),
    );
    Ok(Value::Object(out))
}

/// A `Metadata` in the inspect vocabulary.
pub fn metadata_json(meta: &Metadata<'_>) -> Value {
    let layout = meta.release.layout();
    json!({
        "target": meta.target,
        "shared_flags": flags_json(&meta.shared_flags),
        "isa_flags": flags_json(&meta.isa_flags),
        "tunables": tunables_json(meta, layout),
        "features": feature_names(meta.features, layout),
        "feature_bits": meta.features,
    })
}

fn flags_json(flags: &FlagList<'_>) -> Value {
    Value::Array(
        flags
            .iter()
            .map(|(name, value)| {
                let value = match value {
                    FlagValue::Enum(s) => json!(s),
                    FlagValue::Num(n) => json!(n),
                    FlagValue::Bool(b) => json!(b),
                };
                json!({"name": name, "value": value})
            })
            .collect(),
    )
}

fn tunables_json(meta: &Metadata<'_>, layout: &Layout) -> Value {
    let mut map = Map::new();
    for (field, value) in layout.tunables.iter().zip(meta.tunables.values()) {
        let v = match (*value, field.ty) {
            (TunableValue::Bool(b), _) => json!(b),
            (TunableValue::U32(n), _) => json!(n),
            (TunableValue::U64(n), _) => json!(n),
            (TunableValue::Collector(None), _) => Value::Null,
            (TunableValue::Collector(Some(i)), TunableType::Collector(e))
            | (TunableValue::Enum(i), TunableType::Enum(e)) => {
                json!(e.variants.get(usize::from(i)).copied().unwrap_or("?"))
            }
            (TunableValue::NonZeroU32(v), _) => json!(v),
            (TunableValue::Cost(None), _) => json!("Default"),
            (TunableValue::Cost(Some(table)), _) => json!({ "Table": cost_table_json(table) }),
            _ => Value::Null,
        };
        map.insert(field.name.into(), v);
    }
    Value::Object(map)
}

fn cost_table_json(table: &[u8]) -> Value {
    // Operators are named where the table is wasmparser 0.254's.
    if table.len() != OPERATORS_V48.len() + VARIABLE_COSTS_V48.len() {
        return json!(table);
    }
    let (ops, variable) = table.split_at(OPERATORS_V48.len().min(table.len()));
    let mut map: Map<String, Value> = OPERATORS_V48
        .iter()
        .zip(ops)
        .map(|(name, cost)| (name.to_string(), json!(cost)))
        .collect();
    let variable: Map<String, Value> = VARIABLE_COSTS_V48
        .iter()
        .zip(variable)
        .map(|(name, cost)| (name.to_string(), json!(cost)))
        .collect();
    map.insert("variable".into(), Value::Object(variable));
    Value::Object(map)
}

/// The names of the features whose bits are all set, in declaration order.
pub fn feature_names(bits: u64, layout: &Layout) -> Vec<&'static str> {
    layout
        .features
        .iter()
        .filter(|f| bits & f.bits == f.bits)
        .map(|f| f.name)
        .collect()
}
