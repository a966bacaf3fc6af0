"""The worker processes of one app session: one pool for previews, one for reading text.

Starting a pool of isolated workers costs about 35 ms here and each worker takes close to a
second to load its decoders, so a pool per import, per paste or per picture shown made every
one of them wait that long. Instead the session keeps one preview pool (imports, pastes,
screen captures and the larger pictures "Found in this picture" shows) and one reading pool
(text recognition), each started once:

- the preview pool is warmed in the background once the main window is built, and again when a
  case is unlocked; the reading pool starts when there is first something to read;
- `close()` stops both, killing items in flight. Every lock does it (the controller calls it
  after the work of the case has stopped), and so does quitting: a worker may still hold the
  last picture it decoded, and a locked case leaves no process holding any of it. The next
  use starts them again.

Any thread may ask for a pool: imports and readings run in worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the pools' modules load with the first pool, not at start-up
    from app.core.pictures import OcrPool, PreviewPool

# A picture "Found in this picture" shows: enough to read chat text when zoomed, small
# enough to decode fast.
PICTURE_SIDE = 1600
# One reader per core, but no more than this: each holds about 120 MB (the model and a
# picture), and a caseworker's office PC with many cores is also running other work.
MAX_READERS = 4


class WorkerPools:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._previews: PreviewPool | None = None
        self._reading: OcrPool | None = None
        self._epoch = 0  # bumped by close(): a warm-up asked for before it starts nothing
        self._warming: int | None = None  # the epoch a warm-up is under way for
        self.started = 0  # pools started in this run (for tests and diagnostics)

    def previews(self) -> PreviewPool:
        """The session's preview pool, started now if it is not running."""
        with self._lock:
            return self._previews_locked()

    def _previews_locked(self) -> PreviewPool:
        if self._previews is None:
            from app.core.pictures import PreviewPool

            self._previews = PreviewPool(largest_side=PICTURE_SIDE)
            self.started += 1
        return self._previews

    def reading(self) -> OcrPool:
        """The session's text recognition pool, started now if it is not running."""
        with self._lock:
            if self._reading is None:
                from app.core.pictures import OcrPool
                from app.core.sandbox import default_workers

                self._reading = OcrPool(workers=min(default_workers(), MAX_READERS))
                self.started += 1
            return self._reading

    def warm(self) -> None:
        """Start the preview pool in a worker thread, so the next import does not wait for it.
        Never on the GUI thread, and never waiting there: starting the processes takes tens of
        milliseconds, with this object's lock held. The session asks twice close together
        (the main window built, the case opened), and the second ask used to wait at the lock
        for the first start to finish: a stall of the window just as it showed. Called on the
        GUI thread only (as `close()` is), so the fields read here are not read mid-change."""
        from app.ui.kit.worker import run_task

        epoch = self._epoch
        if self._previews is not None or self._warming == epoch:
            return  # running, or being started for this opening
        self._warming = epoch

        def start(_ctx: object) -> None:
            try:
                with self._lock:
                    if epoch == self._epoch:  # else closed since: a lock came first
                        self._previews_locked()
            finally:
                if self._warming == epoch:
                    self._warming = None

        run_task(start)

    def warm_soon(self, defer: Callable[[Callable[[], None]], None]) -> None:
        """`warm()`, run by `defer` (after the main window's first paint: after_paint.py);
        a `close()` (a lock) before then cancels it, as it stops a pool already started."""
        epoch = self._epoch

        def go() -> None:
            if epoch == self._epoch:
                self.warm()

        defer(go)

    def is_running(self) -> bool:
        with self._lock:
            return self._previews is not None or self._reading is not None

    def close(self) -> None:
        """Stop every worker now; items in flight end as failed, queued ones are cancelled."""
        with self._lock:
            self._epoch += 1
            pools = [p for p in (self._previews, self._reading) if p is not None]
            self._previews = self._reading = None
        for pool in pools:
            pool.close(cancel_pending=True, kill_running=True)
