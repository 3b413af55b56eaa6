"""fakekube's pytest plugin (installed as ``fakekube_pytest_plugin`` through the ``pytest11`` entry point).

Fixtures:

* ``fake_cluster`` — a fresh, isolated ``FakeCluster`` per test, serving over HTTP from a
  background thread; while the test runs ``KUBECONFIG`` points at it, so code that loads the
  default kube config (official client, kubernetes_asyncio, lightkube, kr8s, kubectl) talks to it.
* ``fake_cluster_factory`` — call it to get more clusters; all are stopped after the test.

Marker ``@pytest.mark.fakekube(version=..., manifests=[...], crds=[...], runtime_config=...)``
configures and preloads a test's cluster; markers on the module and class merge with the test's
own (lists add up, the closest scalar wins).  Options: ``--fakekube-version`` /
``fakekube_version`` (ini), ``--fakekube-dump-on-failure`` / ``fakekube_dump_on_failure`` (ini).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from fakekube import DEFAULT_VERSION, SUPPORTED_VERSIONS, ClusterSettings, FakeCluster
from fakekube.kubeconfig import scratch_dir

CLUSTERS_KEY = pytest.StashKey[list[FakeCluster]]()
# Client libraries that read KUBECONFIG once, at import, into a module constant.
_KUBECONFIG_CONSTANTS = (
    ("kubernetes.config.kube_config", "KUBE_CONFIG_DEFAULT_LOCATION"),
    ("kubernetes_asyncio.config.kube_config", "KUBE_CONFIG_DEFAULT_LOCATION"),
)

ClusterFactory = Callable[..., FakeCluster]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakekube", "fake Kubernetes API server")
    group.addoption("--fakekube-version", default=None, choices=SUPPORTED_VERSIONS,
                    help=f"Kubernetes version of fake clusters (default {DEFAULT_VERSION})")
    group.addoption("--fakekube-dump-on-failure", action="store_true", default=None,
                    help="add the fake cluster's objects as YAML to the report of a failed test")
    parser.addini("fakekube_version", "Kubernetes version of fake clusters", default=DEFAULT_VERSION)
    parser.addini("fakekube_dump_on_failure", "dump fake cluster objects for failed tests", type="bool",
                  default=False)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "fakekube(version=None, manifests=(), crds=(), runtime_config=None): configure and preload the "
        "test's fake cluster (manifests: paths relative to the test file, or inline YAML)",
    )


def _default_version(config: pytest.Config) -> str:
    value = config.getoption("--fakekube-version") or config.getini("fakekube_version")
    return str(value or DEFAULT_VERSION)


def _marker_options(item: pytest.Item) -> dict[str, Any]:
    """Merge every ``fakekube`` marker, farthest (module) first, so the test's own settings win."""
    merged: dict[str, Any] = {"manifests": [], "crds": []}
    for marker in reversed(list(item.iter_markers("fakekube"))):
        for key, value in marker.kwargs.items():
            if key in ("manifests", "crds"):
                merged[key].extend([value] if isinstance(value, (str, Path, dict)) else list(value))
            else:
                merged[key] = value
        if marker.args:
            merged["manifests"].extend(marker.args)
    return merged


def _resolve(entry: Any, base: Path) -> Any:
    """Paths are relative to the test file; a one-line string with no ``key: value`` in it is a path."""
    if isinstance(entry, str) and "\n" not in entry and ": " not in entry and not entry.lstrip().startswith("{"):
        entry = Path(entry)
    if isinstance(entry, Path) and not entry.is_absolute():
        return base / entry
    return entry


MARKER_OPTIONS = frozenset({"version", "manifests", "crds"} | set(ClusterSettings.__dataclass_fields__))


def _check_options(options: dict[str, Any]) -> None:
    unknown = sorted(set(options) - MARKER_OPTIONS)
    if unknown:
        raise pytest.UsageError(f"fakekube: unknown cluster option(s) {', '.join(map(repr, unknown))}; "
                                f"known: {', '.join(sorted(MARKER_OPTIONS - {'kubernetes_version'}))}")


@pytest.fixture
def fake_cluster_factory(request: pytest.FixtureRequest) -> Iterator[ClusterFactory]:
    """Make isolated clusters on demand: ``fake_cluster_factory(version="v1.35", manifests=[...])``."""
    made: list[FakeCluster] = []
    request.node.stash[CLUSTERS_KEY] = made
    base = Path(str(request.node.path)).parent

    def make(version: str | None = None, manifests: Any = (), crds: Any = (), **options: Any) -> FakeCluster:
        _check_options(options)
        cluster = FakeCluster(version or _default_version(request.config), **options)
        made.append(cluster)
        entries = [manifests] if isinstance(manifests, (str, Path, dict)) else list(manifests)
        crd_entries = [crds] if isinstance(crds, (str, Path, dict)) else list(crds)
        # One apply for everything, so Namespaces and CRDs go first whichever marker named them.
        cluster.apply([_resolve(entry, base) for entry in crd_entries + entries])
        cluster.start()
        return cluster

    yield make
    for cluster in made:
        cluster.stop()
    made.clear()  # items outlive their tests: keep no stopped cluster (and its store) reachable from them


@pytest.fixture
def fake_cluster(request: pytest.FixtureRequest, fake_cluster_factory: ClusterFactory,
                 monkeypatch: pytest.MonkeyPatch) -> FakeCluster:
    """A fresh cluster for this test, with ``KUBECONFIG`` pointing at it."""
    options = _marker_options(request.node) if isinstance(request.node, pytest.Item) else {}
    cluster = fake_cluster_factory(**options)
    path = str(cluster.kubeconfig_path)
    monkeypatch.setenv("KUBECONFIG", path)
    # kubectl caches discovery per server address; every cluster has a new port, so keep those caches
    # in the process's scratch directory instead of filling ~/.kube/cache.
    monkeypatch.setenv("KUBECACHEDIR", str(scratch_dir() / "kubectl-cache"))
    for module_name, attribute in _KUBECONFIG_CONSTANTS:
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, attribute):
            monkeypatch.setattr(module, attribute, path)
    return cluster


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                               ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and call.when == "call" and _dump_enabled(item.config):
        clusters: list[FakeCluster] = item.stash.get(CLUSTERS_KEY, [])
        for index, cluster in enumerate(clusters):
            try:
                text = yaml.safe_dump_all(cluster.objects(), sort_keys=False)
            except Exception as exc:  # the report must not fail because the dump did
                text = f"could not dump objects: {exc}"
            report.sections.append((f"fakekube cluster {index} objects", text))
    return report


def _dump_enabled(config: pytest.Config) -> bool:
    option = config.getoption("--fakekube-dump-on-failure")
    return bool(option) if option is not None else bool(config.getini("fakekube_dump_on_failure"))
