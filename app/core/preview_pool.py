"""PreviewPool: previews made in worker processes, each item bounded in time and memory.

Why processes: a hostile image can make a decoder loop forever, crash in C code or allocate
without bound, and nothing inside a process can stop that. Here a worker past its time is
killed and replaced (the item is "timed-out"), a crashed worker is replaced (the item is
"failed"), memory is capped with RLIMIT_AS, and the app carries on.

It is also the parallel engine of screenshot import: one image per worker at a time, a path
(or pasted bytes) in, about 20 KB of JPEG out, so both cores decode.

Import `PreviewPool` from `app.core.preview`; this module holds it to keep each under ~400 lines.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, InvalidStateError
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass, replace
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as wait_handles
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

from PIL import Image

from app.core.preview import (
    DEFAULT_MAX_SIDE,
    PreviewResult,
    PreviewStatus,
    make_preview_inline,
    preview_note,
)

PreviewSource = str | os.PathLike[str] | bytes
# (path, data, max_side) -> result; must be a module-level function (workers import it).
DecodeFunction = Callable[[Path | None, bytes | None, int], PreviewResult]
K = TypeVar("K")

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY_LIMIT = 1 << 30
# Windows can wait on at most 64 handles and each worker needs two; 16 workers is plenty.
MAX_WORKERS = 16
_STARTUP_TIMEOUT = 60.0  # a cold start behind a virus scanner can be slow
_MAX_START_FAILURES = 3  # in a row: workers cannot start here, so stop trying
_READY = b"ready"
_INT_FIELDS = ("thumb_width", "thumb_height", "width", "height")
_TEXT_FIELDS = ("image_format", "exif_taken_at", "exif_camera")


@dataclass
class _Task:
    future: Future[PreviewResult]
    path: str | None
    data: bytes | None
    started: bool = False


@dataclass
class _Worker:
    process: BaseProcess
    requests: Connection  # parent -> worker
    responses: Connection  # worker -> parent
    deadline: float
    ready: bool = False
    task: _Task | None = None
    stopped: bool = False


class PreviewPool:
    """Worker processes that make previews; each item is bounded in time and memory.

    `submit()` returns a Future that always ends with a PreviewResult (a hang gives
    timed-out, a crash gives failed). Use it as a context manager, or call `close()`.
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
        max_side: int = DEFAULT_MAX_SIDE,
        decode: DecodeFunction = make_preview_inline,  # a test seam: the real kill paths run
    ) -> None:
        count = _default_workers() if workers is None else workers
        if not 1 <= count <= MAX_WORKERS:
            raise ValueError(f"workers must be between 1 and {MAX_WORKERS}")
        self._count, self._timeout, self._max_side = count, timeout, max_side
        self._worker_args = (memory_limit, decode)
        # The biggest honest answer is a thumbnail; a larger one means a broken worker.
        self._max_message = 64 * 1024 + max_side * max_side * 4
        # spawn, never fork: the app holds an open SQLCipher key and Qt, which a forked child
        # would inherit. A spawned worker starts clean and imports only this module and Pillow.
        self._context = get_context("spawn")
        self._lock = threading.Lock()
        self._queue: deque[_Task] = deque()
        self._closing = False
        self._wake_reader, self._wake_writer = self._context.Pipe(duplex=False)
        self._wake_pending = False
        self._start_failures = 0
        self._workers: list[_Worker] = []
        try:
            for _ in range(count):
                self._workers.append(self._start_worker())
        except BaseException:  # e.g. a `decode` that cannot be pickled: leave nothing behind
            for worker in self._workers:
                _stop(worker, kill=True)
            raise
        self._thread = threading.Thread(target=self._run, name="preview-pool", daemon=True)
        self._thread.start()

    @property
    def workers(self) -> int:
        return self._count

    def __enter__(self) -> PreviewPool:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self.close(cancel_pending=exc_type is not None)

    def submit(self, source: PreviewSource) -> Future[PreviewResult]:
        """Preview a file (give its path: only the path crosses to the worker) or bytes."""
        future: Future[PreviewResult] = Future()
        if isinstance(source, bytes):
            task = _Task(future, None, source)
        else:
            task = _Task(future, os.fspath(source), None)
        with self._lock:
            if self._closing:
                raise RuntimeError("the preview pool is closed")
            self._queue.append(task)
            self._wake_locked()
        return future

    def map_unordered(
        self, items: Iterable[tuple[K, PreviewSource]]
    ) -> Iterator[tuple[K, PreviewResult]]:
        """(key, result) for each (key, source), as each is done; reads `items` lazily."""
        in_flight: dict[Future[PreviewResult], K] = {}
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

    def close(self, *, cancel_pending: bool = False) -> None:
        """Finish the items submitted (or cancel those not started), then stop the workers."""
        with self._lock:
            self._closing = True
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
        for task in unservable:  # outside the lock: a future's callbacks may call submit()
            _finish(task, PreviewStatus.FAILED)
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
                self._replace(worker, PreviewStatus.FAILED)
            elif (worker.task or not worker.ready) and now >= worker.deadline:
                self._replace(worker, PreviewStatus.TIMED_OUT)
        return True

    def _next_task(self) -> _Task | None:
        with self._lock:
            while self._queue:
                task = self._queue.popleft()
                if task.started or task.future.set_running_or_notify_cancel():
                    task.started = True
                    return task
        return None

    def _send(self, worker: _Worker, task: _Task) -> bool:
        header = {"path": task.path, "has_data": task.data is not None, "max_side": self._max_side}
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

    def _receive(self, worker: _Worker) -> None:
        try:
            message = worker.responses.recv_bytes(self._max_message)
        except (EOFError, OSError):  # crashed (segfault, abort, os._exit) or an oversized answer
            self._replace(worker, PreviewStatus.FAILED)
            return
        if not worker.ready:
            worker.ready = message == _READY
            self._start_failures = 0 if worker.ready else self._start_failures
            if not worker.ready:
                self._replace(worker, None)
            return
        parsed = _decode_answer(message)
        if parsed is None or worker.task is None:
            self._replace(worker, PreviewStatus.FAILED)
            return
        result, retire = parsed
        task, worker.task = worker.task, None
        task.future.set_result(replace(result, note=preview_note(result.status)))
        if retire:
            self._replace(worker, None)

    def _replace(self, worker: _Worker, status: PreviewStatus | None) -> None:
        """Kill a worker, end its item with `status`, and start a new worker in its place."""
        _stop(worker, kill=True)
        if worker.task is not None and status is not None:
            _finish(worker.task, status)
        index = self._workers.index(worker)
        if not worker.ready:
            self._start_failures += 1
        if self._start_failures >= _MAX_START_FAILURES:
            del self._workers[index]
        else:
            self._workers[index] = self._start_worker()

    def _start_worker(self) -> _Worker:
        # Two one-way pipes rather than a duplex one, which would be a socket pair on POSIX.
        request_reader, request_writer = self._context.Pipe(duplex=False)
        response_reader, response_writer = self._context.Pipe(duplex=False)
        process = self._context.Process(
            target=_worker_main,
            args=(request_reader, response_writer, *self._worker_args),
            name="safekeep-preview",
            daemon=True,
        )
        process.start()
        request_reader.close()  # keep only our ends, so a dead worker reads as end-of-file
        response_writer.close()
        deadline = time.monotonic() + _STARTUP_TIMEOUT
        return _Worker(process, request_writer, response_reader, deadline)

    def _fail_all(self, error: BaseException) -> None:
        with self._lock:
            tasks = [*self._queue, *(w.task for w in self._workers if w.task)]
            self._queue.clear()
        for task in tasks:
            with contextlib.suppress(InvalidStateError):
                task.future.set_exception(error)


