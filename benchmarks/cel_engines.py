"""Compare CEL engines from PyPI for fakekube's custom resource rules (issue 9).

Run in a scratch venv holding the candidates (``pip install cel-python common-expression-language
cel-expr-python``) with ``--spec DIR`` naming a cel-spec checkout's ``tests/simple/testdata``:

    python benchmarks/cel_engines.py --spec /path/to/cel-spec/tests/simple/testdata

It prints, per engine, how many of a sample of the conformance cases (plain expressions without
bindings, type environments or containers, whose expected result is a scalar, a list, a map or an
error) it gets right, and the time to evaluate two typical CRD rules compiled once.  Not a test.

``fakekube`` is the engine fakekube runs: celpy's parser, then ``fakekube.cel.evaluator``'s closures over
plain values, compiled with the same checks as a CRD's rules (``compiler.compile_expression``).  With
``--failures`` it lists the cases it gets wrong.
"""

from __future__ import annotations

import argparse
import codecs
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"""\s+|\#[^\n]*|(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(?P<punct>[{}\[\]:,<>])"""
                    r"""|(?P<word>[-+\w.]+)""", re.S)
_ERROR = object()


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind:
            yield kind, match.group(kind)


def _unquote(token: str) -> str:
    raw = codecs.escape_decode(token[1:-1].encode())[0]
    assert isinstance(raw, bytes)
    return raw.decode("utf-8", "surrogateescape")


def _parse_message(tokens: list[tuple[str, str]], pos: int, close: str) -> tuple[dict[str, list[Any]], int]:
    """A text-format protobuf message as ``{field: [values]}`` (scalars as strings)."""
    out: dict[str, list[Any]] = {}
    while pos < len(tokens) and tokens[pos][1] != close:
        name = tokens[pos][1]
        value: Any
        pos += 1
        if tokens[pos][1] == ":":
            pos += 1
        if tokens[pos][1] in "{<":
            closing = "}" if tokens[pos][1] == "{" else ">"
            value, pos = _parse_message(tokens, pos + 1, closing)
            pos += 1
        elif tokens[pos][1] == "[":
            value, pos = [], pos + 1
            while tokens[pos][1] != "]":
                if tokens[pos][1] != ",":
                    value.append(tokens[pos][1])
                pos += 1
            pos += 1
        else:
            value = ""
            while pos < len(tokens) and tokens[pos][0] == "str":  # adjacent strings concatenate
                value += _unquote(tokens[pos][1])
                pos += 1
            if value == "" and tokens[pos - 1][0] != "str":
                value, pos = tokens[pos][1], pos + 1
        out.setdefault(name, []).append(value)
        if pos < len(tokens) and tokens[pos][1] in ",;":
            pos += 1
    return out, pos


def _expected(value: dict[str, list[Any]]) -> Any:
    """A conformance ``Value`` as a plain Python value: (type tag, value)."""
    ((kind, (raw,)),) = value.items()
    if kind == "int64_value":
        return ("int", int(raw))
    if kind == "uint64_value":
        return ("uint", int(raw))
    if kind == "double_value":
        return ("double", float(raw.rstrip("f")) if raw not in ("inf", "-inf", "nan") else float(raw))
    if kind == "string_value":
        return ("string", raw)
    if kind == "bool_value":
        return ("bool", raw == "true")
    if kind == "null_value":
        return ("null", None)
    if kind == "bytes_value":
        return ("bytes", raw.encode("utf-8", "surrogateescape"))
    if kind == "list_value":
        return ("list", [_expected(v) for v in raw.get("values", [])])
    if kind == "map_value":
        return ("map", sorted((repr(_expected(e["key"][0])), _expected(e["value"][0])) for e in raw.get("entries", [])))
    raise KeyError(kind)


def conformance_cases(spec_dir: Path) -> list[tuple[str, Any]]:
    cases: list[tuple[str, Any]] = []
    for path in sorted(spec_dir.glob("*.textproto")):
        if path.stem in {"proto2", "proto3", "proto2_ext", "enums", "wrappers", "dynamic", "unknowns"}:
            continue  # protobuf messages: not what CRD rules see
        tokens = list(_tokens(path.read_text()))
        try:
            top, _ = _parse_message(tokens, 0, "")
        except IndexError:  # Any-typed values and extension names this small reader does not take
            continue
        for section in top.get("section", []):
            for test in section.get("test", []):
                if any(k in test for k in ("bindings", "type_env", "container", "disable_check",
                                           "check_only", "disable_macros")):
                    continue
                expr = test["expr"][0]
                try:
                    if "eval_error" in test:
                        cases.append((expr, _ERROR))
                    elif "value" in test:
                        cases.append((expr, _expected(test["value"][0])))
                except KeyError:
                    continue
    return cases


def _normalize(value: Any, loose_ints: bool) -> Any:
    if isinstance(value, bool):
        return ("bool", value)
    if value is None:
        return ("null", None)
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("double", float(value))
    if isinstance(value, str):
        return ("string", str(value))
    if isinstance(value, bytes):
        return ("bytes", bytes(value))
    if isinstance(value, (list, tuple)):
        return ("list", [_normalize(v, loose_ints) for v in value])
    if isinstance(value, dict):
        return ("map", sorted((repr(_normalize(k, loose_ints)), _normalize(v, loose_ints)) for k, v in value.items()))
    return ("other", repr(value))


