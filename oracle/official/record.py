#!/usr/bin/env python3
"""Ground truth from the OFFICIAL prebuilt Wasmtime of each major (24-50).

The `wasmtime` package on PyPI bundles Wasmtime's C-API library. This script
drives that library, one major per process, in two phases:

    record.py compile --major NN --wheel-dir DIR --out CONFORMANCE_DIR
    record.py load    --major NN --wheel-dir DIR --out CONFORMANCE_DIR
    record.py selftest [--major NN --wheel-dir DIR]   # the chain parser's unit check

`compile` builds one engine per preset, compiles MODULE_WAT (and COMPONENT_WAT
where the library has `wasmtime_component_*`) and writes
`vNN/official/artifacts/<preset>.cwasm` plus `vNN/official/presets.json` (the
presets kept, and those dropped with the reason). `load` loads the
(artifact, host preset) pairs that `plan` chooses (a few hundred per major,
about 1,200 for the LTS majors 24, 36 and 48) into real host engines and
writes `vNN/official.json` in the corpus's case format.

    record.py plan  --out CONFORMANCE_DIR [NN ...]   # case counts per family, no wheel needed
    record.py prune --out CONFORMANCE_DIR            # deletes artifacts no case names

Every engine is built and every artifact loaded in a worker subprocess
(`record.py _worker`): the C API aborts the process on some configurations
(`wasm_engine_new_with_config` unwraps `Engine::new`), and a crash must cost
one case, not the run. Python standard library + the wheel only.
"""

import argparse
import ctypes
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# The same WebAssembly as oracle/src/lib.rs.
MODULE_WAT = '(module (func (export "f") (result i32) i32.const 42))'
COMPONENT_WAT = '(component (core module (func (export "f"))))'

# The PyPI package version used for each major (26 does not exist).
PACKAGE_VERSIONS = {
    24: "24.0.0", 25: "25.0.0", 27: "27.0.2", 28: "28.0.0", 29: "29.0.0",
    30: "30.0.0", 31: "31.0.0", 32: "32.0.0", 33: "33.0.0", 34: "34.0.0",
    35: "35.0.0", 36: "36.0.0", 37: "37.0.0", 38: "38.0.0", 39: "39.0.0",
    40: "40.0.0", 41: "41.0.0", 42: "42.0.0", 43: "43.0.0", 44: "44.0.0",
    45: "45.0.0", 46: "46.0.1", 47: "47.0.1", 48: "48.0.0", 49: "49.0.0",
    50: "50.0.1",
}
MAJORS = sorted(PACKAGE_VERSIONS)

# The x86-64 detector names Wasmtime asks `detect_host_feature` about
# (src/release/v48.rs `detected_isa_flags`, second column), with the
# Cranelift flag each one backs.
X86_DETECTORS = [
    ("has_cmpxchg16b", "cmpxchg16b"), ("has_sse3", "sse3"), ("has_ssse3", "ssse3"),
    ("has_sse41", "sse4.1"), ("has_sse42", "sse4.2"), ("has_popcnt", "popcnt"),
    ("has_avx", "avx"), ("has_avx2", "avx2"), ("has_fma", "fma"),
    ("has_avx_vnni", "avxvnni"), ("has_bmi1", "bmi1"), ("has_bmi2", "bmi2"),
    ("has_avx512bitalg", "avx512bitalg"), ("has_avx512dq", "avx512dq"),
    ("has_avx512f", "avx512f"), ("has_avx512vl", "avx512vl"),
    ("has_avx512vbmi", "avx512vbmi"), ("has_avx512vnni", "avx512vnni"),
    ("has_lzcnt", "lzcnt"),
]

# At most this many module presets per major (artifact budget: all majors
# together stay under 15 MB). Candidates are kept in the order listed in
# `candidates()`; the rest are dropped as "over the per-major budget".
MAX_PRESETS = 40

# ---------------------------------------------------------------------------
# Error chains
# ---------------------------------------------------------------------------


def parse_chain(text):
    """Parses `str(WasmtimeError)` (anyhow's / wasmtime's `{:?}`) into the
    chain, outermost first.

    The format is `outer`, then optionally `\\n\\nCaused by:` and one line per
    cause: `\\n    cause` when there is one cause, `\\n{n:>5}: cause` when
    there are several; continuation lines of a multi-line cause are indented
    by 4 (one cause) or 7 (numbered) spaces. Libraries from 42 on end the
    cause list with one more `\\n`. A `\\n\\nStack backtrace:` tail (when
    RUST_BACKTRACE is set) is dropped.
    """
    cut = text.find("\n\nStack backtrace:\n")
    if cut >= 0:
        text = text[:cut]
    head, sep, causes = text.partition("\n\nCaused by:\n")
    if not sep:
        return [text]
    if causes.endswith("\n"):
        causes = causes[:-1]
    lines = causes.split("\n")
    chain = [head]
    if re.match(r"^    0: ", lines[0]):
        n = 0
        for line in lines:
            tag = "{:>5}: ".format(n)
            if line.startswith(tag):
                chain.append(line[len(tag):])
                n += 1
            elif line.startswith(" " * 7):
                chain[-1] += "\n" + line[7:]
            else:
                raise ValueError("unparsable cause line %r in %r" % (line, text))
    else:
        body = []
        for line in lines:
            if line.startswith("    ") or line == "":
                body.append(line[4:])
            else:
                raise ValueError("unparsable cause line %r in %r" % (line, text))
        chain.append("\n".join(body))
    return chain


