"""Run the real desktop app in PORTABLE mode in this (child) process, drive it, and quit.

Used by test_portable.py: argv[1] is the "USB stick" folder (the program root). The program
root is redirected there, then `run_desktop_app` starts exactly as `safekeep gui` would.
"""

import sys
from pathlib import Path

usb = Path(sys.argv[1])
flag = sys.argv[2:] == ["--portable"]

import app.ui.shell.settings as settings_module  # noqa: E402

settings_module.program_roots = lambda: [usb]

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.ui.shell.launch import run_desktop_app  # noqa: E402


def drive() -> None:
    from app.ui.kit.file_dialogs import choose_case_to_open
    from app.ui.shell.session import SafekeepSession

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    session = next(o for o in app.children() if isinstance(o, SafekeepSession))
    assert session.settings.portable, "portable mode is on"
    session.settings.auto_lock_minutes = 7  # a setting is written
    session.settings.neutral_title = True
    session.apply_settings()
    dialog = choose_case_to_open(session.welcome, lambda path: None)  # Qt's file dialog
    dialog.reject()
    session.controller._kdf_profile = 1

    def opened() -> None:
        session.lock("button")
        QTimer.singleShot(50, app.quit)

    session.controller.create_case(usb / "case.skcase", "a passphrase", "Portable person",
                                   False, on_done=opened)


app = QApplication(sys.argv[:1])  # run_desktop_app uses it; the timer needs a running app
QTimer.singleShot(100, drive)
sys.exit(run_desktop_app(["--portable"] if flag else []))
