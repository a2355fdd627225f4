"""Run the service on uvicorn."""

from __future__ import annotations

import uvicorn

from seatalloc.serve.app import create_app
from seatalloc.serve.config import ServeConfig


def run(config: ServeConfig) -> None:
    """Serve until stopped (Ctrl-C or SIGTERM: running jobs keep the best allocation found)."""
    uvicorn.run(
        create_app(config),
        host=config.host,
        port=config.port,
        log_level="info",
        server_header=False,
        timeout_graceful_shutdown=10,
    )
