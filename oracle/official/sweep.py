#!/usr/bin/env python3
"""Sweep of the ELF container around the code, against the OFFICIAL Wasmtime.

    sweep.py --major NN [NN ...] --out /tmp/sweep [--wheels DIR] [--corpus CONFORMANCE_DIR]
    sweep.py --major NN [NN ...] --subset [--wheels DIR] [--corpus CONFORMANCE_DIR]

Takes the major's official default artifact
(`conformance/vNN/official/artifacts/default.cwasm`) and its default host
preset, and builds byte edits of it:

- every byte of the section header table (`e_shnum` entries of 64 bytes at
  `e_shoff`) set to 0x00, 0xff and flipped in bit 0;
- every byte of the sections `.symtab`, `.strtab`, `.shstrtab` and
  `.wasmtime.info` (their file ranges), the same three values, and for
  `.wasmtime.info` also 0x02 and 0x80;
- the file cut at every section's start and end, at `e_shoff` and at
  `e_shoff + 64*k`.

Each edited artifact is loaded on the default host of that major's official
C-API build (`record.py`'s worker, one process per major, restarted after a
crash; a crash is reported, not recorded). The cases, in the format of
`conformance/README.md`, go to `OUT/vNN/official.json`, and the artifact to
`OUT/vNN/official/artifacts/default.cwasm`, so that

    cwasm-spec conformance --corpus OUT

replays them through the reference. Ids are
`Required.VNN.Sweep.<Where>.<Offset>.<Value>`:

    SectionHeader<i>.Byte<k>.To<hh>      byte k (0..63) of section header i
    Symtab|Strtab|Shstrtab|WasmtimeInfo.Byte<k>.To<hh>   byte k of the section
    Truncation.File<n>.Cut               the file cut to n bytes

`OUT/vNN/summary.json` lists the crashes and counts.

`--subset` records, with the same ids and fields, a part of the sweep into
the corpus itself, `CORPUS/vNN/sweep.json` (524-774 cases per major;
`subset_of`): bytes 0, 4, 24, 25, 32, 33, 40, 44 and
48 of every section header (sh_name, sh_type, sh_offset, sh_size, sh_link,
sh_info, sh_addralign) set to 0x00 and 0xff, every 8th byte of `.symtab`,
`.strtab` and `.shstrtab` set to 0xff, and the cuts of the full sweep.
Everything that touches `.wasmtime.info` (its header, its bytes, the bytes
of its name in `.shstrtab`, the cuts at its start and end) is left out,
except in the majors whose `.wasmtime.info` the reference decodes
(`INFO_MAJORS`, those with a schema in `spec/info/`): there every byte of
the section takes every value of the full sweep, and every byte of its name
is set to 0xff too. A load that crashes the worker is printed and not
recorded.
"""

import argparse
import json
import os
import re
import select
import shutil
import struct
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import record  # noqa: E402

SHDR_FIELDS = [  # (offset, size, name) of an Elf64_Shdr
    (0, 4, "sh_name"), (4, 4, "sh_type"), (8, 8, "sh_flags"), (16, 8, "sh_addr"),
    (24, 8, "sh_offset"), (32, 8, "sh_size"), (40, 4, "sh_link"), (44, 4, "sh_info"),
    (48, 8, "sh_addralign"), (56, 8, "sh_entsize"),
]
SWEPT_SECTIONS = [(".symtab", "Symtab"), (".strtab", "Strtab"), (".shstrtab", "Shstrtab"),
                  (".wasmtime.info", "WasmtimeInfo")]
# Messages record.py's table leaves unmapped that the sweep reaches: the
# load walk's words in 24-42 (spec/cwasm.md, r[load.section-name]).
EXTRA_RULES = [(r"Non UTF-8 ELF section name", "load.section-name")]
TIMEOUT = 60  # seconds one load may take before the worker is killed


def field_of(k):
    for off, size, name in SHDR_FIELDS:
        if off <= k < off + size:
            return "%s byte %d" % (name, k - off)
    raise ValueError(k)


def sections(data):
    """[(index, name, type, offset, size)] of every section header."""
    shoff, = struct.unpack_from("<Q", data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x3A)
    assert shentsize == 64, shentsize
    heads = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * 64) for i in range(shnum)]
    strtab = heads[shstrndx][4]
    out = []
    for i, h in enumerate(heads):
        start = strtab + h[0]
        name = data[start:data.index(b"\0", start)].decode()
        out.append((i, name, h[1], h[4], h[5]))
    return shoff, shnum, out


