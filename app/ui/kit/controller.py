"""A thin controller over the open case: the one object every view is given.

Views never open, close or lock the case themselves. They call `controller.run(...)` for work
(which runs in a worker thread) and listen to the signals:

- `case_opened`: a case was created or unlocked; load what you show (or take it, read by the
  opening task: `take_first_look`).
- `case_locked`: the case is locked. Clear every widget now: no case data may stay on screen,
  in a model, or in a cached pixmap.
- `data_changed(area)`: a `DataArea` saying what changed; each view reloads what shows it.
- `status(text)`: a short status-line text such as "Saved".
- `error(text)`: one calm sentence for the inline message bar.

Worker processes: `controller.pools` are the session's pools (previews, text recognition),
started once and stopped by every lock; pass them to core work rather than starting a pool.

Copying to the clipboard: use `controller.copy_text(...)` / `copy_image(...)` so that a quick
exit or a lock can take case data back off the clipboard.
"""

from __future__ import annotations

import getpass
import threading
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from app.errors import CaseLocked
from app.i18n import tr
from app.ui.kit.first_look import Opened, summarise_or_close
from app.ui.kit.pools import WorkerPools
from app.ui.kit.worker import (
    TaskContext,
    TaskHandle,
    cancel_all,
    case_gone_signal,
    run_task,
    wait_for_all,
)

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from app.core.records import CaseSummary
    from app.models.casefile import CaseFile
    from app.ui.shell.safety import ClipboardGuard

T = TypeVar("T")

# A lock waits this long for running work to stop at its next cancellation check. Imports and
# exports check often; the bound only matters if something is stuck in a single huge write.
LOCK_WAIT_MS = 15_000

# `when_idle`: work counts as done once none has run for QUIET_MS (the rows of a view arrive,
# and the thumbnails they ask for start a moment later, when the grid paints); something that
# never goes quiet (a long import) lets the waiting work go after IDLE_AT_MOST_MS anyway.
QUIET_MS = 150
IDLE_AT_MOST_MS = 3000


class DataArea(StrEnum):
    """A part of the case: what `data_changed` says changed, and where a view can take you
    (`navigate_requested`). Spelled only here; a signal carries the member itself."""

    EVIDENCE = "evidence"
    IDENTIFIERS = "identifiers"
    PAYMENTS = "payments"
    TIMELINE = "timeline"
    CHECKLIST = "checklist"  # checklist progress
    CASE = "case"  # the case's own details and flags
    SUGGESTIONS = "suggestions"  # details text recognition found in pictures
    BUNDLE = "bundle"  # a bundle for police was exported (the audit log shows it)
    MESSAGES = "messages"  # messages read from a chat export (or where a search hit opens one)


def default_actor() -> str:
    """Who is recorded in the audit log: the computer account, as KeePassXC-style tools do."""
    try:
        return getpass.getuser() or "desktop"
    except Exception:
        return "desktop"


