"""Evaluation of a CRD version's ``x-kubernetes-validations`` on create and update, as apiextensions'
``schema/cel/validation.go`` does: a tree of compiled rules parallel to the schema, walked with the
object and its correlated old value, under the per-call and per-request cost limits, with ratcheting
(a rule that does not read ``oldSelf`` does not fail an update that leaves its value unchanged).

The rules read the decoded JSON as it is (``self`` is the node's value itself): nothing is converted or
copied per request, and everything that can be worked out from the CRD alone (programs, texts, static
costs) is, once per schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import orjson

from fakekube import errors
from fakekube.cel.closures import EVAL_ERRORS, as_error
from fakekube.cel.compiler import CompileError, Program, compile_expression, estimated_cost
from fakekube.cel.cost import PER_CALL_LIMIT, RUNTIME_CEL_COST_BUDGET, Estimator, Shape, value_shape
from fakekube.cel.field_paths import field_path_of
from fakekube.cel.kubernetes_types import Optional
from fakekube.cel.typed_values import Converter, converter
from fakekube.errors import FieldError
from fakekube.schema.ratcheting import deep_equal

_NONE = object()  # no correlated old value
_CHEAP = 1000  # below this static estimate a rule is charged its estimate instead of measuring the value
_MAX_MESSAGE_BYTES = 5 * 1024  # celconfig.MaxEvaluatedMessageExpressionSizeBytes


@dataclass(frozen=True, eq=False)
class Rule:
    """One compiled rule with what its failure reports."""

    spec: Mapping[str, Any]
    program: Program
    message: Program | None
    field_path: str
    static_cost: float
    text: str  # what an evaluation error names: the message, else the rule
    optional_old_self: bool

    @property
    def fixed_cost(self) -> int | None:
        """The cost charged without measuring the value (a cheap rule's static estimate), else None."""
        return int(self.static_cost) if self.static_cost < _CHEAP else None


class _OutOfBudget(Exception):
    pass


@dataclass(eq=False)
class _Run:
    budget: int = RUNTIME_CEL_COST_BUDGET
    errors: list[FieldError] = field(default_factory=list)
    shows_values: bool = True  # a failed rule shows the value (v1.35+), not the schema type


@dataclass(frozen=True, eq=False)
class RuleSet:
    """The rules of one schema node and of the nodes under it that have any."""

    schema: Mapping[str, Any]
    rules: tuple[Rule, ...]
    properties: Mapping[str, RuleSet]
    items: RuleSet | None
    additional: RuleSet | None
    kind: str = ""  # the schema's type, the value its evaluation errors show (and failed rules up to v1.34)
    declared: frozenset[str] = frozenset()  # the node's properties (``additional`` is for the other keys)
    granular: bool = True  # not an atomic map: old values correlate key by key
    convert: Converter | None = None  # numbers and formatted strings as the rules see them (``typed_values``)

    @cached_property
    def plan(self) -> tuple[tuple[Rule, Program, int | None], ...]:
        """Each rule with its program and fixed cost, unpacked once for the per-request loop."""
        return tuple((rule, rule.program, rule.fixed_cost) for rule in self.rules)

    @staticmethod
    def for_schema(openapi_v3_schema: Mapping[str, Any]) -> RuleSet | None:
        """The compiled rules of a CRD version's schema, None when it has none (compiled once per schema)."""
        return _cached(orjson.dumps(openapi_v3_schema, option=orjson.OPT_SORT_KEYS))

    def validate(self, obj: Any, old: Any, *, shows_values: bool = True) -> list[FieldError]:
        """Every rule's failure for ``obj`` (``old`` is None on create).  ``shows_values``: a failed rule's
        error shows the failing value, as kube-apiserver does from v1.35 (before: the schema's type)."""
        run = _Run(shows_values=shows_values)
        if type(obj) is not dict and isinstance(obj, dict):
            obj = dict(obj)  # the HTTP layer's ``NullFree``: the evaluator reads plain JSON types only
        if type(old) is not dict and isinstance(old, dict):
            old = dict(old)
        try:
            self._walk(run, "", obj, old, old is not None and deep_equal(obj, old), _NONE if old is None else old)
        except _OutOfBudget:
            pass
        return run.errors

    def _walk(self, run: _Run, path: str, obj: Any, old: Any, unchanged: bool, correlated: Any) -> None:
        """Rules at and below this node.  ``old`` is what ``oldSelf`` is (None: no transition rule runs);
        ``correlated`` the old value this node correlates with for ratcheting (``_NONE``: none, the items
        of a list other than a list-map, or a field missing on either side), and ``unchanged`` whether its
        errors are ratcheted: it equals ``correlated``, or, without one, the nearest correlated ancestor
        is unchanged (upstream's ``ratchetingOptions``; an atomic map still correlates field by field)."""
        if obj is None:
            return
        if self.rules:
            self._evaluate(run, path, obj, old, unchanged)
        if type(obj) is dict:
            properties, additional = self.properties, self.additional
            if not properties and additional is None:
                return
            olds = old if self.granular and type(old) is dict else {}
            pairs = correlated if type(correlated) is dict else {}
            for key, value in obj.items():
                sub = properties.get(key)
                if sub is not None:
                    child = f"{path}.{key}" if path else key
                elif additional is None or key in self.declared:
                    continue
                else:
                    sub, child = additional, f"{path}[{key}]"
                if not path and key in ("apiVersion", "kind"):  # never correlated: both are the version read
                    sub._walk(run, child, value, olds.get(key), False, _NONE)
                elif key in pairs:
                    sub._walk(run, child, value, olds.get(key), deep_equal(value, pairs[key]), pairs[key])
                else:
                    sub._walk(run, child, value, olds.get(key), unchanged, _NONE)
        elif isinstance(obj, list) and self.items is not None:
            keys = self.schema.get("x-kubernetes-list-map-keys") or []
            by_key: dict[Any, Any] = {}
            if self.schema.get("x-kubernetes-list-type") == "map" and isinstance(correlated, list):
                by_key = {tuple(o.get(k) for k in keys): o for o in correlated if isinstance(o, dict)}
            for index, item in enumerate(obj):
                old_item = by_key.get(tuple(item.get(k) for k in keys)) if by_key and isinstance(item, dict) else None
                if old_item is not None:  # oldSelf only where the list itself has one (not under an atomic map)
                    self.items._walk(run, f"{path}[{index}]", item, old_item if old is not None else None,
                                     deep_equal(item, old_item), old_item)
                else:
                    self.items._walk(run, f"{path}[{index}]", item, None, unchanged, _NONE)

    def _evaluate(self, run: _Run, path: str, obj: Any, old: Any, unchanged: bool) -> None:
        kind = self.kind
        if run.budget <= 0:
            run.errors.append(errors.cel_out_of_budget(path, kind))
            raise _OutOfBudget
        convert = self.convert
        activation: dict[str, Any] = {"self": obj if convert is None else convert(obj)}
        old_value = old if convert is None or old is None else convert(old)
        shapes: dict[str, Shape] | None = None
        for rule, program, cost in self.plan:
            if program.uses_old_self:
                if old is None and not rule.optional_old_self:
                    continue
                activation["oldSelf"] = Optional(old_value, old is not None) if rule.optional_old_self else old_value
            if cost is None:
                if shapes is None:  # measured once per node, for all its costly rules
                    shapes = {"self": value_shape(obj), "oldSelf": value_shape(old)}
                measured = Estimator(shapes).estimate(program.ast).cost
                if measured > PER_CALL_LIMIT:
                    run.errors.append(errors.cel_call_cost_exceeded(path, kind, rule.text))
                    raise _OutOfBudget
                cost = int(measured)
            if cost > run.budget:
                run.errors.append(errors.cel_out_of_budget(path, kind))
                raise _OutOfBudget
            run.budget -= cost
            try:
                result = program.evaluate(activation)
            except EVAL_ERRORS as exc:
                run.errors.append(errors.cel_evaluation_error(path, kind, as_error(exc).message, rule.text))
                continue
            if result is True:
                continue
            if not program.uses_old_self and unchanged:
                continue  # ratcheting: kube-apiserver turns the error into a warning
            error_path = ".".join(p for p in (path, rule.field_path) if p)
            detail = self._message(run, error_path, rule, activation, obj, old) or _default_message(rule.spec)
            shown = kind if not run.shows_values else errors.NO_VALUE if kind in ("object", "array") else obj
            run.errors.append(errors.cel_rule_failed(error_path, shown, detail, rule.spec.get("reason")))

    def _message(self, run: _Run, error_path: str, rule: Rule, activation: dict[str, Any], obj: Any, old: Any) -> str:
        """The rule's ``messageExpression`` evaluated, "" when it has none or it fails; running out of budget
        is an error at the rule's ``error_path`` that ends the validation."""
        if rule.message is None:
            return ""
        cost = rule.message.estimated_cost({"self": value_shape(obj), "oldSelf": value_shape(old)})
        if cost > run.budget:
            run.errors.append(errors.cel_message_out_of_budget(error_path, self.kind))
            raise _OutOfBudget
        run.budget -= int(cost)
        try:
            result = rule.message.evaluate(activation)
        except EVAL_ERRORS:
            return ""
        if not isinstance(result, str):
            return ""
        text = result.strip()
        if not text or "\n" in text or len(text.encode()) > _MAX_MESSAGE_BYTES:
            return ""
        return text


def _rule_text(spec: Mapping[str, Any]) -> str:
    """apiextensions' ``ruleErrorString``: the message, else the rule."""
    return str(spec.get("message") or "").strip() or str(spec.get("rule", "")).strip()


def _default_message(spec: Mapping[str, Any]) -> str:
    """``ruleMessageOrDefault``."""
    message = str(spec.get("message") or "").strip()
    return message or errors.cel_failed_rule(_rule_text(spec))


def _build(schema: Mapping[str, Any]) -> RuleSet | None:
    rules = []
    for spec in schema.get("x-kubernetes-validations") or []:
        try:
            program = compile_expression(str(spec.get("rule", "")), schema)
            message = (compile_expression(spec["messageExpression"], schema)
                       if spec.get("messageExpression") else None)
            path = field_path_of(str(spec.get("fieldPath") or ""), schema)
        except (CompileError, ValueError):
            continue  # CRD validation refuses such rules; one stored before that is skipped
        rules.append(Rule(spec, program, message, path, estimated_cost(program, schema), _rule_text(spec),
                          bool(spec.get("optionalOldSelf"))))
    properties = {}
    for name, sub in (schema.get("properties") or {}).items():
        built = _build(sub)
        if built is not None:
            properties[name] = built
    items = _build(schema["items"]) if isinstance(schema.get("items"), Mapping) else None
    extra = schema.get("additionalProperties")
    additional = _build(extra) if isinstance(extra, Mapping) else None
    if not rules and not properties and items is None and additional is None:
        return None
    return RuleSet(schema, tuple(rules), properties, items, additional, str(schema.get("type", "")),
                   frozenset(schema.get("properties") or {}), schema.get("x-kubernetes-map-type") != "atomic",
                   converter(schema) if rules else None)


@lru_cache(maxsize=256)
def _cached(key: bytes) -> RuleSet | None:
    return _build(orjson.loads(key))
