"""Build kube-apiserver and etcd from their Go modules, exactly as released.

Each Kubernetes release gets a throwaway Go module under the cache directory
that requires ``k8s.io/kubernetes`` at the release and pins every staging
module (``k8s.io/api``, ``k8s.io/apiserver``...) to the matching ``v0.x.y``:
the kubernetes module's own go.mod points those at ``./staging`` paths, which
do not exist outside its repository. etcd is built from its server module in a
second throwaway module, at the version the Kubernetes release itself requires,
so that the two modules' dependencies never meet. Nothing is written into the
repository.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_KUBERNETES = "v1.37.2"


def cache_root() -> Path:
    """Where built references live; ``FAKEKUBE_REFERENCE_CACHE`` overrides."""
    env = os.environ.get("FAKEKUBE_REFERENCE_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "fakekube" / "reference"


@dataclass(frozen=True)
class Binaries:
    """The two programs of one release's reference, and the release."""

    kubernetes: str
    kube_apiserver: Path
    etcd: Path

    def exist(self) -> bool:
        return self.kube_apiserver.is_file() and self.etcd.is_file()


def binaries_for(kubernetes: str = DEFAULT_KUBERNETES) -> Binaries:
    home = cache_root() / kubernetes
    return Binaries(kubernetes, home / "bin" / "kube-apiserver", home / "bin" / "etcd")


def _go(args: list[str], cwd: Path) -> str:
    env = dict(os.environ, GOFLAGS="-mod=mod", CGO_ENABLED="0")
    done = subprocess.run(["go", *args], cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"go {' '.join(args)} failed in {cwd}:\n{done.stderr[-4000:]}")
    return done.stdout


def _kubernetes_go_mod(kubernetes: str, scratch: Path) -> str:
    out = _go(["mod", "download", "-json", f"k8s.io/kubernetes@{kubernetes}"], scratch)
    info = json.loads(out)
    return Path(info["GoMod"]).read_text()


def staging_modules(go_mod: str) -> list[str]:
    """The modules kubernetes' go.mod replaces with its ./staging directories."""
    return re.findall(r"^\s*(\S+)\s*=>\s*\./staging/", go_mod, flags=re.MULTILINE)


def etcd_version(go_mod: str) -> str:
    """The etcd server version the release requires (its integration tests use it)."""
    found = re.search(r"go\.etcd\.io/etcd/server/v3 (v\S+)", go_mod)
    if not found:
        raise RuntimeError("kubernetes go.mod names no go.etcd.io/etcd/server/v3 version")
    return found.group(1)


def version_ldflags(kubernetes: str) -> str:
    """The version stamps kubernetes' own build (hack/lib/version.sh) links in; without them the binary
    calls itself ``v0.0.0-master`` in ``/version``."""
    major, minor = kubernetes.removeprefix("v").split(".")[:2]
    stamps = {"gitVersion": kubernetes, "gitMajor": major, "gitMinor": minor, "gitTreeState": "clean",
              "gitCommit": "0000000000000000000000000000000000000000", "buildDate": "1970-01-01T00:00:00Z"}
    return " ".join(f"-X k8s.io/{package}/version.{name}={value}"
                    for package in ("component-base", "client-go/pkg") for name, value in stamps.items())


def _write_module(directory: Path, name: str, go_mod_body: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "go.mod").write_text(f"module {name}\n\ngo 1.26.0\n\n{go_mod_body}")


def build(kubernetes: str = DEFAULT_KUBERNETES, *, log: bool = True) -> Binaries:
    """Build (or reuse) kube-apiserver and etcd for ``kubernetes`` (``v1.37.2``)."""
    target = binaries_for(kubernetes)
    if target.exist():
        return target
    home = cache_root() / kubernetes
    bin_dir = home / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    staging_version = "v0." + kubernetes.removeprefix("v1.")
    go_mod = _kubernetes_go_mod(kubernetes, home)
    replaces = "\n".join(f"\t{m} => {m} {staging_version}" for m in staging_modules(go_mod))

    started = time.monotonic()
    apiserver_mod = home / "apiserver-module"
    if apiserver_mod.exists():
        shutil.rmtree(apiserver_mod)
    _write_module(
        apiserver_mod,
        "fakekube.reference/apiserver",
        f"require k8s.io/kubernetes {kubernetes}\n\nreplace (\n{replaces}\n)\n",
    )
    _go(["get", "-tool", f"k8s.io/kubernetes/cmd/kube-apiserver@{kubernetes}"], apiserver_mod)
    _go(["build", "-ldflags", version_ldflags(kubernetes), "-o", str(target.kube_apiserver),
         "k8s.io/kubernetes/cmd/kube-apiserver"], apiserver_mod)
    if log:
        print(f"kube-apiserver {kubernetes} built in {time.monotonic() - started:.0f} s")

    started = time.monotonic()
    etcd = etcd_version(go_mod)
    etcd_mod = home / "etcd-module"
    if etcd_mod.exists():
        shutil.rmtree(etcd_mod)
    _write_module(etcd_mod, "fakekube.reference/etcd", "")
    _go(["get", "-tool", f"go.etcd.io/etcd/server/v3@{etcd}"], etcd_mod)
    _go(["build", "-o", str(target.etcd), "go.etcd.io/etcd/server/v3"], etcd_mod)
    if log:
        print(f"etcd {etcd} built in {time.monotonic() - started:.0f} s")
    return target
