"""One ValidatingAdmissionPolicy evaluated for one write and one binding (``policy/validating/validator.go`` and
the admission CEL filter): match conditions, then each validation, each turned into a decision.

Expressions are compiled by ``fakekube.cel`` in the admission environment: ``object``, ``oldObject``,
``request``, ``params``, ``namespaceObject``, ``variables`` and ``authorizer``, all untyped (cel-go's ``dyn``:
no field is type-checked), over the objects' JSON as kube hands the unstructured objects to CEL.  A compiled
expression depends on its text alone, so programs are cached by text.  ``variables`` are evaluated lazily,
once per evaluation, in declaration order (a variable may read the ones before it), as cel-go's lazy
bindings do.  The policy's own validation decided which variables each kind of expression may read, so
everything is declared here.

The ``authorizer`` library is not evaluated: fakekube has no authorization to ask.  An expression that reads
``authorizer`` compiles (as kube-apiserver accepted it) and its evaluation fails with a text saying so,
which the policy's ``failurePolicy`` then handles as any evaluation error (denied under ``Fail``, ignored
under ``Ignore``) rather than an answer fakekube cannot give.  Also left out: CEL cost budgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from fakekube import errors
from fakekube.cel.closures import EVAL_ERRORS, Env, as_error
from fakekube.cel.compiler import CompileError, Program, compile_expression
from fakekube.cel.syntax import walk
from fakekube.cel.values import CelError

AUTHORIZER = "authorizer"
DECLARED = frozenset({"object", "oldObject", "request", "params", "namespaceObject", "variables", AUTHORIZER})
MAX_MESSAGE_BYTES = 5 * 1024  # celconfig.MaxEvaluatedMessageExpressionSizeBytes

DENY, ADMIT = "Deny", "Admit"


@lru_cache(maxsize=2048)
def compiled(text: str) -> Program | str:
    """The program of ``text``, or the error evaluating it reports when it does not compile.  A program reading
    ``authorizer`` is replaced by one failing with ``POLICY_AUTHORIZER_UNSUPPORTED``."""
    try:
        program = compile_expression(text, {}, DECLARED)
    except CompileError as exc:
        return errors.policy_compilation_error(str(exc))
    if any(node.kind == "ident" and node.name == AUTHORIZER for node in walk(program.ast)):
        return replace(program, evaluate=_unsupported_authorizer)
    return program


def _unsupported_authorizer(activation: Env) -> Any:
    raise CelError(errors.POLICY_AUTHORIZER_UNSUPPORTED)


class ExpressionError(Exception):
    """An expression that failed to compile or to evaluate, worded as the CEL filter words it."""


def evaluate(text: str, activation: dict[str, Any]) -> Any:
    """The value of ``text``; raises ``ExpressionError``."""
    program = compiled(text)
    if isinstance(program, str):
        raise ExpressionError(program)
    try:
        return program.evaluate(activation)
    except EVAL_ERRORS as exc:
        raise ExpressionError(errors.policy_expression_error(text, as_error(exc).message)) from None


class Variables(dict[str, Any]):
    """``variables``: each computed on first use, its value (or its error) kept for the evaluation."""

    def __init__(self, specs: list[Any], activation: dict[str, Any]) -> None:
        super().__init__()
        self._expressions = {str(v.get("name", "")): str(v.get("expression", ""))
                             for v in specs if isinstance(v, dict)}
        self._activation = activation
        self._failed: dict[str, Exception] = {}

    def __contains__(self, name: object) -> bool:
        return name in self._expressions

    def __getitem__(self, name: str) -> Any:
        if dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        if name in self._failed:
            raise self._failed[name]
        if name not in self._expressions:
            raise KeyError(name)
        program = compiled(self._expressions[name])
        try:
            if isinstance(program, str):
                raise CelError(program)
            value = program.evaluate(self._activation)
        except EVAL_ERRORS as exc:
            failure = as_error(exc)
            self._failed[name] = failure
            raise failure from None
        dict.__setitem__(self, name, value)
        return value


@dataclass(frozen=True)
class Decision:
    """A validation's outcome (``PolicyDecision``): ``Deny`` with a message and reason, or ``Admit``."""

    action: str
    message: str = ""
    reason: str = ""


def activation_for(inputs: Mapping[str, Any], policy_spec: Mapping[str, Any]) -> dict[str, Any]:
    """The activation of one evaluation: the inputs, and the policy's variables over them."""
    activation = dict(inputs)
    activation["variables"] = Variables(list(policy_spec.get("variables") or []), activation)
    return activation


def match_conditions(spec: Mapping[str, Any], activation: dict[str, Any], fail: bool) -> Decision | bool:
    """``True`` when every condition holds (or there are none), ``False`` when one is false (or, under
    ``failurePolicy: Ignore``, one fails); a ``Decision`` to deny when one fails under ``Fail`` and none is
    false (the errors joined as ``utilerrors.NewAggregate`` joins them)."""
    failures: list[str] = []
    for condition in spec.get("matchConditions") or []:
        if not isinstance(condition, dict):
            continue
        try:
            result = evaluate(str(condition.get("expression", "")), activation)
        except ExpressionError as exc:
            failures.append(str(exc))
            continue
        if result is False:
            return False
    if not failures:
        return True
    if not fail:
        return False
    text = failures[0] if len(failures) == 1 else "[" + ", ".join(failures) + "]"
    return Decision(DENY, text)


def _message(validation: Mapping[str, Any], activation: dict[str, Any]) -> str:
    """``messageExpression``'s string (trimmed; not over 5 KiB nor several lines), else ``message``, else the
    expression itself."""
    text = ""
    expression = validation.get("messageExpression")
    if expression:
        try:
            value = evaluate(str(expression), activation)
        except ExpressionError:
            value = None
        if isinstance(value, str):
            text = value.strip()
            if len(text.encode()) > MAX_MESSAGE_BYTES or "\n" in text:
                text = ""
    if not text:
        text = str(validation.get("message") or "").strip()
    return text or errors.policy_failed_expression(str(validation.get("expression", "")))


def validations(spec: Mapping[str, Any], activation: dict[str, Any], fail: bool) -> list[Decision]:
    """Each validation's decision, in order; a failing expression is denied under ``Fail`` and admitted
    under ``Ignore``."""
    decisions = []
    for validation in spec.get("validations") or []:
        if not isinstance(validation, dict):
            continue
        try:
            result = evaluate(str(validation.get("expression", "")), activation)
        except ExpressionError as exc:
            decisions.append(Decision(DENY if fail else ADMIT, str(exc)))
            continue
        if result is True:
            decisions.append(Decision(ADMIT))
            continue
        decisions.append(Decision(DENY, _message(validation, activation), str(validation.get("reason") or "Invalid")))
    return decisions


def validate(spec: Mapping[str, Any], inputs: Mapping[str, Any]) -> list[Decision]:
    """The policy's decisions for one binding and one set of params (``validator.Validate``)."""
    fail = spec.get("failurePolicy", "Fail") != "Ignore"
    activation = activation_for(inputs, spec)
    matched = match_conditions(spec, activation, fail)
    if isinstance(matched, Decision):
        return [matched]
    if not matched:
        return []
    return validations(spec, activation, fail)
