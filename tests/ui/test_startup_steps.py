"""From the first window to the main window without stalling it (issue 18).

The main window used to be built in one turn of the event loop right after the first window
showed: about 0.8 s of importing the database layer and the case's packages on the GUI
thread, during which the window on screen could not answer. Now the Qt-free packages load in
a worker thread, and the window is built a small piece per turn (app/ui/shell/warm_up.py).
These tests check the structure, not the clock (a timing test would be flaky on a shared
2-core machine); benchmarks/bench_startup.py measures the time and the longest stall.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController
from app.ui.kit.worker import wait_for_all
from app.ui.shell import warm_up
from app.ui.shell.main_window import MainWindow
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.ui.shell_support import closed_case, open_handles_on

ROOT = Path(__file__).resolve().parents[2]

# A fresh process, as `safekeep gui CASE`: which thread imports the heavy packages, and what is
# loaded by the time the main window shows. An import hook notes each module as it is first
# found, with the thread that asked.
CHILD = r"""
import sys, threading
HEAVY = ("sqlalchemy", "sqlcipher3", "app.models", "app.core", "app.export", "phonenumbers",
         "PIL", "pyzipper")
# Not needed to show the main window (warm_up.LATER_MODULES): loaded after it has painted.
LATER = ("pyzipper", "app.export", "phonenumbers", "email_validator", "puremagic",
         "app.core.reading.candidates")
on_gui_thread = []
shown = {"main": False}

class Watch:
    def find_spec(self, name, path=None, target=None):
        if (shown["first"] and threading.current_thread() is threading.main_thread()
                and name.startswith(HEAVY)):
            on_gui_thread.append(name)
        return None

shown["first"] = False
sys.meta_path.insert(0, Watch())

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.ui.kit.controller import CaseController
from app.ui.shell.session import SafekeepSession
from app.ui.shell.settings import AppSettings, locate_settings, redirect_qt_settings

app = QApplication([])
from pathlib import Path
location = locate_settings(override_dir=Path(sys.argv[2]))
redirect_qt_settings(location)
controller = CaseController(actor="tester", kdf_profile=int(sys.argv[3]))
session = SafekeepSession(app, AppSettings(location), controller=controller,
                          quit_on_quick_exit=False, watch_platform=False)
session.start(sys.argv[1])
shown["first"] = True  # the unlock dialog is up: from here on the GUI thread must not stall

def first_shown():
    dialog = session.unlock_dialog
    dialog.passphrase_edit.setText(sys.stdin.readline().rstrip("\n"))
    dialog.unlock_button.click()

def opened():
    window = session.main_window
    print("main window shown:", window is not None and window.isVisible())
    print("on the GUI thread:", ",".join(sorted(set(on_gui_thread))) or "none")
    print("reportlab loaded:", "reportlab" in sys.modules)
    print("not needed yet, loaded:",
          ",".join(name for name in LATER if name in sys.modules) or "none")
    wait_for_later(50)

def wait_for_later(tries_left):
    # After the first paint the builder's worker loads them, so the export dialog finds them.
    if all(name in sys.modules for name in LATER) or not tries_left:
        print("loaded once the window painted:", all(name in sys.modules for name in LATER))
        app.quit()
    else:
        QTimer.singleShot(100, lambda: wait_for_later(tries_left - 1))

