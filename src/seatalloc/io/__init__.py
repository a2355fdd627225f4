"""Input and output: JSON files and streams."""

from seatalloc.io.jsonio import read_text, write_text

__all__ = ["read_text", "write_text"]
