"""What a request may do on the resource it addresses, and the registry ``Context`` it acts with.

kube-apiserver registers a route only for the verbs a resource (or subresource) has, so every
other method is a 405 from go-restful before any handler runs; these checks are that, for every
resource and subresource alike.  Subresources are never special-cased by name: a write goes
through one when the resource's strategy says it is writable (``res.subresource_strategy``).
"""

from __future__ import annotations

from aiohttp import web

from fakekube import errors
from fakekube.http import negotiation
from fakekube.http.options import write_options
from fakekube.http.requestinfo import RequestInfo
from fakekube.registry.context import Context
from fakekube.registry.resources import ResourceInfo


def resource_of(info: RequestInfo) -> ResourceInfo:
    """The resource a verb handler serves (the dispatcher answers 404 before one runs without it)."""
    res = info.res
    if res is None:
        raise errors.not_found_path()
    return res


def require_verb(info: RequestInfo, verb: str) -> None:
    """405 unless the resource, or the subresource addressed, has ``verb``."""
    res = resource_of(info)
    verbs = res.verbs
    if info.subresource:
        sub = res.subresource(info.subresource)
        verbs = sub.verbs if sub is not None else frozenset()
    if verb not in verbs:
        raise errors.method_not_allowed()


def require_registry_subresource(info: RequestInfo) -> None:
    """405 for a subresource that is served but not through the registry (``pods/exec``, ``pods/log``...)."""
    if info.subresource and resource_of(info).subresource_strategy(info.subresource) is None:
        raise errors.method_not_allowed()


def require_namespace(info: RequestInfo) -> None:
    """405 for a write to a namespaced collection across all namespaces (``POST /api/v1/pods``): that
    path has list and watch routes only."""
    res = resource_of(info)
    if res.namespaced and not info.namespace:
        raise errors.method_not_allowed()


def object_output(request: web.Request) -> negotiation.Output:
    """How a verb's answer of one object is rendered: every verb may ask for a Table or metadata only."""
    return negotiation.choose_output(request.headers.get("Accept"), tables=True, partial="PartialObjectMetadata")


def has_view(info: RequestInfo) -> bool:
    """Whether the subresource addressed shows another kind than its resource's (``/scale``)."""
    strategy = resource_of(info).subresource_strategy(info.subresource) if info.subresource else None
    return strategy is not None and strategy.view is not None


def object_write(request: web.Request, info: RequestInfo, verb: str) -> tuple[ResourceInfo, negotiation.Output]:
    """The resource and answer format of a PUT or PATCH, which address one object or its subresource:
    405 on a collection (it has no such route) and where the resource or subresource lacks ``verb``."""
    res = resource_of(info)
    if not info.name:
        raise errors.method_not_allowed()
    output = object_output(request)
    require_registry_subresource(info)
    require_verb(info, verb)
    return res, output


def read_context(info: RequestInfo) -> Context:
    """The context of a read: who asks."""
    return Context(user=info.user)


def write_context(request: web.Request, info: RequestInfo, options_kind: str, apply: bool = False) -> Context:
    """The context of a create, update or patch: who writes, and the options of the write."""
    return write_options(request, options_kind, info.user, apply)
