"""Storing a file of any size, hashed as it is stored, in parts.

A file that fits in one part (PART_BYTES) is stored in ONE transaction, as every other item.
A bigger one is stored across several transactions of one part each, so the write-ahead log
never holds more than a few parts: committing a 1 GB file in one transaction made the log grow
to 1 GB, then SQLite copied all of it into the case file again, with a slower search of the log
for every page the longer it grew (3.4x `cp` + `sha256sum` for a 1 GB video). After each
commit a thread folds the part into the case file (app/models/log_folding.py) while the next
part is encrypted and written to the log; every FOLD_EVERY parts the import waits for it, and
the next part reuses the log from its start.

Until its last part is committed the item is INCOMPLETE (app/models/incomplete.py): nothing
lists, shows, checks or exports it, and nothing is reported. The last part's transaction
gives it its real hash, size and exhibit number and writes its audit event, so an item
reported as added is complete and durable (synchronous FULL: the commit is fsynced). If the
import fails the item is removed at once; if the process dies, the next open removes it.

Reading and hashing run on a thread of their own for a big file (hashlib and file reads let
go of the GIL), so they overlap SQLCipher's encryption of the previous chunk on the other core.
"""

import hashlib
import os
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.models import EvidenceItem
from app.models.casefile import CaseFile
from app.models.content import CHUNK_SIZE, file_chunks, store_chunks
from app.models.evidence import next_exhibit_number
from app.models.incomplete import SHOW_INCOMPLETE, incomplete_marker
from app.models.log_folding import LogFolder

# 64 MiB: big enough that the per-commit costs (two fsyncs, a checkpoint) are a few percent of
# the part's own writing, small enough that the log and its index stay small (measured: 32 and
# 64 MiB about the same; the whole file in one part about 1.5x slower).
PART_BYTES = 64 * 1024 * 1024
# Smaller files are read on the importing thread: a thread per file would cost more than the
# overlap gives, and many small files are common.
THREADED_FROM = 8 * CHUNK_SIZE
# While a thread folds the log into the case file, the next part is appended to the log
# (app/models/log_folding.py); every FOLD_EVERY parts the import waits for the folding to catch
# up, so the log holds at most this many parts (256 MiB).
FOLD_EVERY = 4

MakeItem = Callable[[str], EvidenceItem]  # a new item carrying this placeholder hash
AuditAdd = Callable[[Session, EvidenceItem], None]
_SHOW = {SHOW_INCOMPLETE: True}


@dataclass(frozen=True)
class Streamed:
    evidence_id: int | None  # None only when content already there was found before storing
    sha256: str
    added: bool  # False: the same content is in the case already (evidence_id is that item)


class StreamStopped(Exception):
    """`is_cancelled` said stop between two parts: the incomplete item is gone again."""


def stream_item(case: CaseFile, handle: BinaryIO, make_item: MakeItem, audit_add: AuditAdd,
                *, busy: Callable[[str], bool] = lambda _sha: False,
                part_bytes: int | None = None,
                is_cancelled: Callable[[], bool] | None = None) -> Streamed:
    """Store `handle` (read from its start) as one new item, or find it already there.
    `busy(sha)` says the same content is being stored by the caller (not yet committed).
    `part_bytes` defaults to PART_BYTES as it is when called (tests make parts smaller).
    `is_cancelled` is asked between parts: a big file had to be stored whole after Stop (or a
    lock, or Quick exit), 10 s for 1.5 GB while the hidden window kept the case open. When it
    says stop, the parts stored are removed and StreamStopped is raised."""
    part_bytes = part_bytes or PART_BYTES
    size = _size_of(handle)
    if size is not None and size > part_bytes and _same_size_in_case(case, size):
        # Likely a copy: hash first rather than write a big file and then remove it again.
        sha = _hash_of(handle)
        existing = _item_with(case, sha)
        if existing is not None:
            return Streamed(existing, sha, added=False)
    reader = _HashingReader(handle, threaded=size is None or size > THREADED_FROM)
    several_parts = size is None or size > part_bytes
    item_id: int | None = None
    committed = False  # has a part been committed (an incomplete item exists in the file)?
    done: Streamed | None = None  # set in the last part's transaction
    try:
        with LogFolder(case, every=FOLD_EVERY if several_parts else 0) as folder:
            seq = 0
            while done is None:
                if committed and is_cancelled is not None and is_cancelled():
                    raise StreamStopped
                folder.catch_up_if_due()
                with case.write() as session:
                    folder.hold(session)
                    if item_id is None:
                        item = make_item(incomplete_marker())
                        session.add(item)
                        session.flush()
                        item_id = item.id
                    seq = store_chunks(session, item_id, seq, reader.take(part_bytes))
                    if reader.finished:
                        done = _complete(session, item_id, reader, audit_add, busy)
                committed = True
                folder.committed()
        assert done is not None
        return done
    except BaseException:
        reader.close()
        if committed and item_id is not None and done is None:  # a whole item stays whole
            _remove_quietly(case, item_id)
        raise


