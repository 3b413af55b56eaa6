"""A CRD's ``pattern`` as Go's ``regexp`` reads it: RE2 syntax, checked and matched with RE2 itself.

kube-apiserver refuses a CRD whose pattern Go cannot compile and matches custom resources with Go's
``regexp``.  Python's ``re`` and jsonschema-rs's ECMA-262 reading both differ from it in both directions
(lookaround and backreferences accepted; ``\\z``, ``\\Q...\\E``, ``\\pN``, ``[[:alpha:]]`` refused or read
otherwise), and a pattern the CRD check let through but the validator cannot compile would fail every
write of the resource.  RE2 (``google-re2``) is the library Go's package was ported from: same syntax,
same refusals; only its error texts differ (``errors.go_regexp_parse_error`` words them as Go does).
"""

from __future__ import annotations

import functools
from typing import Any

import re2

from fakekube import errors

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would write every refused pattern to stderr


@functools.lru_cache(maxsize=1024)
def _compiled(pattern: str) -> Any:
    """The compiled pattern, or the refusal's text (compiled patterns are immutable: shared by clusters)."""
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as problem:
        raw = problem.args[0] if problem.args else b""
        return raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)


def go_regexp_error(pattern: str) -> str | None:
    """Go's ``regexp.Compile`` error for ``pattern`` (``error parsing regexp: <code>: `<expr>```), or None."""
    found = _compiled(pattern)
    if not isinstance(found, str):
        return None
    code, _, expr = found.partition(": ")
    if code == "trailing \\":
        expr = ""
    elif code == "invalid perl operator" and expr.startswith("(?<"):
        # Go (1.22 on) reads ``(?<`` as a named capture, lookbehind included: its name is what is wrong.
        rest = pattern[pattern.index("(?<"):]
        end = rest.find(">")
        code, expr = "invalid named capture", rest if end < 0 else rest[:end + 1]
    return errors.go_regexp_parse_error(code, expr)


def go_matches(pattern: str, value: str) -> bool:
    """Go's ``regexp.MatchString``: a match anywhere in ``value`` (an invalid pattern matches nothing)."""
    found = _compiled(pattern)
    return not isinstance(found, str) and found.search(value) is not None


class GoPattern:
    """jsonschema-rs's keyword for a CRD's ``pattern`` (``json_schema.PATTERN_KEYWORD``): strings that Go's
    ``regexp`` does not match fail; other values are the type check's business."""

    def __init__(self, parent_schema: Any, value: Any, schema_path: Any) -> None:
        self.pattern = str(value)

    def validate(self, instance: Any) -> None:
        if isinstance(instance, str) and not go_matches(self.pattern, instance):
            raise ValueError(f"does not match {self.pattern!r}")
