"""The one module that owns how evidence content is stored (app/models/content.py): bytes go
in and come back byte for byte, in chunks of at most CHUNK_SIZE, in order, with no empty row,
and a large file never sits in memory whole."""

import hashlib
import io
import os
import tracemalloc
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import EvidenceChunk, EvidenceItem
from app.models.casefile import CaseFile
from app.models.content import (
    CHUNK_SIZE,
    StoredContent,
    file_chunks,
    hash_content,
    read_content,
    split,
    store_bytes,
    store_stream,
)

SIZES = [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE, 2 * CHUNK_SIZE + 17]


def new_item(session: Session, name: str) -> int:
    item = EvidenceItem(sha256=f"test:{name}", size=0, original_name=name, kind="other",
                        detected_type="application/octet-stream")
    session.add(item)
    session.flush()
    return item.id


def stored_rows(case: CaseFile, evidence_id: int) -> list[tuple[int, int]]:
    """(seq, length) of each stored row, in the order SQLite returns them."""
    with case.read() as session:
        return [(seq, len(data)) for seq, data in session.execute(
            select(EvidenceChunk.seq, EvidenceChunk.data)
            .where(EvidenceChunk.evidence_id == evidence_id))]


def expected_rows(size: int) -> list[tuple[int, int]]:
    full, rest = divmod(size, CHUNK_SIZE)
    return [(seq, CHUNK_SIZE) for seq in range(full)] + ([(full, rest)] if rest else [])


def read_back(case: CaseFile, evidence_id: int) -> bytes:
    with case.read() as session:
        return b"".join(read_content(session, evidence_id))


@pytest.mark.parametrize("size", SIZES)
def test_written_two_ways_read_back_byte_for_byte(case: CaseFile, size: int) -> None:
    data = os.urandom(size)
    with case.write() as session:
        in_memory = new_item(session, "in-memory")
        store_bytes(session, in_memory, data)
        streamed = new_item(session, "streamed")
        told = store_stream(session, streamed, io.BytesIO(data))
    assert told == StoredContent(hashlib.sha256(data).hexdigest(), size)
    for evidence_id in (in_memory, streamed):
        # An exact multiple of CHUNK_SIZE ends on a full row; empty content has no row.
        assert sorted(stored_rows(case, evidence_id)) == expected_rows(size)
        assert read_back(case, evidence_id) == data
        with case.read() as session:
            assert hash_content(session, evidence_id) == told


def test_empty_content(case: CaseFile) -> None:
    with case.write() as session:
        item = new_item(session, "empty")
        store_bytes(session, item, b"")
    assert stored_rows(case, item) == []
    assert read_back(case, item) == b""
    with case.read() as session:
        assert hash_content(session, item) == StoredContent(hashlib.sha256(b"").hexdigest(), 0)
    assert list(split(b"")) == [] and list(file_chunks(io.BytesIO(b""))) == []


def test_items_never_mix_and_come_back_in_order(case: CaseFile) -> None:
    first, second = os.urandom(2 * CHUNK_SIZE + 5), os.urandom(CHUNK_SIZE + 9)
    with case.write() as session:
        a = new_item(session, "a")
        b = new_item(session, "b")
        # The first item's rows written last piece first, the second item's in between:
        # reading back follows seq and the item, not the order the rows were written in.
        pieces = list(enumerate(split(first)))
        for seq, chunk in reversed(pieces):
            session.add(EvidenceChunk(evidence_id=a, seq=seq, data=chunk))
            session.flush()
            if seq == 1:
                store_bytes(session, b, second)
    assert read_back(case, a) == first
    assert read_back(case, b) == second


def test_a_large_file_is_stored_and_read_back_in_bounded_memory(
    case: CaseFile, tmp_path: Path
) -> None:
    source = tmp_path / "large.bin"
    digest = hashlib.sha256()
    with source.open("wb") as out:
        for _ in range(40):
            piece = os.urandom(CHUNK_SIZE)
            digest.update(piece)
            out.write(piece)
    size = 40 * CHUNK_SIZE
    tracemalloc.start()
    try:
        with case.write() as session, source.open("rb") as handle:
            item = new_item(session, "large")
            told = store_stream(session, item, handle)
        _, peak_writing = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with case.read() as session:
            back = hash_content(session, item)
        _, peak_reading = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert told == back == StoredContent(digest.hexdigest(), size)
    # A few chunks at a time (measured: about 2 and 5), never the 40 MiB file.
    assert peak_writing < 8 * CHUNK_SIZE, peak_writing
    assert peak_reading < 8 * CHUNK_SIZE, peak_reading