class CaseController(QObject):
    case_opened = Signal()
    case_locked = Signal()
    # Emitted by lock() with the case still open, its work done: a view keeps what a person
    # typed and left (on the GUI thread, a write or two, before the key is dropped).
    locking = Signal(object)  # the CaseFile
    data_changed = Signal(object)  # a DataArea
    status = Signal(str)
    error = Signal(str)
    # The open case's file can no longer be reached (its USB stick taken out): nothing more
    # can be saved or read, and the session closes it. The sentence for the person.
    case_gone = Signal(str)

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        actor: str | None = None,
        kdf_profile: int | None = None,
    ) -> None:
        super().__init__(parent)
        self._case: CaseFile | None = None
        self._actor = actor or default_actor()
        self._kdf_profile = kdf_profile  # None: the case file's default (tests pass a light one)
        # Bumped on every lock: outcomes of work started before the lock are ignored, so a
        # result that arrives late can never repopulate a cleared view.
        self._generation = 0
        self._tasks: set[TaskHandle] = set()
        self._idle_waiting: list[Callable[[], None]] = []
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(QUIET_MS)
        self._quiet.timeout.connect(self._quiet_reached)
        self.last_summary: CaseSummary | None = None  # read right after unlock ("Last opened")
        # Whether that "last opened" was this app's own opening, before a lock; and the audit
        # event of the latest opening it recorded, by case. Someone who opens the case while
        # it is locked here records a later opening, and the notice names them.
        self.last_open_was_ours = False
        self._our_openings: dict[tuple[str, str], int] = {}
        self.clipboard_guard: ClipboardGuard | None = None  # set by the app when it starts
        self.pools = WorkerPools()  # warmed by the session; closed by every lock
        # Set by the session: `open_gate(go)` calls `go` once the views that will show a case
        # are built (the main window is built a piece per event-loop turn). The opening task
        # waits for it once the key is derived, before it reads anything: its reads would
        # otherwise share the interpreter with the build's steps, each taking twice as long.
        self.open_gate: Callable[[Callable[[], None]], None] | None = None
        # Set by the session: what the first screen shows, read by the opening task right
        # after the summary (kit/first_look.py), and taken by the views as it is announced.
        self.open_reads: dict[str, Callable[[CaseFile], object]] = {}
        self._first_look: dict[str, object] = {}
        self._hearing_case_gone = False

    # -- state ---------------------------------------------------------------------------------

    @property
    def case(self) -> CaseFile | None:
        return self._case

    def is_open(self) -> bool:
        return self._case is not None and self._case.is_open

    @property
    def actor(self) -> str:
        return self._actor

    @property
    def kdf_profile(self) -> int | None:
        """The KDF profile for new keys; None means the case file's default."""
        return self._kdf_profile

    # -- work ----------------------------------------------------------------------------------

    def run(
        self,
        fn: Callable[[TaskContext], T],
        *,
        changes: DataArea | None = None,
        on_result: Callable[[T], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        pool: QThreadPool | None = None,
        saved: Callable[[T], bool] | None = None,
    ) -> TaskHandle:
        """Run `fn` in the worker. On success with `changes`: data_changed + status("Saved"),
        "Saved" only where `saved(result)` says something was (an import that added nothing
        saved nothing). Long-running background work passes its own `pool`, so it never holds
        up the rest."""
        generation = self._generation

        def current() -> bool:
            return generation == self._generation

        def done(result: T) -> None:
            self._task_ended(handle)
            if not current():
                return
            if changes:
                self.data_changed.emit(changes)
                if saved is None or saved(result):
                    self.status.emit(tr("Saved"))
            if on_result is not None:
                on_result(result)

        def failed(message: str) -> None:
            self._task_ended(handle)
            if not current():
                return
            if on_error is not None:
                on_error(message)
            elif handle.was_cancelled:
                self.status.emit(message)  # "Cancelled. Nothing was changed." is not an error
            else:
                self.error.emit(message)

        def progressed(done_count: int, total: int, label: str) -> None:
            if on_progress is not None and current():
                on_progress(done_count, total, label)

        # Callbacks, not connections to the handle's signals: these closures refer to the
        # handle, and a connection made in Qt would keep both alive for the whole session.
        handle = run_task(fn, on_result=done, on_error=failed, on_progress=progressed, pool=pool)
        self._task_started(handle)
        return handle

    def when_idle(self, go: Callable[[], None], *, at_most_ms: int = IDLE_AT_MOST_MS) -> None:
        """Call `go` once, when no work started here has run for a moment (the views have
        what they show), or after `at_most_ms` whatever runs. For work that can wait and would
        only compete with what a person is looking at (start-up's imports for later)."""
        self._idle_waiting.append(go)
        QTimer.singleShot(at_most_ms, self, lambda: self._release_idle([go]))
        self._check_idle()

    def _task_started(self, handle: TaskHandle) -> None:
        self._tasks.add(handle)
        self._quiet.stop()

    def _task_ended(self, handle: TaskHandle) -> None:
        self._tasks.discard(handle)
        self._check_idle()

    def _check_idle(self) -> None:
        if self._idle_waiting and not self._tasks:
            self._quiet.start()

    def _quiet_reached(self) -> None:
        if not self._tasks:
            self._release_idle(list(self._idle_waiting))

    def _release_idle(self, going: list[Callable[[], None]]) -> None:
        for go in going:
            if go in self._idle_waiting:
                self._idle_waiting.remove(go)
                go()

    def take_first_look(self, key: str) -> object | None:
        """What `open_reads[key]` read as the case opening now was unlocked, once: only while
        `case_opened` is being emitted, and None after (or if that read failed), when the view
        reads it itself."""
        return self._first_look.pop(key, None)

    def require_case(self) -> CaseFile:
        """The open case, for work functions; raises a calm `CaseLocked` when there is none."""
        if self._case is None or not self._case.is_open:
            raise CaseLocked(tr("The case is locked. Unlock it to carry on."))
        return self._case

    # -- opening -------------------------------------------------------------------------------

    def create_case(
        self,
        path: str | Path,
        passphrase: str,
        display_name: str,
        under_18: bool,
        on_done: Callable[[], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> TaskHandle:
        """Create a case file (the key is derived in the worker) and open it."""
        actor, profile, reads = self._actor, self._kdf_profile, dict(self.open_reads)

        def work(ctx: TaskContext, views_built: threading.Event) -> Opened:
            from app.models.casefile import CaseFile

            extra: dict[str, Any] = {} if profile is None else {"kdf_profile": profile}
            case = CaseFile.create(path, passphrase, display_name=display_name,
                                   under_18=under_18, actor=actor, **extra)
            return summarise_or_close(case, ctx.cancelled, views_built, reads)

        return self._open_with(work, on_done, on_error)

    def unlock(
        self,
        path: str | Path,
        passphrase: str,
        on_done: Callable[[], None] | None = None,
        on_error: Callable[[str], None] | None = None,
    ) -> TaskHandle:
        """Open (unlock) a case file; the key is derived in the worker, the window stays live."""
        actor, reads = self._actor, dict(self.open_reads)

        def work(ctx: TaskContext, views_built: threading.Event) -> Opened:
            from app.models.casefile import CaseFile

            # The summary is read before this opening is recorded, so its "last opened" is the
            # previous opening: the one a person wants to check was theirs.
            case = CaseFile.open(path, passphrase, actor=actor, record_open=False)
            return summarise_or_close(case, ctx.cancelled, views_built, reads,
                                      record_open_as=actor)

        return self._open_with(work, on_done, on_error)

    def _open_with(
        self,
        work: Callable[[TaskContext, threading.Event], Opened],
        on_done: Callable[[], None] | None,
        on_error: Callable[[str], None] | None,
    ) -> TaskHandle:
        if self._case is not None:
            self.lock()  # one case at a time: switching cases locks the previous one first
        generation = self._generation
        views_built = threading.Event()  # set on this thread, waited for in the task
        if self.open_gate is None:
            views_built.set()
        else:
            self.open_gate(views_built.set)

        def opened(result: Opened) -> None:
            self._task_ended(handle)
            case, summary, first_look, opening = result
            if generation != self._generation:
                case.close()  # locked while the key was being derived: do not keep it open
                return
            self._case = case
            self.last_summary = summary
            which = (str(case.path), summary.case_uuid)  # an old case may have no uuid
            self.last_open_was_ours = (summary.last_opened_event is not None and
                                       self._our_openings.get(which)
                                       == summary.last_opened_event)
            if opening is not None:
                self._our_openings[which] = opening
            self._first_look = first_look
            try:
                self.case_opened.emit()
            finally:
                self._first_look = {}  # not taken now: it would be out of date later
            if on_done is not None:
                on_done()

        def failed(message: str) -> None:
            self._task_ended(handle)
            if generation != self._generation:
                return
            if on_error is not None:
                on_error(message)
            else:
                self.error.emit(message)

        handle = run_task(lambda ctx: work(ctx, views_built), on_result=opened,
                          on_error=failed)
        if not self._hearing_case_gone:  # now, not at start-up: the relay exists from here
            case_gone_signal().connect(self._case_out_of_reach)
            self._hearing_case_gone = True
        self._task_started(handle)
        return handle

    # -- locking -------------------------------------------------------------------------------

    def _case_out_of_reach(self, message: str) -> None:
        if self._case is not None:  # once: later tasks meet the same gone file
            self.case_gone.emit(message)

    def lock(self) -> None:
        """Cancel and wait for running work, close the case (drops the key), tell every view.

        Safe to call at any time, also when nothing is open: views clear themselves either way.
        """
        self._generation += 1
        for handle in list(self._tasks):
            handle.cancel()
        cancel_all()  # work started with run_task directly (thumbnails) holds the case too
        wait_for_all(LOCK_WAIT_MS)
        # After the work, not before: an import stops between files and stores the one in
        # hand. Workers may hold decoded pictures of the case, so none outlives the lock (and
        # anything still waiting on one past the bound above ends now).
        self.pools.close()
        self._tasks.clear()
        self._check_idle()
        if self._case is not None:
            self.locking.emit(self._case)
        case, self._case = self._case, None
        self.last_summary = None
        if case is not None:
            case.close()
        if self.clipboard_guard is not None:
            self.clipboard_guard.clear_if_ours()
        self.case_locked.emit()

    # -- clipboard -----------------------------------------------------------------------------

    def copy_text(self, text: str) -> None:
        """Put text on the clipboard and remember it, so a lock can take it back off."""
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setText(text)
        if self.clipboard_guard is not None:
            self.clipboard_guard.remember()

    def copy_image(self, image: QImage) -> None:
        from PySide6.QtGui import QGuiApplication

        QGuiApplication.clipboard().setImage(image)
        if self.clipboard_guard is not None:
            self.clipboard_guard.remember()
