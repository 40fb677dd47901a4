//! Wasm features: how `Metadata` encodes them, the names and bits the
//! check compares, and how. Spec 4.3 and 5.4.

use super::layout::{Feature, FeatureEncoding, FeatureRule};
use super::{majors, row, since, Row};

const fn feature(name: &'static str, bits: u64) -> Feature {
    Feature {
        name,
        bits,
        what: None,
    }
}

/// A feature of 24–32's struct of bools: its bit is its position in the
/// struct, and its message names it with `what`.
const fn feature_with(name: &'static str, bits: u64, what: &'static str) -> Feature {
    Feature {
        name,
        bits,
        what: Some(what),
    }
}

#[rustfmt::skip]
pub static ENCODING: &[Row<FeatureEncoding>] = &[
    row(majors(24, 24), FeatureEncoding::Bools(17)),
    row(majors(25, 26), FeatureEncoding::Bools(18)),
    row(majors(27, 29), FeatureEncoding::Bools(19)),
    row(majors(30, 30), FeatureEncoding::Bools(20)),
    row(majors(31, 31), FeatureEncoding::Bools(19)),
    row(majors(32, 32), FeatureEncoding::Bools(21)),
    row(majors(33, 33), FeatureEncoding::U32),
    row(since(34), FeatureEncoding::U64),
];

