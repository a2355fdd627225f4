"""The public API: what ``seatalloc`` exports is there, documented, and its Literal types agree with
what the library accepts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

import seatalloc
from seatalloc.solve.registry import method_names

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


def test_all_names_are_the_lazily_loaded_ones() -> None:
    assert sorted(seatalloc.__all__) == sorted(seatalloc._HOME)
    assert set(seatalloc.__all__) <= set(dir(seatalloc))


def _loaded_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running ``code``."""
    import json
    import subprocess
    import sys

    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def test_import_seatalloc_loads_neither_pydantic_nor_numpy_nor_ortools() -> None:
    loaded = _loaded_after("import seatalloc")
    assert not loaded & {"pydantic", "numpy", "ortools", "pandas", "scipy"}, loaded


def test_functions_keep_their_names_after_the_subpackages_of_those_names_are_imported() -> None:
    import importlib

    for package in ("seatalloc.solve.options", "seatalloc.check.belongs", "seatalloc.explain.audit"):
        importlib.import_module(package)
    assert callable(seatalloc.solve) and seatalloc.solve.__module__ == "seatalloc.solve.solver"
    from seatalloc import check, explain, resolve, solve

    assert all(callable(f) for f in (check, explain, resolve, solve))
    assert resolve.__module__ == "seatalloc.solve.resolve" and explain.__module__ == "seatalloc.explain.why"


def test_commands_that_do_not_solve_never_load_ortools(tmp_path) -> None:
    import json

    root = REFERENCE.parents[1]
    s1 = root / "examples" / "jamlikhetskonferensen-2019.json"
    allocation = seatalloc.solve(seatalloc.Event.from_json(s1), work_limit=30)
    (tmp_path / "a.json").write_text(allocation.to_json(), encoding="utf-8")
    for args in (
        ["--help"],
        ["schema", "event"],
        ["check", str(s1), str(tmp_path / "a.json")],
        ["report", str(s1), str(tmp_path / "a.json"), "-o", str(tmp_path / "r.html")],
        ["audit", str(s1), str(tmp_path / "a.json")],
    ):
        code = "from seatalloc.cli.main import main\ntry:\n    main(ARGS)\nexcept SystemExit:\n    pass"
        code = code.replace("ARGS", json.dumps(args))
        heavy = {"ortools", "pandas"} if args[0] in ("report", "audit") else {"ortools", "pandas", "numpy"}
        heavy |= {"fastapi", "starlette", "uvicorn", "sqlalchemy"}  # the service's extra: serve only
        loaded = _loaded_after(code)
        assert not loaded & heavy, (args, loaded & heavy)
