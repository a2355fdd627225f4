"""Requests waiting for jobs to end: woken when a worker says it finished one (long polling)."""

from __future__ import annotations

import asyncio
import contextlib


class Waiters:
    """One :class:`asyncio.Event` per job some request waits on, set when the job ends."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.events: dict[str, asyncio.Event] = {}

    def register(self, ident: str) -> asyncio.Event:
        """The event set when job ``ident`` ends (register before looking at the job: no end is missed)."""
        return self.events.setdefault(ident, asyncio.Event())

    def heard(self, ident: str) -> None:
        """A worker finished job ``ident`` (called from any thread)."""
        self.loop.call_soon_threadsafe(self._wake, ident)

    def _wake(self, ident: str) -> None:
        event = self.events.pop(ident, None)
        if event is not None:
            event.set()

    @staticmethod
    async def wait(event: asyncio.Event, seconds: float) -> None:
        """Wait until ``event`` is set or ``seconds`` pass."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)
