"""A CronJob's schedule, checked as ``cron.ParseStandard`` (github.com/robfig/cron/v3) checks it.

kube-apiserver puts the parser's error text verbatim into the ``spec.schedule`` error
(``validateScheduleFormat``), so clients see robfig/cron's wording: ``expected exactly 5 fields, found 4:
[* * * *]``, ``end of range (60) above maximum (59): 60``.  The standard parser takes five fields (minute,
hour, day of month, month, day of week), the ``@`` descriptors, and an optional leading ``TZ=`` /
``CRON_TZ=`` location.  Only the errors matter here: nothing computes the next run.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import NamedTuple

from fakekube.errors import workload_validation as wl


class _Bounds(NamedTuple):
    low: int
    high: int
    names: dict[str, int]


_MONTHS = {
    name: i + 1
    for i, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))
}
_DAYS = {name: i for i, name in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
# minute, hour, day of month, month, day of week (the standard parser's fields; seconds are fixed at 0)
_FIELDS = (_Bounds(0, 59, {}), _Bounds(0, 23, {}), _Bounds(1, 31, {}), _Bounds(1, 12, _MONTHS), _Bounds(0, 6, _DAYS))
_DESCRIPTORS = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
_ATOI = re.compile(r"[+-]?[0-9]+")
_DURATION = re.compile(r"[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+|[-+]?0")
_INT64_LIMIT = 1 << 63


class ScheduleError(Exception):
    """robfig/cron's parse error; ``str()`` is its text."""


def _atoi(text: str) -> int:
    """``strconv.Atoi`` as ``mustParseInt`` uses it (a 64-bit int; the sign allowed, negatives refused)."""
    if not _ATOI.fullmatch(text):
        raise ScheduleError(wl.cron_int_syntax(text))
    number = int(text)
    if not -_INT64_LIMIT <= number < _INT64_LIMIT:
        raise ScheduleError(wl.cron_int_range(text))
    if number < 0:
        raise ScheduleError(wl.cron_negative(number, text))
    return number


def _int_or_name(text: str, bounds: _Bounds) -> int:
    named = bounds.names.get(text.lower())
    return named if named is not None else _atoi(text)


def _check_range(expr: str, bounds: _Bounds) -> None:
    """One comma-separated part of a field: ``*``, ``?``, ``N``, ``N-M``, each with an optional ``/step``."""
    range_and_step = expr.split("/")
    low_high = range_and_step[0].split("-")
    if low_high[0] in ("*", "?"):
        start, end = bounds.low, bounds.high
    else:
        start = _int_or_name(low_high[0], bounds)
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = _int_or_name(low_high[1], bounds)
        else:
            raise ScheduleError(wl.cron_too_many_hyphens(expr))
    step = 1
    if len(range_and_step) == 2:
        step = _atoi(range_and_step[1])
        if len(low_high) == 1:  # "N/step" runs from N to the maximum
            end = bounds.high
    elif len(range_and_step) > 2:
        raise ScheduleError(wl.cron_too_many_slashes(expr))
    if start < bounds.low:
        raise ScheduleError(wl.cron_below_minimum(start, bounds.low, expr))
    if end > bounds.high:
        raise ScheduleError(wl.cron_above_maximum(end, bounds.high, expr))
    if start > end:
        raise ScheduleError(wl.cron_start_after_end(start, end, expr))
    if step == 0:
        raise ScheduleError(wl.cron_zero_step(expr))


def _check_descriptor(spec: str) -> None:
    if spec in _DESCRIPTORS:
        return
    if spec.startswith("@every "):
        duration = spec[len("@every ") :]
        if not _DURATION.fullmatch(duration):
            raise ScheduleError(wl.cron_bad_duration(spec, duration))
        return
    raise ScheduleError(wl.cron_unknown_descriptor(spec))


def load_location_error(name: str) -> str | None:
    """``time.LoadLocation``'s error for ``name`` (None when the IANA database knows it).  Needs the system's
    zoneinfo or the ``tzdata`` package; without either every zone but UTC is unknown."""
    if name in ("", "UTC"):
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return wl.unknown_time_zone(name)
    return None


def parse_standard(spec: str) -> None:
    """Raise ``ScheduleError`` where ``cron.ParseStandard(spec)`` returns an error."""
    if not spec:
        raise ScheduleError(wl.CRON_EMPTY_SPEC)
    if spec.startswith(("TZ=", "CRON_TZ=")):
        space = spec.find(" ")
        if space < 0:  # robfig/cron slices up to the space it does not find; report the location as given
            space = len(spec)
        location = spec[spec.index("=") + 1 : space]
        problem = load_location_error(location)
        if problem is not None:
            raise ScheduleError(wl.cron_bad_location(location, problem))
        spec = spec[space:].strip()
    if spec.startswith("@"):
        _check_descriptor(spec)
        return
    fields = spec.split()
    if len(fields) != len(_FIELDS):
        raise ScheduleError(wl.cron_field_count(len(_FIELDS), fields))
    for text, bounds in zip(fields, _FIELDS, strict=True):
        for expr in (part for part in text.split(",") if part):
            _check_range(expr, bounds)


def schedule_error(spec: str) -> str | None:
    """The parser's error text for ``spec``, or None."""
    try:
        parse_standard(spec)
    except ScheduleError as problem:
        return str(problem)
    return None
