"""Input and output formats: documents written to files or streams, form imports, rosters, JSON Schemas."""

from seatalloc.io.jsonio import opened, write_text
from seatalloc.io.schema import json_schema

__all__ = ["json_schema", "opened", "write_text"]
