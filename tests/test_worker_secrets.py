"""Secrets never reach the processes that decode hostile files (issue 20, item 5).

A passphrase given in SAFEKEEP_PASSPHRASE, or any other program's token in the environment,
must not be in a preview or text-recognition worker's environment: a worker's starting
environment stays readable in /proc/PID/environ for its whole life. The command itself is
made non-dumpable, so other programs cannot read its memory or environment."""

import ctypes
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from app.core.intake import import_paths
from app.core.pictures import PreviewPool
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")

OTHER_TOKEN = "token-of-another-program-5f1c"


def _environ_of(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:  # it ended while we looked
        return b""


def _cmdline_of(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                status = (entry / "status").read_text()
            except OSError:
                continue
            if f"\nPPid:\t{pid}\n" in status:
                found.append(int(entry.name))
    return found


def _workers_started(count: int, within: float = 10.0) -> list[int]:
    """Our worker processes once `count` of them run their own program. A pool returns as
    soon as it has asked for them: a worker just forked still shows our command line (and a
    test on a busy machine found none yet), and what it shows then is not what it runs."""
    deadline = time.monotonic() + within
    while True:
        found = [pid for pid in _children_of(os.getpid())
                 if b"multiprocessing" in _cmdline_of(pid) and b"PATH=" in _environ_of(pid)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.01)


def test_preview_workers_start_with_only_the_variables_they_need(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SAFEKEEP_PASSPHRASE", "a secret passphrase 31c9")
    monkeypatch.setenv("OTHER_PROGRAM_TOKEN", OTHER_TOKEN)
    before = dict(os.environ)
    with PreviewPool(workers=2) as pool:
        children = _workers_started(2)
        environments = [_environ_of(pid) for pid in children]
        assert dict(os.environ) == before  # ours is whole again once they started
        assert pool.workers == 2
    workers = [env for env in environments if b"PATH=" in env]
    assert len(workers) >= 2
    for env in workers:
        assert b"a secret passphrase 31c9" not in env and OTHER_TOKEN.encode() not in env
        names = {item.split(b"=", 1)[0] for item in env.split(b"\0") if item}
        assert b"HOME" not in names and b"SAFEKEEP_PASSPHRASE" not in names


def test_our_own_environment_stays_whole_while_workers_start(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt reads the environment on the GUI thread while a worker thread starts a pool. The
    C library's environment is not safe to change under a reader: emptying it around each
    start (as an earlier version did) crashed the suite with a segmentation fault. A thread
    reading it through the C library must see it whole the whole time."""
    monkeypatch.setenv("OTHER_PROGRAM_TOKEN", OTHER_TOKEN)
    getenv = ctypes.CDLL(None).getenv
    getenv.restype = ctypes.c_char_p
    getenv.argtypes = [ctypes.c_char_p]
    looks, missing = [0], [0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            looks[0] += 1
            if getenv(b"OTHER_PROGRAM_TOKEN") != OTHER_TOKEN.encode():
                missing[0] += 1

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(3):
            with PreviewPool(workers=2) as pool:
                assert pool.workers == 2
    finally:
        stop.set()
        watcher.join()
    assert looks[0] > 20  # it was looking while the workers started
    assert missing[0] == 0


def _chat_picture(path: Path, words: str) -> Path:
    image = Image.new("RGB", (1200, 700), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    for line in range(12):
        draw.text((40, 40 + line * 50), f"{words} line {line} pay me now", fill=(0, 0, 0))
    image.save(path)
    return path


def test_the_command_line_keeps_its_passphrase_from_the_workers_it_starts(
        tmp_path: Path) -> None:
    case_path = tmp_path / "case.skcase"
    pictures = tmp_path / "in"
    pictures.mkdir()
    with CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        import_paths(case, [_chat_picture(pictures / f"chat{n}.png", f"message {n}")
                            for n in range(6)])
    env = {**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE, "OTHER_PROGRAM_TOKEN": OTHER_TOKEN}
    command = subprocess.Popen([sys.executable, "-m", "app", "ocr", str(case_path)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen: dict[int, bytes] = {}
    while command.poll() is None:  # the readers take a second or more a picture
        for pid in _children_of(command.pid):
            # Between fork and exec a child still shows its parent's starting environment;
            # judge it once it runs as a worker (multiprocessing's spawn command line).
            if pid not in seen and b"multiprocessing" in _cmdline_of(pid):
                seen[pid] = _environ_of(pid)
        time.sleep(0.02)
    _out, err = command.communicate()
    assert command.returncode == 0, err
    workers = {pid: e for pid, e in seen.items() if e}
    assert workers, "no worker was seen"
    for environment in workers.values():
        assert PASSPHRASE.encode() not in environment
        assert OTHER_TOKEN.encode() not in environment


def test_the_command_is_not_dumpable() -> None:
    probe = ("import ctypes; from app.__main__ import disable_core_dumps; disable_core_dumps(); "
             "print(ctypes.CDLL(None).prctl(3, 0, 0, 0, 0))")  # PR_GET_DUMPABLE
    said = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True)
    assert said.stdout.strip() == "0"
