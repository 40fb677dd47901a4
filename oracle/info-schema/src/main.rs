//! Traces the `Deserialize` impls of one Wasmtime release's `.wasmtime.info`
//! types with serde-reflection and writes the registry as JSON.
//!
//! ```sh
//! cd oracle/info-schema
//! CARGO_TARGET_DIR=../../target cargo run --release --features v48 -- ../../spec/info/v48.json
//! ```
//!
//! One `vNN` feature at a time: two would define `release` twice.
//!
//! See `spec/info/README.md`.

mod proxy;

use proxy::{trace_once, TraceFn, CLASHES, ENUMS, TYPES};
use serde_json::Value;
use serde_reflection::{ContainerFormat, Format, Samples, Tracer, TracerConfig};

/// The release a `vNN` feature selects: its wasmtime-environ, version, and
/// the types `Module::from_parts` decodes, `(CompiledModuleInfo,
/// ModuleTypes)` in 24-37 (`pair`) and `(CompiledModuleInfo,
/// CompiledFunctionsTable, ModuleTypes)` from 38 (`triple`).
/// `Component::from_parts` decodes `ComponentArtifacts` in every release.
macro_rules! release {
    ($feature:literal, $environ:ident, $version:literal, pair) => {
        #[cfg(feature = $feature)]
        mod release {
            pub use $environ as environ;
            pub const VERSION: &str = $version;
            pub type ModuleInfo = (environ::CompiledModuleInfo, environ::ModuleTypes);
            pub const MODULE_INFO: &str = "(CompiledModuleInfo, ModuleTypes)";
            pub type ComponentInfo = environ::component::ComponentArtifacts;
        }
    };
    ($feature:literal, $environ:ident, $version:literal, triple) => {
        #[cfg(feature = $feature)]
        mod release {
            pub use $environ as environ;
            pub const VERSION: &str = $version;
            pub type ModuleInfo = (
                environ::CompiledModuleInfo,
                environ::CompiledFunctionsTable,
                environ::ModuleTypes,
            );
            pub const MODULE_INFO: &str =
                "(CompiledModuleInfo, CompiledFunctionsTable, ModuleTypes)";
            pub type ComponentInfo = environ::component::ComponentArtifacts;
        }
    };
}

release!("v24", wasmtime_environ24, "24.0.13", pair);
release!("v25", wasmtime_environ25, "25.0.3", pair);
release!("v26", wasmtime_environ26, "26.0.1", pair);
release!("v27", wasmtime_environ27, "27.0.0", pair);
release!("v28", wasmtime_environ28, "28.0.1", pair);
release!("v29", wasmtime_environ29, "29.0.1", pair);
release!("v30", wasmtime_environ30, "30.0.2", pair);
release!("v31", wasmtime_environ31, "31.0.0", pair);
release!("v32", wasmtime_environ32, "32.0.1", pair);
release!("v33", wasmtime_environ33, "33.0.2", pair);
release!("v34", wasmtime_environ34, "34.0.2", pair);
release!("v35", wasmtime_environ35, "35.0.0", pair);
release!("v36", wasmtime_environ36, "36.0.20", pair);
release!("v37", wasmtime_environ37, "37.0.3", pair);
release!("v38", wasmtime_environ38, "38.0.4", triple);
release!("v39", wasmtime_environ39, "39.0.2", triple);
release!("v40", wasmtime_environ40, "40.0.4", triple);
release!("v41", wasmtime_environ41, "41.0.4", triple);
release!("v42", wasmtime_environ42, "42.0.2", triple);
release!("v43", wasmtime_environ43, "43.0.2", triple);
release!("v44", wasmtime_environ44, "44.0.3", triple);
release!("v45", wasmtime_environ45, "45.0.3", triple);
release!("v46", wasmtime_environ46, "46.0.3", triple);
release!("v47", wasmtime_environ47, "47.0.4", triple);
release!("v48", wasmtime_environ48, "48.0.8", triple);
release!("v49", wasmtime_environ49, "49.0.5", triple);
release!("v50", wasmtime_environ50, "50.0.1", triple);

/// Traces with `pass` until no enum it reaches has a variant left to
/// visit in its next pass.
fn trace(tracer: &mut Tracer, samples: &'static Samples, pass: TraceFn, what: &str) -> Format {
    for _ in 0..100_000 {
        let format = pass(tracer, samples).unwrap_or_else(|e| panic!("tracing {what}: {e}"));
        let names: Vec<String> = ENUMS.with(|e| e.borrow().keys().cloned().collect());
        let mut progress = false;
        for name in names {
            progress |= tracer.check_incomplete_enum(&name).is_some();
        }
        if !progress {
            return format;
        }
    }
    panic!("tracing {what} does not end");
}

