//! Wasmtime 36.0.20 (LTS): wasmtime-environ 36.0.20, wasmparser 0.236.1,
//! object 0.37.3.

use super::CheckKind::*;
use super::Demand;
use super::*;

static COLLECTOR: EnumType = EnumType {
    variants: &["DeferredReferenceCounting", "Null"],
    descriptions: &["deferred reference-counting", "null"],
};

static INTRA_MODULE_INLINING: EnumType = EnumType {
    variants: &["Yes", "No", "WhenUsingGc"],
    descriptions: &[
        "with intra-module inlining",
        "without intra-module inlining",
        "with intra-module inlining only when using GC",
    ],
};

const fn field(name: &'static str, ty: TunableType) -> TunableField {
    TunableField { name, ty }
}

const fn check(rule: &'static str, field: &'static str, kind: CheckKind) -> TunableCheck {
    TunableCheck {
        rule,
        field,
        index: field_index(FIELDS, field),
        kind,
    }
}

const fn shared(name: &'static str, demand: Demand) -> SharedFlagRule {
    SharedFlagRule { name, demand }
}

const fn feature(name: &'static str, bits: u64) -> Feature {
    Feature { name, bits }
}

#[rustfmt::skip]
const FIELDS: &[TunableField] = &[
    field("collector", TunableType::Collector(&COLLECTOR)),
    field("memory_reservation", TunableType::U64),
    field("memory_guard_size", TunableType::U64),
    field("memory_reservation_for_growth", TunableType::U64),
    field("generate_native_debuginfo", TunableType::Bool),
    field("parse_wasm_debuginfo", TunableType::Bool),
    field("consume_fuel", TunableType::Bool),
    field("epoch_interruption", TunableType::Bool),
    field("memory_may_move", TunableType::Bool),
    field("guard_before_linear_memory", TunableType::Bool),
    field("table_lazy_init", TunableType::Bool),
    field("generate_address_map", TunableType::Bool),
    field("debug_adapter_modules", TunableType::Bool),
    field("relaxed_simd_deterministic", TunableType::Bool),
    field("winch_callable", TunableType::Bool),
    field("signals_based_traps", TunableType::Bool),
    field("memory_init_cow", TunableType::Bool),
    field("inlining", TunableType::Bool),
    field("inlining_intra_module", TunableType::Enum(&INTRA_MODULE_INLINING)),
    field("inlining_small_callee_size", TunableType::U32),
    field("inlining_sum_size_threshold", TunableType::U32),
];

