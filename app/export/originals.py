"""The originals read back for the bundle: many items through one stream of chunks
(`iter_contents`, a read transaction per batch of items), handed out item by item."""

from collections.abc import Iterator, Sequence

from app.core.records import iter_contents
from app.models.casefile import CaseFile


class Originals:
    """`chunks(evidence_id)` gives one item's chunks; ask for the items in ascending id order,
    each read to its end (a test checks the bundle's hashes, so a slip cannot pass unseen).
    `close()` ends the read transaction, also half-way (a cancel)."""

    def __init__(self, case: CaseFile, evidence_ids: Sequence[int]) -> None:
        self._stream = iter_contents(case, evidence_ids)
        self._head: tuple[int, bytes] | None = None
        self._done = False

    def _peek(self) -> tuple[int, bytes] | None:
        if self._head is None and not self._done:
            self._head = next(self._stream, None)
            self._done = self._head is None
        return self._head

    def chunks(self, evidence_id: int) -> Iterator[bytes]:
        while True:
            head = self._peek()
            if head is None or head[0] > evidence_id:
                return
            self._head = None
            if head[0] == evidence_id:
                yield head[1]

    def close(self) -> None:
        self._stream.close()  # type: ignore[attr-defined]