def values(b, extra=()):
    return sorted(({0x00, 0xFF, b ^ 1} | set(extra)) - {b})


def specs_of(data, major):
    """[(id, description, edits, key)] of the sweep of `data`. `key` says
    what the edit touches: ("header", index, section name, byte, value),
    ("section", section name, byte, value) or ("cut", length, [section
    names whose boundary it is])."""
    shoff, shnum, secs = sections(data)
    out = []
    pre = "Required.V%d.Sweep." % major
    for i, name, _, _, _ in secs:
        for k in range(64):
            at = shoff + i * 64 + k
            for v in values(data[at]):
                out.append((pre + "SectionHeader%d.Byte%d.To%02x" % (i, k, v),
                            "section header %d (%s), %s (file offset %d) set to %#04x"
                            % (i, name or "null", field_of(k), at, v),
                            [{"set_byte": [at, v]}], ("header", i, name, k, v)))
    by_name = {name: (off, size) for _, name, _, off, size in secs}
    for name, where in SWEPT_SECTIONS:
        if name not in by_name:
            continue
        off, size = by_name[name]
        extra = (0x02, 0x80) if name == ".wasmtime.info" else ()
        for k in range(size):
            at = off + k
            for v in values(data[at], extra):
                out.append((pre + "%s.Byte%d.To%02x" % (where, k, v),
                            "%s byte %d (file offset %d) set to %#04x" % (name, k, at, v),
                            [{"set_byte": [at, v]}], ("section", name, k, v)))
    cuts = {}
    for i, name, typ, off, size in secs:
        if i == 0 or typ == 8:  # the null section and SHT_NOBITS have no file range
            continue
        cuts.setdefault(off, []).append(("start of %s" % name, name))
        cuts.setdefault(off + size, []).append(("end of %s" % name, name))
    for k in range(shnum + 1):
        cuts.setdefault(shoff + 64 * k, []).append(("e_shoff + 64*%d" % k, None))
    for n in sorted(cuts):
        if n >= len(data):
            continue  # no cut
        out.append((pre + "Truncation.File%d.Cut" % n,
                    "file cut to %d bytes (%s)" % (n, ", ".join(r for r, _ in cuts[n])),
                    [{"truncate": n}], ("cut", n, [s for _, s in cuts[n] if s])))
    ids = [s[0] for s in out]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return out


# The corpus subset (`--subset`): these bytes of every section header,
# 0x00 and 0xff; every SUBSET_STRIDE-th byte of these sections, 0xff; every
# cut at a section boundary or in the section table.
SUBSET_HEADER_BYTES = {0, 4, 24, 25, 32, 33, 40, 44, 48}  # sh_name, sh_type, sh_offset, sh_size, sh_link, sh_info, sh_addralign
SUBSET_SECTIONS = {".symtab", ".strtab", ".shstrtab"}
SUBSET_STRIDE = 8
# Left out of the subset but in INFO_MAJORS: everything that touches
# `.wasmtime.info` (its header, its bytes, the bytes of its name in
# .shstrtab, the cuts at its boundaries). The reference decodes that section
# only in the majors with a schema (spec/info/). Wasmtime aborts the process
# on some of its edits; those are not recorded.
EXCLUDED = ".wasmtime.info"
INFO_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "spec", "info"))
INFO_MAJORS = {int(m.group(1)) for m in (re.fullmatch(r"v(\d+)\.json", f)
                                         for f in os.listdir(INFO_DIR)) if m}
# Also left out: classes on which the reference disagrees with Wasmtime
# somewhere, (majors, section, header bytes). 24-35 read the ELF with object
# 0.36 without `unaligned`, so whether `.symtab` parses depends on where its
# bytes lie in memory: `check` on the bytes agrees with Wasmtime, but the
# CLI's `check` reads the file by ranges (`check_file`, object's ReadCache,
# aligned copies) and says `isn't aligned to 0x8` where Wasmtime says
# `Invalid ELF symbol table data` (sh_offset), or `Invalid ELF symbol table
# data` where Wasmtime accepts (sh_size 0).
DROPPED = []  # (majors, section, header bytes) left out of the subset


