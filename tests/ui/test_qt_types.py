"""PySide6's start-up costs taken off the waiting turns (app/ui/kit/qt_types.py, issue 18).

Each case runs in a fresh process: which types PySide6 has made, and its import hook, belong
to the whole process, and the test session has long made them all.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE

ROOT = Path(__file__).resolve().parents[2]


def run_child(code: str, tmp_path: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen",
             "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])})
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


HOOK = r"""
import sys
import PySide6.QtCore
import PySide6.support.feature as feature
from app.ui.kit.qt_types import drop_feature_import_hook
import module_before
print("read before:", "module_before" in feature.pyside_feature_dict)
print("dropped:", drop_feature_import_hook())
print("dropped again:", drop_feature_import_hook())
import module_after
print("read after:", "module_after" in feature.pyside_feature_dict)
from PySide6.QtWidgets import QWizard  # a lazy type still comes through the import
print("lazy import:", QWizard.__name__)
"""


def test_the_feature_hook_no_longer_reads_each_new_module(tmp_path: Path) -> None:
    (tmp_path / "module_before.py").write_text("VALUE = 1\n")
    (tmp_path / "module_after.py").write_text("VALUE = 2\n")
    out = run_child(HOOK, tmp_path)
    # With the hook on, each module imported is read as text and noted in PySide's table.
    assert "read before: True" in out, out
    assert "dropped: True" in out and "dropped again: False" in out, out
    assert "read after: False" in out, out
    assert "lazy import: QWizard" in out, out


def test_no_module_of_the_app_asks_for_a_pyside_feature() -> None:
    """`from __feature__ import ...` would quietly do nothing once the hook is dropped."""
    asks = re.compile(r"^\s*(from __feature__ import|import __feature__)", re.MULTILINE)
    users = [path.relative_to(ROOT) for path in (ROOT / "app").rglob("*.py")
             if asks.search(path.read_text(encoding="utf-8"))]
    assert users == []


WARM = r"""
import enum, sys
made = []
make = enum.EnumType._create_
def counting(cls, *args, **kwargs):
    made.append(args[0] if args else "?")
    return make(cls, *args, **kwargs)
enum.EnumType._create_ = counting

from PySide6.QtCore import QObject, Qt  # Qt's ~90 enums: the first window makes them too
from PySide6.QtWidgets import QApplication, QLineEdit
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
from app.ui.kit.qt_types import TypeWarmUp, types_not_made

app = QApplication([])
warm = sys.argv[1] == "warm"
if warm:
    modules_before = set(sys.modules)
    warm_up = TypeWarmUp(budget_s=0.002)
    longest = 0
    while True:
        before = len(made)
        if not warm_up.step():
            break
        longest = max(longest, len(made) - before)
    print("turns:", warm_up.turns)
    print("most enum classes in one turn:", longest)
    print("modules imported:", sorted(set(sys.modules) - modules_before) or "none")
    print("left:", sum(len(types_not_made(m)) for m in
                       (PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets)))

class Watch(QObject):
    def eventFilter(self, watched, event):
        return False

watch = Watch()
app.installEventFilter(watch)
edit = QLineEdit()  # its text control is a class PySide does not bind
edit.show()
edit.activateWindow()
edit.setFocus()
before = len(made)
for _ in range(40):  # long enough for the text cursor to blink: its timer is the object
    app.processEvents()
    PySide6.QtCore.QThread.msleep(20)
print("made when an unbound object met the filter:", len(made) - before)
"""


def test_types_are_made_ahead_in_small_steps(tmp_path: Path) -> None:
    cold = run_child(WARM.replace("sys.argv[1]", "'cold'"), tmp_path)
    # Without the warm-up, the first Qt-internal object to reach a Python event filter makes
    # every type PySide had not made yet, in one go (the stall issue 18 measured).
    swept = int(cold.split("made when an unbound object met the filter:")[1].split()[0])
    assert swept > 50, cold
    warm = run_child(WARM.replace("sys.argv[1]", "'warm'"), tmp_path)
    assert int(warm.split("turns:")[1].split()[0]) >= 10, warm
    # One large class (QStyle, QEvent) is made in one turn; no turn comes near the sweep.
    assert int(warm.split("most enum classes in one turn:")[1].split()[0]) * 3 < swept, warm
    assert "modules imported: none" in warm, warm
    assert "left: 0" in warm, warm
    left = int(warm.split("made when an unbound object met the filter:")[1].split()[0])
    assert left < 10, warm


FIRST_WINDOW = r"""
import sys
from PySide6.QtCore import QTimer
import PySide6.QtCore
from app.ui.shell.launch import run_desktop_app

