"""Read and write JSON documents: files, standard input and output."""

from __future__ import annotations

import sys
from pathlib import Path

from seatalloc.errors import InputError, Problem


def read_text(source: str | Path) -> bytes:
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


def write_text(text: str, target: str | Path) -> None:
    """Write ``text`` to a file path, or to standard output for ``"-"``."""
    if str(target) == "-":
        sys.stdout.write(text)
        sys.stdout.write("\n")
        return
    Path(target).write_text(text + "\n", encoding="utf-8")