# Rule IDs of spec/cwasm.md, read off a chain: (pattern on the message, rule).
# The outermost message decides, except under the wrapper of sections 5.1 and
# 5.2, where the cause does.
WRAPPER = "compilation settings of module incompatible with native host"
MESSAGE_RULES = [
    (r"failed to parse precompiled artifact as an ELF", "elf.parse"),
    (r"failed to parse header endianness", "elf.endianness"),
    (r"incompatible object file format", "elf.kind"),
    (r"failed to parse section headers", "elf.section-headers"),
    (r"failed to parse strings table", "elf.section-strings"),
    (r"failed to parse sections table", "elf.sections"),
    (r"Invalid ELF section name offset", "elf.section-name"),
    (r"failed to find section `\.wasmtime\.engine`", "section.find"),
    (r"Invalid ELF section size or offset", "section.data"),
    (r"invalid engine section", "section.version-byte"),  # 1 byte: section.version-length
    (r"mismatched version in engine section", "section.version-byte"),
    (r"engine section too small", "section.too-small"),
    (r"invalid utf-8 sequence of \d+ bytes from index \d+", "version.utf8"),
    (r"incomplete utf-8 byte sequence from index \d+", "version.utf8"),
    (r"Module was compiled with incompatible (Wasmtime )?version '.*'", "version.match"),
    (r"Hit the end of buffer, expected more data", "metadata.decode"),
    (r"Found a varint that didn't terminate\. Is the usize too big for this platform\?", "metadata.decode"),
    (r"Found a bool that wasn't 0 or 1", "metadata.decode"),
    (r"Found an Option discriminant that wasn't 0 or 1", "metadata.decode"),
    (r"Tried to parse invalid utf-8", "metadata.decode"),
    (r"Serde Deserialization Error", "metadata.decode"),
    (r"Unrecognized (architecture|vendor|operating system|environment|binary format): .*", "compat.target.parse"),
    (r"Module was compiled for architecture '.*'", "compat.target.architecture"),
    (r"Module was compiled for operating system '.*'", "compat.target.operating-system"),
    # 5.1 / 5.2, under WRAPPER
    (r"unknown shared setting \".*\" configured to .*", "compat.shared-flags.unknown"),
    (r"setting \".*\" is configured to .* which is not supported", "compat.shared-flags.value"),
    (r"stack-switching feature not supported on this platform", "compat.shared-flags.stack-switching-platform"),
    (r"wrong host pointer width", "compat.isa-flags.pointer-width"),
    (r"isa-specific feature \".*\" configured to unknown value .*", "compat.isa-flags.value"),
    (r"wrong host endianness", "compat.isa-flags.endianness"),
    (r"don't know how to test for target-specific flag \".*\" at runtime", "compat.isa-flags.unknown"),
    (r"compilation setting \".*\" is enabled, but not available on the host", "compat.isa-flags.detected"),
    (r"failed to detect if target-specific flag .* is available at runtime.*", "compat.isa-flags.undetectable"),
    (r"cannot determine if host feature .* is available at runtime.*", "compat.isa-flags.undetectable"),
    # 5.3
    (r"module was compiled with GC however GC is disabled in the host", "compat.tunables.collector"),
    (r"module was compiled for the .* collector but the host is configured to use the .* collector", "compat.tunables.collector"),
    (r"module was compiled without GC but GC is enabled in the host", "compat.tunables.collector"),
    (r"Module costs are incompatible", "compat.tunables.operator-cost"),
    (r"module was compiled .* however the host is configured .*", "compat.tunables.inlining"),
    (r"Module was compiled with support for WebAssembly feature `.*` but it is not enabled for the host", "compat.features"),
    (r"Module was compiled without support for WebAssembly feature `.*` but it is enabled for the host", "compat.features"),
    # 24-32 name each feature in their own words.
    (r"Module was compiled (with|without) WebAssembly .* support but it (is|is not) enabled for the host", "compat.features"),
    # 3.2
    (r"failed to parse internal compilation artifact", "load.section-data"),
    (r"invalid section name in Wasm compilation artifact", "load.section-name"),
    (r"section `.*` isn't aligned to 0x[0-9a-f]+", "load.section-alignment"),
    (r"section \".*\" isn't aligned to 0x[0-9a-f]+", "load.section-alignment"),
    (r"invalid ELF `sh_info` for relocation section", "load.relocations"),
    (r"section \".*\" has unexpected relocations \(defined in section \".*\"\)", "load.relocations"),
    (r"unexpected section \".*\" in Wasm compilation artifact", "load.section-known"),
    (r"invalid `\.wasmtime\.bti` section", "load.bti"),
    (r"invalid \"\.wasmtime\.bti\" section", "load.bti"),
    (r"missing `\.wasmtime\.bti` section", "load.bti"),
]
# `Module was compiled {with|without} {what} but it {is|is not} enabled for the host`
BOOL_TUNABLES = {
    "debug information support": "compat.tunables.generate-native-debuginfo",
    "native debug information support": "compat.tunables.debug-native",
    "WebAssembly backtrace support": "compat.tunables.parse-wasm-debuginfo",
    "fuel support": "compat.tunables.consume-fuel",
    "epoch interruption": "compat.tunables.epoch-interruption",
    "memory may move": "compat.tunables.memory-may-move",
    "guard before linear memory": "compat.tunables.guard-before-linear-memory",
    "table lazy init": "compat.tunables.table-lazy-init",
    "relaxed simd deterministic semantics": "compat.tunables.relaxed-simd-deterministic",
    "Winch calling convention": "compat.tunables.winch-callable",
    "Signals-based traps": "compat.tunables.signals-based-traps",
    "memory initialization with CoW": "compat.tunables.memory-init-cow",
    "function inlining": "compat.tunables.inlining",
    "guest debug": "compat.tunables.debug-guest",
    "debug symbols": "compat.tunables.debug-symbols",
    "concurrency support": "compat.tunables.concurrency-support",
    "RR recording support": "compat.tunables.recording",
    "GC heap may move": "compat.tunables.gc-heap-may-move",
    "pooling allocation support": "compat.tunables.static-memory-bound-is-maximum",
    "AddressSanitizer stack-switching support": "compat.tunables.asan-stack-switching",
}
# `Module was compiled with a {what} of '{found}' but '{expected}' is expected for the host`
INT_TUNABLES = {
    "memory reservation": "compat.tunables.memory-reservation",
    "memory guard size": "compat.tunables.memory-guard-size",
    "function inlining small-callee size": "compat.tunables.inlining-small-callee-size",
    "function inlining sum-size threshold": "compat.tunables.inlining-sum-size-threshold",
    "GC heap reservation": "compat.tunables.gc-heap-reservation",
    "GC heap guard size": "compat.tunables.gc-heap-guard-size",
    "GC heap initial size": "compat.tunables.gc-heap-initial-size",
    "static memory reservation": "compat.tunables.static-memory-reservation",
    "static memory guard size": "compat.tunables.static-memory-offset-guard-size",
    "dynamic memory guard size": "compat.tunables.dynamic-memory-offset-guard-size",
}