def _same(expected: Any, got: Any) -> bool:
    if expected[0] == "uint" and got[0] == "int":
        return bool(expected[1] == got[1])
    if expected[0] == "double" and got[0] == "double" and expected[1] != expected[1]:
        return bool(got[1] != got[1])
    if expected[0] in ("list", "map") and expected[0] == got[0] and len(expected[1]) == len(got[1]):
        pairs = zip(expected[1], got[1], strict=True)
        if expected[0] == "map":
            return all(ek == gk and _same(ev, gv) for (ek, ev), (gk, gv) in pairs)
        return all(_same(e, g) for e, g in pairs)
    return bool(expected == got)


# --- the engines: (compile(expr) -> program, run(program, activation) -> plain value) ------------


def _celpy() -> tuple[Callable[[str], Any], Callable[[Any, dict[str, Any]], Any]]:
    import celpy
    from celpy import celtypes
    from celpy.adapter import json_to_cel
    from celpy.evaluation import CELEvalError

    env = celpy.Environment()

    def plain(value: Any) -> Any:
        if isinstance(value, celtypes.UintType):
            return ("uint", int(value))
        if isinstance(value, celtypes.BoolType):
            return bool(value)
        if isinstance(value, celtypes.IntType):
            return int(value)
        if isinstance(value, celtypes.DoubleType):
            return float(value)
        if isinstance(value, celtypes.StringType):
            return str(value)
        if isinstance(value, celtypes.BytesType):
            return bytes(value)
        if isinstance(value, celtypes.ListType):
            return [plain(v) for v in value]
        if isinstance(value, celtypes.MapType):
            return {plain(k): plain(v) for k, v in value.items()}
        if isinstance(value, CELEvalError):
            raise value
        return value

    def compile_(expr: str) -> Any:
        return env.program(env.compile(expr))

    def run(program: Any, activation: dict[str, Any]) -> Any:
        return plain(program.evaluate({k: json_to_cel(v) for k, v in activation.items()}))

    return compile_, run


def _cel_rust() -> tuple[Callable[[str], Any], Callable[[Any, dict[str, Any]], Any]]:
    import cel

    return cel.compile, lambda program, activation: program.execute(activation)


def _cel_cpp() -> tuple[Callable[[str], Any], Callable[[Any, dict[str, Any]], Any]]:
    from cel_expr_python import cel

    env = cel.NewEnv(variables={"self": cel.Type.DYN})

    def run(program: Any, activation: dict[str, Any]) -> Any:
        value = program.eval(data=activation)
        if value.type() == cel.Type.ERROR:
            raise RuntimeError(value.plain_value())
        if value.type() == cel.Type.UINT:
            return ("uint", value.plain_value())
        return value.plain_value()

    return env.compile, run


def _fakekube() -> tuple[Callable[[str], Any], Callable[[Any, dict[str, Any]], Any]]:
    from fakekube.cel.compiler import compile_expression
    from fakekube.cel.values import UInt

    def run(program: Any, activation: dict[str, Any]) -> Any:
        value = program.evaluate(dict(activation))
        return ("uint", int(value)) if type(value) is UInt else value

    return (lambda expr: compile_expression(expr, {})), run


ENGINES = {"fakekube (celpy parser + closures)": _fakekube, "cel-python (celpy)": _celpy,
           "common-expression-language": _cel_rust, "cel-expr-python": _cel_cpp}
RULES = ["self.replicas <= self.maxReplicas", "self.names.all(x, x.matches('^[a-z]+$'))"]
SELF = {"replicas": 3, "maxReplicas": 5, "names": ["alpha", "beta", "gamma", "delta", "epsilon"]}


def _check(run: Callable[[Any, dict[str, Any]], Any], program: Any, expected: Any) -> bool:
    try:
        got = run(program, {})
    except Exception:
        return expected is _ERROR
    if expected is _ERROR:
        return False
    got = got if isinstance(got, tuple) and got[:1] == ("uint",) else _normalize(got, True)
    return _same(expected, got)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=20000)
    parser.add_argument("--engine", action="append", help="only these engines (by name prefix)")
    parser.add_argument("--failures", action="store_true", help="list the cases an engine gets wrong")
    args = parser.parse_args()
    cases = conformance_cases(args.spec)
    print(f"{len(cases)} conformance cases")
    for name, make in ENGINES.items():
        if args.engine and not any(name.startswith(prefix) for prefix in args.engine):
            continue
        try:
            compile_, run = make()
        except ImportError as exc:
            print(f"{name}: not installed ({exc})")
            continue
        passed = 0
        for expr, expected in cases:
            try:
                program = compile_(expr)
            except Exception:
                ok = expected is _ERROR
            else:
                ok = _check(run, program, expected)
            passed += ok
            if args.failures and not ok:
                print(f"  FAIL {expr!r} expected {'an error' if expected is _ERROR else expected}")
        timings = []
        for rule in RULES:
            program = compile_(rule)
            assert run(program, {"self": SELF}) is True
            start = time.perf_counter()
            for _ in range(args.runs):
                run(program, {"self": SELF})
            timings.append((time.perf_counter() - start) / args.runs * 1e6)
        print(f"{name}: conformance {passed}/{len(cases)}; " +
              "; ".join(f"{rule!r} {t:.1f} us" for rule, t in zip(RULES, timings, strict=True)))


if __name__ == "__main__":
    main()
