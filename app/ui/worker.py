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
  thread that called `run_task` (the GUI thread), through queued connections.
- A `SafekeepError` reaches the caller as its `.message`. Anything else is logged by type and
  code location only (never its text: an exception's text may quote case data) and the caller
  gets one generic, calm sentence.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from app.errors import Cancelled, SafekeepError
from app.i18n import tr

T = TypeVar("T")

log = logging.getLogger(__name__)


def generic_failure_message() -> str:
    return tr("Something went wrong. Nothing already saved was lost.")


class TaskContext:
    """Handed to the function running in the worker thread."""

    def __init__(self, handle: TaskHandle) -> None:
        self._handle = handle
        self._cancel = threading.Event()

    def progress(self, done: int, total: int, label: str = "") -> None:
        """Report progress. Cheap and thread-safe; may be called thousands of times.

        Only the newest value matters to a progress bar, so values are coalesced: at most one
        delivery is queued at a time, and it carries whatever is newest when it runs. A tight
        import loop therefore cannot flood the GUI thread's event queue.
        """
        self._handle._post_progress(done, total, label)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        """Convenience for loops: stop here with `Cancelled` if the person (or a lock) asked."""
        if self._cancel.is_set():
            raise Cancelled()


class TaskHandle(QObject):
    """Returned to the caller on the GUI thread. Lives until its outcome is delivered."""

    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)  # one calm sentence

    # Internal: emitted from the worker thread, received on the handle's (GUI) thread.
    _result_ready = Signal(object)
    _error_ready = Signal(str, bool)
    _progress_ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = TaskContext(self)
        self.was_cancelled = False
        self._running = True
        self._progress_lock = threading.Lock()
        self._pending_progress: tuple[int, int, str] | None = None
        from PySide6.QtCore import Qt  # not at import: loading `Qt` costs ~12 ms of start-up

        queued = Qt.ConnectionType.QueuedConnection
        self._result_ready.connect(self._deliver_result, queued)
        self._error_ready.connect(self._deliver_error, queued)
        self._progress_ready.connect(self._deliver_progress, queued)

    def cancel(self) -> None:
        """Ask the task to stop. It stops at its next `cancelled()` check."""
        self.context._cancel.set()

    def is_running(self) -> bool:
        """True until `finished` or `failed` has been delivered."""
        return self._running

    # -- worker-thread side --------------------------------------------------------------------

    def _post_progress(self, done: int, total: int, label: str) -> None:
        with self._progress_lock:
            already_queued = self._pending_progress is not None
            self._pending_progress = (done, total, label)
        if not already_queued:
            self._progress_ready.emit()

    # -- GUI-thread side -----------------------------------------------------------------------

    @Slot()
    def _deliver_progress(self) -> None:
        with self._progress_lock:
            pending, self._pending_progress = self._pending_progress, None
        if pending is not None and self._running:
            self.progressed.emit(*pending)

    @Slot(object)
    def _deliver_result(self, result: object) -> None:
        self._deliver_progress()  # the last progress value arrives before the result
        self._running = False
        _registry.forget(self)
        self.finished.emit(result)

    @Slot(str, bool)
    def _deliver_error(self, message: str, cancelled: bool) -> None:
        self._deliver_progress()
        self._running = False
        self.was_cancelled = cancelled
        _registry.forget(self)
        self.failed.emit(message)


class _Runnable(QRunnable, Generic[T]):
    def __init__(self, fn: Callable[[TaskContext], T], handle: TaskHandle) -> None:
        super().__init__()
        self._fn = fn
        self._handle = handle
        # We keep the Python object alive ourselves (the registry holds it until run() ends);
        # letting Qt delete it under a live Python wrapper is a classic PySide crash.
        self.setAutoDelete(False)

    def run(self) -> None:
        handle = self._handle
        try:
            try:
                result = self._fn(handle.context)
            except Cancelled as exc:
                handle._error_ready.emit(exc.message, True)
            except SafekeepError as exc:
                handle._error_ready.emit(exc.message, False)
            except Exception as exc:
                _log_unexpected(exc)
                handle._error_ready.emit(generic_failure_message(), False)
            else:
                handle._result_ready.emit(result)
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
        self._handles: set[TaskHandle] = set()  # outcome not yet delivered (GUI thread only)
        self._pools: set[QThreadPool] = set()

    def add(self, runnable: _Runnable[Any], handle: TaskHandle, pool: QThreadPool) -> None:
        with self._cond:
            self._threads.add(runnable)
            self._pools.add(pool)
        self._handles.add(handle)

    def thread_done(self, runnable: _Runnable[Any]) -> None:
        with self._cond:
            self._threads.discard(runnable)
            self._cond.notify_all()

    def forget(self, handle: TaskHandle) -> None:
        self._handles.discard(handle)

    def handles(self) -> list[TaskHandle]:
        return list(self._handles)

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
    handle = TaskHandle()
    if on_result is not None:
        handle.finished.connect(on_result)
    if on_error is not None:
        handle.failed.connect(on_error)
    if on_progress is not None:
        handle.progressed.connect(on_progress)
    target_pool = pool or QThreadPool.globalInstance()
    runnable: _Runnable[T] = _Runnable(fn, handle)
    _registry.add(runnable, handle, target_pool)
    target_pool.start(runnable)
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
