"""The child process of tests/test_signal_refcounts.py: emit every kind of signal the app uses,
many times, and report how the refcounts of True, False and None moved on each path.

Run as `python -m tests.refcount_child` from the project folder (QT_QPA_PLATFORM=offscreen).
It prints one JSON object per line: one per path measured, then a last one with the totals.
A fault in the Qt binding shows as a refcount that falls steadily; the interpreter aborts
("Fatal Python error: bool_dealloc" or "none_dealloc") once one reaches zero. So every path is
checked in small steps, and the child stops with exit code 1 and says where, before that.

On Python 3.12+ True, False and None are immortal (PEP 683): the interpreter leaves their
refcount alone, and a binding that drops references to them can no longer free them. PySide6
is built for the stable ABI, which still counts them, so the number wanders there without
meaning anything: the child makes every call, reports the drift for information only, and
must still exit cleanly.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QRunnable,
    QSortFilterProxyModel,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QProgressBar, QTableView

EMITS_WANTED = 200_000
EARLY_LIMIT = 100  # a fall this big within a path stops the child before the interpreter dies
IMMORTAL = sys.version_info >= (3, 12)

app = QApplication.instance() or QApplication(sys.argv[:1])
total_emits = 0


def counts() -> tuple[int, int, int]:
    return sys.getrefcount(True), sys.getrefcount(False), sys.getrefcount(None)


def report(record: dict[str, Any]) -> None:
    print(json.dumps(record), flush=True)


def spin(done: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            report({"error": "timed out waiting for queued deliveries"})
            os._exit(3)
        app.processEvents()


def measure(path: str, step: Callable[[], int], steps: int) -> None:
    """Run `step` (which returns how many signals it emitted) once to warm up, then `steps`
    times, checking after each that no refcount fell; report the drift after a collection."""
    global total_emits
    started = time.monotonic()
    step()
    gc.collect()
    base = counts()
    emitted = 0
    for _ in range(steps):
        emitted += step()
        now = counts()
        fell = [b - n for b, n in zip(base, now, strict=True)]
        if max(fell) > EARLY_LIMIT and not IMMORTAL:
            report({"path": path, "emits": emitted, "drift": [-f for f in fell], "stopped": True})
            os._exit(1)  # now, while the interpreter still can; it would abort soon after
    gc.collect()
    end = counts()
    total_emits += emitted
    report({"path": path, "emits": emitted, "seconds": round(time.monotonic() - started, 1),
            "drift": [e - b for e, b in zip(end, base, strict=True)]})


# -- the signal types the app declares (grep 'Signal(' app/ui), on one emitter --------------

class Emitter(QObject):
    none = Signal()
    integer = Signal(int)
    text = Signal(str)
    flag = Signal(bool)
    anything = Signal(object)
    items = Signal(list)
    image = Signal(QImage)
    text_flag = Signal(str, bool)
    text_text = Signal(str, str)
    text_int = Signal(str, int)
    int_int = Signal(int, int)
    int_flag = Signal(int, bool)
    int_text = Signal(int, str)
    int_anything = Signal(int, object)
    progress = Signal(int, int, str)


class Receiver(QObject):
    """Slots as the app writes them: decorated methods, plain methods, lambdas, Qt's own."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0
        self.last: object = None

    @Slot()
    def on_none(self) -> None:
        self.calls += 1

    @Slot(int)
    def on_int(self, value: int) -> None:
        self.calls += 1

    @Slot(str)
    def on_text(self, value: str) -> None:
        self.calls += 1

    @Slot(bool)
    def on_flag(self, value: bool) -> None:
        self.calls += 1
        self.last = value

    @Slot(object)
    def on_anything(self, value: object) -> None:
        self.calls += 1
        self.last = value

    def on_pair(self, first: object, second: object) -> None:  # undecorated, as many are
        self.calls += 1
        self.last = second

    def on_progress(self, done: int, total: int, label: str) -> None:
        self.calls += 1


OBJECT_VALUES: tuple[object, ...] = (
    None, True, False, 7, "text", (None, True, False), (1, "a", None), {"f": None, "g": True},
    [False, None], 2.5,
)
IMAGE = QImage(8, 8, QImage.Format.Format_RGB32)


