"""PreviewPool: previews made in isolated worker processes (see `app.core.sandbox`).

It is also the parallel engine of screenshot import: one image per worker at a time, a path
(or pasted bytes) in, about 20 KB of JPEG out, so both cores decode. Each item is bounded in
time and memory; a hang gives "timed-out", a crash gives "failed".

It imports `preview`, never the reverse: a module that only makes previews inline does not
load threads and futures.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image

from app.core.pictures.preview import (
    DEFAULT_MAX_SIDE,
    READING_KEEP_SIDE,
    READING_SIDE,
    PreviewResult,
    PreviewStatus,
    make_preview_inline,
    preview_note,
)
from app.core.sandbox import (
    DEFAULT_MEMORY_LIMIT,
    Failure,
    IsolatedPool,
    PoolJob,
    Source,
)

PreviewSource = Source
# (path, data, max_side[, reading_side=...]) -> result; must be a module-level function
# (workers import it). reading_side is passed only when a reading picture is asked for.
DecodeFunction = Callable[..., PreviewResult]

DEFAULT_TIMEOUT = 10.0
_INT_FIELDS = ("thumb_width", "thumb_height", "reading_width", "reading_height", "width",
               "height")
_TEXT_FIELDS = ("image_format", "exif_taken_at", "exif_camera")


class PreviewPool(IsolatedPool[PreviewResult]):
    """Worker processes that make previews; each item is bounded in time and memory.

    `submit()` returns a Future that always ends with a PreviewResult (a hang gives
    timed-out, a crash gives failed). Use it as a context manager, or call `close()`.
    Previews are `max_side` pixels at most; one item may ask for a larger picture, up to
    `largest_side` (the app's one pool makes both thumbnails and pictures to read), or for
    the reading-size picture with its thumbnail, from the same decode (`reading=True`).
    """

    def __init__(
        self,
        workers: int | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
        max_side: int = DEFAULT_MAX_SIDE,
        largest_side: int | None = None,
        decode: DecodeFunction = make_preview_inline,  # a test seam: the real kill paths run
    ) -> None:
        self._largest_side = max(max_side, largest_side or max_side)
        job = PoolJob(
            work=functools.partial(_make_preview, decode),
            parse=_parse_answer,
            failure=_failed,
            params={"max_side": max_side},
            # The biggest honest answer is a picture of the largest side; a larger one means a
            # broken worker.
            max_answer=64 * 1024 + (self._largest_side**2 + READING_KEEP_SIDE**2) * 4,
            warm_up=_load_decoders,
            name="safekeep-preview",
        )
        super().__init__(job, workers, timeout=timeout, memory_limit=memory_limit)

    def submit(
        self, source: Source, params: dict[str, Any] | None = None, *, max_side: int | None = None,
        reading: bool = False,
    ) -> Future[PreviewResult]:
        """A preview of `source`; `max_side` asks for a larger (or smaller) one than usual, and
        `reading` for the reading-size picture too (READING_SIDE)."""
        if reading:
            params = {**(params or {}), "reading_side": READING_SIDE}
        if max_side is not None:
            if not 1 <= max_side <= self._largest_side:
                raise ValueError(f"max_side must be between 1 and {self._largest_side}")
            params = {**(params or {}), "max_side": max_side}
        return super().submit(source, params)


def _failed(failure: Failure) -> PreviewResult:
    status = PreviewStatus(failure.value)
    return PreviewResult(status, note=preview_note(status))


def _parse_answer(message: bytes) -> PreviewResult | None:
    result = _decode_answer(message)
    return None if result is None else replace(result, note=preview_note(result.status))


def _load_decoders() -> None:
    # Image.MAX_IMAGE_PIXELS stays at Pillow's default, as in the app's own process: our cap
    # (MAX_PIXELS, checked first) decides, so a worker and make_preview_inline agree exactly;
    # Pillow's checks stay on as a second line, and RLIMIT_AS bounds what slips past both.
    Image.init()


def _make_preview(
    decode: DecodeFunction, path: Path | None, data: bytes | None, params: dict[str, Any]
) -> bytes:
    """Runs in a worker."""
    if params.get("reading_side") is not None:
        return _encode_answer(decode(path, data, int(params["max_side"]),
                                     reading_side=int(params["reading_side"])))
    return _encode_answer(decode(path, data, int(params["max_side"])))


# -- the wire: results come back as JSON plus raw JPEG, never as pickles ---------------------
# A decoder exploit owns its worker; with pickle it would own the app (and the case key) too.


def _encode_answer(result: PreviewResult) -> bytes:
    fields = {name: getattr(result, name) for name in (*_INT_FIELDS, *_TEXT_FIELDS)}
    thumbnail = result.thumbnail
    fields |= {"status": result.status.value,
               "thumb": None if thumbnail is None else len(thumbnail),
               "reading": result.reading is not None}
    header = json.dumps(fields).encode()
    return len(header).to_bytes(4, "big") + header + (thumbnail or b"") + (result.reading or b"")


def _decode_answer(message: bytes) -> PreviewResult | None:
    """The result, or None if the message is malformed."""
    try:
        size = int.from_bytes(message[:4], "big")
        fields = json.loads(message[4 : 4 + size])
        values: dict[str, Any] = {"status": PreviewStatus(fields["status"])}
        for name in (*_INT_FIELDS, *_TEXT_FIELDS):
            value = values[name] = fields[name]
            if name in _INT_FIELDS:
                valid = type(value) is int and 0 <= value < 1 << 32  # not bool, not huge
            else:
                valid = isinstance(value, str) and len(value) <= 100
            if value is not None and not valid:
                return None
        thumb_size, has_reading = fields["thumb"], fields["reading"]
        if thumb_size is not None and (type(thumb_size) is not int or thumb_size < 0):
            return None
        if has_reading not in (True, False):
            return None
        ok = values["status"] is PreviewStatus.OK
        if (thumb_size is not None) != ok or (has_reading and not ok):
            return None
        body = message[4 + size :]
        thumbnail = body[:thumb_size] if thumb_size is not None else None
        reading = body[thumb_size:] if has_reading and thumb_size is not None else None
        if len(body) != (thumb_size or 0) + (len(reading) if reading is not None else 0):
            return None
        if (reading is None) != (values["reading_width"] is None):
            return None
        return PreviewResult(thumbnail=thumbnail, reading=reading, **values)
    except Exception:  # anything unexpected from a worker is a failed item, not our crash
        return None
