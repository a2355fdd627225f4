"""Read a response round's answers: JSON (``{"responses": [...]}``) or a sheet (CSV or Excel) with
the columns ``attendee``, ``response`` and ``when``, every bad row named by its number."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from seatalloc.errors import InputError, Problem
from seatalloc.io.sheets import by_row, read_rows
from seatalloc.schema.responses import Responses

COLUMNS = ("attendee", "response", "when")


def read_responses(path: str | Path) -> Responses:
    """Return the answers in ``path``: a ``.json`` file, else a sheet with :data:`COLUMNS`.

    Raises
    ------
    InputError
        The file cannot be read, a column is missing, or a row is not an answer (by row number and
        column).
    """
    path = Path(path)
    if path.suffix.lower() == ".json":
        return Responses.from_json(path)
    header, rows = read_rows(path, COLUMNS)
    missing = [
        Problem("row 1", column, "no such column in the sheet")
        for column in COLUMNS[:2]
        if column not in header
    ]
    if missing:
        raise InputError(missing, f"responses read from {str(path)!r}")
    answers = []
    for _, row in rows:
        when = row.get("when")
        answers.append(
            {
                "attendee": str(row.get("attendee") or "").strip(),
                "response": str(row.get("response") or "").strip().lower(),
                **(
                    {"when": when.isoformat() if isinstance(when, datetime) else str(when).strip()}
                    if when
                    else {}
                ),
            }
        )
    try:
        return Responses.model_validate({"responses": answers})
    except InputError as err:
        numbers = [number for number, _ in rows]
        where = f"responses read from {str(path)!r}"
        raise InputError([by_row(p, "responses", numbers) for p in err.problems], where) from None
