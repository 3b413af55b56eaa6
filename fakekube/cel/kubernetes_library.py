"""The CEL libraries kube-apiserver adds for CRD rules (``k8s.io/apiserver/pkg/cel/library``: lists, sets,
regex, urls, ip, cidr, quantity, format, semver) and the cel-go extensions it enables (strings, optionals;
the lists extension is ``lists_ext``, the strings extension's ``format``/``quote`` ``strings_ext``), as
functions on plain values for ``evaluator``.

``x.f(a)`` and ``f(x, a)`` call the same function by name (receiver first), so each name here is one
function that picks its overload from its first argument's type.  Namespaced functions (``sets.contains``,
``format.dns1123Label()``, ``optional.of``) are keyed by their qualified name; the evaluator resolves them
when it compiles the call.  ``FUNCTIONS`` holds these over CEL's standard ones (``stdlib``).  A failure
raises ``CelError`` with cel-go's message.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from fakekube import errors
from fakekube.cel.kubernetes_types import (
    CIDR,
    FORMATS,
    IP,
    URL,
    Format,
    Namespace,
    Optional,
    Quantity,
    Semver,
    parse_quantity,
    parse_semver,
)
from fakekube.cel.lists_ext import LISTS
from fakekube.cel.regex import compile_re2
from fakekube.cel.stdlib import FUNCTIONS as STANDARD
from fakekube.cel.stdlib import CelFunction
from fakekube.cel.strings_ext import STRINGS, last_index_of
from fakekube.cel.values import CelError, add, equals, less, member, no_overload

SETS, FORMAT, OPTIONAL = Namespace("sets"), Namespace("format"), Namespace("optional")
NAMESPACES: dict[str, Any] = {"sets": SETS, "format": FORMAT, "optional": OPTIONAL, "lists": Namespace("lists"),
                              "strings": Namespace("strings")}


def _list(value: Any, name: str) -> list[Any]:
    if type(value) is not list and type(value) is not tuple:
        raise no_overload(name)
    return list(value)


def _text(value: Any, name: str) -> str:
    if type(value) is not str:
        raise no_overload(name)
    return str(value)


def _int(value: Any, name: str) -> int:
    if type(value) is not int:
        raise no_overload(name)
    return int(value)


# --- lists -------------------------------------------------------------------------------------


def _is_sorted(items: Any) -> bool:
    items = _list(items, "isSorted")
    return not any(less(items[i + 1], items[i]) for i in range(len(items) - 1))


def _sum(items: Any) -> Any:
    items = _list(items, "sum")
    if not items:
        return 0
    total = items[0]
    for item in items[1:]:
        total = add(total, item)
    return total


def _extreme(name: str, smaller: bool) -> CelFunction:
    def extreme(*args: Any) -> Any:
        items = list(args[0]) if len(args) == 1 and type(args[0]) in (list, tuple) else list(args)
        if not items:
            raise CelError(errors.cel_empty_list_argument(name))
        best = items[0]
        for item in items[1:]:
            if less(item, best) if smaller else less(best, item):
                best = item
        return best

    return extreme


def _index_of(target: Any, item: Any, start: Any = None) -> int:
    if type(target) is str:
        return _string_index(target, _text(item, "indexOf"), 0 if start is None else _int(start, "indexOf"))
    return next((i for i, x in enumerate(_list(target, "indexOf")) if equals(x, item)), -1)


def _last_index_of(target: Any, item: Any, offset: Any = None) -> int:
    if type(target) is str:
        sub = _text(item, "lastIndexOf")
        return target.rfind(sub) if offset is None else last_index_of(target, sub, _int(offset, "lastIndexOf"))
    if offset is not None:
        raise no_overload("lastIndexOf")
    items = _list(target, "lastIndexOf")
    return next((i for i in range(len(items) - 1, -1, -1) if equals(items[i], item)), -1)


# --- strings (cel-go ext.Strings) -----------------------------------------------------------------


def _string_index(text: str, sub: str, start: int) -> int:
    if start < 0 or start > len(text):
        raise CelError(errors.cel_index_out_of_range(start))
    return text.find(sub, start)


def _char_at(target: Any, at: Any) -> str:
    text, index = _text(target, "charAt"), _int(at, "charAt")
    if index < 0 or index > len(text):
        raise CelError(errors.cel_index_out_of_range(index))
    return text[index:index + 1]


def _substring(target: Any, begin: Any, end: Any = None) -> str:
    text, start = _text(target, "substring"), _int(begin, "substring")
    stop = len(text) if end is None else _int(end, "substring")
    if start < 0 or start > len(text):
        raise CelError(errors.cel_index_out_of_range(start))
    if stop < 0 or stop > len(text):
        raise CelError(errors.cel_index_out_of_range(stop))
    if start > stop:
        raise CelError(errors.cel_substring_range(start, stop))
    return text[start:stop]


def _split(target: Any, separator: Any, limit: Any = None) -> list[str]:
    text, sep = _text(target, "split"), _text(separator, "split")
    n = -1 if limit is None else _int(limit, "split")
    if n == 0:
        return []
    if sep == "":
        return list(text) if n < 0 or n > len(text) else [*text[:n - 1], text[n - 1:]]
    return text.split(sep) if n < 0 else text.split(sep, n - 1)


def _replace(text: Any, old: Any, new: Any, limit: Any = None) -> str:
    count = -1 if limit is None else _int(limit, "replace")
    return _text(text, "replace").replace(_text(old, "replace"), _text(new, "replace"), count)


def _join(items: Any, sep: Any = "") -> str:
    parts = _list(items, "join")
    if any(type(p) is not str for p in parts):
        raise no_overload("join")
    return _text(sep, "join").join(parts)


def _trim(text: Any) -> str:
    return _text(text, "trim").strip(" \t\n\v\f\r\x85\xa0")


def _ascii_case(upper: bool) -> CelFunction:
    table = {c: c - 32 if upper else c + 32 for c in range(97 if upper else 65, 123 if upper else 91)}
    return lambda text: _text(text, "upperAscii" if upper else "lowerAscii").translate(table)


# --- regex ------------------------------------------------------------------------------------------


def _find(text: Any, pattern: Any) -> str:
    found = compile_re2(_text(pattern, "find")).search(_text(text, "find"))
    return found.group(0) if found else ""


def _find_all(text: Any, pattern: Any, limit: Any = None) -> list[str]:
    found = [m.group(0) for m in compile_re2(_text(pattern, "findAll")).finditer(_text(text, "findAll"))]
    if limit is not None and _int(limit, "findAll") >= 0:
        found = found[:int(limit)]
    return found


# --- sets (cel-go ext.Sets) ----------------------------------------------------------------------------


def _sets_contains(first: Any, second: Any) -> bool:
    first = _list(first, "sets.contains")
    return all(member(item, first) for item in _list(second, "sets.contains"))


def _sets_equivalent(first: Any, second: Any) -> bool:
    return _sets_contains(first, second) and _sets_contains(second, first)


def _sets_intersects(first: Any, second: Any) -> bool:
    first = _list(first, "sets.intersects")
    return any(member(item, first) for item in _list(second, "sets.intersects"))


# --- quantities, semver, IPs, CIDRs, URLs ------------------------------------------------------------


def _quantity(text: Any) -> Quantity:
    parsed = parse_quantity(_text(text, "quantity"))
    if parsed is None:
        raise CelError(errors.CEL_QUANTITY_SYNTAX)
    return parsed


def _parse_semver(text: str, normalize: Any = False) -> Semver | None:
    return parse_semver(text, normalize is True)


def _semver(text: Any, normalize: Any = False) -> Semver:
    parsed = parse_semver(_text(text, "semver"), normalize is True)
    if parsed is None:
        raise CelError(errors.cel_invalid_semver(text))
    return parsed


def _ip(value: Any) -> IP:
    if isinstance(value, CIDR):
        return IP(value.address)
    parsed = IP.parse(_text(value, "ip"))
    if parsed is None:
        raise CelError(errors.cel_ip_parse_error(value))
    return parsed


def _cidr(value: Any) -> CIDR:
    parsed = CIDR.parse(_text(value, "cidr"))
    if parsed is None:
        raise CelError(errors.cel_cidr_parse_error(value))
    return parsed


def _url(value: Any) -> URL:
    parsed = URL.parse(_text(value, "url"))
    if parsed is None:
        raise CelError(errors.cel_url_parse_error(value))
    return parsed


def _is(name: str, parse: Callable[[str], object]) -> CelFunction:
    """``isQuantity``, ``isIP``...: whether the string parses (``isSemver`` takes a normalize flag)."""
    def check(value: Any, *flags: Any) -> bool:
        return parse(_text(value, name), *flags) is not None

    return check


def _string(value: Any) -> str:
    if isinstance(value, (IP, CIDR, Quantity, Semver, URL)):
        return str(value)
    return str(STANDARD["string"](value))


def _compare_to(first: Any, second: Any) -> int:
    if type(first) is not type(second) or not isinstance(first, (Quantity, Semver)):
        raise no_overload("compareTo")
    return first.compare(second)


def _method(name: str, kinds: tuple[type, ...], body: Callable[..., Any]) -> CelFunction:
    """A method defined on the library's own types only: anything else is ``no such overload``."""

    def method(target: Any, *args: Any) -> Any:
        if not isinstance(target, kinds):
            raise no_overload(name)
        return body(target, *args)

    return method


