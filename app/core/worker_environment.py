"""What a worker process starts with: only the environment it needs to run, nothing else,
and the limits it sets on itself before it sees any hostile bytes (`harden_worker`).

Workers decode pictures that come from criminals. If a decoder were ever exploited, whatever
is in the worker's environment would be the attacker's: a passphrase given in
SAFEKEEP_PASSPHRASE, tokens and keys of other programs. A process's starting environment
stays readable in /proc/PID/environ for its whole life, whatever it deletes later, so it has
to be small from the start.

`multiprocessing` starts a spawned worker with the parent's whole environment and offers no
way to pass another. `CleanSpawnProcess` is its spawn process with one difference: on POSIX the
worker is started by `subprocess`, which takes the small environment as an argument. The
parent's own environment is never touched. An earlier version emptied `os.environ` around each
start and put it back: changing the C library's environment while another thread reads it is
not safe (glibc's `getenv` takes no lock), and Qt on the GUI thread reads it all the time. The
suite crashed with a segmentation fault on the GUI thread while a worker thread started a pool.

On Windows the worker is started by multiprocessing's own code inside `swapped_environment()`,
as before: Windows guards its environment block with a lock, and there is no other way in.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import popen_spawn_posix, reduction, spawn, util
from multiprocessing.context import SpawnProcess, set_spawning_popen
from typing import Any

# What Python, Pillow and Tesseract need to start and behave as in the app: where programs
# and libraries are, the language and time zone, the temporary folder, Python's own settings,
# and on Windows the variables without which Python cannot start at all.
KEPT = frozenset({
    "PATH", "LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH", "LANG", "LANGUAGE", "TZ",
    "TMPDIR", "TEMP", "TMP", "SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT",
    "PYTHONHOME", "PYTHONPATH", "PYTHONHASHSEED", "PYTHONIOENCODING", "PYTHONUTF8",
    "PYTHONDONTWRITEBYTECODE", "OMP_THREAD_LIMIT", "TESSDATA_PREFIX",
})
# Locale settings, and what a program frozen by PyInstaller (issue 19) tells its own children.
KEPT_PREFIXES = ("LC_", "_PYI_", "_MEI")

_swapping = threading.Lock()


def kept(name: str) -> bool:
    return name.upper() in KEPT or name.upper().startswith(KEPT_PREFIXES)


def worker_environment() -> dict[str, str]:
    """The variables a worker starts with: ours, less everything not in KEPT."""
    return {name: value for name, value in os.environ.items() if kept(name)}


class CleanSpawnProcess(SpawnProcess):
    """multiprocessing's spawn process, started with `worker_environment()` only."""

    @staticmethod
    def _Popen(process_obj: Any) -> Any:  # multiprocessing names it so
        if sys.platform == "win32":
            from multiprocessing.popen_spawn_win32 import Popen

            with swapped_environment():
                return Popen(process_obj)
        return _CleanEnvironmentPopen(process_obj)


class _CleanEnvironmentPopen(popen_spawn_posix.Popen):
    """The standard spawn launch (the same command line, the same pipes, the same pickled
    process object), except that `subprocess` starts the child with the small environment,
    and so also waits for it. No resource tracker is started for it: workers make no
    semaphores or shared memory, and the tracker would be one more process with our whole
    environment."""

    _child: subprocess.Popen[bytes]
    _fds: list[int]  # what the child inherits (set by the stdlib's __init__)

    def _launch(self, process_obj: Any) -> None:
        prepared = io.BytesIO()
        set_spawning_popen(self)
        try:
            reduction.dump(spawn.get_preparation_data(process_obj._name), prepared)
            reduction.dump(process_obj, prepared)
        finally:
            set_spawning_popen(None)
        parent_r = child_w = child_r = parent_w = None
        try:
            parent_r, child_w = os.pipe()  # end-of-file on parent_r: the child has ended
            child_r, parent_w = os.pipe()  # what the child reads to become the worker
            command = spawn.get_command_line(pipe_handle=child_r)
            self._fds.extend([child_r, child_w])
            self._child = subprocess.Popen(
                command, executable=spawn.get_executable(), env=worker_environment(),
                close_fds=True, pass_fds=sorted(self._fds), restore_signals=False)
            self.pid = self._child.pid
            _run_behind(self.pid)
            self.sentinel = parent_r
            with open(parent_w, "wb", closefd=False) as pipe:
                pipe.write(prepared.getbuffer())
        finally:
            self.finalizer = util.Finalize(
                self, _close_all, [fd for fd in (parent_r, parent_w) if fd is not None])
            for fd in (child_r, child_w):
                if fd is not None:
                    os.close(fd)

    def poll(self, flag: int = os.WNOHANG) -> int | None:
        # subprocess reaps the child, so that it never waits for a pid reaped under it.
        if self.returncode is None:
            self.returncode = self._child.poll() if flag == os.WNOHANG else self._child.wait()
        return self.returncode


# Workers decode pictures and read text in the background: a person waits for the window, not
# for them. Started at a lower priority, they still take every core nobody else wants, but the
# window's own thread comes first (a worker starting up spends about a second loading its
# decoders, and on two cores two of them left the window waiting up to 100 ms at a time).
WORKER_NICENESS = 10


def _run_behind(pid: int) -> None:
    with contextlib.suppress(OSError):  # not allowed here: it runs as other processes do
        os.setpriority(os.PRIO_PROCESS, pid, os.getpriority(os.PRIO_PROCESS, 0) + WORKER_NICENESS)


def _close_all(*fds: int) -> None:
    for fd in fds:
        os.close(fd)


@contextmanager
def swapped_environment() -> Iterator[None]:
    """Windows only: the process's environment is the small one inside this."""
    with _swapping:
        saved = dict(os.environ)
        try:
            for name in [n for n in os.environ if not kept(n)]:
                del os.environ[name]
            yield
        finally:
            for name, value in saved.items():
                if os.environ.get(name) != value:
                    os.environ[name] = value


def harden_worker(memory_limit: int | None) -> None:
    """Limits a worker sets on itself before it sees any hostile bytes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the app, which closes the pool
    if sys.platform == "win32":
        return  # no rlimits; the time limit still applies
    import resource

    # A crash must not leave a core file: it would hold the picture, unencrypted, on disk.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform == "linux":  # also no dumps through a core_pattern pipe, and no ptrace
        import ctypes

        with contextlib.suppress(Exception):
            ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    if memory_limit is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        with contextlib.suppress(ValueError, OSError):  # macOS does not enforce RLIMIT_AS
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