fn main() {
    let out = std::env::args()
        .nth(1)
        .expect("usage: cwasm-info-schema OUT.json");
    // A u32 of 0 is refused by `NonZeroU32` (48's string-pool `Atom`), so
    // the tracer feeds 1.
    let mut tracer = Tracer::new(TracerConfig::default().default_u32_value(1));
    let samples: &'static Samples = Box::leak(Box::new(Samples::new()));
    let module = trace(
        &mut tracer,
        samples,
        trace_once::<release::ModuleInfo>,
        release::MODULE_INFO,
    );
    let component = trace(
        &mut tracer,
        samples,
        trace_once::<release::ComponentInfo>,
        "ComponentArtifacts",
    );
    // serde-reflection explores a sequence, a map or an option only the
    // first time it meets it, so an enum inside one is seen in one variant.
    // Every type met inside one is traced again on its own, until no new
    // type turns up: each enum is then the root of a trace once, and all of
    // its variants are visited.
    let mut next = 0;
    while let Some((name, pass)) = TYPES.with(|t| t.borrow().get(next).copied()) {
        trace(&mut tracer, samples, pass, name);
        next += 1;
    }
    let clashes = CLASHES.with(|c| c.borrow().clone());
    assert!(
        clashes.is_empty(),
        "container names claimed twice: {clashes:#?}"
    );
    let registry = tracer.registry().expect("registry");
    // Every enum's traced variants are all of its variants, in index order.
    let incomplete: Vec<String> = ENUMS.with(|enums| {
        enums
            .borrow()
            .iter()
            .filter(|(name, variants)| {
                let Some(ContainerFormat::Enum(traced)) = registry.get(*name) else {
                    panic!("{name}: not traced as an enum");
                };
                let names: Vec<&str> = traced.values().map(|v| v.name.as_str()).collect();
                let indices: Vec<u32> = traced.keys().copied().collect();
                names != **variants || indices != (0..variants.len() as u32).collect::<Vec<_>>()
            })
            .map(|(name, _)| name.clone())
            .collect()
    });
    assert!(
        incomplete.is_empty(),
        "enums with variants left to trace: {incomplete:#?}"
    );
    let mut registry = serde_json::to_value(&registry).unwrap();
    let mut module = serde_json::to_value(&module).unwrap();
    let mut component = serde_json::to_value(&component).unwrap();
    let markers = take_markers(&mut registry);
    for value in [&mut registry, &mut module, &mut component] {
        replace_markers(value, &markers);
    }
    let json = serde_json::json!({
        "note": "Generated by oracle/info-schema from wasmtime-environ's Deserialize impls; see spec/info/README.md. Do not edit.",
        "release": release::VERSION,
        "module": { "type": release::MODULE_INFO, "format": module },
        "component": { "type": "ComponentArtifacts", "format": component },
        "registry": registry,
    });
    let text = serde_json::to_string_pretty(&json).unwrap() + "\n";
    std::fs::write(&out, text).unwrap_or_else(|e| panic!("{out}: {e}"));
}

/// Removes the proxy's marker containers from the registry and returns the
/// node that stands for each (see `spec/info/README.md`):
///
/// - `NONZERO_U32`: a u32 varint; 0 is a custom error.
/// - `DISCRIMINANT_SIZE`: a u32 varint; other than 1, 2 or 4 is a custom error.
/// - `SEMVER_VERSION`: a str that `semver::Version` must parse, else a
///   custom error.
/// - `{"TRY_SECONDARY_MAP": V}`, `{"CRANELIFT_SECONDARY_MAP": V}`: a
///   sequence that may not be empty (custom error), whose first element is
///   the default (a `V`; for cranelift's an `Option<V>` that must be
///   `Some`, else a custom error), and every other element an `Option<V>`.
fn take_markers(registry: &mut Value) -> Vec<(String, Value)> {
    let map = registry.as_object_mut().unwrap();
    let names: Vec<String> = map.keys().filter(|k| k.starts_with('<')).cloned().collect();
    let original = map.clone();
    names
        .into_iter()
        .map(|name| {
            let container = map.remove(&name).unwrap();
            let node = if name == proxy::NONZERO_U32 {
                Value::from("NONZERO_U32")
            } else if name == proxy::DISCRIMINANT_SIZE_U32 {
                Value::from("DISCRIMINANT_SIZE")
            } else if name == proxy::SEMVER_VERSION {
                Value::from("SEMVER_VERSION")
            } else if name.starts_with(proxy::TRY_SECONDARY_MAP) {
                let default = container["TUPLESTRUCT"][0].clone();
                serde_json::json!({ "TRY_SECONDARY_MAP": default })
            } else if name.starts_with(proxy::CRANELIFT_SECONDARY_MAP) {
                let some = container["TUPLESTRUCT"][0]["TYPENAME"].as_str().unwrap();
                let default = original[some]["NEWTYPESTRUCT"].clone();
                assert!(!default.is_null(), "{name}: {container}");
                serde_json::json!({ "CRANELIFT_SECONDARY_MAP": default })
            } else if name.starts_with(proxy::SOME_DEFAULT_OPTION) {
                // Only inside a cranelift secondary map, which replaces it.
                Value::Null
            } else {
                panic!("unknown marker {name}")
            };
            (name, node)
        })
        .collect()
}

/// Puts each marker's node where its container was named.
fn replace_markers(value: &mut Value, markers: &[(String, Value)]) {
    if let Some(name) = value.get("TYPENAME").and_then(Value::as_str) {
        if let Some((_, node)) = markers.iter().find(|(m, _)| m == name) {
            *value = node.clone();
            return;
        }
    }
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| replace_markers(v, markers)),
        Value::Object(map) => map.values_mut().for_each(|v| replace_markers(v, markers)),
        _ => {}
    }
}
