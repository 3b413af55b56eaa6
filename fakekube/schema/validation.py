"""Schema validation of request bodies, with kube-apiserver's split between decode errors and invalid values.

kube-apiserver first *decodes* a body.  For a built-in kind that means its Go type: a value of the
wrong JSON type fails there (400 BadRequest, ``Deployment in version "v1" cannot be handled as a
Deployment: json: cannot unmarshal ...``), and unknown fields are dropped, warned about or refused
(``fieldValidation``).  Only then does it *validate* (422 Invalid with field causes).  A custom resource
decodes into a map, so only its ``metadata`` (decoded into ``ObjectMeta``) can fail there; its unknown
fields are pruned following the CRD's structural schema, and its values are checked afterwards with
the OpenAPI rules of the CRD (``crd_errors`` words those).

Both come from one jsonschema-rs pass over the ``Schema`` model made closed JSON Schema
(``json_schema``), so a valid body costs a single ``is_valid`` call of a few microseconds, and only a
body with errors pays for classifying them.  A validator is compiled on first use and kept with its
``Schema`` node: the built-in ones once per process per (Kubernetes version, definition), shared by
every cluster (they are immutable).
"""

from __future__ import annotations

import functools
import threading
import weakref
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.go_text import go_time_parse_error, json_kind
from fakekube.schema import crd_errors, formats
from fakekube.schema.builtin import builtin_schema
from fakekube.schema.defaulting import apply_defaults, holds_defaults, prune_nulls
from fakekube.schema.go_decoding import DecodeProblem as DecodeProblem  # re-exported
from fakekube.schema.go_decoding import embedded_invalid, go_type, illegal_base64, quantity_error
from fakekube.schema.go_decoding import format_path as format_path  # re-exported
from fakekube.schema.go_regexp import GoPattern
from fakekube.schema.json_schema import BASE64_PATTERN as BASE64_PATTERN  # re-exported
from fakekube.schema.json_schema import FORMAT_PREFIX, PATTERN_KEYWORD, json_schema_document, value_schema
from fakekube.schema.json_schema import INTEGER_BOUNDS as INTEGER_BOUNDS  # re-exported
from fakekube.schema.model import Schema

if TYPE_CHECKING:
    import jsonschema_rs

STRICT, WARN, IGNORE = "Strict", "Warn", "Ignore"
FIELD_VALIDATION_MODES = (STRICT, WARN, IGNORE)

# jsonschema-rs calls these for the formats of custom resources (written ``kube-<format>``).
_FORMAT_CHECKS = {FORMAT_PREFIX + name: check for name, check in formats.CHECKS.items()}
_KEYWORDS: dict[str, Any] = {PATTERN_KEYWORD: GoPattern}  # jsonschema-rs calls GoPattern for it
_TYPE_KINDS = ("Type", "AnyOf")


json_type = json_kind  # the name the decoders use here


@dataclass
class ValidationResult:
    warnings: list[str]
    field_errors: list[FieldError]


@dataclass(frozen=True)
class _Place:
    """Where a path leads in the model: the nodes along it, and where Go decoding starts (if it does)."""

    nodes: tuple[Schema | None, ...]  # nodes[i] is the schema at path[:i]
    go_start: int | None

    @property
    def node(self) -> Schema | None:
        return self.nodes[-1]

    def go_struct(self) -> str:
        """The innermost Go struct holding the last element (the last definition before it)."""
        name = ""
        for node in self.nodes[:-1]:
            if node is not None and node.ref is not None:
                name = node.type_name
        return name