def _complete(session: Session, item_id: int, reader: "_HashingReader", audit_add: AuditAdd,
              busy: Callable[[str], bool]) -> Streamed:
    """In the last part's transaction: the item becomes whole, or is removed as a copy."""
    sha = reader.sha256
    existing = session.scalar(select(EvidenceItem.id).where(EvidenceItem.sha256 == sha))
    if existing is not None or busy(sha):
        session.execute(delete(EvidenceItem).where(EvidenceItem.id == item_id),
                        execution_options=_SHOW)
        return Streamed(existing, sha, added=False)
    session.execute(
        update(EvidenceItem).where(EvidenceItem.id == item_id).values(
            sha256=sha, size=reader.size, exhibit_number=next_exhibit_number(session.connection())
        ),
        execution_options=_SHOW,
    )
    item = session.get(EvidenceItem, item_id, populate_existing=True)
    assert item is not None
    audit_add(session, item)
    return Streamed(item_id, sha, added=True)


def _remove_quietly(case: CaseFile, item_id: int) -> None:
    """Remove an incomplete item after a failure. If even that fails (a full disk), the item
    stays hidden and the next open removes it."""
    try:
        with case.write() as session:
            session.execute(delete(EvidenceItem).where(EvidenceItem.id == item_id),
                            execution_options=_SHOW)
    except Exception:  # noqa: S110 - the failure that brought us here is the one to report
        pass


def _size_of(handle: BinaryIO) -> int | None:
    """The size without reading: an open file's, or an in-memory buffer's; None otherwise (a
    ZIP member would have to be decompressed to find its end)."""
    known = getattr(handle, "known_size", None)  # a file read up to its size at the start
    if isinstance(known, int):
        return known - handle.tell()
    try:
        return os.fstat(handle.fileno()).st_size - handle.tell()
    except (AttributeError, OSError, ValueError):
        pass
    getbuffer = getattr(handle, "getbuffer", None)
    if getbuffer is not None:
        return len(getbuffer()) - handle.tell()
    return None


def _same_size_in_case(case: CaseFile, size: int) -> bool:
    with case.read() as session:
        return session.scalar(select(EvidenceItem.id).where(EvidenceItem.size == size)
                              .limit(1)) is not None


def _item_with(case: CaseFile, sha: str) -> int | None:
    with case.read() as session:
        return session.scalar(select(EvidenceItem.id).where(EvidenceItem.sha256 == sha))


def _hash_of(handle: BinaryIO) -> str:
    start = handle.tell()
    digest = hashlib.sha256()
    for chunk in file_chunks(handle):
        digest.update(chunk)
    handle.seek(start)
    return digest.hexdigest()


class _HashingReader:
    """The handle's bytes in stored-size chunks, each hashed as it is handed out: exactly the
    bytes stored are hashed. With `threaded`, a thread reads and hashes a few chunks ahead."""

    _AHEAD = 3  # chunks read ahead: a few MiB of memory

    def __init__(self, handle: BinaryIO, *, threaded: bool) -> None:
        self.size = 0
        self._digest = hashlib.sha256()
        self._chunks = file_chunks(handle)
        self._head: bytes | None = None  # the next chunk, once looked at
        self._ended = False
        self._thread: threading.Thread | None = None
        self._queue: queue.Queue[bytes | BaseException | None] = queue.Queue(self._AHEAD)
        self._stop = threading.Event()
        if threaded:
            self._thread = threading.Thread(target=self._produce, name="safekeep-read-ahead",
                                            daemon=True)
            self._thread.start()

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()

    @property
    def finished(self) -> bool:
        """True once every byte has been handed out (looks at the next chunk to know)."""
        if self._head is None and not self._ended:
            self._head = self._next()
            self._ended = self._head is None
        return self._ended

    def take(self, limit: int) -> Iterator[bytes]:
        """Chunks until at least `limit` bytes are handed out (whole chunks) or the end."""
        taken = 0
        while taken < limit and not self.finished:
            chunk, self._head = self._head, None
            assert chunk is not None
            taken += len(chunk)
            yield chunk

    def close(self) -> None:
        """Stop the read-ahead thread (after a failure: nothing more will be taken)."""
        if self._thread is None:
            return
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.05)  # make room, so a blocked put can see the stop
            except queue.Empty:
                pass
        self._thread = None

    def _next(self) -> bytes | None:
        if self._thread is None:
            chunk = next(self._chunks, None)
            if chunk is not None:
                self._digest.update(chunk)
                self.size += len(chunk)
            return chunk
        got = self._queue.get()
        if isinstance(got, BaseException):
            self._thread = None
            raise got
        if got is not None:
            self.size += len(got)
        return got

    def _produce(self) -> None:
        try:
            for chunk in self._chunks:
                if self._stop.is_set():
                    return
                self._digest.update(chunk)  # read only by the consumer after the end marker
                self._queue.put(chunk)
            self._queue.put(None)
        except BaseException as error:  # handed to the importing thread, which reports it
            self._queue.put(error)