QTimer.singleShot(0, first_shown)
controller.case_opened.connect(opened)
app.exec()
session.dispose()
"""


def test_the_gui_thread_imports_nothing_heavy_between_the_first_and_the_main_window(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    path = closed_case(make_case)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), str(tmp_path / "settings"),
         str(TEST_KDF_PROFILE)],
        input=PASSPHRASE + "\n", capture_output=True, text=True, timeout=180, cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)})
    out = result.stdout
    assert "main window shown: True" in out, out + result.stderr
    # Importing these on the GUI thread froze the first window for most of a second.
    assert "on the GUI thread: none" in out, out
    # The PDF library is for exports: nothing at start-up needs it.
    assert "reportlab loaded: False" in out, out
    # Nor the export code (about 70 ms), phonenumbers, email_validator, puremagic or the rules
    # that find details (about 90 patterns compiled): the main window showed later for waiting
    # on them; the builder's worker loads them after its first paint.
    assert "not needed yet, loaded: none" in out, out
    assert "loaded once the window painted: True" in out, out


def test_the_main_window_is_built_in_small_steps_and_comes_out_the_same(
        qtbot: QtBot) -> None:
    controller = CaseController()
    whole = MainWindow(controller)
    qtbot.addWidget(whole)
    stepped = MainWindow(controller, build_now=False)
    qtbot.addWidget(stepped)
    assert not stepped.built and not stepped.views
    steps = sum(1 for _step in stepped.building())
    # One view per step (seven pages, the checklist), then the frame around them.
    assert steps >= 10
    assert stepped.built
    assert list(stepped.views) == list(whole.views)
    assert ([stepped.tabs.tabText(i) for i in range(stepped.tabs.count())]
            == [whole.tabs.tabText(i) for i in range(whole.tabs.count())])
    assert stepped.size() == whole.size()


def test_an_unlock_waits_at_the_gate_and_a_lock_meanwhile_closes_the_case(
        qtbot: QtBot, make_case: Callable[..., CaseFile]) -> None:
    """The session holds an opening until the main window is built: the task, once the key is
    derived, waits before it reads anything. A lock in between must leave nothing open (the
    key dropped, the file closed) and must not wait for the window."""
    path = closed_case(make_case)
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)
    held: list[Callable[[], None]] = []
    controller.open_gate = held.append
    opened: list[bool] = []
    controller.case_opened.connect(lambda: opened.append(True))
    controller.unlock(path, PASSPHRASE)
    assert len(held) == 1
    qtbot.waitUntil(lambda: bool(open_handles_on(path)), timeout=15000)  # the key is derived
    qtbot.wait(200)
    assert not controller.is_open() and not opened  # unlocked, but not shown to anyone yet
    started = time.monotonic()
    controller.lock()
    assert time.monotonic() - started < 2, "the waiting task saw the lock at once"
    assert open_handles_on(path) == []
    held[0]()  # the window is ready now: too late, nothing opens
    qtbot.wait(200)
    assert not controller.is_open() and not opened
    assert wait_for_all(5000)
    # And without a lock, the opening goes through once the gate lets it.
    controller.unlock(path, PASSPHRASE)
    assert len(held) == 2
    qtbot.wait(300)
    assert not controller.is_open()
    held[1]()
    qtbot.waitUntil(controller.is_open, timeout=15000)
    assert opened == [True]
    controller.lock()


SLOW_MODULE = """
import pathlib, time
folder = pathlib.Path(__file__).parent
(folder / "started").touch()
for _ in range(1000):  # at most 10 s
    if (folder / "release").exists():
        break
    time.sleep(0.01)
(folder / "finished").touch()
"""


def test_a_lock_does_not_wait_for_the_imports_after_the_first_paint(
        qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quick exit locks the case, and a lock waits for the work run_task started: the imports
    made after the main window's first paint must not be part of it."""
    (tmp_path / "slow_later_module.py").write_text(SLOW_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(warm_up, "LATER_MODULES", ("slow_later_module",))
    controller = CaseController()
    built: list[MainWindow] = []
    builder = warm_up.MainWindowBuilder(lambda: MainWindow(controller, build_now=False),
                                        built.append, controller)
    try:
        builder.finish()  # not shown, so no paint: the imports start after the fallback (1 s)
        qtbot.waitUntil(lambda: (tmp_path / "started").exists(), timeout=10_000)
        assert not (tmp_path / "finished").exists()  # still importing
        assert wait_for_all(200)  # a lock now would not wait for it
    finally:
        (tmp_path / "release").touch()
        qtbot.waitUntil(lambda: (tmp_path / "finished").exists(), timeout=10_000)
        sys.modules.pop("slow_later_module", None)
        for window in built:
            window.deleteLater()
