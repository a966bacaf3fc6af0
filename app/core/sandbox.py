"""IsolatedPool: work on hostile files in worker processes, each item bounded in time and memory.

Why processes: a hostile image can make a decoder loop forever, crash in C code or allocate
without bound, and nothing inside a process can stop that. Here a worker past its time is
killed and replaced (the item "timed out"), a crashed worker is replaced (the item "failed"),
memory is capped with RLIMIT_AS, and the app carries on.

Two kinds of work use it, both in app/core/pictures: previews (`preview_pool`, also the parallel
engine of import) and text recognition (`text_pool`). A `PoolJob` says what a worker does with
one item and how the app reads the answer back. Answers cross as bytes the app checks field by
field, never as pickles: a decoder exploit owns its worker, and with pickle it would own the app
and the key.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, InvalidStateError
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, field
from enum import StrEnum
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_handles
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Generic, Self, TypeVar

from app.core.worker_environment import CleanSpawnProcess, harden_worker

R = TypeVar("R")
K = TypeVar("K")
Source = str | os.PathLike[str] | bytes
# (path, data, params) -> answer bytes. Runs in a worker, so it must be a module-level
# function (or a functools.partial of one): workers import it.
WorkFunction = Callable[[Path | None, bytes | None, dict[str, Any]], bytes]

DEFAULT_MEMORY_LIMIT = 1 << 30
# Windows can wait on at most 64 handles and each worker needs two; 16 workers is plenty.
MAX_WORKERS = 16
_STARTUP_TIMEOUT = 60.0  # a cold start behind a virus scanner can be slow
_MAX_START_FAILURES = 3  # in a row: workers cannot start here, so stop trying
_READY = b"ready"
# The first byte of every answer: the work went well, or it raised and the worker is leaving.
_ANSWER, _RAISED = b"A", b"R"


class Failure(StrEnum):
    """Why an item has no answer; the job turns this into its own result."""

    FAILED = "failed"  # the worker crashed, raised or sent nonsense
    TIMED_OUT = "timed-out"


@dataclass(frozen=True)
class PoolJob(Generic[R]):
    """What the workers of one pool do, and how the app reads their answers."""

    work: WorkFunction
    parse: Callable[[bytes], R | None]  # in the app; None for a malformed answer
    failure: Callable[[Failure], R]  # the result of an item that got no good answer
    params: dict[str, Any] = field(default_factory=dict)  # JSON, sent with every item
    max_answer: int = 1 << 20  # a larger answer means a broken worker
    warm_up: Callable[[], None] | None = None  # in each new worker, before its first item
    name: str = "safekeep-worker"


@dataclass
class _Task(Generic[R]):
    future: Future[R]
    path: str | None
    data: bytes | None
    params: dict[str, Any]
    started: bool = False


@dataclass
class _Worker(Generic[R]):
    process: BaseProcess
    requests: Connection  # parent -> worker
    responses: Connection  # worker -> parent
    deadline: float
    ready: bool = False
    task: _Task[R] | None = None
    stopped: bool = False


class IsolatedPool(Generic[R]):
    """Worker processes that run one job; each item is bounded in time and memory.

    `submit()` returns a Future that always ends with a result (a hang gives the job's
    timed-out result, a crash its failed one). Use it as a context manager, or call `close()`.
    """

    def __init__(
        self,
        job: PoolJob[R],
        workers: int | None = None,
        *,
        timeout: float,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    ) -> None:
        count = default_workers() if workers is None else workers
        if not 1 <= count <= MAX_WORKERS:
            raise ValueError(f"workers must be between 1 and {MAX_WORKERS}")
        self._job, self._count, self._timeout = job, count, timeout
        self._worker_args = (memory_limit, job.work, job.warm_up)
        # spawn, never fork: the app holds an open SQLCipher key and Qt, which a forked child
        # would inherit. A spawned worker starts clean and imports only what its job needs.
        self._context = get_context("spawn")
        self._lock = threading.Lock()
        self._queue: deque[_Task[R]] = deque()
        self._closing = False
        self._kill_running = False
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._wake_pending = False
        self._start_failures = 0
        self._workers: list[_Worker[R]] = []
        try:
            for _ in range(count):
                self._workers.append(self._start_worker())
        except BaseException:  # e.g. a `work` that cannot be pickled: leave nothing behind
            for worker in self._workers:
                _stop(worker, kill=True)
            raise
        self._thread = threading.Thread(target=self._run, name=job.name, daemon=True)
        self._thread.start()

    @property
    def workers(self) -> int:
        return self._count

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self.close(cancel_pending=exc_type is not None)

    def submit(self, source: Source, params: dict[str, Any] | None = None) -> Future[R]:
        """Work on a file (give its path: only the path crosses to the worker) or bytes.
        `params` (JSON) go to the worker with this item, over the job's own."""
        future: Future[R] = Future()
        merged = {**self._job.params, **(params or {})}
        if isinstance(source, bytes):
            task = _Task(future, None, source, merged)
        else:
            task = _Task(future, os.fspath(source), None, merged)
        with self._lock:
            if self._closing:
                raise RuntimeError("the pool is closed")
            self._queue.append(task)
            self._wake_locked()
        return future

    def map_unordered(
        self, items: Iterable[tuple[K, Source]]
    ) -> Generator[tuple[K, R], None, None]:
        """(key, result) for each (key, source), as each is done; reads `items` lazily."""
        in_flight: dict[Future[R], K] = {}
        pending = iter(items)
        window = 2 * self._count  # keeps every worker busy without queueing everything
        try:
            while True:
                for key, source in itertools.islice(pending, window - len(in_flight)):
                    in_flight[self.submit(source)] = key
                if not in_flight:
                    return
                done, _ = wait_futures(in_flight, return_when=FIRST_COMPLETED)
                for future in done:
                    yield in_flight.pop(future), future.result()
        finally:
            for future in in_flight:  # the caller stopped early
                future.cancel()

    def close(self, *, cancel_pending: bool = False, kill_running: bool = False) -> None:
        """Finish the items submitted (or cancel those not started), then stop the workers.
        With `kill_running`, items being worked on end at once as failed (for locking)."""
        with self._lock:
            self._closing = True
            self._kill_running = kill_running
            while cancel_pending and self._queue:
                self._queue.popleft().future.cancel()
            self._wake_locked()
        self._thread.join()
        self._wake_reader.close()
        self._wake_writer.close()

    # -- the dispatcher thread: the only code that touches workers ----------------------------

    def _wake_locked(self) -> None:
        # At most one wake-up is unread at a time, so the pipe can never fill and block.
        if not self._wake_pending and not self._wake_writer.closed:
            self._wake_pending = True
            self._wake_writer.send_bytes(b"!")

    def _run(self) -> None:
        try:
            while self._step():
                pass
        except BaseException as error:  # a bug here must not leave callers waiting forever
            self._fail_all(error)
            raise
        finally:
            for worker in self._workers:
                _stop(worker, kill=False)

    def _step(self) -> bool:
        for worker in list(self._workers):
            while worker.ready and worker.task is None and (task := self._next_task()):
                if not self._send(worker, task):
                    break
        with self._lock:
            # No workers means they cannot start on this machine: fail items, do not hang.
            unservable = [] if self._workers else [*self._queue]
            if unservable:
                self._queue.clear()
            finished = self._closing and not self._queue
            kill = finished and self._kill_running
        for task in unservable:  # outside the lock: a future's callbacks may call submit()
            self._finish(task, Failure.FAILED)
        if kill:
            for worker in self._workers:
                _stop(worker, kill=True)
                if worker.task is not None:
                    self._finish(worker.task, Failure.FAILED)
            return False
        if finished and all(w.task is None for w in self._workers):
            return False
        now = time.monotonic()
        timeout = min((w.deadline for w in self._workers if w.task or not w.ready), default=None)
        handles: list[Connection | int] = [self._wake_reader]
        for worker in self._workers:
            handles += [worker.responses, worker.process.sentinel]
        ready = wait_handles(handles, None if timeout is None else max(0.0, timeout - now))
        if self._wake_reader in ready:
            self._wake_reader.recv_bytes()
            with self._lock:
                self._wake_pending = False
        now = time.monotonic()
        for worker in list(self._workers):
            if worker.responses in ready:
                self._receive(worker)
            elif worker.process.sentinel in ready:  # died without a word
                self._replace(worker, Failure.FAILED)
            elif (worker.task or not worker.ready) and now >= worker.deadline:
                self._replace(worker, Failure.TIMED_OUT)
        return True

    def _next_task(self) -> _Task[R] | None:
        with self._lock:
            while self._queue:
                task = self._queue.popleft()
                if task.started or task.future.set_running_or_notify_cancel():
                    task.started = True
                    return task
        return None

    def _send(self, worker: _Worker[R], task: _Task[R]) -> bool:
        header = {"path": task.path, "has_data": task.data is not None, "params": task.params}
        try:
            worker.requests.send_bytes(json.dumps(header).encode())
            if task.data is not None:
                worker.requests.send_bytes(task.data)
        except OSError:  # the worker died while idle: the item is not to blame, so retry it
            task.started = True
            with self._lock:
                self._queue.appendleft(task)
            self._replace(worker, None)
            return False
        worker.task, worker.deadline = task, time.monotonic() + self._timeout
        return True

    def _receive(self, worker: _Worker[R]) -> None:
        try:
            message = worker.responses.recv_bytes(self._job.max_answer + 1)
        except (EOFError, OSError):  # crashed (segfault, abort, os._exit) or an oversized answer
            self._replace(worker, Failure.FAILED)
            return
        if not worker.ready:
            worker.ready = message == _READY
            self._start_failures = 0 if worker.ready else self._start_failures
            if not worker.ready:
                self._replace(worker, None)
            return
        result = None
        if message[:1] == _ANSWER:
            try:
                result = self._job.parse(message[1:])
            except Exception:  # anything unexpected from a worker is a failed item, not ours
                result = None
        if result is None or worker.task is None:
            self._replace(worker, Failure.FAILED)
            return
        task, worker.task = worker.task, None
        task.future.set_result(result)

    def _replace(self, worker: _Worker[R], failure: Failure | None) -> None:
        """Kill a worker, end its item with `failure`, and start a new worker in its place."""
        _stop(worker, kill=True)
        if worker.task is not None and failure is not None:
            self._finish(worker.task, failure)
        index = self._workers.index(worker)
        if not worker.ready:
            self._start_failures += 1
        if self._start_failures >= _MAX_START_FAILURES:
            del self._workers[index]
        else:
            self._workers[index] = self._start_worker()

    def _start_worker(self) -> _Worker[R]:
        # Two one-way pipes rather than a duplex one, which would be a socket pair on POSIX.
        request_reader, request_writer = self._context.Pipe(duplex=False)
        response_reader, response_writer = self._context.Pipe(duplex=False)
        # Started with a small environment: nothing of ours, such as a passphrase, goes with it.
        process = CleanSpawnProcess(
            target=_worker_main,
            args=(request_reader, response_writer, *self._worker_args),
            name=self._job.name,
            daemon=True,
        )
        process.start()
        request_reader.close()  # keep only our ends, so a dead worker reads as end-of-file
        response_writer.close()
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        return _Worker(process, request_writer, response_reader, deadline)

    def _finish(self, task: _Task[R], failure: Failure) -> None:
        if task.started or task.future.set_running_or_notify_cancel():
            task.started = True
            task.future.set_result(self._job.failure(failure))

    def _fail_all(self, error: BaseException) -> None:
        with self._lock:
            tasks = [*self._queue, *(w.task for w in self._workers if w.task)]
            self._queue.clear()
        for task in tasks:
            with contextlib.suppress(InvalidStateError):
                task.future.set_exception(error)


