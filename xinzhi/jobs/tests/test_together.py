"""`scripts/together`, which `make demo` uses to run gunicorn and the task worker as one."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from xinzhi.jobs.tests.conftest import ROOT

SCRIPT = str(ROOT / "scripts" / "together")


def test_ctrl_c_stops_every_command():
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, SCRIPT, "sleep", "60", "--", "sleep", "61"], stdout=subprocess.PIPE
    )
    time.sleep(1)
    ps = ["ps", "-o", "pid=", "--ppid", str(process.pid)]
    children = subprocess.run(ps, capture_output=True, text=True).stdout.split()  # noqa: S603
    assert len(children) == 2
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 128 + signal.SIGINT
    for pid in children:
        assert subprocess.run(["ps", "-p", pid], capture_output=True).returncode == 1  # noqa: S603, S607


def test_when_one_command_ends_the_others_stop_and_its_status_is_returned():
    started = time.monotonic()
    status = subprocess.run(  # noqa: S603
        [sys.executable, SCRIPT, "sh", "-c", "exit 3", "--", "sleep", "60"], timeout=20
    ).returncode
    assert status == 3
    assert time.monotonic() - started < 15
