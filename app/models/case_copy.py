"""A spare copy of the case, made while it is open: Settings' "Save a copy of this case" and
`safekeep copy CASE OUT`.

A case is one file: a lost laptop, a failing disk or a file deleted by mistake takes every
piece of evidence with it, and the police advice is to keep the evidence. Copying the case file
with a file manager while the case is open is not safe either (part of it is in its `-wal`
file until it closes). A copy made here opens with the same passphrase: the case's own
connection attaches the new file without a key of its own, so SQLCipher gives it the case's
key and salt, and the passphrase is never needed again.

It is written as the passphrase change writes its new file (`sqlcipher_export`, in one read
snapshot, every table counted on both sides), under a temporary name beside the target; it
is read back whole (every page's HMAC as SQLite checks every b-tree, and the format marker),
and only then given its name, never replacing a file. The copy is recorded in the case's
audit log, in the same transaction as it gets its name. Work on the case goes on meanwhile
(the copy is of the moment it began). The copy grows towards the case's size, which a
thread reads every tenth of a second for the progress bar; Stop interrupts SQLite, and the
half-made copy is removed.
"""

from __future__ import annotations

import contextlib
import glob
import secrets
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import sqlcipher3

from app.errors import Cancelled, InvalidInput, NotACaseFile, StorageError
from app.i18n import rounded_size, tr
from app.models.audit import append_event
from app.models.casefile import CaseFile
from app.models.connection import FORMAT_MARKER
from app.models.disk_room import largest_file_at
from app.models.rekey import export_into, no_companions
from app.models.safe_files import (
    case_error,
    create_owner_only,
    drive_gone_message,
    folder_answers,
    looked_up,
    publish,
    remove_quietly,
    unpublished,
)

CASE_SUFFIX = ".skcase"
_PROGRESS_EVERY_S = 0.1
_STALE_AFTER_S = 3600


@dataclass(frozen=True)
class CopyResult:
    path: Path
    size: int


def copy_name(case: CaseFile, day: date) -> str:
    """`Alex copy 2026-12-07.skcase`: where a folder is given rather than a file name."""
    return f"{case.path.stem} copy {day.isoformat()}{CASE_SUFFIX}"


def save_copy(case: CaseFile, out: str | Path, *,
              progress: Callable[[int, int], None] | None = None,
              is_cancelled: Callable[[], bool] | None = None) -> CopyResult:
    """Write a copy of the open `case` at `out` (a folder: a name of its own in it)."""
    target = Path(out)
    found = looked_up(target)
    if found is not None and stat.S_ISDIR(found.st_mode):
        target = target / copy_name(case, date.today())
    _check_target(case, target)
    expected = _case_size(case)
    _sweep_stale(target)
    _check_room(target.parent, expected)
    partial = target.with_name(f".{target.name}.copy-{secrets.token_hex(4)}")
    with unpublished(partial):
        create_owner_only(partial)
        with case.bare_connection() as dbapi:
            with _watched(dbapi, partial, expected, progress, is_cancelled) as stopped:
                try:
                    export_into(dbapi, partial, None, incomplete=tr(
                        "The copy was not complete, so it was not kept."))
                    _read_back(dbapi, partial)
                except sqlcipher3.DatabaseError as exc:
                    if stopped.is_set():
                        raise Cancelled(tr("Stopped. No copy was saved.")) from None
                    raise _as_said(exc, case, partial) from None
                if stopped.is_set():  # stopped as the reading back ended
                    raise Cancelled(tr("Stopped. No copy was saved."))
        if is_cancelled is not None and is_cancelled():
            raise Cancelled(tr("Stopped. No copy was saved."))
        size = partial.stat().st_size
        named = False
        try:
            with case.write() as session:
                append_event(session, case.actor, "case.copy", "case",
                             {"file": target.name, "bytes": size})
                publish(partial, target)
                named = True
        except BaseException:
            if named:  # given its name, but not recorded: not a copy anyone was told of
                remove_quietly(target)
            raise
    return CopyResult(target, size)


