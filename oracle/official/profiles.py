#!/usr/bin/env python3
"""Host profiles of the official C-API builds: the `.wasmtime.engine`
section that each major's default `Config` writes, natively and for each
target of TARGETS.

    python3 oracle/official/profiles.py --wheels /work/wheels --out spec/profiles/recorded.json

For every major of record.PACKAGE_VERSIONS (24-50, no 26) a worker process
(`profiles.py _worker`) builds an engine from `Config()` as is, or with
`wasmtime_config_target_set(TRIPLE)` and nothing else, and compiles an empty
module (and, where the library has `wasmtime_component_new`, an empty
component). The section is stored verbatim. A target that the library
refuses (`wasmtime_config_target_set` fails, or the engine cannot be built:
the C API then aborts the process) is recorded with its error text instead.

The entries already in the output file for other builds (the crates.io builds
that `cwasm-oracle profiles` writes) and for the c-api majors not asked for
are kept; the document is sorted and laid out as `oracle/src/profiles.rs`
writes it (compact JSON, one entry a line, serde's field order).
"""

import argparse
import base64
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import record  # noqa: E402

BUILD = "c-api"
TARGETS = [
    "x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu",
    "riscv64gc-unknown-linux-gnu", "s390x-unknown-linux-gnu",
    "x86_64-apple-darwin", "aarch64-apple-darwin", "x86_64-pc-windows-msvc",
    "pulley64", "pulley32",
]
EMPTY = {"module": "(module)", "component": "(component)"}
TARGET_SET_FAILED = "wasmtime_config_target_set: "


def preset(target):
    return "default" if target == "native" else "target=" + target


def worker_main(args):
    # The worker compiles the empty module and component through record's
    # Wheel; only the WebAssembly differs from record.py's.
    record.MODULE_WAT = EMPTY["module"]
    record.COMPONENT_WAT = EMPTY["component"]
    wheel = record.Wheel(args.wheel_dir)
    for line in sys.stdin:
        job = json.loads(line)
        try:
            if job["target"] != "native":
                # A config per job: the target's own error, before any engine.
                try:
                    wheel.config(preset(job["target"]))
                except RuntimeError as e:
                    raise RuntimeError(TARGET_SET_FAILED + str(e))
            if job["op"] == "components":
                result = {"ok": True, "components": wheel.components}
            else:
                data = wheel.compile(preset(job["target"]), job["kind"] == "component")
                result = {"ok": True, "section": base64.b64encode(record.engine_bytes(data)).decode(),
                          "kind": record.kind_of(data)}
        except wheel.wt.WasmtimeError as e:
            result = {"ok": False, "error": ": ".join(record.parse_chain(str(e)))}
        except Exception as e:
            result = {"ok": False, "error": str(e)}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


class Worker(record.Worker):
    def __init__(self, major, wheel_dir):
        super().__init__(major, wheel_dir)
        self.argv = [sys.executable, os.path.abspath(__file__), "_worker", "--wheel-dir", wheel_dir]


def crash_text(reason):
    """The error of an engine that the C API could not build: it unwraps
    `Engine::new`, so the reason is the panic's `Err` value."""
    m = re.search(r"called `Result::unwrap\(\)` on an `Err` value: (.*)$", reason)
    return m.group(1) if m else reason


def read_varint(b, i):
    v = shift = 0
    while True:
        x = b[i]
        i += 1
        v |= (x & 0x7F) << shift
        shift += 7
        if not x & 0x80:
            return v, i


def split_section(sec):
    """(version string, Metadata body) of an engine section."""
    n = sec[1]
    return sec[2:2 + n].decode(), sec[2 + n:]


def triple_of(body):
    n, i = read_varint(body, 0)
    return body[i:i + n].decode()


def body_parts(body):
    """(triple, shared flags, ISA flags, the rest of the body) of a Metadata
    body: postcard's string, then two lists of (name, FlagValue)."""
    n, i = read_varint(body, 0)
    triple = body[i:i + n].decode()
    i += n
    lists = []
    for _ in range(2):
        count, i = read_varint(body, i)
        flags = []
        for _ in range(count):
            n, i = read_varint(body, i)
            name = body[i:i + n].decode()
            i += n
            tag, i = read_varint(body, i)
            if tag == 0:  # Enum(&str)
                n, i = read_varint(body, i)
                value = body[i:i + n].decode()
                i += n
            elif tag == 1:  # Num(u8)
                value = body[i]
                i += 1
            elif tag == 2:  # Bool(bool)
                value = bool(body[i])
                i += 1
            else:
                raise ValueError("flag value tag %d" % tag)
            flags.append((name, value))
        lists.append(flags)
    return triple, lists[0], lists[1], body[i:]


