"""App servers as production runs them: gunicorn processes with the production config,
for the benchmark (``tests/benchmarks/pages.py``) and the test of several servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = Path(sys.executable).parent / "gunicorn"
SECRET_KEY = "servers-under-test-secret-key-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(target: str, env: Mapping[str, str], workers: int = 2) -> Iterator[str]:
    """``target`` served by ``workers`` sync workers on a free port; yields its address."""
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "--workers", str(workers), "--worker-class", "sync",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target],
        cwd=ROOT, env=dict(env))
    try:
        for _ in range(300):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError as refused:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"gunicorn for {target} ended with {process.returncode}") from refused
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def production_environment(database_url: str, base_url: str,
                           **settings: str) -> dict[str, str]:
    """The environment of a production deployment on ``database_url``; ``settings`` are
    further ``LMS_*`` values by their name without the prefix (``STORAGE_PATH=...``)."""
    return {
        **os.environ,
        "LMS_ENV": "production",
        "LMS_SECRET_KEY": SECRET_KEY,
        "LMS_DATABASE_URL": database_url,
        "LMS_BASE_URL": base_url,
        "LMS_COOKIE_SECURE": "false",  # plain HTTP on this machine
        "LMS_LOAD_ENTRY_POINTS": "false",
        **{f"LMS_{name}": value for name, value in settings.items()},
    }
