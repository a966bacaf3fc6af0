"""Waiting in tests for something to be true, never for a guessed length of time.

A sleep long enough on a quiet machine is too short on a loaded one (and the test fails for
no reason), or longer than needed everywhere (and the suite is slow). These poll a real
condition until a deadline instead. Qt tests use `qtbot.waitUntil`, which also runs events.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

POLL = 0.005  # seconds between two looks


def comes_true(condition: Callable[[], bool], timeout: float) -> bool:
    """Whether `condition` became true within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(POLL)
    return True


def wait_until(condition: Callable[[], bool], timeout: float = 30.0, *, what: str) -> None:
    """Return as soon as `condition` is true; fail the test if it is not within `timeout`."""
    if not comes_true(condition, timeout):
        raise AssertionError(f"waited {timeout} s for {what}")


def process_ended(pid: int) -> bool:
    """True once process `pid` has stopped running (a zombie not yet reaped has ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.is_dir():
        try:
            return stat.read_text().rsplit(")", 1)[1].split()[0] == "Z"
        except (FileNotFoundError, ProcessLookupError):
            return True
    ps = shutil.which("ps")
    if ps is None:
        return True  # os.kill found it: nothing else to ask on this platform
    state = subprocess.run([ps, "-o", "stat=", "-p", str(pid)], capture_output=True,
                           text=True, check=False).stdout.strip()
    return not state or state.startswith("Z")


def cpu_seconds(pid: int) -> float | None:
    """The CPU time process `pid` has used so far, or None where the platform does not say."""
    stat = Path(f"/proc/{pid}/stat")
    if stat.parent.is_dir():
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    ps = shutil.which("ps")
    if ps is None:
        return None
    used = subprocess.run([ps, "-o", "time=", "-p", str(pid)], capture_output=True, text=True,
                          check=False).stdout.strip()  # [[dd-]hh:]mm:ss[.cc]
    if not used:
        return None
    days, _, clock = used.rpartition("-")
    seconds = 0.0
    for part in clock.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds + 86400 * int(days or 0)