def record_major(major, wheel_dir):
    pkg = record.PACKAGE_VERSIONS[major]
    worker = Worker(major, wheel_dir)
    r = worker.run({"op": "components", "target": "native"})
    kinds = ["module", "component"] if r.get("components") else ["module"]
    profiles, refused = [], []
    for target in ["native"] + TARGETS:
        for kind in kinds:
            r = worker.run({"op": "compile", "target": target, "kind": kind})
            if not r["ok"]:
                if r.get("crash"):
                    stage, error = "engine", crash_text(r["error"][len("process died: "):])
                elif r["error"].startswith(TARGET_SET_FAILED):
                    stage, error = "target", r["error"][len(TARGET_SET_FAILED):]
                else:
                    stage, error = "compile", r["error"]
                if kind == "module":
                    refused.append({"build": BUILD, "release": None, "major": major, "target": target,
                                    "stage": stage, "error": error, "provenance": None})
                    break
                sys.exit("v%d %s: the module compiled but the component failed: %s" % (major, target, error))
            assert r["kind"] == kind, (major, target, kind, r["kind"])
            sec = base64.b64decode(r["section"])
            version, body = split_section(sec)
            release = version if "." in version else pkg
            assert release.split(".")[0] == str(major), (major, version)
            profiles.append({"build": BUILD, "release": release, "major": major, "target": target,
                             "kind": kind, "triple": triple_of(body), "engine_section": r["section"],
                             "provenance": "official C-API wasmtime %s (PyPI wasmtime==%s)" % (release, pkg)})
    worker.close()
    release = next((p["release"] for p in profiles), pkg)
    for x in refused:
        x["release"] = release
        x["provenance"] = "official C-API wasmtime %s (PyPI wasmtime==%s)" % (release, pkg)
    return profiles, refused


def sort_key(p):
    return (p["build"], p["major"], [int(x) for x in p["release"].split(".")],
            p["target"] != "native", p["target"], p.get("kind", ""))


def write(doc, path):
    """One profile or refusal a line."""
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write('{"format": %d,\n' % doc["format"])
        for key in ("profiles", "refused"):
            items = [json.dumps(x, ensure_ascii=False, separators=(",", ":")) for x in doc[key]]
            f.write(' "%s": [\n  %s\n ]%s\n' % (key, ",\n  ".join(items), "," if key == "profiles" else ""))
        f.write("}\n")


def compare_cross(profiles):
    """For each c-api major: does the x86_64-unknown-linux-gnu record differ
    from the native one anywhere but in the ISA flags?"""
    out = []
    by = {(p["major"], p["target"], p["kind"]): p for p in profiles if p["build"] == BUILD}
    for (major, target, kind), native in sorted(by.items()):
        if target != "native":
            continue
        cross = by.get((major, "x86_64-unknown-linux-gnu", kind))
        if cross is None:
            out.append((major, kind, "no cross record"))
            continue
        a = split_section(base64.b64decode(native["engine_section"]))
        b = split_section(base64.b64decode(cross["engine_section"]))
        pa, pb = body_parts(a[1]), body_parts(b[1])
        diffs = [name for name, x, y in zip(["version", "triple", "shared flags", "ISA flags", "tunables and features"],
                                             (a[0],) + pa, (b[0],) + pb) if x != y]
        out.append((major, kind, ", ".join(diffs) or "identical"))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = sys.argv[1:2] == ["_worker"]
    if sub:
        ap.add_argument("_worker")
        ap.add_argument("--wheel-dir", required=True)
        worker_main(ap.parse_args())
        return
    ap.add_argument("--wheels", default=os.environ.get(
        "WASMTIME_WHEELS", os.path.expanduser("~/.cache/cwasm-spec/wheels")),
        help="directory of the installed wheels, one wNN per major")
    ap.add_argument("--out", required=True, help="the JSON document to write")
    ap.add_argument("--major", type=int, nargs="+", default=record.MAJORS)
    args = ap.parse_args()
    for m in args.major:
        if m not in record.PACKAGE_VERSIONS:
            sys.exit("no Wasmtime major %d (24-50, no 26)" % m)
        if not os.path.exists(os.path.join(args.wheels, "w%d" % m, "wasmtime", "__init__.py")):
            sys.exit("no wheel for %d in %s" % (m, args.wheels))
    os.environ["RUST_BACKTRACE"] = "0"
    doc = {"format": 1, "profiles": [], "refused": []}
    if os.path.exists(args.out):
        with open(args.out) as f:
            old = json.load(f)
        assert old["format"] == 1
        redo = set(args.major)
        doc["profiles"] = [p for p in old["profiles"] if p["build"] != BUILD or p["major"] not in redo]
        doc["refused"] = [p for p in old["refused"] if p["build"] != BUILD or p["major"] not in redo]
    for m in args.major:
        profiles, refused = record_major(m, os.path.join(args.wheels, "w%d" % m))
        doc["profiles"] += profiles
        doc["refused"] += refused
        print("v%d: %d profiles, refused: %s" % (m, len(profiles), ", ".join(
            "%s (%s)" % (x["target"], x["error"]) for x in refused) or "none"), flush=True)
    doc["profiles"].sort(key=sort_key)
    doc["refused"].sort(key=sort_key)
    write(doc, args.out)
    for major, kind, result in compare_cross(doc["profiles"]):
        if major in args.major:
            print("v%d %s: x86_64-unknown-linux-gnu vs native: %s" % (major, kind, result))


if __name__ == "__main__":
    main()
