"""The texts of CEL evaluation and literal errors (``fakekube.cel``'s ``CelError`` and ``LiteralError``),
worded as cel-go, its Kubernetes libraries (``k8s.io/apiserver/pkg/cel/library``) and the Go functions they
call (``strconv``, ``time``, ``net/netip``, ``regexp``) word them.  Users read them inside
``cel_evaluation_error`` ("<text> evaluating rule: ...") and in compile issues (``cel_issue``)."""

from __future__ import annotations

# --- cel-go's interpreter ----------------------------------------------------------------------------

CEL_NO_SUCH_OVERLOAD = "no such overload"
CEL_INTEGER_OVERFLOW = "integer overflow"
CEL_UNSIGNED_INTEGER_OVERFLOW = "unsigned integer overflow"
CEL_DIVISION_BY_ZERO = "division by zero"
CEL_MODULUS_BY_ZERO = "modulus by zero"
CEL_MAX_RECURSION = "max recursion depth exceeded"
CEL_HAS_ARGUMENT = "invalid argument to has() macro"
CEL_DURATION_RANGE = "duration out of range"
CEL_TIMESTAMP_RANGE = "timestamp out of range"
CEL_BYTES_NOT_UTF8 = "invalid UTF-8 in bytes, cannot convert to string"


def cel_unsupported(what: str, name: str) -> str:
    """An ``expression`` or ``macro`` kind fakekube's evaluator does not build."""
    return f"unsupported {what}: {name}"


def cel_undeclared_at_runtime(name: str) -> str:
    """An identifier evaluated without a binding (the checker, ``cel_undeclared_reference``, reports it first)."""
    return f"undeclared reference to '{name}'"


def cel_no_such_key(key: object) -> str:
    """``key``: the name or index, as cel-go prints it."""
    return f"no such key: {key}"


def cel_index_out_of_bounds(index: object) -> str:
    return f"index out of bounds: {index}"


def cel_unsupported_key_type(type_name: str) -> str:
    """A map literal whose key has a type CEL keys may not have."""
    return f"unsupported key type: {type_name}"


def cel_repeated_key(key: object) -> str:
    """A map literal naming one key twice."""
    return f"Failed with repeated key: {key}"


def cel_strconv_syntax(function: str, value: str) -> str:
    """A number or bool conversion's refusal (``int(string)``: ``ParseInt``; ``uint``, ``double``, ``bool``:
    ``ParseUint``, ``ParseFloat``, ``ParseBool``; a ``strings.format`` precision: ``Atoi``)."""
    return f'strconv.{function}: parsing "{value}": invalid syntax'


def cel_invalid_duration(text: str) -> str:
    """``duration(string)``: ``time.ParseDuration``'s refusal."""
    return f'time: invalid duration "{text}"'


def cel_timestamp_layout(text: str) -> str:
    """``timestamp(string)`` of a text that is not RFC 3339 (``time.Parse``)."""
    return f'parsing time "{text}" as "2006-01-02T15:04:05Z07:00": cannot parse'


def cel_timestamp_invalid(text: str, detail: object) -> str:
    """An RFC 3339 text naming no valid time (a month 13): ``time.Parse``'s range error."""
    return f'parsing time "{text}": {detail}'


def cel_unknown_time_zone(name: str) -> str:
    return f"unknown time zone {name}"


def cel_regexp_error(detail: object) -> str:
    """A ``matches``/``find`` pattern RE2 refuses (``regexp.Compile``'s ``*syntax.Error``)."""
    return f"error parsing regexp: {detail}"


# --- the Kubernetes CEL libraries (lists, strings, quantity, semver, ip, cidr, url, optionals) --------


def cel_empty_list_argument(name: str) -> str:
    """``min()``/``max()`` of an empty list."""
    return f"{name}(list) argument must not be empty"


def cel_index_out_of_range(index: int) -> str:
    """The strings library's ``indexOf``, ``charAt``, ``substring``."""
    return f"index out of range: {index}"


def cel_substring_range(start: int, stop: int) -> str:
    return f"invalid substring range. start: {start}, end: {stop}"


CEL_QUANTITY_SYNTAX = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
CEL_QUANTITY_NOT_INTEGER = "cannot convert value to integer"
CEL_OPTIONAL_NONE = "optional.none() dereference"


def cel_invalid_semver(text: str) -> str:
    return f"invalid semver: {text}"


def cel_ip_parse_error(value: str) -> str:
    """``ip(string)``: ``netip.ParseAddr``'s refusal (the value as Go's ``%q`` quotes it)."""
    return f"IP Address {value!r} parse error during conversion from string: ParseAddr({value!r}): unable to parse IP"


def cel_cidr_parse_error(value: str) -> str:
    """``cidr(string)``: ``netip.ParsePrefix``'s refusal."""
    return f"network address parse error during conversion from string: netip.ParsePrefix({value!r}): bad prefix"


def cel_url_parse_error(value: str) -> str:
    """``url(string)``: ``url.ParseRequestURI``'s refusal."""
    return f"URL parse error during conversion from string: parse {value!r}: invalid URI for request"


