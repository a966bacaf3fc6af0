"""Writing case files safely: owner-only from the first byte, published under their final name
only when complete (atomically, and durably), and errors turned into sentences a person can
act on. Shared by creating a case and changing its passphrase."""

import contextlib
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import sqlcipher3
from sqlalchemy.exc import DatabaseError as SADatabaseError

from app.errors import CaseDiskFull, CaseOutOfReach, InvalidInput, NotACaseFile, StorageError
from app.i18n import tr


def create_owner_only(path: Path) -> None:
    # 0600 from the first byte: never a moment when the file is readable by others.
    # SQLite gives the -wal and -shm files the same permissions as the main file.
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    os.close(fd)


def publish(partial: Path, target: Path, *, replace: bool = False) -> None:
    """Make a finished file appear under its final name atomically, and make it durable."""
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    if replace:
        os.replace(partial, target)
    else:
        # link + unlink: like rename, but fails instead of overwriting a file that appeared.
        try:
            os.link(partial, target)
            os.unlink(partial)
        except FileExistsError:
            raise InvalidInput(
                tr("A file with that name already exists. Choose another name.")
            ) from None
        except OSError:
            os.rename(partial, target)  # filesystems without hard links (FAT on a USB stick)
    fsync_dir(target.parent)


def fsync_dir(directory: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_quietly(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")


def folder_answers(folder: Path) -> bool:
    """Whether `folder` can still be listed. Listing asks the drive itself, where a file's
    details may come from the system's cache: a drive unmounted answers "not found", one
    that stopped answering (a USB stick taken out) EIO. A folder Safekeep may not list is
    there all the same."""
    try:
        with os.scandir(folder) as entries:
            next(entries, None)
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def drive_gone_message() -> str:
    return tr("The drive or folder this was being written to can no longer be reached. Was a "
              "USB stick taken out? Nothing already saved was lost. Put it back, or choose "
              "another place, and try again.")


def looked_up(path: Path) -> os.stat_result | None:
    """What is at `path` (a place to write to), or None when nothing is. A drive that does not
    answer is said as such: pathlib's exists() and is_dir() raise EIO, which had reached the
    person as "Something unexpected went wrong"."""
    try:
        return path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise StorageError(storage_message(exc) if isinstance(exc, PermissionError)
                           else drive_gone_message()) from None


def storage_message(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return tr(
            "The disk is full. Free some space and try again. Nothing already saved was lost."
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return tr("Safekeep is not allowed to write there. Choose another folder.")
    return tr("The file could not be written. Nothing already saved was lost.")


def translate_db_error(exc: Exception) -> Exception:
    """SQLite's words for what went wrong, turned into a sentence a person can act on."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "full" in text:
        return CaseDiskFull(
            tr("The disk is full. Free some space and try again. Nothing already saved was lost.")
        )
    if "readonly" in text or "read-only" in text:
        return StorageError(tr("Safekeep is not allowed to write to this case file."))
    if "malformed" in text or "not a database" in text or "hmac" in text:
        return NotACaseFile(tr("Part of this case file is damaged."))
    if "disk i/o error" in text:  # a write the system refused: a file size limit, a bad stick
        return StorageError(tr("The file could not be written. Nothing already saved was lost."))
    return exc


def case_error(case_path: Path, exc: Exception) -> Exception:
    """What went wrong with an open case, as a sentence: first whether its file can still be
    reached at all. A USB stick taken out makes SQLite say the file is damaged ("database disk
    image is malformed") or cannot be opened; a person told their evidence was damaged when
    it is whole on the stick in their hand would despair, and would not know to put it back."""
    if not _reachable(case_path):
        return CaseOutOfReach(tr(
            "The case file can no longer be reached. Was the USB stick or drive that holds it "
            "taken out? Everything saved before is in the case file. Put the drive back, then "
            "open the case again."))
    return translate_db_error(exc)


def _reachable(path: Path) -> bool:
    """Whether the file can be opened now. An open, not a stat: the system answers a stat of
    a file it has seen from its cache (FUSE for a second, network folders for longer), but
    asks the drive itself to open one."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except PermissionError:
        return True  # there, and refused: not a drive gone
    except OSError:
        return False
    with contextlib.suppress(OSError):
        os.close(fd)
    return True


@contextlib.contextmanager
def unpublished(partial: Path) -> Iterator[None]:
    """Around all work on a file not yet published: whatever fails, the partial file goes
    (it may hold a half-written case), and disk or database errors become sentences."""
    try:
        yield
    except OSError as exc:
        remove_quietly(partial)
        raise StorageError(storage_message(exc) if folder_answers(partial.parent)
                           else drive_gone_message()) from None
    except (SADatabaseError, sqlcipher3.DatabaseError) as exc:
        remove_quietly(partial)
        # SQLite says a file it cannot write to any more is damaged ("malformed"): the new
        # file, whose drive went, not the case.
        raise (translate_db_error(exc) if folder_answers(partial.parent)
               else StorageError(drive_gone_message())) from None
    except BaseException:
        remove_quietly(partial)
        raise


def log_left_beside(case_path: Path) -> str | None:
    """One calm sentence when a closed case's write-ahead log (`CASE-wal`) is still beside it.

    A case closes by folding its log into the case file; on a full disk that cannot happen,
    and the case lives in two files until it opens again with room. A person who moved the
    case file alone to make room would have a copy that does not open. Only meaningful for a
    case this process has just closed (one open elsewhere has its log beside it, as it
    should)."""
    log = case_path.with_name(case_path.name + "-wal")
    try:
        size = log.stat().st_size
        free = shutil.disk_usage(log.parent).free
    except OSError:
        return None
    # With room for the fold, the log stays only while something still holds the case (a
    # piece of work past the lock's wait): that is no full disk, and nothing to say.
    if size == 0 or free >= size:
        return None
    return tr("Part of the case is still in {log} beside the case file, as the disk is nearly "
              "full. Keep that file with the case file (do not move one without the other) "
              "and free some space: it is folded in the next time the case opens.").format(
                  log=log.name)

