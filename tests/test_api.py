"""The public API: what ``seatalloc`` exports is there, documented, and its Literal types agree with
what the library accepts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import seatalloc
from seatalloc.solve.methods.registry import method_names

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference.md"


def test_every_exported_name_exists_and_is_in_the_reference() -> None:
    documented = re.findall(r"^::: (\S+)$", REFERENCE.read_text(encoding="utf-8"), re.MULTILINE)
    for name in seatalloc.__all__:
        value = getattr(seatalloc, name)
        module = getattr(value, "__module__", "")
        assert any(d.endswith(f".{name}") or (d == module and d.endswith("errors")) for d in documented), name


def test_the_method_names_are_auto_and_the_registered_methods() -> None:
    assert get_args(seatalloc.MethodName) == ("auto", *method_names())


def test_the_readme_and_docs_use_only_exported_names() -> None:
    root = REFERENCE.parents[1]
    texts = [root / "README.md", *sorted((root / "docs").rglob("*.md"))]
    used = {
        m for p in texts for m in re.findall(r"\bseatalloc\.([a-zA-Z_]+)\(", p.read_text(encoding="utf-8"))
    }
    assert used and used <= set(seatalloc.__all__), used - set(seatalloc.__all__)
