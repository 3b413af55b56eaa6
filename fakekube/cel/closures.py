"""The closures ``evaluator`` assembles for CEL's operators and macros, with cel-go's error handling:
``&&``/``||`` absorb an error when the other side decides, as do ``all``/``exists`` (their folds are
``&&``/``||``); ``!``, ``?:``, ``exists_one``, ``map`` and ``filter`` are strict and want booleans.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fakekube import errors
from fakekube.cel.values import (
    CelError,
    add,
    divide,
    equals,
    greater,
    greater_equal,
    less,
    less_equal,
    member,
    modulo,
    multiply,
    no_overload,
    subtract,
)

Env = dict[str, Any]
Closure = Callable[[Env], Any]
Loop = Callable[[Env, str, Iterable[Any], tuple[Closure, ...]], Any]
EVAL_ERRORS = (CelError, TypeError, ValueError, AttributeError, KeyError, IndexError, ArithmeticError,
               RecursionError)  # what a closure may raise: any of them is the rule's evaluation error


def as_error(exc: BaseException) -> CelError:
    """A failure inside an evaluation as cel-go would name it (a type mismatch is ``no such overload``)."""
    if isinstance(exc, CelError):
        return exc
    if isinstance(exc, (TypeError, AttributeError)):
        return no_overload()
    if isinstance(exc, RecursionError):
        return CelError(errors.CEL_MAX_RECURSION)
    return CelError(str(exc))


# --- operators ----------------------------------------------------------------------------------------


def _junction(decisive: bool) -> Callable[[Closure, Closure], Closure]:
    """``&&`` (decided by a false) and ``||`` (decided by a true): a side that decides wins even when the
    other fails (cel-go evaluates both); otherwise an error is raised, and two non-bools are ``no such
    overload``."""
    undecided = not decisive

    def junction(left: Closure, right: Closure) -> Closure:
        def run(env: Env) -> bool:
            error: CelError | None = None
            first: object
            try:
                first = left(env)
            except EVAL_ERRORS as exc:
                error, first = as_error(exc), None
            if first is decisive:
                return decisive
            second: object
            try:
                second = right(env)
            except EVAL_ERRORS as exc:
                raise error or as_error(exc) from None
            if second is decisive:
                return decisive
            if error is not None:
                raise error
            if first is undecided and second is undecided:
                return undecided
            raise no_overload()

        return run

    return junction


both_of = _junction(False)
either_of = _junction(True)


def negation(operand: Closure) -> Closure:
    def negated(env: Env) -> bool:
        value = operand(env)
        if value is True:
            return False
        if value is False:
            return True
        raise no_overload()

    return negated


def conditional(condition: Closure, then: Closure, otherwise: Closure) -> Closure:
    def choose(env: Env) -> Any:
        value = condition(env)
        if value is True:
            return then(env)
        if value is False:
            return otherwise(env)
        raise no_overload()

    return choose


def binary(operation: Callable[[Any, Any], Any], fast: Callable[[Any, Any], Any] | None,
            left: Closure, right: Closure) -> Closure:
    """``operation`` on both sides; ``fast`` when both are ints (or both strings), which most rules compare."""
    if fast is None:
        return lambda env: operation(left(env), right(env))

    def run(env: Env) -> Any:
        a, b = left(env), right(env)
        kind = type(a)
        if kind is type(b) and (kind is int or kind is str):
            return fast(a, b)
        return operation(a, b)

    return run


OPERATORS: dict[str, tuple[Callable[[Any, Any], Any], Callable[[Any, Any], Any] | None]] = {
    "==": (equals, lambda a, b: a == b),
    "!=": (lambda a, b: not equals(a, b), lambda a, b: a != b),
    "<": (less, lambda a, b: a < b),
    "<=": (less_equal, lambda a, b: a <= b),
    ">": (greater, lambda a, b: a > b),
    ">=": (greater_equal, lambda a, b: a >= b),
    "in": (member, None),
    "+": (add, None),
    "-": (subtract, None),
    "*": (multiply, None),
    "/": (divide, None),
    "%": (modulo, None),
}


# --- macros ------------------------------------------------------------------------------------------


def iteration_range(value: Any) -> Iterable[Any]:
    kind = type(value)
    if kind is list or kind is tuple or kind is dict:
        return value  # type: ignore[no-any-return]
    raise no_overload()


def _quantifier(decisive: bool) -> Loop:
    """``all`` (decided by a false) and ``exists`` (decided by a true): an error is kept and raised only
    if no element decides, as cel-go's folds with ``&&``/``||`` do."""

    def loop(env: Env, variable: str, items: Iterable[Any], body: tuple[Closure, ...]) -> bool:
        (predicate,) = body
        error: CelError | None = None
        for item in items:
            env[variable] = item
            try:
                result = predicate(env)
            except EVAL_ERRORS as exc:
                error = error or as_error(exc)
                continue
            if result is decisive:
                return bool(decisive)
            if result is not (not decisive):
                error = error or no_overload()
        if error is not None:
            raise error
        return not decisive

    return loop


def _exists_one(env: Env, variable: str, items: Iterable[Any], body: tuple[Closure, ...]) -> bool:
    (predicate,) = body
    count = 0
    for item in items:
        env[variable] = item
        result = predicate(env)
        if result is True:
            count += 1
        elif result is not False:
            raise no_overload()
    return count == 1


def loop_predicate(value: Any) -> bool:
    if value is True or value is False:
        return bool(value)
    raise no_overload()


def _map_loop(env: Env, variable: str, items: Iterable[Any], body: tuple[Closure, ...]) -> list[Any]:
    transform = body[-1]
    keep = body[0] if len(body) == 2 else None
    out = []
    for item in items:
        env[variable] = item
        if keep is None or loop_predicate(keep(env)):
            out.append(transform(env))
    return out


def _filter_loop(env: Env, variable: str, items: Iterable[Any], body: tuple[Closure, ...]) -> list[Any]:
    (keep,) = body
    out = []
    for item in items:
        env[variable] = item
        if loop_predicate(keep(env)):
            out.append(item)
    return out


LOOPS: dict[tuple[str, int], Loop] = {
    ("all", 1): _quantifier(False),
    ("exists", 1): _quantifier(True),
    ("exists_one", 1): _exists_one,
    ("map", 1): _map_loop,
    ("map", 2): _map_loop,
    ("filter", 1): _filter_loop,
}
