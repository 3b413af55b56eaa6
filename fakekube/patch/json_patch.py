"""JSON patch (RFC 6902) as ``gopkg.in/evanphx/json-patch.v4`` applies it: decoding and the six operations."""

from __future__ import annotations

import copy
from typing import Any

from fakekube.go_text import json_kind as _json_kind
from fakekube.patch.errors import PatchError, _bad_request, _GoPanic, _panic, _unprocessable
from fakekube.patch.json_document import (
    _ABSENT,
    _MISSING,
    _add,
    _copied,
    _encoded_size,
    _find,
    _get,
    _inserted,
    _mark,
    _node_equal,
    _OpError,
    _plain,
    _remove,
    _Root,
    _set,
)

MAX_JSON_PATCH_OPERATIONS = 10000  # patch.go maxJSONPatchOperations
JSON_PATCH_MAX_COPY_BYTES = 3 * 1024 * 1024  # server config default JSONPatchMaxCopyBytes


_TEST_FAILED = "test failed"


def json_patch(doc: Any, patch: Any, *, strict: bool = False) -> Any:
    """Apply an RFC 6902 patch (already decoded from JSON) to ``doc``; the input is left untouched.

    ``strict`` mirrors ``fieldValidation=Strict|Warn``, under which the server first decodes the body into its
    own operation struct and words decoding failures differently.
    """
    if strict:
        _strict_decode_json_patch(patch)
    operations = _decode_json_patch(patch)
    if len(operations) > MAX_JSON_PATCH_OPERATIONS:
        raise PatchError(413, "RequestEntityTooLarge",
                         "Request entity too large: The allowed maximum operations in a JSON patch is "
                         f"{MAX_JSON_PATCH_OPERATIONS}, got {len(operations)}")
    try:
        return _apply_json_patch(copy.deepcopy(doc), copy.deepcopy(operations))
    except _OpError as exc:
        raise _unprocessable(str(exc)) from None
    except _GoPanic as exc:
        raise _panic(str(exc)) from None
    except RecursionError:
        raise _panic("runtime: goroutine stack exceeds limit") from None


def _strict_decode_json_patch(patch: Any) -> None:
    """``kjson.UnmarshalStrict`` into ``[]jsonPatchOp``: only decoding failures (unknown fields are warnings)."""
    if patch is None:
        return
    if not isinstance(patch, list):
        raise _bad_request(f"error decoding patch: json: cannot unmarshal {_json_kind(patch)} into Go value of type "
                           "[]handlers.jsonPatchOp")
    for operation in patch:
        if operation is None:
            continue
        if not isinstance(operation, dict):
            raise _bad_request(f"error decoding patch: json: cannot unmarshal {_json_kind(operation)} into Go value "
                               "of type handlers.jsonPatchOp")
        for name in ("op", "path", "from"):
            value = operation.get(name)
            if value is not None and not isinstance(value, str):
                raise _bad_request(f"error decoding patch: json: cannot unmarshal {_json_kind(value)} into Go "
                                   f"struct field jsonPatchOp.{name} of type string")


def _decode_json_patch(patch: Any) -> list[dict[str, Any] | None]:
    """``jsonpatch.DecodePatch``: a JSON array of objects (``null`` is an empty patch)."""
    if patch is None:
        return []
    if not isinstance(patch, list):
        raise _bad_request(f"json: cannot unmarshal {_json_kind(patch)} into Go value of type jsonpatch.Patch")
    for operation in patch:
        if operation is not None and not isinstance(operation, dict):
            raise _bad_request(f"json: cannot unmarshal {_json_kind(operation)} into Go value of type "
                               "jsonpatch.Operation")
    return list(patch)


def _apply_json_patch(doc: Any, operations: list[dict[str, Any] | None]) -> Any:
    if not isinstance(doc, (dict, list)):  # Apply unmarshals a non-array document into a map
        raise _OpError(f"json: cannot unmarshal {_json_kind(doc)} into Go value of type jsonpatch.partialDoc")
    root = _Root(doc)
    copied = [0]
    for operation in operations:
        op = operation or {}
        kind = op.get("op")
        if not isinstance(kind, str):
            kind = "unknown"
        if kind == "add":
            _op_add(root, op)
        elif kind == "remove":
            _op_remove(root, op)
        elif kind == "replace":
            _op_replace(root, op)
        elif kind == "move":
            _op_move(root, op)
        elif kind == "test":
            _op_test(root, op)
        elif kind == "copy":
            _op_copy(root, op, copied)
        else:
            raise _OpError(f"Unexpected kind: {kind}")
    return _plain(root.value)


def _member(op: dict[str, Any], name: str, missing: str) -> str:
    """The string member ``path`` or ``from`` of an operation, raising the Go error text."""
    value = op.get(name)
    if value is None:
        raise _OpError(missing)
    if not isinstance(value, str):
        raise _OpError(f"json: cannot unmarshal {_json_kind(value)} into Go value of type string")
    return value


def _path(op: dict[str, Any]) -> str:
    return _member(op, "path", f"operation missing path field: {_MISSING}")


def _from(op: dict[str, Any]) -> str:
    return _member(op, "from", f"operation, missing from field: {_MISSING}")


def _value(op: dict[str, Any]) -> Any:
    return op["value"] if "value" in op else _ABSENT


