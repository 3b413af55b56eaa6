"""Generate ``schemas/v1.NN/bootstrap_snapshot.json``: what a new ``FakeCluster`` with default settings holds.

Usage (from the repository root)::

    python -m schemas.generate_bootstrap_snapshot          # write every version's file
    python -m schemas.generate_bootstrap_snapshot --check  # exit 1 if a file differs from what would be written

Each file is the output of ``fakekube.controllers.bootstrap.build`` for a version and the default
``ClusterSettings`` (namespaces, the ``kubernetes`` Service, the bootstrap RBAC policy, what the default
controllers add), written through fakekube's own write pipeline: nothing here comes from upstream.  A cluster
reads it instead of running those 150 writes when it starts (see the docstring of
``fakekube/controllers/bootstrap.py``).  Regenerate after any change to what those writes store (defaults,
managed fields, the policy file, the controllers); ``tests/test_bootstrap_snapshot.py`` fails until then.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fakekube.cluster import CONTROLLERS, KUBE_APISERVER, ClusterSettings
from fakekube.controllers import bootstrap
from fakekube.versions import SUPPORTED_VERSIONS

HERE = Path(__file__).resolve().parent


def default_spec(kubernetes_version: str) -> bootstrap.Spec:
    """The ``Spec`` a ``FakeCluster(kubernetes_version)`` with no other option asks for."""
    s = ClusterSettings(kubernetes_version=kubernetes_version)
    return bootstrap.spec(s.kubernetes_version, s.runtime_config, s.bootstrap, s.controllers, s.host, s.port)


def generated(kubernetes_version: str) -> bytes:
    """The file's content for one version, built through the write pipeline now."""
    key = default_spec(kubernetes_version)
    return bootstrap.encode(key, bootstrap.build(key, KUBE_APISERVER, CONTROLLERS))


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for version in SUPPORTED_VERSIONS:
        path = HERE / version / bootstrap.SNAPSHOT_FILE
        content = generated(version)
        if check:
            if not path.is_file() or path.read_bytes() != content:
                stale.append(str(path))
            continue
        path.write_bytes(content)
        print(f"wrote {path} ({len(content) // 1024} KiB)")
    if stale:
        print(f"out of date (run python -m schemas.generate_bootstrap_snapshot): {', '.join(stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
