"""The operations of one resource and its subresources, with their parameters, request bodies and
responses, the way kube-apiserver's installer lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fakekube.http.openapi.constants import (
    ANY,
    BUILTIN_PATCH_TYPES,
    CONNECT_METHODS,
    CONNECT_OPTIONS,
    CONNECT_PARAMS,
    CUSTOM_PATCH_TYPES,
    DELETE_OPTIONS,
    DELETE_PARAMS,
    DELETE_RETURNS_OBJECT,
    LIST_MEDIA_TYPES,
    LOG_MEDIA_TYPES,
    LOG_PARAMS,
    OBJECT_MEDIA_TYPES,
    P_FORCE,
    P_NAME,
    P_NAMESPACE,
    P_PATH,
    P_PRETTY,
    PATCH,
    STATUS,
    STRING_SCHEMA,
    WATCH_EVENT,
    WRITE_PARAMS,
    Schema,
    _delete_collection_params,
    _list_params,
    _Param,
    _ref2,
)
from fakekube.http.openapi.definitions import _Definitions, _is_custom, _list_definition, _resource_definition
from fakekube.http.openapi.routes import _api_root, _capitalize, _operation_prefix, _responses, _Route, _tag
from fakekube.registry.resources import ResourceInfo, SubresourceInfo


def _resource_routes(res: ResourceInfo, defs: _Definitions) -> list[_Route]:
    kver = defs.kubernetes_version
    group, version, kind = res.group, res.version, res.kind
    root = _api_root(group, version)
    prefix = _operation_prefix(group, version)
    tag = _tag(group, version)
    gvk = (group, version, kind)
    obj_def = _resource_definition(res, defs)
    obj = _ref2(obj_def)
    list_def = _list_definition(res, obj_def, defs)
    scope = "Namespaced" if res.namespaced else ""
    ns_params: tuple[_Param, ...] = (P_NAMESPACE,) if res.namespaced else ()
    collection = f"{root}/namespaces/{{namespace}}/{res.plural}" if res.namespaced else f"{root}/{res.plural}"
    item = f"{collection}/{{name}}"
    watch_root = f"{root}/watch"
    watch_collection = collection.replace(root, watch_root, 1)
    verbs = res.verbs
    list_params = _list_params(kver)
    custom = _is_custom(res, defs)
    routes: list[_Route] = []

    def add(path: str, method: str, verb: str, rest: str, params: Iterable[_Param], produces: tuple[str, ...],
            responses: tuple[tuple[int, Schema | None], ...], action: str, **extra: Any) -> None:
        routes.append(_Route(
            path=path, method=method, operation_id=f"{verb}{prefix}{rest}", tag=tag,
            params=tuple(params), produces=produces, responses=responses, action=action,
            gvk=extra.pop("gvk", gvk), **extra,
        ))

    if "list" in verbs and list_def:
        add(collection, "get", "list", f"{scope}{kind}", (*ns_params, P_PRETTY, *list_params), LIST_MEDIA_TYPES,
            _responses([200], _ref2(list_def)), "list")
        if res.namespaced:
            add(f"{root}/{res.plural}", "get", "list", f"{kind}ForAllNamespaces", (P_PRETTY, *list_params),
                LIST_MEDIA_TYPES, _responses([200], _ref2(list_def)), "list")
    if "create" in verbs:
        add(collection, "post", "create", f"{scope}{kind}", (*ns_params, P_PRETTY, *WRITE_PARAMS),
            OBJECT_MEDIA_TYPES, _responses([200, 201, 202], obj), "post", body=obj)
    if "deletecollection" in verbs:
        add(collection, "delete", "delete", f"Collection{scope}{kind}",
            (*ns_params, P_PRETTY, *_delete_collection_params(kver)), OBJECT_MEDIA_TYPES,
            _responses([200], _ref2(STATUS)), "deletecollection", body=_ref2(DELETE_OPTIONS), body_required=False)
    item_params = (P_NAME, *ns_params, P_PRETTY)
    if "get" in verbs:
        add(item, "get", "read", f"{scope}{kind}", item_params, OBJECT_MEDIA_TYPES, _responses([200], obj), "get")
    if "update" in verbs:
        add(item, "put", "replace", f"{scope}{kind}", (*item_params, *WRITE_PARAMS), OBJECT_MEDIA_TYPES,
            _responses([200, 201], obj), "put", body=obj)
    if "patch" in verbs:
        add(item, "patch", "patch", f"{scope}{kind}", (*item_params, *WRITE_PARAMS, P_FORCE), OBJECT_MEDIA_TYPES,
            _responses([200, 201], obj), "patch", body=_ref2(PATCH),
            consumes=CUSTOM_PATCH_TYPES if custom else BUILTIN_PATCH_TYPES)
    if "delete" in verbs:
        returns_object = not custom and (group, res.plural) in DELETE_RETURNS_OBJECT
        add(item, "delete", "delete", f"{scope}{kind}", (*item_params, *DELETE_PARAMS), OBJECT_MEDIA_TYPES,
            _responses([200, 202], obj if returns_object else _ref2(STATUS)), "delete",
            body=_ref2(DELETE_OPTIONS), body_required=False)
    if "watch" in verbs and not custom:  # apiextensions' builder has no watch routes (``?watch`` on list is one)
        watch_event = _responses([200], _ref2(WATCH_EVENT))
        if "list" in verbs:
            add(watch_collection, "get", "watch", f"{scope}{kind}List", (*ns_params, P_PRETTY, *list_params),
                LIST_MEDIA_TYPES, watch_event, "watchlist")
            if res.namespaced:
                add(f"{watch_root}/{res.plural}", "get", "watch", f"{kind}ListForAllNamespaces",
                    (P_PRETTY, *list_params), LIST_MEDIA_TYPES, watch_event, "watchlist")
        if "get" in verbs:
            add(f"{watch_collection}/{{name}}", "get", "watch", f"{scope}{kind}",
                (P_NAME, *ns_params, P_PRETTY, *list_params), LIST_MEDIA_TYPES, watch_event, "watch")

    for sub in res.subresources:
        routes.extend(_subresource_routes(res, sub, defs, item, f"{scope}{kind}", obj, custom))
    return routes


def _subresource_routes(res: ResourceInfo, sub: SubresourceInfo, defs: _Definitions, item: str, name: str,
                        parent: Schema, custom: bool) -> list[_Route]:
    group, version = res.group, res.version
    prefix = _operation_prefix(group, version)
    tag = _tag(group, version)
    path = f"{item}/{sub.name}"
    rest = name + _capitalize(sub.name)
    ns_params: tuple[_Param, ...] = (P_NAMESPACE,) if res.namespaced else ()
    base = (P_NAME, *ns_params)
    routes: list[_Route] = []

    if sub.name in CONNECT_OPTIONS:
        gvk = (group, version, res.kind + CONNECT_OPTIONS[sub.name])
        allowed = sub.verbs | ({"head", "options"} if sub.name == "proxy" else set())
        variants = [(path, "", base)]
        if sub.name == "proxy":
            variants.append((f"{path}/{{path}}", "WithPath", (*base, P_PATH)))
        for route_path, suffix, params in variants:
            for method, verb in CONNECT_METHODS:
                if (verb or method) not in allowed:
                    continue
                routes.append(_Route(
                    path=route_path, method=method,
                    operation_id=f"connect{prefix}{_capitalize(method)}{rest}{suffix}", tag=tag,
                    params=(*params, *CONNECT_PARAMS[sub.name]), produces=(ANY,),
                    responses=_responses([200], dict(STRING_SCHEMA)), action="connect", gvk=gvk,
                ))
        return routes

    if sub.name == "log":
        if "get" in sub.verbs:
            routes.append(_Route(
                path=path, method="get", operation_id=f"read{prefix}{rest}", tag=tag,
                params=(*base, *LOG_PARAMS), produces=LOG_MEDIA_TYPES,
                responses=_responses([200], dict(STRING_SCHEMA)), action="get", gvk=(group, version, res.kind),
            ))
        return routes

    gvk = (sub.group, sub.version, sub.kind)
    if (sub.group, sub.version, sub.kind) == (group, version, res.kind):
        body = parent
    else:
        found = defs.for_gvk(sub.group, sub.version, sub.kind)
        body = _ref2(found) if found else parent
    common = (*base, P_PRETTY)
    if "create" in sub.verbs:
        routes.append(_Route(
            path=path, method="post", operation_id=f"create{prefix}{rest}", tag=tag,
            params=(*common, *WRITE_PARAMS), produces=OBJECT_MEDIA_TYPES,
            responses=_responses([200, 201, 202], body), action="post", gvk=gvk, body=body,
        ))
    if "get" in sub.verbs:
        routes.append(_Route(
            path=path, method="get", operation_id=f"read{prefix}{rest}", tag=tag, params=common,
            produces=OBJECT_MEDIA_TYPES, responses=_responses([200], body), action="get", gvk=gvk,
        ))
    if "update" in sub.verbs:
        routes.append(_Route(
            path=path, method="put", operation_id=f"replace{prefix}{rest}", tag=tag,
            params=(*common, *WRITE_PARAMS), produces=OBJECT_MEDIA_TYPES,
            responses=_responses([200, 201], body), action="put", gvk=gvk, body=body,
        ))
    if "patch" in sub.verbs:
        routes.append(_Route(
            path=path, method="patch", operation_id=f"patch{prefix}{rest}", tag=tag,
            params=(*common, *WRITE_PARAMS, P_FORCE), produces=OBJECT_MEDIA_TYPES,
            responses=_responses([200, 201], body), action="patch", gvk=gvk, body=_ref2(PATCH),
            consumes=CUSTOM_PATCH_TYPES if custom else BUILTIN_PATCH_TYPES,
        ))
    if "delete" in sub.verbs:
        routes.append(_Route(
            path=path, method="delete", operation_id=f"delete{prefix}{rest}", tag=tag,
            params=(*common, *DELETE_PARAMS), produces=OBJECT_MEDIA_TYPES,
            responses=_responses([200, 202], _ref2(STATUS)), action="delete", gvk=gvk,
            body=_ref2(DELETE_OPTIONS), body_required=False,
        ))
    return routes


def _sorted_resources(resources: Iterable[ResourceInfo]) -> list[ResourceInfo]:
    return sorted(resources, key=lambda r: (r.group, r.version, r.plural))
