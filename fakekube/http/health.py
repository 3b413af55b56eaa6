"""kube-apiserver's health endpoints (``/healthz``, ``/livez``, ``/readyz``) as ``healthz.handleRootHealth``
writes them: ``ok``, or with ``?verbose`` one line per check and ``<endpoint> check passed``.

fakekube's checks always pass; the names are those kube-apiserver v1.37 installs, in its order (recorded
with ``disc-readyz-verbose``; earlier releases run the same hooks apart from a few feature-gated ones).
"""

from __future__ import annotations

from collections.abc import Iterable

from fakekube.go_text import go_quote

_POST_START_HOOKS = tuple("poststarthook/" + hook for hook in (
    "start-apiserver-admission-initializer", "generic-apiserver-start-informers",
    "priority-and-fairness-config-consumer", "priority-and-fairness-filter", "storage-object-count-tracker-hook",
    "start-apiextensions-informers", "start-apiextensions-controllers", "crd-informer-synced",
    "start-system-namespaces-controller", "peer-endpoint-reconciler-controller",
    "start-cluster-authentication-info-controller", "start-kube-apiserver-identity-lease-controller",
    "start-kube-apiserver-identity-lease-garbage-collector", "storage-readiness",
    "start-legacy-token-tracking-controller", "start-service-ip-repair-controllers", "rbac/bootstrap-roles",
    "scheduling/bootstrap-system-priority-classes", "priority-and-fairness-config-producer", "bootstrap-controller",
    "start-kubernetes-service-cidr-controller", "start-kube-aggregator-informers",
    "apiservice-status-local-available-controller", "apiservice-status-remote-available-controller",
    "apiservice-registration-controller", "apiservice-discovery-controller", "kube-apiserver-autoregistration",
))
_AGGREGATOR_TAIL = ("autoregister-completion", "poststarthook/apiservice-openapi-controller",
                    "poststarthook/apiservice-openapiv3-controller")

LIVE_CHECKS: tuple[str, ...] = ("ping", "log", "loopback-serving-certificate", "etcd", *_POST_START_HOOKS,
                                *_AGGREGATOR_TAIL)
READY_CHECKS: tuple[str, ...] = ("ping", "log", "etcd", "etcd-readiness", "informer-sync", *_POST_START_HOOKS,
                                 *_AGGREGATOR_TAIL, "shutdown")


def checks(endpoint: str) -> tuple[str, ...]:
    """The checks of ``healthz``, ``livez`` or ``readyz``."""
    return READY_CHECKS if endpoint == "readyz" else LIVE_CHECKS


def report(endpoint: str, verbose: bool, excluded: Iterable[str]) -> str:
    """The body of a passing ``/<endpoint>``; excluded checks are reported as such, unknown ones warned about."""
    if not verbose:
        return "ok"
    unknown = set(excluded)
    lines = []
    for check in checks(endpoint):
        if check in unknown:
            unknown.discard(check)
            lines.append(f"[+]{check} excluded: ok\n")
        else:
            lines.append(f"[+]{check} ok\n")
    if unknown:
        names = ",".join(go_quote(name) for name in sorted(unknown))
        lines.append(f"warn: some health checks cannot be excluded: no matches for {names}\n")
    return "".join(lines) + f"{endpoint} check passed\n"
