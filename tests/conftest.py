import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def s1_path() -> Path:
    return ROOT / "examples" / "jamlikhetskonferensen-2019.json"
