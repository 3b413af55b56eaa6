"""RE2 patterns (what ``matches``, ``find`` and ``findAll`` take in cel-go) run with Python's ``re``.

The translation covers the differences a CRD rule meets: ``$`` is the end of the text (Python's also
matches before a final newline), ``\\z``, ``\\Q...\\E``, POSIX classes (``[[:alpha:]]``), ASCII-only
``\\d``/``\\w``/``\\s``/``\\b``, and what RE2 refuses (backreferences, lookaround, atomic groups) is refused
here too.  Not covered: Unicode classes (``\\pL``), which Python's ``re`` does not know (an error here).
"""

from __future__ import annotations

import re
from functools import lru_cache

from fakekube import errors
from fakekube.cel.values import CelError

_POSIX = {"alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x00-\\x7f", "blank": "\\t ", "cntrl": "\\x00-\\x1f\\x7f",
          "digit": "0-9", "graph": "!-~", "lower": "a-z", "print": " -~", "punct": "!-/:-@\\[-`{-~",
          "space": "\\t\\n\\v\\f\\r ", "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f"}
_UNSUPPORTED = ("(?=", "(?!", "(?<=", "(?<!", "(?>")
_MULTILINE = re.compile(r"\(\?[a-zA-Z]*m[a-zA-Z]*[):]")


def _translate(pattern: str) -> str:
    out: list[str] = []
    multiline = bool(_MULTILINE.search(pattern))
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escaped = pattern[i + 1]
            if escaped == "Q":
                end = pattern.find("\\E", i + 2)
                literal = pattern[i + 2:] if end < 0 else pattern[i + 2:end]
                out.append(re.escape(literal))
                i = len(pattern) if end < 0 else end + 2
                continue
            if escaped.isdigit() and escaped != "0" and not in_class:
                raise CelError(errors.go_regexp_parse_error("invalid escape sequence", f"\\{escaped}"))
            out.append("\\Z" if escaped == "z" and not in_class else pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                name = pattern[i + 2:end] if end > 0 else ""
                negated = name.startswith("^")
                if name.lstrip("^") in _POSIX and not negated:
                    out.append(_POSIX[name])
                    i = end + 2
                    continue
            if char == "]" and out and out[-1] not in ("[", "[^"):
                in_class = False
            out.append(char)
        elif char == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
                if pattern.startswith("]", i):
                    out.append("\\]")
                    i += 1
                continue
            out.append("[")
            if pattern.startswith("]", i + 1):
                out.append("\\]")
                i += 1
        elif char == "(" and pattern.startswith(_UNSUPPORTED, i):
            raise CelError(errors.go_regexp_parse_error("invalid or unsupported Perl syntax", pattern[i:i + 3]))
        elif char == "$" and not multiline:
            out.append("\\Z")
        else:
            out.append(char)
        i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def compile_re2(pattern: str) -> re.Pattern[str]:
    """``pattern`` as cel-go's RE2 reads it; ``CelError`` with RE2's kind of message when it is invalid."""
    try:
        return re.compile(_translate(pattern), re.ASCII)
    except re.error as exc:
        raise CelError(errors.cel_regexp_error(exc)) from None
