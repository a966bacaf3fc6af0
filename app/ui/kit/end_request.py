"""A request to end the program (SIGTERM: a logout or shutdown on Linux, `kill`) quits it as
closing it does: the case locks, a description typed and not yet saved is saved, the worker
processes stop. Python's default for SIGTERM ended the process on the spot, and the words
typed about a picture were lost.

Qt's event loop runs in C++, where Python does not run its signal handlers, so the signal
also writes a byte into a pipe (`signal.set_wakeup_fd`) that Qt watches; the quit then
happens in the window's own thread, between events. POSIX only: Windows ends a program
through its windows, which Qt already turns into a quit.
"""

from __future__ import annotations

import os
import signal

from PySide6.QtCore import QCoreApplication, QObject, QSocketNotifier


class QuitOnEndRequest(QObject):
    """Installed once, by the desktop app's entry point, on the main thread."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)
        self._old_fd = signal.set_wakeup_fd(self._write, warn_on_full_buffer=False)
        # A Python handler, so that the signal is not the default's sudden end; its work
        # is done by `_woken`, in the event loop.
        self._old_handler = signal.signal(signal.SIGTERM, lambda _number, _frame: None)
        self._notifier = QSocketNotifier(self._read, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def _woken(self) -> None:
        try:
            numbers = os.read(self._read, 64)
        except BlockingIOError:
            return
        if signal.SIGTERM in numbers:
            QCoreApplication.quit()  # aboutToQuit: the session locks the case and saves

    def remove(self) -> None:
        """As before it was installed (the app's run is over; tests run it more than once)."""
        self._notifier.setEnabled(False)
        signal.signal(signal.SIGTERM, self._old_handler)
        signal.set_wakeup_fd(self._old_fd)
        os.close(self._read)
        os.close(self._write)


def quit_on_end_request(app: QCoreApplication) -> QuitOnEndRequest | None:
    if os.name != "posix":
        return None
    return QuitOnEndRequest(app)
