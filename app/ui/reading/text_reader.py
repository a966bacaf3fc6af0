"""Reads the text in new pictures, and looks through the messages of new chat exports, in
the background while a case is open.

It starts when a case is unlocked, whenever evidence is added and whenever a chat export's
messages are read (after the person chose its date order), reads only pictures not
read yet, and stops when the case locks (the lock cancels every task), so locking pauses it
and unlocking resumes it where it was. It runs on its own one-thread pool: a batch of 50
screenshots takes a minute, and saves and thumbnails must not wait behind it. The reading
itself happens in the session's reading pool (`controller.pools`), one worker process per core.
"""

from dataclasses import replace

from PySide6.QtCore import QObject, QThreadPool, Signal

from app.core.reading import ReadingProgress
from app.errors import Cancelled
from app.i18n import tr
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.worker import TaskContext, TaskHandle


class TextReader(QObject):
    progressed = Signal(int, int)  # pictures read, pictures to read in this run
    # Details found in this run, pictures read in it, and whether the person asked for it
    # ("Read pictures now" with nothing to read had said nothing at all).
    finished = Signal(int, int, bool)
    stopped = Signal(str)  # one calm sentence: paused, or text recognition is not installed
    running_changed = Signal(bool)

    def __init__(self, controller: CaseController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._handle: TaskHandle | None = None
        self._again = False  # evidence arrived while reading: look again afterwards
        self.automatic = True  # read new pictures without being asked
        self._start_waiting = False  # asked to start once the views have what they show
        self._asked = False  # this run was asked for by the person
        controller.case_opened.connect(self._opened)
        controller.data_changed.connect(self._data_changed)
        controller.case_locked.connect(self._locked)

    def is_running(self) -> bool:
        return self._handle is not None

    def read_now(self) -> None:
        """The person asked ("Read pictures now"): the run then says how it ended, even when
        there was nothing to read."""
        if self._controller.is_open():
            self._asked = True
            self.start()

    def start(self) -> None:
        """Read every picture not read yet (asked for by the person, or automatic)."""
        if not self._controller.is_open():
            return
        if self._handle is not None:
            self._again = True
            return
        self._again = False
        controller = self._controller
        pools = controller.pools

        def work(ctx: TaskContext) -> ReadingProgress:
            from app.core.reading import find_in_chats, read_unread, require_engine, unread_ids

            case = controller.require_case()
            # Chat messages first: no engine needed, and a chat export just added is the
            # richest source of the offender's details.
            chats = find_in_chats(case, should_stop=ctx.cancelled)
            if ctx.cancelled():
                raise Cancelled(tr("Reading paused. Press \"Read pictures now\" to carry on."))
            ids = unread_ids(case)
            if not ids:
                return ReadingProgress(chats.exports, chats.exports, chats.found)
            require_engine()
            ctx.progress(0, len(ids))
            # Stopping leaves pictures not yet stored unread; a lock then ends the pool's
            # pictures in flight at once (the controller closes the pools).
            result = read_unread(
                case,
                pools.reading(),
                ids=ids,
                on_progress=lambda p: ctx.progress(p.done, p.total),
                should_stop=ctx.cancelled,
            )
            if ctx.cancelled():
                raise Cancelled(tr("Reading paused. Press \"Read pictures now\" to carry on."))
            return replace(result, found=result.found + chats.found)

        self._handle = controller.run(
            work,
            on_result=self._done,
            on_error=self._failed,
            on_progress=lambda done, total, _label: self.progressed.emit(done, total),
            pool=self._pool,
        )
        self.running_changed.emit(True)

    def stop(self) -> None:
        if self._handle is not None:
            self._handle.cancel()

    def _opened(self) -> None:
        self._start_when_idle()

    def _data_changed(self, area: DataArea) -> None:
        # MESSAGES: a chat export's messages were read (its date order just chosen, say); it
        # had waited, "looking through this chat's messages", until a picture was added.
        if area in (DataArea.EVIDENCE, DataArea.MESSAGES):
            self._start_when_idle()

    def _start_when_idle(self) -> None:
        """Start reading once the views have what they show. Not in the turn the case opens
        (the window is shown and painted then), nor as an import ends (the evidence view
        reloads its rows and thumbnails then): this task's reads, the check that Tesseract is
        installed and the reading pool's start would share the interpreter with them and hold
        the window up to 64 ms. Pictures wait a moment longer."""
        if self.automatic and not self._start_waiting:
            self._start_waiting = True
            self._controller.when_idle(self._start_after_waiting)

    def _start_after_waiting(self) -> None:
        self._start_waiting = False
        if self.automatic:
            self.start()  # nothing if the case was locked meanwhile

    def _done(self, progress: ReadingProgress) -> None:
        self._handle = None
        self.running_changed.emit(False)
        if progress.done:
            self._controller.data_changed.emit(DataArea.SUGGESTIONS)
        if progress.linked:  # saved identifiers now linked to pictures that show them
            self._controller.data_changed.emit(DataArea.IDENTIFIERS)
        asked, self._asked = self._asked, False
        self.finished.emit(progress.found, progress.total, asked)
        if self._again:
            self.start()

    def _failed(self, message: str) -> None:
        self._handle = None
        self._asked = False
        self.running_changed.emit(False)
        self._controller.data_changed.emit(DataArea.SUGGESTIONS)  # what was read so far is kept
        self.stopped.emit(message)

    def _locked(self) -> None:
        self._handle = None
        self._again = self._asked = False
        self.running_changed.emit(False)
