"""A new cluster's objects, made once per process through the write pipeline and copied into each cluster.

A real cluster starts with more than its four namespaces: kube-apiserver's bootstrap controller writes
the ``kubernetes`` Service, its Endpoints and EndpointSlice (``kubernetes_service``), its RBAC post-start
hook the bootstrap policy (``rbac_bootstrap``, about 130 objects), and kube-controller-manager's
controllers a ``default`` ServiceAccount and a ``kube-root-ca.crt`` ConfigMap in every namespace.  Writing
all that through the registry costs tens of milliseconds; a fake cluster starts in about one.

So ``snapshot`` runs those writes once per process for each distinct ``Spec`` (Kubernetes version, runtime
config, what is switched on, the API server's address): in a scratch store, through the real registry, with
the cluster's controllers settled, under a clock stopped at the epoch.  What it keeps is every stored object
as the pipeline stored it, in the order they were created, each also as a byte template with places for
its uid and its times.  ``replay`` then gives a cluster its own copies: a fresh ``uid``, the cluster's time
as ``creationTimestamp`` and as each ``managedFields`` entry's ``time``, and the ``resourceVersion`` it
would get from the cluster's own counter, which starts the same in every new store.  They are stored
with ``Store.preload`` (watch history and label index, no listener told: what the controllers would add is
in the snapshot already), a template filled in per object instead of a pipeline or an encoder run.  Nothing
else of a stored object depends on the moment or the cluster, which ``snapshot`` checks.

Building a snapshot still costs the first cluster of a process some 50 ms (150 writes, the validators of ten
kinds compiled): most of what ``fakekube serve`` and ``fakekube check`` take beyond their imports.  So the
snapshot of a ``FakeCluster``'s default settings is shipped for each Kubernetes version, as the generated
``schemas/v1.NN/bootstrap_snapshot.json`` (``python -m schemas.generate_bootstrap_snapshot``; a test fails
when one differs from what the pipeline writes now), and read instead of built when a cluster's ``Spec`` is
the one it was made for.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from fakekube.clock import rfc3339
from fakekube.controllers import Controller, ControllerManager
from fakekube.controllers.kubernetes_service import create_kubernetes_service
from fakekube.controllers.rbac_bootstrap import create_policy
from fakekube.registry.catalog import Catalog
from fakekube.registry.context import Context
from fakekube.registry.rest import Registry
from fakekube.schema import files
from fakekube.storage import ADDED, Event, Key, Store

NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
# The API server's own bootstrap writers (``ClusterSettings.bootstrap``).
KUBERNETES_SERVICE = "kubernetes-service"
RBAC = "rbac"
PARTS = (KUBERNETES_SERVICE, RBAC)
START_REVISION = 1  # a new store's revision: its first write is revision 2
_EPOCH = 0.0
_EPOCH_TEXT = rfc3339(_EPOCH).encode()

# table, key, the stored object's bytes split around its uid and its times (the uid's place first), its labels
Stored = tuple[str, Key, tuple[bytes, ...], dict[str, str]]
UID_MARK, TIME_MARK = "@@fakekube-uid@@", "@@fakekube-time@@"
_UID_PLACE, _TIME_PLACE = f'"{UID_MARK}"'.encode(), f'"{TIME_MARK}"'.encode()
ControllerFactory = Callable[[Registry], Controller]
SNAPSHOT_FILE = "bootstrap_snapshot.json"  # schemas/v1.NN/: the default settings' snapshot, generated
GENERATED_BY = "python -m schemas.generate_bootstrap_snapshot"


@dataclass(frozen=True)
class Spec:
    """Everything the bootstrap objects depend on: one snapshot per distinct value, per process."""

    kubernetes_version: str
    runtime_config: str | None
    parts: tuple[str, ...]
    controllers: tuple[str, ...]
    host: str = ""
    port: int = 0


_CACHE: dict[Spec, tuple[Stored, ...]] = {}


def spec(kubernetes_version: str, runtime_config: str | None, parts: tuple[str, ...],
         controllers: tuple[str, ...], host: str, port: int) -> Spec:
    """A cache key; the address only counts when the ``kubernetes`` Service is made."""
    if KUBERNETES_SERVICE not in parts:
        host, port = "", 0
    return Spec(kubernetes_version, runtime_config, tuple(sorted(set(parts))), tuple(sorted(set(controllers))),
                host, port)


def snapshot(key: Spec, ctx: Context, factories: Mapping[str, ControllerFactory]) -> tuple[Stored, ...]:
    """The objects of a new cluster with settings ``key``: the shipped snapshot when it was generated for
    ``key``, else built (once per process).  ``ctx`` and ``factories`` must be ``FakeCluster``'s, as the
    shipped files are made with them."""
    cached = _CACHE.get(key)
    if cached is None:
        cached = _CACHE[key] = shipped(key) or build(key, ctx, factories)
    return cached


def build(key: Spec, ctx: Context, factories: Mapping[str, ControllerFactory]) -> tuple[Stored, ...]:
    """Write a new cluster's objects through the registry in a scratch store, and keep them as templates."""
    catalog = Catalog(key.kubernetes_version, key.runtime_config)
    store = Store(clock=lambda: _EPOCH)
    registry = Registry(store, catalog, clock=lambda: _EPOCH)
    created: list[tuple[str, Key]] = []

    def record(event: Event) -> None:
        if event.type == ADDED:
            created.append((event.table, event.key))

    store.subscribe_all(record)
    manager = ControllerManager(store, [factories[name](registry) for name in key.controllers], lambda: _EPOCH)
    namespaces = catalog.get("", "v1", "namespaces")
    assert namespaces is not None  # the catalog refuses a runtime config without them
    for name in NAMESPACES:
        registry.create(ctx, namespaces, "", {"metadata": {"name": name}})
    if KUBERNETES_SERVICE in key.parts:
        create_kubernetes_service(registry, ctx, key.host, key.port)
    if RBAC in key.parts:
        create_policy(registry, ctx)
    manager.settle()
    out: list[Stored] = []
    revision = START_REVISION
    for table, obj_key in created:
        data = store.get(table, obj_key)
        if data is None:
            continue
        obj = orjson.loads(data)
        meta = obj["metadata"]
        times = 1 + len(meta.get("managedFields") or ())
        if data.count(_EPOCH_TEXT) != times:  # a field replay would not renew: the fast path would be wrong
            raise RuntimeError(f"bootstrap object {table}/{obj_key} holds a time replay does not know about")
        if meta.get("ownerReferences"):
            raise RuntimeError(f"bootstrap object {table}/{obj_key} has owners: preload does not index them")
        revision += 1
        meta.update(uid=UID_MARK, creationTimestamp=TIME_MARK, resourceVersion=str(revision))
        for entry in meta.get("managedFields") or ():
            entry["time"] = TIME_MARK
        out.append(_stored(table, obj_key, obj))
    return tuple(out)


