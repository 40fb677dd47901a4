#!/usr/bin/env python3
"""An example conformance testee, using nothing beyond Python's standard library.

It implements the ELF header and engine-section framing rules of Wasmtime 36
and 48 and the section checks of loading (spec/cwasm.md, section 3). It does
not decode Metadata. Instead it compares the artifact's Metadata with the
host's own, byte for byte:
- an identical body is accepted;
- a proper prefix of the host's body is rejected, because a cut postcard
  message always ends early;
- anything else is skipped, because the compatibility rules of section 5 are
  not implemented here.

Run it as:

    cwasm-spec conformance --impl "python3 conformance/examples/testee.py" --level required

See conformance/PROTOCOL.md for the protocol.
"""

import base64
import json
import struct
import sys

ELFOSABI_WASMTIME = 200
EF_MODULE, EF_COMPONENT = 1, 2
ENGINE = b".wasmtime.engine"
DEFAULT_VERSION = {36: "36.0.20", 48: "48"}
DEFAULT_MESSAGE = {
    36: "Module was compiled with incompatible Wasmtime version '{}'",
    48: "Module was compiled with incompatible version '{}'",
}


class Reject(Exception):
    """A rejection with Wasmtime's chain."""

    def __init__(self, *chain):
        super().__init__(chain[0])
        self.chain = list(chain)


def parse_elf(data, release, kind_bit):
    """Returns (endian, e_flags, os_abi, abi_version, sections, names), where
    sections is a list of (name_offset, type, offset, size, align, info)."""
    as_elf = "failed to parse precompiled artifact as an ELF"
    if len(data) < 64:
        raise Reject(as_elf, "Invalid ELF header size or alignment")
    ident = data[:16]
    if ident[:4] != b"\x7fELF" or ident[4] != 2 or ident[5] not in (1, 2) or ident[6] != 1:
        raise Reject(as_elf, "Unsupported ELF header")
    e = "<" if ident[5] == 1 else ">"
    e_flags = struct.unpack_from(e + "I", data, 48)[0]
    if release == 48 and e_flags & kind_bit != kind_bit:
        raise Reject("incompatible object file format")
    shoff = struct.unpack_from(e + "Q", data, 40)[0]
    shentsize, shnum, shstrndx = struct.unpack_from(e + "HHH", data, 58)
    context = as_elf if release == 36 else "failed to parse section headers"
    if shoff == 0:
        return e, e_flags, ident[7], ident[8], [], b""
    if shentsize != 64:
        raise Reject(context, "Invalid ELF section header entry size")
    if shoff % 8 or shoff + shnum * 64 > len(data):
        raise Reject(context, "Invalid ELF section header offset/size/alignment")
    sections = [struct.unpack_from(e + "IIQQQQIIQQ", data, shoff + i * 64) for i in range(shnum)]
    sections = [(s[0], s[1], s[4], s[5], s[8], s[7]) for s in sections]
    context = as_elf if release == 36 else "failed to parse strings table"
    if shstrndx >= shnum:
        raise Reject(context, "Invalid ELF e_shstrndx")
    _, _, str_off, str_size, _, _ = sections[shstrndx]
    if str_off + str_size > len(data):
        if release == 36:
            return e, e_flags, ident[7], ident[8], sections, None
        raise Reject("Invalid ELF section name offset")
    return e, e_flags, ident[7], ident[8], sections, data[str_off:str_off + str_size]


def name_of(names, offset):
    if names is None or offset >= len(names):
        return None
    end = names.find(b"\0", offset)
    return names[offset:end] if end >= 0 else None


def engine_section(data, release, kind_bit):
    e, e_flags, os_abi, abi_version, sections, names = parse_elf(data, release, kind_bit)
    if release == 36 and (os_abi != ELFOSABI_WASMTIME or abi_version != 0
                          or e_flags & kind_bit != kind_bit):
        raise Reject("incompatible object file format")
    found = None
    for name_offset, sh_type, offset, size, _, _ in sections:
        name = name_of(names, name_offset)
        if name is None and release == 48:
            raise Reject("Invalid ELF section name offset")
        if name == ENGINE:
            found = (sh_type, offset, size)
            if release == 36:
                break
    if found is None:
        raise Reject("failed to find section `.wasmtime.engine`")
    sh_type, offset, size = found
    if sh_type == 8:  # SHT_NOBITS has no bytes in the file
        return b""
    if offset + size > len(data):
        raise Reject("Invalid ELF section size or offset")
    return data[offset:offset + size]


def split(section):
    if not section:
        raise Reject("invalid engine section")
    if section[0] != 0:
        raise Reject("mismatched version in engine section")
    if len(section) < 2:
        raise Reject("invalid engine section")
    n = section[1]
    if len(section) - 2 < n + 1:
        raise Reject("engine section too small")
    return section[2:2 + n], section[2 + n:]