def _as_said(exc: sqlcipher3.DatabaseError, case: CaseFile, partial: Path) -> Exception:
    """SQLite's error while copying, as a sentence; a damaged page of the case says what can
    still be done (the bundle leaves a damaged item out; the check names it). The drive the
    copy was going to, gone (a USB stick taken out), is said first: SQLite's words for it
    ("malformed") had said the case was damaged; and so is the case's own drive gone."""
    if not folder_answers(partial.parent):
        return StorageError(drive_gone_message())
    error = case_error(case.path, exc)  # the case's own stick taken out is said as such
    if isinstance(error, NotACaseFile):
        return NotACaseFile(tr(
            "Part of this case file is damaged, so a whole copy of it cannot be made. "
            "Checking the case file (in Settings, or safekeep check) names what is damaged; "
            "a bundle for police can still be made, without it."))
    return error


def _check_target(case: CaseFile, target: Path) -> None:
    folder = looked_up(target.parent)
    if folder is None or not stat.S_ISDIR(folder.st_mode):
        raise InvalidInput(tr("That folder does not exist. Choose another place."))
    if looked_up(target) is not None:  # the case itself among them
        raise InvalidInput(tr("A file with that name already exists. Choose another name."))


def _sweep_stale(target: Path) -> None:
    """A copy to this name that was killed part-way (the power went) left its hidden file: a
    whole case's worth of space, never published. One not touched for an hour is no copy in
    progress."""
    cutoff = time.time() - _STALE_AFTER_S
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.copy-*"):
        with contextlib.suppress(OSError):
            if leftover.is_file() and not leftover.is_symlink() \
                    and leftover.stat().st_mtime < cutoff:
                remove_quietly(leftover)


def _case_size(case: CaseFile) -> int:
    """About the copy's size: the case file and what its log holds beyond it (a copy is
    written compactly, so it is no larger)."""
    log = Path(f"{case.path}-wal")
    return case.path.stat().st_size + (log.stat().st_size if log.exists() else 0)


def _check_room(folder: Path, expected: int) -> None:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if expected > free:
        raise StorageError(tr(
            "The copy needs up to {need}, and this drive has {free} free. Choose another "
            "place, or free some space, then try again.").format(
                need=rounded_size(expected), free=rounded_size(free)))
    largest = largest_file_at(folder)
    if largest is not None and expected > largest:
        raise StorageError(tr(
            "The case is {size}, more than this drive holds in one file (it is formatted as "
            "FAT32, as many USB sticks are, which take files of at most 4 GB). Choose "
            "another drive.").format(size=rounded_size(expected)))


@contextlib.contextmanager
def _watched(dbapi: Any, partial: Path, expected: int,
             progress: Callable[[int, int], None] | None,
             is_cancelled: Callable[[], bool] | None) -> Iterator[threading.Event]:
    """While the copy is written: its size as progress, and SQLite interrupted on Stop."""
    done, stopped = threading.Event(), threading.Event()

    def watch() -> None:
        while not done.wait(_PROGRESS_EVERY_S):
            if is_cancelled is not None and is_cancelled():
                stopped.set()
                dbapi.interrupt()
                return
            if progress is not None:
                with contextlib.suppress(OSError):
                    progress(min(partial.stat().st_size, expected - 1), expected)

    watcher = threading.Thread(target=watch, name="safekeep-copy-watch", daemon=True)
    watcher.start()
    try:
        yield stopped
    finally:
        done.set()
        watcher.join()


def _read_back(dbapi: Any, partial: Path) -> None:
    """The copy in write-ahead-log mode, as every case; then every page of it reads under the
    case's key, and it is a whole case. A failure
    here is the copy's, never the case's (whose pages were all read to make it)."""
    unreadable = NotACaseFile(tr("The copy did not read back whole, so it was not kept "
                                 "(the disk may be failing)."))
    dbapi.execute("ATTACH DATABASE ? AS spare", (str(partial),))
    try:
        dbapi.execute("PRAGMA spare.journal_mode = WAL")  # as every case: stored in the file
        trees = dbapi.execute("PRAGMA spare.integrity_check").fetchall()
        marker = dbapi.execute(
            "SELECT value FROM spare.file_meta WHERE key = 'format'").fetchone()
        mode = dbapi.execute("PRAGMA spare.journal_mode").fetchone()
    except sqlcipher3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise  # Stop: said as such by the caller
        raise unreadable from None
    except sqlcipher3.DatabaseError:  # a page of the copy fails its HMAC: not the case's
        raise unreadable from None
    finally:
        dbapi.execute("DETACH DATABASE spare")
    no_companions(partial)  # everything is in the file itself, none in a log beside it
    if trees != [("ok",)] or marker != (FORMAT_MARKER,) or mode != ("wal",):
        raise unreadable
