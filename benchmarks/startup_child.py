"""Safekeep as `safekeep gui CASE` starts it, unlocked the moment its first window shows.

    python benchmarks/startup_child.py CASE   (the passphrase on the first line of stdin)

The passphrase is typed into the unlock dialog and Unlock pressed as soon as the dialog is up,
as if a person typed it in no time: everything the app does "while the person types" (building
the main window) is then still to do, and counted. Prints the lines of startup_probe.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from typing import TYPE_CHECKING

from app.__main__ import disable_core_dumps

if TYPE_CHECKING:
    from app.ui.shell.session import SafekeepSession


_KEEP: list[object] = []


def main() -> int:
    case_path = sys.argv[1]
    passphrase = sys.stdin.readline().rstrip("\n")
    disable_core_dumps()
    from app.ui.window_check import why_no_window

    assert why_no_window() is None  # as `safekeep gui` checks, before Qt starts

    def started(session: SafekeepSession) -> None:
        from PySide6.QtCore import QTimer

        from benchmarks.startup_probe import Probe

        probe = Probe()
        _KEEP.append(probe)

        def first_shown() -> None:
            probe.first_window_shown()
            dialog = session.unlock_dialog
            assert dialog is not None
            dialog.passphrase_edit.setText(passphrase)  # type: ignore[attr-defined]
            dialog.unlock_button.click()  # type: ignore[attr-defined]

        def opened() -> None:
            # Connected after the session's own slot, which shows the main window.
            assert session.main_window is not None and session.main_window.isVisible()
            probe.main_window_shown(session.main_window)

        QTimer.singleShot(0, first_shown)
        session.controller.case_opened.connect(opened)

    from app.ui.shell.launch import run_desktop_app

    return run_desktop_app([case_path], on_started=started)


if __name__ == "__main__":
    sys.exit(main())
