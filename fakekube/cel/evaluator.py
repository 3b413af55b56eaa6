"""CEL expressions compiled from ``syntax.Node`` into nested Python closures that run on the decoded JSON.

Each node becomes one ``Closure`` taking the activation (``self``, ``oldSelf`` and the comprehension
variables, one dict mutated in place as loops bind them), so evaluating a rule is a few Python calls per
node instead of celpy's tree walk over converted values; this is what keeps 10 rules within half a
create.  Semantics are cel-go's as Kubernetes configures it: errors are ``CelError`` exceptions, absorbed
by ``&&``/``||`` (either side may decide) and by ``all``/``exists`` (as their folds do), strict elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fakekube import errors
from fakekube.cel.closures import (
    EVAL_ERRORS,
    OPERATORS,
    Closure,
    Env,
    binary,
    both_of,
    conditional,
    either_of,
    iteration_range,
    negation,
)
from fakekube.cel.comprehensions import LOOPS, TWO_VARIABLE_LOOPS, pairs_of
from fakekube.cel.kubernetes_library import FUNCTIONS, NAMESPACES
from fakekube.cel.regex import compile_re2
from fakekube.cel.syntax import Node
from fakekube.cel.values import MISSING, TYPES, CelError, UInt, lookup, negate, no_overload

VARIABLES = frozenset({"self", "oldSelf"})
_UNSET = object()


def compile_node(node: Node, bound: frozenset[str] = frozenset()) -> Closure:
    """The closure evaluating ``node``; ``bound`` holds the comprehension variables in scope.  A node that
    reads no variable (``quantity('1Gi')``, ``['a', 'b']``) is evaluated here, once (every library
    function is pure); one that fails keeps failing at run time, where ``||`` may absorb it."""
    builder = _BUILDERS.get(node.kind)
    if builder is None:
        return _raiser(CelError(errors.cel_unsupported("expression", node.name)))
    closure = builder(node, bound)
    if node.kind in _FOLDABLE and _constant(node):
        try:
            value = closure({})
        except EVAL_ERRORS:
            return closure
        return lambda env: value
    return closure


_FOLDABLE = frozenset({"list", "map", "call", "op"})


def _constant(node: Node) -> bool:
    """Whether ``node`` reads nothing from the activation (no identifier but a type's or a namespace's)."""
    if node.kind == "literal":
        return True
    if node.kind == "ident":
        return node.name in TYPES or node.name in NAMESPACES
    if node.kind not in _FOLDABLE:
        return False
    return (node.target is None or _constant(node.target)) and all(_constant(a) for a in node.args)


def _raiser(error: CelError) -> Closure:
    def fail(env: Env) -> Any:
        raise error

    return fail


def _literal(node: Node, bound: frozenset[str]) -> Closure:
    value = node.value
    return lambda env: value


def _ident(node: Node, bound: frozenset[str]) -> Closure:
    name = node.name
    if name in bound or name in VARIABLES:
        return lambda env: env[name]
    if name in TYPES:
        found = TYPES[name]
        return lambda env: found
    if name in NAMESPACES:
        namespace = NAMESPACES[name]
        return lambda env: namespace
    return _raiser(CelError(errors.cel_undeclared_at_runtime(name)))


def _select(node: Node, bound: frozenset[str]) -> Closure:
    assert node.target is not None
    target, name = compile_node(node.target, bound), node.name

    def select(env: Env) -> Any:
        value = target(env)
        if type(value) is dict or isinstance(value, dict):
            try:
                return value[name]
            except KeyError:
                raise CelError(errors.cel_no_such_key(name)) from None
        raise no_overload()

    return select


def _has(node: Node, bound: frozenset[str]) -> Closure:
    inner = node.args[0]
    if inner.kind != "select" or inner.target is None:
        return _raiser(CelError(errors.CEL_HAS_ARGUMENT))
    target, name = compile_node(inner.target, bound), inner.name

    def has(env: Env) -> bool:
        value = target(env)
        if type(value) is dict or isinstance(value, dict):
            return name in value
        raise no_overload()

    return has


def _index(node: Node, bound: frozenset[str]) -> Closure:
    container, key = (compile_node(a, bound) for a in node.args)

    def index(env: Env) -> Any:
        value, at = container(env), key(env)
        kind = type(value)
        if kind is dict and type(at) is str:
            try:
                return value[at]
            except KeyError:
                raise CelError(errors.cel_no_such_key(at)) from None
        if kind is list or kind is tuple:
            at_kind = type(at)
            if at_kind is float and at.is_integer():
                at = int(at)
            elif at_kind is not int and at_kind is not UInt:
                raise no_overload()
            if not 0 <= at < len(value):
                raise CelError(errors.cel_index_out_of_bounds(at))
            return value[at]
        if kind is dict:
            found = lookup(value, at)
            if found is MISSING:
                raise CelError(errors.cel_no_such_key(_go_key(at)))
            return found
        raise no_overload()

    return index


def _go_key(key: Any) -> str:
    if type(key) is bool:
        return "true" if key else "false"
    return str(key)


def _list(node: Node, bound: frozenset[str]) -> Closure:
    items = tuple(compile_node(a, bound) for a in node.args)
    return lambda env: [item(env) for item in items]


def _map(node: Node, bound: frozenset[str]) -> Closure:
    parts = tuple(compile_node(a, bound) for a in node.args)
    pairs = tuple(zip(parts[::2], parts[1::2], strict=True))

    def build(env: Env) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_of, value_of in pairs:
            key = key_of(env)
            if type(key) not in (str, int, UInt, bool):
                raise CelError(errors.cel_unsupported_key_type(type(key).__name__))
            if lookup(out, key) is not MISSING:
                raise CelError(errors.cel_repeated_key(_go_key(key)))
            out[key] = value_of(env)
        return out

    return build


def _op(node: Node, bound: frozenset[str]) -> Closure:
    parts = [compile_node(a, bound) for a in node.args]
    if node.name == "&&":
        return both_of(*parts)
    if node.name == "||":
        return either_of(*parts)
    if node.name == "!":
        return negation(parts[0])
    if node.name == "-_":
        operand = parts[0]
        return lambda env: negate(operand(env))
    if node.name == "?:":
        return conditional(*parts)
    if node.name in OPERATORS:
        operation, fast = OPERATORS[node.name]
        return binary(operation, fast, parts[0], parts[1])
    return _raiser(CelError(errors.cel_unsupported("expression", node.name)))


# --- calls and macros ------------------------------------------------------------------------------


def _call(node: Node, bound: frozenset[str]) -> Closure:
    target = node.target
    args = tuple(compile_node(a, bound) for a in node.args)
    if target is not None and target.kind == "ident" and target.name in NAMESPACES and target.name not in bound:
        function = FUNCTIONS.get(f"{target.name}.{node.name}")
        if function is None:
            return _raiser(no_overload(node.name))
        return _apply(function, args)
    function = FUNCTIONS.get(node.name)
    if function is None:
        return _raiser(no_overload(node.name))
    if node.name == "matches" and node.args and node.args[-1].kind == "literal" \
            and isinstance(node.args[-1].value, str):
        return _matches_literal(node, bound, args)
    if target is not None:
        args = (compile_node(target, bound), *args)
    return _apply(function, args)


def _apply(function: Callable[..., Any], args: tuple[Closure, ...]) -> Closure:
    if len(args) == 0:
        return lambda env: function()
    if len(args) == 1:
        (first,) = args
        return lambda env: function(first(env))
    if len(args) == 2:
        first, second = args
        return lambda env: function(first(env), second(env))
    return lambda env: function(*(arg(env) for arg in args))


def _matches_literal(node: Node, bound: frozenset[str], args: tuple[Closure, ...]) -> Closure:
    """``x.matches('re')`` with its pattern compiled once (an invalid one fails each evaluation)."""
    subject = compile_node(node.target, bound) if node.target is not None else args[0]
    try:
        search = compile_re2(str(node.args[-1].value)).search
    except CelError as error:
        return _raiser(error)

    def matches(env: Env) -> bool:
        text = subject(env)
        if type(text) is not str:
            raise no_overload("matches")
        return search(text) is not None

    return matches


def _comprehension(node: Node, bound: frozenset[str]) -> Closure:
    assert node.target is not None
    if len(node.variables) == 2:
        return _two_variable_comprehension(node, bound)
    variable = node.variables[0]
    target = compile_node(node.target, bound)
    inner = bound | {variable}
    body = tuple(compile_node(a, inner) for a in node.args)
    loop = LOOPS.get((node.name, len(body)))
    if loop is None:
        return _raiser(CelError(errors.cel_unsupported("macro", node.name)))

    def comprehension(env: Env) -> Any:
        items = iteration_range(target(env))
        saved = env.get(variable, _UNSET)
        try:
            return loop(env, variable, items, body)
        finally:
            _restore(env, variable, saved)

    return comprehension


def _restore(env: Env, variable: str, saved: Any) -> None:
    if saved is _UNSET:
        env.pop(variable, None)
    else:
        env[variable] = saved


def _two_variable_comprehension(node: Node, bound: frozenset[str]) -> Closure:
    """``m.all(k, v, ...)``, ``l.transformList(i, v, ...)``: index (or key) and value both bound."""
    assert node.target is not None
    first, second = node.variables
    target = compile_node(node.target, bound)
    inner = bound | {first, second}
    body = tuple(compile_node(a, inner) for a in node.args)
    loop = TWO_VARIABLE_LOOPS.get((node.name, len(body)))
    if loop is None:
        return _raiser(CelError(errors.cel_unsupported("macro", node.name)))

    def comprehension(env: Env) -> Any:
        pairs = pairs_of(target(env))
        saved_first, saved_second = env.get(first, _UNSET), env.get(second, _UNSET)
        try:
            return loop(env, first, second, pairs, body)
        finally:
            _restore(env, first, saved_first)
            _restore(env, second, saved_second)

    return comprehension


_BUILDERS: dict[str, Callable[[Node, frozenset[str]], Closure]] = {
    "literal": _literal, "ident": _ident, "select": _select, "has": _has, "index": _index, "list": _list,
    "map": _map, "op": _op, "call": _call, "comprehension": _comprehension,
}