def check_version(version, host, release):
    strategy = host["module_version"]
    if strategy == "none":
        return
    try:
        text = version.decode("utf-8")
    except UnicodeDecodeError as err:
        raise Reject(f"invalid utf-8 sequence of 1 bytes from index {err.start}")
    if strategy == "default":
        expected, message = DEFAULT_VERSION[release], DEFAULT_MESSAGE[release]
    else:
        expected, message = strategy[len("custom:"):], DEFAULT_MESSAGE[48]
    if text != expected:
        raise Reject(message.format(text))


# Section names loading knows under 48, besides `.wasmtime.bti`; the host
# process is x86-64 Linux, whose unwind section is `.eh_frame`.
KNOWN_48 = {
    ".text", ".eh_frame", ".rodata.wasm", ".wasmtime.addrmap", ".wasmtime.stackmap",
    ".wasmtime.traps", ".wasmtime.exceptions", ".wasmtime.frames", ".name.wasm",
    ".wasmtime.info", ".wasmtime.dwarf", ".wasmtime.wasm_bytecode",
    ".wasmtime.wasm_bytecode_ends", "", ".symtab", ".strtab", ".shstrtab", ".xdata",
    ".wasmtime.engine",
}
RELOCATION_TYPES = (4, 9, 0x40000014)  # SHT_RELA, SHT_REL, SHT_CREL


def check_load(data, release, kind_bit):
    """Loading walks every section: its bytes, its name, its alignment, (48)
    its relocation target and whether its name is known; then it wants the
    `.wasmtime.bti` byte."""
    e, _, _, _, sections, names = parse_elf(data, release, kind_bit)
    quote = (lambda t: f"`{t}`") if release == 36 else json.dumps

    def text_of(name_offset):
        name = name_of(names, name_offset)
        try:
            return name.decode("utf-8")
        except (AttributeError, UnicodeDecodeError):
            raise Reject("invalid section name in Wasm compilation artifact")

    bti_seen = False
    for name_offset, sh_type, offset, size, align, info in sections:
        empty = sh_type == 8 or size == 0
        if sh_type != 8 and offset + size > len(data):
            raise Reject("Invalid ELF section size or offset")
        text = text_of(name_offset)
        if align and not empty and offset % align:
            raise Reject(f"section {quote(text)} isn't aligned to {align:#x}")
        if release == 48 and sh_type in RELOCATION_TYPES and info != 0:
            if info >= len(sections):
                raise Reject("invalid ELF `sh_info` for relocation section")
            target = text_of(sections[info][0])
            if not target.startswith(".debug_"):
                raise Reject(f"section {json.dumps(target)} has unexpected relocations "
                             f"(defined in section {json.dumps(text)})")
        if text == ".wasmtime.bti":
            if empty or size != 1:
                raise Reject(f"invalid {quote(text)} section")
            bti_seen = True
        elif (release == 48 and text not in KNOWN_48
              and not text.startswith((".debug_", ".rela.debug_"))):
            raise Reject(f"unexpected section {json.dumps(text)} in Wasm compilation artifact")
    if not bti_seen:
        raise Reject("missing `.wasmtime.bti` section")


def check(request):
    host = request["host"]
    # "36.0.20" or "48": the major decides the rules below.
    release = int(str(host["release"]).split(".")[0])
    kind_bit = EF_MODULE if request["kind"] == "module" else EF_COMPONENT
    artifact = base64.b64decode(request["artifact_base64"])
    witness = base64.b64decode(host["witness_base64"])
    version, body = split(engine_section(artifact, release, kind_bit))
    check_version(version, host, release)
    _, host_body = split(engine_section(witness, release, EF_MODULE))
    if body != host_body:
        if host_body.startswith(body):
            raise Reject("Hit the end of buffer, expected more data")
        return None
    check_load(artifact, release, kind_bit)
    return True


def answer(request):
    rid = request["id"]
    try:
        verdict = check(request)
    except Reject as rejection:
        return {"type": "reject", "id": rid, "chain": rejection.chain}
    except Exception as err:  # a bug here must not stop the session
        return {"type": "error", "id": rid, "message": repr(err)}
    if verdict is None:
        return {"type": "skip", "id": rid, "reason": "compatibility rules are not implemented"}
    return {"type": "accept", "id": rid}


def main():
    for line in sys.stdin:
        request = json.loads(line)
        if request["type"] == "hello":
            # Header, framing, version and loading rules; not the
            # compatibility rules on the decoded Metadata.
            response = {"type": "hello", "protocol": 2, "name": "python example",
                        "releases": ["36.0.20", 48], "kinds": ["module", "component"],
                        "families": ["elf", "section", "version", "load"]}
        else:
            response = answer(request)
        sys.stdout.write(json.dumps(response) + "\n")
        sys.stdout.flush()



if __name__ == "__main__":
    main()
