"""The one background-work primitive: run a function off the GUI thread, hear back on it.

Everything slow (key derivation, import, thumbnails, export) goes through `run_task`, so there
is one place that knows how work is started, cancelled, waited for and how its errors become a
calm sentence. The idea follows MusicBrainz Picard's `picard/util/thread.py` (a QRunnable that
posts the result back to the GUI thread); the difference is that every task is tracked, so
locking the case can cancel them and *wait* until no thread still touches the case file.

Rules the rest of the app relies on:
- `fn` runs in a `QThreadPool` thread. It must not touch widgets or make a `QPixmap`
  (make a `QImage` instead). It receives a `TaskContext` for progress and cancellation.
- Callbacks (`on_result`, `on_error`, `on_progress`) and the handle's signals always run on the
  GUI thread (the one that called `run_task`), through queued connections. Worker threads never
  hold a `TaskHandle`: they post to one long-lived relay, so a handle is made and freed on the
  GUI thread, and a finished task leaves nothing behind (tests/test_signal_refcounts.py).
- Every task ends with exactly one outcome, whatever it raised (`BaseException`s included).
  A `SafekeepError` reaches the caller as its `.message`. Anything else is logged by type and
  code location only (never its text: an exception's text may quote case data) and the caller
  gets one generic, calm sentence.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QThreadPool, Signal, SignalInstance, Slot

from app.errors import Cancelled, CaseOutOfReach, SafekeepError
from app.i18n import tr

T = TypeVar("T")

log = logging.getLogger(__name__)


def generic_failure_message() -> str:
    return tr("Something went wrong. Nothing already saved was lost.")


class TaskContext:
    """Handed to the function running in the worker thread."""

    def __init__(self, task_id: int, relay: _Relay) -> None:
        self._id = task_id
        self._relay = relay
        self._cancel = threading.Event()
        self._progress_lock = threading.Lock()
        self._pending_progress: tuple[int, int, str] | None = None

    def progress(self, done: int, total: int, label: str = "") -> None:
        """Report progress. Cheap and thread-safe; may be called thousands of times.

        Only the newest value matters to a progress bar, so values are coalesced: at most one
        delivery is queued at a time, and it carries whatever is newest when it runs. A tight
        import loop therefore cannot flood the GUI thread's event queue.
        """
        with self._progress_lock:
            already_queued = self._pending_progress is not None
            self._pending_progress = (done, total, label)
        if not already_queued:
            self._relay.progress_ready.emit(self._id)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        """Convenience for loops: stop here with `Cancelled` if the person (or a lock) asked."""
        if self._cancel.is_set():
            raise Cancelled()

    def _take_progress(self) -> tuple[int, int, str] | None:
        with self._progress_lock:
            pending, self._pending_progress = self._pending_progress, None
        return pending


class TaskHandle(QObject):
    """Returned to the caller on the GUI thread. Lives until its outcome is delivered.

    It is made, used and freed on the GUI thread only: worker threads hold its `TaskContext`
    and post to the one `_Relay`, never to the handle. So no handle is ever freed in a pool
    thread (deleting a QObject there races the GUI thread), and a finished task leaves nothing
    behind. Prefer `run_task`'s callbacks to these signals: they are dropped once called,
    whereas a slot connected here that refers to the handle keeps both alive for good
    (the connection lives in Qt, where the garbage collector cannot see the cycle).
    """

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)  # one calm sentence

    def __init__(
        self,
        task_id: int,
        relay: _Relay,
        on_result: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> None:
        super().__init__()
        self.context = TaskContext(task_id, relay)
        self.was_cancelled = False
        self._id = task_id
        self._running = True
        self._on_result = on_result
        self._on_error = on_error
        self._on_progress = on_progress

    def cancel(self) -> None:
        """Ask the task to stop. It stops at its next `cancelled()` check."""
        self.context._cancel.set()

    def is_running(self) -> bool:
        """True until `finished` or `failed` has been delivered."""
        return self._running

    # -- GUI-thread side (called by the relay) -------------------------------------------------

    def _deliver_progress(self) -> None:
        pending = self.context._take_progress()
        if pending is None or not self._running:
            return
        if self._on_progress is not None:
            self._on_progress(*pending)
        self.progressed.emit(*pending)

    def _deliver_result(self, result: object) -> None:
        self._deliver_progress()  # the last progress value arrives before the result
        on_result = self._on_result
        self._finish()
        if on_result is not None:
            on_result(result)
        self.finished.emit(result)

    def _deliver_error(self, message: str, cancelled: bool) -> None:
        self._deliver_progress()
        self.was_cancelled = cancelled
        on_error = self._on_error
        self._finish()
        if on_error is not None:
            on_error(message)
        self.failed.emit(message)

    def _finish(self) -> None:
        """Mark the outcome delivered and let go of the callbacks (and what they captured)."""
        self._running = False
        self._on_result = self._on_error = self._on_progress = None
        _registry.forget(self)


class _Relay(QObject):
    """Carries outcomes from pool threads to the GUI thread, by task id.

    One for the whole run, made by the first `run_task` (on the GUI thread) and never freed,
    so a worker thread only ever emits on an object that outlives it. Every signal emitted
    from Python runs through here: the binding's refcount faults show up on this path first
    (tests/test_signal_refcounts.py).
    """

    result_ready = Signal(object, object)  # task id, result
    error_ready = Signal(object, str, bool)  # task id, message, cancelled
    progress_ready = Signal(object)  # task id
    # Any task that met a case file that can no longer be reached (a USB stick taken out):
    # the controller closes the case (see `case_gone_signal`).
    case_gone = Signal(str)  # the sentence

    def __init__(self) -> None:
        super().__init__()
        from PySide6.QtCore import Qt  # not at import: loading `Qt` costs ~12 ms of start-up

        queued = Qt.ConnectionType.QueuedConnection
        self.result_ready.connect(self._deliver_result, queued)
        self.error_ready.connect(self._deliver_error, queued)
        self.progress_ready.connect(self._deliver_progress, queued)

    @Slot(object, object)
    def _deliver_result(self, task_id: int, result: object) -> None:
        handle = _registry.handle(task_id)
        if handle is not None:
            handle._deliver_result(result)

    @Slot(object, str, bool)
    def _deliver_error(self, task_id: int, message: str, cancelled: bool) -> None:
        handle = _registry.handle(task_id)
        if handle is not None:
            handle._deliver_error(message, cancelled)

    @Slot(object)
    def _deliver_progress(self, task_id: int) -> None:
        handle = _registry.handle(task_id)
        if handle is not None:
            handle._deliver_progress()


_relay: _Relay | None = None


def case_gone_signal() -> SignalInstance:
    """Emitted on the GUI thread when any task, however it was started, met a case file that
    can no longer be reached (`CaseOutOfReach`); after its own caller heard of it."""
    return _the_relay().case_gone


def _the_relay() -> _Relay:
    global _relay
    if _relay is None or not shiboken6.isValid(_relay):
        _relay = _Relay()
    return _relay


class _Runnable(Generic[T]):
    """One task's work, started with `pool.start(runnable.run)`.

    Not a `QRunnable` subclass on purpose: the binding keeps every Python `QRunnable` given to
    `QThreadPool.start()` alive as long as the pool (the global pool: for good), and with it
    everything the task referred to. Qt wraps a plain callable in a runnable of its own and
    lets go of it once it has run.
    """

    def __init__(self, fn: Callable[[TaskContext], T], context: TaskContext) -> None:
        self._fn = fn
        self._context = context

    def run(self) -> None:
        context = self._context
        relay, task_id = context._relay, context._id
        try:
            try:
                result = self._fn(context)
            except Cancelled as exc:
                relay.error_ready.emit(task_id, exc.message, True)
            except SafekeepError as exc:
                if isinstance(exc, CaseOutOfReach):  # the whole case is gone, not one task
                    relay.case_gone.emit(exc.message)
                relay.error_ready.emit(task_id, exc.message, False)
            except BaseException as exc:
                # Not only `Exception`: a task that raised SystemExit, KeyboardInterrupt or
                # GeneratorExit would otherwise never deliver an outcome (its handle running
                # for good, a lock waiting on it), and the binding would turn SystemExit into
                # the end of the whole program. A worker thread is no place to stop the app.
                _log_unexpected(exc)
                relay.error_ready.emit(task_id, generic_failure_message(), False)
            else:
                relay.result_ready.emit(task_id, result)
        finally:
            # Drop captured case data as soon as the work is done.
            self._fn = _finished_fn  # type: ignore[assignment]
            _registry.thread_done(self)


def _finished_fn(_ctx: TaskContext) -> None:
    return None


def _log_unexpected(exc: BaseException) -> None:
    """Log where it happened, never what: no message, no arguments, no local values."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{f.name} ({f.filename.rsplit('/', 1)[-1]}:{f.lineno})"
                        for f in reversed(frames[-6:]))
    log.error("Background task failed with %s at %s", type(exc).__name__, where or "?")