def _finish(task: _Task, status: PreviewStatus) -> None:
    if task.started or task.future.set_running_or_notify_cancel():
        task.started = True
        task.future.set_result(PreviewResult(status, note=preview_note(status)))


def _stop(worker: _Worker, *, kill: bool) -> None:
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


def _default_workers() -> int:
    try:
        count = len(os.sched_getaffinity(0))  # the CPUs this process may really use
    except AttributeError:  # Windows, macOS
        count = os.cpu_count() or 1
    return max(1, min(count, MAX_WORKERS))


# -- the wire: results come back as JSON plus raw JPEG, never as pickles ---------------------
# A decoder exploit owns its worker; with pickle it would own the app (and the case key) too.


def _encode_answer(result: PreviewResult, retire: bool) -> bytes:
    fields = {name: getattr(result, name) for name in (*_INT_FIELDS, *_TEXT_FIELDS)}
    fields |= {"status": result.status.value, "thumb": result.thumbnail is not None}
    header = json.dumps(fields | {"retire": retire}).encode()
    return len(header).to_bytes(4, "big") + header + (result.thumbnail or b"")


def _decode_answer(message: bytes) -> tuple[PreviewResult, bool] | None:
    """The result and whether the worker is retiring, or None if the message is malformed."""
    try:
        size = int.from_bytes(message[:4], "big")
        fields = json.loads(message[4 : 4 + size])
        values: dict[str, Any] = {"status": PreviewStatus(fields["status"])}
        for name in (*_INT_FIELDS, *_TEXT_FIELDS):
            value = values[name] = fields[name]
            if name in _INT_FIELDS:
                valid = type(value) is int and 0 <= value < 1 << 32  # not bool, not huge
            else:
                valid = isinstance(value, str) and len(value) <= 100
            if value is not None and not valid:
                return None
        thumbnail = message[4 + size :] if fields["thumb"] is True else None
        if (thumbnail is not None) != (values["status"] is PreviewStatus.OK):
            return None
        return PreviewResult(thumbnail=thumbnail, **values), fields["retire"] is True
    except Exception:  # anything unexpected from a worker is a failed item, not our crash
        return None