def emit_all(e: Emitter, i: int) -> int:
    """One of each signal type, with the awkward values too. Returns how many were emitted."""
    value = OBJECT_VALUES[i % len(OBJECT_VALUES)]
    e.none.emit()
    e.integer.emit(i)
    e.text.emit("evidence")
    e.flag.emit(i % 2 == 0)
    e.anything.emit(value)
    e.anything.emit(None)
    e.items.emit([i, None])
    e.image.emit(IMAGE)
    e.text_flag.emit("button", i % 3 == 0)
    e.text_text.emit("item", "reference")
    e.text_int.emit("evidence", i)
    e.int_int.emit(i, 50)
    e.int_flag.emit(i, i % 2 == 1)
    e.int_text.emit(i, "reason")
    e.int_anything.emit(i, value)
    e.progress.emit(i, 100, "adding")
    return 16


def connect_all(e: Emitter, r: Receiver, kind: Qt.ConnectionType, widgets: bool) -> None:
    e.none.connect(r.on_none, kind)
    e.none.connect(lambda: None, kind)
    e.integer.connect(r.on_int, kind)
    e.text.connect(r.on_text, kind)
    e.flag.connect(r.on_flag, kind)
    e.anything.connect(r.on_anything, kind)
    e.anything.connect(lambda value: None, kind)
    e.items.connect(r.on_anything, kind)
    e.image.connect(r.on_anything, kind)
    for pair in (e.text_flag, e.text_text, e.text_int, e.int_int, e.int_flag, e.int_text,
                 e.int_anything):
        pair.connect(r.on_pair, kind)
    e.progress.connect(r.on_progress, kind)
    if widgets:  # Qt's own slots, as `stopped.connect(label.setText)` in the app
        e.text.connect(LABEL.setText, kind)
        e.integer.connect(BAR.setValue, kind)
        e.flag.connect(LABEL.setVisible, kind)
        e.none.connect(LABEL.clear, kind)


LABEL = QLabel()
BAR = QProgressBar()
BAR.setRange(0, 1 << 30)


# -- paths ----------------------------------------------------------------------------------

def direct_emits() -> None:
    e, r = Emitter(), Receiver()
    connect_all(e, r, Qt.ConnectionType.AutoConnection, widgets=True)
    step_size = 6  # 6 x 16 = 96 emits between checks

    def step() -> int:
        return sum(emit_all(e, i) for i in range(step_size))

    measure("direct emits, every signal type, GUI thread", step, 1_700)


class BurstRunnable(QRunnable):
    """Emits from a pool thread as the app's worker did: a QRunnable subclass, autoDelete off."""

    def __init__(self, emitter: Emitter, bursts: int) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.emitter = emitter
        self.bursts = bursts

    def run(self) -> None:
        for i in range(self.bursts):
            emit_all(self.emitter, i)


def queued_emits_from_threads() -> None:
    e, r = Emitter(), Receiver()
    connect_all(e, r, Qt.ConnectionType.QueuedConnection, widgets=True)
    pool = QThreadPool()
    pool.setMaxThreadCount(2)
    runnables = [BurstRunnable(e, 3), BurstRunnable(e, 3)]  # reused: never more than two
    per_run = 3 * 16

    def with_runnables() -> int:
        before = r.calls
        for runnable in runnables:
            pool.start(runnable)
        pool.waitForDone()
        spin(lambda: r.calls == before + per_run * len(runnables))  # one slot call per emit
        return per_run * len(runnables)

    measure("queued emits from QRunnable threads", with_runnables, 200)

    def burst() -> None:
        for i in range(3):
            emit_all(e, i)

    def with_callables() -> int:  # as app/ui/worker.py starts its tasks now
        before = r.calls
        for _ in range(2):
            pool.start(burst)
        pool.waitForDone()
        spin(lambda: r.calls == before + per_run * 2)
        return per_run * 2

    measure("queued emits from pool.start(callable) threads", with_callables, 200)
    pool.waitForDone()
    app.processEvents()