def _stored(table: str, key: Key, obj: dict[str, Any]) -> Stored:
    """One snapshot entry from its object with the uid's and times' markers in place."""
    parts = orjson.dumps(obj).split(_UID_PLACE)
    if len(parts) != 2:
        raise RuntimeError(f"bootstrap object {table}/{key} holds its uid's marker elsewhere")
    labels = obj["metadata"].get("labels") or {}
    return table, key, (parts[0], *parts[1].split(_TIME_PLACE)), dict(labels)


def encode(key: Spec, objects: tuple[Stored, ...]) -> bytes:
    """The generated file of a snapshot: its ``Spec``, then one object a line (markers in place), in order."""
    spec_json = orjson.dumps({"kubernetes_version": key.kubernetes_version, "runtime_config": key.runtime_config,
                              "parts": key.parts, "controllers": key.controllers, "host": key.host,
                              "port": key.port})
    lines = [b"[%s,%s,%s,%s]" % (orjson.dumps(table), orjson.dumps(ns), orjson.dumps(name),
                                 _UID_PLACE.join([template[0], _TIME_PLACE.join(template[1:])]))
             for table, (ns, name), template, _ in objects]
    return (b'{"generated": %s,\n"spec": %s,\n"objects": [\n%s\n]}\n'
            % (orjson.dumps(f"by {GENERATED_BY} (fakekube's own write pipeline); do not edit"), spec_json,
               b",\n".join(lines)))


def shipped(key: Spec) -> tuple[Stored, ...] | None:
    """The generated snapshot of ``key``'s Kubernetes version, if it was made for exactly ``key``.  A file that is
    missing, truncated or not of the generated shape is no snapshot (None): the cluster builds its objects instead,
    slower but right, rather than failing to start over a cache."""
    try:
        document = orjson.loads(files.read(key.kubernetes_version, SNAPSHOT_FILE))
        made_for = document["spec"]
        if Spec(made_for["kubernetes_version"], made_for["runtime_config"], tuple(made_for["parts"]),
                tuple(made_for["controllers"]), made_for["host"], made_for["port"]) != key:
            return None
        return tuple(_stored(table, (ns, name), obj) for table, ns, name, obj in document["objects"])
    except (OSError, KeyError, TypeError, ValueError, RuntimeError):  # JSONDecodeError is a ValueError
        return None


def replay(store: Store, objects: tuple[Stored, ...], now: float) -> None:
    """Store a cluster's own copies of a snapshot's objects, created at ``now``, in a store that holds nothing
    yet (so each gets the revision its template carries)."""
    if store.revision != START_REVISION:
        raise RuntimeError("bootstrap objects go into a new store only")
    stamp = b'"%s"' % rfc3339(now).encode()
    uids = _uids(len(objects))
    store.preload((table, key, template[0] + uids[i] + stamp.join(template[1:]), labels)
                  for i, (table, key, template, labels) in enumerate(objects))


def _uids(count: int) -> list[bytes]:
    """``count`` random (version 4) UUIDs in JSON quotes, as ``uuid.uuid4()`` writes them, from one read of the
    OS's random source: a few times faster than one ``uuid4`` call each."""
    raw = os.urandom(16 * count).hex().encode()
    out = []
    for i in range(0, 32 * count, 32):
        h = raw[i:i + 32]
        out.append(b'"%s-%s-4%s-%c%s-%s"' % (h[:8], h[8:12], h[13:16], b"89ab"[int(h[16:17], 16) & 3], h[17:20],
                                            h[20:]))
    return out
