"""Time as the API shows it (RFC 3339 timestamps to the second, in UTC), and a clock a test can move.

A cluster reads the time from its ``clock`` setting: creation and deletion timestamps, ages in tables,
history expiry, and the deadlines of its controllers (a pod's grace period).  ``FakeClock`` is that
setting for tests that move time instead of waiting for it.
"""

from __future__ import annotations

import calendar
import threading
import time
from collections.abc import Callable

# The last second a timestamp can show (Go's ``Time.MarshalJSON`` has four-digit years); later times, such as
# a deletion a grace period of 2^62 seconds away, are shown as it.
LATEST = 253402300799.0  # 9999-12-31T23:59:59Z


def rfc3339(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(min(max(ts, 0.0), LATEST)))


def parse_rfc3339(text: str) -> float | None:
    """The seconds since the epoch of a ``YYYY-MM-DDTHH:MM:SSZ`` timestamp (None if it is not one)."""
    try:
        return float(calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ")))
    except (ValueError, TypeError, OverflowError):
        return None


class FakeClock:
    """A clock that stands still until a test moves it: ``FakeCluster(clock=FakeClock())``.

    ``advance(30)`` moves it on and wakes the controllers of every cluster that reads it, so a pod whose
    grace period has run out is removed without anyone waiting 30 seconds (call ``cluster.settle()``
    to be sure the work is done before the next step).
    """

    def __init__(self, start: float | None = None) -> None:
        self._now = time.time() if start is None else float(start)
        self._lock = threading.Lock()
        self._listeners: list[Callable[[], None]] = []

    def __call__(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock ``seconds`` on (never back); returns the new time."""
        if seconds < 0:
            raise ValueError("a clock only moves forward")
        with self._lock:
            self._now += seconds
            listeners = list(self._listeners)
        for listener in listeners:
            listener()
        return self._now

    def on_advance(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` after every ``advance`` (from the thread that advanced); returns the unsubscribe."""
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove
