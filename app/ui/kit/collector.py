"""Python's cyclic garbage collector, run on the GUI thread only.

CPython runs a collection in whichever thread happens to allocate when a threshold is passed.
In this app that is often a worker (an import, a case summary, a report): a collection there
that finds a cycle holding a Qt wrapper destroys the Qt object on the wrong thread, and the
interpreter crashed with a segmentation fault ("Garbage-collecting" in a worker running
SQLAlchemy, seen in the test suite). So automatic collection is turned off while the window
runs, and a timer on the GUI thread collects as the thresholds say it would have: the same
generations, at most a quarter of a second later, always on the thread that owns the widgets.

While the app starts (`hold_until_frozen()`), it does not collect: in a quarter of a second
the imports in the background make over a hundred thousand objects, nearly all of them for the
whole run, and each collection of them held the window still for 20 to 65 ms. Once the main
window is built the session freezes what start-up made (`freeze_heap()`), so those objects
are never looked through, and collection goes on as the thresholds say; after `HOLD_LIMIT_S`
it goes on in any case (a start-up that never finishes must not grow for good). Whether the
heap was frozen is noted here, not asked of `gc.get_freeze_count()`, which walks every frozen
object (40 ms for the 110,000 of start-up).
"""

import gc
import time

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 250
HOLD_LIMIT_S = 10.0
_freezes = [0]  # how often `freeze_heap` has run in this process


def freeze_heap() -> None:
    """Move every object made so far out of the collector's sight for good (`gc.freeze()`),
    and let a collector held for it go on.

    A full collection holds the GIL while it walks every object in the process: with Qt,
    SQLAlchemy and ReportLab loaded, one triggered in a worker (building a PDF makes many
    objects) froze the window for 70-90 ms. With the start-up objects in the permanent
    generation such pauses stay under 20 ms (benchmarks/bench_stall.py)."""
    gc.freeze()
    _freezes[0] += 1


def thaw_heap() -> None:
    """Undo `freeze_heap` while Qt is still alive: frozen objects are never collected, so
    without this Qt wrappers would be torn down after the application object at exit, which
    can crash the interpreter on its way out."""
    gc.unfreeze()
    gc.collect()


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_if_due)
        self._was_enabled = gc.isenabled()
        self._held_until: float | None = None  # a monotonic time, while held
        self._freezes_at_hold = 0

    def hold_until_frozen(self, limit_s: float = HOLD_LIMIT_S) -> None:
        """No collection until `freeze_heap()` runs, or `limit_s` from now."""
        self._held_until = time.monotonic() + limit_s
        self._freezes_at_hold = _freezes[0]

    def _held(self) -> bool:
        if self._held_until is None:
            return False
        if _freezes[0] > self._freezes_at_hold or time.monotonic() >= self._held_until:
            self._held_until = None
            return False
        return True

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
        which one it was (None when none was due, or while held)."""
        if self._held():
            return None
        counts, thresholds = gc.get_count(), gc.get_threshold()
        if counts[0] <= thresholds[0]:
            return None
        generation = 0
        if counts[1] > thresholds[1]:
            generation = 2 if counts[2] > thresholds[2] else 1
        gc.collect(generation)
        return generation
