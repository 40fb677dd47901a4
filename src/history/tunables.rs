//! Tunables: the fields in encoding order, and the checks in check order
//! with their wording. Spec 4.1 and 5.3.

use super::layout::CheckKind::*;
use super::layout::TunableType as T;
use super::layout::{CheckKind, CheckRow, EnumType, TunableField, TunableType};
use super::{majors, row, since, Row};

const fn field(name: &'static str, ty: TunableType) -> TunableField {
    TunableField { name, ty }
}

const fn check(rule: &'static str, field: &'static str, kind: CheckKind) -> CheckRow {
    CheckRow { rule, field, kind }
}

static COLLECTOR_27: EnumType = EnumType {
    variants: &["DeferredReferenceCounting", "Null"],
    descriptions: &["deferred reference-counting", "null"],
};

static INTRA_MODULE_INLINING_36: EnumType = EnumType {
    variants: &["Yes", "No", "WhenUsingGc"],
    descriptions: &[
        "with intra-module inlining",
        "without intra-module inlining",
        "with intra-module inlining only when using GC",
    ],
};

static COLLECTOR_45: EnumType = EnumType {
    variants: &["DeferredReferenceCounting", "Null", "Copying"],
    descriptions: &["deferred reference-counting", "null", "copying"],
};

static INLINING_45: EnumType = EnumType {
    variants: &[
        "Yes",
        "InterModuleAndIntraGc",
        "InterModule",
        "Intrinsics",
        "No",
    ],
    descriptions: &[
        "with intra-module inlining",
        "with intra-module inlining only when using GC",
        "with inter-module inlining",
        "with intrinsic inlining",
        "without intra-module inlining",
    ],
};

/// In encoding order. `operator_cost` is one `u8` per operator of the
/// release's wasmparser (with `simd`), plus, from 48, the 16 of
/// `VariableOperatorCost`.
#[rustfmt::skip]
pub static FIELDS: &[Row<TunableField>] = &[
    row(majors(27, 44), field("collector", T::Collector(&COLLECTOR_27))),
    row(since(45), field("collector", T::Collector(&COLLECTOR_45))),
    row(since(28), field("memory_reservation", T::U64)),
    row(majors(24, 27), field("static_memory_reservation", T::U64)),
    row(since(27), field("memory_guard_size", T::U64)),
    row(since(28), field("memory_reservation_for_growth", T::U64)),
    row(since(39), field("debug_native", T::Bool)),
    row(since(39), field("debug_guest", T::Bool)),
    row(since(47), field("debug_symbols", T::Bool)),
    row(majors(24, 26), field("static_memory_offset_guard_size", T::U64)),
    row(majors(24, 26), field("dynamic_memory_offset_guard_size", T::U64)),
    row(majors(24, 27), field("dynamic_memory_growth_reserve", T::U64)),
    row(majors(24, 38), field("generate_native_debuginfo", T::Bool)),
    row(since(24), field("parse_wasm_debuginfo", T::Bool)),
    row(since(24), field("consume_fuel", T::Bool)),
    row(since(48), field("operator_cost", T::OperatorCost { len: 643 })),
    row(majors(43, 47), field("operator_cost", T::OperatorCost { len: 627 })),
    row(since(24), field("epoch_interruption", T::Bool)),
    row(since(28), field("memory_may_move", T::Bool)),
    row(majors(24, 27), field("static_memory_bound_is_maximum", T::Bool)),
    row(since(24), field("guard_before_linear_memory", T::Bool)),
    row(since(24), field("table_lazy_init", T::Bool)),
    row(since(24), field("generate_address_map", T::Bool)),
    row(since(24), field("debug_adapter_modules", T::Bool)),
    row(since(24), field("relaxed_simd_deterministic", T::Bool)),
    row(since(24), field("winch_callable", T::Bool)),
    row(since(26), field("signals_based_traps", T::Bool)),
    row(since(28), field("memory_init_cow", T::Bool)),
    row(since(45), field("inlining", T::Enum(&INLINING_45))),
    row(majors(36, 44), field("inlining", T::Bool)),
    row(majors(36, 44), field("inlining_intra_module", T::Enum(&INTRA_MODULE_INLINING_36))),
    row(since(36), field("inlining_small_callee_size", T::U32)),
    row(since(36), field("inlining_sum_size_threshold", T::U32)),
    row(since(42), field("concurrency_support", T::Bool)),
    row(since(43), field("recording", T::Bool)),
    row(since(50), field("asan_stack_switching", T::Bool)),
    row(since(45), field("gc_zeal_alloc_counter", T::OptionNonZeroU32)),
    row(since(45), field("gc_heap_reservation", T::U64)),
    row(since(45), field("gc_heap_guard_size", T::U64)),
    row(since(45), field("gc_heap_reservation_for_growth", T::U64)),
    row(since(47), field("gc_heap_initial_size", T::U64)),
    row(since(45), field("gc_heap_may_move", T::Bool)),
    row(since(46), field("metadata_for_internal_asserts", T::Bool)),
    row(since(46), field("metadata_for_gc_heap_corruption", T::Bool)),
    row(since(46), field("branch_hinting", T::Bool)),
];

