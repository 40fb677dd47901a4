//! Wasmtime's own CLI options as host-profile changes (r[fleet.profile]):
//! what people pass to `wasmtime compile`, `-O NAME=VALUE`, `-W …`, `-C …`,
//! `-D …`, applied to a [`Profile`].
//!
//! Each row below is a fact about one span of majors, read from that
//! span's `wasmtime-cli-flags` (the option's declaration in its option
//! group and the line where `CommonOptions::config` hands it to a `Config`
//! method) and from `wasmtime`'s `src/config.rs` (what that method sets).
//! An option maps to one recorded field; where Wasmtime derives more from
//! it (a GC-heap twin of a memory option, the features Winch cannot
//! compile, the collector once GC types are off), the row says so and the
//! derivation is modelled and cited. Options that set nothing the Metadata
//! records, or several things not modelled here, are errors that say why.
//!
//! Values are read as the release's option parser reads them: a boolean
//! is `y`, `yes`, `true`, `n`, `no`, `false` or nothing (yes); a number is
//! decimal or `0x` hex, and from 26 on `_` anywhere is ignored; there are
//! no unit suffixes. One argument may hold several `NAME=VALUE` separated
//! by commas, and a later value of the same option replaces an earlier one.

use crate::fleet::profile::{Profile, Scalar};
use crate::history::TunableType;
use crate::metadata::{Metadata, TunableValue};
use std::collections::BTreeMap;

