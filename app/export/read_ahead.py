"""Reading the case a little ahead of the bundle, in a thread of its own.

Reading back from the case is SQLCipher's work (a read, a decryption and an HMAC check per
page), done with Python's lock let go; what the bundle does with what was read (hashing and
writing an original, drawing a report page) mostly is not. On two cores the next things are
read while the last ones are used. Items are handed over in batches of about a mebibyte (a
hand-over per small item cost more than the overlap gained), and at most `AHEAD` batches
wait in between, so memory stays bounded (under about 16 MiB) whatever the case holds.

`ReadAhead` is the thread and its queue; `app/export/originals.py` reads the originals with
it, `ReadingPictures` below the report's reading-size pictures.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

from app.core.records import ReadingImage, iter_reading_images, read_reading_image
from app.models.casefile import CaseFile

T = TypeVar("T")

AHEAD = 8  # batches read ahead of their user
BATCH_BYTES = 1024 * 1024  # a batch is handed over once it holds this much...
BATCH_ITEMS = 256  # ...or this many items


class _Failed:
    """What the reading thread met, raised again where the items are used."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


_END = object()


class ReadAhead(Generic[T]):
    """The items of `stream()`, read in a thread of its own and taken in order with `next()`.
    The stream is made, used and closed in that thread (so are its read transactions).
    `close()` stops the reading, also half-way (a cancel)."""

    def __init__(self, stream: Callable[[], Iterator[T]], size: Callable[[T], int],
                 name: str) -> None:
        self._waiting: queue.Queue[object] = queue.Queue(maxsize=AHEAD)
        self._stop = threading.Event()
        self._batch: Iterator[T] = iter(())
        self._done = False
        self._reader = threading.Thread(target=self._read, args=(stream, size), name=name,
                                        daemon=True)
        self._reader.start()

    def _read(self, make_stream: Callable[[], Iterator[T]], size_of: Callable[[T], int]) -> None:
        stream = make_stream()
        batch: list[T] = []
        size = 0
        try:
            for item in stream:
                batch.append(item)
                size += size_of(item)
                if size >= BATCH_BYTES or len(batch) >= BATCH_ITEMS:
                    if not self._hand_over(batch):
                        return
                    batch, size = [], 0
            if batch and not self._hand_over(batch):
                return
            self._hand_over(_END)
        except BaseException as error:  # a damaged page, a closed case: told to the user
            self._hand_over(_Failed(error))
        finally:
            stream.close()  # type: ignore[attr-defined]

    def _hand_over(self, item: object) -> bool:
        """Queue `item` for the user; False once the user has stopped listening."""
        while not self._stop.is_set():
            try:
                self._waiting.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def next(self) -> T | None:
        """The next item; None at the end. What the reading met is raised here, once."""
        while not self._done:
            item = next(self._batch, None)
            if item is not None:
                return item
            waiting = self._waiting.get()  # this batch is used up: wait for the next
            if isinstance(waiting, _Failed):
                self._done = True
                raise waiting.error
            self._done = waiting is _END
            if not self._done:
                self._batch = iter(waiting)  # type: ignore[call-overload]
        return None

    def close(self) -> None:
        self._stop.set()
        while self._reader.is_alive():
            try:  # make room, so a reader waiting to hand over a batch sees the stop
                self._waiting.get(timeout=0.05)
            except queue.Empty:
                continue
        self._reader.join()


class ReadingPictures:
    """The reading-size pictures of `evidence_ids`, read ahead in the order the report draws
    its pages (ascending ids). `get(id)` gives one; one asked for out of that order, or after
    the reading met a damaged page, is read on its own then (where the damage, if it is that
    picture's, is raised as before). `close()` when the report is done."""

    def __init__(self, case: CaseFile, evidence_ids: Sequence[int]) -> None:
        self._case = case
        ids = list(evidence_ids)
        self._ahead: ReadAhead[tuple[int, ReadingImage]] | None = ReadAhead(
            lambda: iter_reading_images(case, ids), lambda pair: len(pair[1].jpeg),
            "reading pictures")
        self._head: tuple[int, ReadingImage] | None = None

    def get(self, evidence_id: int) -> ReadingImage | None:
        while self._ahead is not None:
            if self._head is None:
                try:
                    self._head = self._ahead.next()
                except Exception:  # each picture is read on its own from now
                    self._stop_reading()
                    break
            if self._head is None or self._head[0] > evidence_id:
                break  # not read ahead (none kept, or asked out of order)
            found, self._head = self._head, None
            if found[0] == evidence_id:
                return found[1]
        return read_reading_image(self._case, evidence_id)

    def _stop_reading(self) -> None:
        if self._ahead is not None:
            self._ahead.close()
            self._ahead = None

    def close(self) -> None:
        self._stop_reading()
        self._head = None
