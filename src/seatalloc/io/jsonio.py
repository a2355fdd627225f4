"""Write documents: to files, or to standard output."""

from __future__ import annotations

import sys
from pathlib import Path


def write_text(text: str, target: str | Path) -> None:
    """Write ``text`` to a file path, or to standard output for ``"-"``."""
    if str(target) == "-":
        sys.stdout.write(text)
        sys.stdout.write("\n")
        return
    Path(target).write_text(text + "\n", encoding="utf-8")
