"""Controllers: per-cluster background loops that act on what is stored, through the registry.

A controller is fed by the store's change feed (in revision order), keeps a queue of work, and
writes through the registry's write pipeline with its own identity, never over HTTP.  The
``ControllerManager`` of a cluster runs them on the cluster's event loop whenever work arrives, and
``settle`` runs every controller until no work is left, so a test can step a cluster
deterministically.  Work that waits for a time (a pod's grace period) is due on the cluster's clock:
such a controller has ``next_deadline()``, and the manager wakes it then, or when a ``FakeClock``
is moved.  They stop with the cluster.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from typing import Protocol

from fakekube.errors import StatusError
from fakekube.storage import Store

LOG = logging.getLogger("fakekube.controllers")

MIN_WAKE = 0.01  # seconds: the shortest timer set for a deadline (no busy loop on a clock that stands still)


class Controller(Protocol):
    name: str

    def start(self, store: Store, notify: Callable[[], None]) -> None:
        """Subscribe to the changes the controller acts on; call ``notify`` when work arrives."""

    def has_work(self) -> bool: ...

    def process_one(self) -> None:
        """Do one item of work (a write through the registry, typically)."""


MAX_STEPS = 100_000  # a controller that never runs out of work is a bug; stop rather than spin forever


class ControllerManager:
    """The controllers of one cluster, run on its event loop, or stepped by ``settle``."""

    def __init__(self, store: Store, controllers: Iterable[Controller],
                 clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.controllers = list(controllers)
        self.clock = clock
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scheduled = False
        self._timer: asyncio.TimerHandle | None = None
        for controller in self.controllers:
            controller.start(store, self._notify)

    def _notify(self) -> None:
        """Work arrived: run the controllers soon on the serving loop (after the write that caused it)."""
        if self._loop is not None and not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self._run_scheduled)

    def _run_scheduled(self) -> None:
        self._scheduled = False
        self.settle()
        self._set_timer()

    def _set_timer(self) -> None:
        """Wake up when the earliest deadline of any controller is due on the cluster's clock."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        deadlines = [d for c in self.controllers if (d := _next_deadline(c)) is not None]
        if self._loop is not None and deadlines:
            delay = max(min(deadlines) - self.clock(), MIN_WAKE)
            self._timer = self._loop.call_later(delay, self._notify)

    def wake(self) -> None:
        """Look for due work now (from any thread): the clock was moved."""
        loop = self._loop
        if loop is not None:
            loop.call_soon_threadsafe(self._notify)

    def settle(self) -> int:
        """Run every controller until none has work left; returns how many items were processed.  An item
        the API server refuses (a controller deleting what may not be deleted) is logged and dropped, as
        kube-controller-manager logs it; the other items go on."""
        steps = 0
        while True:
            busy = [c for c in self.controllers if c.has_work()]
            if not busy:
                return steps
            for controller in busy:
                try:
                    controller.process_one()
                except StatusError as exc:  # the API refused a write: logged, and the other work goes on
                    LOG.warning("controller %s: %s", controller.name, exc)
                steps += 1
                if steps >= MAX_STEPS:
                    raise RuntimeError(f"controllers did not settle after {MAX_STEPS} steps")

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Serve from ``loop``: pending work runs there now, new work as it arrives."""
        self._loop = loop
        if any(c.has_work() for c in self.controllers):
            self._notify()
        self._set_timer()

    def detach(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._loop = None
        self._scheduled = False


def _next_deadline(controller: Controller) -> float | None:
    deadline: Callable[[], float | None] | None = getattr(controller, "next_deadline", None)
    return deadline() if deadline is not None else None
