"""report.pdf drawn in a second process, while the first writes the rest of the bundle.

Drawing the report is pure Python (ReportLab) and about half of a large export; the other half
(the spreadsheets, copying the originals) is too, so threads share one core between them. On
Linux the report is drawn in a child made with `fork()` as soon as everything it needs is
known: the child has the case's snapshot as it is (nothing is copied or sent), writes the PDF
into the unnamed file the parent made for it, and exits. On two cores the export then takes
about as long as the longer of the two halves.

What the child does and does not touch, since it is forked from a process with threads (the
window's, the case's readers): it never opens the case file, never uses Qt beyond `tr()`
(QCoreApplication::translate, which only reads the translator list), and never starts a
thread or a process. Pictures are the only case content the report needs: it asks the parent
for each one through a pipe, and a thread of the parent reads it from the case (read ahead, as
before) and sends it. The child ends with `os._exit` and never returns into its caller.

Everything that can go wrong is told to the export as it would have been in one process: the
child's exception is sent back and raised again (a full disk is still a full disk); a picture
that cannot be read is raised where the parent read it; a child that dies without a word
(killed, out of memory) is a calm error. A cancel, or any failure of the export, kills the
child at once. Elsewhere than Linux (no safe `fork()`: macOS, Windows) the report is drawn in
the export's own thread, in the same order as before.

A child forked from a process with threads could, in principle, wait forever for a lock that a
thread of the parent held at the moment of the fork. So the child says when it starts each
page; one silent for `SILENT_LIMIT` seconds (while not waiting for a picture) is killed, and
the report is drawn again in the export's own thread: slower, never stuck.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterator
from multiprocessing.connection import Connection, Pipe
from typing import TYPE_CHECKING

from app.core.records import iter_content, reading_image_ids
from app.errors import SafekeepError, underlying_os_error
from app.export.casedata import CaseSnapshot
from app.export.continuity import read_continuity
from app.export.messages_export import Transcripts
from app.export.read_ahead import ReadingPictures
from app.export.removed_exhibits import read_removed
from app.i18n import tr
from app.models.casefile import CaseFile

if TYPE_CHECKING:
    from app.export.bundle_contents import Progress
    from app.export.documents import SpooledDocument
    from app.export.pdf_picture import Picture
    from app.export.report_pictures import PictureLoader


SILENT_LIMIT = 60.0  # seconds a child may draw without starting a page (a page takes ms)


def can_draw_apart() -> bool:
    """Whether the report is drawn in a forked child here (Linux only: see the module doc)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


