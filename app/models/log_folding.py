"""Folding the write-ahead log into the case file on a thread of its own, while a big import
writes its next part (app/core/intake/streaming.py).

SQLite's automatic checkpoint runs inside the COMMIT that filled the log: the importing thread
itself copies the part from the log into the case file (read, write, fsync) before it may
encrypt the next part, and for a 1 GB file that copying is a good second of its time. Here the
importer's commits leave the log alone (`hold`), and a thread folds each committed part in
(SQLite's own PASSIVE checkpoint, on a connection of its own: file reads, writes and fsyncs let
go of the GIL) while the importer encrypts the next part on the other core.

The log starts again from its beginning only when a write transaction begins with everything
in it folded in. While part k is being folded, part k+1 is appended after it; so every `every`
parts the importer waits for the folding to catch up (`catch_up_if_due`), and the log holds at
most `every` parts instead of growing with the file.

Crash safety is unchanged: every commit is still fsynced to the log before it returns, and a
checkpoint interrupted at any moment is finished by SQLite at the next open. A checkpoint that
fails (a full disk) is left, as SQLite's automatic one is: the parts are safe in the log.
"""

import threading
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from app.models.connection import hold_log_folding

if TYPE_CHECKING:
    from app.models.casefile import CaseFile


class LogFolder:
    """Use as a context manager around the parts of one big import. With `every` 0 it does
    nothing: each commit folds the log itself, as usual (a file stored in one part)."""

    def __init__(self, case: "CaseFile", *, every: int) -> None:
        self._case = case
        self._every = every
        self._cond = threading.Condition()
        self._asked = 0  # commits the folding was asked to cover
        self._folded = 0  # commits covered by a finished checkpoint
        self._since_caught_up = 0  # parts committed since the log was last wholly folded
        self._stopping = False
        self._ended = False
        self._thread = threading.Thread(target=self._run, name="safekeep-log-folding",
                                        daemon=True)

    def __enter__(self) -> "LogFolder":
        if self._every > 0:
            self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._every <= 0:
            return
        if kind is None:
            self._wait_folded()  # as with the automatic checkpoint: the log is folded in
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        self._thread.join()

    def hold(self, session: Session) -> None:
        """The commit of this write session leaves the log to the folding thread."""
        if self._every > 0:
            hold_log_folding(session.connection())

    def committed(self) -> None:
        """A part was committed: fold it in."""
        if self._every <= 0:
            return
        with self._cond:
            self._asked += 1
            self._since_caught_up += 1
            self._cond.notify_all()

    def catch_up_if_due(self) -> None:
        """Before the next part: every `every` parts, wait until the log is wholly folded, so
        the next part starts the log again from its beginning."""
        if self._every > 0 and self._since_caught_up >= self._every:
            self._wait_folded()

    def _wait_folded(self) -> None:
        with self._cond:
            self._cond.wait_for(lambda: self._folded >= self._asked or self._ended)
            self._since_caught_up = 0

    def _run(self) -> None:
        try:
            while self._fold_next():
                pass
        finally:  # also if the thread dies: nobody may wait for it for ever
            with self._cond:
                self._ended = True
                self._cond.notify_all()

    def _fold_next(self) -> bool:
        with self._cond:
            self._cond.wait_for(lambda: self._asked > self._folded or self._stopping)
            if self._asked == self._folded:
                return False  # stopping, and nothing left to fold
            target = self._asked
        try:
            with self._case.read() as session:
                # A checkpoint refuses to run inside a read transaction: the session's BEGIN
                # has read nothing yet, so none is open.
                session.connection().exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        except Exception:  # noqa: S110 - like SQLite's own: the parts are safe in the log
            pass
        with self._cond:
            self._folded = target
            self._cond.notify_all()
        return True
