"""Worst-case cost of a CEL rule, after cel-go's estimator (``checker/cost.go``) and the Kubernetes
library's costs (``k8s.io/apiserver/pkg/cel/library/cost.go``), sized from the schema the rule sits on
(``maxLength``, ``maxItems``, ``maxProperties``; unbounded ones estimated from the 3 MiB request limit as
``apiextensions``' ``model`` does).  The same walk over a value's actual sizes stands in for cel-go's
runtime cost tracking.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fakekube.cel.syntax import BOOL_MACROS, MAP_MACROS, Node

MAX_REQUEST_SIZE_BYTES = 3 * 1024 * 1024
PER_CALL_LIMIT = 1_000_000  # celconfig.PerCallLimit
RUNTIME_CEL_COST_BUDGET = 10_000_000  # celconfig.RuntimeCELCostBudget
STATIC_ESTIMATED_COST_LIMIT = 10_000_000  # apiextensions validation.StaticEstimatedCostLimit
STATIC_ESTIMATED_CRD_COST_LIMIT = 100_000_000  # apiextensions validation.StaticEstimatedCRDCostLimit
_TRAVERSAL = 0.1  # common.StringTraversalCostFactor
_MIN_SIZES = {"string": 2, "object": 2, "array": 2, "boolean": 4, "integer": 1, "number": 1}
_LIST_CREATE = 10  # common.ListCreateBaseCost
_UNBOUNDED = float(2**64 - 1)  # cel-go's size of what it cannot bound (``lists.range(n)`` of a non-literal n)
_STRING_FUNCTIONS = {"contains", "startsWith", "endsWith", "lowerAscii", "upperAscii", "trim", "split", "replace",
                     "indexOf", "lastIndexOf", "substring", "charAt", "find", "findAll", "join", "validate",
                     "quantity", "isQuantity", "semver", "isSemver", "url", "isURL", "ip", "isIP", "cidr", "isCIDR"}


@dataclass
class Shape:
    """How big a value can be: ``size`` is a string's length, a list's items or a map's entries."""

    type: str = ""
    size: int = 0
    properties: dict[str, Shape] = field(default_factory=dict)
    items: Shape | None = None
    open_map: bool = False

    def child(self, name: str) -> Shape:
        if name in self.properties:
            return self.properties[name]
        if self.items is not None and self.type == "object":
            return self.items
        return Shape()


def _min_size(schema: Mapping[str, Any]) -> int:
    return _MIN_SIZES.get(schema.get("type", ""), 1)


def schema_shape(schema: Mapping[str, Any], budget: int = MAX_REQUEST_SIZE_BYTES) -> Shape:
    """The largest value the schema node admits in one request."""
    kind = schema.get("type", "")
    if kind == "string" or schema.get("x-kubernetes-int-or-string"):
        bound = schema.get("maxLength")
        return Shape("string", int(bound) if bound is not None else budget - 2)
    if kind == "array":
        item = schema.get("items") or {}
        bound = schema.get("maxItems")
        size = int(bound) if bound is not None else (budget - 2) // (_min_size(item) + 1)
        return Shape("array", size, items=schema_shape(item, budget))
    if kind == "object":
        props = {k: schema_shape(v, budget) for k, v in (schema.get("properties") or {}).items()}
        extra = schema.get("additionalProperties")
        if isinstance(extra, Mapping):
            bound = schema.get("maxProperties")
            size = int(bound) if bound is not None else (budget - 2) // (_min_size(extra) + 4)
            return Shape("object", size, props, schema_shape(extra, budget), open_map=True)
        return Shape("object", len(props), props)
    return Shape(kind, 1)


def value_shape(value: Any) -> Shape:
    """The actual sizes of a value: what the runtime cost is reckoned from."""
    if isinstance(value, str):
        return Shape("string", len(value))
    if isinstance(value, list):
        items = [value_shape(v) for v in value]
        return Shape("array", len(value), items=_widest(items))
    if isinstance(value, dict):
        props = {k: value_shape(v) for k, v in value.items()}
        return Shape("object", len(value), props, _widest(list(props.values())), open_map=True)
    return Shape("", 1)


def _widest(shapes: list[Shape]) -> Shape:
    if not shapes:
        return Shape()
    widest = max(shapes, key=lambda s: s.size)
    return Shape(widest.type, max(s.size for s in shapes), widest.properties, widest.items, widest.open_map)


