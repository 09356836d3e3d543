"""A real task worker (`manage.py db_worker`) in its own process, on the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    """The test database as a DATABASE_URL another process can open (file SQLite or PG)."""
    from django.db import connection

    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = f"{quote(s['USER'])}:{quote(s['PASSWORD'])}@"
    return f"postgres://{auth}{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def worker(settings, tmp_path):
    """Start workers with `worker()`; jobs started in the test go to their queue.

    Each worker's output goes to a file (`worker-<name>.log` in the test's tmp_path), not a
    pipe nobody reads, which would block the worker once full."""
    settings.XINZHI_TASK_BACKEND = "database"
    started: list[subprocess.Popen] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
    }

    def start(name: str = "w1") -> subprocess.Popen:
        command = [sys.executable, "manage.py", "db_worker", "--backend", "database"]
        command += ["--interval", "0.1", "--no-startup-delay", "--no-reload", "--worker-id", name]
        log = (tmp_path / f"worker-{name}.log").open("wb")
        process = subprocess.Popen(  # noqa: S603 - our own manage.py
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()  # the child holds its own descriptor
        started.append(process)
        return process

    yield start
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(predicate, timeout: float = 120, what: str = "condition"):  # noqa: ANN001, ANN201
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")
