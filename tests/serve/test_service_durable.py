"""The service's guards and durability: the token, the request size, a full queue, and a restart
after the server process is killed mid-job."""

from __future__ import annotations

import httpx

from seatalloc import Allocation, Event, check


def test_the_token_the_request_size_and_a_full_queue_are_answered(serve, s1, long_job) -> None:
    server = serve(None, "--token", "s3cret", "--max-request-mb", "1", "--max-queue", "1", token="s3cret")
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