@dataclass(frozen=True)
class Estimate:
    cost: float
    shape: Shape


class Estimator:
    """Cost of one expression given the shapes of its variables (``self``, ``oldSelf``)."""

    def __init__(self, variables: Mapping[str, Shape]):
        self.scopes: list[dict[str, Shape]] = [dict(variables)]

    def estimate(self, node: Node) -> Estimate:
        handler = getattr(self, "_" + node.kind, None)
        if handler is None:
            return Estimate(1 + sum(self.estimate(a).cost for a in node.args), Shape())
        result: Estimate = handler(node)
        return result

    def _lookup(self, name: str) -> Shape:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return Shape()

    def _literal(self, node: Node) -> Estimate:
        text = node.name  # the source text, quotes included
        return Estimate(0, Shape("string", max(len(text) - 2, 0)))

    def _ident(self, node: Node) -> Estimate:
        return Estimate(1, self._lookup(node.name))

    def _select(self, node: Node) -> Estimate:
        assert node.target is not None
        base = self.estimate(node.target)
        return Estimate(base.cost + 1, base.shape.child(node.name))

    def _has(self, node: Node) -> Estimate:
        inner = node.args[0]
        base = self.estimate(inner.target) if inner.target is not None else Estimate(0, Shape())
        return Estimate(base.cost + 1, Shape("boolean", 1))

    def _index(self, node: Node) -> Estimate:
        base, key = self.estimate(node.args[0]), self.estimate(node.args[1])
        child = base.shape.items or Shape()
        if node.args[1].kind == "literal" and base.shape.type == "object" and not base.shape.open_map:
            child = base.shape.child(str(node.args[1].value).strip("'\""))
        return Estimate(base.cost + key.cost + 1, child)

    def _list(self, node: Node) -> Estimate:
        parts = [self.estimate(a) for a in node.args]
        return Estimate(10 + sum(p.cost for p in parts), Shape("array", len(parts), items=_widest(
            [p.shape for p in parts])))

    def _map(self, node: Node) -> Estimate:
        parts = [self.estimate(a) for a in node.args]
        return Estimate(30 + sum(p.cost for p in parts), Shape("object", len(parts) // 2, open_map=True))

    def _op(self, node: Node) -> Estimate:
        parts = [self.estimate(a) for a in node.args]
        cost = sum(p.cost for p in parts)
        if node.name in ("==", "!=", "+") and parts and parts[0].shape.type in ("string", "array"):
            sizes = [p.shape.size for p in parts]
            cost += math.ceil(_TRAVERSAL * (sum(sizes) if node.name == "+" else min(sizes)))
            if node.name == "+":
                return Estimate(cost + 1, Shape(parts[0].shape.type, sum(sizes), items=parts[0].shape.items))
        if node.name == "in" and len(parts) == 2:
            cost += parts[1].shape.size
        return Estimate(cost + 1, Shape("boolean", 1) if node.name not in ("+", "-", "*", "/", "%", "-_", "?:")
                        else Shape())

    def _call(self, node: Node) -> Estimate:
        target = self.estimate(node.target) if node.target is not None else None
        args = [self.estimate(a) for a in node.args]
        cost = 1 + (target.cost if target else 0) + sum(a.cost for a in args)
        subject = target.shape if target else (args[0].shape if args else Shape())
        if node.name == "matches" and args:
            regex = args[-1].shape.size or 1
            return Estimate(cost + math.ceil(_TRAVERSAL * subject.size) * regex, Shape("boolean", 1))
        if node.name in _STRING_FUNCTIONS:
            return Estimate(cost + math.ceil(_TRAVERSAL * max(subject.size, *(a.shape.size for a in args), 0)),
                            Shape("string", subject.size, items=Shape("string", subject.size)))
        if node.name in ("isSorted", "sum", "min", "max", "equivalent", "intersects") and subject.type == "array":
            return Estimate(cost + subject.size, Shape())
        if node.name in _LIST_FUNCTIONS:
            return _LIST_FUNCTIONS[node.name](cost, subject, node.args)
        if node.name == "format" and target is not None:
            return Estimate(cost + math.ceil(_TRAVERSAL * subject.size), Shape("string", MAX_REQUEST_SIZE_BYTES))
        if node.name == "quote" and args:
            size = args[0].shape.size
            return Estimate(cost + math.ceil(_TRAVERSAL * size), Shape("string", 2 * size + 2))
        if node.name in ("equivalent", "intersects") or (node.name == "contains" and target is not None and
                                                         target.shape.type == ""):
            sizes = [a.shape.size for a in args] or [1]
            return Estimate(cost + math.prod(max(s, 1) for s in sizes), Shape("boolean", 1))
        return Estimate(cost, Shape())

    def _comprehension(self, node: Node) -> Estimate:
        assert node.target is not None
        rng = self.estimate(node.target)
        shape = rng.shape
        key = Shape("integer", 1) if shape.type == "array" else Shape("string", 63)
        value = shape.items or _widest(list(shape.properties.values()))
        names = node.variables
        self.scopes.append({names[0]: value if len(names) == 1 and shape.type == "array" else key}
                           | ({names[1]: value} if len(names) == 2 else {}))
        try:
            body = [self.estimate(a) for a in node.args]
        finally:
            self.scopes.pop()
        per_item = sum(b.cost for b in body) + 1
        cost = rng.cost + shape.size * per_item
        if node.name in BOOL_MACROS:
            return Estimate(cost, Shape("boolean", 1))
        if node.name == "sortBy":
            return Estimate(cost + _sort_cost(shape), Shape("array", shape.size, items=shape.items))
        if node.name in MAP_MACROS:
            return Estimate(cost, Shape("object", shape.size, items=body[-1].shape if body else Shape(), open_map=True))
        return Estimate(cost, Shape("array", shape.size, items=body[-1].shape if body else Shape()))


# --- cel-go's lists extension (``ext/lists.go`` estimators: a list allocation plus a factor of its size) ---


def _literal_int(node: Node, default: float) -> float:
    return float(node.value) if node.kind == "literal" and type(node.value) is int and node.value >= 0 else default


def _sort_cost(subject: Shape) -> int:
    """``sort()``/``sortBy``: 2 per pair of elements (plus the string traversal factor for strings)."""
    factor = 2 + (_TRAVERSAL if subject.items is not None and subject.items.type == "string" else 0)
    return math.ceil(factor * subject.size * subject.size) + _LIST_CREATE


def _linear(cost: float, subject: Shape, args: tuple[Node, ...]) -> Estimate:
    return Estimate(cost + subject.size + _LIST_CREATE, Shape("array", subject.size, items=subject.items))


def _slice(cost: float, subject: Shape, args: tuple[Node, ...]) -> Estimate:
    start = _literal_int(args[0], 0) if args else 0
    end = _literal_int(args[1], subject.size) if len(args) > 1 else subject.size
    size = max(int(end - start), 0)
    return Estimate(cost + size + _LIST_CREATE, Shape("array", size, items=subject.items))


def _flatten(cost: float, subject: Shape, args: tuple[Node, ...]) -> Estimate:
    depth = _literal_int(args[0], _UNBOUNDED) if args else 1
    inner = subject.items.items if subject.items is not None and subject.items.items is not None else subject.items
    return Estimate(cost + depth * subject.size + _LIST_CREATE, Shape("array", subject.size, items=inner))


def _distinct(cost: float, subject: Shape, args: tuple[Node, ...]) -> Estimate:
    return Estimate(cost + 2 * subject.size * subject.size + _LIST_CREATE, subject)


def _sort(cost: float, subject: Shape, args: tuple[Node, ...]) -> Estimate:
    return Estimate(cost + _sort_cost(subject), subject)


def _range(cost: float, subject: Shape, args: tuple[Node, ...]) -> Estimate:
    size = _literal_int(args[0], _UNBOUNDED) if args else _UNBOUNDED
    return Estimate(cost + size + _LIST_CREATE, Shape("array", int(min(size, MAX_REQUEST_SIZE_BYTES)),
                                                        items=Shape("integer", 1)))


def _element(cost: float, subject: Shape, args: tuple[Node, ...]) -> Estimate:
    return Estimate(cost, subject.items or Shape())


_LIST_FUNCTIONS = {"slice": _slice, "flatten": _flatten, "distinct": _distinct, "sort": _sort, "reverse": _linear,
                   "range": _range, "first": _element, "last": _element}


def cardinality(path_sizes: list[int]) -> int:
    """How many times a rule at a node may run: the product of the sizes of the lists and maps above it."""
    return math.prod(path_sizes) if path_sizes else 1

