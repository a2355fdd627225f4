"""Personal fields (name, e-mail, contact, attributes, needs) reach rosters only: never a log, the
summary, the report or an error message."""

from __future__ import annotations

import logging

from helpers import event_dict
from seatalloc import Event, audit, render_report, solve
from seatalloc.cli.summary import summary
from seatalloc.explain.why import explain_many

SECRETS = ("Ada Secretname", "ada@secret.example", "+46 70 000 00 00")


def test_personal_fields_never_reach_logs_summary_report_or_explanations(caplog) -> None:
    data = event_dict()
    name, email, contact = SECRETS
    for person in data["attendees"]:
        person.update(name=name, email=email, contact=contact)
    event = Event.model_validate(data)
    with caplog.at_level(logging.DEBUG):
        allocation = solve(event, work_limit=30)
        told = [
            summary(event, allocation),
            render_report(event, allocation),
            audit(event, allocation).to_text(),
            *(why.to_text() for why in explain_many(event, allocation, [a.id for a in event.attendees])),
            allocation.to_json(),
            repr(event.attendees[0]),
        ]
    said = "\n".join(told + [r.getMessage() for r in caplog.records])
    assert not any(secret in said for secret in SECRETS)
