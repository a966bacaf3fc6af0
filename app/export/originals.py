"""The originals read back for the bundle: many items through one stream of chunks
(`iter_contents`, a read transaction per batch of items), read a few chunks ahead in a thread
of its own (app/export/read_ahead.py) and handed out item by item.

On two cores one chunk is written (SHA-256, CRC-32, the file write) while the next is
decrypted; memory stays bounded whatever the case holds.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from app.core.records import iter_contents
from app.export.read_ahead import ReadAhead
from app.models.casefile import CaseFile


class Originals:
    """`chunks(evidence_id)` gives one item's chunks; ask for the items in ascending id order,
    each read to its end (a test checks the bundle's hashes, so a slip cannot pass unseen).
    `close()` stops the reading and ends its read transaction, also half-way (a cancel)."""

    def __init__(self, case: CaseFile, evidence_ids: Sequence[int]) -> None:
        ids = list(evidence_ids)
        self._ahead: ReadAhead[tuple[int, bytes]] = ReadAhead(
            lambda: iter_contents(case, ids), lambda pair: len(pair[1]), "originals")
        self._head: tuple[int, bytes] | None = None

    def chunks(self, evidence_id: int) -> Iterator[bytes]:
        while True:
            if self._head is None:
                self._head = self._ahead.next()
            head = self._head
            if head is None or head[0] > evidence_id:
                return
            self._head = None
            if head[0] == evidence_id:
                yield head[1]

    def close(self) -> None:
        self._ahead.close()
