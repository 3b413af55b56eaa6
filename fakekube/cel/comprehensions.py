"""The macros beyond CEL's standard ones that kube-apiserver enables: cel-go's two-variable comprehensions
(``ext.TwoVarComprehensions``, v1.32+: ``all``/``exists``/``existsOne`` with index and value of a list or
key and value of a map, ``transformList``, ``transformMap``, ``transformMapEntry``), the lists
extension's ``sortBy`` (v1.34+) and ``existsOne``, cel-go's newer spelling of ``exists_one``.

Semantics are those of the folds cel-go expands them to: ``all``/``exists`` absorb an error when an
element decides (``&&``/``||``), the others are strict; a filter must be a bool.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fakekube import errors
from fakekube.cel.closures import EVAL_ERRORS, Closure, Env, Loop, as_error, loop_predicate
from fakekube.cel.closures import LOOPS as STANDARD_LOOPS
from fakekube.cel.lists_ext import sort_by_keys
from fakekube.cel.stdlib import to_string
from fakekube.cel.values import MISSING, CelError, lookup, no_overload

Pairs = Iterable[tuple[Any, Any]]
TwoVariableLoop = Callable[[Env, str, str, Pairs, tuple[Closure, ...]], Any]


def pairs_of(value: Any) -> Pairs:
    """A list's (index, value) pairs or a map's (key, value) pairs."""
    kind = type(value)
    if kind is list or kind is tuple:
        return enumerate(value)
    if kind is dict:
        return value.items()  # type: ignore[no-any-return]
    raise no_overload()


def _quantifier(decisive: bool) -> TwoVariableLoop:
    def loop(env: Env, first: str, second: str, pairs: Pairs, body: tuple[Closure, ...]) -> bool:
        (predicate,) = body
        error: CelError | None = None
        for key, value in pairs:
            env[first], env[second] = key, value
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


def _exists_one(env: Env, first: str, second: str, pairs: Pairs, body: tuple[Closure, ...]) -> bool:
    (predicate,) = body
    count = 0
    for key, value in pairs:
        env[first], env[second] = key, value
        count += loop_predicate(predicate(env))
    return count == 1


def _transform_list(env: Env, first: str, second: str, pairs: Pairs, body: tuple[Closure, ...]) -> list[Any]:
    transform, keep = body[-1], body[0] if len(body) == 2 else None
    out = []
    for key, value in pairs:
        env[first], env[second] = key, value
        if keep is None or loop_predicate(keep(env)):
            out.append(transform(env))
    return out


def _transform_map(env: Env, first: str, second: str, pairs: Pairs, body: tuple[Closure, ...]) -> dict[Any, Any]:
    transform, keep = body[-1], body[0] if len(body) == 2 else None
    out = {}
    for key, value in pairs:
        env[first], env[second] = key, value
        if keep is None or loop_predicate(keep(env)):
            out[key] = transform(env)
    return out


def _transform_map_entry(env: Env, first: str, second: str, pairs: Pairs,
                         body: tuple[Closure, ...]) -> dict[Any, Any]:
    transform, keep = body[-1], body[0] if len(body) == 2 else None
    out: dict[Any, Any] = {}
    for key, value in pairs:
        env[first], env[second] = key, value
        if keep is not None and not loop_predicate(keep(env)):
            continue
        entry = transform(env)
        if type(entry) is not dict:
            raise no_overload()
        for entry_key, entry_value in entry.items():
            if lookup(out, entry_key) is not MISSING:
                shown = entry_key if type(entry_key) is str else to_string(entry_key)
                raise CelError(errors.cel_map_insert_exists(shown))
            out[entry_key] = entry_value
    return out


def _sort_by(env: Env, variable: str, items: Iterable[Any], body: tuple[Closure, ...]) -> list[Any]:
    """``list.sortBy(e, key)``: the list ordered by each element's key."""
    if type(items) is not list and type(items) is not tuple:
        raise no_overload()
    (key_of,) = body
    keys = []
    for item in items:
        env[variable] = item
        keys.append(key_of(env))
    return sort_by_keys(list(items), keys)


LOOPS: dict[tuple[str, int], Loop] = {
    **STANDARD_LOOPS,
    ("existsOne", 1): STANDARD_LOOPS[("exists_one", 1)],
    ("sortBy", 1): _sort_by,
}
TWO_VARIABLE_LOOPS: dict[tuple[str, int], TwoVariableLoop] = {
    ("all", 1): _quantifier(False),
    ("exists", 1): _quantifier(True),
    ("existsOne", 1): _exists_one,
    ("exists_one", 1): _exists_one,
    ("transformList", 1): _transform_list,
    ("transformList", 2): _transform_list,
    ("transformMap", 1): _transform_map,
    ("transformMap", 2): _transform_map,
    ("transformMapEntry", 1): _transform_map_entry,
    ("transformMapEntry", 2): _transform_map_entry,
}
