"""Generate ``schemas/value_structs.json``: the fields of built-in types that are Go structs held by value;
and ``schemas/v1.NN/zero_fields.json``: the fields Go's ``encoding/json`` writes even when they are unset.

Usage (from the repository root)::

    python -m schemas.generate_value_structs [MODULE_DIR ...]

Without arguments it downloads ``k8s.io/api``, ``k8s.io/apimachinery``, ``k8s.io/apiextensions-apiserver``
and ``k8s.io/kube-aggregator`` at ``v0.33.0`` to ``v0.37.2`` with ``go mod download`` (development tooling
only: Go is never needed to run fakekube) and reads their Go sources (``value_structs.json`` from ``v0.33.0``,
``v0.36.0`` and ``v0.37.2``, each ``zero_fields.json`` from its own release).

Why: kube-apiserver's field manager compares typed Go objects.  A struct field held by value (``Spec
DeploymentSpec``, ``Resources ResourceRequirements``) is always present in a typed object, even when
empty, so a create or update never *adds* it as a node: its ``FieldsV1`` entry has no ``.``.  A pointer
field (``RollingUpdate *RollingUpdateDeployment``) is added as a node when it first appears.  The OpenAPI
v2 documents the catalog derives from do not say which is which.

Likewise a slice, map or pointer field without ``omitempty`` (``Containers []Container `json:"containers"```)
is ``null`` in a typed object, not absent, so the list node is not added either.

Output: ``{"generated": ..., "sources": [...], "fields": {"io.k8s.api.apps.v1.DeploymentSpec": ["strategy",
"template"], ...}, "nulls": {"io.k8s.api.core.v1.PodSpec": ["containers"], ...}}`` (``fields``: non-pointer
fields of a named type, structs among them; the reader keeps those whose schema is a struct), only for
definitions of the committed schemas.

Why ``zero_fields.json``: kube-apiserver answers with its typed Go object as ``encoding/json`` writes it, so
a field that JSON omits is still written when Go never omits it: a struct held by value (``status: {}``,
even with ``omitempty``; ``metav1.Time`` as ``null``), a nil pointer, slice or map without ``omitempty``
(``null``), a string, number or bool without ``omitempty`` (``""``, ``0``, ``false``); ``omitzero``
(``creationTimestamp`` from v0.34) omits a zero value.  Tags change between releases, so there is one table
per Kubernetes version.  Output: ``{"generated": ..., "sources": [...], "fields": {"io.k8s.api.apps.v1.Deployment":
{"metadata": "v", "spec": "o", "status": "o"}, ...}}`` with a code per field: ``n`` a nil pointer, slice
or map written as ``null``; ``e`` a slice or map with ``omitempty``, not written when empty (``labels: {}``
sent by a client is gone once stored); ``z`` a Go string, number or bool written as its zero; ``v`` a named type
without ``omitempty`` and ``o`` one with it (the reader tells structs from named strings and maps by the
field's schema).  Fields inlined from an embedded struct (``EphemeralContainerCommon``) count as the
embedding type's.  Standard library only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "value_structs.json"
MODULES = ("k8s.io/api", "k8s.io/apimachinery", "k8s.io/apiextensions-apiserver", "k8s.io/kube-aggregator")
VERSIONS = ("v0.33.0", "v0.36.0", "v0.37.2")
# Each Kubernetes minor version fakekube serves, by the release of the Go modules its types come from.
ZERO_VERSIONS = {"v0.33.0": "v1.33", "v0.34.0": "v1.34", "v0.35.0": "v1.35", "v0.36.0": "v1.36",
                 "v0.37.2": "v1.37"}
ZERO_OUTPUT = "zero_fields.json"

STRUCT_RE = re.compile(r"^type (\w+) struct \{")
FIELD_RE = re.compile(r"^\s+(?:(\w+)\s+)?(\*?)((?:\[\]|map\[)?[\w.]+)\s+`json:\"([^\",]*)([^\"]*)\"")
# A field of a struct, named or embedded, with any Go type (``map[string][]byte`` included) and its JSON tag.
GO_FIELD_RE = re.compile(r"^\t(?:\w+\s+)?([\w.*\[\]]+)\s+`json:\"([^\"]*)\"")
GO_SCALARS = frozenset({"string", "bool", "byte", "rune", "int", "int8", "int16", "int32", "int64", "uint", "uint8",
                        "uint16", "uint32", "uint64", "float32", "float64"})


def download() -> list[Path]:
    args = [f"{module}@{version}" for module in MODULES for version in sorted({*VERSIONS, *ZERO_VERSIONS})]
    out = subprocess.run(["go", "mod", "download", "-json", *args], check=True, capture_output=True, text=True,
                         cwd="/tmp").stdout
    return [Path(m) for m in re.findall(r'"Dir": "([^"]+)"', out)]


def definition_prefix(module_dir: Path, package_dir: Path) -> str:
    module = re.sub(r"@v[\d.]+$", "", module_dir.name)  # api, apimachinery, ...
    rel = package_dir.relative_to(module_dir).as_posix().replace("/", ".")
    return f"io.k8s.{module}.{rel}"


def struct_lines(module_dir: Path) -> Iterator[tuple[str, str, str]]:
    """Every line inside a struct of the module's Go sources (tests and generated code left out), with the
    package's definition prefix and the struct's definition name."""
    for path in sorted(module_dir.rglob("*.go")):
        if path.name.endswith("_test.go") or path.name.startswith("zz_generated") or "/testing" in path.as_posix():
            continue
        prefix = definition_prefix(module_dir, path.parent)
        current: str | None = None
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            start = STRUCT_RE.match(line)
            if start:
                current = f"{prefix}.{start.group(1)}"
                yield prefix, current, ""  # a struct without fields is a definition too
            elif line.startswith("}"):
                current = None
            elif current is not None:
                yield prefix, current, line


def read_module(module_dir: Path, fields: dict[str, set[str]], nulls: dict[str, set[str]]) -> None:
    for _, name, line in struct_lines(module_dir):
        match = FIELD_RE.match(line)
        if match is None:
            continue
        _, pointer, go_type, json_name, options = match.groups()
        if not json_name or json_name == "-":
            continue
        if pointer or go_type.startswith(("[]", "map[")):
            if "omitempty" not in options:  # a nil pointer, slice or map without omitempty: null
                nulls.setdefault(name, set()).add(json_name)
            continue
        if not go_type.rsplit(".", 1)[-1][:1].isupper():
            continue  # a Go builtin (string, int32, bool...)
        fields.setdefault(name, set()).add(json_name)


def zero_code(go_type: str, options: set[str]) -> str | None:
    """What Go writes for the field when it is unset (see the module's docstring), or None: nothing."""
    if "omitzero" in options:
        return None
    if go_type.startswith(("[]", "map[")):
        return "e" if "omitempty" in options else "n"
    if go_type.startswith("*"):
        return None if "omitempty" in options else "n"
    if go_type in GO_SCALARS:
        return None if "omitempty" in options else "z"
    return "o" if "omitempty" in options else "v"


def read_zero_fields(module_dir: Path, codes: dict[str, dict[str, str]]) -> None:
    """The fields of every struct of ``module_dir`` that Go writes when unset, by definition name."""
    inlined: dict[str, list[str]] = {}
    for prefix, current, line in struct_lines(module_dir):
        codes.setdefault(current, {})
        match = GO_FIELD_RE.match(line)
        if match is None:
            continue
        go_type, tag = match.groups()
        json_name, _, rest = tag.partition(",")
        options = set(rest.split(","))
        if json_name == "-":
            continue
        if not json_name:
            # An inlined struct of the same package (TypeMeta's kind and apiVersion are always set).
            if "inline" in options and "." not in go_type:
                inlined.setdefault(current, []).append(f"{prefix}.{go_type.lstrip('*')}")
            continue
        code = zero_code(go_type, options)
        if code is not None:
            codes[current][json_name] = code

    def flattened(name: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for embedded in inlined.get(name, ()):
            out.update(flattened(embedded))
        out.update(codes.get(name, {}))
        return out

    for name in inlined:
        codes[name] = flattened(name)


def write_zero_fields(dirs: list[Path]) -> None:
    by_release: dict[str, list[Path]] = {}
    for module_dir in dirs:
        release = re.search(r"@(v[\d.]+)$", module_dir.name)
        if release and release.group(1) in ZERO_VERSIONS:
            by_release.setdefault(ZERO_VERSIONS[release.group(1)], []).append(module_dir)
    for kubernetes_version, module_dirs in sorted(by_release.items()):
        codes: dict[str, dict[str, str]] = {}
        for module_dir in module_dirs:
            read_zero_fields(module_dir, codes)
        known = json.loads((HERE / kubernetes_version / "definitions.json").read_text())["definitions"]
        document = {
            "generated": "by python -m schemas.generate_value_structs; do not edit",
            "sources": sorted(d.name for d in module_dirs),
            "fields": {name: dict(sorted(codes[name].items())) for name in sorted(codes)
                       if name in known and codes[name]},
        }
        output = HERE / kubernetes_version / ZERO_OUTPUT
        output.write_text(json.dumps(document, separators=(",", ":")) + "\n")
        print(f"wrote {output} ({len(document['fields'])} definitions)")


def main(argv: list[str]) -> None:
    all_dirs = [Path(a) for a in argv] if argv else download()
    dirs = all_dirs if argv else [d for d in all_dirs if any(d.name.endswith(f"@{v}") for v in VERSIONS)]
    fields: dict[str, set[str]] = {}
    nulls: dict[str, set[str]] = {}
    for module_dir in dirs:
        read_module(module_dir, fields, nulls)
    known: set[str] = set()
    for definitions in sorted(HERE.glob("v1.*/definitions.json")):
        known.update(json.loads(definitions.read_text())["definitions"])
    document = {
        "generated": "by python -m schemas.generate_value_structs; do not edit",
        "sources": sorted(d.name for d in dirs),
        "fields": {name: sorted(fields[name]) for name in sorted(fields) if name in known},
        "nulls": {name: sorted(nulls[name]) for name in sorted(nulls) if name in known},
    }
    OUTPUT.write_text(json.dumps(document, separators=(",", ":"), sort_keys=False) + "\n")
    print(f"wrote {OUTPUT} ({len(document['fields'])} definitions)")
    write_zero_fields(all_dirs)


if __name__ == "__main__":
    main(sys.argv[1:])
