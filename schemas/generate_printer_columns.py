"""Generate ``schemas/v1.NN/printer_columns.json``: the column definitions kube-apiserver's printers send in a
``Table``, per kind, as each release words them.

Usage (from the repository root)::

    python -m schemas.generate_printer_columns [RELEASE ...]

Reads, from the Go module cache (``go env GOMODCACHE``; ``go mod download k8s.io/kubernetes@v1.NN.x`` and
``k8s.io/api``/``k8s.io/apimachinery`` at the matching ``v0.NN.x`` fill it), each release's
``pkg/printers/internalversion/printers.go``.  Development tooling only: Go is never needed to run fakekube.

Why: a printer's column definition carries a short description, either written in ``printers.go`` or taken
from the API documentation of the field it shows (``SwaggerDoc()["podIP"]``).  The first kind is kept and sent
as kube-apiserver sends it; the second is upstream's API documentation, the prose the repository never keeps
(its OpenAPI documents stay without descriptions), so those columns go out with an empty description.

Output: ``{"generated": ..., "source": "k8s.io/kubernetes@v1.37.2", "kinds": {"Pod": [{"name": "Name",
"type": "string", "format": "name", "description": "...", "priority": 0}, ...], ...}}``: each kind's columns in
the printer's order (Name and Age included), keyed by the kind the print function takes.  Standard library only.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
RELEASES = {"v1.33": "v1.33.0", "v1.34": "v1.34.0", "v1.35": "v1.35.0", "v1.36": "v1.36.0", "v1.37": "v1.37.2"}

_OPEN = re.compile(r"(\w+)\s*(?::=|=\s*append\(\w+,)\s*\[\]metav1\.TableColumnDefinition\{")
_COLUMN = re.compile(r"\{Name:\s*\"([^\"]*)\",(.*)\},\s*$")
_FIELD = re.compile(r'(Type|Format):\s*"([^"]*)"|Priority:\s*(\d+)')
_DOC = re.compile(r'Description:\s*(?:("(?:[^"\\]|\\.)*")|(\w+)\.(\w+)\{\}((?:\.\w+)*)\.SwaggerDoc\(\)\["(\w*)"\])')
_HANDLER = re.compile(r"TableHandler\((\w+),\s*(print\w+)\)")
_PRINT_FUNC = re.compile(r"^func (print\w+)\(\w+ \*\w+\.(\w+),", re.M)


def _mod_cache() -> Path:
    return Path(os.environ.get("GOMODCACHE") or subprocess.run(
        ["go", "env", "GOMODCACHE"], capture_output=True, text=True, check=True).stdout.strip())


def _columns(source: str) -> dict[str, list[dict[str, Any]]]:
    by_var: dict[str, list[dict[str, Any]]] = {}
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        opened = _OPEN.search(lines[i])
        i += 1
        if opened is None:
            continue
        if "append" in lines[i - 1]:
            target = by_var.setdefault(opened[1], [])
        else:
            target = by_var[opened[1]] = []
        while i < len(lines) and not lines[i].strip().startswith("}"):
            line = lines[i].strip()
            i += 1
            found = _COLUMN.match(line)
            if found is None:
                continue
            definition: dict[str, Any] = {"name": found[1], "type": "", "format": "", "description": "",
                                          "priority": 0}
            for kind, value, priority in _FIELD.findall(found[2]):
                if priority:
                    definition["priority"] = int(priority)
                else:
                    definition[kind.lower()] = value
            doc = _DOC.search(found[2])
            if doc is None:
                raise SystemExit(f"cannot read the description of {line}")
            # A description printers.go writes itself is kube-apiserver's own text and is kept; one it takes from
            # the API documentation (``SwaggerDoc()[...]``) is upstream's OpenAPI prose, which the repository
            # does not keep: it is left empty (the conformance recordings leave descriptions out too).
            definition["description"] = json.loads(doc[1]) if doc[1] else ""
            target.append(definition)
    kinds_of = dict(_PRINT_FUNC.findall(source))
    result: dict[str, list[dict[str, Any]]] = {}
    for var, func in _HANDLER.findall(source):
        kind = kinds_of.get(func)
        if kind is not None and var in by_var and not (kind.endswith("List") and kind[:-4] in kinds_of.values()):
            result.setdefault(kind, by_var[var])
    return dict(sorted(result.items()))


def generate(release: str, full: str) -> dict[str, Any]:
    cache = _mod_cache()
    printers = cache / f"k8s.io/kubernetes@{full}" / "pkg/printers/internalversion/printers.go"
    source = printers.read_text()
    return {"generated": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "source": f"k8s.io/kubernetes@{full}",
            "kinds": _columns(source)}


def main(argv: list[str]) -> None:
    for release in argv or list(RELEASES):
        out = ROOT / release / "printer_columns.json"
        out.write_text(json.dumps(generate(release, RELEASES[release]), indent=1, ensure_ascii=False) + "\n")
        print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
