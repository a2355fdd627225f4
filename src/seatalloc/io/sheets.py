"""Read the rows of a form export: CSV (any delimiter, UTF-8 with or without BOM, or the
Windows code page Swedish Excel writes) or Excel (.xlsx, the first sheet)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

from seatalloc.errors import InputError, Problem

Cell = str | int | float | datetime | None


def read_rows(path: str | Path) -> tuple[list[str], list[tuple[int, dict[str, Cell]]]]:
    """Return the header and ``(row number, {column: value})`` for every non-empty row.

    Row numbers are as the spreadsheet shows them: the header is row 1.
    """
    path = Path(path)
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return _excel(path)
        return _csv(path.read_bytes())
    except OSError as err:
        raise InputError(
            [Problem(str(path), "", f"cannot read the file: {err.strerror}")], "spreadsheet"
        ) from None


def _csv(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Cell]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")  # Excel's "CSV" on Swedish Windows
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    rows = list(reader)
    if not rows:
        raise InputError([Problem("row 1", "", "the file is empty: a header row is needed")], "spreadsheet")
    header = [h.strip() for h in rows[0]]
    out: list[tuple[int, dict[str, Cell]]] = []
    for number, row in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in row):
            out.append((number, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}))
    return header, out


def _excel(path: Path) -> tuple[list[str], list[tuple[int, dict[str, Cell]]]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    first = next(rows, None)
    if first is None:
        raise InputError([Problem("row 1", "", "the sheet is empty: a header row is needed")], "spreadsheet")
    header = ["" if h is None else str(h).strip() for h in first]
    out: list[tuple[int, dict[str, Cell]]] = []
    for number, row in enumerate(rows, start=2):
        cells = [c.strip() if isinstance(c, str) else c for c in row]
        if any(c not in (None, "") for c in cells):
            out.append((number, {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(header)}))
    workbook.close()
    return header, out