def rule_of(chain, major):
    """The spec rule of a rejection, or "unmapped"."""
    message = chain[0]
    if message == WRAPPER and len(chain) > 1:
        message = chain[1]
    m = re.fullmatch(r"Module was compiled (?:with|without) (.*) but it (?:is|is not) enabled for the host", message)
    if m and m.group(1) in BOOL_TUNABLES:
        return BOOL_TUNABLES[m.group(1)]
    m = re.fullmatch(r"Module was compiled with a (.*) of '.*' but '.*' is expected for the host", message)
    if m and m.group(1) in INT_TUNABLES:
        return INT_TUNABLES[m.group(1)]
    for pattern, rule in MESSAGE_RULES:
        if re.fullmatch(pattern, message, re.S):
            if rule == "compat.tunables.inlining" and major <= 44:
                return "compat.tunables.inlining-intra-module"
            return rule
    return "unmapped"


# ---------------------------------------------------------------------------
# ELF
# ---------------------------------------------------------------------------


def engine_section(data):
    """(section header offset, data offset, size) of the first
    `.wasmtime.engine` section, or None."""
    try:
        shoff, = struct.unpack_from("<Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)

        def header(i):
            return struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)

        strtab = header(shstrndx)[4]
        for i in range(shnum):
            h = header(i)
            start = strtab + h[0]
            if data[start:data.index(b"\0", start)] == b".wasmtime.engine":
                return shoff + i * shentsize, h[4], h[5]
    except (struct.error, ValueError, IndexError, OverflowError):
        return None
    return None


def engine_bytes(data):
    loc = engine_section(data)
    return data[loc[1]:loc[1] + loc[2]] if loc else None


def version_string(data):
    sec = engine_bytes(data)
    return sec[2:2 + sec[1]].decode("utf-8", "replace")


def kind_of(data):
    """`module` or `component`, by the artifact's `e_flags` kind bit."""
    if len(data) >= 52:
        flags, = struct.unpack_from("<I", data, 48)
        if not flags & 1 and flags & 2:
            return "component"
    return "module"


def apply_edits(data, edits):
    data = bytearray(data)
    for e in edits:
        if "truncate" in e:
            del data[e["truncate"]:]
        elif "set_byte" in e:
            at, v = e["set_byte"]
            data[at] = v
        elif "set_u64" in e:
            at, v = e["set_u64"]
            data[at:at + 8] = struct.pack("<Q", v)
    return bytes(data)


# ---------------------------------------------------------------------------
# Presets
# ---------------------------------------------------------------------------
#
# A preset is one knob, written so that it is also a file name
# ([a-z0-9_.=-], starting with a letter):
#   default                  Config() as is (native target, native ISA flags)
#   NAME / NAME-off          a boolean knob set to true / false
#   NAME=N                   an integer knob
#   opt-level=none           cranelift_opt_level
#   regalloc=single_pass     cranelift_regalloc_algorithm
#   winch                    strategy Winch (enum value 2)
#   target=TRIPLE            wasmtime_config_target_set
#   isa=FLAG / isa-off=FLAG  cranelift_flag_enable / cranelift_flag_set(FLAG, "false")
#   KNOB.KNOB                several knobs, applied in order
# NAME is the C setter's name without `wasmtime_config_` and `_set`, with
# `-` for `_`, or one of the aliases below.
ALIASES = {
    "fuel": "consume_fuel",
    "epoch": "epoch_interruption",
    "debug-info": "debug_info",
    "nan-canonicalization": "cranelift_nan_canonicalization",
    "debug-verifier": "cranelift_debug_verifier",
}

# Boolean knobs, each tried both ways; the value that changes the artifact is
# kept. BOOL_KNOBS come first, LATE_BOOL_KNOBS after every other candidate
# (the budget keeps the first ones).
BOOL_KNOBS = [
    "fuel", "epoch", "debug-info", "nan-canonicalization", "debug-verifier",
    "memory-may-move", "memory-init-cow", "signals-based-traps",
    "native-unwind-info", "static-memory-forced", "gc-support",
    "concurrency-support", "wasm-relaxed-simd-deterministic",
    "wasm-threads", "wasm-tail-call", "wasm-reference-types",
    "wasm-function-references", "wasm-gc", "wasm-simd", "wasm-relaxed-simd",
    "wasm-bulk-memory", "wasm-multi-value", "wasm-multi-memory",
    "wasm-memory64", "wasm-wide-arithmetic", "wasm-custom-page-sizes",
    "wasm-exceptions", "wasm-stack-switching", "wasm-component-model",
]
LATE_BOOL_KNOBS = [
    "wasm-branch-hinting", "wasm-component-model-async", "wasm-component-model-map",
    "wasm-compact-imports", "wasm-component-model-async-stackful",
    "wasm-component-model-more-async-builtins", "wasm-component-model-implements",
    "wasm-component-model-accessors", "wasm-component-model-canonical-names",
    "async-support", "shared-memory",
]


def prerequisite(error, knob):
    """When building `knob` failed because another setting must change
    first, that setting as a knob; else None."""
    on = not knob.endswith("-off")
    name = knob[:-4] if not on else knob
    m = re.search(r"feature '(\w+)' requires '(\w+)' to be enabled", error)
    if m:
        a, b = ("wasm-" + x.replace("_", "-") for x in m.groups())
        if on and name == a:
            return b
        if not on and name == b:
            return a + "-off"
    if "cannot disable the simd proposal but enable the relaxed simd proposal" in error:
        return "wasm-relaxed-simd-off"
    m = re.search(r"the ([\w-]+) feature requires the wasm reference-types proposal", error)
    if m and knob == "wasm-reference-types-off":
        return "wasm-%s-off" % m.group(1)
    return None


INT_KNOBS = [
    ("memory-reservation", 1 << 30),
    ("memory-guard-size", 65536),
    ("memory-reservation-for-growth", 0),
    ("static-memory-maximum-size", 1 << 30),
    ("static-memory-guard-size", 65536),
    ("dynamic-memory-guard-size", 65536),
    ("dynamic-memory-reserved-for-growth", 0),
]
TARGETS = [
    "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu",
    "riscv64gc-unknown-linux-gnu", "s390x-unknown-linux-gnu", "pulley64",
    "x86_64-pc-windows-msvc", "x86_64-apple-darwin",
]


