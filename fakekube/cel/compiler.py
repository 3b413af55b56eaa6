"""One ``x-kubernetes-validations`` rule compiled against the schema node it sits on
(apiextensions' ``cel.Compile``): parsed once by celpy (only its parser is used), checked as cel-go's
checker would (undeclared references, fields the schema does not declare), its cost estimated, and
compiled by ``evaluator`` into closures over the decoded JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from fakekube import errors
from fakekube.cel.closures import Closure
from fakekube.cel.cost import Estimator, Shape, schema_shape
from fakekube.cel.evaluator import compile_node
from fakekube.cel.kubernetes_library import FUNCTION_NAMES, FUNCTIONS, NAMESPACES
from fakekube.cel.literals import LiteralError
from fakekube.cel.syntax import Node, simplify, walk

_KNOWN_FUNCTIONS = FUNCTION_NAMES | {"has", "dyn", "type"}
# The Kubernetes authorizer library (``authorizer.group(g).resource(r).check(verb).allowed()``...): its functions
# are accepted only where ``authorizer`` is declared, so that an admission expression using it compiles as
# kube-apiserver compiles it.  Nothing here evaluates the library: the ValidatingAdmissionPolicy plugin
# (``registry/admission_policy_evaluation``) makes an expression reading ``authorizer`` fail with an evaluation
# error of its own, which the policy's failurePolicy handles.
_AUTHORIZER_FUNCTIONS = frozenset({"group", "resource", "subresource", "namespace", "name", "check", "allowed",
                                   "reason", "errored", "error", "path", "serviceAccount", "fieldSelector",
                                   "labelSelector", "requestResource"})
_CRD_VARIABLES = frozenset({"self", "oldSelf"})
_GLOBALS = frozenset(NAMESPACES) | _CRD_VARIABLES | {"int", "uint", "double", "string", "bool", "bytes", "list",
                                    "map", "null_type", "type", "duration", "timestamp"}


class CompileError(Exception):
    """cel-go's issues text: ``ERROR: <input>:1:6: ...`` with the source line and a caret."""


@dataclass(frozen=True, eq=False)
class Program:
    """A compiled expression: its closure (``evaluate(activation)``), its AST and whether it reads ``oldSelf``."""

    text: str
    evaluate: Closure
    ast: Node
    uses_old_self: bool

    def estimated_cost(self, variables: Mapping[str, Shape]) -> float:
        return Estimator(variables).estimate(self.ast).cost


def _issue(text: str, pos: tuple[int, int], message: str) -> str:
    line, column = pos
    source = text.splitlines()[line - 1] if text.splitlines() else ""
    return errors.cel_issue(line, column, message, source)


def _field_issues(text: str, ast: Node, schema: Mapping[str, Any]) -> list[str]:
    """cel-go's ``undefined field`` for selections from ``self``/``oldSelf`` the schema does not declare."""
    issues: list[str] = []

    def node_schema(node: Node) -> Mapping[str, Any] | None:
        if node.kind == "ident" and node.name in ("self", "oldSelf"):
            return schema
        if node.kind == "select" and node.target is not None:
            parent = node_schema(node.target)
            if parent is None or parent.get("x-kubernetes-preserve-unknown-fields"):
                return None
            if parent.get("type") != "object" or "additionalProperties" in parent:
                return None
            props = parent.get("properties") or {}
            if node.name not in props:
                if (node.pos, node.name) not in seen:
                    seen.add((node.pos, node.name))
                    issues.append(_issue(text, node.pos, errors.cel_undefined_field(node.name)))
                return None
            found: Mapping[str, Any] = props[node.name]
            return found
        return None

    seen: set[tuple[tuple[int, int], str]] = set()
    for node in walk(ast):
        if node.kind == "select":
            node_schema(node)
    return issues


def _reference_issues(text: str, ast: Node, known: frozenset[str] = _GLOBALS) -> list[str]:
    issues: list[str] = []
    functions = _AUTHORIZER_FUNCTIONS if "authorizer" in known else frozenset()

    def visit(node: Node, bound: frozenset[str]) -> None:
        if node.kind == "ident" and node.name not in bound and node.name not in known:
            issues.append(_issue(text, node.pos, errors.cel_undeclared_reference(node.name)))
        if node.kind == "call" and node.name not in functions and not _known_call(node, bound):
            issues.append(_issue(text, node.pos, errors.cel_undeclared_reference(node.name)))
        if node.target is not None:
            visit(node.target, bound)
        inner = bound | set(node.variables)
        for arg in node.args:
            visit(arg, inner)

    visit(ast, frozenset())
    return issues


def _known_call(node: Node, bound: frozenset[str]) -> bool:
    """A declared function: ``lists.range(n)`` by its qualified name, ``x.f()``/``f(x)`` by its own."""
    target = node.target
    if target is not None and target.kind == "ident" and target.name in NAMESPACES and target.name not in bound:
        return f"{target.name}.{node.name}" in FUNCTIONS
    return node.name in _KNOWN_FUNCTIONS


@lru_cache(maxsize=1)
def _environment() -> Any:
    """celpy's environment, built on the first rule compiled rather than at import: building its Lark parser
    takes about 0.1 s, which ``fakekube serve`` would otherwise pay at every start."""
    import celpy

    return celpy.Environment()


@lru_cache(maxsize=4096)
def _parse(text: str) -> Node:
    return simplify(_environment().compile(text))


def compile_expression(text: str, schema: Mapping[str, Any], declared: frozenset[str] | None = None) -> Program:
    """Compile ``text`` with ``self`` typed by ``schema``; raises ``CompileError`` with cel-go's issues.

    ``declared``: the variables of another environment instead of a CRD rule's ``self`` and ``oldSelf``
    (an admission policy's ``object``, ``oldObject``, ``request``, ``params``, ``variables``...); they are
    untyped (cel-go's ``dyn``), so no field is checked, and the closures read them from the activation."""
    from celpy.celparser import CELParseError  # here, as celpy's parser is: not paid by every start

    try:
        ast = _parse(text)
    except CELParseError as exc:
        line, column = (exc.line or 1), max((exc.column or 1) - 1, 0)
        detail = str(exc.args[0]).splitlines()[0]
        raise CompileError(_issue(text, (line, column), errors.cel_syntax_error(detail))) from None
    except LiteralError as exc:
        raise CompileError(_issue(text, exc.pos, str(exc))) from None
    if declared is None:
        issues = _reference_issues(text, ast) + _field_issues(text, ast, schema)
    else:
        issues = _reference_issues(text, ast, (_GLOBALS - _CRD_VARIABLES) | declared)
    if issues:
        raise CompileError("\n".join(issues))
    uses_old_self = any(n.kind == "ident" and n.name == "oldSelf" for n in walk(ast))
    return Program(text, compile_node(ast) if declared is None else compile_node(ast, declared), ast, uses_old_self)


def estimated_cost(program: Program, schema: Mapping[str, Any]) -> float:
    """The rule's worst-case cost for one evaluation at its node."""
    shape = schema_shape(schema)
    return program.estimated_cost({"self": shape, "oldSelf": shape})
