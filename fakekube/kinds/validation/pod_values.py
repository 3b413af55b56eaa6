"""Reading a decoded pod spec as Go reads the typed object: an optional sub-object as a dict (empty when
unset), an absent key as its zero value, enums checked by hand.

Why a module of its own: every ``pod_*`` module reads values this way, and taking ``as_dict`` from
``kinds.podspec`` would make the validation package and the defaults import each other.  Whether absent
required keys and enum values are reported here depends on the caller: a Pod's and a PodTemplate's strategy
leave them to these rules (``validation_ported``), a workload whose strategy does not gets the decoder's.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is an object, else an empty one."""
    return value if isinstance(value, dict) else {}


# Whether the decoder's stand-ins report absent required keys and enum values (``Strategy.validation_ported``
# off): then these rules skip them, else they report them as upstream words them.
_SCHEMA_REPORTS: ContextVar[bool] = ContextVar("pod_schema_reports", default=True)


def schema_reports() -> bool:
    """True while validating an object whose strategy lets the decoder report required keys and enums."""
    return _SCHEMA_REPORTS.get()


def set_schema_reports(value: bool) -> Token[bool]:
    return _SCHEMA_REPORTS.set(value)


def reset_schema_reports(token: Token[bool]) -> None:
    _SCHEMA_REPORTS.reset(token)


def missing(obj: dict[str, Any], key: str) -> bool:
    """An absent key the decoder already reported (skip it); else an absent key reads as Go's zero value."""
    return key not in obj and schema_reports()


def enum_error(value: Any, path: str, supported: tuple[str, ...], *, optional: bool = False,
               required_if_empty: bool = False) -> list[FieldError]:
    """An enum upstream checks by hand (``field.NotSupported`` with its own order of values; ``Required`` for an
    empty one where upstream says so).  Skipped when the decoder reports enums; an absent optional value is
    unset (a nil pointer), an absent plain one is ``""``."""
    if schema_reports() or (value is None and optional):
        return []
    text = "" if value is None else value
    if text in supported:
        return []
    if text == "" and required_if_empty:
        return [errors.required(path)]
    return [errors.not_supported(path, text, list(supported))]
