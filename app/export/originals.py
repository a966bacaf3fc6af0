"""The originals read back for the bundle: many items through one stream of chunks
(`iter_contents`, a read transaction per batch of items), handed out item by item.

The stream is read a few chunks ahead in a thread of its own. Reading a chunk back is
SQLCipher's work (a read, a decryption and an HMAC check per page) and writing it is the
bundle's (SHA-256, CRC-32, the file write); each side lets go of Python's lock while it works,
so on two cores one chunk is written while the next is decrypted. Chunks are handed over in
batches of about a mebibyte (one big chunk, or many small items' whole content): a hand-over
per small item cost more than the overlap gained. At most `AHEAD` batches wait in between, so
memory stays bounded (about 16 MiB) whatever the case holds.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence

from app.core.records import iter_contents
from app.models.casefile import CaseFile

AHEAD = 8  # batches read ahead of the writer
BATCH_BYTES = 1024 * 1024  # a batch is handed over once it holds this much...
BATCH_ITEMS = 256  # ...or this many chunks


class _Failed:
    """What the reading thread met, raised again where the chunks are used."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


class Originals:
    """`chunks(evidence_id)` gives one item's chunks; ask for the items in ascending id order,
    each read to its end (a test checks the bundle's hashes, so a slip cannot pass unseen).
    `close()` stops the reading and ends its read transaction, also half-way (a cancel)."""

    def __init__(self, case: CaseFile, evidence_ids: Sequence[int]) -> None:
        self._waiting: queue.Queue[object] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._head: tuple[int, bytes] | None = None
        self._batch: Iterator[tuple[int, bytes]] = iter(())
        self._done = False
        self._reader = threading.Thread(target=self._read, args=(case, list(evidence_ids)),
                                        name="originals", daemon=True)
        self._reader.start()

    def _read(self, case: CaseFile, evidence_ids: list[int]) -> None:
        # The stream is made, used and closed in this thread, so its read transaction is too.
        stream = iter_contents(case, evidence_ids)
        batch: list[tuple[int, bytes]] = []
        size = 0
        try:
            for pair in stream:
                batch.append(pair)
                size += len(pair[1])
                if size >= BATCH_BYTES or len(batch) >= BATCH_ITEMS:
                    if not self._hand_over(batch):
                        return
                    batch, size = [], 0
            if batch and not self._hand_over(batch):
                return
            self._hand_over(_END)
        except BaseException as error:  # a damaged page, a closed case: told to the writer
            self._hand_over(_Failed(error))
        finally:
            stream.close()  # type: ignore[attr-defined]

    def _hand_over(self, item: object) -> bool:
        """Queue `item` for the writer; False once the writer has stopped listening."""
        while not self._stop.is_set():
            try:
                self._waiting.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _peek(self) -> tuple[int, bytes] | None:
        while self._head is None and not self._done:
            self._head = next(self._batch, None)
            if self._head is None:  # this batch is used up: wait for the next
                item = self._waiting.get()
                if isinstance(item, _Failed):
                    self._done = True
                    raise item.error
                self._done = item is _END
                if not self._done:
                    self._batch = iter(item)  # type: ignore[call-overload]
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
        self._stop.set()
        while self._reader.is_alive():
            try:  # make room, so a reader waiting to hand over a chunk sees the stop
                self._waiting.get(timeout=0.05)
            except queue.Empty:
                continue
        self._reader.join()
