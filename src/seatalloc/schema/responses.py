"""Attendees' answers to their offers, read by a response round (``seatalloc resolve --responses``).

The JSON keys are a public contract, like the event's.
"""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from seatalloc.schema.base import Document, Record
from seatalloc.schema.records import Id, Moment


class Response(Record):
    """One attendee's answer to the seat they were offered."""

    attendee: Id = Field(description="Id of the attendee who answers.")
    response: Literal["accepted", "declined"] = Field(description="They take the seat, or give it up.")
    when: Moment | None = Field(
        None,
        description=(
            "When they answered (ISO 8601). An acceptance after the event's respond_by does not count; "
            "none: in time."
        ),
    )


class Responses(Document):
    """The answers of a response round; an attendee's last answer counts."""

    what: ClassVar[str] = "responses"

    responses: tuple[Response, ...] = Field(description="The answers, in the order given.")
