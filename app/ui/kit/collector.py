"""Python's cyclic garbage collector, run on the GUI thread only.

CPython runs a collection in whichever thread happens to allocate when a threshold is passed.
In this app that is often a worker (an import, a case summary, a report): a collection there
that finds a cycle holding a Qt wrapper destroys the Qt object on the wrong thread, and the
interpreter crashed with a segmentation fault ("Garbage-collecting" in a worker running
SQLAlchemy, seen in the test suite). So automatic collection is turned off while the window
runs, and a timer on the GUI thread collects as the thresholds say it would have: the same
generations, at most a quarter of a second later, always on the thread that owns the widgets.
"""

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._was_enabled = gc.isenabled()

    def start(self) -> None:
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._was_enabled:
            gc.enable()

    def collect_if_due(self) -> int | None:
        """Collect the generation the thresholds call for, as automatic collection would;
        which one it was (None when none was due)."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return None
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 2 if counts[2] > thresholds[2] else 1
        gc.collect(generation)
        return generation
