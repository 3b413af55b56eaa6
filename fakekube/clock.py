"""Time as the API shows it: RFC 3339 timestamps to the second, in UTC."""

from __future__ import annotations

import time


def rfc3339(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))