class ReportDrawing:
    """report.pdf into `document`: started by `start()`, whole after `finish()`. `abandon()`
    stops it wherever it is (also after `finish()`: then it does nothing)."""

    def __init__(self, case: CaseFile, snap: CaseSnapshot, names: dict[int, str],
                 transcripts: Transcripts, tracker: Progress, document: SpooledDocument) -> None:
        self._case = case
        self._snap = snap
        self._names = names
        self._transcripts = transcripts
        self._tracker = tracker
        self.document = document
        self._pid = 0
        self._server: threading.Thread | None = None
        self._to_child: Connection | None = None
        self._from_child: Connection | None = None
        self._outcome: tuple[object, ...] | None = None
        self._failure: BaseException | None = None
        self._heard = 0.0  # when the child was last heard from or answered (monotonic)
        self._answering = False  # the parent is reading a picture the child waits for
        self._served = 0  # pictures sent, counted by the serving thread
        self.pictures_told = 0  # ...and told to the progress by the export's thread

    # -- in the export's thread ----------------------------------------------------------

    def start(self, apart: bool) -> None:
        """Draw the report: in a forked child when `apart` (see `can_draw_apart`), or here and
        now. Call from the thread that will call `finish()`."""
        if not apart:
            self._draw_here()
            return
        from app.export.report_audit import audit_tally  # ReportLab: only once exporting

        # What the report reads from the audit log, read here: the child cannot read the case.
        read_continuity(self._snap)
        read_removed(self._snap)
        audit_tally(self._snap)
        child_reads, parent_writes = Pipe(duplex=False)
        parent_reads, child_writes = Pipe(duplex=False)
        # Frozen, what exists now is never collected in the child: a file object that was
        # garbage here, finalised there, would flush its buffer into a file it shares with the
        # parent (the bundle being written).
        gc.freeze()
        # SIGTERM held back across the fork: the child is born with the app's calm handler
        # (see _draw_in_child), and one sent before it puts the default back would be lost.
        mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        try:
            with warnings.catch_warnings():
                # Python 3.12 warns of fork() with threads; the module doc says why it is safe.
                warnings.simplefilter("ignore", DeprecationWarning)
                pid = os.fork()
        except OSError:  # no memory or processes left for a child: drawn here instead
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            for end in (child_reads, parent_writes, parent_reads, child_writes):
                end.close()
            gc.unfreeze()
            self._draw_here()
            return
        if pid == 0:  # the child: never returns
            parent_writes.close()
            parent_reads.close()
            self._draw_in_child(child_reads, child_writes, mask)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        gc.unfreeze()
        self._pid = pid
        child_reads.close()
        child_writes.close()  # so that the child's end, when it exits, is the last one
        self._to_child, self._from_child = parent_writes, parent_reads
        self._heard = time.monotonic()
        self._server = threading.Thread(target=self._serve, name="report pictures", daemon=True)
        self._server.start()
        self._tracker.beside = self._pictures_since

    def _pictures_since(self) -> int:
        """The progress of the pictures sent since this was last asked (by the export's
        thread, at each of its steps)."""
        served = self._served
        amount = (served - self.pictures_told) * self._tracker.picture_step
        self.pictures_told = served
        return amount

    def finish(self) -> SpooledDocument:
        """The report, once whole; raises what stopped it. Checks for a cancel while it waits."""
        server = self._server
        if server is None:
            return self.document
        self._tracker.step(0, tr("Writing the report"))  # what is left to wait for
        while server.is_alive():
            server.join(0.05)
            self._tracker.step(0)  # the pictures sent meanwhile, and a check for a cancel
            if not self._answering and time.monotonic() - self._heard > SILENT_LIMIT:
                return self._draw_here_instead()
        self._tracker.step(0)  # the last ones
        if self._outcome is None:  # no last word: the child is dead, or waits for an answer
            self._kill()
        self._reap()
        self._close_pipes()
        self._server = None
        if self._failure is not None:
            raise self._failure
        outcome = self._outcome
        if outcome is None or outcome[0] != "done":
            error = _error_from(outcome)
            raise error
        _, size, crc, sha256 = outcome
        assert isinstance(size, int) and isinstance(crc, int) and isinstance(sha256, str)
        self.document.adopt(size, crc, sha256)
        return self.document

    def _draw_here_instead(self) -> SpooledDocument:
        """The child is stuck: stop it, and draw the report here from the start."""
        self.abandon()
        self.document.restart()
        self._draw_here()
        return self.document

    def abandon(self) -> None:
        self._tracker.beside = lambda: 0
        if self._pid:
            self._kill()
            self._reap()
        if self._server is not None:  # the child is gone: its pipe ends, and so does this
            self._server.join()
            self._server = None
        self._close_pipes()

    def _kill(self) -> None:
        if self._pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)

    def _reap(self) -> None:
        if self._pid:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = 0

    def _close_pipes(self) -> None:
        for end in (self._to_child, self._from_child):
            if end is not None:
                end.close()
        self._to_child = self._from_child = None

    def _draw_here(self) -> None:
        tracker = self._tracker

        def picture(evidence_id: int, load: PictureLoader) -> Picture:
            tracker.step(tracker.picture_step)
            self.pictures_told += 1
            return load(evidence_id)

        def cancelled() -> bool:
            tracker.check_cancel()
            return False

        from app.export.report import write_report

        with _pictures(self._case, self._snap) as load:
            write_report(self._snap, self.document, evidence_files=self._names,
                         picture=lambda i: picture(i, load), is_cancelled=cancelled,
                         transcripts=self._transcripts)
        self.document.done()

    # -- in the parent's serving thread --------------------------------------------------

    def _serve(self) -> None:
        """Answer the child's requests for pictures until it says it is done, or dies."""
        assert self._to_child is not None and self._from_child is not None
        to_child, from_child = self._to_child, self._from_child
        try:
            with _pictures(self._case, self._snap) as load:
                while True:
                    message = from_child.recv()
                    self._heard = time.monotonic()
                    if message[0] == "page":
                        continue
                    if message[0] != "picture":
                        self._outcome = message
                        return
                    self._answering = True
                    try:
                        answer: object = load(message[1])
                    except BaseException as error:  # raised in the export, as in one process
                        self._failure = error
                        answer = None
                    to_child.send(answer)
                    self._heard, self._answering = time.monotonic(), False
                    if answer is None:
                        return
                    self._served += 1
        except (EOFError, OSError):  # the child died, or was killed on a cancel
            return
        except BaseException as error:  # reading the pictures could not start
            self._failure = self._failure or error

    # -- in the child ------------------------------------------------------------------------

    def _draw_in_child(self, requests: Connection, answers: Connection,
                       mask: set[int | signal.Signals]) -> None:
        """`mask`: the signals blocked before the fork, put back once SIGTERM ends the child."""
        try:
            with contextlib.suppress(ValueError):  # a signal here must not wake the parent
                signal.set_wakeup_fd(-1)
            # The desktop app quits calmly on SIGTERM (ui/kit/end_request.py); forked, this
            # child would have kept that and outlived a shutdown: it ends as Python's default,
            # also for a SIGTERM sent since the fork (held back until now).
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            self._snap.audit.cut_off()
            from app.export.report import write_report

            def picture(evidence_id: int) -> Picture:
                answers.send(("picture", evidence_id))
                found = requests.recv()
                if found is None:  # the parent could not read it and says why itself
                    raise _ParentStopped
                return found  # type: ignore[no-any-return]

            def starting_a_page() -> bool:  # heard by the parent (see SILENT_LIMIT)
                answers.send(("page",))
                return False

            write_report(self._snap, self.document, evidence_files=self._names,
                         picture=picture, is_cancelled=starting_a_page,
                         transcripts=self._transcripts)
            done = self.document.done()
            answers.send(("done", done.size, done.crc, done.sha256))
        except _ParentStopped:
            pass
        except BaseException as error:
            with contextlib.suppress(BaseException):
                answers.send(("error", _portable(error)))
        finally:
            os._exit(0)


