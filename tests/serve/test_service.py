"""The HTTP service, over a real socket: jobs submitted, polled, fetched, cancelled and resubmitted;
bad input of each class refused with the command line's problems."""

from __future__ import annotations

import copy
import io
import json

import openpyxl
import pytest

from helpers import event_dict, queue_event
from seatalloc import Allocation, Event, InputError, check, solve
from seatalloc.check.responses import check_round
from seatalloc.cli.main import main
from seatalloc.schema.responses import Responses

PERSONAL = ("Ingrid Secretsdottir", "ingrid@example.org", "hearing-loop-xyz", "vegan-qqq")


def test_a_job_is_solved_and_its_results_fetched(server, s1) -> None:
    answer = server.client.post("/v1/jobs", json={"event": s1, "options": {"seed": 3}})
    assert answer.status_code == 202, answer.text
    ident = answer.json()["id"]
    assert answer.headers["location"] == f"/v1/jobs/{ident}"
    job = server.wait(ident)
    assert job["status"] == "done", job
    assert job["result"]["status"] == "optimal" and job["result"]["objective"] == job["result"]["bound"]

    fetched = server.client.get(f"/v1/jobs/{ident}/allocation")
    assert fetched.headers["content-type"] == "application/json"
    allocation = Allocation.model_validate_json(fetched.content)
    event = Event.model_validate(s1)
    assert check(event, allocation).ok
    # the allocation the command line writes for the same event and seed
    assert allocation.to_json(timings=False) == solve(event, seed=3).to_json(timings=False)

    report = server.client.get(f"/v1/jobs/{ident}/report")
    assert report.headers["content-type"].startswith("text/html") and "<!doctype html>" in report.text
    workbook = openpyxl.load_workbook(io.BytesIO(server.client.get(f"/v1/jobs/{ident}/rosters").content))
    assert len(workbook.sheetnames) > 3
    csv = server.client.get(f"/v1/jobs/{ident}/rosters", params={"format": "csv", "by": "attendee"})
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.count("\n") >= len(s1["attendees"])
    audit = server.client.get(f"/v1/jobs/{ident}/audit").json()
    assert sum(audit["profile"].values()) == len(s1["attendees"]) * len(s1["passes"])
    first = s1["attendees"][0]["id"]
    (why,) = server.client.get(f"/v1/jobs/{ident}/explanations", params={"attendee": first}).json()
    assert why["attendee"] == first
    assert len(server.client.get(f"/v1/jobs/{ident}/explanations").json()) == len(s1["attendees"])
    assert ident in {j["id"] for j in server.client.get("/v1/jobs", params={"status": "done"}).json()}


def test_a_published_allocation_is_re_solved_after_a_cancellation(server, s1) -> None:
    published = server.submit(s1)
    assert server.wait(published)["status"] == "done"
    now = copy.deepcopy(s1)
    gone = now["attendees"].pop(0)["id"]
    answer = server.client.post(
        f"/v1/jobs/{published}/resolve", json={"event": now, "options": {"max_moves": 10, "work_limit": 5}}
    )
    assert answer.status_code == 202, answer.text
    job = server.wait(answer.json()["id"])
    assert job["status"] == "done" and job["kind"] == "resolve" and job["source"] == published
    allocation = Allocation.model_validate_json(server.client.get(f"/v1/jobs/{job['id']}/allocation").content)
    assert check(Event.model_validate(now), allocation).ok
    assert gone not in {a.attendee for a in allocation.assignments}
    assert len(allocation.moves) <= 10


def test_a_poll_may_wait_for_the_jobs_end(server, s1) -> None:
    ident = server.submit(s1)
    for _ in range(20):  # each answer comes when the job ends, or after 60 s
        job = server.client.get(f"/v1/jobs/{ident}", params={"wait": 60}).json()
        if job["status"] != "queued" and job["status"] != "running":
            break
    assert job["status"] == "done"
    too_long = server.client.get(f"/v1/jobs/{ident}", params={"wait": 3600})
    assert _problems(too_long) == [("query", "wait")]