# --- literals (the parser's errors, as compile issues) ----------------------------------------------


def cel_invalid_escape(sequence: str) -> str:
    """``sequence``: what follows the backslash."""
    return f"invalid escape sequence: \\{sequence}"


CEL_BYTES_UNICODE_ESCAPE = "unicode escapes are not allowed in bytes literals"
CEL_INVALID_CODE_POINT = "invalid unicode code point"
CEL_STRING_NOT_UTF8 = "invalid UTF-8 in string literal"


def cel_invalid_literal(kind: str, text: str) -> str:
    """An ``int`` or ``uint`` literal out of range."""
    return f"invalid {kind} literal: {text}"


# --- cel-go's lists extension, two-variable comprehensions and strings.format ---------------------------


def cel_slice_negative(start: int, end: int) -> str:
    return f"cannot slice({start}, {end}), negative indexes not supported"


def cel_slice_order(start: int, end: int) -> str:
    return f"cannot slice({start}, {end}), start index must be less than or equal to end index"


def cel_slice_length(start: int, end: int, length: int) -> str:
    return f"cannot slice({start}, {end}), list is length {length}"


CEL_FLATTEN_NEGATIVE = "level must be non-negative"
CEL_SORT_NOT_COMPARABLE = "list elements must be comparable"
CEL_SORT_MIXED_TYPES = "list elements must have the same type"


def cel_map_insert_exists(key: str) -> str:
    """``transformMapEntry`` producing a key twice (``types.InsertMapKeyValue``)."""
    return f"insert failed: key {key} already exists"


def cel_format_clause(detail: str) -> str:
    """``strings.format``: a clause that does not parse (``%q``, ``%.x``)."""
    return f"could not parse formatting clause: {detail}"


def cel_format_unrecognized(verb: str) -> str:
    return f'unrecognized formatting clause "{verb}"'


def cel_format_error(detail: str) -> str:
    """``strings.format``: an argument its clause cannot show."""
    return f"error during formatting: {detail}"


CEL_FORMAT_PRECISION_END = "error while parsing precision: could not find end of precision specifier"
CEL_FORMAT_END = "unexpected end of string"


def cel_format_precision_syntax(digits: str) -> str:
    return ("error while parsing precision: error while converting precision to integer: "
            + cel_strconv_syntax("Atoi", digits))


def cel_format_missing_argument(index: int) -> str:
    return f"index {index} out of range"


def cel_format_wrong_type(clause: str, type_name: str) -> str:
    """The clause's own complaint (``decimal clause can only be used on integers, was given string``)."""
    what = {"d": "decimal clause can only be used on integers",
            "f": "fixed-point clause can only be used on doubles",
            "e": "scientific clause can only be used on doubles",
            "b": "only integers and bools can be formatted as binary",
            "x": "only integers, byte buffers, and strings can be formatted as hex",
            "o": "octal clause can only be used on integers",
            "s": "string clause can only be used on strings, bools, bytes, ints, doubles, maps, lists, types, "
                 "durations, and timestamps"}[clause.lower()]
    return f"{what}, was given {type_name}"


__all__ = [
    "CEL_BYTES_NOT_UTF8", "CEL_BYTES_UNICODE_ESCAPE", "CEL_DIVISION_BY_ZERO", "CEL_DURATION_RANGE",
    "CEL_FLATTEN_NEGATIVE", "CEL_FORMAT_END", "CEL_FORMAT_PRECISION_END", "CEL_HAS_ARGUMENT",
    "CEL_INTEGER_OVERFLOW", "CEL_INVALID_CODE_POINT", "CEL_MAX_RECURSION", "CEL_MODULUS_BY_ZERO",
    "CEL_NO_SUCH_OVERLOAD", "CEL_OPTIONAL_NONE", "CEL_QUANTITY_NOT_INTEGER", "CEL_QUANTITY_SYNTAX",
    "CEL_SORT_MIXED_TYPES", "CEL_SORT_NOT_COMPARABLE", "CEL_STRING_NOT_UTF8", "CEL_TIMESTAMP_RANGE",
    "CEL_UNSIGNED_INTEGER_OVERFLOW", "cel_cidr_parse_error", "cel_empty_list_argument", "cel_format_clause",
    "cel_format_error", "cel_format_missing_argument", "cel_format_precision_syntax",
    "cel_format_unrecognized", "cel_format_wrong_type", "cel_index_out_of_bounds", "cel_index_out_of_range",
    "cel_invalid_duration", "cel_invalid_escape", "cel_invalid_literal", "cel_invalid_semver",
    "cel_ip_parse_error", "cel_map_insert_exists", "cel_no_such_key", "cel_regexp_error", "cel_repeated_key",
    "cel_slice_length", "cel_slice_negative", "cel_slice_order", "cel_strconv_syntax", "cel_substring_range",
    "cel_timestamp_invalid", "cel_timestamp_layout", "cel_undeclared_at_runtime", "cel_unknown_time_zone",
    "cel_unsupported", "cel_unsupported_key_type", "cel_url_parse_error",
]
