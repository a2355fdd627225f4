"""The service's guards and durability: the token, the request size, a full queue, and a restart
after the server process is killed mid-job."""

from __future__ import annotations

import contextlib
import os
import signal
from pathlib import Path

import httpx
import pytest

from seatalloc import Allocation, Event, check


def test_the_token_the_request_size_and_a_full_queue_are_answered(serve, tmp_path, s1, long_job) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"  # a database URL, as for PostgreSQL
    options = ("--database", url, "--token", "s3cret", "--max-request-mb", "1", "--max-queue", "1")
    server = serve(None, *options, token="s3cret")
    assert (tmp_path / "elsewhere.db").exists() and not (tmp_path / "jobs.sqlite3").exists()
    with httpx.Client(base_url=server.client.base_url, timeout=60) as anonymous:
        assert anonymous.get("/v1/health").status_code == 200
        refused = anonymous.get("/v1/jobs")
        assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
        wrong = anonymous.post("/v1/jobs", json={"event": s1}, headers={"Authorization": "Bearer s3cre"})
        assert wrong.status_code == 401
    assert server.client.get("/v1/jobs").status_code == 200

    too_large = server.client.post("/v1/jobs", content=b"{" + b" " * 2**21 + b"}")
    assert too_large.status_code == 413 and "larger than" in too_large.json()["message"]

    def streamed():  # no Content-Length: counted as it comes
        yield b'{"event": '
        for _ in range(40):
            yield b" " * 2**16

    assert server.client.post("/v1/validate", content=streamed()).status_code == 413

    running = server.submit(long_job["event"], **long_job["options"])
    server.wait(running, lambda job: job["status"] == "running")
    waiting = server.submit(s1)
    full = server.client.post("/v1/jobs", json={"event": s1})
    assert full.status_code == 503 and int(full.headers["retry-after"]) >= 1
    assert "queue is full" in full.json()["message"]
    assert server.client.post("/v1/solve", json={"event": s1}).status_code == 503
    server.client.delete(f"/v1/jobs/{running}")
    assert server.wait(waiting)["status"] == "done"  # the queue moves on after the cancel
    assert server.job(running)["status"] == "cancelled"


def test_a_killed_server_loses_no_job_and_no_result(serve, tmp_path, s1, long_job) -> None:
    first = serve(tmp_path)
    done = first.submit(s1)
    assert first.wait(done)["status"] == "done"
    published = first.client.get(f"/v1/jobs/{done}/allocation").content
    running = first.submit(long_job["event"], **long_job["options"])
    first.wait(running, lambda job: (job["progress"] or {}).get("best") is not None)
    waiting = first.submit(s1, seed=2)
    assert first.job(waiting)["status"] == "queued"
    first.kill()  # SIGKILL: no shutdown at all

    second = serve(tmp_path)
    assert second.client.get(f"/v1/jobs/{done}/allocation").content == published
    job = second.wait(running, lambda job: job["status"] == "interrupted" and job["result"] is not None)
    assert job["result"]["status"] == "feasible"
    stored = Allocation.model_validate_json(second.client.get(f"/v1/jobs/{running}/allocation").content)
    assert check(Event.model_validate(long_job["event"]), stored).ok
    assert second.wait(waiting)["status"] == "done"  # the queued job ran after the restart

    again = second.client.post(f"/v1/jobs/{running}/resubmit")
    assert again.status_code == 202
    resubmitted = again.json()["id"]
    second.wait(resubmitted, lambda job: (job["progress"] or {}).get("best") is not None)
    second.client.delete(f"/v1/jobs/{resubmitted}")
    assert second.wait(resubmitted)["status"] == "cancelled"
    statuses = {j["id"]: j["status"] for j in second.client.get("/v1/jobs").json()}
    assert statuses == {done: "done", running: "interrupted", waiting: "done", resubmitted: "cancelled"}


def _workers(pid: int) -> list[int]:
    """The worker processes of the server ``pid`` (its spawned children, not the resource tracker)."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
            if parent == pid and b"spawn_main" in command and b"resource_tracker" not in command:
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds the worker processes in /proc")
def test_a_worker_that_dies_is_replaced_and_its_job_marked_interrupted(serve, s1, long_job) -> None:
    server = serve()
    running = server.submit(long_job["event"], **long_job["options"])
    server.wait(running, lambda job: job["status"] == "running")
    (worker,) = _workers(server.process.pid)
    os.kill(worker, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    job = server.wait(running)
    assert job["status"] == "interrupted" and job["result"] is None
    assert server.client.get(f"/v1/jobs/{running}/allocation").status_code == 409
    assert server.wait(server.submit(s1))["status"] == "done"  # a new worker took over
    assert server.client.get("/v1/health").json()["workers"] == 1


def test_a_stopped_server_stores_each_running_jobs_best_allocation(serve, tmp_path, long_job) -> None:
    first = serve(tmp_path)
    running = first.submit(long_job["event"], **long_job["options"])
    first.wait(running, lambda job: (job["progress"] or {}).get("best") is not None)
    first.process.send_signal(signal.SIGINT)  # Ctrl-C, as SIGTERM from a service manager
    assert first.process.wait(120) == 0, first.log()
    job = serve(tmp_path).job(running)
    assert job["status"] == "interrupted" and job["result"]["status"] == "feasible"
    assert job["message"].startswith("the service stopped while it ran")