def test_a_small_event_is_solved_synchronously(server, s1) -> None:
    answer = server.client.post("/v1/solve", json={"event": s1, "options": {"seed": 1}})
    assert answer.status_code == 200, answer.text
    allocation = Allocation.model_validate_json(answer.content)
    assert allocation.status == "optimal" and check(Event.model_validate(s1), allocation).ok
    assert server.job(answer.headers["location"].rsplit("/", 1)[1])["status"] == "done"

    too_long = server.client.post("/v1/solve", json={"event": s1, "options": {"time_limit": 3600}})
    assert too_long.status_code == 422
    assert [p["field"] for p in too_long.json()["problems"]] == ["time_limit"]


def test_an_infeasible_event_answers_its_conflicts_as_data_too(server) -> None:
    event = event_dict(attendees=[{"id": f"x{i}", "choices": ["B"], "fixed": {"P1": "B"}} for i in range(3)])
    ident = server.submit(event, work_limit=10)  # (a work limit: the same answer on a slow machine)
    assert server.wait(ident)["status"] == "done"
    answer = server.client.get(f"/v1/jobs/{ident}/allocation")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "infeasible"
    assert [r["text"] for r in body["conflict_rules"]] == body["conflicts"]
    codes = {r["code"]: r for r in body["conflict_rules"]}
    assert codes["capacity"]["room"] == "R2" and codes["capacity"]["pass"] == "P1"
    assert codes["pinned"]["of"] == 3 and body["relaxation_rules"][0]["change"] == 2


def test_a_job_the_method_cannot_honour_fails_with_the_problem(server, s1) -> None:
    ident = server.submit(s1, method="flow")  # S1 has organisation quotas: the flow method declines
    job = server.wait(ident)
    assert job["status"] == "failed" and job["result"] is None
    assert [(p["record"], p["field"]) for p in job["problems"]] == [("options", "method")]
    assert "organisation quotas" in job["problems"][0]["message"]
    assert server.client.get(f"/v1/jobs/{ident}/allocation").status_code == 409
    sync = server.client.post("/v1/solve", json={"event": s1, "options": {"method": "flow"}})
    assert _problems(sync) == [("options", "method")]


def test_a_cancelled_job_keeps_the_best_allocation_found_and_can_be_resubmitted(server, long_job) -> None:
    running = server.submit(long_job["event"], **long_job["options"])
    found = server.wait(running, lambda job: (job["progress"] or {}).get("best") is not None)
    assert found["status"] == "running" and found["progress"]["bound"] <= found["progress"]["best"]
    waiting = server.submit(long_job["event"], **long_job["options"])  # one worker: it waits
    assert server.job(waiting)["status"] == "queued"
    assert server.client.post(f"/v1/jobs/{running}/resubmit").status_code == 409  # cancel it first

    assert server.client.delete(f"/v1/jobs/{waiting}").json()["status"] == "cancelled"
    no_seats = server.client.get(f"/v1/jobs/{waiting}/allocation")
    assert no_seats.status_code == 409 and "cancelled" in no_seats.json()["message"]

    assert server.client.delete(f"/v1/jobs/{running}").status_code == 202
    job = server.wait(running)
    assert job["status"] == "cancelled" and job["result"]["status"] == "feasible"
    assert job["result"]["stop"] == "interrupted"
    allocation = Allocation.model_validate_json(server.client.get(f"/v1/jobs/{running}/allocation").content)
    assert check(Event.model_validate(long_job["event"]), allocation).ok

    again = server.client.post(f"/v1/jobs/{waiting}/resubmit")
    assert again.status_code == 202
    resubmitted = again.json()["id"]
    assert server.wait(resubmitted, lambda job: job["status"] != "queued")["source"] == waiting
    server.client.delete(f"/v1/jobs/{resubmitted}")
    assert server.wait(resubmitted)["status"] == "cancelled"


def _problems(answer) -> list[tuple[str, str]]:
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["message"].splitlines()[0].endswith(":") and "Traceback" not in answer.text
    return [(p["record"], p["field"]) for p in body["problems"]]


