"""What label and field selector parsing share: the error type and Go renderings of messages."""

from __future__ import annotations

import re

from fakekube import name_formats
from fakekube.go_text import go_quote


class SelectorError(Exception):
    """A selector the apiserver would reject; ``message`` is the Status message, verbatim."""

    code = 400
    reason = "BadRequest"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ``go_quote`` (Go's %q) lives with the other Go renderings in ``errors``.


def raw_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def byte_length(text: str) -> int:
    return len(raw_bytes(text))


def invalid_message(path: str, value: str, detail: str) -> str:
    """``field.Invalid(path, value, detail).Error()`` for a string value."""
    return f"{path}: Invalid value: {go_quote(value)}: {detail}"


def aggregate(messages: list[str]) -> str:
    """``ErrorList.ToAggregate().Error()``: one message bare, several bracketed and de-duplicated."""
    unique = list(dict.fromkeys(messages))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


# Label keys and values follow the same rules as in metadata: one implementation, in ``name_formats``.
label_key_errors = name_formats.qualified_name_errors
label_value_errors = name_formats.label_value_errors


INT64 = re.compile(r"[+-]?[0-9]+")


def parse_int64(text: str) -> int | None:
    """``strconv.ParseInt(text, 10, 64)``; Python's int() is laxer (spaces, underscores)."""
    if not INT64.fullmatch(text):
        return None
    number = int(text)
    return number if -(2**63) <= number < 2**63 else None