def _op_add(root: _Root, op: dict[str, Any]) -> None:
    try:
        path = _path(op)
    except _OpError:
        raise _OpError(f"add operation failed to decode path: {_MISSING}") from None
    found = _find(root, path)
    if found is None:
        raise _OpError(f'add operation does not apply: doc is missing path: "{path}": {_MISSING}')
    try:
        _add(*found, _inserted(_value(op)))
    except _OpError as exc:
        raise _OpError(f"error in add for path: '{path}': {exc}") from None


def _op_remove(root: _Root, op: dict[str, Any]) -> None:
    try:
        path = _path(op)
    except _OpError:
        raise _OpError(f"remove operation failed to decode path: {_MISSING}") from None
    found = _find(root, path)
    if found is None:
        raise _OpError(f'remove operation does not apply: doc is missing path: "{path}": {_MISSING}')
    try:
        _remove(*found)
    except _OpError as exc:
        raise _OpError(f"error in remove for path: '{path}': {exc}") from None


def _op_replace(root: _Root, op: dict[str, Any]) -> None:
    try:
        path = _path(op)
    except _OpError as exc:
        raise _OpError(f"replace operation failed to decode path: {exc}") from None
    value = _value(op)
    if path == "":
        if value is _ABSENT:
            raise _GoPanic("runtime error: invalid memory address or nil pointer dereference")
        if not isinstance(value, (dict, list)):
            raise _OpError("replace operation value must be object or array: %!w(<nil>)")
        root.value = _mark(value)
        return
    found = _find(root, path)
    if found is None:
        raise _OpError(f"replace operation does not apply: doc is missing path: {path}: {_MISSING}")
    container, key = found
    try:
        _get(container, key)
    except _OpError:
        raise _OpError(f"replace operation does not apply: doc is missing key: {path}: {_MISSING}") from None
    try:
        _set(container, key, _inserted(value))
    except _OpError as exc:
        raise _OpError(f"error in remove for path: '{path}': {exc}") from None


def _op_move(root: _Root, op: dict[str, Any]) -> None:
    try:
        source = _from(op)
    except _OpError as exc:
        raise _OpError(f"move operation failed to decode from: {exc}") from None
    found = _find(root, source)
    if found is None:
        raise _OpError(f"move operation does not apply: doc is missing from path: {source}: {_MISSING}")
    container, key = found
    try:
        value = _get(container, key)
        _remove(container, key)
    except _OpError as exc:
        raise _OpError(f"error in move for path: '{key}': {exc}") from None
    try:
        path = _path(op)
    except _OpError as exc:
        raise _OpError(f"move operation failed to decode path: {exc}") from None
    found = _find(root, path)
    if found is None:
        raise _OpError(f"move operation does not apply: doc is missing destination path: {path}: {_MISSING}")
    try:
        _add(*found, value)
    except _OpError as exc:
        raise _OpError(f"error in move for path: '{path}': {exc}") from None


def _op_copy(root: _Root, op: dict[str, Any], copied: list[int]) -> None:
    try:
        source = _from(op)
    except _OpError as exc:
        raise _OpError(f"copy operation failed to decode from: {exc}") from None
    found = _find(root, source)
    if found is None:
        raise _OpError(f"copy operation does not apply: doc is missing from path: {source}: {_MISSING}")
    try:
        value = _get(*found)
    except _OpError as exc:
        raise _OpError(f"error in copy for from: '{source}': {exc}") from None
    try:
        path = _path(op)
    except _OpError:
        raise _OpError(f"copy operation failed to decode path: {_MISSING}") from None
    found = _find(root, path)
    if found is None:
        raise _OpError(f"copy operation does not apply: doc is missing destination path: {path}: {_MISSING}")
    copied[0] += _encoded_size(value)
    if copied[0] > JSON_PATCH_MAX_COPY_BYTES:
        raise _OpError("Unable to complete the copy, the accumulated size increase of copy is "
                       f"{copied[0]}, exceeding the limit {JSON_PATCH_MAX_COPY_BYTES}")
    try:
        _add(*found, _copied(value))
    except _OpError as exc:
        raise _OpError(f"error while adding value during copy: {exc}") from None


def _op_test(root: _Root, op: dict[str, Any]) -> None:
    try:
        path = _path(op)
    except _OpError as exc:
        raise _OpError(f"test operation failed to decode path: {exc}") from None
    expected = _value(op)
    if path == "":
        if expected is _ABSENT:
            raise _GoPanic("runtime error: invalid memory address or nil pointer dereference")
        if _node_equal(root.value, expected, True):
            return
        raise _OpError(f"testing value {path} failed: {_TEST_FAILED}")
    found = _find(root, path)
    if found is None:
        raise _OpError(f"test operation does not apply: is missing path: {path}: {_MISSING}")
    try:
        actual = _get(*found)
    except _OpError as exc:
        raise _OpError(f"error in test for path: '{path}': {exc}") from None
    if actual is None:
        if expected is _ABSENT or expected is None:
            return
        raise _OpError(f"testing value {path} failed: {_TEST_FAILED}")
    if expected is _ABSENT or not _node_equal(actual, expected, True):
        raise _OpError(f"testing value {path} failed: {_TEST_FAILED}")
