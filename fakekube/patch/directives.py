"""Strategic merge patch directives (``$patch``, ``$retainKeys``, ``$deleteFromPrimitiveList``,
``$setElementOrder``), the mergepatch errors, and the helpers that read, apply or strip the directives.
"""

from __future__ import annotations

from typing import Any

from fakekube.patch.go_values import _go_format, _go_key, _type_name_or_nil

_DIRECTIVE = "$patch"
_DELETE = "delete"
_REPLACE = "replace"
_MERGE = "merge"
_RETAIN_KEYS = "retainKeys"
_RETAIN_KEYS_DIRECTIVE = "$retainKeys"
_DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
_SET_ELEMENT_ORDER = "$setElementOrder"

# The mergepatch sentinel errors, and how interpretStrategicMergePatchError answers them.
_ERR_BAD_JSON_DOC = "invalid JSON document"
_ERR_NO_LIST_OF_LISTS = "lists of lists are not supported"
_ERR_PRIMITIVE_LIST_FORMAT = "invalid patch format of primitive list"
_ERR_RETAIN_KEYS_FORMAT = "invalid patch format of retainKeys"
_ERR_SET_ELEMENT_ORDER_FORMAT = "invalid patch format of setElementOrder list"
_ERR_RETAIN_KEYS_CONTENT = "patch content doesn't match retainKeys list"
_ERR_UNSUPPORTED = "strategic merge patch format is not supported"
_BAD_REQUEST_SENTINELS = {_ERR_BAD_JSON_DOC, _ERR_PRIMITIVE_LIST_FORMAT, _ERR_RETAIN_KEYS_FORMAT,
                          _ERR_SET_ELEMENT_ORDER_FORMAT, _ERR_UNSUPPORTED}
_UNPROCESSABLE_SENTINELS = {_ERR_NO_LIST_OF_LISTS, _ERR_RETAIN_KEYS_CONTENT}


class _MergeError(Exception):
    """A strategic merge error: ``sentinel`` when it is one of the mergepatch sentinel values."""

    def __init__(self, message: str, sentinel: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.sentinel = sentinel


def _sentinel(message: str) -> _MergeError:
    return _MergeError(message, sentinel=True)


def _bad_arg_type(expected: str, actual: Any) -> _MergeError:
    return _MergeError(f"expected a {expected}, but received a {_type_name_or_nil(actual)}")


def _no_merge_key(item: dict[str, Any], merge_key: str) -> _MergeError:
    return _MergeError(f"map: {_go_format(item)} does not contain declared merge key: {merge_key}")


def _bad_patch_type(directive: Any, item: dict[str, Any]) -> _MergeError:
    return _MergeError(f"unknown patch type: {_go_format(directive, 's')} in map: {_go_format(item)}")


_MAP = "map[string]interface {}"
_SLICE = "[]interface {}"


def _non_retain_strategy(strategies: tuple[str, ...]) -> str:
    """``extractRetainKeysPatchStrategy``: the strategy besides ``retainKeys``."""
    if not strategies:
        return ""
    if len(strategies) == 1:
        return "" if strategies[0] == _RETAIN_KEYS else strategies[0]
    if len(strategies) == 2:
        if strategies[0] == _RETAIN_KEYS:
            return strategies[1]
        if strategies[1] == _RETAIN_KEYS:
            return strategies[0]
    raise _MergeError(f"unexpected patch strategy: [{' '.join(strategies)}]")


def _extract_key(key: str, prefix: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        if prefix == _DELETE_FROM_PRIMITIVE_LIST:
            raise _sentinel(_ERR_PRIMITIVE_LIST_FORMAT)
        raise _sentinel(_ERR_SET_ELEMENT_ORDER_FORMAT)
    return rest


def _discard_nulls(value: Any) -> None:
    if isinstance(value, dict):
        for key in list(value):
            if value[key] is None:
                del value[key]
            else:
                _discard_nulls(value[key])
    elif isinstance(value, list):
        for item in value:
            _discard_nulls(item)


def _remove_directives(value: Any) -> tuple[Any, bool]:
    """Drop maps carrying ``$patch`` (the map itself, or the list element); other directive keys stay."""
    if isinstance(value, dict):
        if _DIRECTIVE in value:
            return None, False
        for key in list(value):
            cleaned, keep = _remove_directives(value[key])
            if keep:
                value[key] = cleaned
            else:
                del value[key]
        return value, True
    if isinstance(value, list):
        kept = []
        for item in value:
            cleaned, keep = _remove_directives(item)
            if keep:
                kept.append(cleaned)
        return kept, True
    return value, True


def _apply_retain_keys(original: dict[str, Any], patch: dict[str, Any]) -> None:
    if _RETAIN_KEYS_DIRECTIVE not in patch:
        return
    retain = patch.pop(_RETAIN_KEYS_DIRECTIVE)
    if not isinstance(retain, list):
        raise _sentinel(_ERR_RETAIN_KEYS_FORMAT)
    kept = {_go_key(item) for item in retain}
    for key, value in patch.items():
        if value is None or key.startswith((_DELETE_FROM_PRIMITIVE_LIST, _SET_ELEMENT_ORDER)):
            continue
        if ("string", key) not in kept:
            raise _sentinel(_ERR_RETAIN_KEYS_FORMAT)
    for key in list(original):
        if ("string", key) not in kept:
            del original[key]