def _stop(worker: _Worker[Any], *, kill: bool) -> None:
    if worker.stopped:
        return
    worker.stopped = True
    worker.requests.close()  # an idle worker reads end-of-file and exits by itself
    if kill:
        worker.process.kill()
    worker.process.join(timeout=2.0)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
    worker.responses.close()
    worker.process.close()


def default_workers() -> int:
    try:
        count = len(os.sched_getaffinity(0))  # the CPUs this process may really use
    except AttributeError:  # Windows, macOS
        count = os.cpu_count() or 1
    return max(1, min(count, MAX_WORKERS))


# -- inside a worker ------------------------------------------------------------------------


def _worker_main(
    requests: Connection,
    responses: Connection,
    memory_limit: int | None,
    work: WorkFunction,
    warm_up: Callable[[], None] | None,
) -> None:
    harden_worker(memory_limit)
    if warm_up is not None:
        warm_up()  # load decoders or models now, not in the first item's time
    responses.send_bytes(_READY)
    while True:
        try:
            header = json.loads(requests.recv_bytes())
            data = requests.recv_bytes() if header["has_data"] else None
        except (EOFError, OSError):  # the pool closed our pipe: time to go
            return
        path = Path(header["path"]) if header["path"] is not None else None
        try:
            answer = _ANSWER + work(path, data, header["params"])
        except Exception:  # MemoryError from a hook, or a bug: report it, then start afresh
            answer = _RAISED
        del data
        responses.send_bytes(answer)
        if answer == _RAISED:
            return