def symbol(name):
    return "wasmtime_config_%s_set" % ALIASES.get(name, name).replace("-", "_")


def candidates(dll, cpu):
    """Every preset this library's symbols allow, in priority order: a list
    of (group, [variants]); the compile phase keeps the variants that change
    the artifact."""
    out = []
    for name in BOOL_KNOBS:
        if hasattr(dll, symbol(name)):
            out.append((name, [name, name + "-off"]))
    for name, value in INT_KNOBS:
        if hasattr(dll, symbol(name)):
            out.append((name, ["%s=%d" % (name, value)]))
    out.append(("opt-level", ["opt-level=none"]))
    if hasattr(dll, "wasmtime_config_cranelift_regalloc_algorithm_set"):
        out.append(("regalloc", ["regalloc=single_pass"]))
    out.append(("winch", ["winch"]))
    for t in TARGETS:
        out.append(("target=" + t, ["target=" + t]))
    lacking = [flag for flag, det in X86_DETECTORS if det not in cpu]
    for flag in lacking[:2]:
        out.append(("isa=" + flag, ["isa=" + flag]))
    out.append(("isa-off=has_avx2", ["isa-off=has_avx2"]))
    for name in LATE_BOOL_KNOBS:
        if hasattr(dll, symbol(name)):
            out.append((name, [name, name + "-off"]))
    return out, lacking


# ---------------------------------------------------------------------------
# The worker: one wheel, one process; engines and loads on request.
# ---------------------------------------------------------------------------


class Wheel:
    def __init__(self, wheel_dir):
        os.environ["RUST_BACKTRACE"] = "0"
        os.environ["RUST_LIB_BACKTRACE"] = "0"
        sys.path.insert(0, wheel_dir)
        import wasmtime
        from wasmtime import _ffi as ffi
        self.wt = wasmtime
        self.ffi = ffi
        self.dll = ffi.dll
        self.hosts = {}
        self.components = hasattr(self.dll, "wasmtime_component_new")
        d = self.dll
        vp = ctypes.c_void_p
        if self.components:
            d.wasmtime_component_new.restype = vp
            d.wasmtime_component_new.argtypes = [vp, vp, ctypes.c_size_t, ctypes.POINTER(vp)]
            d.wasmtime_component_deserialize.restype = vp
            d.wasmtime_component_deserialize.argtypes = [vp, vp, ctypes.c_size_t, ctypes.POINTER(vp)]
            d.wasmtime_component_serialize.restype = vp
            d.wasmtime_component_serialize.argtypes = [vp, vp]
            d.wasmtime_component_delete.restype = None
            d.wasmtime_component_delete.argtypes = [vp]

    def error(self, ptr):
        err = self.wt.WasmtimeError._from_ptr(ctypes.cast(ptr, ctypes.POINTER(self.ffi.wasmtime_error_t)))
        return parse_chain(str(err))

    def config(self, preset):
        c = self.wt.Config()
        if preset == "default":
            return c
        for knob in preset.split("."):
            self.apply(c, knob)
        return c

    def apply(self, c, knob):
        d = self.dll
        p = ctypes.c_void_p(ctypes.addressof(c.ptr().contents))
        name, eq, value = knob.partition("=")

        def call(sym, argtypes, *args, restype=None):
            f = getattr(d, sym)
            f.argtypes = [ctypes.c_void_p] + argtypes
            f.restype = restype
            return f(p, *args)

        if name == "target":
            err = call("wasmtime_config_target_set", [ctypes.c_char_p], value.encode(), restype=ctypes.c_void_p)
            if err:
                raise RuntimeError(": ".join(self.error(err)))
        elif name == "isa":
            call("wasmtime_config_cranelift_flag_enable", [ctypes.c_char_p], value.encode())
        elif name == "isa-off":
            call("wasmtime_config_cranelift_flag_set", [ctypes.c_char_p, ctypes.c_char_p], value.encode(), b"false")
        elif name == "opt-level":
            call("wasmtime_config_cranelift_opt_level_set", [ctypes.c_uint8], {"none": 0, "speed": 1, "speed_and_size": 2}[value])
        elif name == "regalloc":
            call("wasmtime_config_cranelift_regalloc_algorithm_set", [ctypes.c_uint8], {"backtracking": 0, "single_pass": 1}[value])
        elif name == "winch":
            call("wasmtime_config_strategy_set", [ctypes.c_uint8], 2)
        elif eq:
            call(symbol(name), [ctypes.c_uint64], int(value))
        elif name.endswith("-off"):
            call(symbol(name[:-4]), [ctypes.c_bool], False)
        else:
            call(symbol(name), [ctypes.c_bool], True)

    def engine(self, preset):
        if preset not in self.hosts:
            self.hosts[preset] = self.wt.Engine(self.config(preset))
        return self.hosts[preset]

    def compile(self, preset, component):
        engine = self.engine(preset)
        if not component:
            return bytes(self.wt.Module(engine, MODULE_WAT).serialize())
        wasm = self.wt.wat2wasm(COMPONENT_WAT)
        buf = (ctypes.c_uint8 * len(wasm)).from_buffer_copy(wasm)
        out = ctypes.c_void_p()
        eng = ctypes.c_void_p(ctypes.addressof(engine.ptr().contents))
        err = self.dll.wasmtime_component_new(eng, buf, len(wasm), ctypes.byref(out))
        if err:
            raise RuntimeError(": ".join(self.error(err)))
        vec = self.ffi.wasm_byte_vec_t()
        err = self.dll.wasmtime_component_serialize(out, ctypes.addressof(vec))
        if err:
            raise RuntimeError(": ".join(self.error(err)))
        data = bytes(self.ffi.to_bytes(vec)) if hasattr(self.ffi, "to_bytes") else ctypes.string_at(vec.data, vec.size)
        self.ffi.wasm_byte_vec_delete(ctypes.byref(vec))
        self.dll.wasmtime_component_delete(out)
        return data

    def load(self, preset, data, kind):
        """None when accepted, else the error chain."""
        engine = self.engine(preset)
        if kind == "module":
            try:
                self.wt.Module.deserialize(engine, data)
                return None
            except self.wt.WasmtimeError as e:
                return parse_chain(str(e))
        buf = (ctypes.c_uint8 * max(len(data), 1)).from_buffer_copy(data + b"\0")
        out = ctypes.c_void_p()
        eng = ctypes.c_void_p(ctypes.addressof(engine.ptr().contents))
        err = self.dll.wasmtime_component_deserialize(eng, buf, len(data), ctypes.byref(out))
        if err:
            return self.error(err)
        self.dll.wasmtime_component_delete(out)
        return None


