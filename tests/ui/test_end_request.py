"""SIGTERM (a logout or shutdown on Linux, `kill`) ends the desktop app as closing it does.

Python's default ended the process on the spot: words typed about a picture and not yet
saved were lost, and the worker processes were left to notice on their own. A real app
process is started on a real case, the description is typed with key events, and the
process is sent SIGTERM from outside; what reached the case file is then read back.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image

from app.core.intake import import_paths
from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE

ROOT = Path(__file__).resolve().parents[2]

APP = r"""
import signal, sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from app.ui.shell.launch import run_desktop_app

def type_text(widget, text):  # a key event per character, as tests/ui/keys.py types
    for char in text:
        if char.isascii() and char.isprintable():
            QTest.keyClick(widget, char)
            continue
        for kind in (QKeyEvent.Type.KeyPress, QKeyEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, char))

def started(session):
    def unlock():
        dialog = session.unlock_dialog
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(50, unlock)
            return
        dialog.passphrase_edit.setFocus()
        type_text(dialog.passphrase_edit, sys.argv[2])
        QTest.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
        QTimer.singleShot(50, describe)

    def describe():
        window = session.main_window
        if window is None or not window.isVisible() or not session.controller.is_open() \
                or not window.evidence.model.rowCount():
            QTimer.singleShot(50, describe)
            return
        window.evidence.select_evidence(window.evidence.model.evidence(0).id)
        box = window.evidence.details.description
        box.setFocus()
        type_text(box, "He said he would send it to my school")
        print("typed", flush=True)  # the test sends SIGTERM now

    session.app.aboutToQuit.connect(lambda: print("about to quit", flush=True))
    QTimer.singleShot(0, unlock)
    QTimer.singleShot(60_000, session.app.quit)  # never hang the test

code = run_desktop_app([sys.argv[1]], on_started=started)
print("handler given back:", signal.getsignal(signal.SIGTERM) == signal.SIG_DFL, flush=True)
sys.exit(code)
"""


def test_sigterm_locks_the_case_and_keeps_the_description_being_typed(tmp_path: Path) -> None:
    path = tmp_path / "case.skcase"
    picture = tmp_path / "threat.png"
    Image.new("RGB", (60, 40), "#305070").save(picture)
    with CaseFile.create(path, PASSPHRASE, display_name="Sam", actor="tester",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        import_paths(case, [picture])
    script = tmp_path / "safekeep_run.py"  # not "app.py": that is the package
    script.write_text(APP)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "SAFEKEEP_"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path),
               XDG_CONFIG_HOME=str(tmp_path / "cfg"), PYTHONPATH=str(ROOT))
    app = subprocess.Popen([sys.executable, str(script), str(path), PASSPHRASE], env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert app.stdout is not None
    try:
        deadline = time.monotonic() + 60
        for line in app.stdout:
            if line.strip() == "typed" or time.monotonic() > deadline:
                break
        app.send_signal(signal.SIGTERM)  # as a logout does
        out, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
    assert app.returncode == 0, err  # not -15: it ended as a close does
    assert "about to quit" in out and "handler given back: True" in out, out + err
    with CaseFile.open(path, PASSPHRASE, actor="tester", record_open=False) as case:
        [item] = list_evidence(case)
    assert item.description == "He said he would send it to my school"
