"""Generate ``schemas/v1.NN/bootstrap_policy.json``: the RBAC objects kube-apiserver's ``rbac/bootstrap-roles``
post-start hook stores in a new cluster.

Usage (from the repository root)::

    python -m schemas.generate_bootstrap_policy [KUBERNETES_MODULE_DIR ...]

Without arguments it downloads ``k8s.io/kubernetes`` at ``v1.33.0`` to ``v1.37.2`` with ``go mod download``
(development tooling only, as ``schemas.generate_value_structs``: Go is never needed to run fakekube) and reads
upstream's fixtures of the policy, ``plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata/*.yaml``.  Those
files are what ``bootstrappolicy.ClusterRoles()``, ``ControllerRoles()``, ``ClusterRoleBindings()``,
``ControllerRoleBindings()``, ``NamespaceRoles()`` and ``NamespaceRoleBindings()`` return with the default
feature gates (upstream's ``policy_test.go`` fails when they differ), which is exactly the list the hook
reconciles into storage: ``ClusterRoles() + ControllerRoles()``, ``ClusterRoleBindings() +
ControllerRoleBindings()``, then the namespaced ones.  Each file is sorted by name, as the test writes it.

Output, one file per Kubernetes version, compact JSON: ``{"generated": ..., "source": "k8s.io/kubernetes@v1.NN.0",
"clusterRoles": [...], "clusterRoleBindings": [...], "roles": [...], "roleBindings": [...]}``, each object as the
hook sends it (``creationTimestamp: null``, Go's encoding of an unset time, left out).  fakekube writes them
through its own write pipeline (``fakekube/controllers/rbac_bootstrap.py``), so defaults, managed fields and the
aggregated rules of ``admin``, ``edit`` and ``view`` are its own.  Standard library and PyYAML only.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
MODULE = "k8s.io/kubernetes"
# Each Kubernetes minor version fakekube serves, by the release of k8s.io/kubernetes its policy comes from.
RELEASES = {"v1.33.0": "v1.33", "v1.34.0": "v1.34", "v1.35.0": "v1.35", "v1.36.0": "v1.36",
            "v1.37.2": "v1.37"}
TESTDATA = Path("plugin/pkg/auth/authorizer/rbac/bootstrappolicy/testdata")
OUTPUT = "bootstrap_policy.json"
# Output key -> the fixtures holding it, in the order the post-start hook appends them.
PARTS = {
    "clusterRoles": ("cluster-roles.yaml", "controller-roles.yaml"),
    "clusterRoleBindings": ("cluster-role-bindings.yaml", "controller-role-bindings.yaml"),
    "roles": ("namespace-roles.yaml",),
    "roleBindings": ("namespace-role-bindings.yaml",),
}


def download() -> list[Path]:
    args = [f"{MODULE}@{release}" for release in RELEASES]
    out = subprocess.run(["go", "mod", "download", "-json", *args], check=True, capture_output=True, text=True,
                         cwd="/tmp").stdout
    return [Path(m) for m in re.findall(r'"Dir": "([^"]+)"', out)]


def read_items(path: Path) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = yaml.safe_load(path.read_text())["items"]
    for item in items:
        if item["metadata"].get("creationTimestamp", "") is None:
            del item["metadata"]["creationTimestamp"]
    return items


def write_policy(module_dir: Path) -> None:
    release = re.search(r"@(v[\d.]+)$", module_dir.name)
    if not release or release.group(1) not in RELEASES:
        raise SystemExit(f"{module_dir}: not one of the releases {sorted(RELEASES)}")
    document: dict[str, Any] = {
        "generated": "by python -m schemas.generate_bootstrap_policy; do not edit",
        "source": f"{module_dir.name} {TESTDATA}",
    }
    for key, files in PARTS.items():
        document[key] = [item for name in files for item in read_items(module_dir / TESTDATA / name)]
    output = HERE / RELEASES[release.group(1)] / OUTPUT
    output.write_text(json.dumps(document, separators=(",", ":")) + "\n")
    counts = ", ".join(f"{len(document[key])} {key}" for key in PARTS)
    print(f"wrote {output} ({counts})")


def main(argv: list[str]) -> None:
    for module_dir in [Path(a) for a in argv] if argv else download():
        write_policy(module_dir)


if __name__ == "__main__":
    main(sys.argv[1:])
