"""The HTTP service under load: many S1-sized jobs from concurrent clients over loopback.

Three runs of the same jobs (S1, 430 attendees, each with its own seed), in one invocation:

- **baseline**: the solves in a plain process pool of as many workers, no HTTP and no database:
  what the service's throughput is measured against;
- **service**: ``seatalloc serve`` on 127.0.0.1, the jobs submitted by concurrent clients (httpx),
  each polling its job to the end (``?wait=30``: the answer comes when the job ends) and fetching
  the allocation; a full queue's 503 is honoured
  (the client waits Retry-After seconds and submits again), any other refusal is a failure;
- **service, killed halfway**: the same, with the server process killed (SIGKILL) when half the
  jobs are accepted and started again on the same data and port; clients retry while it is down
  and resubmit jobs they find interrupted. No accepted job may be lost.

Every allocation is checked by the independent checker after the run. Every loop is bounded in
count and the whole run by ``--deadline``.

Run from the repository root::

    python -m benchmarks.serve_load                     # 200 S1 jobs, 20 clients, 2 workers
    python -m benchmarks.serve_load --attendees 5000    # the same with larger events
    python -m benchmarks.serve_load --smoke             # 20 jobs, 5 clients
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import httpx

from benchmarks.core_scale import OUT
from benchmarks.service import Server, free_port

ROOT = Path(__file__).resolve().parents[1]
S1 = ROOT / "examples" / "jamlikhetskonferensen-2019.json"
S1_SIZE = 430
#: Seconds a client asks the service to hold a poll until its job ends; seconds between two attempts
#: while the server is down.
WAIT = 30
RETRY = 0.2


def event_text(attendees: int) -> str:
    """S1 itself, or an S1-shaped event of ``attendees``."""
    if attendees == S1_SIZE:
        return S1.read_text(encoding="utf-8")
    from benchmarks.generate import s1

    return json.dumps(s1(attendees))


def _solve_one(text: str, seed: int) -> float:
    """Solve S1 in a pool worker (the baseline); return the seconds it took there."""
    from seatalloc import Event, solve

    started = time.perf_counter()
    solve(Event.model_validate_json(text), seed=seed).to_json(indent=None)
    return time.perf_counter() - started


def baseline(text: str, jobs: int, workers: int) -> dict[str, Any]:
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_solve_one, [text] * workers, range(workers)))  # start and warm every worker
        started = time.perf_counter()
        list(pool.map(_solve_one, [text] * jobs, range(jobs)))
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "per_second": jobs / seconds}


class Load:
    """What the clients of one run saw."""

    def __init__(self, jobs: int, deadline: float):
        self.jobs, self.deadline = jobs, time.monotonic() + deadline
        self.lock = threading.Lock()
        self.accepted: list[str] = []
        self.latency: dict[int, float] = {}
        self.allocations: dict[int, bytes] = {}
        self.full = self.down = self.resubmitted = 0
        self.failures: list[str] = []

    def count(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)

    def left(self) -> bool:
        return time.monotonic() < self.deadline

    def request(self, client: httpx.Client, method: str, url: str, **kwargs: Any) -> httpx.Response | None:
        """A request, retried while the server is down (during a restart) until the deadline."""
        while self.left():
            try:
                return client.request(method, url, **kwargs)
            except httpx.TransportError:
                self.count("down")
                time.sleep(RETRY)
        return None

    def submit(self, client: httpx.Client, body: dict[str, Any]) -> str | None:
        while self.left():
            answer = self.request(client, "POST", "/v1/jobs", json=body)
            if answer is None:
                return None
            if answer.status_code == 503:  # the documented back-pressure: wait as told
                self.count("full")
                time.sleep(float(answer.headers["retry-after"]))
                continue
            if answer.status_code != 202:
                self.failures.append(f"submit: {answer.status_code} {answer.text[:200]}")
                return None
            ident = str(answer.json()["id"])
            with self.lock:
                self.accepted.append(ident)
            return ident
        return None

    def follow(self, client: httpx.Client, ident: str) -> str | None:
        """Poll the job to its end; resubmit it when a restart interrupted it. Return the id of the
        job that finished done, or None."""
        while self.left():
            answer = self.request(client, "GET", f"/v1/jobs/{ident}", params={"wait": WAIT})
            if answer is None:
                return None
            status = answer.json().get("status")
            if status == "done":
                return ident
            if status == "interrupted":
                self.count("resubmitted")
                again = self.request(client, "POST", f"/v1/jobs/{ident}/resubmit")
                if again is None or again.status_code != 202:
                    self.failures.append(f"resubmit {ident}: {again and again.text[:200]}")
                    return None
                ident = str(again.json()["id"])
                with self.lock:
                    self.accepted.append(ident)
                continue
            if status in ("failed", "cancelled") or answer.status_code != 200:
                self.failures.append(f"job {ident}: {answer.status_code} {answer.text[:200]}")
                return None
        return None

    def client(self, base: str, event: dict[str, Any], mine: list[int]) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            for i in mine:
                started = time.perf_counter()
                ident = self.submit(client, {"event": event, "options": {"seed": i}})
                done = None if ident is None else self.follow(client, ident)
                if done is None:
                    continue
                answer = self.request(client, "GET", f"/v1/jobs/{done}/allocation")
                if answer is None or answer.status_code != 200:
                    self.failures.append(f"allocation {done}: {answer and answer.status_code}")
                    continue
                with self.lock:
                    self.latency[i] = time.perf_counter() - started
                    self.allocations[i] = answer.content


def service(
    event: dict[str, Any],
    jobs: int,
    clients: int,
    workers: int,
    max_queue: int,
    *,
    kill: bool,
    deadline: float,
) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        data, port = Path(folder), free_port()
        options = ("--max-queue", str(max_queue))
        servers = [Server(data, *options, workers=workers, port=port)]
        load = Load(jobs, deadline)
        threads = [
            threading.Thread(
                target=load.client, args=(servers[0].client.base_url, event, list(range(k, jobs, clients)))
            )
            for k in range(clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        if kill:
            while len(load.accepted) < jobs // 2 and load.left():
                time.sleep(0.01)
            servers[0].kill()
            servers.append(Server(data, *options, workers=workers, port=port))
        for thread in threads:
            thread.join(max(1.0, load.deadline - time.monotonic()))
        seconds = time.perf_counter() - started
        listed = {
            j["id"]: j["status"] for j in servers[-1].client.get("/v1/jobs", params={"limit": 1000}).json()
        }
        for server in servers:
            server.close()
    lost = [ident for ident in load.accepted if ident not in listed]
    return _figures(load, event, seconds, lost, listed)


def _figures(load: Load, event: dict[str, Any], seconds: float, lost: list[str], listed: dict) -> dict:
    from seatalloc import Allocation, Event, check

    model = Event.model_validate(event)
    valid = sum(check(model, Allocation.model_validate_json(text)).ok for text in load.allocations.values())
    latencies = sorted(load.latency.values())
    return {
        "jobs": load.jobs,
        "completed": len(load.allocations),
        "valid": valid,
        "failures": load.failures,
        "lost": lost,
        "seconds": seconds,
        "per_second": len(load.allocations) / seconds,
        "median": statistics.median(latencies) if latencies else None,
        "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)] if latencies else None,
        "answered_503": load.full,
        "while_down": load.down,
        "resubmitted": load.resubmitted,
        "statuses": {s: list(listed.values()).count(s) for s in sorted(set(listed.values()))},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2: the cores here)")
    parser.add_argument("--max-queue", type=int, default=10, help="jobs that may wait (default 10)")
    parser.add_argument("--deadline", type=float, default=900, help="seconds each run may take at most")
    parser.add_argument(
        "--attendees", type=int, default=S1_SIZE, help="S1 itself (430, default) or S1-shaped of this size"
    )
    parser.add_argument("--smoke", action="store_true", help="20 jobs from 5 clients")
    args = parser.parse_args(argv)
    if args.smoke:
        args.jobs, args.clients = 20, 5
    text = event_text(args.attendees)
    base = baseline(text, args.jobs, args.workers)
    runs = {
        name: service(
            json.loads(text),
            args.jobs,
            args.clients,
            args.workers,
            args.max_queue,
            kill=kill,
            deadline=args.deadline,
        )
        for name, kill in (("service", False), ("service, killed halfway", True))
    }
    print(
        f"{args.jobs} jobs of {args.attendees} attendees, {args.clients} clients, {args.workers} workers, "
        f"a queue of {args.max_queue}"
    )
    print(f"baseline (a process pool, no HTTP): {base['seconds']:.1f} s, {base['per_second']:.1f} jobs/s")
    head = (
        "run",
        "completed",
        "valid",
        "failed",
        "lost",
        "503",
        "resubmitted",
        "median s",
        "p95 s",
        "jobs/s",
    )
    print("| " + " | ".join((*head, "vs pool")) + " |")
    print("|" + " --- |" * (len(head) + 1))
    for name, r in runs.items():
        ratio = r["per_second"] / base["per_second"]
        print(
            f"| {name} | {r['completed']}/{r['jobs']} | {r['valid']} | {len(r['failures'])} "
            f"| {len(r['lost'])} "
            f"| {r['answered_503']} | {r['resubmitted']} | {r['median']:.2f} | {r['p95']:.2f} "
            f"| {r['per_second']:.1f} | {ratio:.2f}x |"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"serve_load_{args.attendees}.json").write_text(
        json.dumps({"baseline": base, "runs": runs}, indent=1)
    )
    ok = all(
        r["completed"] == r["valid"] == r["jobs"] and not r["failures"] and not r["lost"]
        for r in runs.values()
    )
    if not ok:
        for name, r in runs.items():
            print(name, "failures:", r["failures"][:5], "lost:", r["lost"][:5])
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
