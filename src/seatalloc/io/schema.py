"""The JSON Schemas of the public documents, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Literal

from seatalloc.schema import Allocation, Event


def json_schema(which: Literal["event", "allocation"]) -> str:
    """Return the JSON Schema (draft 2020-12) of the event or the allocation, as JSON text.

    Applications in other languages validate their documents against it; the
    same schemas are published in ``docs/schema/``.
    """
    model = Event if which == "event" else Allocation
    schema = model.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True)