/// What an option sets.
#[derive(Clone, Copy, Debug)]
pub enum Effect {
    /// One Tunables field, of the field's type.
    Tunable(&'static str),
    /// A memory Tunables field and, unless a `-O gc-heap-*` option is
    /// given, its GC-heap twin, which Wasmtime copies from it.
    Twin(&'static str, &'static str),
    /// A boolean Tunables field set to the opposite (and its twin).
    Inverted(&'static str, Option<&'static str>),
    /// A GC-heap Tunables field; giving one stops the copying of the memory
    /// fields into the GC-heap fields.
    GcHeap(&'static str),
    /// A boolean Tunables field set to true whatever the (numeric) value.
    SetTrue(&'static str),
    /// One wasm feature bit, by its name in `inspect`.
    Feature(&'static str),
    /// The collector, given as the option's words and the Tunables variants.
    Collector(&'static [(&'static str, &'static str)]),
    /// `cranelift` or `winch`: `winch_callable`, and the features Winch
    /// cannot compile are off (on aarch64 also the second list).
    Compiler {
        unsupported: &'static [&'static str],
        aarch64: &'static [&'static str],
        /// Features that Winch's default set lacks but that may still be
        /// asked for (50 starts Winch from its own base set).
        default_off: &'static [&'static str],
    },
    /// `concurrency_support`; from 46 the `cm_async` feature's default
    /// follows it.
    Concurrency { feature_follows: bool },
    /// An error: why the option has no profile form.
    Refused(&'static str),
}
use Effect::*;

const NOT_RECORDED: &str =
    "it sets engine state that the Metadata does not record (runtime limits, \
     allocator, stacks, caching, WASI, logging …), so it cannot change a check's verdict";
const CRANELIFT: &str = "it sets a Cranelift setting; the check does not compare the host's \
     Cranelift flags with an artifact's (spec 5.1, 5.2)";
const UNWIND: &str = "it sets Cranelift's unwind_info flag; the check does not compare the \
     host's Cranelift flags with an artifact's (spec 5.1, 5.2)";
const ZEAL: &str = "it takes effect only in Wasmtime's own fuzzing and gc-zeal builds";
const ALL_PROPOSALS: &str = "it sets every proposal's feature at once; give the features one \
     by one (-W gc=y,threads=y …)";
const WINCH_BEFORE_27: &str = "the features Winch cannot compile are not modelled for releases \
     before 27; give [tunables] winch_callable and [features] in a profile";
const INLINING_MODES: &str = "from 45 it takes an inlining mode whose mapping to Tunables is not \
     modelled here; give [tunables] inlining in a profile";
const GUEST_DEBUG: &str = "it sets debug_guest and also turns signals_based_traps off (two \
     fields); give both in a profile's [tunables]";
const MAX_BACKTRACE: &str = "=0 sets parse_wasm_debuginfo, any other value sets nothing recorded, \
     and the default reads WASMTIME_BACKTRACE_DETAILS; give [tunables] parse_wasm_debuginfo \
     in a profile";

/// One option of one span of majors.
#[derive(Clone, Copy, Debug)]
pub struct Row {
    /// `O`, `W`, `C` or `D`.
    pub group: char,
    pub name: &'static str,
    pub first: u32,
    pub last: u32,
    pub effect: Effect,
    /// Where it is decided: `cli-flags V lib.rs:DECL,USE; V config.rs:LINE
    /// (METHOD)` for the span's first and last release.
    pub cited: &'static str,
}

const fn row(
    group: char,
    name: &'static str,
    first: u32,
    last: u32,
    effect: Effect,
    cited: &'static str,
) -> Row {
    Row {
        group,
        name,
        first,
        last,
        effect,
        cited,
    }
}

/// Every `-O`, `-W`, `-C`, `-D` option of `wasmtime-cli-flags` 24 to 50.
pub const ROWS: &[Row] = &[
    row('O', "dynamic-memory-guard-size", 24, 26, Tunable("dynamic_memory_offset_guard_size"), "cli-flags 24.0.13 lib.rs:46,573; 24.0.13 config.rs:1459 (dynamic_memory_guard_size) .. cli-flags 26.0.1 lib.rs:46,578; 26.0.1 config.rs:1478 (dynamic_memory_guard_size)"),
    row('O', "dynamic-memory-guard-size", 27, 44, Tunable("memory_guard_size"), "cli-flags 27.0.0 lib.rs:169,645; 27.0.0 config.rs:1461 (memory_guard_size) .. cli-flags 44.0.3 lib.rs:182,878; 44.0.3 config.rs:1862 (memory_guard_size)"),
    row('O', "dynamic-memory-guard-size", 45, 50, Twin("memory_guard_size", "gc_heap_guard_size"), "cli-flags 45.0.3 lib.rs:197,903; 45.0.3 config.rs:1887 (memory_guard_size) .. cli-flags 50.0.1 lib.rs:206,1034; 50.0.1 config.rs:2054 (memory_guard_size) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "dynamic-memory-reserved-for-growth", 24, 27, Tunable("dynamic_memory_growth_reserve"), "cli-flags 24.0.13 lib.rs:60,576; 24.0.13 config.rs:1498 (dynamic_memory_reserved_for_growth) .. cli-flags 27.0.0 lib.rs:57,651; 27.0.0 config.rs:1500 (dynamic_memory_reserved_for_growth)"),
    row('O', "dynamic-memory-reserved-for-growth", 28, 44, Tunable("memory_reservation_for_growth"), "cli-flags 28.0.1 lib.rs:183,680; 28.0.1 config.rs:1676 (memory_reservation_for_growth) .. cli-flags 44.0.3 lib.rs:194,887; 44.0.3 config.rs:1927 (memory_reservation_for_growth)"),
    row('O', "dynamic-memory-reserved-for-growth", 45, 50, Twin("memory_reservation_for_growth", "gc_heap_reservation_for_growth"), "cli-flags 45.0.3 lib.rs:209,912; 45.0.3 config.rs:1952 (memory_reservation_for_growth) .. cli-flags 50.0.1 lib.rs:218,1043; 50.0.1 config.rs:2119 (memory_reservation_for_growth) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "gc-heap-guard-size", 45, 50, GcHeap("gc_heap_guard_size"), "cli-flags 45.0.3 lib.rs:83,926; 45.0.3 config.rs:1987 (gc_heap_guard_size) .. cli-flags 50.0.1 lib.rs:88,1057; 50.0.1 config.rs:2154 (gc_heap_guard_size)"),
    row('O', "gc-heap-initial-size", 47, 50, Tunable("gc_heap_initial_size"), "cli-flags 47.0.4 lib.rs:90,984; 47.0.4 config.rs:1444 (gc_heap_initial_size) .. cli-flags 50.0.1 lib.rs:91,1064; 50.0.1 config.rs:1521 (gc_heap_initial_size)"),
    row('O', "gc-heap-may-move", 45, 50, GcHeap("gc_heap_may_move"), "cli-flags 45.0.3 lib.rs:74,923; 45.0.3 config.rs:2021 (gc_heap_may_move) .. cli-flags 50.0.1 lib.rs:79,1054; 50.0.1 config.rs:2188 (gc_heap_may_move)"),
    row('O', "gc-heap-reservation", 45, 50, GcHeap("gc_heap_reservation"), "cli-flags 45.0.3 lib.rs:77,920; 45.0.3 config.rs:1970 (gc_heap_reservation) .. cli-flags 50.0.1 lib.rs:82,1051; 50.0.1 config.rs:2137 (gc_heap_reservation)"),
    row('O', "gc-heap-reservation-for-growth", 45, 50, GcHeap("gc_heap_reservation_for_growth"), "cli-flags 45.0.3 lib.rs:80,929; 45.0.3 config.rs:2005 (gc_heap_reservation_for_growth) .. cli-flags 50.0.1 lib.rs:85,1060; 50.0.1 config.rs:2172 (gc_heap_reservation_for_growth)"),
    row('O', "gc-zeal-alloc-counter", 45, 50, Refused(ZEAL), "cli-flags 45.0.3 lib.rs:219,936 .. cli-flags 50.0.1 lib.rs:229,1072"),
    row('O', "guard-before-linear-memory", 24, 50, Tunable("guard_before_linear_memory"), "cli-flags 24.0.13 lib.rs:64,579; 24.0.13 config.rs:1523 (guard_before_linear_memory) .. cli-flags 50.0.1 lib.rs:95,1047; 50.0.1 config.rs:2212 (guard_before_linear_memory)"),
    row('O', "memory-guaranteed-dense-image-size", 30, 50, Refused(NOT_RECORDED), "cli-flags 30.0.2 lib.rs:112,798 .. cli-flags 50.0.1 lib.rs:135,1105"),
    row('O', "memory-guard-size", 27, 44, Tunable("memory_guard_size"), "cli-flags 27.0.0 lib.rs:53,646; 27.0.0 config.rs:1461 (memory_guard_size) .. cli-flags 44.0.3 lib.rs:68,879; 44.0.3 config.rs:1862 (memory_guard_size)"),
    row('O', "memory-guard-size", 45, 50, Twin("memory_guard_size", "gc_heap_guard_size"), "cli-flags 45.0.3 lib.rs:70,904; 45.0.3 config.rs:1887 (memory_guard_size) .. cli-flags 50.0.1 lib.rs:75,1035; 50.0.1 config.rs:2054 (memory_guard_size) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "memory-init-cow", 24, 27, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:93,597; 24.0.13 config.rs:1636 (memory_init_cow) .. cli-flags 27.0.0 lib.rs:94,672; 27.0.0 config.rs:1640 (memory_init_cow)"),
    row('O', "memory-init-cow", 28, 50, Tunable("memory_init_cow"), "cli-flags 28.0.1 lib.rs:96,706; 28.0.1 config.rs:1817 (memory_init_cow) .. cli-flags 50.0.1 lib.rs:131,1102; 50.0.1 config.rs:2327 (memory_init_cow)"),
    row('O', "memory-may-move", 28, 44, Tunable("memory_may_move"), "cli-flags 28.0.1 lib.rs:50,661; 28.0.1 config.rs:1562 (memory_may_move) .. cli-flags 44.0.3 lib.rs:59,871; 44.0.3 config.rs:1814 (memory_may_move)"),
    row('O', "memory-may-move", 45, 50, Twin("memory_may_move", "gc_heap_may_move"), "cli-flags 45.0.3 lib.rs:61,896; 45.0.3 config.rs:1839 (memory_may_move) .. cli-flags 50.0.1 lib.rs:66,1027; 50.0.1 config.rs:2006 (memory_may_move) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "memory-protection-keys", 24, 26, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:89,633 .. cli-flags 26.0.1 lib.rs:89,647"),
    row('O', "memory-reservation", 28, 44, Tunable("memory_reservation"), "cli-flags 28.0.1 lib.rs:53; 28.0.1 config.rs:1526 (memory_reservation) .. cli-flags 44.0.3 lib.rs:62; 44.0.3 config.rs:1779 (memory_reservation)"),
    row('O', "memory-reservation", 45, 50, Twin("memory_reservation", "gc_heap_reservation"), "cli-flags 45.0.3 lib.rs:64; 45.0.3 config.rs:1804 (memory_reservation) .. cli-flags 50.0.1 lib.rs:69; 50.0.1 config.rs:1971 (memory_reservation) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "memory-reservation-for-growth", 28, 44, Tunable("memory_reservation_for_growth"), "cli-flags 28.0.1 lib.rs:56; 28.0.1 config.rs:1676 (memory_reservation_for_growth) .. cli-flags 44.0.3 lib.rs:65; 44.0.3 config.rs:1927 (memory_reservation_for_growth)"),
    row('O', "memory-reservation-for-growth", 45, 50, Twin("memory_reservation_for_growth", "gc_heap_reservation_for_growth"), "cli-flags 45.0.3 lib.rs:67; 45.0.3 config.rs:1952 (memory_reservation_for_growth) .. cli-flags 50.0.1 lib.rs:72; 50.0.1 config.rs:2119 (memory_reservation_for_growth) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "opt-level", 24, 50, Refused(CRANELIFT), "cli-flags 24.0.13 lib.rs:43,503 .. cli-flags 50.0.1 lib.rs:56,960"),
    row('O', "pooling-allocator", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:73,602 .. cli-flags 50.0.1 lib.rs:104,1142"),
    row('O', "pooling-async-stack-keep-resident", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:138,731 .. cli-flags 50.0.1 lib.rs:175,1189"),
    row('O', "pooling-async-stack-zeroing", 27, 29, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:134,726 .. cli-flags 29.0.1 lib.rs:136,779"),
    row('O', "pooling-decommit-batch-size", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:77 .. cli-flags 50.0.1 lib.rs:108,1182"),
    row('O', "pooling-max-component-instance-size", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:142,735 .. cli-flags 50.0.1 lib.rs:179,1193"),
    row('O', "pooling-max-core-instance-size", 25, 50, Refused(NOT_RECORDED), "cli-flags 25.0.3 lib.rs:125,629 .. cli-flags 50.0.1 lib.rs:167,1169"),
    row('O', "pooling-max-core-instances-per-component", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:146,738 .. cli-flags 50.0.1 lib.rs:183,1196"),
    row('O', "pooling-max-memories-per-component", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:150,741 .. cli-flags 50.0.1 lib.rs:187,1199"),
    row('O', "pooling-max-memories-per-module", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:160,750 .. cli-flags 50.0.1 lib.rs:197,1208"),
    row('O', "pooling-max-memory-protection-keys", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:90,763 .. cli-flags 50.0.1 lib.rs:127,1217"),
    row('O', "pooling-max-memory-size", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:117,629 .. cli-flags 50.0.1 lib.rs:159,1177"),
    row('O', "pooling-max-tables-per-component", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:154,744 .. cli-flags 50.0.1 lib.rs:191,1202"),
    row('O', "pooling-max-tables-per-module", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:157,747 .. cli-flags 50.0.1 lib.rs:194,1205"),
    row('O', "pooling-max-unused-warm-slots", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:130,722 .. cli-flags 50.0.1 lib.rs:171,1185"),
    row('O', "pooling-memory-keep-resident", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:81,606 .. cli-flags 50.0.1 lib.rs:112,1146"),
    row('O', "pooling-memory-protection-keys", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:86,754 .. cli-flags 50.0.1 lib.rs:123,1212"),
    row('O', "pooling-pagemap-scan", 37, 50, Refused(NOT_RECORDED), "cli-flags 37.0.3 lib.rs:201,942 .. cli-flags 50.0.1 lib.rs:225,1226"),
    row('O', "pooling-table-elements", 25, 50, Refused(NOT_RECORDED), "cli-flags 25.0.3 lib.rs:121,626 .. cli-flags 50.0.1 lib.rs:163,1164"),
    row('O', "pooling-table-keep-resident", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:85,609 .. cli-flags 50.0.1 lib.rs:116,1149"),
    row('O', "pooling-total-component-instances", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:101,615 .. cli-flags 50.0.1 lib.rs:143,1155"),
    row('O', "pooling-total-core-instances", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:97,612 .. cli-flags 50.0.1 lib.rs:139,1152"),
    row('O', "pooling-total-gc-heaps", 27, 50, Refused(NOT_RECORDED), "cli-flags 27.0.0 lib.rs:163,768 .. cli-flags 50.0.1 lib.rs:200,1222"),
    row('O', "pooling-total-memories", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:105,618 .. cli-flags 50.0.1 lib.rs:147,1158"),
    row('O', "pooling-total-stacks", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:113,625 .. cli-flags 50.0.1 lib.rs:155,1173"),
    row('O', "pooling-total-tables", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:109,621 .. cli-flags 50.0.1 lib.rs:151,1161"),
    row('O', "regalloc-algorithm", 28, 50, Refused(CRANELIFT), "cli-flags 28.0.1 lib.rs:46,587 .. cli-flags 50.0.1 lib.rs:62,965"),
    row('O', "signals-based-traps", 26, 50, Tunable("signals_based_traps"), "cli-flags 26.0.1 lib.rs:128,605; 26.0.1 config.rs:2269 (signals_based_traps) .. cli-flags 50.0.1 lib.rs:203,1108; 50.0.1 config.rs:3302 (signals_based_traps)"),
    row('O', "static-memory-forced", 24, 27, Tunable("static_memory_bound_is_maximum"), "cli-flags 24.0.13 lib.rs:49,565; 24.0.13 config.rs:1372 (static_memory_forced) .. cli-flags 27.0.0 lib.rs:46,638; 27.0.0 config.rs:1415 (static_memory_forced)"),
    row('O', "static-memory-forced", 28, 44, Inverted("memory_may_move", None), "cli-flags 28.0.1 lib.rs:177,656; 28.0.1 config.rs:1562 (memory_may_move) .. cli-flags 44.0.3 lib.rs:188,868; 44.0.3 config.rs:1814 (memory_may_move)"),
    row('O', "static-memory-forced", 45, 50, Inverted("memory_may_move", Some("gc_heap_may_move")), "cli-flags 45.0.3 lib.rs:203,893; 45.0.3 config.rs:1839 (memory_may_move) .. cli-flags 50.0.1 lib.rs:212,1024; 50.0.1 config.rs:2006 (memory_may_move) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "static-memory-guard-size", 24, 26, Tunable("static_memory_offset_guard_size"), "cli-flags 24.0.13 lib.rs:56,569; 24.0.13 config.rs:1427 (static_memory_guard_size) .. cli-flags 26.0.1 lib.rs:56,574; 26.0.1 config.rs:1446 (static_memory_guard_size)"),
    row('O', "static-memory-guard-size", 27, 44, Tunable("memory_guard_size"), "cli-flags 27.0.0 lib.rs:172; 27.0.0 config.rs:1461 (memory_guard_size) .. cli-flags 44.0.3 lib.rs:185; 44.0.3 config.rs:1862 (memory_guard_size)"),
    row('O', "static-memory-guard-size", 45, 50, Twin("memory_guard_size", "gc_heap_guard_size"), "cli-flags 45.0.3 lib.rs:200; 45.0.3 config.rs:1887 (memory_guard_size) .. cli-flags 50.0.1 lib.rs:209; 50.0.1 config.rs:2054 (memory_guard_size) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "static-memory-maximum-size", 24, 27, Tunable("static_memory_reservation"), "cli-flags 24.0.13 lib.rs:53,561; 24.0.13 config.rs:1356 (static_memory_maximum_size) .. cli-flags 27.0.0 lib.rs:50,634; 27.0.0 config.rs:1399 (static_memory_maximum_size)"),
    row('O', "static-memory-maximum-size", 28, 44, Tunable("memory_reservation"), "cli-flags 28.0.1 lib.rs:180,648; 28.0.1 config.rs:1526 (memory_reservation) .. cli-flags 44.0.3 lib.rs:191,863; 44.0.3 config.rs:1779 (memory_reservation)"),
    row('O', "static-memory-maximum-size", 45, 50, Twin("memory_reservation", "gc_heap_reservation"), "cli-flags 45.0.3 lib.rs:206,888; 45.0.3 config.rs:1804 (memory_reservation) .. cli-flags 50.0.1 lib.rs:215,1019; 50.0.1 config.rs:1971 (memory_reservation) (and its GC-heap twin unless a gc-heap option is given: 45.0.3 config.rs:2583 .. 50.0.1 config.rs:2797)"),
    row('O', "table-lazy-init", 24, 50, Tunable("table_lazy_init"), "cli-flags 24.0.13 lib.rs:70,582; 24.0.13 config.rs:1536 (table_lazy_init) .. cli-flags 50.0.1 lib.rs:101,1068; 50.0.1 config.rs:2227 (table_lazy_init)"),
    row('W', "all-proposals", 24, 50, Refused(ALL_PROPOSALS), "cli-flags 24.0.13 lib.rs:227,670 .. cli-flags 50.0.1 lib.rs:452,1300"),
    row('W', "async-stack-size", 25, 50, Refused(NOT_RECORDED), "cli-flags 25.0.3 lib.rs:207,662 .. cli-flags 50.0.1 lib.rs:415,1128"),
    row('W', "async-stack-zeroing", 30, 50, Refused(NOT_RECORDED), "cli-flags 30.0.2 lib.rs:301,915 .. cli-flags 50.0.1 lib.rs:418,1248"),
    row('W', "branch-hinting", 46, 50, Tunable("branch_hinting"), "cli-flags 46.0.3 lib.rs:455,1208; 46.0.3 config.rs:905 (wasm_branch_hinting) .. cli-flags 50.0.1 lib.rs:519,1333; 50.0.1 config.rs:958 (wasm_branch_hinting)"),
    row('W', "bulk-memory", 24, 50, Feature("bulk_memory"), "cli-flags 24.0.13 lib.rs:229,678; 24.0.13 config.rs:918 (wasm_bulk_memory) .. cli-flags 50.0.1 lib.rs:454,1308; 50.0.1 config.rs:1205 (wasm_bulk_memory)"),
    row('W', "compact-imports", 50, 50, Feature("compact_imports"), "cli-flags 50.0.1 lib.rs:521,1337; 50.0.1 config.rs:1004 (wasm_compact_imports)"),
    row('W', "component-model", 24, 50, Feature("component_model"), "cli-flags 24.0.13 lib.rs:256,711; 24.0.13 config.rs:975 (wasm_component_model) .. cli-flags 50.0.1 lib.rs:485,1358; 50.0.1 config.rs:1296 (wasm_component_model)"),
    row('W', "component-model-accessors", 50, 50, Feature("cm_accessors"), "cli-flags 50.0.1 lib.rs:539,1368; 50.0.1 config.rs:1438 (wasm_component_model_accessors)"),
    row('W', "component-model-async", 30, 31, Feature("component_model_async"), "cli-flags 30.0.2 lib.rs:370,996; 30.0.2 config.rs:1119 (wasm_component_model_async) .. cli-flags 31.0.0 lib.rs:366,990; 31.0.0 config.rs:1122 (wasm_component_model_async)"),
    row('W', "component-model-async", 32, 50, Feature("cm_async"), "cli-flags 32.0.1 lib.rs:366,1002; 32.0.1 config.rs:1124 (wasm_component_model_async) .. cli-flags 50.0.1 lib.rs:487,1359; 50.0.1 config.rs:1311 (wasm_component_model_async)"),
    row('W', "component-model-async-builtins", 32, 44, Feature("cm_async_builtins"), "cli-flags 32.0.1 lib.rs:369,1003; 32.0.1 config.rs:1137 (wasm_component_model_async_builtins) .. cli-flags 44.0.3 lib.rs:397,1153; 44.0.3 config.rs:1215 (wasm_component_model_async_builtins)"),
    row('W', "component-model-async-stackful", 32, 50, Feature("cm_async_stackful"), "cli-flags 32.0.1 lib.rs:372,1004; 32.0.1 config.rs:1149 (wasm_component_model_async_stackful) .. cli-flags 50.0.1 lib.rs:493,1361; 50.0.1 config.rs:1336 (wasm_component_model_async_stackful)"),
    row('W', "component-model-canonical-names", 50, 50, Feature("cm_canon_names"), "cli-flags 50.0.1 lib.rs:536,1367; 50.0.1 config.rs:1428 (wasm_component_model_canonical_names)"),
    row('W', "component-model-error-context", 34, 50, Feature("cm_error_context"), "cli-flags 34.0.2 lib.rs:377,1021; 34.0.2 config.rs:1169 (wasm_component_model_error_context) .. cli-flags 50.0.1 lib.rs:499,1363; 50.0.1 config.rs:1361 (wasm_component_model_error_context)"),
    row('W', "component-model-fixed-length-lists", 42, 42, Feature("cm_fixed_size_list"), "cli-flags 42.0.2 lib.rs:414,1140; 42.0.2 config.rs:1239 (wasm_component_model_fixed_length_lists)"),
    row('W', "component-model-fixed-length-lists", 43, 50, Feature("cm_fixed_length_lists"), "cli-flags 43.0.2 lib.rs:414,1140; 43.0.2 config.rs:1277 (wasm_component_model_fixed_length_lists) .. cli-flags 50.0.1 lib.rs:530,1365; 50.0.1 config.rs:1408 (wasm_component_model_fixed_length_lists)"),
    row('W', "component-model-gc", 35, 50, Feature("cm_gc"), "cli-flags 35.0.0 lib.rs:380,1049; 35.0.0 config.rs:1184 (wasm_component_model_gc) .. cli-flags 50.0.1 lib.rs:502,1378; 50.0.1 config.rs:1376 (wasm_component_model_gc)"),
    row('W', "component-model-implements", 46, 50, Feature("cm_implements"), "cli-flags 46.0.3 lib.rs:467,1237; 46.0.3 config.rs:1336 (wasm_component_model_implements) .. cli-flags 50.0.1 lib.rs:533,1366; 50.0.1 config.rs:1418 (wasm_component_model_implements)"),
    row('W', "component-model-map", 44, 50, Feature("cm_map"), "cli-flags 44.0.3 lib.rs:411,1157; 44.0.3 config.rs:1277 (wasm_component_model_map) .. cli-flags 50.0.1 lib.rs:504,1364; 50.0.1 config.rs:1386 (wasm_component_model_map)"),
    row('W', "component-model-memory64", 48, 50, Feature("cm64"), "cli-flags 48.0.8 lib.rs:454,1290; 48.0.8 config.rs:1373 (wasm_component_model_memory64) .. cli-flags 50.0.1 lib.rs:507,1369; 50.0.1 config.rs:1398 (wasm_component_model_memory64)"),
    row('W', "component-model-more-async-builtins", 45, 50, Feature("cm_more_async_builtins"), "cli-flags 45.0.3 lib.rs:422,1207; 45.0.3 config.rs:1240 (wasm_component_model_more_async_builtins) .. cli-flags 50.0.1 lib.rs:490,1360; 50.0.1 config.rs:1324 (wasm_component_model_more_async_builtins)"),
    row('W', "component-model-more-flags", 24, 30, Feature("component_model_more_flags"), "cli-flags 24.0.13 lib.rs:258,712; 24.0.13 config.rs:986 (wasm_component_model_more_flags) .. cli-flags 30.0.2 lib.rs:366,994; 30.0.2 config.rs:1096 (wasm_component_model_more_flags)"),
    row('W', "component-model-multiple-returns", 24, 30, Feature("component_model_multiple_returns"), "cli-flags 24.0.13 lib.rs:260,713; 24.0.13 config.rs:997 (wasm_component_model_multiple_returns) .. cli-flags 30.0.2 lib.rs:368,995; 30.0.2 config.rs:1106 (wasm_component_model_multiple_returns)"),
    row('W', "component-model-threading", 39, 50, Feature("cm_threading"), "cli-flags 39.0.2 lib.rs:388,1065; 39.0.2 config.rs:1219 (wasm_component_model_threading) .. cli-flags 50.0.1 lib.rs:496,1362; 50.0.1 config.rs:1349 (wasm_component_model_threading)"),
    row('W', "concurrency-support", 42, 45, Concurrency { feature_follows: false }, "cli-flags 42.0.2 lib.rs:417,1063; 42.0.2 config.rs:3011 (concurrency_support) .. cli-flags 45.0.3 lib.rs:458,1134; 45.0.3 config.rs:3217 (concurrency_support) (Wasmtime refuses it with async component features on: 42.0.2 config.rs:2473 .. 45.0.3 config.rs:2628)"),
    row('W', "concurrency-support", 46, 50, Concurrency { feature_follows: true }, "cli-flags 46.0.3 lib.rs:470,1154; 46.0.3 config.rs:3247 (concurrency_support) .. cli-flags 50.0.1 lib.rs:542,1279; 50.0.1 config.rs:3445 (concurrency_support) (CM_ASYNC follows it: 46.0.0 config.rs:2454 .. 50.0.1 config.rs:2633; refused with async component features on: 46.0.3 config.rs:2658 .. 50.0.1 config.rs:2842)"),
    row('W', "custom-page-sizes", 24, 50, Feature("custom_page_sizes"), "cli-flags 24.0.13 lib.rs:266,693; 24.0.13 config.rs:742 (wasm_custom_page_sizes) .. cli-flags 50.0.1 lib.rs:515,1326; 50.0.1 config.rs:983 (wasm_custom_page_sizes)"),
    row('W', "epoch-interruption", 24, 50, Tunable("epoch_interruption"), "cli-flags 24.0.13 lib.rs:190,591; 24.0.13 config.rs:628 (epoch_interruption) .. cli-flags 50.0.1 lib.rs:406,1083; 50.0.1 config.rs:788 (epoch_interruption)"),
    row('W', "exceptions", 33, 50, Feature("exceptions"), "cli-flags 33.0.2 lib.rs:386,992; 33.0.2 config.rs:1163 (wasm_exceptions) .. cli-flags 50.0.1 lib.rs:525,1374; 50.0.1 config.rs:1450 (wasm_exceptions)"),
    row('W', "extended-const", 29, 50, Feature("extended_const"), "cli-flags 29.0.1 lib.rs:355,906; 29.0.1 config.rs:1016 (wasm_extended_const) .. cli-flags 50.0.1 lib.rs:523,1340; 50.0.1 config.rs:1259 (wasm_extended_const)"),
    row('W', "fuel", 24, 50, SetTrue("consume_fuel"), "cli-flags 24.0.13 lib.rs:187,587; 24.0.13 config.rs:534 (consume_fuel) .. cli-flags 50.0.1 lib.rs:403,1079; 50.0.1 config.rs:643 (consume_fuel)"),
    row('W', "function-references", 24, 50, Feature("function_references"), "cli-flags 24.0.13 lib.rs:262,717; 24.0.13 config.rs:806 (wasm_function_references) .. cli-flags 50.0.1 lib.rs:509,1373; 50.0.1 config.rs:1085 (wasm_function_references)"),
    row('W', "gc", 24, 50, Feature("gc"), "cli-flags 24.0.13 lib.rs:264,715; 24.0.13 config.rs:827 (wasm_gc) .. cli-flags 50.0.1 lib.rs:513,1371; 50.0.1 config.rs:1113 (wasm_gc)"),
    row('W', "gc-support", 37, 50, Feature("gc_types"), "cli-flags 37.0.3 lib.rs:405,993; 37.0.3 config.rs:2717 (gc_support) .. cli-flags 50.0.1 lib.rs:527,1275; 50.0.1 config.rs:3318 (gc_support)"),
    row('W', "legacy-exceptions", 33, 36, Feature("legacy_exceptions"), "cli-flags 33.0.2 lib.rs:388,995; 33.0.2 config.rs:1172 (wasm_legacy_exceptions) .. cli-flags 36.0.20 lib.rs:399,1039; 36.0.20 config.rs:1199 (wasm_legacy_exceptions)"),
    row('W', "max-instances", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:212 .. cli-flags 50.0.1 lib.rs:437"),
    row('W', "max-memories", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:216 .. cli-flags 50.0.1 lib.rs:441"),
    row('W', "max-memory-size", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:208 .. cli-flags 50.0.1 lib.rs:433,1178"),
    row('W', "max-table-elements", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:210 .. cli-flags 50.0.1 lib.rs:435,1165"),
    row('W', "max-tables", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:214 .. cli-flags 50.0.1 lib.rs:439"),
    row('W', "max-wasm-stack", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:193,653 .. cli-flags 50.0.1 lib.rs:409,1253"),
    row('W', "memory64", 24, 50, Feature("memory64"), "cli-flags 24.0.13 lib.rs:254,690; 24.0.13 config.rs:961 (wasm_memory64) .. cli-flags 50.0.1 lib.rs:483,1320; 50.0.1 config.rs:1248 (wasm_memory64)"),
    row('W', "multi-memory", 24, 50, Feature("multi_memory"), "cli-flags 24.0.13 lib.rs:231,687; 24.0.13 config.rs:946 (wasm_multi_memory) .. cli-flags 50.0.1 lib.rs:456,1317; 50.0.1 config.rs:1233 (wasm_multi_memory)"),
    row('W', "multi-value", 24, 50, Feature("multi_value"), "cli-flags 24.0.13 lib.rs:233,681; 24.0.13 config.rs:932 (wasm_multi_value) .. cli-flags 50.0.1 lib.rs:458,1311; 50.0.1 config.rs:1219 (wasm_multi_value)"),
    row('W', "nan-canonicalization", 24, 50, Refused(CRANELIFT), "cli-flags 24.0.13 lib.rs:179,508 .. cli-flags 50.0.1 lib.rs:395,970"),
    row('W', "reference-types", 24, 50, Feature("reference_types"), "cli-flags 24.0.13 lib.rs:235,716; 24.0.13 config.rs:787 (wasm_reference_types) .. cli-flags 50.0.1 lib.rs:460,1372; 50.0.1 config.rs:1066 (wasm_reference_types)"),
    row('W', "relaxed-simd", 24, 50, Feature("relaxed_simd"), "cli-flags 24.0.13 lib.rs:239,675; 24.0.13 config.rs:874 (wasm_relaxed_simd) .. cli-flags 50.0.1 lib.rs:464,1305; 50.0.1 config.rs:1161 (wasm_relaxed_simd)"),
    row('W', "relaxed-simd-deterministic", 24, 50, Tunable("relaxed_simd_deterministic"), "cli-flags 24.0.13 lib.rs:248,657; 24.0.13 config.rs:895 (relaxed_simd_deterministic) .. cli-flags 50.0.1 lib.rs:473,1266; 50.0.1 config.rs:1182 (relaxed_simd_deterministic)"),
    row('W', "shared-everything-threads", 33, 50, Feature("shared_everything_threads"), "cli-flags 33.0.2 lib.rs:362; 33.0.2 config.rs:861 (wasm_shared_everything_threads) .. cli-flags 50.0.1 lib.rs:481; 50.0.1 config.rs:1044 (wasm_shared_everything_threads)"),
    row('W', "shared-memory", 40, 50, Refused(NOT_RECORDED), "cli-flags 40.0.4 lib.rs:373,1021 .. cli-flags 50.0.1 lib.rs:479,1283"),
    row('W', "simd", 24, 50, Feature("simd"), "cli-flags 24.0.13 lib.rs:237,672; 24.0.13 config.rs:847 (wasm_simd) .. cli-flags 50.0.1 lib.rs:462,1302; 50.0.1 config.rs:1134 (wasm_simd)"),
    row('W', "stack-switching", 35, 50, Feature("stack_switching"), "cli-flags 35.0.0 lib.rs:384,1003; 35.0.0 config.rs:1098 (wasm_stack_switching) .. cli-flags 50.0.1 lib.rs:511,1323; 50.0.1 config.rs:1277 (wasm_stack_switching)"),
    row('W', "tail-call", 24, 50, Feature("tail_call"), "cli-flags 24.0.13 lib.rs:250,684; 24.0.13 config.rs:717 (wasm_tail_call) .. cli-flags 50.0.1 lib.rs:475,1314; 50.0.1 config.rs:944 (wasm_tail_call)"),
    row('W', "threads", 24, 50, Feature("threads"), "cli-flags 24.0.13 lib.rs:252,714; 24.0.13 config.rs:765 (wasm_threads) .. cli-flags 50.0.1 lib.rs:477,1370; 50.0.1 config.rs:1029 (wasm_threads)"),
    row('W', "timeout", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:225 .. cli-flags 50.0.1 lib.rs:450"),
    row('W', "trap-on-grow-failure", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:223 .. cli-flags 50.0.1 lib.rs:448"),
    row('W', "unknown-exports-allow", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:195 .. cli-flags 50.0.1 lib.rs:420"),
    row('W', "unknown-imports-default", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:201 .. cli-flags 50.0.1 lib.rs:426"),
    row('W', "unknown-imports-trap", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:198 .. cli-flags 50.0.1 lib.rs:423"),
    row('W', "wide-arithmetic", 27, 50, Feature("wide_arithmetic"), "cli-flags 27.0.0 lib.rs:342,850; 27.0.0 config.rs:824 (wasm_wide_arithmetic) .. cli-flags 50.0.1 lib.rs:517,1329; 50.0.1 config.rs:1096 (wasm_wide_arithmetic)"),
    row('W', "wmemcheck", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:203,661 .. cli-flags 50.0.1 lib.rs:428,1270"),
    row('C', "cache", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:136,540 .. cli-flags 50.0.1 lib.rs:266,997"),
    row('C', "cache-config", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:138,541 .. cli-flags 50.0.1 lib.rs:268,999"),
    row('C', "collector", 27, 44, Collector(&[("drc", "DeferredReferenceCounting"), ("null", "Null")]), "cli-flags 27.0.0 lib.rs:197,552; 27.0.0 config.rs:1051 (collector) .. cli-flags 44.0.3 lib.rs:230,777; 44.0.3 config.rs:1335 (collector) (only with GC types on: 44.0.3 config.rs:2473)"),
    row('C', "collector", 45, 50, Collector(&[("drc", "DeferredReferenceCounting"), ("null", "Null"), ("copying", "Copying")]), "cli-flags 45.0.3 lib.rs:251,802; 45.0.3 config.rs:1360 (collector) .. cli-flags 50.0.1 lib.rs:262,933; 50.0.1 config.rs:1489 (collector) (only with GC types on: 50.0.1 config.rs:2813)"),
    row('C', "compile-time-builtin", 50, 50, Refused(NOT_RECORDED), "cli-flags 50.0.1 lib.rs:335"),
    row('C', "compiler", 24, 26, Refused(WINCH_BEFORE_27), "cli-flags 24.0.13 lib.rs:132,479 .. cli-flags 26.0.1 lib.rs:143,484"),
    row('C', "compiler", 27, 29, Compiler { default_off: &[], unsupported: &["gc", "function_references", "threads", "relaxed_simd", "tail_call", "gc_types"], aarch64: &["simd", "reference_types"] }, "cli-flags 27.0.0 lib.rs:187,547; 27.0.0 config.rs:1038 (strategy) .. cli-flags 29.0.1 lib.rs:198,570; 29.0.1 config.rs:1069 (strategy) (winch_callable; features Winch cannot compile: 27.0.0 config.rs:1753 .. 29.0.1 config.rs:1973)"),
    row('C', "compiler", 30, 32, Compiler { default_off: &[], unsupported: &["gc", "function_references", "relaxed_simd", "tail_call", "gc_types"], aarch64: &["simd", "reference_types", "threads"] }, "cli-flags 30.0.2 lib.rs:213,656; 30.0.2 config.rs:1132 (strategy) .. cli-flags 32.0.1 lib.rs:213,660; 32.0.1 config.rs:1162 (strategy) (winch_callable; features Winch cannot compile: 30.0.2 config.rs:2031 .. 32.0.1 config.rs:2061)"),
    row('C', "compiler", 33, 33, Compiler { default_off: &[], unsupported: &["gc", "function_references", "relaxed_simd", "tail_call", "gc_types", "exceptions", "legacy_exceptions"], aarch64: &["simd", "reference_types", "threads"] }, "cli-flags 33.0.2 lib.rs:213,668; 33.0.2 config.rs:1185 (strategy) (winch_callable; features Winch cannot compile: 33.0.2 config.rs:2037 .. 33.0.2 config.rs:2037)"),
    row('C', "compiler", 34, 34, Compiler { default_off: &[], unsupported: &["gc", "function_references", "relaxed_simd", "tail_call", "gc_types", "exceptions", "legacy_exceptions"], aarch64: &["simd", "threads", "wide_arithmetic"] }, "cli-flags 34.0.2 lib.rs:213,671; 34.0.2 config.rs:1197 (strategy) (winch_callable; features Winch cannot compile: 34.0.2 config.rs:2049 .. 34.0.2 config.rs:2049)"),
    row('C', "compiler", 35, 37, Compiler { default_off: &[], unsupported: &["gc", "function_references", "relaxed_simd", "tail_call", "gc_types", "exceptions", "legacy_exceptions", "stack_switching"], aarch64: &["threads", "wide_arithmetic"] }, "cli-flags 35.0.0 lib.rs:213,676; 35.0.0 config.rs:1212 (strategy) .. cli-flags 37.0.3 lib.rs:219,687; 37.0.3 config.rs:1218 (strategy) (winch_callable; features Winch cannot compile: 35.0.0 config.rs:2085 .. 37.0.3 config.rs:2125)"),
    row('C', "compiler", 38, 45, Compiler { default_off: &[], unsupported: &["gc", "function_references", "relaxed_simd", "tail_call", "gc_types", "exceptions", "legacy_exceptions", "stack_switching", "cm_async"], aarch64: &["threads", "wide_arithmetic"] }, "cli-flags 38.0.4 lib.rs:219,687; 38.0.4 config.rs:1218 (strategy) .. cli-flags 45.0.3 lib.rs:237,797; 45.0.3 config.rs:1347 (strategy) (winch_callable; features Winch cannot compile: 38.0.4 config.rs:2120 .. 45.0.3 config.rs:2366)"),
    row('C', "compiler", 46, 47, Compiler { default_off: &[], unsupported: &["gc", "function_references", "relaxed_simd", "tail_call", "gc_types", "exceptions", "legacy_exceptions", "stack_switching", "cm_async"], aarch64: &["threads"] }, "cli-flags 46.0.3 lib.rs:237,811; 46.0.3 config.rs:1371 (strategy) .. cli-flags 47.0.4 lib.rs:245,848; 47.0.4 config.rs:1399 (strategy) (winch_callable; features Winch cannot compile: 46.0.3 config.rs:2391 .. 47.0.4 config.rs:2437)"),
    row('C', "compiler", 48, 48, Compiler { default_off: &[], unsupported: &["gc", "function_references", "relaxed_simd", "tail_call", "gc_types", "exceptions", "legacy_exceptions", "stack_switching"], aarch64: &["threads"] }, "cli-flags 48.0.8 lib.rs:245,855; 48.0.8 config.rs:1430 (strategy) (winch_callable; features Winch cannot compile: 48.0.8 config.rs:2469 .. 48.0.8 config.rs:2469)"),
    row('C', "compiler", 49, 49, Compiler { default_off: &[], unsupported: &["gc", "function_references", "relaxed_simd", "tail_call", "legacy_exceptions", "stack_switching"], aarch64: &["threads"] }, "cli-flags 49.0.5 lib.rs:247,861; 49.0.5 config.rs:1434 (strategy) (winch_callable; features Winch cannot compile: 49.0.5 config.rs:2473 .. 49.0.5 config.rs:2473)"),
    row('C', "compiler", 50, 50, Compiler { default_off: &["tail_call", "exceptions", "threads", "wide_arithmetic", "gc_types"], unsupported: &["gc", "function_references", "relaxed_simd", "legacy_exceptions", "stack_switching"], aarch64: &["threads"] }, "cli-flags 50.0.1 lib.rs:247,928; 50.0.1 config.rs:1476 (strategy) (winch_callable; features Winch cannot compile: 50.0.1 config.rs:2516; Winch's default features are WASM2 without GC types, with extended-const, memory64 and multi-memory: 50.0.1 config.rs:2601)"),
    row('C', "cranelift", 24, 50, Refused(CRANELIFT), "cli-flags 24.0.13 lib.rs:147,521 .. cli-flags 50.0.1 lib.rs:341,978"),
    row('C', "cranelift-debug-verifier", 24, 50, Refused(CRANELIFT), "cli-flags 24.0.13 lib.rs:134,489 .. cli-flags 50.0.1 lib.rs:264,941"),
    row('C', "inlining", 36, 44, Tunable("inlining"), "cli-flags 36.0.20 lib.rs:241,843; 36.0.20 config.rs:2044 (compiler_inlining) .. cli-flags 44.0.3 lib.rs:244,921; 44.0.3 config.rs:2174 (compiler_inlining)"),
    row('C', "inlining", 45, 50, Refused(INLINING_MODES), "cli-flags 45.0.3 lib.rs:267,975; 45.0.3 config.rs:2267 (compiler_inlining) .. cli-flags 50.0.1 lib.rs:279,1114; 50.0.1 config.rs:2434 (compiler_inlining)"),
    row('C', "metadata-for-gc-heap-corruption", 46, 50, Tunable("metadata_for_gc_heap_corruption"), "cli-flags 46.0.3 lib.rs:274,995; 46.0.3 config.rs:3323 (metadata_for_gc_heap_corruption) .. cli-flags 50.0.1 lib.rs:286,1120; 50.0.1 config.rs:3521 (metadata_for_gc_heap_corruption)"),
    row('C', "metadata-for-internal-asserts", 46, 50, Tunable("metadata_for_internal_asserts"), "cli-flags 46.0.3 lib.rs:271,992; 46.0.3 config.rs:3307 (metadata_for_internal_asserts) .. cli-flags 50.0.1 lib.rs:283,1117; 50.0.1 config.rs:3505 (metadata_for_internal_asserts)"),
    row('C', "native-unwind-info", 27, 50, Refused(UNWIND), "cli-flags 27.0.0 lib.rs:210,678; 27.0.0 config.rs:492 (native_unwind_info) .. cli-flags 50.0.1 lib.rs:273,1111; 50.0.1 config.rs:622 (native_unwind_info)"),
    row('C', "parallel-compilation", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:140,556 .. cli-flags 50.0.1 lib.rs:270,1011"),
    row('C', "pcc", 24, 43, Refused(CRANELIFT), "cli-flags 24.0.13 lib.rs:142,513 .. cli-flags 43.0.2 lib.rs:240,797"),
    row('C', "unsafe-intrinsics", 50, 50, Refused(NOT_RECORDED), "cli-flags 50.0.1 lib.rs:310"),
    row('D', "address-map", 24, 50, Tunable("generate_address_map"), "cli-flags 24.0.13 lib.rs:161,594; 24.0.13 config.rs:1582 (generate_address_map) .. cli-flags 50.0.1 lib.rs:357,1086; 50.0.1 config.rs:2273 (generate_address_map)"),
    row('D', "arg", 44, 50, Refused(NOT_RECORDED), "cli-flags 44.0.3 lib.rs:280 .. cli-flags 50.0.1 lib.rs:370"),
    row('D', "coredump", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:167,496 .. cli-flags 50.0.1 lib.rs:363,953"),
    row('D', "debug-info", 24, 38, Tunable("generate_native_debuginfo"), "cli-flags 24.0.13 lib.rs:159,493; 24.0.13 config.rs:429 (debug_info) .. cli-flags 38.0.4 lib.rs:266,704; 38.0.4 config.rs:443 (debug_info)"),
    row('D', "debug-info", 39, 50, Tunable("debug_native"), "cli-flags 39.0.2 lib.rs:266,709; 39.0.2 config.rs:444 (debug_info) .. cli-flags 50.0.1 lib.rs:353,945; 50.0.1 config.rs:443 (debug_info)"),
    row('D', "debugger", 44, 50, Refused(NOT_RECORDED), "cli-flags 44.0.3 lib.rs:276 .. cli-flags 50.0.1 lib.rs:366"),
    row('D', "guest-debug", 39, 50, Refused(GUEST_DEBUG), "cli-flags 39.0.2 lib.rs:268,713; 39.0.2 config.rs:478 (guest_debug) .. cli-flags 50.0.1 lib.rs:355,949; 50.0.1 config.rs:504 (guest_debug)"),
    row('D', "inherit-stderr", 44, 50, Refused(NOT_RECORDED), "cli-flags 44.0.3 lib.rs:289 .. cli-flags 50.0.1 lib.rs:379"),
    row('D', "inherit-stdin", 44, 50, Refused(NOT_RECORDED), "cli-flags 44.0.3 lib.rs:283 .. cli-flags 50.0.1 lib.rs:373"),
    row('D', "inherit-stdout", 44, 50, Refused(NOT_RECORDED), "cli-flags 44.0.3 lib.rs:286 .. cli-flags 50.0.1 lib.rs:376"),
    row('D', "log-to-files", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:165,451 .. cli-flags 50.0.1 lib.rs:361,896"),
    row('D', "logging", 24, 50, Refused(NOT_RECORDED), "cli-flags 24.0.13 lib.rs:163,447 .. cli-flags 50.0.1 lib.rs:359,892"),
    row('D', "max-backtrace", 45, 50, Refused(MAX_BACKTRACE), "cli-flags 45.0.3 lib.rs:314,953; 45.0.3 config.rs:516 (wasm_backtrace_details) .. cli-flags 50.0.1 lib.rs:381,1089; 50.0.1 config.rs:549 (wasm_backtrace_details)"),
    row('D', "symbols", 47, 50, Tunable("debug_symbols"), "cli-flags 47.0.4 lib.rs:331,1019; 47.0.4 config.rs:470 (debug_symbols) .. cli-flags 50.0.1 lib.rs:383,1099; 50.0.1 config.rs:470 (debug_symbols)"),
];

/// The group letter's name in Wasmtime's CLI.
fn group_name(group: char) -> &'static str {
    match group {
        'O' => "optimize",
        'W' => "wasm",
        'C' => "codegen",
        'D' => "debug",
        _ => "?",
    }
}

/// The rows of `major`'s options in `group`.
pub fn rows_of(major: u32, group: char) -> impl Iterator<Item = &'static Row> {
    ROWS.iter()
        .filter(move |r| r.group == group && (r.first..=r.last).contains(&major))
}

/// Splits `-W gc=n`, `-Wgc=n` or `-W=gc=n` into the group letter and the
/// option text.
pub fn split_arg(arg: &str) -> Result<(char, String), String> {
    let rest = arg.strip_prefix('-').ok_or_else(|| {
        format!("option `{arg}`: expected -O, -W, -C or -D followed by NAME=VALUE")
    })?;
    let mut chars = rest.chars();
    let group = chars
        .next()
        .filter(|g| "OWCD".contains(*g))
        .ok_or_else(|| {
            format!("option `{arg}`: expected -O, -W, -C or -D followed by NAME=VALUE")
        })?;
    let text = chars.as_str().trim_start();
    let text = text.strip_prefix('=').unwrap_or(text).trim();
    if text.is_empty() {
        return Err(format!("option `{arg}`: no NAME=VALUE after -{group}"));
    }
    Ok((group, text.to_string()))
}

/// A parsed option value.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Bool(bool),
    Int(u64),
}

fn parse_bool(val: Option<&str>) -> Result<bool, String> {
    match val {
        None | Some("y") | Some("yes") | Some("true") => Ok(true),
        Some("n") | Some("no") | Some("false") => Ok(false),
        Some(s) => Err(format!(
            "unknown boolean `{s}`: Wasmtime accepts y, yes, true, n, no, false or nothing"
        )),
    }
}

fn parse_int(val: Option<&str>, major: u32) -> Result<u64, String> {
    let val = val.ok_or("a value must be given as NAME=VALUE")?;
    let cleaned = if major >= 26 {
        val.replace('_', "")
    } else {
        val.to_string()
    };
    let parsed = match cleaned.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => cleaned.parse::<u64>(),
    };
    parsed.map_err(|e| {
        format!("`{val}` is not a number Wasmtime {major} reads (decimal or 0x hex, no unit suffixes): {e}")
    })
}

/// The type of Tunables field `field` in `major`'s layout.
fn field_type(profile: &Profile, field: &str) -> Result<TunableType, String> {
    let layout = profile.release.layout();
    let index = layout.tunable_index(field).ok_or_else(|| {
        format!(
            "Wasmtime {} records no Tunables field `{field}`",
            profile.release.major()
        )
    })?;
    Ok(layout.tunables[index].ty)
}

/// Reads `val` as a value of Tunables field `field`.
fn field_value(profile: &Profile, field: &str, val: Option<&str>) -> Result<Value, String> {
    match field_type(profile, field)? {
        TunableType::Bool => parse_bool(val).map(Value::Bool),
        TunableType::U32 | TunableType::U64 | TunableType::OptionNonZeroU32 => {
            parse_int(val, profile.release.major()).map(Value::Int)
        }
        other => Err(format!(
            "Tunables field `{field}` ({other:?}) has no option form here"
        )),
    }
}

fn scalar(value: &Value) -> Scalar {
    match value {
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Int(n) => Scalar::Int(*n),
    }
}

/// What the options set, before it is written into a profile.
#[derive(Default)]
struct Changes {
    /// field → (value, the option that set it).
    tunables: BTreeMap<&'static str, (Scalar, String)>,
    features: BTreeMap<&'static str, (bool, String)>,
}

impl Changes {
    fn tunable(&mut self, field: &'static str, value: Scalar, by: &str) -> Result<(), String> {
        if let Some((_, other)) = self.tunables.get(field) {
            if other != by {
                return Err(format!(
                    "{other} and {by} both set Tunables field `{field}`; Wasmtime picks one by a \
                     fixed precedence that is not modelled here: give one of them"
                ));
            }
        }
        self.tunables.insert(field, (value, by.to_string()));
        Ok(())
    }
}

/// Applies Wasmtime CLI options (`-W gc=n`, `-O memory-reservation=…`, as
/// one string each, or group and text apart via [`split_arg`]) of the
/// profile's release to `profile`.
pub fn apply(profile: &mut Profile, args: &[String]) -> Result<(), String> {
    let mut split = Vec::new();
    for arg in args {
        split.push(split_arg(arg)?);
    }
    apply_split(profile, &split)
}

/// [`apply`] with each option's group letter and text apart.
pub fn apply_split(profile: &mut Profile, args: &[(char, String)]) -> Result<(), String> {
    if args.is_empty() {
        return Ok(());
    }
    let major = profile.release.major();
    // Wasmtime keeps the last value of each option (an `Option` field).
    let mut given: Vec<(&'static Row, Option<String>)> = Vec::new();
    for (group, text) in args {
        for item in text.split(',') {
            let (key, val) = match item.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (item, None),
            };
            // Named options first, then `-C cranelift-NAME` (Wasmtime's
            // one prefixed option, listed last in its group).
            let row = rows_of(major, *group)
                .find(|r| r.name == key)
                .or_else(|| {
                    rows_of(major, *group)
                        .find(|r| r.name == "cranelift" && key.starts_with("cranelift-"))
                })
                .ok_or_else(|| unknown(major, *group, key))?;
            if let Refused(why) = row.effect {
                return Err(format!(
                    "-{group} {key}: not a host-profile option: {why} ({})",
                    row.cited
                ));
            }
            given.retain(|(r, _)| !std::ptr::eq(*r, row));
            given.push((row, val));
        }
    }
    let gc_heap_given = given.iter().any(|(r, _)| matches!(r.effect, GcHeap(_)));
    let mut changes = Changes::default();
    let mut compiler: Option<(bool, &Row)> = None;
    let mut collector: Option<&'static str> = None;
    let mut concurrency: Option<(bool, bool)> = None;
    for (row, val) in &given {
        let by = format!("-{} {}", row.group, row.name);
        let val = val.as_deref();
        let with = |e: String| format!("{by}: {e}");
        match row.effect {
            Tunable(field) | GcHeap(field) => {
                let v = field_value(profile, field, val).map_err(with)?;
                changes.tunable(field, scalar(&v), &by)?;
            }
            Twin(field, twin) => {
                let v = field_value(profile, field, val).map_err(with)?;
                changes.tunable(field, scalar(&v), &by)?;
                if !gc_heap_given {
                    changes.tunable(twin, scalar(&v), &by)?;
                }
            }
            Inverted(field, twin) => {
                let v = !parse_bool(val).map_err(with)?;
                changes.tunable(field, Scalar::Bool(v), &by)?;
                if let (Some(twin), false) = (twin, gc_heap_given) {
                    changes.tunable(twin, Scalar::Bool(v), &by)?;
                }
            }
            SetTrue(field) => {
                parse_int(val, major).map_err(with)?;
                changes.tunable(field, Scalar::Bool(true), &by)?;
            }
            Feature(name) => {
                let on = parse_bool(val).map_err(with)?;
                changes.features.insert(name, (on, by.clone()));
            }
            Collector(words) => {
                let word = val.ok_or_else(|| with("a value must be given as NAME=VALUE".into()))?;
                let variant = words.iter().find(|(w, _)| *w == word).ok_or_else(|| {
                    let known: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
                    with(format!(
                        "unknown collector `{word}`; Wasmtime {major} accepts {}",
                        known.join(", ")
                    ))
                })?;
                collector = Some(variant.1);
            }
            Compiler { .. } => {
                let winch = match val {
                    Some("winch") => true,
                    Some("cranelift") => false,
                    Some(other) => {
                        return Err(with(format!(
                            "unknown compiler `{other}`; Wasmtime accepts cranelift, winch"
                        )))
                    }
                    None => return Err(with("a value must be given as NAME=VALUE".into())),
                };
                compiler = Some((winch, row));
            }
            Concurrency { feature_follows } => {
                concurrency = Some((parse_bool(val).map_err(with)?, feature_follows));
            }
            Refused(_) => unreachable!("refused above"),
        }
    }
    if let Some((on, follows)) = concurrency {
        changes.tunable(
            "concurrency_support",
            Scalar::Bool(on),
            "-W concurrency-support",
        )?;
        if follows && !changes.features.contains_key("cm_async") {
            changes
                .features
                .insert("cm_async", (on, "-W concurrency-support".into()));
        }
    }
    let mut winch_off: Vec<&'static str> = Vec::new();
    if let Some((winch, row)) = compiler {
        changes.tunable("winch_callable", Scalar::Bool(winch), "-C compiler")?;
        if let (
            true,
            Compiler {
                unsupported,
                aarch64,
                default_off,
            },
        ) = (winch, row.effect)
        {
            for name in default_off {
                if !changes.features.contains_key(name) {
                    winch_off.push(name);
                }
            }
            let arch = profile.target.split('-').next();
            let extra: &[&str] = match arch {
                Some("x86_64") => &[],
                Some("aarch64") => aarch64,
                _ => {
                    return Err(format!(
                        "-C compiler=winch: Winch compiles for x86_64 and aarch64, not {}",
                        profile.target
                    ))
                }
            };
            for name in unsupported.iter().chain(extra) {
                if let Some((true, by)) = changes.features.get(name) {
                    return Err(format!(
                        "{by} with -C compiler=winch: Wasmtime refuses it (the wasm_{name} feature \
                         is not supported on this compiler configuration; {})",
                        row.cited
                    ));
                }
                winch_off.push(name);
            }
        }
    }
    // Write the changes.
    let layout = profile.release.layout();
    for (field, (value, _)) in &changes.tunables {
        profile.tunables.insert(field.to_string(), value.clone());
    }
    for name in winch_off {
        if layout.feature_by_name(name).is_some() {
            profile.features.insert(name.to_string(), false);
        }
    }
    for (name, (on, by)) in &changes.features {
        if layout.feature_by_name(name).is_none() {
            return Err(format!(
                "{by}: Wasmtime {major} records no wasm feature `{name}`"
            ));
        }
        profile.features.insert(name.to_string(), *on);
    }
    // The collector is chosen only while GC types are on.
    if layout.tunable_index("collector").is_some() {
        let body = profile.metadata_body()?;
        let meta = Metadata::decode(&body, profile.release).map_err(|e| e.to_string())?;
        let gc_types = layout
            .feature_by_name("gc_types")
            .is_some_and(|f| meta.features & f.bits == f.bits);
        let index = layout.tunable_index("collector").unwrap_or(0);
        let current = meta.tunables.get(index);
        if !gc_types {
            profile.tunables.insert("collector".into(), Scalar::Null);
        } else if let Some(variant) = collector {
            profile
                .tunables
                .insert("collector".into(), Scalar::Static(variant));
        } else if current == TunableValue::Collector(None) {
            return Err(
                "GC types are on but the profile's collector is none: the collector Wasmtime \
                 picks then depends on the build; give -C collector=…"
                    .into(),
            );
        }
    }
    // Wasmtime refuses relaxed SIMD without SIMD (wasmtime-24.0.13
    // src/config.rs:1955 .. 36.0.20:2494 .. 48.0.8:3034 .. 50.0.1:3122).
    {
        let body = profile.metadata_body()?;
        let meta = Metadata::decode(&body, profile.release).map_err(|e| e.to_string())?;
        let on = |name: &str| {
            layout
                .feature_by_name(name)
                .is_some_and(|f| meta.features & f.bits == f.bits)
        };
        if on("relaxed_simd") && !on("simd") {
            return Err(
                "simd is off but relaxed_simd is on: Wasmtime refuses this engine \
                 (cannot disable the simd proposal but enable the relaxed simd proposal); \
                 give -W relaxed-simd=n too"
                    .into(),
            );
        }
    }
    // Wasmtime refuses async component features without concurrency support.
    if let Some(index) = layout.tunable_index("concurrency_support") {
        let body = profile.metadata_body()?;
        let meta = Metadata::decode(&body, profile.release).map_err(|e| e.to_string())?;
        if meta.tunables.get(index) == TunableValue::Bool(false) {
            let needs = [
                "cm_async",
                "cm_async_builtins",
                "cm_more_async_builtins",
                "cm_async_stackful",
                "cm_threading",
                "cm_error_context",
            ];
            for name in needs {
                if let Some(f) = layout.feature_by_name(name) {
                    if meta.features & f.bits == f.bits {
                        return Err(format!(
                            "concurrency support is off but the {name} feature is on: Wasmtime \
                             refuses this engine (wasmtime-{} src/config.rs, requires_concurrency); \
                             turn the feature off too",
                            profile.release
                        ));
                    }
                }
            }
        }
    }
    Ok(())
}

/// The error for an option `major` does not have in `group`.
fn unknown(major: u32, group: char, key: &str) -> String {
    let known: Vec<&str> = rows_of(major, group)
        .filter(|r| !matches!(r.effect, Refused(_)))
        .map(|r| r.name)
        .collect();
    let refused: Vec<&str> = rows_of(major, group)
        .filter(|r| matches!(r.effect, Refused(_)))
        .map(|r| r.name)
        .collect();
    format!(
        "unknown -{group} ({}) option `{key}` for Wasmtime {major}; host-profile options: {}; \
         known but without a profile form: {}",
        group_name(group),
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        },
        if refused.is_empty() {
            "none".to_string()
        } else {
            refused.join(", ")
        },
    )
}
