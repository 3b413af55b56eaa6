"""Controllers: per-cluster background loops that act on what is stored, through the registry.

A controller is fed by the store's change feed (in revision order), keeps a queue of work, and
writes through the registry's write pipeline with its own identity, never over HTTP.  The
``ControllerManager`` of a cluster runs them on the cluster's event loop whenever work arrives, and
``settle`` runs every controller until no work is left, so a test can step a cluster
deterministically.  They stop with the cluster.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Protocol

from fakekube.storage import Store


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

    def __init__(self, store: Store, controllers: Iterable[Controller]) -> None:
        self.store = store
        self.controllers = list(controllers)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._scheduled = False
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

    def settle(self) -> int:
        """Run every controller until none has work left; returns how many items were processed."""
        steps = 0
        while True:
            busy = [c for c in self.controllers if c.has_work()]
            if not busy:
                return steps
            for controller in busy:
                controller.process_one()
                steps += 1
                if steps >= MAX_STEPS:
                    raise RuntimeError(f"controllers did not settle after {MAX_STEPS} steps")

    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Serve from ``loop``: pending work runs there now, new work as it arrives."""
        self._loop = loop
        if any(c.has_work() for c in self.controllers):
            self._notify()

    def detach(self) -> None:
        self._loop = None
        self._scheduled = False