def subset_of(specs, data, major):
    """The corpus subset of `specs_of(data, ...)`, in the same order."""
    shoff, shnum, secs = sections(data)
    shstr = secs[struct.unpack_from("<H", data, 0x3E)[0]][3]
    name_bytes = set()  # file offsets of EXCLUDED's name (and its NUL) in .shstrtab
    for i, name, _, _, _ in secs:
        if name == EXCLUDED:
            sh_name, = struct.unpack_from("<I", data, shoff + i * 64)
            name_bytes |= set(range(shstr + sh_name, shstr + sh_name + len(name) + 1))
    offsets = {name: off for _, name, _, off, _ in secs}
    info = major in INFO_MAJORS
    out = []
    for spec in specs:
        key = spec[3]
        if key[0] == "header":
            _, i, name, k, v = key
            keep = ((info or name != EXCLUDED) and k in SUBSET_HEADER_BYTES and v in (0x00, 0xFF)
                    and not any(major in ms and name == n and k in ks for ms, n, ks in DROPPED))
        elif key[0] == "section":
            _, name, k, v = key
            at = offsets[name] + k
            if info and name == EXCLUDED:
                keep = True
            elif info and at in name_bytes:
                keep = v == 0xFF
            else:
                keep = (name in SUBSET_SECTIONS and k % SUBSET_STRIDE == 0 and v == 0xFF
                        and at not in name_bytes)
        else:
            _, n, named = key
            keep = info or EXCLUDED not in named
        if keep:
            out.append(spec)
    return out


class TimedWorker(record.Worker):
    """record.Worker with a time limit per job: a load that hangs kills the
    worker and is reported like a crash."""

    def run(self, job):
        if self.proc is None:
            self.start()
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], TIMEOUT)
        if ready:
            return self.run_reply(job)
        self.proc.kill()
        self.proc.wait()
        self.proc = None
        self.crashes.append((job, "timeout"))
        return {"ok": False, "crash": True, "error": "timeout after %d s" % TIMEOUT}

    def run_reply(self, job):
        line = self.proc.stdout.readline()
        if line:
            return json.loads(line)
        self.proc.wait()
        self.err.seek(0)
        text = self.err.read().decode("utf-8", "replace")
        panic = [l for l in text.splitlines() if l.strip() and not l.startswith("note:")]
        reason = " / ".join(panic[-2:]) or "exit status %s" % self.proc.returncode
        reason = re.sub(r"thread '([^']*)' \(\d+\) panicked", r"thread '\1' panicked", reason)
        self.proc = None
        self.crashes.append((job, reason))
        return {"ok": False, "crash": True, "error": "process died: " + reason}