def run_task_path() -> None:
    from app.errors import Cancelled, InvalidInput
    from app.ui.kit.worker import TaskContext, run_task, wait_for_all

    outcomes: list[object] = []

    def work(ctx: TaskContext) -> object:
        for i in range(20):
            ctx.progress(i, 20, "adding")
        return OBJECT_VALUES[len(outcomes) % len(OBJECT_VALUES)]

    def fails(ctx: TaskContext) -> None:
        raise InvalidInput("That date is in the future.")

    def breaks(ctx: TaskContext) -> None:
        raise ValueError("unexpected")

    def cancelled(ctx: TaskContext) -> None:
        raise Cancelled()

    def step() -> int:
        before = len(outcomes)
        for fn in (work, work, fails, breaks, cancelled):
            run_task(fn, on_result=outcomes.append, on_error=outcomes.append,
                     on_progress=lambda done, total, label: None)
        spin(lambda: len(outcomes) == before + 5 and wait_for_all(10_000))
        outcomes.clear()
        # Each task emits its outcome twice (to the relay, then the handle's own signal);
        # progress adds at least one more each way for the two that report it.
        return 5 * 2 + 2 * 2

    measure("run_task: result, progress, error, cancel", step, 150)


def controller_run_path() -> None:
    from app.errors import Cancelled
    from app.ui.kit.controller import CaseController
    from app.ui.kit.worker import TaskContext, wait_for_all

    controller = CaseController(actor="refcounts")
    heard: list[object] = []
    controller.status.connect(heard.append)
    controller.error.connect(heard.append)
    controller.data_changed.connect(heard.append)

    def cancelled(ctx: TaskContext) -> None:
        raise Cancelled()

    def step() -> int:
        before = len(heard)
        controller.run(lambda ctx: None, changes="evidence")  # data_changed + status
        controller.run(cancelled)  # status
        controller.run(lambda ctx: 1 / 0)  # error
        spin(lambda: len(heard) == before + 4 and wait_for_all(10_000))
        heard.clear()
        return 3 * 2 + 4

    measure("controller.run: changes, cancel, error", step, 150)


class Rows(QAbstractTableModel):
    """A model whose data() answers None for most roles, as every model in the app does."""

    def rowCount(self, parent: QModelIndex | None = None) -> int:
        return 20

    def columnCount(self, parent: QModelIndex | None = None) -> int:
        return 4

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{index.row()}:{index.column()}"
        if role == Qt.ItemDataRole.CheckStateRole and index.column() == 0:
            return None if index.row() % 2 else Qt.CheckState.Checked
        return None


def calls_both_ways() -> None:
    """Not emits: calls to Qt that return nothing (setters, processEvents) and Qt calling into
    Python (model data(), timers, pool callables). 6.12.0 drops a None on each of these, which
    is how a session dies while the views update (the "none_dealloc" abort)."""
    model = Rows()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.resize(400, 300)
    view.show()
    fired: list[int] = []

    def step() -> int:
        for row in range(20):
            LABEL.setText(f"Reading picture {row}")
            BAR.setValue(row)
            view.setEnabled(row % 2 == 0)
            proxy.data(proxy.index(row, 1), Qt.ItemDataRole.ToolTipRole)
        view.viewport().repaint()
        QTimer.singleShot(0, lambda: fired.append(1))
        QThreadPool.globalInstance().start(lambda: None)
        QThreadPool.globalInstance().waitForDone()
        app.processEvents()
        return 0

    measure("Qt both ways: setters, model data(), repaint, timers", step, 200)
    view.close()
    view.deleteLater()
    app.processEvents()


def main() -> int:
    logging.disable(logging.CRITICAL)  # the error paths log each failure; not wanted here
    report({"python": sys.version.split()[0], "immortal": IMMORTAL,
            "binding": __import__("PySide6").__version__, "start": counts()})
    started = time.monotonic()
    paths = [direct_emits, queued_emits_from_threads, run_task_path, controller_run_path,
             calls_both_ways]
    chosen = os.environ.get("REFCOUNT_PATHS")  # to look at one path alone: names, by commas
    for path in paths:
        if not chosen or path.__name__ in chosen.split(","):
            path()
    LABEL.deleteLater()
    BAR.deleteLater()
    app.processEvents()
    report({"done": True, "emits": total_emits, "seconds": round(time.monotonic() - started, 1),
            "emits_wanted": EMITS_WANTED})
    return 0


if __name__ == "__main__":
    sys.exit(main())
