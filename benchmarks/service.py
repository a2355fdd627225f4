"""A real ``seatalloc serve`` process on a loopback port and a real HTTP client (httpx) to it, for
the tests and the load benchmark. Every loop is bounded in count: a caller that waits on the
service fails with the server's log instead of hanging."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

FINAL = ("done", "failed", "cancelled", "interrupted")
#: Looks at the service before a caller gives up (0.1 s apart: at most 20 minutes on a slow machine).
TRIES = 12_000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``seatalloc serve`` on 127.0.0.1 with its job database in ``data``."""

    def __init__(
        self, data: Path, *options: str, token: str | None = None, workers: int = 1, port: int | None = None
    ):
        self.data, self.options, self.token = data, options, token
        self.logfile = data / f"server-{time.monotonic_ns()}.log"
        self.port = port or free_port()
        command = [sys.executable, "-m", "seatalloc.cli.main", "serve", "--port", str(self.port)]
        command += ["--data", str(data), "--workers", str(workers), *options]
        env = {k: v for k, v in os.environ.items() if k != "SEATALLOC_TOKEN"}
        with self.logfile.open("wb") as log:  # the server and its workers write here
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True
            )
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=60, headers=headers)
        for _ in range(TRIES):
            if self.process.poll() is not None:
                raise AssertionError(f"the server stopped:\n{self.log()}")
            with contextlib.suppress(httpx.TransportError):
                if self.client.get("/v1/health").status_code == 200:
                    return
            time.sleep(0.1)
        raise AssertionError(f"the server did not start:\n{self.log()}")

    def log(self) -> str:
        return self.logfile.read_text(encoding="utf-8", errors="replace")

    def submit(self, event: dict[str, Any], **options: Any) -> str:
        answer = self.client.post("/v1/jobs", json={"event": event, "options": options})
        assert answer.status_code == 202, answer.text
        return str(answer.json()["id"])

    def job(self, ident: str) -> dict[str, Any]:
        answer = self.client.get(f"/v1/jobs/{ident}")
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    def wait(self, ident: str, until: Any = lambda job: job["status"] in FINAL) -> dict[str, Any]:
        """Poll the job until ``until(job)`` holds; return it."""
        for _ in range(TRIES):
            job = self.job(ident)
            if until(job):
                return job
            time.sleep(0.1)
        raise AssertionError(f"job {ident} stayed {job}:\n{self.log()}")

    def kill(self) -> None:
        """Kill the server process at once (SIGKILL): its workers see it gone."""
        self.process.kill()
        self.process.wait(60)
        self.client.close()

    def close(self) -> None:
        """Stop the server as Ctrl-C does, then end anything left of its process group."""
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(60)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(60)
