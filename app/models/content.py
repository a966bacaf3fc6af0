"""Evidence content as the case file keeps it: the original bytes, in order, in rows of
`evidence_chunk` of at most CHUNK_SIZE each (seq 0, 1, 2, ...; no row for empty content).

This module is the only place that knows that format. Intake writes through `store_bytes`
(a file already in memory and hashed) or `store_stream` (any size, hashed as it is stored);
everything that reads content back (export, `safekeep check`, text recognition, the window)
goes through `read_content` or `hash_content`, a few chunks at a time, so memory stays
bounded whatever the size of the file.
"""

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.models.evidence import EvidenceChunk

CHUNK_SIZE = 1024 * 1024
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


def store_bytes(session: Session, evidence_id: int, data: bytes) -> None:
    """Store content already in memory (its hash was taken by the caller), in one statement."""
    rows = [
        {"evidence_id": evidence_id, "seq": seq, "data": chunk}
        for seq, chunk in enumerate(split(data))
    ]
    if rows:
        session.execute(insert(EvidenceChunk), rows)


def store_stream(session: Session, evidence_id: int, handle: BinaryIO) -> StoredContent:
    """Store a file of any size chunk by chunk, hashing exactly the bytes stored."""
    digest = hashlib.sha256()
    size = 0
    for seq, chunk in enumerate(file_chunks(handle)):
        digest.update(chunk)
        size += len(chunk)
        session.execute(
            insert(EvidenceChunk), [{"evidence_id": evidence_id, "seq": seq, "data": chunk}]
        )
    return StoredContent(digest.hexdigest(), size)


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
