"""fakekube's pytest plugin (installed as ``fakekube_pytest_plugin`` through the ``pytest11`` entry point).

Fixtures:

* ``fake_cluster`` — a fresh, isolated ``FakeCluster`` per test, serving over HTTP from a
  background thread; while the test runs ``KUBECONFIG`` points at it, so code that loads the
  default kube config (official client, kubernetes_asyncio, lightkube, kr8s, kubectl) talks to it.
* ``fake_cluster_factory`` — call it to get more clusters; all are stopped after the test.

Marker ``@pytest.mark.fakekube(version=..., manifests=[...], crds=[...], runtime_config=...)``
configures and preloads a test's cluster; markers on the module and class merge with the test's
own (lists add up, the closest scalar wins).  Options: ``--fakekube-version`` /
``fakekube_version`` (ini), ``--fakekube-dump-on-failure`` / ``fakekube_dump_on_failure`` (ini),
``--fakekube-isolate`` / ``fakekube_isolate`` (ini): tests without a fake cluster get a ``KUBECONFIG``
that reaches nothing, so none talks to a real cluster by accident.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from fakekube.versions import DEFAULT_VERSION, SUPPORTED_VERSIONS

from .client_caches import forget_kr8s_clients, point_clients_at

# Every pytest process loads this plugin; the server's modules load with the first cluster (see
# ``fakekube/__init__``), so a test run that makes none does not pay for them.
if TYPE_CHECKING:
    from fakekube import FakeCluster

CLUSTERS_KEY = pytest.StashKey["list[FakeCluster]"]()
# Where an isolated test's clients are sent: nothing listens on port 1, and the path says why it failed.
ISOLATED_SERVER = "http://127.0.0.1:1/fakekube-isolate:this-test-uses-no-fake-cluster"

ClusterFactory = Callable[..., "FakeCluster"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("fakekube", "fake Kubernetes API server")
    group.addoption("--fakekube-version", default=None, choices=SUPPORTED_VERSIONS,
                    help=f"Kubernetes version of fake clusters (default {DEFAULT_VERSION})")
    group.addoption("--fakekube-dump-on-failure", action="store_true", default=None,
                    help="add the fake cluster's objects as YAML to the report of a failed test")
    parser.addini("fakekube_version", "Kubernetes version of fake clusters", default=DEFAULT_VERSION)
    parser.addini("fakekube_dump_on_failure", "dump fake cluster objects for failed tests", type="bool",
                  default=False)
    group.addoption("--fakekube-isolate", action="store_true", default=None,
                    help="point KUBECONFIG of tests without a fake cluster at a server that is not there")
    parser.addini("fakekube_isolate", "tests without a fake cluster get a KUBECONFIG that reaches no cluster",
                  type="bool", default=False)


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
    """Paths are relative to the test file; a string is a path when ``apply`` would read it as one."""
    from fakekube.manifests import names_a_path

    if isinstance(entry, str) and entry.strip() and names_a_path(entry):
        entry = Path(entry.strip())
    if isinstance(entry, Path) and not entry.is_absolute():
        return base / entry
    return entry


@functools.cache
def marker_options() -> frozenset[str]:
    """What a marker or the factory may set: the cluster's settings, its version, manifests and CRDs."""
    from fakekube import ClusterSettings

    return frozenset({"version", "manifests", "crds"} | set(ClusterSettings.__dataclass_fields__))


def _check_options(options: dict[str, Any]) -> None:
    known = marker_options()
    unknown = sorted(set(options) - known)
    if unknown:
        raise pytest.UsageError(f"fakekube: unknown cluster option(s) {', '.join(map(repr, unknown))}; "
                                f"known: {', '.join(sorted(known - {'kubernetes_version'}))}")


@pytest.fixture
def fake_cluster_factory(request: pytest.FixtureRequest) -> Iterator[ClusterFactory]:
    """Make isolated clusters on demand: ``fake_cluster_factory(version="v1.35", manifests=[...])``."""
    made: list[FakeCluster] = []
    request.node.stash[CLUSTERS_KEY] = made
    base = Path(str(request.node.path)).parent

    def make(version: str | None = None, manifests: Any = (), crds: Any = (), **options: Any) -> FakeCluster:
        from fakekube import FakeCluster

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
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCluster]:
    """A fresh cluster for this test, with ``KUBECONFIG`` pointing at it."""
    options = _marker_options(request.node) if isinstance(request.node, pytest.Item) else {}
    cluster = fake_cluster_factory(**options)
    # kubectl caches discovery per server address; every cluster has a new port, so keep those caches
    # in the process's scratch directory instead of filling ~/.kube/cache.
    from fakekube.kubeconfig import scratch_dir

    monkeypatch.setenv("KUBECACHEDIR", str(scratch_dir() / "kubectl-cache"))
    point_clients_at(str(cluster.kubeconfig_path), monkeypatch)
    yield cluster
    forget_kr8s_clients()  # kr8s's clients of this cluster would be handed out to the next test


@pytest.fixture(autouse=True)
def _fakekube_isolate(request: pytest.FixtureRequest) -> Iterator[None]:
    """With ``fakekube_isolate``, every test starts with clients pointed at a server that is not there
    (``fake_cluster`` then points them at its cluster): a test that forgets the fixture fails fast
    instead of reaching the developer's real cluster."""
    if not _option(request.config, "--fakekube-isolate", "fakekube_isolate"):
        yield
        return
    with pytest.MonkeyPatch.context() as monkeypatch:
        point_clients_at(str(_isolated_kubeconfig()), monkeypatch)
        yield
    forget_kr8s_clients()


def _isolated_kubeconfig() -> Path:
    from fakekube.kubeconfig import scratch_dir, write_kubeconfig

    path = scratch_dir() / "kubeconfig-isolated"
    if not path.exists():
        write_kubeconfig(path, ISOLATED_SERVER, name="fakekube-isolated")
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                               ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.failed and call.when == "call" and _option(item.config, "--fakekube-dump-on-failure",
                                                           "fakekube_dump_on_failure"):
        import yaml

        clusters: list[FakeCluster] = item.stash.get(CLUSTERS_KEY, [])
        for index, cluster in enumerate(clusters):
            try:
                objects = cluster.objects()
                heading = f"fakekube cluster #{index}: {len(objects)} object{'' if len(objects) == 1 else 's'}"
                text = yaml.safe_dump_all(objects, sort_keys=False)
            except Exception as exc:  # the report must not fail because the dump did
                heading, text = f"fakekube cluster #{index}", f"could not dump objects: {exc}"
            report.sections.append((heading, text))
    return report


def _option(config: pytest.Config, flag: str, ini: str) -> bool:
    """A boolean setting: the command line's flag if given, else the ini file's."""
    option = config.getoption(flag)
    return bool(option) if option is not None else bool(config.getini(ini))
