"""Read the rows of a form export: CSV (comma, semicolon or tab; UTF-8 with or without BOM,
UTF-16 as Excel's "Unicode text", or the Windows code page Swedish Excel writes) or Excel (.xlsx,
the first sheet). An old .xls, a workbook named .csv or a binary file is refused by name."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from seatalloc.errors import InputError, Problem

Cell = str | int | float | datetime | None


def read_rows(
    path: str | Path, columns: Sequence[str] = ()
) -> tuple[list[str], list[tuple[int, dict[str, Cell]]]]:
    """Return the header and ``(row number, {column: value})`` for every non-empty row.

    Row numbers are as the spreadsheet shows them: the header is row 1. A CSV
    file's delimiter is the one whose header row holds the most of ``columns``
    (the mapping's column names), else a guess from the text.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(
            [Problem(str(path), "", f"cannot read the file: {err.strerror}")], "spreadsheet"
        ) from None
    kind = _kind(data)
    if path.suffix.lower() in (".xlsx", ".xlsm") or kind == "xlsx":
        if kind != "xlsx":
            why = "not an .xlsx workbook" + (" (a CSV file? name it .csv)" if kind == "text" else "")
            raise InputError([Problem(str(path), "", why)], "spreadsheet")
        return _excel(path, data)
    if kind == "xls":
        why = "an old Excel .xls workbook, which cannot be read: save it as .xlsx or as CSV"
        raise InputError([Problem(str(path), "", why)], "spreadsheet")
    if kind == "binary":
        raise InputError([Problem(str(path), "", "not a CSV export: the file is not text")], "spreadsheet")
    return _csv(decode(data), columns)


def decode(data: bytes) -> str:
    """Return the text of a file from a form or an editor: UTF-16 with its byte-order mark (Excel's
    "Unicode text"), UTF-8 with or without one, else the Windows code page (Excel's "CSV" and
    Notepad's "ANSI" on Swedish Windows)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")  # (damaged: its columns are then not found)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _kind(data: bytes) -> str:
    """What the bytes are: ``xlsx`` (a zip), ``xls`` (an old compound file), ``text`` or ``binary``."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    return "binary" if b"\x00" in data[:4096] else "text"


def _csv(text: str, columns: Sequence[str]) -> tuple[list[str], list[tuple[int, dict[str, Cell]]]]:
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel
    first = text.splitlines()[0] if text.strip() else ""
    found = {d: len(set(next(csv.reader([first], delimiter=d), [])) & set(columns)) for d in ",;\t"}
    best = max(found, key=lambda d: found[d])
    if found[best]:
        dialect = _Delimited(best)
    else:
        with contextlib.suppress(csv.Error):  # (else Excel's commas)
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        rows = list(reader)
    except csv.Error as err:  # (a stray quote or NUL)
        raise InputError([Problem(f"row {reader.line_num}", "", f"not CSV: {err}")], "spreadsheet") from None
    if not rows:
        raise InputError([Problem("row 1", "", "the file is empty: a header row is needed")], "spreadsheet")
    header = [h.strip() for h in rows[0]]
    out: list[tuple[int, dict[str, Cell]]] = []
    for number, row in enumerate(rows[1:], start=2):
        if any(cell.strip() for cell in row):
            out.append((number, {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}))
    return header, out


class _Delimited(csv.excel):
    """Excel's CSV dialect with another delimiter."""

    def __init__(self, delimiter: str) -> None:
        super().__init__()
        self.delimiter = delimiter


def _excel(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Cell]]]]:
    from openpyxl import load_workbook

    try:  # from the bytes: a workbook named .csv is read as what it is (openpyxl goes by the name)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as err:  # truncated, or not a workbook
        why = f"not a readable .xlsx workbook (truncated or damaged?): {err}"
        raise InputError([Problem(str(path), "", why)], "spreadsheet") from None
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


def by_row(problem: Problem, records: str, rows: Sequence[int]) -> Problem:
    """Name a problem of ``records[i]`` (the i-th record made of a sheet's rows) by its row number."""
    match = re.match(rf"{records}\[(\d+)\]", problem.record)
    if match is None:
        return problem
    return Problem(f"row {rows[int(match.group(1))]}", problem.field, problem.message)