class _Registry:
    """Every task started and not yet finished, for cancel-all and wait-for-all."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._threads: set[_Runnable[Any]] = set()  # fn still running in a pool thread
        self._handles: dict[int, TaskHandle] = {}  # outcome not yet delivered (GUI thread only)
        self._pools: set[QThreadPool] = set()
        self._ids = itertools.count(1)

    def new_id(self) -> int:
        return next(self._ids)

    def add(self, runnable: _Runnable[Any], handle: TaskHandle, pool: QThreadPool) -> None:
        with self._cond:
            self._threads.add(runnable)
            self._pools.add(pool)
        self._handles[handle._id] = handle

    def thread_done(self, runnable: _Runnable[Any]) -> None:
        with self._cond:
            self._threads.discard(runnable)
            self._cond.notify_all()

    def handle(self, task_id: int) -> TaskHandle | None:
        return self._handles.get(task_id)

    def forget(self, handle: TaskHandle) -> None:
        self._handles.pop(handle._id, None)

    def handles(self) -> list[TaskHandle]:
        return list(self._handles.values())

    def wait(self, timeout_ms: int) -> bool:
        deadline = time.monotonic() + timeout_ms / 1000
        with self._cond:
            while self._threads:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._cond.wait(remaining)
            pools = list(self._pools)
        # Our functions have returned; let the pool threads finish their bookkeeping too, so
        # `activeThreadCount()` is 0 when we say "all done".
        for pool in pools:
            if not shiboken6.isValid(pool):  # a view's own pool, gone with its view
                self._pools.discard(pool)
                continue
            remaining_ms = max(0, int((deadline - time.monotonic()) * 1000))
            if not pool.waitForDone(remaining_ms):
                return False
        return True


_registry = _Registry()


def run_task(
    fn: Callable[[TaskContext], T],
    *,
    on_result: Callable[[T], None] | None = None,
    on_error: Callable[[str], None] | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    pool: QThreadPool | None = None,
) -> TaskHandle:
    """Run `fn(context)` in a worker thread; call back on this (the GUI) thread."""
    relay = _the_relay()
    handle = TaskHandle(_registry.new_id(), relay, on_result, on_error, on_progress)
    target_pool = pool or QThreadPool.globalInstance()
    runnable: _Runnable[T] = _Runnable(fn, handle.context)
    _registry.add(runnable, handle, target_pool)
    target_pool.start(runnable.run)
    return handle


def running_tasks() -> list[TaskHandle]:
    """Handles whose outcome has not been delivered yet."""
    return _registry.handles()


def cancel_all() -> None:
    for handle in _registry.handles():
        handle.cancel()


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """Block until every task's function has returned and its pool thread is idle.

    Returns False on timeout. Outcomes are still delivered later by the event loop; a caller
    that locked the case in between must ignore them (the controller does).
    """
    return _registry.wait(timeout_ms)
