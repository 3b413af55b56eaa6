"""CEL's ``google.protobuf.Duration`` and ``google.protobuf.Timestamp`` as integer nanoseconds (exact
arithmetic, cel-go's ranges), with ``duration('1h30m')``, ``timestamp('2024-01-02T03:04:05Z')``, their
``string()`` forms and the ``getHours()``-style accessors (optionally in a time zone)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from functools import total_ordering
from typing import Any
from zoneinfo import ZoneInfo

from fakekube import errors
from fakekube.cel.values import CelError, no_overload

_NANOS = 1_000_000_000
_MAX_DURATION = 315_576_000_000 * _NANOS
_MIN_TIME, _MAX_TIME = -62135596800 * _NANOS, (253402300800 * _NANOS) - 1  # years 0001 to 9999
_UNITS = {"ns": 1, "us": 1000, "µs": 1000, "μs": 1000, "ms": 10**6, "s": _NANOS, "m": 60 * _NANOS,
          "h": 3600 * _NANOS}
_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h)")
_RFC3339 = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?([Zz]|[+-]\d{2}:\d{2})$")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@total_ordering
class _Nanos:
    """A count of nanoseconds within its type's range, ordered and equal only to one of its own type."""

    __slots__ = ("nanos",)
    _range: tuple[int, int, str]  # the lowest and highest nanos and the error beyond them

    def __init__(self, nanos: int):
        low, high, error = self._range
        if not low <= nanos <= high:
            raise CelError(error)
        self.nanos = nanos

    def __eq__(self, other: object) -> bool:
        return isinstance(other, type(self)) and other.nanos == self.nanos

    def __lt__(self, other: _Nanos) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.nanos < other.nanos

    def __hash__(self) -> int:
        return hash(self.nanos)


class Duration(_Nanos):
    cel_type = "google.protobuf.Duration"
    __slots__ = ()
    _range = (-_MAX_DURATION, _MAX_DURATION, errors.CEL_DURATION_RANGE)

    def cel_add(self, other: Any) -> Any:
        if isinstance(other, Duration):
            return Duration(self.nanos + other.nanos)
        if isinstance(other, Timestamp):
            return Timestamp(other.nanos + self.nanos)
        raise no_overload()

    def cel_sub(self, other: Any) -> Any:
        if isinstance(other, Duration):
            return Duration(self.nanos - other.nanos)
        raise no_overload()

    def cel_neg(self) -> Duration:
        return Duration(-self.nanos)

    def __str__(self) -> str:
        seconds, nanos = divmod(abs(self.nanos), _NANOS)
        sign = "-" if self.nanos < 0 else ""
        fraction = f".{nanos:09d}".rstrip("0") if nanos else ""
        return f"{sign}{seconds}{fraction}s"


class Timestamp(_Nanos):
    cel_type = "google.protobuf.Timestamp"
    __slots__ = ()
    _range = (_MIN_TIME, _MAX_TIME, errors.CEL_TIMESTAMP_RANGE)

    def cel_add(self, other: Any) -> Any:
        if isinstance(other, Duration):
            return Timestamp(self.nanos + other.nanos)
        raise no_overload()

    def cel_sub(self, other: Any) -> Any:
        if isinstance(other, Duration):
            return Timestamp(self.nanos - other.nanos)
        if isinstance(other, Timestamp):
            return Duration(self.nanos - other.nanos)
        raise no_overload()

    def datetime(self, zone: tzinfo = timezone.utc) -> datetime:
        return (_EPOCH + timedelta(microseconds=self.nanos // 1000)).astimezone(zone)

    def __str__(self) -> str:
        nanos = self.nanos % _NANOS
        text = self.datetime().strftime("%Y-%m-%dT%H:%M:%S")
        return text + (f".{nanos:09d}".rstrip("0") if nanos else "") + "Z"


def parse_duration(text: str) -> Duration:
    """Go's ``time.ParseDuration`` (``1h30m``, ``-1.5s``, ``300ms``)."""
    body = text.lstrip("+-")
    negative = text.startswith("-")
    if body == "0":
        return Duration(0)
    position, total = 0, 0
    while position < len(body):
        match = _PART.match(body, position)
        if not match or match.group(1) in ("", "."):
            raise CelError(errors.cel_invalid_duration(text))
        number, unit = match.groups()
        whole, _, fraction = number.partition(".")
        scale = _UNITS[unit]
        total += int(whole or "0") * scale + (int(fraction) * scale // 10 ** len(fraction) if fraction else 0)
        position = match.end()
    if not body:
        raise CelError(errors.cel_invalid_duration(text))
    return Duration(-total if negative else total)


def parse_timestamp(text: str) -> Timestamp:
    """RFC 3339 as cel-go's ``timestamp()`` takes it."""
    match = _RFC3339.match(text)
    if not match:
        raise CelError(errors.cel_timestamp_layout(text))
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), tzinfo=timezone.utc)
    except ValueError as exc:
        raise CelError(errors.cel_timestamp_invalid(text, exc)) from None
    offset = 0
    if zone not in ("Z", "z"):
        offset = (int(zone[1:3]) * 60 + int(zone[4:6])) * 60 * (1 if zone[0] == "+" else -1)
    seconds = int((moment - _EPOCH).total_seconds()) - offset
    return Timestamp(seconds * _NANOS + (int(fraction.ljust(9, "0")) if fraction else 0))


def _zone(name: Any) -> tzinfo:
    if not isinstance(name, str):
        raise no_overload()
    match = re.fullmatch(r"([+-]?)(\d{2}):(\d{2})", name)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        raise CelError(errors.cel_unknown_time_zone(name)) from None


def _accessor(name: str, on_time: Any, on_duration: Any = None) -> Any:
    def accessor(value: Any, zone: Any = None) -> Any:
        if isinstance(value, Timestamp):
            moment = value.datetime(_zone(zone) if zone is not None else timezone.utc)
            return on_time(moment, value.nanos)
        if isinstance(value, Duration) and on_duration is not None and zone is None:
            return on_duration(value.nanos)
        raise no_overload(name)

    return accessor


def _truncating(nanos: int, unit: int) -> int:
    """Go's integer division of a duration: toward zero."""
    return abs(nanos) // unit * (1 if nanos >= 0 else -1)


ACCESSORS = {
    "getFullYear": _accessor("getFullYear", lambda m, n: m.year),
    "getMonth": _accessor("getMonth", lambda m, n: m.month - 1),
    "getDate": _accessor("getDate", lambda m, n: m.day),
    "getDayOfMonth": _accessor("getDayOfMonth", lambda m, n: m.day - 1),
    "getDayOfWeek": _accessor("getDayOfWeek", lambda m, n: (m.weekday() + 1) % 7),
    "getDayOfYear": _accessor("getDayOfYear", lambda m, n: m.timetuple().tm_yday - 1),
    "getHours": _accessor("getHours", lambda m, n: m.hour, lambda n: _truncating(n, 3600 * _NANOS)),
    "getMinutes": _accessor("getMinutes", lambda m, n: m.minute, lambda n: _truncating(n, 60 * _NANOS)),
    "getSeconds": _accessor("getSeconds", lambda m, n: m.second, lambda n: _truncating(n, _NANOS)),
    "getMilliseconds": _accessor("getMilliseconds", lambda m, n: (n % _NANOS) // 10**6,
                                 lambda n: _truncating(n, 10**6)),
}