def _worker_main(
    requests: Connection,
    responses: Connection,
    memory_limit: int | None,
    decode: DecodeFunction,
) -> None:
    _harden_worker(memory_limit)
    responses.send_bytes(_READY)
    while True:
        try:
            header = json.loads(requests.recv_bytes())
            data = requests.recv_bytes() if header["has_data"] else None
        except (EOFError, OSError):  # the pool closed our pipe: time to go
            return
        path = Path(header["path"]) if header["path"] is not None else None
        retire = False
        try:
            result = decode(path, data, int(header["max_side"]))
        except Exception:  # MemoryError from a hook, or a bug: report it, then start afresh
            result, retire = PreviewResult(PreviewStatus.FAILED), True
        del data
        responses.send_bytes(_encode_answer(result, retire))
        if retire:
            return


def _harden_worker(memory_limit: int | None) -> None:
    """Limits a worker sets on itself before it sees any hostile bytes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the app, which closes the pool
    # Image.MAX_IMAGE_PIXELS stays at Pillow's default, as in the app's own process: our cap
    # (MAX_PIXELS, checked first) decides, so a worker and make_preview_inline agree exactly;
    # Pillow's checks stay on as a second line, and RLIMIT_AS bounds what slips past both.
    Image.init()  # load the decoders now, not in the first item's time
    if sys.platform == "win32":
        return  # no rlimits; the time limit still applies
    import resource

    # A crash must not leave a core file: it would hold the picture, unencrypted, on disk.
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform == "linux":  # also no dumps through a core_pattern pipe, and no ptrace
        import ctypes

        with contextlib.suppress(Exception):
            ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    if memory_limit is not None:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_limit if hard == resource.RLIM_INFINITY else min(memory_limit, hard)
        with contextlib.suppress(ValueError, OSError):  # macOS does not enforce RLIMIT_AS
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
