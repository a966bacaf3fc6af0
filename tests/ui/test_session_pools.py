"""The session's worker processes: one preview pool and one reading pool for a whole unlocked
session, however many imports, pastes and pictures shown; no worker left after a lock.

Worker processes are counted from /proc (our children running multiprocessing's spawn_main),
sampled every few milliseconds in a thread, so even a pool that lives for one item is seen.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.core.reading.stored import unread_ids
from app.core.sandbox import default_workers
from app.models.casefile import CaseFile
from app.ui.evidence.view import EvidenceView
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.test_text_reading import CHAT, picture
from tests.ui.keys import put_focus
from tests.ui.shell_support import clock, closed_case, open_case_in_shell, settle, shell
from tests.ui.views_support import run_in_case

__all__ = ["clock", "shell"]

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")

READ_TIMEOUT = 90_000


def worker_pids() -> set[int]:
    """Our children that are multiprocessing workers (not its resource tracker, not zombies)."""
    me, found = os.getpid(), set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes() if ppid == me else b""
        except (OSError, ValueError, IndexError):
            continue
        if b"spawn_main" in command:
            found.add(int(entry.name))
    return found


class WorkerWatch:
    """Every worker process seen while it runs, sampled every few milliseconds."""

    def __init__(self) -> None:
        self.before = worker_pids()  # other tests' pools, if any are still closing
        self.seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            self.seen |= worker_pids() - self.before

    def alive(self) -> set[int]:
        return worker_pids() - self.before

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture
def watch() -> Iterator[WorkerWatch]:
    watcher = WorkerWatch()
    yield watcher
    watcher.stop()


def _wait_import(qtbot: QtBot, view: EvidenceView) -> None:
    qtbot.waitUntil(lambda: view.is_busy() or bool(view.result_label.text()), timeout=10_000)
    qtbot.waitUntil(lambda: not view.is_busy(), timeout=30_000)
    settle(qtbot)


def _add_by_file_dialog(qtbot: QtBot, view: EvidenceView, files: list[Path]) -> None:
    view.add_files()  # the real (Qt, non-native) dialog, driven without exec()
    dialog = view.findChild(QFileDialog)
    assert dialog is not None
    dialog.setDirectory(str(files[0].parent))
    dialog.selectFile(" ".join(f'"{f.name}"' for f in files))
    dialog.accept()
    _wait_import(qtbot, view)


def _paste(qtbot: QtBot, view: EvidenceView, png: bytes) -> None:
    image = QImage()
    assert image.loadFromData(png)
    QGuiApplication.clipboard().setImage(image)
    put_focus(qtbot, view.grid)
    QTest.keyClick(view.grid, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    _wait_import(qtbot, view)
    QGuiApplication.clipboard().clear()


def test_one_pool_of_each_for_the_session_and_none_after_a_lock(
    qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
    tmp_path: Path, watch: WorkerWatch,
) -> None:
    open_case_in_shell(qtbot, shell, closed_case(make_case))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    view = window.evidence
    window.show_view("evidence")
    # Warmed once the window was up: the previews' workers are there before anything is added.
    qtbot.waitUntil(lambda: len(watch.alive()) == default_workers(), timeout=15_000)

    shots = []
    for n in range(3):
        path = tmp_path / f"chat-{n}.png"
        path.write_bytes(picture([*CHAT, f"message {n}"]))
        shots.append(path)
    _add_by_file_dialog(qtbot, view, shots[:1])
    _add_by_file_dialog(qtbot, view, shots[1:])
    _paste(qtbot, view, picture([*CHAT, "pasted"]))
    assert view.model.rowCount() == 4

    # Each addition set the reader going; wait until every picture is read.
    controller = shell.controller
    qtbot.waitUntil(lambda: not window.found.reader.is_running()
                    and not run_in_case(qtbot, controller, unread_ids), timeout=READ_TIMEOUT)
    settle(qtbot)
    # Show each picture with what was found on it: decoded large, by the same preview pool.
    found = view.details.found
    assert found is not None
    for item in view.model.rows():
        assert view.select_evidence(item.id)
        qtbot.waitUntil(lambda: found.picture.pixmap() is not None
                        and not found.picture.pixmap().isNull(), timeout=15_000)
        settle(qtbot)

    readers = min(default_workers(), 4)
    assert len(watch.seen) == default_workers() + readers, (
        "one preview pool and one reading pool for the whole session")
    assert watch.alive() == watch.seen
    assert controller.pools.started == 2

    # Ctrl+L, as a person locks: not one worker (nor anything it decoded) is left.
    put_focus(qtbot, view.grid)
    QTest.keyClick(view.grid, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not controller.is_open(), timeout=15_000)
    assert watch.alive() == set()
    assert not controller.pools.is_running()


def test_the_pools_start_after_the_first_window_and_stop_on_quit(
    qtbot: QtBot, shell: SafekeepSession, watch: WorkerWatch
) -> None:
    first = shell.start()
    assert first.isVisible()
    # Nothing is started before the first window shows (start-up is what a person waits for)...
    assert watch.alive() == set()
    # ...then the previews' workers start in the background while the person reads.
    qtbot.waitUntil(lambda: len(watch.alive()) == default_workers(), timeout=15_000)
    shell.shutdown()  # what quitting runs, whatever the reason
    assert watch.alive() == set()


def test_a_picture_preview_is_large_and_a_thumbnail_small_from_one_pool() -> None:
    from PIL import Image

    from app.core.pictures.preview_pool import PreviewPool

    big = io.BytesIO()
    Image.new("RGB", (3000, 2000), "#306090").save(big, "PNG")
    with PreviewPool(workers=1, largest_side=1600) as pool:
        thumb = pool.submit(big.getvalue()).result()
        large = pool.submit(big.getvalue(), max_side=1600).result()
        with pytest.raises(ValueError):
            pool.submit(big.getvalue(), max_side=1601)
    assert (thumb.thumb_width, thumb.thumb_height) == (320, 213)
    assert (large.thumb_width, large.thumb_height) == (1600, 1067)


def test_asking_for_the_previews_while_they_start_never_holds_the_window(
    qtbot: QtBot, watch: WorkerWatch
) -> None:
    """The session asks for the preview pool when the main window is built and again when the
    case opens; the second ask came while a worker thread was starting the pool (its lock
    held for tens of milliseconds) and waited for it on the GUI thread, as the window first
    showed. Here a thread holds the lock as a start does; asking must not wait for it."""
    from app.ui.kit.pools import WorkerPools

    pools = WorkerPools()
    holding, release = threading.Event(), threading.Event()
    still_holding = [True]

    def start_in_progress() -> None:
        with pools._lock:
            holding.set()
            release.wait(10)
            still_holding[0] = False  # set while the lock is still held: the order is sure

    holder = threading.Thread(target=start_in_progress)
    holder.start()
    assert holding.wait(10)
    pools.warm()  # on the GUI thread: the window built...
    pools.warm()  # ...and the case opened
    assert still_holding[0], "asking for the previews waited for a start under way"
    release.set()
    holder.join()
    settle(qtbot)
    assert pools.started == 1, "one pool, however often asked"
    pools.close()
    assert watch.alive() == set()