def _amount(value: Any) -> Decimal:
    if isinstance(value, Quantity):
        return value.value
    return Decimal(_int(value, "add"))


def _as_integer(value: Quantity) -> int:
    if value.value != value.value.to_integral_value() or abs(value.value) >= 2**63:
        raise CelError(errors.CEL_QUANTITY_NOT_INTEGER)
    return int(value.value)


# --- format and optionals ----------------------------------------------------------------------------


def _format_named(name: Any) -> Optional:
    found = FORMATS.get(_text(name, "format.named"))
    return Optional(found) if found is not None else Optional(None, present=False)


def _constant(fmt: Format) -> CelFunction:
    """``format.dns1123Label()``: the named format itself."""
    return lambda: fmt


def _validate(fmt: Format, value: Any) -> Optional:
    problems = fmt.check(_text(value, "validate"))
    return Optional(list(problems)) if problems else Optional(None, present=False)


def _value(opt: Optional) -> Any:
    if not opt.present:
        raise CelError(errors.CEL_OPTIONAL_NONE)
    return opt.value


LIBRARY: dict[str, CelFunction] = {
    # lists
    "isSorted": _is_sorted,
    "sum": _sum,
    "min": _extreme("min", True),
    "max": _extreme("max", False),
    "indexOf": _index_of,
    "lastIndexOf": _last_index_of,
    # strings
    "charAt": _char_at,
    "substring": _substring,
    "split": _split,
    "replace": _replace,
    "join": _join,
    "trim": _trim,
    "lowerAscii": _ascii_case(False),
    "upperAscii": _ascii_case(True),
    # regex
    "find": _find,
    "findAll": _find_all,
    # sets
    "sets.contains": _sets_contains,
    "sets.equivalent": _sets_equivalent,
    "sets.intersects": _sets_intersects,
    # quantities
    "quantity": _quantity,
    "isQuantity": _is("isQuantity", parse_quantity),
    "sign": _method("sign", (Quantity,), lambda q: (q.value > 0) - (q.value < 0)),
    "isInteger": _method("isInteger", (Quantity,), lambda q: q.value == q.value.to_integral_value()),
    "asInteger": _method("asInteger", (Quantity,), _as_integer),
    "asApproximateFloat": _method("asApproximateFloat", (Quantity,), lambda q: float(q.value)),
    "add": _method("add", (Quantity,), lambda q, other: Quantity(q.value + _amount(other))),
    "sub": _method("sub", (Quantity,), lambda q, other: Quantity(q.value - _amount(other))),
    "compareTo": _compare_to,
    "isGreaterThan": _method("isGreaterThan", (Quantity, Semver), lambda a, b: _compare_to(a, b) == 1),
    "isLessThan": _method("isLessThan", (Quantity, Semver), lambda a, b: _compare_to(a, b) == -1),
    # semver
    "semver": _semver,
    "isSemver": _is("isSemver", _parse_semver),
    "major": _method("major", (Semver,), lambda s: s.major),
    "minor": _method("minor", (Semver,), lambda s: s.minor),
    "patch": _method("patch", (Semver,), lambda s: s.patch),
    # ip and cidr
    "ip": _ip,
    "isIP": _is("isIP", IP.parse),
    "family": _method("family", (IP,), lambda i: i.address.version),
    "isUnspecified": _method("isUnspecified", (IP,), lambda i: i.address.is_unspecified),
    "isLoopback": _method("isLoopback", (IP,), lambda i: i.address.is_loopback),
    "isLinkLocalMulticast": _method("isLinkLocalMulticast", (IP,), lambda i: i.link_local_multicast()),
    "isLinkLocalUnicast": _method("isLinkLocalUnicast", (IP,), lambda i: i.link_local_unicast()),
    "isGlobalUnicast": _method("isGlobalUnicast", (IP,), lambda i: i.global_unicast()),
    "cidr": _cidr,
    "isCIDR": _is("isCIDR", CIDR.parse),
    "containsIP": _method("containsIP", (CIDR,), lambda c, i: c.contains_ip(i)),
    "containsCIDR": _method("containsCIDR", (CIDR,), lambda c, o: c.contains_cidr(o)),
    "masked": _method("masked", (CIDR,), lambda c: c.masked()),
    "prefixLength": _method("prefixLength", (CIDR,), lambda c: c.network.prefixlen),
    # urls
    "url": _url,
    "isURL": _is("isURL", URL.parse),
    "getScheme": _method("getScheme", (URL,), lambda u: u.parts.scheme),
    "getHost": _method("getHost", (URL,), lambda u: u.parts.netloc.rpartition("@")[2]),
    "getHostname": _method("getHostname", (URL,), lambda u: u.hostname()),
    "getPort": _method("getPort", (URL,), lambda u: u.port()),
    "getEscapedPath": _method("getEscapedPath", (URL,), lambda u: u.parts.path),
    "getQuery": _method("getQuery", (URL,), lambda u: u.query()),
    # format
    "format.named": _format_named,
    "validate": _method("validate", (Format,), _validate),
    **{f"format.{name}": _constant(fmt) for name, fmt in FORMATS.items()},
    # optionals
    "optional.of": lambda value: Optional(value),
    "optional.none": lambda: Optional(None, present=False),
    "hasValue": _method("hasValue", (Optional,), lambda o: o.present),
    "value": _method("value", (Optional,), _value),
    "orValue": _method("orValue", (Optional,), lambda o, default: o.value if o.present else default),
    "string": _string,
}
FUNCTIONS: dict[str, CelFunction] = {**STANDARD, **LIBRARY, **LISTS, **STRINGS}
FUNCTION_NAMES = frozenset(name for name in FUNCTIONS if "." not in name)  # the unqualified ones
