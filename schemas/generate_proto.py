"""Generate ``schemas/protobuf.json``: the message layouts fakekube needs to decode protobuf bodies.

Usage (from the repository root)::

    python -m schemas.generate_proto [--ref REF ...] SOURCE [SOURCE ...]

Each SOURCE is either a checkout of a Kubernetes staging repository (``k8s.io/api``,
``k8s.io/apimachinery``, ``k8s.io/apiextensions-apiserver``, ``k8s.io/kube-aggregator``) or its
bare git directory.  For git directories every ``--ref`` is read (default ``HEAD``) and the
results are merged, older refs first, so message kinds dropped upstream stay decodable.  The
committed file was made with::

    python -m schemas.generate_proto \\
        --ref release-1.33 --ref release-1.34 --ref release-1.35 --ref release-1.36 --ref master \\
        GITDIR_OF_kubernetes/api GITDIR_OF_kubernetes/apimachinery \\
        GITDIR_OF_kubernetes/apiextensions-apiserver GITDIR_OF_kubernetes/kube-aggregator

What is read:

* every ``generated.proto`` (message names, field numbers, proto names and types), and
* the Go sources next to it, for what the proto lacks but JSON depends on: the ``json`` tag name
  (``$ref`` vs proto ``ref``), ``omitempty``/``omitzero``, pointer-ness (a present pointer scalar
  is meaningful even when zero, a non-pointer ``omitempty`` zero is not), embedded structs that
  JSON inlines (``Volume.VolumeSource``), ``type X []T`` list wrappers (``metav1.Verbs``) and the
  ``+groupName`` of each package.

Output (compact JSON)::

    {"generated": "...",
     "sources": {"k8s.io/api@release-1.36": "<commit>", ...},
     "groups": {"apps/v1": "k8s.io.api.apps.v1", "v1": "k8s.io.api.core.v1", ...},
     "wrappers": ["k8s.io.apimachinery.pkg.apis.meta.v1.Verbs", ...],
     "messages": {"k8s.io.api.apps.v1.Deployment":
                     {"1": ["metadata", "k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta", 0], ...}}}

A field is ``[json_name, type, flags]``; ``type`` is a scalar proto type, a fully-qualified
message name or ``map:<key type>:<value type>``; ``flags`` is a bit set of ``FLAG_*`` below.
Standard library only; imports nothing from fakekube.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "protobuf.json"

FLAG_REPEATED = 1  # repeated field: JSON list
FLAG_OMIT_EMPTY = 2  # non-pointer `omitempty` scalar (or list wrapper): a zero value means "absent"
FLAG_INLINE = 4  # Go embedded struct with no JSON name: its fields are merged into the parent
FLAG_OMIT_ZERO = 8  # `omitzero`: a zero struct (e.g. null Time) is left out

SCALARS = {
    "double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
    "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes",
}  # fmt: skip

VERSION_RE = re.compile(r"^v\d+(?:(?:alpha|beta)\d+)?$")
SKIP_PATH_RE = re.compile(r"(^|/)(testapigroup|testing|examples|vendor|third_party|test)(/|$)")

# ---------------------------------------------------------------------------------------------
# Reading sources: a checkout directory or a bare git directory at some ref.


class Source:
    """Files of one repository at one ref (or of one working tree)."""

    def __init__(self, root: Path, ref: str | None) -> None:
        self.root = root
        self.ref = ref  # None: plain directory

    @property
    def label(self) -> str:
        return f"{self.root}@{self.ref}" if self.ref else str(self.root)

    def commit(self) -> str | None:
        if self.ref is None:
            return None
        return self._git("rev-parse", self.ref).strip()

    def _git(self, *args: str) -> str:
        out = subprocess.run(["git", f"--git-dir={self.root}", *args], check=True, capture_output=True, text=True)
        return out.stdout

    def list_files(self) -> list[str]:
        if self.ref is not None:
            return self._git("ls-tree", "-r", "--name-only", self.ref).splitlines()
        found = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                found.append(os.path.relpath(os.path.join(dirpath, name), self.root).replace(os.sep, "/"))
        return found

    def read(self, path: str) -> str:
        if self.ref is not None:
            return self._git("show", f"{self.ref}:{path}")
        return (self.root / path).read_text(encoding="utf-8")


def is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir()


def ref_exists(root: Path, ref: str) -> bool:
    res = subprocess.run(
        ["git", f"--git-dir={root}", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        capture_output=True,
    )
    return res.returncode == 0


# ---------------------------------------------------------------------------------------------
# The .proto parser (only what go-to-protobuf emits: proto2, flat messages, no oneof/options).

COMMENT_RE = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
PACKAGE_RE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.M)
GO_PACKAGE_RE = re.compile(r'^\s*option\s+go_package\s*=\s*"([^"]+)"', re.M)
TOKEN_RE = re.compile(
    r"(?P<message>\bmessage\s+(?P<mname>\w+)\s*\{)"
    r"|(?P<close>\})"
    r"|(?P<map>\bmap\s*<\s*(?P<ktype>[\w.]+)\s*,\s*(?P<vtype>[\w.]+)\s*>\s*(?P<mfname>\w+)\s*=\s*(?P<mnum>\d+)[^;]*;)"
    r"|(?P<field>\b(?P<label>optional|repeated|required)\s+(?P<ftype>[\w.]+)\s+(?P<fname>\w+)\s*=\s*(?P<fnum>\d+)[^;]*;)"
    r"|(?P<other>\b(?:syntax|package|import|option|reserved|enum|oneof|extend|service)\b[^;{]*[;{])"
)


@dataclass
class ProtoField:
    number: int
    name: str
    type: str  # as written; resolved later
    repeated: bool
    map_types: tuple[str, str] | None = None


@dataclass
class ProtoMessage:
    package: str
    name: str  # possibly Outer.Inner
    fields: list[ProtoField] = field(default_factory=list)

    @property
    def full(self) -> str:
        return f"{self.package}.{self.name}"


def parse_proto(text: str, where: str) -> tuple[str, str, list[ProtoMessage]]:
    text = COMMENT_RE.sub(" ", text)
    pkg_match = PACKAGE_RE.search(text)
    if not pkg_match:
        raise SystemExit(f"{where}: no package statement")
    package = pkg_match.group(1)
    gopkg_match = GO_PACKAGE_RE.search(text)
    go_package = gopkg_match.group(1) if gopkg_match else ""
    messages: list[ProtoMessage] = []
    stack: list[ProtoMessage | None] = []  # None: a block that is not a message (enum, oneof)
    for m in TOKEN_RE.finditer(text):
        if m.group("message"):
            outer = next((s for s in reversed(stack) if s is not None), None)
            name = f"{outer.name}.{m.group('mname')}" if outer else m.group("mname")
            msg = ProtoMessage(package, name)
            messages.append(msg)
            stack.append(msg)
        elif m.group("close"):
            if not stack:
                raise SystemExit(f"{where}: unbalanced braces")
            stack.pop()
        elif m.group("map") or m.group("field"):
            current = stack[-1] if stack else None
            if current is None:
                raise SystemExit(f"{where}: field outside a message: {m.group(0)!r}")
            if m.group("map"):
                current.fields.append(
                    ProtoField(int(m.group("mnum")), m.group("mfname"), "", False, (m.group("ktype"), m.group("vtype")))
                )
            else:
                current.fields.append(
                    ProtoField(int(m.group("fnum")), m.group("fname"), m.group("ftype"), m.group("label") == "repeated")
                )
        elif m.group("other") and m.group(0).rstrip().endswith("{"):
            stack.append(None)
    if stack:
        raise SystemExit(f"{where}: unbalanced braces at end of file")
    return package, go_package, messages


def resolve_type(name: str, scope: str, known: set[str]) -> str:
    """Resolve a proto type reference the way protoc does (innermost scope outwards)."""
    if name in SCALARS:
        return name
    if name.startswith("."):
        return name[1:]
    parts = scope.split(".")
    while parts:
        candidate = ".".join([*parts, name])
        if candidate in known:
            return candidate
        parts.pop()
    if name in known:
        return name
    raise SystemExit(f"cannot resolve proto type {name!r} from {scope!r}")


# ---------------------------------------------------------------------------------------------
# The Go struct parser: json/protobuf struct tags, pointer-ness and embedding.

GO_STRUCT_RE = re.compile(r"^type\s+(\w+)\s+struct\s*\{([^\n]*\}|.*?^\})", re.M | re.S)
GO_SLICE_TYPE_RE = re.compile(r"^type\s+(\w+)\s+\[\]([\w.*]+)\s*$", re.M)
GO_FIELD_RE = re.compile(r"^\s*(?P<decl>[^`/]+?)\s*`(?P<tag>[^`]*)`")
TAG_RE = re.compile(r'(\w+):"((?:[^"\\]|\\.)*)"')
GROUP_NAME_RE = re.compile(r"^//\s*\+groupName=([\w.-]*)\s*$", re.M)


@dataclass
class GoField:
    json_name: str | None  # None: `json:"-"`
    omitempty: bool
    omitzero: bool
    pointer: bool
    inline: bool


def parse_go_structs(text: str) -> tuple[dict[str, dict[int, GoField]], set[str]]:
    structs: dict[str, dict[int, GoField]] = {}
    for sm in GO_STRUCT_RE.finditer(text):
        fields: dict[int, GoField] = {}
        for line in sm.group(2).splitlines():
            fm = GO_FIELD_RE.match(line)
            if not fm or fm.group("decl").lstrip().startswith("//"):
                continue
            tags = dict(TAG_RE.findall(fm.group("tag")))
            pb = tags.get("protobuf")
            if not pb:
                continue
            pb_parts = pb.split(",")
            if len(pb_parts) < 2 or not pb_parts[1].isdigit():
                continue
            decl = fm.group("decl").split()
            embedded = len(decl) == 1
            go_type = decl[-1]
            go_name = go_type.lstrip("*").rsplit(".", 1)[-1] if embedded else decl[0]
            json_opts = tags.get("json")
            if json_opts is None:
                json_name: str | None = None if embedded else go_name
                opts: list[str] = []
            else:
                name_part, *opts = json_opts.split(",")
                json_name = None if name_part == "-" and not opts else name_part
            inline = embedded and (json_name is None or json_name == "")
            if json_name == "" and not embedded:
                json_name = go_name
            fields[int(pb_parts[1])] = GoField(
                json_name=json_name if not inline else "",
                omitempty="omitempty" in opts,
                omitzero="omitzero" in opts,
                pointer=go_type.startswith("*"),
                inline=inline,
            )
        structs[sm.group(1)] = fields
    slices = {name for name, _ in GO_SLICE_TYPE_RE.findall(text)}
    return structs, slices


# ---------------------------------------------------------------------------------------------


@dataclass
class Collected:
    messages: dict[str, ProtoMessage] = field(default_factory=dict)
    go_structs: dict[str, dict[int, GoField]] = field(default_factory=dict)  # by proto full name
    go_slices: set[str] = field(default_factory=set)  # proto full names of `type X []T`
    groups: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)


def collect(src: Source, into: Collected) -> str:
    """Add one source's messages to ``into``; returns its Go module path (e.g. ``k8s.io/api``)."""
    files = src.list_files()
    protos = [f for f in files if f.endswith("generated.proto") and not SKIP_PATH_RE.search(f)]
    module = ""
    for proto_path in sorted(protos):
        package, go_package, messages = parse_proto(src.read(proto_path), f"{src.label}:{proto_path}")
        directory = proto_path.rsplit("/", 1)[0] if "/" in proto_path else ""
        go_files = [
            f
            for f in files
            if f.rsplit("/", 1)[0] == directory
            and f.endswith(".go")
            and not f.endswith(("_test.go", ".pb.go"))
            and not f.rsplit("/", 1)[-1].startswith("zz_generated")
        ]
        structs: dict[str, dict[int, GoField]] = {}
        slices: set[str] = set()
        group_name: str | None = None
        for go_file in sorted(go_files):
            text = src.read(go_file)
            file_structs, file_slices = parse_go_structs(text)
            for struct_name, struct_fields in file_structs.items():
                # Build-tag variants of one struct (fieldsv1_byte.go / fieldsv1_string.go): union.
                structs[struct_name] = {**structs.get(struct_name, {}), **struct_fields}
            slices |= file_slices
            gm = GROUP_NAME_RE.search(text)
            if gm and group_name is None:
                group_name = gm.group(1)
        for msg in messages:
            previous = into.messages.get(msg.full)
            if previous is not None:
                # Keep fields an older release had and this one dropped; same numbers: newest wins.
                newer = {f.number for f in msg.fields}
                msg.fields = [f for f in previous.fields if f.number not in newer] + msg.fields
            into.messages[msg.full] = msg
            if msg.name in structs:
                into.go_structs[msg.full] = {**into.go_structs.get(msg.full, {}), **structs[msg.name]}
            if msg.name in slices:
                into.go_slices.add(msg.full)
        parts = directory.split("/")
        version = parts[-1] if parts else ""
        if VERSION_RE.match(version) and len(parts) >= 2:
            group = group_name if group_name is not None else parts[-2]
            if group == "core":
                group = ""
            into.groups[f"{group}/{version}" if group else version] = package
        if go_package and not module:
            # go_package is e.g. k8s.io/api/apps/v1; the module is what precedes the directory.
            module = go_package[: -len(directory) - 1] if directory and go_package.endswith(directory) else go_package
    module = module or str(src.root)
    commit = src.commit()
    if commit:
        into.sources[f"{module}@{src.ref}"] = commit
    return module


