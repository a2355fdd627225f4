"""How much memory the machine has left, so a method can decline before it runs out."""

from __future__ import annotations

from pathlib import Path


def available_bytes() -> int | None:
    """Return the memory available to new work, in bytes, or None where it cannot be read.

    Linux's ``MemAvailable`` (free memory plus caches that can be dropped),
    lowered to the cgroup's limit when the process runs in a smaller one.
    """
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                available = int(line.split()[1]) * 1024
                break
        else:
            return None
    except (OSError, ValueError, IndexError):
        return None
    limit = _cgroup_room()
    return available if limit is None else min(available, limit)


def _cgroup_room() -> int | None:
    """Return the bytes the process's cgroup (v2) still allows, or None without a limit."""
    try:
        base = Path("/sys/fs/cgroup")
        text = (base / "memory.max").read_text().strip()
        if text == "max":
            return None
        return max(0, int(text) - int((base / "memory.current").read_text().strip()))
    except (OSError, ValueError):
        return None
