"""A bounded pool of worker processes: solves never run in the request handler.

The service holds one end of a pipe and every worker the other: closing it
(at shutdown), or the service dying, tells each worker to stop its job with
the best allocation found. Workers say which jobs they finished on a queue the
service listens to, so a client waiting on a job hears of its end at once. A
worker that dies (killed, out of memory) is replaced, and the job it ran is
marked interrupted.
"""

from __future__ import annotations

import multiprocessing
import threading
from collections.abc import Callable
from multiprocessing.process import BaseProcess

from seatalloc.serve import worker
from seatalloc.serve.store import JobStore


class Pool:
    """``size`` worker processes running the jobs of the store at ``url``."""

    def __init__(self, url: str, size: int):
        self.url, self.size = url, size
        self.context = multiprocessing.get_context("spawn")  # no forked copy of the server's threads
        self.wake = self.context.Semaphore(0)
        self.reader, self.writer = self.context.Pipe(duplex=False)
        self.finished = self.context.SimpleQueue()  # ids of the jobs workers finished; None: stop
        self.processes: list[BaseProcess] = []

    def start(self, queued: int) -> None:
        """Start the workers; wake them for the ``queued`` jobs already waiting."""
        self.processes = [self._spawn(i) for i in range(self.size)]
        for _ in range(min(queued, self.size)):
            self.wake.release()

    def _spawn(self, index: int) -> BaseProcess:
        process = self.context.Process(
            target=worker.main,
            args=(self.url, self.wake, self.reader, self.finished),
            name=f"seatalloc-worker-{index}",
        )
        process.start()
        return process

    def notify(self) -> None:
        """A job was queued: wake one idle worker."""
        self.wake.release()

    def alive(self) -> int:
        return sum(p.is_alive() for p in self.processes)

    def revive(self, store: JobStore) -> int:
        """Replace dead workers; mark the jobs they ran interrupted. Return how many were replaced."""
        dead = [i for i, p in enumerate(self.processes) if not p.is_alive()]
        if dead:
            store.interrupt([worker.owner_prefix(self.processes[i].pid) for i in dead])
            for i in dead:
                self.processes[i] = self._spawn(i)
        return len(dead)

    def listen(self, heard: Callable[[str], None]) -> threading.Thread:
        """Call ``heard(job id)`` (in a thread) for every job a worker finishes, until :meth:`stop`."""

        def listening() -> None:
            while (ident := self.finished.get()) is not None:
                heard(ident)

        thread = threading.Thread(target=listening, name="seatalloc-finished", daemon=True)
        thread.start()
        return thread

    def stop(self, timeout: float) -> None:
        """Tell the workers to stop (their jobs keep the best allocation found); wait up to
        ``timeout`` seconds, then end those still running; end the listener."""
        self.writer.close()
        for process in self.processes:
            process.join(timeout)
        for process in self.processes:
            if process.is_alive():
                process.terminate()
                process.join(5)
        self.finished.put(None)
