"""Write documents: to files, or to standard output."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


def write_text(text: str | bytes, target: str | Path) -> None:
    """Write ``text`` (bytes: UTF-8 already) and a newline to a file path, or to standard output for
    ``"-"``."""
    with opened(target) as out:
        out.write(text.encode() if isinstance(text, str) else text)


@contextmanager
def opened(target: str | Path) -> Iterator[BinaryIO]:
    """A binary stream to a file path, or to standard output for ``"-"``, for UTF-8 text written a
    part at a time; a newline ends it."""
    path = Path(target)
    if str(target) != "-" and (path.is_symlink() or (path.exists() and not path.is_file())):
        # a link, a device or a pipe: written where it leads, never replaced
        with path.open("wb") as file:
            yield file
            file.write(b"\n")
        return
    if str(target) != "-":  # (written beside it, then renamed: a failure halfway leaves no half file)
        part = path.with_name(f".{path.name}.part")
        try:
            with part.open("wb") as file:
                yield file
                file.write(b"\n")
            os.replace(part, path)
        finally:
            part.unlink(missing_ok=True)
        return
    out = getattr(sys.stdout, "buffer", None)
    if out is None:  # (a text stream without bytes underneath)
        kept = io.BytesIO()
        yield kept
        sys.stdout.write(kept.getvalue().decode() + "\n")
        return
    sys.stdout.flush()
    yield out
    out.write(b"\n")
    out.flush()
