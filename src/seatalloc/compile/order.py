"""Registration order of the attendees."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

from seatalloc.schema.event import Event


def registration_order(event: Event) -> NDArray[np.int64]:
    """Return each attendee's position when sorted by registration time (none last, ties by input)."""
    far = datetime.max.replace(tzinfo=UTC)
    times = [
        far
        if a.registered is None
        else (a.registered if a.registered.tzinfo else a.registered.replace(tzinfo=UTC))
        for a in event.attendees
    ]
    order = sorted(range(len(times)), key=lambda a: (times[a], a))
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    return position
