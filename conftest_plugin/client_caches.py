"""Pointing the Kubernetes client libraries a process has imported at one kubeconfig.

Setting ``KUBECONFIG`` is not enough, because clients remember what they read:

* the official client and kubernetes_asyncio read ``KUBECONFIG`` once, at import, into a module
  constant, and keep the configuration last loaded as the process-wide default ``Configuration``;
* kr8s keeps every ``Api`` it made (sync and async) in a class-level table and hands the first one
  out again to the next ``kr8s.api()`` without arguments;
* lightkube (and kr8s) prefer the in-cluster service account when ``KUBERNETES_SERVICE_HOST`` is set,
  as it is in CI jobs that run in a pod.

``point_clients_at`` changes each of these through ``monkeypatch``, so the test's own changes are
undone at its end, and only for libraries already imported: the plugin imports none of them.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

import pytest

# Client libraries that read KUBECONFIG once, at import, into a module constant.
_KUBECONFIG_CONSTANTS = (
    ("kubernetes.config.kube_config", "KUBE_CONFIG_DEFAULT_LOCATION"),
    ("kubernetes_asyncio.config.kube_config", "KUBE_CONFIG_DEFAULT_LOCATION"),
)
# The variables that make clients use an in-cluster service account before KUBECONFIG.
IN_CLUSTER_VARIABLES = ("KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT")


def point_clients_at(path: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every imported client library that loads the default kube config load ``path``."""
    monkeypatch.setenv("KUBECONFIG", path)
    for variable in IN_CLUSTER_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    for module_name, attribute in _KUBECONFIG_CONSTANTS:
        module = sys.modules.get(module_name)
        if module is not None and hasattr(module, attribute):
            monkeypatch.setattr(module, attribute, path)
    _reload_default("kubernetes", path, monkeypatch, _load_official)
    _reload_default("kubernetes_asyncio", path, monkeypatch, _load_asyncio)
    forget_kr8s_clients()


def _reload_default(package: str, path: str, monkeypatch: pytest.MonkeyPatch,
                    load: Callable[[Any, str, Any], None]) -> None:
    """A default ``Configuration`` loaded earlier (by this test's predecessors, or at import) would send
    ``client.CoreV1Api()`` to the wrong server: load the new kubeconfig into a new default."""
    configuration = sys.modules.get(f"{package}.client.configuration")
    kube_config = sys.modules.get(f"{package}.config.kube_config")
    if configuration is None or kube_config is None:
        return
    cls = configuration.Configuration
    if getattr(cls, "_default", None) is None:
        return
    fresh = type.__call__(cls)  # not Configuration(), which may copy the stale default
    load(kube_config, path, fresh)
    monkeypatch.setattr(cls, "_default", fresh)


def _load_official(kube_config: Any, path: str, configuration: Any) -> None:
    kube_config.load_kube_config(config_file=path, client_configuration=configuration)


def _load_asyncio(kube_config: Any, path: str, configuration: Any) -> None:
    """kubernetes_asyncio's loader is a coroutine: run in a thread of its own, so that a running event
    loop does not matter."""
    failure: list[BaseException] = []

    def load() -> None:
        import asyncio  # kubernetes_asyncio imported it already

        try:
            asyncio.run(kube_config.load_kube_config(config_file=path, client_configuration=configuration))
        except BaseException as exc:  # reported in the test's thread
            failure.append(exc)

    thread = threading.Thread(target=load, name="fakekube-kubeconfig")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


def forget_kr8s_clients() -> None:
    """kr8s's table of ``Api`` objects (shared by its sync and async APIs), as kr8s's own tests clear it."""
    api_module: Any = sys.modules.get("kr8s._api")
    if api_module is not None:
        instances = getattr(getattr(api_module, "Api", None), "_instances", None)
        if isinstance(instances, dict):
            instances.clear()