def worker_main(args):
    wheel = Wheel(args.wheel_dir)
    for line in sys.stdin:
        job = json.loads(line)
        try:
            if job["op"] == "compile":
                data = wheel.compile(job["preset"], job.get("component", False))
                with open(job["path"], "wb") as f:
                    f.write(data)
                result = {"ok": True}
            elif job["op"] == "load":
                with open(job["artifact"], "rb") as f:
                    data = apply_edits(f.read(), job.get("edits", []))
                result = {"ok": True, "chain": wheel.load(job["host"], data, job["kind"])}
            elif job["op"] == "error":
                # For the parser check: a real error with the given text of WAT.
                try:
                    wheel.wt.Module(wheel.engine("default"), job["wasm"].encode("latin-1"))
                    result = {"ok": True, "raw": None}
                except wheel.wt.WasmtimeError as e:
                    result = {"ok": True, "raw": str(e)}
            else:
                result = {"ok": False, "error": "unknown op"}
        except Exception as e:  # reported to the parent, which decides
            result = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


class Worker:
    """A `_worker` subprocess, restarted after a crash."""

    def __init__(self, major, wheel_dir):
        self.argv = [sys.executable, os.path.abspath(__file__), "_worker",
                     "--major", str(major), "--wheel-dir", wheel_dir]
        self.proc = None
        self.crashes = []

    def start(self):
        self.err = tempfile.TemporaryFile()
        env = dict(os.environ, RUST_BACKTRACE="0", RUST_LIB_BACKTRACE="0")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.err, text=True, env=env)

    def run(self, job):
        if self.proc is None:
            self.start()
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if line:
            return json.loads(line)
        self.proc.wait()
        self.err.seek(0)
        text = self.err.read().decode("utf-8", "replace")
        panic = [l for l in text.splitlines() if l.strip() and not l.startswith("note:")]
        reason = " / ".join(panic[-2:]) or "exit status %s" % self.proc.returncode
        reason = re.sub(r"thread '([^']*)' \(\d+\) panicked", r"thread '\1' panicked", reason)  # no thread ids
        self.proc = None
        self.crashes.append((job, reason))
        return {"ok": False, "crash": True, "error": "process died: " + reason}

    def close(self):
        if self.proc:
            self.proc.stdin.close()
            self.proc.wait()
            self.proc = None


# ---------------------------------------------------------------------------
# CPU
# ---------------------------------------------------------------------------


def native_cpu():
    """What std::is_x86_feature_detected! says for each detector name."""
    with tempfile.TemporaryDirectory() as tmp:
        exe = os.path.join(tmp, "native_cpu")
        subprocess.run(["rustc", "-O", "--edition", "2021", os.path.join(HERE, "native_cpu.rs"), "-o", exe],
                       check=True, cwd=tmp)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    return json.loads(out)


# ---------------------------------------------------------------------------
# Phase 1: compile
# ---------------------------------------------------------------------------


def official_dir(out, major):
    return os.path.join(out, "v%d" % major, "official")


