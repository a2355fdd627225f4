"""How much memory the machine has left, so a solve or a method can decline before it runs out."""

from __future__ import annotations

from pathlib import Path


def available_bytes() -> int | None:
    """Return the memory available to new work, in bytes, or None where it cannot be read.

    Linux's ``MemAvailable`` (free memory plus caches that can be dropped),
    lowered to the cgroup's limit when the process runs in a smaller one, and
    to the address space left under the process's limit (``ulimit -v``).
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
    for limit in (_cgroup_room(), _address_room()):
        if limit is not None:
            available = min(available, limit)
    return available


def _address_room() -> int | None:
    """Return the bytes of address space the process may still map under its limit (``ulimit -v``,
    ``RLIMIT_AS``), or None without one."""
    try:
        import resource
    except ImportError:  # (not on Windows)
        return None
    soft, _hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return None
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return max(0, soft - int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        return None
    return None


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
