"""LIST semantics: selectors, paging with continue tokens, and resourceVersion/resourceVersionMatch.

Every page of one paged list is cut from the same revision: the continue token carries that
revision and the last key, and later pages are read from the store's snapshot at that revision,
so writes between pages never make a page skip or repeat items (as etcd-backed lists behave).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from fakekube import errors, selectors
from fakekube.errors import StatusError, go_json
from fakekube.kinds import field_labels
from fakekube.registry.context import Context
from fakekube.registry.encoding import encode, stored_prefix, to_version, verbatim
from fakekube.registry.resources import ResourceInfo
from fakekube.registry.rest import DeleteOptions, Registry
from fakekube.storage import Key, Store, TooOldError


@dataclass
class ListOptions:
    label_selector: str = ""
    field_selector: str = ""
    limit: int = 0
    continue_token: str = ""
    resource_version: str = ""
    resource_version_match: str = ""


class ObjectFilter:
    """Label and field selectors of one request, checked against objects in the served version."""

    def __init__(self, res: ResourceInfo, label_selector: str = "", field_selector: str = ""):
        self.res = res
        try:
            self.labels = selectors.parse_label_selector(label_selector)
        except selectors.SelectorError as exc:
            raise errors.bad_request(selectors.label_selector_error_message(label_selector, exc)) from None
        try:
            self.fields = selectors.parse_field_selector(field_selector)
        except selectors.SelectorError as exc:
            raise errors.bad_request(selectors.field_selector_error_message(field_selector, exc)) from None
        self.field_labels = res.strategy.field_labels
        if not self.fields.empty:
            try:
                field_labels.convert_selector(self.field_labels, self.fields, res.version)
            except selectors.SelectorError as exc:
                raise errors.bad_request(exc.message) from None
        self.empty = self.labels.empty and self.fields.empty
        self.labels_only = not self.labels.empty and self.fields.empty

    def matches(self, obj: dict[str, Any]) -> bool:
        if self.empty:
            return True
        meta = obj.get("metadata") or {}
        if not self.labels.empty and not self.labels.matches(meta.get("labels") or {}):
            return False
        if not self.fields.empty:
            return self.fields.matches(self.field_labels.values(obj))
        return True


def encode_continue(revision: int, key: Key) -> str:
    start = f"{key[0]}/{key[1]}\x00" if key[0] else f"{key[1]}\x00"
    raw = orjson.dumps({"v": "meta.k8s.io/v1", "rv": revision, "start": start})
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_continue(token: str, namespaced: bool) -> tuple[int, Key]:
    """(revision, last key) of a continue token, read as kube's ``DecodeContinue`` reads it (unpadded URL
    base64 of ``{"v", "rv", "start"}``, the start key a clean path), its errors worded the same way;
    a negative revision means "the latest" (a token to continue an expired list with)."""
    problem = go_json.base64_error(token)
    if problem is not None:
        raise errors.invalid_continue(problem)
    raw = base64.urlsafe_b64decode(token.replace("\n", "").replace("\r", "") + "=" * (-len(token) % 4))
    problem = go_json.syntax_error(raw)
    if problem is not None:
        raise errors.invalid_continue(problem)
    data = _loads_as_go(raw)
    if data is not None and not isinstance(data, dict):
        raise errors.invalid_continue(f"json: cannot unmarshal {go_json.json_kind(data)} into Go value of type "
                                      "storage.continueToken")
    data = data or {}
    for name, go_type in (("v", "string"), ("rv", "int64"), ("start", "string")):
        value = data.get(name)
        wanted = str if go_type == "string" else int
        if value is not None and (not isinstance(value, wanted) or isinstance(value, bool)):
            raise errors.invalid_continue(f"json: cannot unmarshal {go_json.json_kind(value)} into Go struct field "
                                          f"continueToken.{name} of type {go_type}")
    version, revision, start = data.get("v") or "", data.get("rv") or 0, data.get("start") or ""
    if version != "meta.k8s.io/v1":
        raise errors.unrecognized_continue_version(version)
    if revision == 0:
        raise errors.invalid_continue("incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
    if not start:
        raise errors.invalid_continue("encoded start key empty (version meta.k8s.io/v1)")
    key = start if start.startswith("/") else "/" + start
    if _clean_path(key) != key:  # a start key outside the listed prefix (path traversal)
        raise errors.invalid_continue(start)
    start = key[1:].rstrip("\x00")
    revision = max(revision, -1)
    if "/" in start and namespaced:
        ns, _, name = start.partition("/")
        return revision, (ns, name)
    return revision, ("", start)


def _clean_path(path: str) -> str:
    """Go's ``path.Clean`` of a rooted path: no empty, "." or ".." elements, no trailing slash."""
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/" + "/".join(parts)