def compile_main(args):
    major = args.major
    sys.path.insert(0, args.wheel_dir)
    from wasmtime import _ffi as ffi
    dll = ffi.dll
    cpu = native_cpu()
    cands, lacking = candidates(dll, cpu)
    worker = Worker(major, args.wheel_dir)
    tmp = tempfile.mkdtemp(prefix="cwasm-official-%d-" % major)
    dropped = []

    def build(preset, component=False):
        path = os.path.join(tmp, ("component-" if component else "") + preset + ".cwasm")
        r = worker.run({"op": "compile", "preset": preset, "component": component, "path": path})
        if not r["ok"]:
            return None, r["error"]
        with open(path, "rb") as f:
            return f.read(), None

    default, err = build("default")
    if default is None:
        sys.exit("major %d: the default preset does not compile: %s" % (major, err))
    kept = [("default", default)]
    seen = {engine_bytes(default): "default"}
    for group, variants in cands:
        built = []
        for v in variants:
            data, err = build(v)
            tries = 0
            while data is None and tries < 3:
                pre = prerequisite(err, v.split(".")[-1])
                if pre is None or pre in v.split("."):
                    break
                v = pre + "." + v
                data, err = build(v)
                tries += 1
            if data is None:
                dropped.append({"preset": v, "reason": err})
            else:
                built.append((v, data))
        same_as_default = [v for v, data in built if seen.get(engine_bytes(data)) == "default"]
        if len(variants) == 2 and len(same_as_default) == 2:
            dropped.append({"preset": group, "reason": "no effect: both values give the default engine section"})
            continue
        for v, data in built:
            sec = engine_bytes(data)
            if sec in seen:
                if len(variants) == 2 and seen[sec] == "default":
                    continue  # this variant is the library's default value
                dropped.append({"preset": v, "reason": "same engine section as `%s`" % seen[sec]})
                continue
            if len(kept) >= MAX_PRESETS:
                dropped.append({"preset": v, "reason": "over the per-major budget of %d presets" % MAX_PRESETS})
                continue
            seen[sec] = v
            kept.append((v, data))
    if not [1 for g, _ in cands if g.startswith("isa=")]:
        dropped.append({"preset": "isa=<flag>", "reason": "this CPU has every x86-64 flag Wasmtime detects (%s)" % ", ".join(cpu)})

    components = []
    if worker_components(dll):
        for preset in ["default", "epoch"]:
            if preset in dict(kept):
                data, err = build(preset, component=True)
                if data is None:
                    dropped.append({"preset": "component-" + preset, "reason": err})
                else:
                    components.append(("component-" + preset, preset, data))
    worker.close()

    odir = official_dir(args.out, major)
    adir = os.path.join(odir, "artifacts")
    if os.path.isdir(adir):
        shutil.rmtree(adir)
    os.makedirs(adir)
    for name, data in kept:
        with open(os.path.join(adir, name + ".cwasm"), "wb") as f:
            f.write(data)
    for name, _, data in components:
        with open(os.path.join(adir, name + ".cwasm"), "wb") as f:
            f.write(data)
    shutil.rmtree(tmp)
    manifest = {
        "major": major,
        "package": PACKAGE_VERSIONS[major],
        "library_version": version_string(default),
        "presets": [name for name, _ in kept],
        "components": [{"artifact": name, "preset": preset} for name, preset, _ in components],
        "dropped": dropped,
        "cpu_lacks": lacking,
    }
    with open(os.path.join(odir, "presets.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    size = sum(os.path.getsize(os.path.join(adir, n)) for n in os.listdir(adir))
    print("v%d: library %s, %d presets, %d component artifacts, %d dropped, %d bytes" % (
        major, manifest["library_version"], len(kept), len(components), len(dropped), size))


def worker_components(dll):
    return hasattr(dll, "wasmtime_component_new")


# ---------------------------------------------------------------------------
# Phase 2: load
# ---------------------------------------------------------------------------


def camel(name):
    """`wasm-simd-off` -> `WasmSimdOff`, `target=x86_64-pc-windows-msvc` ->
    `TargetX86_64PcWindowsMsvc`."""
    out = ""
    for piece in re.split(r"[-=._,+]+", name):
        if not piece:
            continue
        if out and out[-1].isdigit() and piece[0].isdigit():
            out += "_"
        out += piece[0].upper() + piece[1:]
    return out


def crate_camel(stem):
    """Names of the crates.io corpus files: `no-threads` is `NoThreads`,
    `with-wide_arithmetic` `WithWideArithmetic`."""
    return camel(stem)


# Case budget. The tests replay every case in its own CLI process, so each
# major keeps a few hundred cases chosen for what they tell apart; the LTS
# majors (24, 36, 48) keep about 1,200, most of them own-major pairs.
LTS = (24, 36, 48)
LTS_BUDGET = 1200
CRATES_LIMIT = 60
# Crates.io corpus files that are byte edits of its default artifact or
# re-encoded Metadata: that corpus already has their verdicts.
CRATES_SKIP = ("malformed-", "synthetic-")


def spread(items, n):
    """`n` of `items`, evenly spaced in their order (all when n >= len)."""
    if n >= len(items):
        return list(items)
    if n <= 0:
        return []
    return [items[(i * len(items)) // n] for i in range(n)]


def crates_selection(cdir, limit=CRATES_LIMIT):
    """At most `limit` files of the crates.io corpus, sorted. Only one file
    per distinct (kind, engine section) unless there is room to spare: every
    named preset, then files of the `each-tunable-*`, `each-feature-*` and
    `one-bit-*` series evenly spaced in that order."""
    def group(name):
        for i, prefix in enumerate(("each-tunable-", "each-feature-", "one-bit-")):
            if name.startswith(prefix):
                return i + 1
        return 0
    names = sorted((n for n in os.listdir(cdir) if n.endswith(".cwasm") and not n.startswith(CRATES_SKIP)),
                   key=lambda n: (group(n), n))
    seen, first, rest = set(), [], []
    for name in names:
        with open(os.path.join(cdir, name), "rb") as f:
            data = f.read()
        sec = engine_bytes(data)
        key = (kind_of(data), sec if sec is not None else data)
        (rest if key in seen else first).append(name)
        seen.add(key)
    named = [n for n in first if group(n) == 0]
    series = [n for n in first if group(n) > 0]
    chosen = (named + spread(series, limit - len(named)))[:limit]
    return sorted(chosen + rest[:max(0, limit - len(chosen))])


def section_bounds(data):
    """Start and end offsets of every section with file data, and the
    section header table's start."""
    out = set()
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, _ = struct.unpack_from("<HHH", data, 0x3A)
    out.add(shoff)
    for i in range(1, shnum):
        _, typ, _, _, off, size, _, _, _, _ = struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize)
        if typ != 8:  # SHT_NOBITS has no file data
            out.update([off, off + size])
    return out


def plan(major, out):
    """The cases of `major`, without verdicts: (manifest, [spec]). A spec is
    a dict with id, artifact, host, what, kind, edits, section_len. Reads
    presets.json (this major's and its neighbours'), the artifacts and the
    crates.io corpus; needs no wheel."""
    odir = official_dir(out, major)
    vdir = os.path.join(out, "v%d" % major)
    with open(os.path.join(odir, "presets.json")) as f:
        manifest = json.load(f)
    presets = manifest["presets"]
    comps = manifest["components"]
    specs = []
    by_id = {}

    def art(preset):
        return "official/artifacts/%s.cwasm" % preset

    def case(cid, artifact, host, what, kind=None, edits=None, section_len=None):
        full = "Required.V%d.Official.%s" % (major, cid)
        if kind is None:
            with open(os.path.normpath(os.path.join(vdir, artifact)), "rb") as f:
                kind = kind_of(f.read())
        spec = {"id": full, "artifact": artifact, "host": host, "what": what, "kind": kind,
                "edits": edits or [], "section_len": section_len}
        if full in by_id:
            if by_id[full] != spec:
                raise SystemExit("v%d: case id %s names two different cases" % (major, full))
            return
        by_id[full] = spec
        specs.append(spec)

    def pair(a, h):
        case("Pair.%s.On%s" % (camel(a), camel(h)), art(a), h, "preset `%s`" % a)

    # Own major: each artifact on its own host and on the default host, the
    # default artifact on every host. Components: each on the default host
    # and on its own, and the kinds crossed.
    for a in presets:
        pair(a, a)
        pair(a, "default")
        pair("default", a)
    for comp in comps:
        name, preset = comp["artifact"], comp["preset"]
        for h in sorted({"default", preset}, key=presets.index):
            case("Component.%s.On%s" % (camel(preset), camel(h)), art(name), h,
                 "preset `%s`, component" % preset, kind="component")
        case("Kind.Component%sAsModule" % camel(preset), art(name), "default",
             "preset `%s`, component" % preset, kind="module")
    if comps:
        case("Kind.ModuleAsComponent", art("default"), "default", "preset `default`", kind="component")

    # Neighbours (previous and next major): each of their artifacts on the
    # default host, their default artifact on every host.
    i = MAJORS.index(major)
    for mm in [MAJORS[j] for j in (i - 1, i + 1) if 0 <= j < len(MAJORS)]:
        npath = os.path.join(out, "v%d" % mm, "official", "presets.json")
        if not os.path.exists(npath):
            print("v%d: no artifacts of v%d yet; neighbour cases skipped" % (major, mm), file=sys.stderr)
            continue
        with open(npath) as f:
            nman = json.load(f)
        nart = lambda p: "../v%d/official/artifacts/%s.cwasm" % (mm, p)
        what = lambda p: "v%d preset `%s` (PyPI wasmtime==%s)" % (mm, p, PACKAGE_VERSIONS[mm])
        for p in nman["presets"]:
            case("Neighbour.V%d.%s.OnDefault" % (mm, camel(p)), nart(p), "default", what(p))
        if comps:
            for comp in nman["components"]:
                case("Neighbour.V%d.Component%s.OnDefault" % (mm, camel(comp["preset"])), nart(comp["artifact"]),
                     "default", what(comp["preset"]) + ", component", kind="component")
        for h in presets:
            case("Neighbour.V%d.Default.On%s" % (mm, camel(h)), nart("default"), h, what("default"))

    # The crates.io corpus (36.0.20, 48.0.8) on the default host.
    if major in (36, 48):
        cdir = os.path.join(vdir, "artifacts")
        full_version = {36: "36.0.20", 48: "48.0.8"}[major]
        for name in crates_selection(cdir):
            stem = name[:-len(".cwasm")]
            kind = "component" if stem.startswith("component-") else "module"
            if kind == "component" and not comps:
                continue
            case("Crates.%s.OnDefault" % crate_camel(stem), "artifacts/" + name, "default",
                 "crates.io wasmtime %s corpus `artifacts/%s`" % (full_version, name), kind=kind)

    # Byte edits of the default artifact, on the default host.
    with open(os.path.join(vdir, art("default")), "rb") as f:
        base = f.read()
    hdr, doff, dsize = engine_section(base)
    lengths = set(range(0, min(81, dsize))) | set(range(80, dsize, 16)) | {dsize - 3, dsize - 2, dsize - 1}
    for n in sorted(x for x in lengths if 0 <= x < dsize):
        case("Malformed.Truncation.Engine%d" % n, art("default"), "default",
             "preset `default`, engine section's sh_size set to %d" % n,
             edits=[{"set_u64": [hdr + 32, n]}], section_len=n)
    cuts = set(range(0, len(base), 1024)) | section_bounds(base) | {doff + dsize - 1, len(base) - 1}
    for n in sorted(x for x in cuts if 0 <= x < len(base)):
        case("Malformed.Truncation.File%d" % n, art("default"), "default",
             "preset `default`, file cut to %d bytes" % n, edits=[{"truncate": n}])
    for region, start, count in [("Elf", 0, 64), ("Engine", doff, 40)]:
        for k in range(count):
            at = start + k
            for v in sorted({0x00, 0xFF} - {base[at]}):
                case("Malformed.Byte.%s.Byte%d.To%02x" % (region, k, v), art("default"), "default",
                     "preset `default`, byte %d set to %#04x" % (at, v), edits=[{"set_byte": [at, v]}])

    # LTS majors: the rest of the own-major cross, every pair when the
    # budget allows, else evenly spaced pairs in (artifact, host) preset
    # order; and the default component on every host.
    if major in LTS:
        for h in presets:
            if comps:
                case("Component.Default.On%s" % camel(h), art("component-default"), h,
                     "preset `default`, component", kind="component")
        rest = [(a, h) for a in presets for h in presets
                if "Required.V%d.Official.Pair.%s.On%s" % (major, camel(a), camel(h)) not in by_id]
        for a, h in spread(rest, LTS_BUDGET - len(specs)):
            pair(a, h)
    return manifest, specs


def load_main(args):
    major = args.major
    selftest_chain(args.wheel_dir)
    vdir = os.path.join(args.out, "v%d" % major)
    manifest, specs = plan(major, args.out)
    presets = manifest["presets"]
    pkg = PACKAGE_VERSIONS[major]
    cpu = native_cpu()
    worker = Worker(major, args.wheel_dir)
    if manifest["components"] and not worker_components_of(args.wheel_dir):
        sys.exit("components recorded but the wheel has no component API")

    def art(preset):
        return "official/artifacts/%s.cwasm" % preset

    witness_version = {}
    for p in presets:
        with open(os.path.join(vdir, art(p)), "rb") as f:
            witness_version[p] = version_string(f.read())
    libver = witness_version["default"]
    shown = libver if "." in libver else pkg
    prov = "official C-API wasmtime %s (PyPI wasmtime==%s)" % (shown, pkg)

    cases = []
    unmapped = {}
    crashes = []
    for s in specs:
        full, artifact, host, edits = s["id"], s["artifact"], s["host"], s["edits"]
        job = {"op": "load", "host": host, "artifact": os.path.normpath(os.path.join(vdir, artifact)),
               "kind": s["kind"]}
        if edits:
            job["edits"] = edits
        r = worker.run(job)
        if not r["ok"]:
            crashes.append((full, r["error"]))
            continue
        c = {"id": full, "artifact": artifact}
        if edits:
            c["edits"] = edits
        c["kind"] = s["kind"]
        c["host"] = {
            "release": witness_version[host],
            "config": host,
            "witness": art(host),
            "module_version": "default",
            "cpu_features": cpu,
        }
        if r["chain"] is None:
            c["expect"] = {"compatible": True}
            c["rules"] = []
        else:
            chain = r["chain"]
            c["expect"] = {"compatible": False, "chain": chain}
            rule = rule_of(chain, major)
            if rule == "section.version-byte" and chain[0] == "invalid engine section" and s["section_len"] == 1:
                rule = "section.version-length"
            if rule == "unmapped":
                unmapped.setdefault(chain[0] if chain[0] != WRAPPER else " / ".join(chain[:2]), []).append(full)
            c["rules"] = [rule]
        c["provenance"] = "%s; artifact: %s; host preset `%s`" % (prov, s["what"], host)
        cases.append(c)
    worker.close()

    with open(os.path.join(vdir, "official.json"), "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    accepted = sum(1 for c in cases if c["expect"]["compatible"])
    summary = {
        "major": major, "library": libver, "package": pkg, "cases": len(cases),
        "accepted": accepted, "rejected": len(cases) - accepted,
        "unmapped": {k: len(v) for k, v in unmapped.items()},
        "crashes": crashes,
        "messages": sorted({c["expect"]["chain"][0] if c["expect"]["chain"][0] != WRAPPER else
                            " / ".join(c["expect"]["chain"][:2]) for c in cases if not c["expect"]["compatible"]}),
    }
    print(json.dumps(summary))


def plan_main(args):
    """Counts of the planned cases per family, without loading anything."""
    for major in args.majors or MAJORS:
        if not os.path.exists(os.path.join(official_dir(args.out, major), "presets.json")):
            continue
        _, specs = plan(major, args.out)
        fams = {}
        for s in specs:
            fam = ".".join(s["id"].split(".")[3:5 if ".Malformed." in s["id"] else 4])
            fams[fam] = fams.get(fam, 0) + 1
        print("v%d: %d cases %s" % (major, len(specs), json.dumps(fams)))


def prune_main(args):
    """Deletes every file of vNN/official/artifacts that no case of any
    official.json names, as its artifact or its host's witness."""
    used = set()
    dirs = sorted(d for d in os.listdir(args.out) if re.fullmatch(r"v\d+", d))
    for d in dirs:
        path = os.path.join(args.out, d, "official.json")
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for c in json.load(f):
                for rel in (c["artifact"], c["host"]["witness"]):
                    used.add(os.path.normpath(os.path.join(args.out, d, rel)))
    removed = 0
    for d in dirs:
        adir = os.path.join(args.out, d, "official", "artifacts")
        if not os.path.isdir(adir) or not os.path.exists(os.path.join(args.out, d, "official.json")):
            continue
        for name in sorted(os.listdir(adir)):
            path = os.path.normpath(os.path.join(adir, name))
            if path not in used:
                os.remove(path)
                removed += 1
                print("removed %s" % os.path.relpath(path, args.out), file=sys.stderr)
    print("prune: %d unreferenced artifacts removed" % removed, file=sys.stderr)


def worker_components_of(wheel_dir):
    path = os.path.join(wheel_dir, "wasmtime", "linux-x86_64", "_libwasmtime.so")
    return hasattr(ctypes.CDLL(path), "wasmtime_component_new")


# ---------------------------------------------------------------------------
# The parser's unit check
# ---------------------------------------------------------------------------

# Real texts of `str(WasmtimeError)`, recorded from the wheels.
REAL_ERRORS = [
    # 24.0.0: one cause, no trailing newline
    ("failed to parse precompiled artifact as an ELF\n\nCaused by:\n    Invalid ELF section header offset/size/alignment",
     ["failed to parse precompiled artifact as an ELF", "Invalid ELF section header offset/size/alignment"]),
    # 42: wasmtime's own error type ends the cause list with a newline
    ("failed to parse section headers\n\nCaused by:\n    Invalid ELF section header offset/size/alignment\n",
     ["failed to parse section headers", "Invalid ELF section header offset/size/alignment"]),
    # 36.0.0 with RUST_BACKTRACE=1: the backtrace is not part of the chain
    ("Module was compiled without epoch interruption but it is enabled for the host\n\nStack backtrace:\n"
     "   0: anyhow::error::<impl anyhow::Error>::msg",
     ["Module was compiled without epoch interruption but it is enabled for the host"]),
    # no cause
    ("Module was compiled without epoch interruption but it is enabled for the host",
     ["Module was compiled without epoch interruption but it is enabled for the host"]),
    # anyhow's numbered form, with a multi-line cause
    ("outer\n\nCaused by:\n    0: middle\n    1: inner line one\n       inner line two",
     ["outer", "middle", "inner line one\ninner line two"]),
    ("outer\n\nCaused by:\n    0: a\n    1: b\n    2: c\n    3: d\n    4: e\n    5: f\n    6: g\n"
     "    7: h\n    8: i\n    9: j\n   10: k\n",
     ["outer", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"]),
]


def selftest_chain(wheel_dir=None):
    for text, chain in REAL_ERRORS:
        got = parse_chain(text)
        assert got == chain, "parse_chain(%r) = %r, expected %r" % (text, got, chain)
    if wheel_dir:
        # Live errors: a truncated wasm binary, and a code section without
        # a function section.
        w = Worker(0, wheel_dir)
        for wasm, inner in [("\0asm\x01\0\0\0\x01\x05\x01\x60\0\x01\x7f\x03", "unexpected end-of-file (at offset 0x10)")]:
            raw = w.run({"op": "error", "wasm": wasm})["raw"]
            got = parse_chain(raw)
            assert got == ["failed to parse WebAssembly module", inner], (raw, got)
        w.close()
    assert rule_of(["Module was compiled with incompatible version '41'"], 42) == "version.match"
    assert rule_of([WRAPPER, 'compilation setting "has_avx2" is enabled, but not available on the host'], 42) \
        == "compat.isa-flags.detected"
    assert rule_of(["Module was compiled with fuel support but it is not enabled for the host"], 30) \
        == "compat.tunables.consume-fuel"
    assert rule_of(["something else"], 30) == "unmapped"
    print("chain parser: ok", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    for name in ["compile", "load", "_worker"]:
        p = sub.add_parser(name)
        p.add_argument("--major", type=int, required=True)
        p.add_argument("--wheel-dir", required=True)
        if name != "_worker":
            p.add_argument("--out", required=True)
    p = sub.add_parser("plan")
    p.add_argument("--out", required=True)
    p.add_argument("majors", nargs="*", type=int)
    p = sub.add_parser("prune")
    p.add_argument("--out", required=True)
    p = sub.add_parser("selftest")
    p.add_argument("--wheel-dir")
    p.add_argument("--major", type=int)
    args = ap.parse_args()
    if args.cmd == "_worker":
        worker_main(args)
    elif args.cmd == "compile":
        compile_main(args)
    elif args.cmd == "load":
        load_main(args)
    elif args.cmd == "plan":
        plan_main(args)
    elif args.cmd == "prune":
        prune_main(args)
    else:
        selftest_chain(args.wheel_dir)


if __name__ == "__main__":
    main()