def started(session):
    def first_turn():
        # QProcess: a class Safekeep never uses, so made only by a sweep of every type.
        print("swept before the first window:", "QProcess" in vars(PySide6.QtCore))
        print("filters listening:", not session.filters.is_paused())
        session.app.quit()
    QTimer.singleShot(0, first_turn)

sys.exit(run_desktop_app([], on_started=started))
"""


QT_NAMESPACE = r"""
import sys
from PySide6.QtCore import QTimer
import PySide6.QtCore
from app.ui.shell.launch import run_desktop_app

def started(session):
    print("Qt made before the first window:", "Qt" in vars(PySide6.QtCore))
    def first_turn():
        print("Qt made in the first turn:", "Qt" in vars(PySide6.QtCore))
        print("build started in the first turn:", session._builder.started)
        QTimer.singleShot(100, later)
    def later():
        print("build started later:", session._builder.started)
        session.app.quit()
    QTimer.singleShot(0, first_turn)
    QTimer.singleShot(10_000, session.app.quit)  # a slot that raised must not hang the test

sys.exit(run_desktop_app(sys.argv[1:], on_started=started))
"""


def test_the_first_window_shows_before_qt_s_enums_are_made(tmp_path: Path) -> None:
    """Importing `Qt` makes its 100 or so enum classes (about 15 ms, a quarter of what the
    welcome window cost beyond a bare one). The welcome window shows without them; they are
    made in the first turn after it, and the main window's build (with its imports in a
    background thread beside the GUI thread) starts only in a later turn, so that first turn
    does not carry both. The unlock dialog of a case named at start (`safekeep gui CASE`)
    lays out its message bar with `Qt` before it shows; its build waits a turn all the same."""
    case = tmp_path / "case.skcase"
    with CaseFile.create(case, PASSPHRASE, display_name="Types", actor="test",
                         kdf_profile=TEST_KDF_PROFILE):
        pass
    script = tmp_path / "qt_namespace.py"
    script.write_text(QT_NAMESPACE)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "SAFEKEEP_"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "cfg"), PYTHONPATH=str(ROOT))
    for first_window in ([], [str(case)]):  # welcome; the unlock dialog of a named case
        out = subprocess.run([sys.executable, str(script), *first_window], env=env,
                             capture_output=True, text=True, timeout=120, check=False).stdout
        if not first_window:
            assert "Qt made before the first window: False" in out, out
        assert "Qt made in the first turn: True" in out, (first_window, out)
        assert "build started in the first turn: False" in out, (first_window, out)
        assert "build started later: True" in out, (first_window, out)


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="Xvfb is not installed")
def test_no_sweep_of_every_type_before_the_first_window_on_x11(tmp_path: Path) -> None:
    """On an X display an input method's object (QComposeInputContext) and PySide's own
    signal tracker reached the session's Python event filter as the first window showed,
    and made PySide build every remaining type first: about 40 ms before the first window
    was up. The filters now wait for the types to be made a few per turn."""
    script = tmp_path / "first_window.py"
    script.write_text(FIRST_WINDOW)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "SAFEKEEP_"))}
    env.update(QT_QPA_PLATFORM="xcb", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               PYTHONPATH=str(ROOT))
    out = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", sys.executable,
                          str(script)], env=env, capture_output=True, text=True, timeout=120,
                         check=False).stdout
    assert "swept before the first window: False" in out, out
    assert "filters listening: False" in out, out
