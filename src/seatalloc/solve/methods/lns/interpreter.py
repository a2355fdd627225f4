"""Another Python interpreter that answers requests one after another, by pickle over pipes.

The large-neighbourhood method hands work to another process where it must
not share one with OR-Tools (scipy's HiGHS: the two bundle HiGHS libraries
that clash) or should run beside the search on the second core (the LP
bound: PDLP holds the interpreter's lock while it iterates). The child's
code is :data:`ANSWERS`, then a definition of ``answer(request)``, then
:data:`SERVE`: it answers on its own copy of stdout, and anything else it
prints goes to stderr, which is discarded.
"""

from __future__ import annotations

import contextlib
import math
import pickle
import subprocess
import sys
import threading

#: The child's first lines: its answers go to a copy of stdout; stdout itself becomes stderr.
ANSWERS = """
import os, pickle, sys
answers = os.fdopen(os.dup(1), "wb")
os.dup2(2, 1)
"""
#: The child's last lines: answer each request until the pipe closes.
SERVE = """
while True:
    try:
        request = pickle.load(sys.stdin.buffer)
    except EOFError:
        break
    pickle.dump(answer(request), answers, protocol=pickle.HIGHEST_PROTOCOL)
    answers.flush()
"""


class Interpreter:
    """A child interpreter running ``code``, started on first use; use it as a context manager
    (or :meth:`close` it): its process ends with it."""

    def __init__(self, code: str) -> None:
        self.code = code
        self._process: subprocess.Popen[bytes] | None = None
        self._reader: threading.Thread | None = None
        self._writer: threading.Thread | None = None
        self._answer: list[object] = []

    def __enter__(self) -> Interpreter:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """End the child process (a later request starts a new one)."""
        process, self._process = self._process, None
        if process is not None:
            process.kill()
            process.wait()
        for thread in (self._reader, self._writer):
            if thread is not None:
                thread.join()  # it ends with the process (the pipe's other end is closed)
        self._reader = self._writer = None
        if process is not None:
            for pipe in (process.stdin, process.stdout):
                if pipe is not None:
                    with contextlib.suppress(OSError):  # (a request's unsent bytes: nobody reads them)
                        pipe.close()

    def send(self, request: object) -> None:
        """Send ``request`` and return at once: it is written by a thread of its own (the child
        reads it only once it has started, and a large request fills the pipe: the search waited
        1.6 s for it on a catalogue of 100,000; the request must not change meanwhile), and its answer
        is read meanwhile, for :meth:`receive`."""
        if self._process is None:
            self._process = subprocess.Popen(
                [sys.executable, "-c", self.code],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        answer: list[object] = []
        self._answer = answer

        def read() -> None:
            with contextlib.suppress(pickle.UnpicklingError, EOFError, ValueError, OSError):
                answer.append(pickle.load(process.stdout))  # type: ignore[arg-type]

        def write() -> None:
            with contextlib.suppress(OSError, ValueError):  # the child died or was ended: no answer
                pickle.dump(request, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)  # type: ignore[arg-type]
                process.stdin.flush()  # type: ignore[union-attr]

        if self._writer is not None:
            self._writer.join()  # (requests go one after another)
        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        self._writer = threading.Thread(target=write, daemon=True)
        self._writer.start()

    def answered(self) -> bool:
        """Whether the answer to the request sent has come (or the child ended)."""
        return self._reader is not None and not self._reader.is_alive()

    def receive(self, seconds: float) -> object | None:
        """Return the answer to the request sent, waiting at most ``seconds``; None when none
        came (the child is then ended) or it was not a pickled answer."""
        if self._reader is None:
            return None
        self._reader.join(seconds if math.isfinite(seconds) else None)
        if self._reader.is_alive() or not self._answer:
            self.close()
            return None
        self._reader = None
        return self._answer[0]

    def ask(self, request: object, seconds: float) -> object | None:
        """Send ``request`` and return its answer (see :meth:`receive`)."""
        self.send(request)
        return self.receive(seconds)
