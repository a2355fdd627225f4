"""The package's metadata: one version, real project links, classifiers, extras that build on each other."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import seatalloc
from seatalloc.version import __version__

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_version_is_written_once_and_exported() -> None:
    assert "version" in PROJECT["dynamic"] and "version" not in PROJECT
    assert seatalloc.__version__ == __version__ and re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_metadata_has_links_keywords_and_classifiers() -> None:
    urls = PROJECT["urls"]
    assert {"Homepage", "Documentation", "Source", "Issues"} <= set(urls)
    assert all(u.startswith("https://") and "example" not in u for u in urls.values())
    assert len(PROJECT["keywords"]) >= 5
    assert "Programming Language :: Python :: 3.11" in PROJECT["classifiers"]
    assert "License :: OSI Approved :: MIT License" in PROJECT["classifiers"]
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    repo = re.search(r"^repo_url: (\S+)", mkdocs, re.M)
    assert repo is not None and repo.group(1) == urls["Source"]


def test_the_dev_extra_reuses_test_and_docs() -> None:
    extras = PROJECT["optional-dependencies"]
    dev = extras["dev"]
    assert any(d.startswith("seatalloc[") and "test" in d and "docs" in d for d in dev)
    assert not set(extras["test"]) & set(dev)  # nothing repeated by hand