class Validator:
    """A compiled validator for one ``Schema`` and the knowledge to explain its errors like kube-apiserver."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.root = schema.ref or ""
        self.custom = schema.ref is None
        self._validator = _compile(json_schema_document(schema))
        self._sub_validators: dict[tuple[int, str, int], Any] = {}
        self._defaults = self.custom and holds_defaults(schema)

    def validate(self, obj: dict[str, Any], *, kind: str, version: str, mode: str = WARN) -> ValidationResult:
        """Check ``obj`` in place: unknown fields are pruned (or refused in Strict), decode errors raise 400.

        A custom resource also gets its CRD's defaults (kube-apiserver defaults it while decoding).
        Returns the warnings to send and the 422-style field errors for the caller to report.
        """
        if self._defaults:
            apply_defaults(obj, self.schema)
        if self.custom:
            prune_nulls(obj, self.schema)
        if self._validator.is_valid(obj):
            return ValidationResult([], [])
        unknown: list[tuple[str | int, ...]] = []
        decode: list[DecodeProblem] = []
        # field errors, or the places to explain once unknown fields are pruned (kube validates after pruning)
        found: list[tuple[tuple[str | int, ...], FieldError | _Place]] = []
        checked: set[tuple[str | int, ...]] = set()
        for err in self._validator.iter_errors(obj):
            path = tuple(err.instance_path)
            detail: Any = err.kind  # a per-kind variant: .unexpected, .property, .options
            kind_name = type(detail).__name__
            if kind_name == "AdditionalProperties":
                unknown.extend((*path, extra) for extra in detail.unexpected)
                continue
            place = self._place(path)
            problem = self._problem(obj, path, place, kind_name)
            if problem is not None:
                decode.append(problem)
                continue
            item = self._field_item(obj, path, place, kind_name, detail, checked)
            if item is not None:
                found.append((path, item))
        if decode:
            decode.sort(key=self._decode_order)
            raise errors.decode_error(kind, version, decode[0].message())
        warnings: list[str] = []
        if unknown:
            unknown = self._unknown_order(unknown, obj)
            texts = [f'unknown field "{format_path(p)}"' for p in unknown]
            if mode == STRICT:
                raise errors.decode_error(kind, version, "strict decoding error: " + ", ".join(texts))
            if mode == WARN:
                warnings = texts
            for path in sorted(unknown, key=len, reverse=True):
                _delete_at(obj, path)
        return ValidationResult(warnings, [error for _, error in self._explained(obj, found)])

    def origin_errors(self, obj: dict[str, Any]) -> list[tuple[tuple[str | int, ...], FieldError]]:
        """The field errors of a custom resource that has been decoded (pruned, defaulted), each with the
        path of the schema node that reports it (a missing field is reported by its parent): what the
        validation step reports, and ratchets on update."""
        if self._validator.is_valid(obj):
            return []
        found: list[tuple[tuple[str | int, ...], FieldError | _Place]] = []
        checked: set[tuple[str | int, ...]] = set()
        for err in self._validator.iter_errors(obj):
            path = tuple(err.instance_path)
            detail: Any = err.kind
            kind_name = type(detail).__name__
            if kind_name == "AdditionalProperties":
                continue
            place = self._place(path)
            if self._problem(obj, path, place, kind_name) is not None:
                continue  # decoding refused it already; nothing to validate
            item = self._field_item(obj, path, place, kind_name, detail, checked)
            if item is not None:
                found.append((path, item))
        return self._explained(obj, found)

    def _problem(self, obj: dict[str, Any], path: tuple[str | int, ...], place: _Place,
                 kind_name: str) -> DecodeProblem | None:
        """What decoding refuses at ``path`` (Go types; an embedded resource's non-string type fields)."""
        if place.go_start is not None:
            return self._go_problem(obj, path, place, kind_name)
        if kind_name == "Type" and self._embedded_type_meta(place, path):
            return DecodeProblem(path, "", "", "", embedded_invalid(path, _value_at(obj, path), "must be a string"),
                                 len(path))
        return None

    def _field_item(self, obj: dict[str, Any], path: tuple[str | int, ...], place: _Place, kind_name: str,
                    detail: Any, checked: set[tuple[str | int, ...]]) -> FieldError | _Place | None:
        """A field error, or the place whose errors to explain (once per place), or None (explained already)."""
        if place.go_start is not None and kind_name == "Required":
            return errors.required(format_path((*path, detail.property)))
        if place.go_start is not None and kind_name == "Enum":
            return errors.not_supported(format_path(path), _value_at(obj, path), [str(o) for o in detail.options])
        if path in checked:
            return None
        checked.add(path)
        return place

    def _explained(self, obj: dict[str, Any], found: list[tuple[tuple[str | int, ...], FieldError | _Place]],
                   ) -> list[tuple[tuple[str | int, ...], FieldError]]:
        out: list[tuple[tuple[str | int, ...], FieldError]] = []
        for path, item in found:
            if isinstance(item, FieldError):
                out.append((path, item))
            else:
                out.extend((path, error) for error in self._custom_errors(obj, path, item))
        return out

    # --- where an error is ----------------------------------------------------------------------

    def _place(self, path: tuple[str | int, ...]) -> _Place:
        nodes: list[Schema | None] = [self.schema]
        go_start = 0 if self.schema.ref is not None else None
        node: Schema | None = self.schema
        for index, part in enumerate(path):
            if node is not None:
                if isinstance(part, int):
                    node = node.items
                else:
                    found = node.properties.get(part)
                    node = found if found is not None else node.additional_properties
            nodes.append(node)
            if go_start is None and node is not None and node.ref is not None:
                go_start = index + 1
        return _Place(tuple(nodes), go_start)

    def _embedded_type_meta(self, place: _Place, path: tuple[str | int, ...]) -> bool:
        """A non-string ``apiVersion``/``kind`` of an embedded resource: kube's decoder refuses it."""
        parent = place.nodes[-2] if len(place.nodes) > 1 else None
        return bool(path) and path[-1] in ("apiVersion", "kind") and parent is not None and parent.embedded_resource

    # --- decode errors (Go types) ---------------------------------------------------------------

    def _go_problem(self, obj: dict[str, Any], path: tuple[str | int, ...], place: _Place,
                    kind_name: str) -> DecodeProblem | None:
        node = place.node
        if kind_name in _TYPE_KINDS:
            problem = self._decode_problem(obj, path, place)
            value = _value_at(obj, path)
            if type(value) is float and node is not None and node.type == "integer":
                problem = replace(problem, json_type=f"number {value}")  # Go names a number it cannot store
        elif kind_name in ("Minimum", "Maximum") and node is not None and not node.constraints:
            problem = self._decode_problem(obj, path, place)  # overflow: Go names the number it could not fit
            problem = replace(problem, json_type=f"number {_value_at(obj, path)}")
        elif kind_name == "Pattern" and node is not None and node.format == "byte" and not node.constraints:
            problem = DecodeProblem(path, "", "", "", illegal_base64(str(_value_at(obj, path))))
        elif kind_name == "Pattern" and node is not None and node.quantity:
            problem = DecodeProblem(path, "", "", "", quantity_error(str(_value_at(obj, path))))
        elif kind_name == "Pattern" and node is not None and node.format == "date-time" and not node.constraints:
            problem = DecodeProblem(path, "", "", "", go_time_parse_error(str(_value_at(obj, path))) or "")
        else:
            return None
        start = place.go_start or 0
        if self.custom and not (start == 1 and path[0] == "metadata"):
            # Inside an embedded resource: its ObjectMeta is decoded on its own, the error wrapped.
            where = path[:start]
            problem = replace(problem, text=embedded_invalid(where, _value_at(obj, where), problem.message()))
        return problem

    def _decode_problem(self, obj: dict[str, Any], path: tuple[str | int, ...], place: _Place) -> DecodeProblem:
        value = _value_at(obj, path)
        return DecodeProblem(path, json_type(value), place.go_struct(), go_type(place.node), start=place.go_start or 0)

    def _decode_order(self, problem: DecodeProblem) -> tuple[int, tuple[str | int, ...]]:
        # A custom resource's own metadata is decoded first, the ObjectMeta of embedded resources last.
        embedded = self.custom and not (problem.start == 1 and problem.path[:1] == ("metadata",))
        return (1 if embedded else 0, problem.path)

    # --- unknown fields -------------------------------------------------------------------------

    def _unknown_order(self, unknown: list[tuple[str | int, ...]],
                       obj: dict[str, Any]) -> list[tuple[str | int, ...]]:
        if not self.custom:  # Go's strict decoder reports them as it meets them: in the body's order
            return sorted(unknown, key=lambda p: _document_position(obj, p))
        # kube-apiserver: the resource's metadata first, then the pruned paths (sorted as text),
        # then the metadata of embedded resources (sorted as text).
        groups: tuple[list[tuple[str | int, ...]], ...] = ([], [], [])
        for path in unknown:
            start = self._place(path[:-1]).go_start
            groups[2 if start is not None and start > 1 else 0 if start is not None else 1].append(path)
        return [*sorted(groups[0], key=lambda p: [str(x) for x in p]),
                *sorted(groups[1], key=format_path), *sorted(groups[2], key=format_path)]

    # --- field errors (custom resources) --------------------------------------------------------

    def _custom_errors(self, obj: dict[str, Any], path: tuple[str | int, ...], place: _Place) -> list[FieldError]:
        node = place.node
        if node is None:
            return []
        value = _value_at(obj, path)
        return crd_errors.errors_at(format_path(path), node, value,
                                    lambda keyword, index, sub: self._sub_valid(node, keyword, index, sub))

    def _sub_valid(self, node: Schema, keyword: str, index: int, value: Any) -> bool:
        key = (id(node), keyword, index)
        validator = self._sub_validators.get(key)
        if validator is None:
            raw = node.constraints[keyword]
            schema = value_schema(raw if keyword == "not" else raw[index])
            validator = _compile(schema)
            self._sub_validators[key] = validator
        return bool(validator.is_valid(value))


KindValidator = Validator  # the name the registry knows


def _compile(document: dict[str, Any]) -> jsonschema_rs.Validator:
    """jsonschema-rs's validator of a JSON Schema document, with kube's formats and Go's patterns.  The
    library (and what it imports) loads with the first validator, on the first write, not at start."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(document, formats=_FORMAT_CHECKS, validate_formats=True,
                                       pattern_options=jsonschema_rs.RegexOptions(), keywords=_KEYWORDS)


def _value_at(obj: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj


def _document_position(obj: Any, path: tuple[str | int, ...]) -> tuple[int, ...]:
    """Where ``path`` is met reading the body from its start: each step's index among its parent's members."""
    position: list[int] = []
    for step in path:
        if isinstance(obj, dict):
            position.append(list(obj).index(step) if step in obj else len(obj))
            obj = obj.get(step)
        elif isinstance(obj, list) and isinstance(step, int):
            position.append(step)
            obj = obj[step] if 0 <= step < len(obj) else None
        else:
            position.append(0)
            obj = None
    return tuple(position)


def _delete_at(obj: Any, path: tuple[str | int, ...]) -> None:
    try:
        parent = _value_at(obj, path[:-1])
        del parent[path[-1]]
    except (KeyError, IndexError, TypeError):
        pass


_COMPILED: weakref.WeakKeyDictionary[Schema, Validator] = weakref.WeakKeyDictionary()
_COMPILING = threading.Lock()


def validator_for(schema: Schema) -> Validator:
    """The validator of ``schema`` (built-in or custom), compiled on first use and kept as long as the node."""
    found = _COMPILED.get(schema)
    if found is None:
        found = Validator(schema)
        with _COMPILING:
            found = _COMPILED.setdefault(schema, found)
    return found


@functools.cache
def builtin_validator(kubernetes_version: str, definition: str) -> Validator:
    """The shared, lazily compiled validator of one built-in definition."""
    return validator_for(builtin_schema(kubernetes_version, definition))


def strip_nulls(value: Any) -> Any:
    """Drop ``null`` members as Go's decoder does for optional fields (it leaves the zero value)."""
    if isinstance(value, dict):
        return {k: strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_nulls(v) for v in value]
    return value