/// In check order.
#[rustfmt::skip]
pub static CHECKS: &[Row<CheckRow>] = &[
    row(majors(27, 36), check("compat.tunables.collector", "collector", Collector { reject_host_only_gc: true })),
    row(since(37), check("compat.tunables.collector", "collector", Collector { reject_host_only_gc: false })),
    row(since(28), check("compat.tunables.memory-reservation", "memory_reservation", Int("memory reservation"))),
    row(majors(24, 27), check("compat.tunables.static-memory-reservation", "static_memory_reservation", Int("static memory reservation"))),
    row(since(27), check("compat.tunables.memory-guard-size", "memory_guard_size", Int("memory guard size"))),
    row(since(39), check("compat.tunables.debug-native", "debug_native", Bool("native debug information support"))),
    row(since(39), check("compat.tunables.debug-guest", "debug_guest", Bool("guest debug"))),
    row(since(47), check("compat.tunables.debug-symbols", "debug_symbols", Bool("debug symbols"))),
    row(majors(24, 26), check("compat.tunables.static-memory-offset-guard-size", "static_memory_offset_guard_size", Int("static memory guard size"))),
    row(majors(24, 26), check("compat.tunables.dynamic-memory-offset-guard-size", "dynamic_memory_offset_guard_size", Int("dynamic memory guard size"))),
    row(majors(24, 38), check("compat.tunables.generate-native-debuginfo", "generate_native_debuginfo", Bool("debug information support"))),
    row(since(24), check("compat.tunables.parse-wasm-debuginfo", "parse_wasm_debuginfo", Bool("WebAssembly backtrace support"))),
    row(since(24), check("compat.tunables.consume-fuel", "consume_fuel", Bool("fuel support"))),
    row(since(43), check("compat.tunables.operator-cost", "operator_cost", Cost { fuel_field: "consume_fuel" })),
    row(since(24), check("compat.tunables.epoch-interruption", "epoch_interruption", Bool("epoch interruption"))),
    row(since(28), check("compat.tunables.memory-may-move", "memory_may_move", Bool("memory may move"))),
    row(majors(24, 27), check("compat.tunables.static-memory-bound-is-maximum", "static_memory_bound_is_maximum", Bool("pooling allocation support"))),
    row(since(24), check("compat.tunables.guard-before-linear-memory", "guard_before_linear_memory", Bool("guard before linear memory"))),
    row(since(24), check("compat.tunables.table-lazy-init", "table_lazy_init", Bool("table lazy init"))),
    row(since(24), check("compat.tunables.relaxed-simd-deterministic", "relaxed_simd_deterministic", Bool("relaxed simd deterministic semantics"))),
    row(since(24), check("compat.tunables.winch-callable", "winch_callable", Bool("Winch calling convention"))),
    row(since(26), check("compat.tunables.signals-based-traps", "signals_based_traps", Bool("Signals-based traps"))),
    row(since(28), check("compat.tunables.memory-init-cow", "memory_init_cow", Bool("memory initialization with CoW"))),
    row(majors(36, 44), check("compat.tunables.inlining", "inlining", Bool("function inlining"))),
    row(since(36), check("compat.tunables.inlining-small-callee-size", "inlining_small_callee_size", Int("function inlining small-callee size"))),
    row(since(36), check("compat.tunables.inlining-sum-size-threshold", "inlining_sum_size_threshold", Int("function inlining sum-size threshold"))),
    row(since(42), check("compat.tunables.concurrency-support", "concurrency_support", Bool("concurrency support"))),
    row(since(43), check("compat.tunables.recording", "recording", Bool("RR recording support"))),
    row(since(50), check("compat.tunables.asan-stack-switching", "asan_stack_switching", Bool("AddressSanitizer stack-switching support"))),
    row(since(45), check("compat.tunables.inlining", "inlining", Inlining)),
    row(since(45), check("compat.tunables.gc-heap-reservation", "gc_heap_reservation", Int("GC heap reservation"))),
    row(since(45), check("compat.tunables.gc-heap-guard-size", "gc_heap_guard_size", Int("GC heap guard size"))),
    row(since(47), check("compat.tunables.gc-heap-initial-size", "gc_heap_initial_size", Int("GC heap initial size"))),
    row(since(45), check("compat.tunables.gc-heap-may-move", "gc_heap_may_move", Bool("GC heap may move"))),
    row(majors(36, 44), check("compat.tunables.inlining-intra-module", "inlining_intra_module", Inlining)),
];
