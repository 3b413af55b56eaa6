"""The CEL expressions of admission configuration (``pkg/apis/admissionregistration/validation``): a webhook's
and a ValidatingAdmissionPolicy's ``matchConditions``, and a policy's variables, validations and audit
annotations, compiled when the object is written, as kube-apiserver compiles them then.

Why here: an expression that does not compile, or whose result is of the wrong type, makes the configuration
useless; kube-apiserver refuses it when it is written, so a chart or a ``fakekube check`` input holding one must
be refused alike.  The expressions are compiled by fakekube's CEL front end in the environment admission
evaluates them in (``object``, ``oldObject``, ``request``, ``namespaceObject``; ``authorizer``, ``params`` and
``variables`` where that kind of expression may read them).  The CEL engine loads on the first expression.

Not ported: cel-go's full type checker (a result type is refused only where fakekube can tell it: a literal, an
operator, a value read as it is, which is ``dyn``) and the CEL cost limits.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import mapping, qualified_name

BOOL, STRING, NULL = ("bool",), ("string",), ("string", "null_type")
MAX_MATCH_CONDITIONS = 64
_ALWAYS = frozenset({"object", "oldObject", "request", "namespaceObject"})
# cel-go's names of the scalar types fakekube can infer (a list or map type names its element types too)
_CEL_TYPE_NAMES = {"bool": "bool", "int": "int", "double": "double", "string": "string", "bytes": "bytes",
                   "null": "null_type"}


def declared(*, params: bool, authorizer: bool, variables: bool) -> frozenset[str]:
    """The variables one kind of expression may read (``OptionalVariableDeclarations``)."""
    names = set(_ALWAYS)
    if params:
        names.add("params")
    if authorizer:
        names.add("authorizer")
    if variables:
        names.add("variables")
    return frozenset(names)


def expression_errors(text: str, path: str, names: frozenset[str], expected: tuple[str, ...]) -> list[FieldError]:
    """``text`` compiled with the variables ``names``: its issues, or a result of a known type not ``expected``
    (empty: any type)."""
    from fakekube.cel.compiler import CompileError, compile_expression
    from fakekube.cel.result_types import result_type

    try:
        program = compile_expression(text, {}, names)
    except CompileError as exc:
        return [errors.invalid(path, text, errors.policy_expression_not_compiled(str(exc)))]
    if not expected:
        return []
    found = _CEL_TYPE_NAMES.get(result_type(program.ast, {}) or "")
    if found is None and program.ast.kind in ("ident", "select", "index"):
        found = "dyn"
    if found is not None and found not in expected:
        return [errors.invalid(path, text, errors.policy_expression_type(expected, found))]
    return []


def match_conditions(conditions: list[Any], params: bool, path: str) -> list[FieldError]:
    """``validateMatchConditions``: at most 64, each a boolean expression that compiles, with a unique
    qualified name (``params`` only for a policy with a ``paramKind``)."""
    out: list[FieldError] = []
    if len(conditions) > MAX_MATCH_CONDITIONS:
        out.append(errors.too_many(path, len(conditions), MAX_MATCH_CONDITIONS))
    names: set[str] = set()
    variables = declared(params=params, authorizer=True, variables=False)
    for i, condition in enumerate(conditions):
        condition = mapping(condition)
        text = str(condition.get("expression") or "").strip()
        if not text:
            out.append(errors.required(f"{path}[{i}].expression"))
        else:
            out.extend(expression_errors(text, f"{path}[{i}].expression", variables, BOOL))
        name = str(condition.get("name") or "")
        if not name:
            out.append(errors.required(f"{path}[{i}].name"))
            continue
        out.extend(qualified_name(name, f"{path}[{i}].name"))
        if name in names:
            out.append(errors.duplicate(f"{path}[{i}].name", name))
        names.add(name)
    return out
