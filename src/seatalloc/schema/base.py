"""The frozen pydantic base shared by every public record, and error translation.

Pydantic reports a wrong type as ``attendees.3.choices.1: Input should be a
valid string``. Users need the record named as they know it, so
:func:`translate` turns a :class:`pydantic.ValidationError` into an
:class:`~seatalloc.errors.InputError` whose problems read
``attendees[3] 'a0004'.choices[1]: Input should be a valid string, got 7``.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, ValidationError

from seatalloc.collector import collector_paused
from seatalloc.errors import InputError, Problem

#: Attendee fields that are personal data: their values never appear in a message or a log.
PERSONAL = frozenset({"name", "email", "contact", "attributes", "needs"})


class Record(BaseModel):
    """A frozen record that rejects unknown keys."""

    model_config = ConfigDict(
        defer_build=True,
        frozen=True,
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )


class Document(Record):
    """A top-level record whose validation raises :class:`InputError`.

    ``model_validate``, ``model_validate_json`` and the constructor all report
    every problem found as one :class:`InputError` instead of pydantic's own
    error, so callers handle a single exception type.
    """

    what: ClassVar[str] = "document"

    @classmethod
    def references_of(cls, raw: Any) -> list[Problem]:
        """Problems across the records of ``raw`` whose fields failed validation, found in the same
        round as the field problems (none by default)."""
        return []

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as err:
            raise translate(err, data, type(self).what, type(self).references_of) from None

    # Tell pydantic this __init__ only wraps the base one: otherwise pydantic
    # calls it after model_validate_json and every document is validated twice.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        try:
            with collector_paused():
                return super().model_validate(obj, *args, **kwargs)
        except ValidationError as err:
            raise translate(err, obj, cls.what, cls.references_of) from None

    @classmethod
    def from_json(cls, source: str | Path | bytes) -> Self:
        """Read and validate a document from a JSON file path, ``"-"`` (standard input) or JSON text.

        Parameters
        ----------
        source
            A path to a JSON file, ``"-"``, or the JSON document itself as
            ``bytes`` or as a ``str`` starting with ``{``.

        Raises
        ------
        InputError
            The file cannot be read, is not JSON, or is not a valid document.
        """
        data = source if isinstance(source, bytes) else read_source(source)
        text = isinstance(source, bytes) or (isinstance(source, str) and source.lstrip().startswith("{"))
        try:
            return cls.model_validate_json(data.removeprefix(BOM))  # (Windows tools write one)
        except InputError as err:
            if text:
                raise  # JSON given as text: no file to name
            name = "standard input" if str(source) == "-" else repr(str(source))
            raise InputError(err.problems, f"{err.what} read from {name}") from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, *args: Any, **kwargs: Any) -> Self:
        try:
            with collector_paused():  # a record per attendee, no cycles: half the time at 1,000,000
                return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as err:
            try:
                raw = json.loads(json_data)
            except (ValueError, RecursionError):  # (not JSON, or nested too deep to look up ids in)
                raw = None
            error = translate(err, raw, cls.what, cls.references_of)
            hint = _other_document(raw, cls.what)
            raise (InputError((hint, *error.problems), error.what) if hint else error) from None


#: The UTF-8 byte-order mark.
BOM = b"\xef\xbb\xbf"
#: Keys that only a document of each kind has at its top level.
MARKS = {"event": ("attendees", "seminars", "passes"), "allocation": ("assignments", "unseated")}


def _other_document(raw: Any, what: str) -> Problem | None:
    """A problem saying ``raw`` looks like another kind of document than ``what`` (swapped
    arguments), or None."""
    if not isinstance(raw, dict) or any(key in raw for key in MARKS.get(what, ())):
        return None
    for other, keys in MARKS.items():
        if other != what and any(key in raw for key in keys):
            return Problem(
                "input", "", f"this looks like an {other}, not an {what}: are the arguments swapped?"
            )
    return None


def read_source(source: str | Path) -> bytes:
    """Return the bytes of a JSON document.

    Parameters
    ----------
    source
        A file path, ``"-"`` for standard input, or JSON text (a ``str``
        whose first non-blank character is ``{``).

    Raises
    ------
    InputError
        The file cannot be read.
    """
    if isinstance(source, str) and source.lstrip().startswith("{"):
        return source.encode()
    if str(source) == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(source).read_bytes()
    except OSError as err:
        raise InputError([Problem(str(source), "", f"cannot read file: {err.strerror}")], "input") from None


def translate(
    err: ValidationError, raw: Any, what: str, references: Callable[[Any], list[Problem]] | None = None
) -> InputError:
    """Turn a pydantic error into an :class:`InputError` naming records by id.

    Parameters
    ----------
    err
        The error pydantic raised.
    raw
        The input that was validated (used only to look up record ids).
    what
        What was being read: ``"event"`` or ``"allocation"``.
    references
        Finds the problems across records in what of ``raw`` validates, when the fields' problems
        stopped the document's own check of them: every problem comes in one round.

    Returns
    -------
    InputError
        One error holding every problem, with nested problems of our own
        validators passed through unchanged.
    """
    problems: list[Problem] = []
    checked = False  # (the document's own check ran: its problems are among these)
    for detail in err.errors(include_url=False):
        original = (detail.get("ctx") or {}).get("error")
        if isinstance(original, InputError):
            problems.extend(original.problems)
            checked = True
            continue
        problems.append(_problem(detail, raw))
    if references is not None and not checked:
        problems += [p for p in references(raw) if p not in problems]
    return InputError(problems, what)


def _problem(detail: Any, raw: Any) -> Problem:
    loc = tuple(detail["loc"])
    message = detail["msg"].removeprefix("Value error, ")
    if detail["type"] == "json_invalid":
        return Problem("input", "", f"malformed JSON: {detail['ctx']['error']}")
    if detail["type"] == "unexpected_keyword_argument":  # extra key in a dataclass row
        message = "Extra inputs are not permitted"
    elif detail["type"] not in {"missing", "extra_forbidden", "value_error"} and not PERSONAL & {
        part for part in loc if isinstance(part, str)
    }:  # what was given, except in a personal field
        message = f"{message}, got {_short(detail.get('input'))}"
    if len(loc) >= 2 and isinstance(loc[1], int):
        record = f"{loc[0]}[{loc[1]}]"
        ident = _lookup_id(raw, loc[0], loc[1])
        if ident is not None:
            record += f" {ident!r}"
        rest = loc[2:]
    elif loc:
        record, rest = "event", loc
    else:
        return Problem("event", "", message)
    field = ""
    for part in rest:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    return Problem(record, field, message)


def _lookup_id(raw: Any, key: Any, index: int) -> str | None:
    try:
        ident = raw[key][index].get("id")
    except (TypeError, KeyError, IndexError, AttributeError):
        return None
    return ident if isinstance(ident, str) else None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
