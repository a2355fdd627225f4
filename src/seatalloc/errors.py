"""Exceptions raised by seatalloc.

Every exception derives from :class:`SeatallocError`. Problems with the input
are :class:`InputError`, which is also a :class:`ValueError` and lists every
problem found, each naming the record and the field.
"""

from __future__ import annotations

from dataclasses import dataclass


class SeatallocError(Exception):
    """Base class of every error seatalloc raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One problem in the input: where it is and what is wrong.

    Parameters
    ----------
    record
        The record, for example ``"attendees[3] 'a0004'"`` or ``"event"``.
    field
        The field inside the record, for example ``"choices"``; empty for the
        record as a whole.
    message
        What was expected and what was got.
    """

    record: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.record}.{self.field}" if self.field else self.record
        return f"{where}: {self.message}"


class InputError(SeatallocError, ValueError):
    """The input is not a valid event or allocation.

    Parameters
    ----------
    problems
        Every problem found, in input order.
    what
        What was being read, for the first line of the message.
    """

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], what: str = "event") -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.what = what
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the {what}:"
        super().__init__("\n".join([head, *(f"  - {p}" for p in self.problems)]))


class OutOfMemory(SeatallocError):
    """A solve ran out of memory where not even an allocation without seats could be made (a solve
    that runs out otherwise returns an ``unknown`` allocation that says so)."""