#[rustfmt::skip]
pub static LAYOUT: Layout = Layout {
    major: 36,
    wasmtime_version: "36.0.20",
    default_module_version: "36.0.20",
    default_version_message: "Module was compiled with incompatible Wasmtime version '{}'",
    elf: ElfRules::FullParseFirstSection,
    load: LoadRules { known_sections: None, known_prefixes: &[], quote: NameQuote::Backticks },
    tunables: FIELDS,
    tunable_checks: &[
        check("compat.tunables.collector", "collector", Collector { reject_host_only_gc: true }),
        check("compat.tunables.memory-reservation", "memory_reservation", Int("memory reservation")),
        check("compat.tunables.memory-guard-size", "memory_guard_size", Int("memory guard size")),
        check("compat.tunables.generate-native-debuginfo", "generate_native_debuginfo", Bool("debug information support")),
        check("compat.tunables.parse-wasm-debuginfo", "parse_wasm_debuginfo", Bool("WebAssembly backtrace support")),
        check("compat.tunables.consume-fuel", "consume_fuel", Bool("fuel support")),
        check("compat.tunables.epoch-interruption", "epoch_interruption", Bool("epoch interruption")),
        check("compat.tunables.memory-may-move", "memory_may_move", Bool("memory may move")),
        check("compat.tunables.guard-before-linear-memory", "guard_before_linear_memory", Bool("guard before linear memory")),
        check("compat.tunables.table-lazy-init", "table_lazy_init", Bool("table lazy init")),
        check("compat.tunables.relaxed-simd-deterministic", "relaxed_simd_deterministic", Bool("relaxed simd deterministic semantics")),
        check("compat.tunables.winch-callable", "winch_callable", Bool("Winch calling convention")),
        check("compat.tunables.signals-based-traps", "signals_based_traps", Bool("Signals-based traps")),
        check("compat.tunables.memory-init-cow", "memory_init_cow", Bool("memory initialization with CoW")),
        check("compat.tunables.inlining", "inlining", Bool("function inlining")),
        check("compat.tunables.inlining-small-callee-size", "inlining_small_callee_size", Int("function inlining small-callee size")),
        check("compat.tunables.inlining-sum-size-threshold", "inlining_sum_size_threshold", Int("function inlining sum-size threshold")),
        check("compat.tunables.inlining-intra-module", "inlining_intra_module", Inlining),
    ],
    features: &[
        feature("mutable_global", 1),
        feature("saturating_float_to_int", 1 << 1),
        feature("sign_extension", 1 << 2),
        feature("reference_types", (1 << 3) | (1 << 33)),
        feature("multi_value", 1 << 4),
        feature("bulk_memory", (1 << 5) | (1 << 34)),
        feature("simd", 1 << 6),
        feature("relaxed_simd", 1 << 7),
        feature("threads", 1 << 8),
        feature("shared_everything_threads", 1 << 9),
        feature("tail_call", 1 << 10),
        feature("floats", 1 << 11),
        feature("multi_memory", 1 << 12),
        feature("exceptions", 1 << 13),
        feature("memory64", 1 << 14),
        feature("extended_const", 1 << 15),
        feature("component_model", 1 << 16),
        feature("function_references", 1 << 17),
        feature("memory_control", 1 << 18),
        feature("gc", 1 << 19),
        feature("custom_page_sizes", 1 << 20),
        feature("legacy_exceptions", 1 << 23),
        feature("gc_types", 1 << 24),
        feature("stack_switching", 1 << 25),
        feature("wide_arithmetic", 1 << 26),
        feature("cm_values", 1 << 21),
        feature("cm_nested_names", 1 << 22),
        feature("cm_async", 1 << 27),
        feature("cm_async_stackful", 1 << 28),
        feature("cm_async_builtins", 1 << 29),
        feature("cm_error_context", 1 << 30),
        feature("cm_fixed_size_list", 1 << 31),
        feature("cm_gc", 1 << 32),
        feature("call_indirect_overlong", 1 << 33),
        feature("bulk_memory_opt", 1 << 34),
    ],
    feature_rule: FeatureRule::Symmetric,
    shared_flags: &[
        shared("libcall_call_conv", Demand::Enum("isa_default")),
        shared("preserve_frame_pointers", Demand::Bool(true)),
        shared("enable_probestack", Demand::Bool(true)),
        shared("probestack_strategy", Demand::Enum("inline")),
        shared("enable_multi_ret_implicit_sret", Demand::Bool(true)),
        shared("enable_llvm_abi_extensions", Demand::Bool(false)),
        shared("enable_pinned_reg", Demand::Bool(false)),
        shared("use_colocated_libcalls", Demand::Bool(false)),
        shared("use_pinned_reg_as_heap_base", Demand::Bool(false)),
        shared("enable_safepoints", Demand::TrueWithReferenceTypes),
        shared("unwind_info", Demand::TrueOnWindows),
        shared("stack_switch_model", Demand::StackSwitchModel),
        shared("enable_heap_access_spectre_mitigation", Demand::Any),
        shared("enable_table_access_spectre_mitigation", Demand::Any),
        shared("enable_nan_canonicalization", Demand::Any),
        shared("enable_jump_tables", Demand::Any),
        shared("enable_float", Demand::Any),
        shared("enable_verifier", Demand::Any),
        shared("enable_pcc", Demand::Any),
        shared("regalloc_checker", Demand::Any),
        shared("regalloc_verbose_logs", Demand::Any),
        shared("regalloc_algorithm", Demand::Any),
        shared("is_pic", Demand::Any),
        shared("bb_padding_log2_minus_one", Demand::Any),
        shared("log2_min_function_alignment", Demand::Any),
        shared("machine_code_cfg_info", Demand::Any),
        shared("tls_model", Demand::Any),
        shared("opt_level", Demand::Any),
        shared("enable_alias_analysis", Demand::Any),
        shared("probestack_size_log2", Demand::Any),
        shared("regalloc", Demand::Any),
        shared("enable_incremental_compilation_cache_checks", Demand::Any),
        shared("enable_atomics", Demand::Any),
    ],
    detected_isa_flags: &[
        ("has_lse", "lse"),
        ("has_pauth", "paca"),
        ("has_fp16", "fp16"),
        ("has_vxrs_ext2", "vxrs_ext2"),
        ("has_vxrs_ext3", "vxrs_ext3"),
        ("has_mie3", "mie3"),
        ("has_mie4", "mie4"),
        ("has_cmpxchg16b", "cmpxchg16b"),
        ("has_sse3", "sse3"),
        ("has_ssse3", "ssse3"),
        ("has_sse41", "sse4.1"),
        ("has_sse42", "sse4.2"),
        ("has_popcnt", "popcnt"),
        ("has_avx", "avx"),
        ("has_avx2", "avx2"),
        ("has_fma", "fma"),
        ("has_bmi1", "bmi1"),
        ("has_bmi2", "bmi2"),
        ("has_avx512bitalg", "avx512bitalg"),
        ("has_avx512dq", "avx512dq"),
        ("has_avx512f", "avx512f"),
        ("has_avx512vl", "avx512vl"),
        ("has_avx512vbmi", "avx512vbmi"),
        ("has_lzcnt", "lzcnt"),
    ],
    undetectable_message: "failed to detect if target-specific flag {flag} is available at runtime",
    free_isa_flags: &[
        "sign_return_address_all",
        "sign_return_address",
        "sign_return_address_with_bkey",
        "use_bti",
    ],
};
