"""Allow ``python -m seatalloc``."""

import sys

from seatalloc.cli.main import main

sys.exit(main())