/// In the order the check visits them: declaration order for wasmparser's
/// bits (33+), Wasmtime's own check order for the struct of bools (24–32).
#[rustfmt::skip]
pub static FEATURES: &[Row<Feature>] = &[
    row(majors(24, 32), feature_with("reference_types", 1 << 0, "WebAssembly reference types support")),
    row(majors(24, 32), feature_with("function_references", 1 << 12, "WebAssembly function-references support")),
    row(majors(24, 32), feature_with("gc", 1 << 13, "WebAssembly garbage collection support")),
    row(majors(24, 32), feature_with("multi_value", 1 << 1, "WebAssembly multi-value support")),
    row(majors(24, 32), feature_with("bulk_memory", 1 << 2, "WebAssembly bulk memory support")),
    row(majors(24, 32), feature_with("component_model", 1 << 3, "WebAssembly component model support")),
    row(majors(24, 32), feature_with("simd", 1 << 4, "WebAssembly SIMD support")),
    row(majors(24, 32), feature_with("tail_call", 1 << 5, "WebAssembly tail calls support")),
    row(majors(24, 32), feature_with("threads", 1 << 6, "WebAssembly threads support")),
    row(majors(24, 32), feature_with("multi_memory", 1 << 7, "WebAssembly multi-memory support")),
    row(majors(24, 32), feature_with("exceptions", 1 << 8, "WebAssembly exceptions support")),
    row(majors(24, 32), feature_with("memory64", 1 << 9, "WebAssembly 64-bit memory support")),
    row(majors(24, 32), feature_with("extended_const", 1 << 11, "WebAssembly extended-const support")),
    row(majors(24, 32), feature_with("relaxed_simd", 1 << 10, "WebAssembly relaxed-simd support")),
    row(majors(24, 32), feature_with("custom_page_sizes", 1 << 14, "WebAssembly custom-page-sizes support")),
    row(majors(31, 32), feature_with("component_model_async", 1 << 15, "WebAssembly component model support for async lifts/lowers, futures, streams, and errors")),
    row(majors(32, 32), feature_with("component_model_async_builtins", 1 << 16, "WebAssembly component model support for async builtins")),
    row(majors(32, 32), feature_with("component_model_async_stackful", 1 << 17, "WebAssembly component model support for async stackful")),
    row(majors(32, 32), feature_with("gc_types", 1 << 18, "support for WebAssembly gc types")),
    row(majors(32, 32), feature_with("wide_arithmetic", 1 << 19, "WebAssembly wide-arithmetic support")),
    row(majors(32, 32), feature_with("stack_switching", 1 << 20, "WebAssembly stack switching support")),
    row(majors(31, 31), feature_with("gc_types", 1 << 16, "support for WebAssembly gc types")),
    row(majors(31, 31), feature_with("wide_arithmetic", 1 << 17, "WebAssembly wide-arithmetic support")),
    row(majors(31, 31), feature_with("stack_switching", 1 << 18, "WebAssembly stack switching support")),
    row(majors(24, 30), feature_with("component_model_more_flags", 1 << 15, "WebAssembly component model support for more than 32 flags")),
    row(majors(24, 30), feature_with("component_model_multiple_returns", 1 << 16, "WebAssembly component model support for multiple returns")),
    row(majors(30, 30), feature_with("component_model_async", 1 << 17, "WebAssembly component model support for async lifts/lowers, futures, streams, and errors")),
    row(majors(30, 30), feature_with("gc_types", 1 << 18, "support for WebAssembly gc types")),
    row(majors(30, 30), feature_with("wide_arithmetic", 1 << 19, "WebAssembly wide-arithmetic support")),
    row(majors(25, 29), feature_with("gc_types", 1 << 17, "support for WebAssembly gc types")),
    row(majors(27, 29), feature_with("wide_arithmetic", 1 << 18, "WebAssembly wide-arithmetic support")),
    row(since(33), feature("mutable_global", 1)),
    row(since(33), feature("saturating_float_to_int", 1 << 1)),
    row(since(33), feature("sign_extension", 1 << 2)),
    row(since(37), feature("reference_types", (1 << 3) | (1 << 34))),
    row(majors(34, 36), feature("reference_types", (1 << 3) | (1 << 33))),
    row(majors(33, 33), feature("reference_types", 1 << 3)),
    row(since(33), feature("multi_value", 1 << 4)),
    row(since(37), feature("bulk_memory", (1 << 5) | (1 << 35))),
    row(majors(34, 36), feature("bulk_memory", (1 << 5) | (1 << 34))),
    row(majors(33, 33), feature("bulk_memory", 1 << 5)),
    row(since(33), feature("simd", 1 << 6)),
    row(since(33), feature("relaxed_simd", 1 << 7)),
    row(since(33), feature("threads", 1 << 8)),
    row(since(33), feature("shared_everything_threads", 1 << 9)),
    row(since(33), feature("tail_call", 1 << 10)),
    row(since(33), feature("floats", 1 << 11)),
    row(since(33), feature("multi_memory", 1 << 12)),
    row(since(33), feature("exceptions", 1 << 13)),
    row(since(33), feature("memory64", 1 << 14)),
    row(since(33), feature("extended_const", 1 << 15)),
    row(since(33), feature("component_model", 1 << 16)),
    row(since(33), feature("function_references", 1 << 17)),
    row(since(33), feature("memory_control", 1 << 18)),
    row(since(33), feature("gc", 1 << 19)),
    row(since(33), feature("custom_page_sizes", 1 << 20)),
    row(since(33), feature("legacy_exceptions", 1 << 23)),
    row(since(33), feature("gc_types", 1 << 24)),
    row(since(33), feature("stack_switching", 1 << 25)),
    row(since(33), feature("wide_arithmetic", 1 << 26)),
    row(since(33), feature("cm_values", 1 << 21)),
    row(since(33), feature("cm_nested_names", 1 << 22)),
    row(since(33), feature("cm_async", 1 << 27)),
    row(since(33), feature("cm_async_stackful", 1 << 28)),
    row(since(45), feature("cm_more_async_builtins", 1 << 29)),
    row(majors(33, 44), feature("cm_async_builtins", 1 << 29)),
    row(since(37), feature("cm_threading", 1 << 30)),
    row(since(37), feature("cm_error_context", 1 << 31)),
    row(since(43), feature("cm_fixed_length_lists", 1 << 32)),
    row(majors(37, 42), feature("cm_fixed_size_list", 1 << 32)),
    row(since(37), feature("cm_gc", 1 << 33)),
    row(since(37), feature("call_indirect_overlong", 1 << 34)),
    row(since(37), feature("bulk_memory_opt", 1 << 35)),
    row(since(40), feature("custom_descriptors", 1 << 36)),
    row(since(42), feature("compact_imports", 1 << 37)),
    row(since(42), feature("cm_map", 1 << 38)),
    row(since(45), feature("cm64", 1 << 39)),
    row(since(46), feature("cm_implements", 1 << 40)),
    row(since(48), feature("cm_canon_names", 1 << 41)),
    row(since(50), feature("cm_forward", 1 << 42)),
    row(since(50), feature("cm_accessors", 1 << 43)),
    row(majors(33, 36), feature("cm_error_context", 1 << 30)),
    row(majors(34, 36), feature("cm_fixed_size_list", 1 << 31)),
    row(majors(34, 36), feature("cm_gc", 1 << 32)),
    row(majors(34, 36), feature("call_indirect_overlong", 1 << 33)),
    row(majors(34, 36), feature("bulk_memory_opt", 1 << 34)),
];

pub static RULE: &[Row<FeatureRule>] = &[
    row(majors(24, 36), FeatureRule::Symmetric),
    row(since(37), FeatureRule::MissingOnHost),
];