def sweep(major, wheel_dir, corpus, out, cpu, subset=False):
    """The full sweep into OUT/vNN/official.json, or (`subset`) the corpus
    subset into CORPUS/vNN/sweep.json."""
    t0 = time.time()
    src = os.path.join(corpus, "v%d" % major, "official", "artifacts", "default.cwasm")
    with open(src, "rb") as f:
        base = f.read()
    if subset:
        vdir = os.path.join(corpus, "v%d" % major)
        artifact_path = src
    else:
        vdir = os.path.join(out, "v%d" % major)
        adir = os.path.join(vdir, "official", "artifacts")
        os.makedirs(adir, exist_ok=True)
        artifact_path = os.path.join(adir, "default.cwasm")
        shutil.copyfile(src, artifact_path)
    artifact = "official/artifacts/default.cwasm"
    libver = record.version_string(base)
    pkg = record.PACKAGE_VERSIONS[major]
    shown = libver if "." in libver else pkg
    prov = "official C-API wasmtime %s (PyPI wasmtime==%s)" % (shown, pkg)
    kind = record.kind_of(base)
    host = {"release": libver, "config": "default", "witness": artifact,
            "module_version": "default", "cpu_features": cpu}

    worker = TimedWorker(major, wheel_dir)
    # The unedited artifact must load: the sweep's premise.
    r = worker.run({"op": "load", "host": "default", "artifact": artifact_path, "kind": kind})
    if not r.get("ok") or r["chain"] is not None:
        sys.exit("v%d: the default artifact does not load on the default host: %s" % (major, r))

    cases, crashes, unmapped = [], [], {}
    specs = specs_of(base, major)
    if subset:
        specs = subset_of(specs, base, major)
    for cid, what, edits, key in specs:
        r = worker.run({"op": "load", "host": "default", "artifact": artifact_path, "kind": kind,
                        "edits": edits})
        if not r["ok"]:
            crashes.append({"id": cid, "what": what, "error": r["error"]})
            continue
        c = {"id": cid, "artifact": artifact, "edits": edits, "kind": kind, "host": dict(host)}
        if r["chain"] is None:
            c["expect"] = {"compatible": True}
            # An edit of `.wasmtime.info` that still decodes exercises
            # r[info.decode] in the majors that check it.
            touches_info = key[0] == "section" and key[1] == EXCLUDED
            c["rules"] = ["info.decode"] if touches_info and major in INFO_MAJORS else []
        else:
            chain = r["chain"]
            c["expect"] = {"compatible": False, "chain": chain}
            rule = record.rule_of(chain, major)
            if rule == "section.version-byte" and chain[0] == "invalid engine section":
                loc = record.engine_section(record.apply_edits(base, edits))
                if loc and loc[2] == 1:
                    rule = "section.version-length"
            if rule == "metadata.decode" and record.engine_bytes(
                    record.apply_edits(base, edits)) == record.engine_bytes(base):
                # postcard's words, but the engine section is untouched: the
                # `.wasmtime.info` decode after the load walk failed.
                rule = "info.decode"
            if rule == "unmapped":
                rule = next((r for pat, r in EXTRA_RULES if re.fullmatch(pat, chain[0])), rule)
            if rule == "unmapped":
                unmapped.setdefault(chain[0], []).append(cid)
            c["rules"] = [rule]
        c["provenance"] = "%s; artifact: preset `default`, %s; host preset `default`" % (prov, what)
        cases.append(c)
    worker.close()

    with open(os.path.join(vdir, "sweep.json" if subset else "official.json"), "w") as f:
        json.dump(cases, f, indent=1, ensure_ascii=False)
        f.write("\n")
    accepted = sum(1 for c in cases if c["expect"]["compatible"])
    summary = {
        "major": major, "library": libver, "package": pkg, "inputs": len(specs),
        "cases": len(cases), "accepted": accepted, "rejected": len(cases) - accepted,
        "crashes": crashes, "unmapped": {k: len(v) for k, v in unmapped.items()},
        "seconds": round(time.time() - t0, 1),
    }
    if subset:
        for c in crashes:  # not recorded: a process abort is no verdict
            print("v%d: %s: %s" % (major, c["id"], c["error"]), file=sys.stderr)
        if unmapped:
            print("v%d: unmapped: %s" % (major, json.dumps(summary["unmapped"])), file=sys.stderr)
    else:
        with open(os.path.join(vdir, "summary.json"), "w") as f:
            json.dump(summary, f, indent=1)
            f.write("\n")
    print("v%d: %d inputs, %d cases (%d accepted, %d rejected), %d crashes, %d unmapped, %.0f s" % (
        major, len(specs), len(cases), accepted, len(cases) - accepted, len(crashes),
        sum(len(v) for v in unmapped.values()), time.time() - t0), flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--major", type=int, nargs="+", required=True)
    ap.add_argument("--out", help="directory of the full sweep's cases (not with --subset)")
    ap.add_argument("--subset", action="store_true",
                    help="record the corpus subset into CORPUS/vNN/sweep.json instead of the full sweep")
    ap.add_argument("--wheels", default=os.environ.get(
        "WASMTIME_WHEELS", os.path.expanduser("~/.cache/cwasm-spec/wheels")),
        help="directory of the installed wheels, one wNN per major")
    ap.add_argument("--corpus", default=os.path.normpath(os.path.join(HERE, "..", "..", "conformance")),
                    help="the corpus whose vNN/official/artifacts/default.cwasm is swept")
    args = ap.parse_args()
    if args.subset == bool(args.out):
        sys.exit("give either --out DIR (the full sweep) or --subset (the corpus subset)")
    for m in args.major:
        if m not in record.PACKAGE_VERSIONS:
            sys.exit("no Wasmtime major %d (24-50, no 26)" % m)
        if not os.path.exists(os.path.join(args.wheels, "w%d" % m, "wasmtime", "__init__.py")):
            sys.exit("no wheel for %d in %s (install it with record.sh)" % (m, args.wheels))
    record.selftest_chain()
    cpu = record.native_cpu()
    for m in args.major:
        sweep(m, os.path.join(args.wheels, "w%d" % m), args.corpus, args.out, cpu, args.subset)


if __name__ == "__main__":
    main()