def test_bad_input_of_each_class_is_refused_with_the_command_lines_problems(server, s1) -> None:
    post = server.client.post
    assert _problems(post("/v1/jobs", content=b"{not json")) == [("input", "")]
    assert _problems(post("/v1/jobs", json=[1, 2])) == [("request", "")]
    assert _problems(post("/v1/jobs", json={"options": {}})) == [("request", "event")]
    assert _problems(post("/v1/jobs", json={"event": s1, "extra": 1})) == [("request", "extra")]
    fields = _problems(post("/v1/jobs", json={"event": s1, "options": {"seed": -1, "method": "x", "y": 1}}))
    assert {f for r, f in fields if r == "options"} == {"seed", "method", "y"}

    broken = copy.deepcopy(s1)
    broken["attendees"][4]["choices"] = 5
    broken["rooms"][0]["capacity"] = -3
    with pytest.raises(InputError) as expected:
        Event.model_validate(broken)
    cli = [(p.record, p.field) for p in expected.value.problems]
    assert len(cli) >= 2
    assert _problems(post("/v1/jobs", json={"event": broken})) == cli
    assert _problems(post("/v1/validate", json=broken)) == cli
    assert post("/v1/validate", json=s1).json()["valid"] is True

    assert server.client.get("/v1/jobs/nobody").status_code == 404
    assert server.client.get("/v1/jobs/nobody/allocation").json()["message"] == "no job 'nobody'"
    assert server.client.put("/v1/jobs").status_code == 405
    assert _problems(server.client.get("/v1/jobs", params={"limit": 0})) == [("query", "limit")]


def test_no_personal_field_reaches_an_answer_or_a_log(server, s1) -> None:
    event = copy.deepcopy(s1)
    event["attendees"][0] |= {"name": PERSONAL[0], "email": PERSONAL[1]}
    event["attendees"][1] |= {"attributes": {"diet": PERSONAL[3]}, "needs": [PERSONAL[2]]}
    wrong = copy.deepcopy(event)
    wrong["attendees"][0]["email"] = 12345  # a wrong type in a personal field
    wrong["attendees"][1]["needs"] = 7
    answers = [
        server.client.post("/v1/jobs", json={"event": wrong}),
        server.client.post("/v1/validate", json=wrong),
    ]
    ident = server.submit(event)
    assert server.wait(ident)["status"] == "done"
    answers += [server.client.get(f"/v1/jobs/{ident}/{what}") for what in ("audit", "explanations", "report")]
    text = "".join(a.text for a in answers)
    assert "12345" not in text
    assert PERSONAL[0] not in text and PERSONAL[1] not in text  # (needs and attributes: as aggregates)
    for value in PERSONAL:
        assert value not in server.log()