def _loads_as_go(raw: bytes) -> Any:
    """JSON that Go's decoder takes but orjson refuses (bytes that are not UTF-8, lone surrogate escapes, nesting
    past 1024): read with invalid text as U+FFFD, as Go reads it; past Python's own nesting limit only the
    top-level kind is kept (an object's fields are then unknown: empty), which is all a token's check needs."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        pass
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        first = text.lstrip()[:1]
        return {} if first == "{" else [] if first == "[" else None


def validate_list_options(opts: ListOptions, *, watch: bool, send_initial_events: bool | None) -> None:
    """``ValidateListOptions``: contradictory options are a 422 on ``ListOptions``, worded as upstream."""
    problems: list[errors.FieldError] = []
    match = opts.resource_version_match
    if watch:
        if send_initial_events is not None and match != "NotOlderThan":
            problems.append(errors.forbidden("resourceVersionMatch",
                                             "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
        if match:
            if send_initial_events is None:
                problems.append(errors.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden for "
                                                 "watch unless sendInitialEvents is provided"))
            if match != "NotOlderThan":
                problems.append(errors.not_supported("resourceVersionMatch", match, ["NotOlderThan"]))
            if opts.continue_token:
                problems.append(errors.forbidden("resourceVersionMatch",
                                                 "resourceVersionMatch is forbidden when continue is provided"))
    else:
        if match:
            if not opts.resource_version:
                problems.append(errors.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless "
                                                 "resourceVersion is provided"))
            if opts.continue_token:
                problems.append(errors.forbidden("resourceVersionMatch",
                                                 "resourceVersionMatch is forbidden when continue is provided"))
            if match not in ("Exact", "NotOlderThan"):
                problems.append(errors.not_supported("resourceVersionMatch", match, ["Exact", "NotOlderThan", ""]))
            if match == "Exact" and opts.resource_version == "0":
                problems.append(errors.forbidden("resourceVersionMatch", 'resourceVersionMatch "exact" is forbidden '
                                                 'for resourceVersion "0"'))
        if send_initial_events is not None:
            problems.append(errors.forbidden("sendInitialEvents", "sendInitialEvents is forbidden for list"))
    if problems:
        raise errors.invalid_object("ListOptions", "meta.k8s.io", "", problems)


@dataclass
class ListResult:
    items: list[bytes]
    revision: int
    continue_token: str = ""
    remaining: int | None = None
    keys: list[Key] = field(default_factory=list)  # the store keys of ``items``, in order
    warnings: list[str] = field(default_factory=list)  # what a deletecollection's deletes warned of, once each


def delete_collection(registry: Registry, ctx: Context, res: ResourceInfo, namespace: str | None,
                      opts: ListOptions, delete_opts: DeleteOptions) -> ListResult:
    """deletecollection: each selected object (one page when ``limit`` is set) goes through the registry's
    delete, with its hooks and preconditions; the answer is the list as it was read, as upstream."""
    selected = list_objects(registry.store, res, namespace, opts)
    warned: list[str] = []  # kube's warning recorder keeps each text once, for the whole request
    for ns, name in selected.keys:
        try:
            result = registry.delete(ctx, res, ns, name, delete_opts)
        except StatusError as exc:
            if exc.code != 404:  # an object already gone is fine
                _add_warning_header(exc, warned)
                raise
            continue
        warned.extend(text for text in result.warnings if text not in warned)
    return ListResult(selected.items, selected.revision, warnings=warned)


def _add_warning_header(exc: StatusError, warned: list[str]) -> None:
    """A refusal midway still carries what the deletes before it warned of (kube wrote those headers already)."""
    if not warned:
        return
    earlier = ", ".join(errors.warning_header_value(text) for text in warned)
    own = exc.headers.get("Warning")
    exc.headers["Warning"] = f"{earlier}, {own}" if own else earlier


def parse_resource_version(value: str, *, watch: bool = False) -> int:
    """A list's (or a ``watch``'s) resourceVersion as the storage parses it; what does not parse is a 400 for
    a list and a plain 500 for a watch, as kube-apiserver answers them."""
    problem = errors.parse_uint_error(value)
    if problem is not None:
        if watch:
            raise errors.invalid_watch_resource_version(value, problem)
        raise errors.invalid_resource_version(value, problem)
    return int(value)


def list_objects(store: Store, res: ResourceInfo, namespace: str | None, opts: ListOptions) -> ListResult:
    flt = ObjectFilter(res, opts.label_selector, opts.field_selector)
    current = False
    ns = namespace if (res.namespaced and namespace) else None
    start_after: Key | None = None
    if opts.continue_token:
        if opts.resource_version not in ("", "0"):
            raise errors.resource_version_with_continue()
        revision, start_after = decode_continue(opts.continue_token, res.namespaced)
        if revision == -1:  # a token from an expired list: carry on from the latest state
            revision = store.revision
            source: Iterable[tuple[Key, bytes]] = store.iter_table(res.storage_key, ns, start_after)
            current = True
        else:
            if revision > store.revision:
                raise errors.invalid_continue("the resource version is in the future")
            try:
                source = store.snapshot(res.storage_key, revision, ns, start_after)
            except TooOldError:
                # As upstream, the 410 carries a token to continue, inconsistently, from the latest state.
                raise errors.continue_expired(encode_continue(-1, start_after)) from None
    else:
        match = opts.resource_version_match
        # A paged list at a given revision with no match is the legacy exact read (etcd3 GetList).
        legacy_exact = not match and opts.resource_version not in ("", "0") and opts.limit > 0
        if match == "Exact" or legacy_exact:
            revision = parse_resource_version(opts.resource_version)
            if revision > store.revision:
                raise _too_large(revision, store.revision)
            try:
                source = store.snapshot(res.storage_key, revision, ns)
            except TooOldError as exc:
                raise errors.resource_expired(str(exc)) from None
        else:
            if opts.resource_version not in ("",):
                requested = parse_resource_version(opts.resource_version)
                if requested > store.revision:
                    raise _too_large(requested, store.revision)
            revision = store.revision
            source = store.iter_table(res.storage_key, ns)
            current = True
    limit = max(opts.limit, 0)
    if opts.resource_version == "0" and start_after is None:
        limit = 0  # served from kube-apiserver's watch cache, which ignores the limit of such a list
    if current and flt.empty and not limit and start_after is None and verbatim(res):
        keys, items = store.current(res.storage_key, ns)  # the common whole LIST: no per-object step
        return ListResult(items, revision, keys=keys)
    # Label-only selections over the current state are answered from the store's label index.
    by_index = current and flt.labels_only
    result = ListResult([], revision)
    more = False
    remaining = 0
    for key, data in source:
        if limit and len(result.items) >= limit:
            more = True
            if not flt.empty:
                break
            if current:  # count the rest by bisection instead of walking it
                remaining = store.count_after(res.storage_key, ns, result.keys[-1])
                break
            remaining += 1
            continue
        encoded = selected(store, res, flt, key, data, by_index)
        if encoded is None:
            continue
        result.items.append(encoded)
        result.keys.append(key)
    if more and result.keys:
        result.continue_token = encode_continue(revision, result.keys[-1])
        if flt.empty:
            result.remaining = remaining
    return result


def selected(store: Store, res: ResourceInfo, flt: ObjectFilter, key: Key, data: bytes,
             by_index: bool) -> bytes | None:
    """``data`` in ``res``'s version if the object matches ``flt`` (labels from the index when allowed)."""
    if flt.empty:
        return encode(res, data)
    if by_index:
        return encode(res, data) if flt.labels.matches(store.labels(res.storage_key, key)) else None
    obj = to_version(res, orjson.loads(data))
    if not flt.matches(obj):
        return None
    return data if verbatim(res) else orjson.dumps(obj)  # (a custom resource's read defaults are in obj)


