"""Custom-resource validation errors, worded as kube-apiserver words them.

kube-apiserver checks a custom resource with kube-openapi's schema validator and turns its results
into field errors (``apiextensions-apiserver/pkg/apiserver/validation``): a wrong type is
``spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"``,
an enum ``Unsupported value``, a missing field ``Required value``, a bound ``Invalid value: 0:
spec.replicas in body should be greater than or equal to 1``.

jsonschema-rs only tells the validator *where* a body is wrong; ``errors_at`` then recomputes what
kube-openapi reports for the value at that place, from the model, so the wording, the order of the
checks and kube-openapi's own numeric rules (an integer compared with a truncated bound; the string
checks stopping at the first failure) are kube's.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.go_text import go_float, go_quote
from fakekube.schema import formats
from fakekube.schema.go_regexp import go_matches
from fakekube.schema.model import Schema

NIL_FIELD = "<nil>"  # the field of an error kube-openapi reports without a path (field.Path nil)


class GoFloat(float):
    """A float shown as Go's ``%v`` shows a float64 (``1e+06``, ``2``, ``0.5``)."""

    def __str__(self) -> str:
        return go_float(self)

    __repr__ = __str__


def go_value(value: Any) -> Any:
    """A decoded JSON value as it shows in a field error (floats as Go prints float64)."""
    return GoFloat(value) if isinstance(value, float) else value


def openapi_type(value: Any) -> str:
    """The OpenAPI type kube-openapi infers for a decoded JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _declared_types(node: Schema) -> list[str]:
    if node.int_or_string:
        return ["integer", "string"]
    return [node.type] if node.type else []


def _type_matches(types: Sequence[str], value: Any) -> bool:
    actual = openapi_type(value)
    if actual in types:
        return True
    if actual == "integer" and "number" in types:
        return True
    return actual == "number" and "integer" in types and float(value).is_integer()


def errors_at(name: str, node: Schema, value: Any, sub_valid: Callable[[str, int, Any], bool]) -> list[FieldError]:
    """Everything kube-openapi reports for ``value`` against ``node`` at path ``name`` (not below it).

    ``sub_valid(keyword, index, value)`` says whether ``value`` passes the ``index``-th schema of the
    node's ``allOf``/``anyOf``/``oneOf`` (``not``: index 0).
    """
    out: list[FieldError] = []
    types = _declared_types(node)
    if value is None:
        if types and not node.nullable:
            out.append(_type_error(name, types, value))
        out.extend(_enum_error(name, node, value))
        return out
    if types and not _type_matches(types, value):
        out.append(_type_error(name, types, value))
    out.extend(_combinator_errors(name, node, value, sub_valid))
    if isinstance(value, str):
        out.extend(_string_errors(name, node, value))
        check = formats.check_for(node.format) if node.format and node.type in (None, "string") else None
        if check is not None and not check(value):
            out.append(FieldError("FieldValueTypeInvalid", name, value,
                                  f"{name} in body must be of type {node.format}: {go_quote(value)}"))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        out.extend(_number_errors(name, node, value))
    elif isinstance(value, list):
        out.extend(_array_errors(name, node, value))
    out.extend(_enum_error(name, node, value))
    if isinstance(value, dict):
        out.extend(_object_errors(name, node, value))
    return out


def _type_error(name: str, types: list[str], value: Any) -> FieldError:
    actual = openapi_type(value)
    return FieldError("FieldValueTypeInvalid", name, actual,
                      f"{name} in body must be of type {','.join(types)}: {go_quote(actual)}")


def _combinator_errors(name: str, node: Schema, value: Any,
                       sub_valid: Callable[[str, int, Any], bool]) -> list[FieldError]:
    out: list[FieldError] = []
    constraints = node.constraints
    quoted = go_quote(name)
    any_of = constraints.get("anyOf")
    if isinstance(any_of, list) and any_of and not any(sub_valid("anyOf", i, value) for i in range(len(any_of))):
        out.append(_nil(f"{quoted} must validate at least one schema (anyOf)"))
    one_of = constraints.get("oneOf")
    if isinstance(one_of, list) and one_of:
        valid = sum(sub_valid("oneOf", i, value) for i in range(len(one_of)))
        if valid != 1:
            found = "Found none valid" if valid == 0 else f"Found {valid} valid alternatives"
            out.append(_nil(f"{quoted} must validate one and only one schema (oneOf). {found}"))
    all_of = constraints.get("allOf")
    if isinstance(all_of, list) and all_of:
        valid = sum(sub_valid("allOf", i, value) for i in range(len(all_of)))
        if valid != len(all_of):
            none = ". None validated" if not valid else ""
            out.append(_nil(f"{quoted} must validate all the schemas (allOf){none}"))
    if isinstance(constraints.get("not"), dict) and sub_valid("not", 0, value):
        out.append(_nil(f"{quoted} must not validate the schema (not)"))
    return out


def _nil(detail: str) -> FieldError:
    return FieldError("FieldValueInvalid", NIL_FIELD, "", detail)


def _string_errors(name: str, node: Schema, value: str) -> list[FieldError]:
    """kube-openapi's string validator: maxLength, then minLength, then pattern; the first failure only."""
    constraints = node.constraints
    length = len(value)  # runes
    max_length = constraints.get("maxLength")
    if isinstance(max_length, int) and length > max_length:
        return [errors.too_long(name, max_length)]
    min_length = constraints.get("minLength")
    if isinstance(min_length, int) and length < min_length:
        return [errors.invalid(name, value, f"{name} in body should be at least {min_length} chars long")]
    pattern = constraints.get("pattern")
    if isinstance(pattern, str) and not go_matches(pattern, value):
        return [errors.invalid(name, value, f"{name} in body should match '{pattern}'")]
    return []


