//! Cranelift flags: what each release demands of the shared flags, and
//! how it checks ISA flags against the host CPU. Spec 5.1 and 5.2.

use super::layout::{Demand, IsaRules, SharedFlagRule};
use super::{majors, row, since, Row};

const fn shared(name: &'static str, demand: Demand) -> SharedFlagRule {
    SharedFlagRule { name, demand }
}

/// Every flag the check's `match` lists; any other name is unknown.
#[rustfmt::skip]
pub static SHARED: &[Row<SharedFlagRule>] = &[
    row(since(24), shared("libcall_call_conv", Demand::Enum("isa_default"))),
    row(since(24), shared("preserve_frame_pointers", Demand::Bool(true))),
    row(since(27), shared("enable_probestack", Demand::Bool(true))),
    row(majors(24, 26), shared("enable_probestack", Demand::ProbestackSupported)),
    row(since(24), shared("probestack_strategy", Demand::Enum("inline"))),
    row(since(27), shared("enable_multi_ret_implicit_sret", Demand::Bool(true))),
    row(since(24), shared("enable_llvm_abi_extensions", Demand::Bool(false))),
    row(since(24), shared("enable_pinned_reg", Demand::Bool(false))),
    row(since(24), shared("use_colocated_libcalls", Demand::Bool(false))),
    row(since(24), shared("use_pinned_reg_as_heap_base", Demand::Bool(false))),
    row(majors(24, 37), shared("enable_safepoints", Demand::TrueWithReferenceTypes)),
    row(since(24), shared("unwind_info", Demand::TrueOnWindows)),
    row(since(35), shared("stack_switch_model", Demand::StackSwitchModel)),
    row(since(24), shared("enable_heap_access_spectre_mitigation", Demand::Any)),
    row(since(24), shared("enable_table_access_spectre_mitigation", Demand::Any)),
    row(since(24), shared("enable_nan_canonicalization", Demand::Any)),
    row(majors(24, 37), shared("enable_jump_tables", Demand::Any)),
    row(since(24), shared("enable_float", Demand::Any)),
    row(since(24), shared("enable_verifier", Demand::Any)),
    row(majors(24, 43), shared("enable_pcc", Demand::Any)),
    row(since(24), shared("regalloc_checker", Demand::Any)),
    row(since(24), shared("regalloc_verbose_logs", Demand::Any)),
    row(since(28), shared("regalloc_algorithm", Demand::Any)),
    row(since(24), shared("is_pic", Demand::Any)),
    row(since(24), shared("bb_padding_log2_minus_one", Demand::Any)),
    row(since(32), shared("log2_min_function_alignment", Demand::Any)),
    row(since(46), shared("enable_compact_unwind_abi", Demand::Any)),
    row(since(24), shared("machine_code_cfg_info", Demand::Any)),
    row(since(24), shared("tls_model", Demand::Any)),
    row(majors(25, 34), shared("stack_switch_model", Demand::Any)),
    row(since(24), shared("opt_level", Demand::Any)),
    row(since(24), shared("enable_alias_analysis", Demand::Any)),
    row(since(24), shared("probestack_size_log2", Demand::Any)),
    row(since(24), shared("regalloc", Demand::Any)),
    row(since(24), shared("enable_incremental_compilation_cache_checks", Demand::Any)),
    row(since(24), shared("enable_atomics", Demand::Any)),
];

/// ISA flag and the detector name it is asked as, in match order.
#[rustfmt::skip]
pub static DETECTED: &[Row<(&str, &str)>] = &[
    row(since(24), ("has_lse", "lse")),
    row(since(24), ("has_pauth", "paca")),
    row(since(25), ("has_fp16", "fp16")),
    row(since(47), ("has_dotprod", "dotprod")),
    row(since(48), ("has_i8mm", "i8mm")),
    row(since(24), ("has_vxrs_ext2", "vxrs_ext2")),
    row(since(36), ("has_vxrs_ext3", "vxrs_ext3")),
    row(since(36), ("has_mie3", "mie3")),
    row(since(36), ("has_mie4", "mie4")),
    row(majors(24, 35), ("has_mie2", "mie2")),
    row(since(27), ("has_cmpxchg16b", "cmpxchg16b")),
    row(since(24), ("has_sse3", "sse3")),
    row(since(24), ("has_ssse3", "ssse3")),
    row(since(24), ("has_sse41", "sse4.1")),
    row(since(24), ("has_sse42", "sse4.2")),
    row(since(24), ("has_popcnt", "popcnt")),
    row(since(24), ("has_avx", "avx")),
    row(since(24), ("has_avx2", "avx2")),
    row(since(24), ("has_fma", "fma")),
    row(since(48), ("has_avx_vnni", "avxvnni")),
    row(since(24), ("has_bmi1", "bmi1")),
    row(since(24), ("has_bmi2", "bmi2")),
    row(since(24), ("has_avx512bitalg", "avx512bitalg")),
    row(since(24), ("has_avx512dq", "avx512dq")),
    row(since(24), ("has_avx512f", "avx512f")),
    row(since(24), ("has_avx512vl", "avx512vl")),
    row(since(24), ("has_avx512vbmi", "avx512vbmi")),
    row(since(48), ("has_avx512vnni", "avx512vnni")),
    row(since(24), ("has_lzcnt", "lzcnt")),
];

/// ISA flags accepted without asking the detector.
pub static FREE: &[Row<&str>] = &[
    row(since(24), "sign_return_address_all"),
    row(since(24), "sign_return_address"),
    row(since(24), "sign_return_address_with_bkey"),
    row(since(24), "use_bti"),
];

/// The value rules before the name is looked at.
pub static ISA_RULES: &[Row<IsaRules>] = &[
    row(
        majors(24, 27),
        IsaRules {
            pointer_width: false,
            big_endian: false,
        },
    ),
    row(
        majors(28, 28),
        IsaRules {
            pointer_width: true,
            big_endian: false,
        },
    ),
    row(
        since(29),
        IsaRules {
            pointer_width: true,
            big_endian: true,
        },
    ),
];

#[rustfmt::skip]
pub static UNDETECTABLE_MESSAGE: &[Row<&str>] = &[
    row(majors(24, 36), "failed to detect if target-specific flag {flag} is available at runtime"),
    row(since(37), "failed to detect if target-specific flag {feature} is available at runtime (compile setting {flag})"),
];
