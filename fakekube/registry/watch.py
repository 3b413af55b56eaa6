"""Watch streams with kube-apiserver's semantics (the watch cache's ``cacheWatcher``).

A ``WatchStream`` subscribes to the store's change feed for one storage table.  Writers only
append to each watcher's buffer; filtering (selectors, with DELETED/ADDED when an object leaves
or enters the selection), version conversion and encoding happen in the reading coroutine, so a
watcher that does not read never slows writers or other watchers.  Past a bounded buffer the
watcher is closed, as the real server closes slow watchers, and the client resumes from the last
resourceVersion it saw.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import orjson

from fakekube import errors
from fakekube.registry.encoding import encode, to_version
from fakekube.registry.listing import ObjectFilter, current_matches, parse_resource_version
from fakekube.registry.resources import ResourceInfo
from fakekube.storage import ADDED, DELETED, MODIFIED, Event, Store, TooOldError

BOOKMARK = "BOOKMARK"
ERROR = "ERROR"
INITIAL_EVENTS_END = "k8s.io/initial-events-end"


@dataclass
class WatchOptions:
    resource_version: str = ""
    send_initial_events: bool | None = None
    allow_bookmarks: bool = False
    timeout_seconds: float | None = None
    bookmark_interval: float = 60.0
    max_buffer: int = 1000
    alive: Callable[[], bool] | None = None  # False once the client has gone (checked while idle)


ALIVE_CHECK_INTERVAL = 1.0  # seconds between checks that an idle watch's client is still there
FINAL_BOOKMARK_LEAD = 2.0  # kube-apiserver sends a last bookmark this long before a watch times out


def _nothing() -> None:
    pass


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def event_line(event_type: str, obj: bytes) -> bytes:
    return b'{"type":"' + event_type.encode() + b'","object":' + obj + b"}\n"


class WatchStream:
    """One client's watch: initial events, then live changes, ending on timeout, overflow or close."""

    def __init__(self, store: Store, res: ResourceInfo, namespace: str | None, flt: ObjectFilter,
                 opts: WatchOptions):
        self.store = store
        self.res = res
        self.namespace = namespace if res.namespaced and namespace else None
        self.filter = flt
        self.opts = opts
        self._pending: deque[tuple[str, bytes]] = deque()  # ready-to-send (type, object bytes)
        self._live: deque[Event] = deque()
        # A bare future per wait, not asyncio.wait_for (which makes a task each time): with a thousand
        # watchers, every event wakes a thousand readers, and that per-wake cost is the fan-out latency.
        self._waiter: asyncio.Future[None] | None = None
        self._closed = False
        self._unsubscribe: Callable[[], None] = _nothing
        self._last_revision = 0
        self._after = 0  # events at or below this revision are not sent (a watch from a future revision)

    # --- setup (synchronous, so no write can slip between the snapshot and the subscription) ---

    def start(self) -> None:
        store = self.store
        opts = self.opts
        rv = opts.resource_version
        requested = parse_resource_version(rv, watch=True) if rv else 0
        initial = opts.send_initial_events if opts.send_initial_events is not None else requested == 0
        self._last_revision = store.revision
        if initial:  # the current state as synthetic ADDED events, then live
            self._pending.extend((ADDED, data) for data in current_matches(self.store, self.res, self.namespace,
                                                                         self.filter))
            if opts.send_initial_events and opts.allow_bookmarks:
                self._pending.append((BOOKMARK, self._bookmark(initial_end=True)))
        elif requested > store.revision:
            # Not there yet: kube-apiserver keeps the stream open and sends what comes after it.
            self._after = requested
        elif requested > 0:  # every change after the given revision, from the history window
            try:
                self._live.extend(store.history_since(requested, self.res.storage_key))
            except TooOldError as exc:
                self._pending.append((ERROR, orjson.dumps(errors.resource_expired(str(exc)).to_dict())))
                self._closed = True
                return
        # resourceVersion "0" without initial events: from now on, nothing replayed.
        self._unsubscribe = store.subscribe(self.res.storage_key, self._on_event)

    def _on_event(self, event: Event) -> None:
        if self._closed:
            return
        if len(self._live) >= self.opts.max_buffer:
            self._closed = True
            self._unsubscribe()
        else:
            self._live.append(event)
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def close(self) -> None:
        self._closed = True
        self._unsubscribe()
        self._wake()

    # --- reading -------------------------------------------------------------------------------

    def _bookmark(self, initial_end: bool = False) -> bytes:
        meta: dict[str, Any] = {"resourceVersion": str(self._last_revision)}
        if initial_end:
            meta["annotations"] = {INITIAL_EVENTS_END: "true"}
        return orjson.dumps({"kind": self.res.kind, "apiVersion": self.res.api_version, "metadata": meta})

    def _translate(self, event: Event) -> tuple[str, bytes] | None:
        """Apply namespace and selector filtering; objects leaving the selection become DELETED."""
        self._last_revision = event.revision
        if event.revision <= self._after:
            return None
        if self.namespace is not None and event.key[0] != self.namespace:
            return None
        if self.filter.empty:
            return event.type, encode(self.res, event.data)
        new_ok = self.filter.matches(to_version(self.res, event.obj()))
        prev = event.prev_obj()
        old_ok = prev is not None and self.filter.matches(to_version(self.res, prev))
        if event.type == DELETED:
            return (DELETED, encode(self.res, event.data)) if old_ok else None
        if new_ok and old_ok:
            return MODIFIED if event.type == MODIFIED else ADDED, encode(self.res, event.data)
        if new_ok:
            return ADDED, encode(self.res, event.data)
        if old_ok and prev is not None:
            last = dict(prev)
            last["metadata"] = dict(prev["metadata"], resourceVersion=str(event.revision))
            return DELETED, orjson.dumps(to_version(self.res, last))
        return None

    async def lines(self) -> AsyncIterator[bytes]:
        """Newline-delimited watch events, as written on the wire."""
        loop = asyncio.get_running_loop()
        opts = self.opts
        deadline = loop.time() + opts.timeout_seconds if opts.timeout_seconds else None
        next_bookmark = loop.time() + opts.bookmark_interval
        final_bookmark = deadline - FINAL_BOOKMARK_LEAD if deadline is not None else None
        try:
            while True:
                while self._pending:
                    event_type, data = self._pending.popleft()
                    yield event_line(event_type, data)
                while self._live:
                    event = self._live.popleft()
                    try:
                        translated = self._translate(event)
                    except errors.StatusError as exc:  # a failed conversion ends the watch (etcd3's watcher)
                        yield event_line(ERROR, orjson.dumps(errors.internal_error(exc.message).to_dict()))
                        return
                    if translated is None:
                        continue
                    if translated[1] is event.data and translated[0] == event.type:  # sent as stored: share it
                        if event.line is None:
                            event.line = event_line(event.type, event.data)
                        yield event.line
                    else:
                        yield event_line(*translated)
                if self._closed and not self._live:
                    return
                now = loop.time()
                if deadline is not None and now >= deadline:
                    return
                if opts.alive is not None and not opts.alive():
                    return
                due = next_bookmark if final_bookmark is None else min(next_bookmark, final_bookmark)
                if opts.allow_bookmarks and now >= due:
                    self._last_revision = max(self._last_revision, self.store.revision)
                    yield event_line(BOOKMARK, self._bookmark())
                    next_bookmark = now + opts.bookmark_interval
                    if final_bookmark is not None and now >= final_bookmark:
                        final_bookmark = None
                    continue
                wakes = [deadline] if deadline is not None else []
                if opts.allow_bookmarks:
                    wakes.append(due)
                if opts.alive is not None:
                    wakes.append(now + ALIVE_CHECK_INTERVAL)
                wait = max(0.0, min(wakes) - now) if wakes else None
                if self._live or self._closed:
                    continue
                waiter = self._waiter = loop.create_future()
                timer = loop.call_later(wait, _resolve, waiter) if wait is not None else None
                try:
                    await waiter
                finally:
                    self._waiter = None
                    if timer is not None:
                        timer.cancel()
        finally:
            self.close()
