"""Evidence content as the case file keeps it: the original bytes, in order, in rows of
`evidence_chunk` of at most CHUNK_SIZE each (seq 0, 1, 2, ...; no row for empty content).

This module is the only place that knows that format. Intake writes through `store_bytes` or
`chunk_rows` (a file already in memory and hashed) or `store_stream` (any size, hashed as it
is stored);
everything that reads content back (export, `safekeep check`, text recognition, the window)
goes through `read_content` or `hash_content`, a few chunks at a time, so memory stays
bounded whatever the size of the file.
"""

import hashlib
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, BinaryIO

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models.evidence import EvidenceChunk

CHUNK_SIZE = 1024 * 1024
_INSERT_CHUNK = "INSERT INTO evidence_chunk (evidence_id, seq, data) VALUES (?, ?, ?)"
# Rows fetched at a time when reading back: each is a decrypted CHUNK_SIZE blob.
_ROWS_PER_FETCH = 2


@dataclass(frozen=True)
class StoredContent:
    """What was stored or read back: its SHA-256 (hex) and its size in bytes."""

    sha256: str
    size: int


def split(data: bytes) -> Iterator[bytes]:
    """`data` in the pieces it is stored in (none for empty data)."""
    for offset in range(0, len(data), CHUNK_SIZE):
        yield data[offset : offset + CHUNK_SIZE]  # a file of one chunk is not even copied


def file_chunks(handle: BinaryIO) -> Iterator[bytes]:
    """A file read in the pieces it is stored in, one at a time."""
    while chunk := handle.read(CHUNK_SIZE):
        yield chunk


def chunk_rows(evidence_id: int, data: bytes) -> list[dict[str, object]]:
    """The `evidence_chunk` rows of content already in memory, for a caller that inserts the
    rows of many items in one statement (a group of small files)."""
    return [
        {"evidence_id": evidence_id, "seq": seq, "data": chunk}
        for seq, chunk in enumerate(split(data))
    ]


def store_bytes(session: Session, evidence_id: int, data: bytes) -> None:
    """Store content already in memory (its hash was taken by the caller), in one statement."""
    rows = chunk_rows(evidence_id, data)
    if rows:
        session.execute(insert(EvidenceChunk), rows)


def store_stream(session: Session, evidence_id: int, handle: BinaryIO) -> StoredContent:
    """Store a file of any size chunk by chunk, hashing exactly the bytes stored."""
    digest = hashlib.sha256()
    size = 0

    def hashed() -> Iterator[bytes]:
        nonlocal size
        for chunk in file_chunks(handle):
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    store_chunks(session, evidence_id, 0, hashed())
    return StoredContent(digest.hexdigest(), size)


def store_chunks(session: Session, evidence_id: int, first_seq: int,
                 chunks: Iterable[bytes]) -> int:
    """Store pieces (each at most CHUNK_SIZE, all but the item's last exactly CHUNK_SIZE) as
    the item's chunks `first_seq`, `first_seq + 1`, ...; returns the next free seq. A big
    item may be stored in several calls, each in a transaction of its own."""
    # Straight to the driver: the ORM's insert costs about 0.25 ms a row in Python, a quarter
    # of a second for each GB stored, with nothing to gain for a row of three plain columns.
    conn = session.connection()
    seq = first_seq
    for chunk in chunks:
        conn.exec_driver_sql(_INSERT_CHUNK, (evidence_id, seq, chunk))
        seq += 1
    return seq


def read_content(session: Session, evidence_id: int) -> Iterator[bytes]:
    """The stored bytes of an item, chunk by chunk, in order (a few chunks in memory)."""
    yield from session.scalars(
        select(EvidenceChunk.data)
        .where(EvidenceChunk.evidence_id == evidence_id)
        .order_by(EvidenceChunk.seq)
    ).yield_per(_ROWS_PER_FETCH)


def read_contents(session: Session, evidence_ids: Sequence[int]) -> Iterator[tuple[int, bytes]]:
    """(evidence id, chunk) for several items in one query, by id and then in order; an item
    with empty content has no chunk. For many small items this is far cheaper than a query
    each; memory stays a few chunks."""
    rows = session.execute(
        select(EvidenceChunk.evidence_id, EvidenceChunk.data)
        .where(EvidenceChunk.evidence_id.in_(list(evidence_ids)))
        .order_by(EvidenceChunk.evidence_id, EvidenceChunk.seq)
    ).yield_per(_ROWS_PER_FETCH)
    for row in rows:
        yield row[0], row[1]


def hash_content(session: Session, evidence_id: int) -> StoredContent:
    """SHA-256 and size of an item's stored bytes, read back chunk by chunk."""
    digest = hashlib.sha256()
    size = 0
    for chunk in read_content(session, evidence_id):
        digest.update(chunk)
        size += len(chunk)
    return StoredContent(digest.hexdigest(), size)


def hash_contents(session: Session, evidence_ids: Sequence[int]) -> dict[int, StoredContent]:
    """SHA-256 and size of several items' stored bytes, in one query (`read_contents`): for
    many small items a query each costs far more than the hashing. Every id asked for is in
    the answer; one with no chunk is empty content. Memory: a few chunks and a hash per id."""
    digests = {evidence_id: hashlib.sha256() for evidence_id in evidence_ids}
    sizes = dict.fromkeys(evidence_ids, 0)
    for evidence_id, chunk in read_contents(session, evidence_ids):
        digests[evidence_id].update(chunk)
        sizes[evidence_id] += len(chunk)
    return {i: StoredContent(digests[i].hexdigest(), sizes[i]) for i in evidence_ids}


class StoredContentFile(io.RawIOBase):
    """An item's stored bytes as a seekable, read-only file, for readers that need one (a ZIP
    is read from its end). Each chunk is fetched in a short read transaction of its own, so a
    long read never holds the case open against writers; one chunk is kept at a time. Nothing
    is written to disk."""

    def __init__(self, read_session: Callable[[], AbstractContextManager[Session]],
                 evidence_id: int, size: int) -> None:
        super().__init__()
        self._read_session = read_session
        self._evidence_id = evidence_id
        self._size = size
        self._pos = 0
        self._chunk_seq = -1
        self._chunk = b""

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        if base + offset < 0:
            raise OSError("negative seek position")
        self._pos = base + offset
        return self._pos

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self._size:
            return 0
        seq, start = divmod(self._pos, CHUNK_SIZE)
        if seq != self._chunk_seq:
            with self._read_session() as session:
                data = session.scalar(select(EvidenceChunk.data).where(
                    EvidenceChunk.evidence_id == self._evidence_id, EvidenceChunk.seq == seq))
            if data is None:
                raise OSError("stored content is missing a chunk")
            self._chunk_seq, self._chunk = seq, bytes(data)
        piece = self._chunk[start : start + len(buffer)]
        view = memoryview(buffer).cast("B")
        view[: len(piece)] = piece
        self._pos += len(piece)
        return len(piece)
