"""What bench_startup's child programs (Safekeep and the bare window) print, measured alike.

- `first-window-shown`: the event loop has started with the first window shown.
- `main-window-answers`: the main window has been shown and painted, and an event posted
  right after its first paint has been handled. Posted events are handled in order, so
  everything the program queued before it (the rest of a build, results of work) runs first,
  as it would before a click; this is the moment a click on the window would get an answer.
- `longest-stall-ms N`: the longest gap between two ticks of a 5 ms timer on the GUI thread,
  from the first window until a second after the main window answered (views loading their
  data, worker processes starting, included).

Only QtCore is imported here, so both programs pay the same for it.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

QUIET_AFTER_MS = 1000  # how long stalls are still watched for once the main window answers
PROBE = QEvent.Type(QEvent.registerEventType())


def say(line: str) -> None:
    print(line, flush=True)


class Probe(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.longest = 0.0
        self._last = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)
        self._window: QObject | None = None

    def first_window_shown(self) -> None:
        say("first-window-shown")
        self._last = time.perf_counter()
        self._timer.start()

    def main_window_shown(self, window: QObject) -> None:
        """Call right after `window.show()`: the probe is posted once it has painted."""
        self._window = window
        window.installEventFilter(self)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._window = None
            QCoreApplication.postEvent(self, QEvent(PROBE))
        return False

    def event(self, event: QEvent) -> bool:
        if event.type() == PROBE:
            say("main-window-answers")
            QTimer.singleShot(QUIET_AFTER_MS, self._finish)
            return True
        return super().event(event)

    def _finish(self) -> None:
        self._tick()
        say(f"longest-stall-ms {self.longest * 1000:.1f}")
        QCoreApplication.quit()