def test_the_openapi_document_has_the_event_and_allocation_schemas(server) -> None:
    document = server.client.get("/openapi.json").json()
    assert {"/v1/health", "/v1/validate", "/v1/jobs", "/v1/jobs/{ident}", "/v1/solve"} <= set(
        document["paths"]
    )
    for path in ("allocation", "report", "rosters", "audit", "explanations", "resolve", "resubmit"):
        assert f"/v1/jobs/{{ident}}/{path}" in document["paths"]
    schemas = document["components"]["schemas"]
    assert {"Event", "Allocation", "JobRequest", "ResolveRequest", "JobView", "Problems"} <= set(schemas)
    body = document["paths"]["/v1/jobs"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/JobRequest"}
    refs = {m for m in json.dumps(document).split('"') if m.startswith("#/components/schemas/")}
    assert {r.rsplit("/", 1)[1] for r in refs} <= set(schemas), "a reference to a missing schema"


def test_the_server_refuses_to_listen_beyond_loopback_without_a_token(capsys, monkeypatch) -> None:
    monkeypatch.delenv("SEATALLOC_TOKEN", raising=False)
    assert main(["serve", "--host", "0.0.0.0"]) == 2
    err = capsys.readouterr().err
    assert "serve.host" in err and "--token" in err


@pytest.mark.parametrize(
    ("option", "value"),
    [("--max-request-mb", "nan"), ("--max-request-mb", "-1"), ("--port", "70000"), ("--workers", "0")],
)
def test_bad_service_settings_are_named_never_a_traceback(capsys, option: str, value: str) -> None:
    assert main(["serve", option, value]) == 2
    assert option.removeprefix("--").replace("-", "_").replace("_mb", "") in capsys.readouterr().err


def test_without_the_serve_extra_the_command_says_what_to_install(capsys, monkeypatch) -> None:
    import sys

    monkeypatch.delitem(sys.modules, "seatalloc.serve.server", raising=False)
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if not installed
    assert main(["serve"]) == 2
    assert "pip install 'seatalloc[serve]'" in capsys.readouterr().err


HOSTILE = [
    b"",
    b"\xff\xfe\x00garbage",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"event": ' + b"[" * 5_000 + b"]" * 5_000 + b"}",
    b'{"event": {"passes": 1e400}}',
    b'{"event": NaN}',
    b'{"event": null, "options": null}',
    b'{"event": "text", "options": "text"}',
    b'{"event": {}, "options": {"seed": 1e30, "time_limit": -1, "as_of": "2026-13-45", "workers": true}}',
    b'{"event": {"attendees": [{"id": "\\u0000' + b"x" * 10_000 + b'"}]}}',
    '{"event": {"name": "\U0001f600\u202e"}}'.encode(),
    b'{"event": {"name": "\\ud800", "attendees": [{"id": "x", "name": "\\udfff"}]}}',  # lone surrogates
]


@pytest.mark.parametrize("body", HOSTILE, ids=[f"body{i}" for i in range(len(HOSTILE))])
def test_hostile_bodies_are_refused_with_problems_never_an_error(server, s1, body: bytes) -> None:
    published = server.submit(s1)
    assert server.wait(published)["status"] == "done"
    for path in ("/v1/jobs", "/v1/validate", "/v1/solve", f"/v1/jobs/{published}/resolve"):
        answer = server.client.post(path, content=body)
        assert answer.status_code == 422, (path, answer.status_code, answer.text[:300])
        refusal = answer.json()
        assert refusal["problems"] and "Traceback" not in answer.text, (path, refusal)


def test_a_response_round_runs_as_a_re_solve_with_the_answers(server) -> None:
    people = [(f"p{i}", None, f"2020-04-{i + 1:02d}") for i in range(6)]
    event = queue_event(people, seat_limit=3, respond_by="2020-05-10")
    published = server.submit(event)
    assert server.wait(published)["status"] == "done"
    answers = [
        {"attendee": "p0", "response": "accepted", "when": "2020-05-02T10:00:00"},
        {"attendee": "p1", "response": "declined", "when": "2020-05-11T10:00:00"},
    ]
    options = {"responses": answers, "work_limit": 5}
    answer = server.client.post(f"/v1/jobs/{published}/resolve", json={"event": event, "options": options})
    assert answer.status_code == 202, answer.text
    job = server.wait(answer.json()["id"])
    assert job["status"] == "done", job
    now = Allocation.model_validate_json(server.client.get(f"/v1/jobs/{job['id']}/allocation").content)
    offers = Allocation.model_validate_json(server.client.get(f"/v1/jobs/{published}/allocation").content)
    what = Event.model_validate(event)
    responses = Responses.model_validate({"responses": answers})
    assert check(what, now).ok and check_round(what, offers, responses, now) == []
    assert now.offers == ("p3", "p4")  # p1 declined and p2's offer lapsed (11 May, after 10 May)
    wrong = {"responses": [{"attendee": "zz", "response": "declined"}], "work_limit": 5}
    bad = server.client.post(f"/v1/jobs/{published}/resolve", json={"event": event, "options": wrong})
    failed = server.wait(bad.json()["id"])
    assert failed["status"] == "failed" and "no attendee 'zz' in the event" in json.dumps(failed)
