"""CEL expressions as a small AST, from celpy's parse tree, for what celpy does not do itself: cel-go's
compile-time checks (undeclared references, undefined fields) and cost estimation.

celpy's Lark grammar keeps one tree level per precedence level; ``simplify`` folds them away into
``Node``s whose ``pos`` is cel-go's error position (line, column of the operator or identifier).  A
literal's ``name`` is its source text and its ``value`` the decoded value (``literals``), which the
evaluator uses as is; ``LiteralError`` for one cel-go's parser refuses (``9223372036854775808``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import lark

from fakekube import errors
from fakekube.cel.literals import LiteralError, literal_value

# cel-go's receiver macros by argument count: the standard ones (``existsOne`` is cel-go's newer spelling of
# ``exists_one``), the lists extension's ``sortBy`` (one variable), and ``ext.TwoVarComprehensions``
# (kube-apiserver >= 1.32: index and value of a list, key and value of a map).
ONE_VARIABLE_MACROS = frozenset({("all", 2), ("exists", 2), ("exists_one", 2), ("existsOne", 2), ("map", 2),
                                 ("map", 3), ("filter", 2), ("sortBy", 2)})
TWO_VARIABLE_MACROS = frozenset({("all", 3), ("exists", 3), ("exists_one", 3), ("existsOne", 3),
                                 ("transformList", 3), ("transformList", 4), ("transformMap", 3),
                                 ("transformMap", 4), ("transformMapEntry", 3), ("transformMapEntry", 4)})
BOOL_MACROS = frozenset({"all", "exists", "exists_one", "existsOne"})  # the macros whose result is a bool
MAP_MACROS = frozenset({"transformMap", "transformMapEntry"})  # and those whose result is a map
_BINARY_OPS = {"relation_lt": "<", "relation_le": "<=", "relation_gt": ">", "relation_ge": ">=",
               "relation_eq": "==", "relation_ne": "!=", "relation_in": "in", "addition_add": "+",
               "addition_sub": "-", "multiplication_mul": "*", "multiplication_div": "/",
               "multiplication_mod": "%"}


@dataclass(frozen=True)
class Node:
    """``kind`` is one of ident, select, call, literal, op, list, map, index, has, comprehension;
    ``name`` the identifier, field, function, operator or macro; ``target`` a method's receiver."""

    kind: str
    name: str = ""
    args: tuple[Node, ...] = ()
    target: Node | None = None
    pos: tuple[int, int] = (1, 0)
    value: object = None
    variables: tuple[str, ...] = field(default=())


def _pos(tree: lark.Tree[Any] | lark.Token) -> tuple[int, int]:
    if isinstance(tree, lark.Token):
        return (tree.line or 1, (tree.column or 1) - 1)
    meta = tree.meta
    return (getattr(meta, "line", None) or 1, (getattr(meta, "column", None) or 1) - 1)


def _args(tree: lark.Tree[Any] | None) -> tuple[Node, ...]:
    if tree is None:
        return ()
    return tuple(simplify(c) for c in tree.children if isinstance(c, lark.Tree))


def _call(name_token: lark.Token, target: Node | None, args: tuple[Node, ...]) -> Node:
    name = str(name_token)
    line, column = _pos(name_token)
    pos = (line, column - 1) if target is not None else (line, column + len(name))
    if name == "has" and target is None and len(args) == 1:
        return Node("has", args=args, pos=pos)
    if target is not None and (name, len(args)) in ONE_VARIABLE_MACROS and args[0].kind == "ident":
        return Node("comprehension", name, args[1:], target, pos, variables=(args[0].name,))
    if target is not None and (name, len(args)) in TWO_VARIABLE_MACROS and args[0].kind == args[1].kind == "ident":
        if args[0].name == args[1].name:
            error = LiteralError(errors.cel_duplicate_variable(args[1].name))  # the macro's parse error
            error.pos = args[1].pos
            raise error
        return Node("comprehension", name, args[2:], target, pos, variables=(args[0].name, args[1].name))
    return Node("call", name, args, target, pos)


def _literal(token: lark.Token, pos: tuple[int, int] | None = None) -> Node:
    where = pos or _pos(token)
    try:
        value = literal_value(str(token.type), str(token))
    except LiteralError as exc:
        exc.pos = where
        raise
    return Node("literal", str(token), pos=where, value=value)


def simplify(tree: lark.Tree[Any] | lark.Token) -> Node:
    """The ``Node`` of a celpy parse tree."""
    if isinstance(tree, lark.Token):
        return _literal(tree)
    data = str(tree.data)
    kids = [c for c in tree.children if c is not None]
    if data in ("expr", "conditionalor", "conditionaland") and len(kids) > 1:
        if data == "expr":
            return Node("op", "?:", tuple(simplify(k) for k in kids), pos=_pos(tree))
        return Node("op", "||" if data == "conditionalor" else "&&", (simplify(kids[0]), simplify(kids[1])),
                    pos=_pos(tree))
    if data in ("relation", "addition", "multiplication") and len(kids) == 2:
        operator = kids[0]
        assert isinstance(operator, lark.Tree)
        left = simplify(operator.children[0])
        return Node("op", _BINARY_OPS[str(operator.data)], (left, simplify(kids[1])), pos=_pos(operator))
    if data == "unary" and len(kids) == 2:
        operator = kids[0]
        assert isinstance(operator, lark.Tree)
        return Node("op", "!" if operator.data == "unary_not" else "-_", (simplify(kids[1]),), pos=_pos(tree))
    if data == "member_dot":
        name = kids[1]
        assert isinstance(name, lark.Token)
        line, column = _pos(name)
        return Node("select", str(name), target=simplify(kids[0]), pos=(line, column - 1))
    if data == "member_dot_arg":
        name = kids[1]
        assert isinstance(name, lark.Token)
        return _call(name, simplify(kids[0]), _args(kids[2] if len(kids) > 2 else None))
    if data == "ident_arg":
        name = kids[0]
        assert isinstance(name, lark.Token)
        return _call(name, None, _args(kids[1] if len(kids) > 1 else None))
    if data == "member_index":
        return Node("index", "[]", (simplify(kids[0]), simplify(kids[1])), pos=_pos(tree))
    if data == "ident":
        return Node("ident", str(kids[0]), pos=_pos(tree))
    if data == "list_lit":
        return Node("list", args=_args(kids[0]) if kids else (), pos=_pos(tree))
    if data == "map_lit":
        return Node("map", args=_args(kids[0]) if kids else (), pos=_pos(tree))
    if data == "literal":
        token = kids[0]
        assert isinstance(token, lark.Token)
        return _literal(token, _pos(tree))
    if len(kids) == 1:
        return simplify(kids[0])
    return Node("op", data, tuple(simplify(k) for k in kids), pos=_pos(tree))


def walk(node: Node) -> list[Node]:
    """Every node under ``node``, itself first."""
    out = [node]
    if node.target is not None:
        out.extend(walk(node.target))
    for arg in node.args:
        out.extend(walk(arg))
    return out
