"""Write documents: to files, or to standard output."""

from __future__ import annotations

import sys
from pathlib import Path


def write_text(text: str | bytes, target: str | Path) -> None:
    """Write ``text`` (bytes: UTF-8 already) and a newline to a file path, or to standard output for
    ``"-"``."""
    data = text.encode() if isinstance(text, str) else text
    if str(target) == "-":
        out = getattr(sys.stdout, "buffer", None)
        if out is None:  # (a text stream without bytes underneath)
            sys.stdout.write(data.decode() + "\n")
            return
        sys.stdout.flush()
        out.write(data)
        out.write(b"\n")
        out.flush()
        return
    with Path(target).open("wb") as file:
        file.write(data)
        file.write(b"\n")
