"""The decode step of every write: a request body becomes an object of the resource's kind.

As kube-apiserver's decoder: the body must be an object of the expected kind and apiVersion (both
filled in when missing), ``null`` members are dropped, wrong JSON types are 400 decode errors, and
unknown fields are dropped, warned about or refused (``fieldValidation``).  Schema violations that
are not decode errors come back as field errors for the validation step to report.
"""

from __future__ import annotations

from typing import Any

import orjson

from fakekube import errors
from fakekube.registry.resources import ResourceInfo
from fakekube.schema import validation
from fakekube.schema.builtin import definition_for_kind
from fakekube.schema.validation import ValidationResult, Validator

NO_PROBLEMS = ValidationResult([], [])


class NullFree(dict[str, Any]):
    """A body parsed from JSON bytes that hold no ``null`` (the HTTP layer looks at the bytes it has), so
    decoding need not serialize the object again to look for one."""

    __slots__ = ()


def decode(body: Any, kind: str, version: str, api_version: str, validator: Validator | None,
           mode: str, custom: bool = False) -> tuple[dict[str, Any], ValidationResult]:
    """``body`` as an object of ``kind`` in ``api_version``; the object is ``body`` itself, changed in place.

    A custom resource is not a Go struct: its nulls stay (nullable fields keep them, defaults replace
    the others) and its schema validator words its metadata errors itself."""
    if not isinstance(body, dict):
        raise errors.decode_error(kind, version, f"json: cannot unmarshal {validation.json_type(body)} into "
                                  f"Go value of type {version}.{kind}")
    body_version = body.get("apiVersion")
    if body_version is not None and body_version != api_version:
        raise errors.api_version_mismatch(body_version, api_version)
    body_kind = body.get("kind")
    if body_kind is not None and body_kind != kind:
        raise errors.kind_mismatch(body_kind, kind)
    if custom:
        body["kind"] = kind
        body["apiVersion"] = api_version
        body.setdefault("metadata", {})
        return body, validator.validate(body, kind=kind, version=version, mode=mode) if validator else NO_PROBLEMS
    # Callers pass a body of their own (a fresh parse); nulls are rare, so look before walking.
    obj: dict[str, Any]
    if type(body) is NullFree:  # its reader saw no null in the bytes: no second serialization to look
        obj = body
    else:
        obj = validation.strip_nulls(body) if b"null" in orjson.dumps(body) else body
    obj["kind"] = kind
    obj["apiVersion"] = api_version
    meta = obj.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise errors.decode_error(kind, version, "json: cannot unmarshal " + validation.json_type(meta)
                                  + f" into Go struct field {kind}.metadata of type v1.ObjectMeta")
    result = validator.validate(obj, kind=kind, version=version, mode=mode) if validator else NO_PROBLEMS
    return obj, result


def decode_for(res: ResourceInfo, body: Any, mode: str) -> tuple[dict[str, Any], ValidationResult]:
    """A body written through ``res`` (its own kind and version)."""
    return decode(body, res.kind, res.version, res.api_version, res.validator, mode, custom=res.is_custom)


def decode_as(kubernetes_version: str, group: str, version: str, kind: str, body: Any,
              mode: str) -> tuple[dict[str, Any], ValidationResult]:
    """A body of another kind than the resource's (a Scale for ``/scale``, a Binding for ``pods/binding``)."""
    definition = definition_of(kubernetes_version, group, version, kind)
    validator = validation.builtin_validator(kubernetes_version, definition) if definition else None
    return decode(body, kind, version, f"{group}/{version}" if group else version, validator, mode)


def definition_of(kubernetes_version: str, group: str, version: str, kind: str) -> str | None:
    return definition_for_kind(kubernetes_version, group, version, kind)