def current_matches(store: Store, res: ResourceInfo, namespace: str | None, flt: ObjectFilter) -> list[bytes]:
    """Every current object ``flt`` selects, in list order: a watch's initial ADDED events."""
    out = []
    for key, data in store.iter_table(res.storage_key, namespace):
        encoded = selected(store, res, flt, key, data, flt.labels_only)
        if encoded is not None:
            out.append(encoded)
    return out


def _too_large(requested: int, current: int) -> StatusError:
    return errors.resource_version_too_large(requested, current)


def render_list(res: ResourceInfo, result: ListResult) -> bytes:
    """The ``XxxList`` body, built from already-serialized items without re-encoding them.

    A custom resource's list always has ``metadata.continue`` (empty on the last page), as kube's
    unstructured lists do.  The items of a built-in kind's list carry no ``kind`` and ``apiVersion``, as
    kube-apiserver writes them (its typed lists hold items whose type meta is empty); a custom resource's
    items keep theirs, as unstructured objects always do. Both are cut off the stored bytes as views, so
    no item is copied more than once."""
    meta: dict[str, Any] = {"resourceVersion": str(result.revision)}
    if result.continue_token or res.is_custom:  # an unstructured list always sets it, even to ""
        meta["continue"] = result.continue_token
    if result.remaining is not None:
        meta["remainingItemCount"] = result.remaining
    if res.is_custom:  # an unstructured list's metadata is a map: its keys come out sorted
        meta = dict(sorted(meta.items()))
    head = orjson.dumps({"kind": res.list_kind or f"{res.kind}List", "apiVersion": res.api_version, "metadata": meta})
    prefix = head[:-1] + b',"items":['
    items = result.items
    if not items:
        return prefix + b"]}"
    if res.is_custom:
        if len(items) == 1:
            return prefix + items[0] + b"]}"
        # One join copies the items once; only the first and last are copied again, to carry the head and tail.
        return b",".join([prefix + items[0], *items[1:-1], items[-1] + b"]}"])
    bodies = _without_type_meta(res, items)  # each item after its type meta: what follows '{'
    if len(bodies) == 1:
        return b"".join((prefix, b"{", bodies[0], b"]}"))
    return b",{".join([b"".join((prefix, b"{", bodies[0])), *bodies[1:-1], b"".join((bodies[-1], b"]}"))])


def _without_type_meta(res: ResourceInfo, items: list[bytes]) -> list[bytes | memoryview]:
    type_meta = stored_prefix(res.kind, res.api_version)
    cut = len(type_meta)
    out: list[bytes | memoryview] = []
    for item in items:
        if item.startswith(type_meta):
            out.append(memoryview(item)[cut:])
        else:  # not in the stored shape (never expected): take the fields out the slow way
            obj = orjson.loads(item)
            obj.pop("kind", None)
            obj.pop("apiVersion", None)
            out.append(orjson.dumps(obj)[1:])
    return out
