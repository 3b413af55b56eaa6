"""Generate ``schemas/value_structs.json``: the fields of built-in types that are Go structs held by value.

Usage (from the repository root)::

    python -m schemas.generate_value_structs [MODULE_DIR ...]

Without arguments it downloads ``k8s.io/api``, ``k8s.io/apimachinery``, ``k8s.io/apiextensions-apiserver``
and ``k8s.io/kube-aggregator`` at ``v0.33.0`` and ``v0.36.0`` with ``go mod download`` (development tooling
only: Go is never needed to run fakekube) and reads their Go sources.

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
definitions of the committed schemas.  Standard library only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "value_structs.json"
MODULES = ("k8s.io/api", "k8s.io/apimachinery", "k8s.io/apiextensions-apiserver", "k8s.io/kube-aggregator")
VERSIONS = ("v0.33.0", "v0.36.0")

STRUCT_RE = re.compile(r"^type (\w+) struct \{")
FIELD_RE = re.compile(r"^\s+(?:(\w+)\s+)?(\*?)((?:\[\]|map\[)?[\w.]+)\s+`json:\"([^\",]*)([^\"]*)\"")


def download() -> list[Path]:
    args = [f"{module}@{version}" for module in MODULES for version in VERSIONS]
    out = subprocess.run(["go", "mod", "download", "-json", *args], check=True, capture_output=True, text=True,
                         cwd="/tmp").stdout
    return [Path(m) for m in re.findall(r'"Dir": "([^"]+)"', out)]


def definition_prefix(module_dir: Path, package_dir: Path) -> str:
    module = re.sub(r"@v[\d.]+$", "", module_dir.name)  # api, apimachinery, ...
    rel = package_dir.relative_to(module_dir).as_posix().replace("/", ".")
    return f"io.k8s.{module}.{rel}"


def read_module(module_dir: Path, fields: dict[str, set[str]], nulls: dict[str, set[str]]) -> None:
    for path in sorted(module_dir.rglob("*.go")):
        if path.name.endswith("_test.go") or path.name.startswith("zz_generated") or "/testing" in path.as_posix():
            continue
        prefix = definition_prefix(module_dir, path.parent)
        current: str | None = None
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            start = STRUCT_RE.match(line)
            if start:
                current = start.group(1)
                continue
            if line.startswith("}"):
                current = None
                continue
            if current is None:
                continue
            match = FIELD_RE.match(line)
            if not match:
                continue
            _, pointer, go_type, json_name, options = match.groups()
            if not json_name or json_name == "-":
                continue
            name = f"{prefix}.{current}"
            if pointer or go_type.startswith(("[]", "map[")):
                if "omitempty" not in options:  # a nil pointer, slice or map without omitempty: null
                    nulls.setdefault(name, set()).add(json_name)
                continue
            if not go_type.rsplit(".", 1)[-1][:1].isupper():
                continue  # a Go builtin (string, int32, bool...)
            fields.setdefault(name, set()).add(json_name)


def main(argv: list[str]) -> None:
    dirs = [Path(a) for a in argv] if argv else download()
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


if __name__ == "__main__":
    main(sys.argv[1:])