class _ParentStopped(Exception):
    """The parent stopped serving pictures; it knows why."""


@contextlib.contextmanager
def _pictures(case: CaseFile, snap: CaseSnapshot) -> Iterator[PictureLoader]:
    """The report's picture loader: the reading-size pictures kept in the case, read ahead in
    a thread while the pages are drawn; items from before schema v5 are decoded (in the
    sandbox)."""
    from app.export.report_pictures import picture_ids, report_pictures

    kept = reading_image_ids(case)
    with contextlib.closing(ReadingPictures(case, [i for i in picture_ids(snap) if i in kept])) \
            as ahead, report_pictures(snap, lambda i: b"".join(iter_content(case, i)), ahead.get,
                                      kept) as load:
        yield load


def _portable(error: BaseException) -> BaseException:
    """The child's exception, or one that says the same, that the parent can be sent (what
    it stood for, where ReportLab wrapped it: its context does not cross)."""
    error = underlying_os_error(error)
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes, made just now
        return error
    except Exception:  # it cannot cross: its kind and words do
        return RuntimeError(f"{type(error).__name__}: {error}")


def _error_from(outcome: tuple[object, ...] | None) -> BaseException:
    if outcome is not None and outcome[0] == "error" and isinstance(outcome[1], BaseException):
        return outcome[1]
    return SafekeepError(tr(
        "The report could not be made, so no bundle was written. The case itself is "
        "unchanged. Close other programs, then try again."))


__all__ = ["ReportDrawing", "can_draw_apart"]