def is_wrapper(msg: ProtoMessage, col: Collected) -> bool:
    """A message standing in for a Go list type (JSON: the bare list)."""
    if len(msg.fields) != 1:
        return False
    only = msg.fields[0]
    return only.number == 1 and only.repeated and only.name == "items" and msg.full in col.go_slices


def build(col: Collected, command: str) -> dict[str, Any]:
    known = set(col.messages)
    wrappers = sorted(name for name, msg in col.messages.items() if is_wrapper(msg, col))
    wrapper_set = set(wrappers)
    out_messages: dict[str, dict[str, list[object]]] = {}
    for full in sorted(col.messages):
        msg = col.messages[full]
        scope = full  # nested scopes: the message itself, then outwards
        go_fields = col.go_structs.get(full, {})
        fields: dict[str, list[object]] = {}
        for pf in sorted(msg.fields, key=lambda f: f.number):
            if pf.map_types:
                k = resolve_type(pf.map_types[0], scope, known)
                v = resolve_type(pf.map_types[1], scope, known)
                ftype = f"map:{k}:{v}"
            else:
                ftype = resolve_type(pf.type, scope, known)
            flags = FLAG_REPEATED if pf.repeated else 0
            json_name = pf.name
            gf = go_fields.get(pf.number)
            if gf is not None:
                if gf.json_name is None:
                    continue  # not part of the JSON form
                if gf.inline:
                    flags |= FLAG_INLINE
                    json_name = pf.name
                else:
                    json_name = gf.json_name
                simple = (ftype in SCALARS or ftype in wrapper_set) and not pf.repeated
                if gf.omitempty and not gf.pointer and simple:
                    flags |= FLAG_OMIT_EMPTY
                if gf.omitzero:
                    flags |= FLAG_OMIT_ZERO
            fields[str(pf.number)] = [json_name, ftype, flags]
        out_messages[full] = fields
    return {
        "generated": f"GENERATED by `{command}`; do not edit.",
        "sources": dict(sorted(col.sources.items())),
        "groups": dict(sorted(col.groups.items())),
        "wrappers": wrappers,
        "messages": out_messages,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("sources", nargs="+", type=Path, help="checkout or bare git directory")
    parser.add_argument(
        "--ref", action="append", dest="refs", help="git ref to read from git directories (repeatable; default HEAD)"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    refs: list[str] = args.refs or ["HEAD"]
    col = Collected()
    shown_sources: list[str] = []
    for root in args.sources:
        root = root.resolve()
        modules: set[str] = set()
        if is_git_dir(root):
            for ref in refs:
                if not ref_exists(root, ref):
                    print(f"warning: {root} has no ref {ref}; skipped", file=sys.stderr)
                    continue
                modules.add(collect(Source(root, ref), col))
        elif root.is_dir():
            modules.add(collect(Source(root, None), col))
        else:
            parser.error(f"{root} is neither a directory nor a git directory")
        shown_sources.append("|".join(f"<{m}>" for m in sorted(modules)) or str(root))
    shown_refs = "".join(f" --ref {r}" for r in args.refs or [])
    command = f"python -m schemas.generate_proto{shown_refs} {' '.join(shown_sources)}"
    doc = build(col, command)
    text = json.dumps(doc, separators=(",", ":"), sort_keys=False) + "\n"
    args.output.write_text(text, encoding="utf-8")
    n_fields = sum(len(fields) for fields in doc["messages"].values())
    print(
        f"wrote {args.output}: {len(doc['messages'])} messages, {n_fields} fields, "
        f"{len(doc['groups'])} group versions, {len(text)} bytes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