def _number_errors(name: str, node: Schema, value: float) -> list[FieldError]:
    """kube-openapi's number validator: the integer format's range, multipleOf, minimum, maximum."""
    out: list[FieldError] = []
    constraints = node.constraints
    if node.type == "integer" and node.format == "int32" and not _fits_int32(value):
        out.append(_nil_value(f"Checked value must be of type integer with format int32 in {name}"))
    factor = _number(constraints.get("multipleOf"))
    if factor is not None:
        out.extend(_multiple_of(name, value, factor, node.type))
    for key, exclusive_key, below in (("minimum", "exclusiveMinimum", True), ("maximum", "exclusiveMaximum", False)):
        bound = _number(constraints.get(key))
        if bound is None:
            continue
        exclusive = constraints.get(exclusive_key) is True
        if isinstance(value, int) and (node.type != "integer" or float(bound).is_integer()):
            limit: float = int(bound)  # Go converts the bound to the value's int64
            shown = str(int(bound))
        else:
            limit, shown = float(bound), go_float(float(bound))
        failed = (value <= limit if exclusive else value < limit) if below else \
            (value >= limit if exclusive else value > limit)
        if failed:
            words = ("greater than" if below else "less than") + ("" if exclusive else " or equal to")
            out.append(errors.invalid(name, go_value(value), f"{name} in body should be {words} {shown}"))
    return out


def _nil_value(detail: str) -> FieldError:
    return FieldError("FieldValueInvalid", NIL_FIELD, "", detail)


def _fits_int32(value: float) -> bool:
    if isinstance(value, float) and not value.is_integer():
        return False
    return -(2**31) <= value <= 2**31 - 1


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _multiple_of(name: str, value: float, factor: float, kind: str | None) -> list[FieldError]:
    if isinstance(value, int) and (kind != "integer" or float(factor).is_integer()):
        int_factor = int(factor)
        if int_factor <= 0:
            return [_not_positive(name, int_factor)]
        quotient = abs(value) // int_factor * (1 if value >= 0 else -1)  # Go truncates toward zero
        if quotient * int_factor != value:
            return [errors.invalid(name, value, f"{name} in body should be a multiple of {int_factor}")]
        return []
    if factor <= 0:
        return [_not_positive(name, float(factor))]
    multiple = (1 / factor * value) if factor < 1 else (value / factor)
    if not _is_json_integer(multiple):
        return [errors.invalid(name, go_value(float(value)),
                               f"{name} in body should be a multiple of {go_float(float(factor))}")]
    return []


def _not_positive(name: str, factor: float) -> FieldError:
    shown = go_value(factor)
    return errors.invalid(name, shown, f"factor MultipleOf declared for {name} must be positive: {shown}")


def _is_json_integer(value: float) -> bool:
    """``swag.IsFloat64AJSONInteger``: integral, allowing for the rounding of the division."""
    if math.isnan(value) or math.isinf(value):
        return False
    nearest = round(value)
    if value == nearest:
        return True
    return abs(value - nearest) <= abs(value) * 1e-15 + 1e-300


def _array_errors(name: str, node: Schema, value: list[Any]) -> list[FieldError]:
    out: list[FieldError] = []
    constraints = node.constraints
    min_items = constraints.get("minItems")
    if isinstance(min_items, int) and len(value) < min_items:
        out.append(errors.invalid(name, len(value), f"{name} in body should have at least {min_items} items"))
    max_items = constraints.get("maxItems")
    if isinstance(max_items, int) and len(value) > max_items:
        out.append(_too_many(name, len(value), max_items))
    if constraints.get("uniqueItems") is True and _has_duplicates(value):
        out.append(errors.invalid(name, "", f"{name} in body shouldn't contain duplicates"))
    return out


def _too_many(name: str, actual: int, most: int) -> FieldError:
    # field.TooMany shows the count as its value: ``Too many: 3: must have at most 2 items``
    items = "item" if most == 1 else "items"
    return errors.too_many(name, actual, most, items)


def _has_duplicates(value: list[Any]) -> bool:
    seen: set[bytes] = set()
    for item in value:
        key = orjson.dumps(item, option=orjson.OPT_SORT_KEYS)
        if key in seen:
            return True
        seen.add(key)
    return False


def _enum_error(name: str, node: Schema, value: Any) -> list[FieldError]:
    if not node.enum or any(_equal(value, option) for option in node.enum):
        return []
    supported = [o if isinstance(o, str) else orjson.dumps(o).decode() for o in node.enum]
    return [errors.not_supported(name, go_value(value), supported)]


def _equal(value: Any, option: Any) -> bool:
    if isinstance(value, bool) or isinstance(option, bool):
        return isinstance(value, bool) and isinstance(option, bool) and value == option
    if isinstance(value, (int, float)) and isinstance(option, (int, float)):
        return value == option
    return type(value) is type(option) and bool(value == option)


def _object_errors(name: str, node: Schema, value: dict[str, Any]) -> list[FieldError]:
    out: list[FieldError] = []
    constraints = node.constraints
    min_properties = constraints.get("minProperties")
    if isinstance(min_properties, int) and len(value) < min_properties:
        out.append(errors.invalid(name, len(value),
                                  f"{name} in body should have at least {min_properties} properties"))
    max_properties = constraints.get("maxProperties")
    if isinstance(max_properties, int) and len(value) > max_properties:
        out.append(_too_many(name, len(value), max_properties))
    prefix = f"{name}." if name else ""
    out.extend(errors.required(prefix + key) for key in node.required if key not in value)
    return out
