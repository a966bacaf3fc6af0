"""The report's picture pages: each picture that is not sensitive on a page of its own, as large
as fits, with its exhibit reference, its SHA-256 and the text recognised in it (marked as read
by machine). A sensitive item is a solid black box with its hash: its picture is never read.

Pictures come from criminals, so the report never decodes an original itself. Since schema
v5 each picture's reading-size picture is made at import, in the sandboxed preview workers,
with its thumbnail, and kept in the case: a JPEG, or a plain PNG screenshot's own compressed
pixels (app.core.pictures.png_pixels). The report embeds either as it is (pdf_picture: only
the JPEG's header, or the PNG's chunks, are read).
An item imported before that has none: `PictureSource` hands its original to the sandboxed
preview pool (app.core.pictures, worker processes bounded in time and memory), a few pages
ahead of the page being drawn, and embeds the pool's JPEG the same way. A picture that cannot
be read (damaged, too large, too slow) gets a calm line instead; the export carries on.
"""

from __future__ import annotations

import contextlib
import io
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import Future

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.pdfutils import readJPEGInfo
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.core.pictures import (
    PDF_TYPE,
    PNG_SIGNATURE,
    PreviewPool,
    PreviewResult,
    PreviewStatus,
    pixels_of,
)
from app.core.records import EvidenceRow, ReadingImage
from app.errors import NotACaseFile
from app.export.casedata import CaseSnapshot
from app.export.formatting import size_text
from app.export.pdf_picture import Picture, draw_picture
from app.export.report_style import (
    BAND,
    INK,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MONO,
    MUTED,
    PAGE,
    RULE,
    SANS,
    SANS_BOLD,
    TEXT_WIDTH,
    plain_line,
)
from app.i18n import tr

PAGE_SIDE = 1400  # pixels: screen text stays readable on a full A4 page (about 200 dpi)
_FRAME_H = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM
_TEXT_SIZE = 7.6
_BOX_TEXT_SIZE = 8.5  # the calm line in a box drawn instead of a picture
_TEXT_LEADING = 9.4
_MAX_TEXT_LINES = 120


PictureLoader = Callable[[int], Picture]


def is_picture(item: EvidenceRow) -> bool:
    """Items that get a picture page (or a black box): images, whether or not they decode."""
    return item.preview_status == PreviewStatus.OK or item.detected_type.startswith("image/")


def picture_ids(snap: CaseSnapshot) -> list[int]:
    """The items whose pictures the report decodes, in the order their pages are drawn."""
    return [e.id for e in snap.evidence
            if is_picture(e) and not e.sensitive and e.preview_status == PreviewStatus.OK
            and not snap.is_damaged(e)]


def _unreadable() -> str:
    return tr("This picture could not be read safely, so it is not shown here. The original "
              "file is in the bundle, unchanged, with the SHA-256 above.")


def _from_result(result: PreviewResult) -> Picture:
    if result.status is PreviewStatus.OK and result.thumbnail and result.thumb_width \
            and result.thumb_height:
        return Picture(result.thumbnail, result.thumb_width, result.thumb_height)
    return Picture(None, note=_unreadable())


class PictureSource:
    """Pictures decoded in `pool`'s workers, `ahead` items before they are asked for.

    `read(evidence_id)` gives an original's bytes (already checked against its hash when it was
    copied into the bundle). Asked in the order of `ids`, at most `ahead` originals and their
    JPEGs are held at a time; an id asked out of order is decoded on its own.
    """

    def __init__(self, pool: PreviewPool, ids: Iterable[int], read: Callable[[int], bytes],
                 *, ahead: int = 6) -> None:
        self._pool = pool
        self._read = read
        self._todo = deque(ids)
        self._ahead = max(ahead, 1)
        self._flight: deque[tuple[int, Future[PreviewResult]]] = deque()
        self._fill()

    def _submit(self, evidence_id: int) -> Future[PreviewResult]:
        return self._pool.submit(self._read(evidence_id), max_side=PAGE_SIDE)

    def _fill(self) -> None:
        while self._todo and len(self._flight) < self._ahead:
            evidence_id = self._todo.popleft()
            self._flight.append((evidence_id, self._submit(evidence_id)))

    def __call__(self, evidence_id: int) -> Picture:
        while self._flight and self._flight[0][0] != evidence_id and \
                evidence_id in (i for i, _ in self._flight):
            self._flight.popleft()[1].cancel()  # skipped: never drawn
        if self._flight and self._flight[0][0] == evidence_id:
            future = self._flight.popleft()[1]
        else:
            future = self._submit(evidence_id)
        self._fill()
        try:
            return _from_result(future.result())
        except Exception:  # the pool always answers; anything else is still only this picture
            return Picture(None, note=_unreadable())


def _from_stored(image: ReadingImage | None) -> Picture | None:
    """The stored picture as it is: a PNG's own pixels (see png_pixels: only its chunks are
    read), or a JPEG sized by its own header (the one part of it ReportLab reads); None if
    there is none or it does not read."""
    if image is None:
        return None
    if image.jpeg.startswith(PNG_SIGNATURE):
        pixels = pixels_of(image.jpeg)
        if pixels is None:  # not one we made: decode the original in the sandbox instead
            return None
        return Picture(pixels.deflated, pixels.width, pixels.height, colors=pixels.colors)
    try:
        width, height = readJPEGInfo(io.BytesIO(image.jpeg))[:2]
    except Exception:  # not a JPEG we made: decode the original in the sandbox instead
        return None
    return Picture(image.jpeg, int(width), int(height)) if width and height else None


@contextlib.contextmanager
def report_pictures(snap: CaseSnapshot, read: Callable[[int], bytes],
                    stored: Callable[[int], ReadingImage | None] = lambda _i: None,
                    stored_ids: Collection[int] = ()) -> Iterator[PictureLoader]:
    """The pictures of the report of `snap`: the reading-size JPEGs kept in the case
    (`stored`, for the items in `stored_ids`), and a `PictureSource` with its own preview pool
    for the others (only when there are any); its workers stop when the report is done."""
    todo = [i for i in picture_ids(snap) if i not in stored_ids]

    with contextlib.ExitStack() as stack:
        sources: list[PictureSource] = []

        def source() -> PictureSource:
            if not sources:  # the pool starts only when there is a picture to decode
                pool = stack.enter_context(PreviewPool(largest_side=PAGE_SIDE))
                sources.append(PictureSource(pool, todo, read))
            return sources[0]

        def load(evidence_id: int) -> Picture:
            kept = None
            if evidence_id in stored_ids:
                try:
                    kept = _from_stored(stored(evidence_id))
                except NotACaseFile:  # a damaged working copy: the original is decoded instead
                    kept = None
            return kept if kept is not None else source()(evidence_id)

        if todo:  # decoding starts ahead now: the first pages are drawn soon
            source()
        yield load


def wrap_text(text: str, width: float, limit: int, size: float = _TEXT_SIZE,
              more: str = "") -> list[str]:
    """The recognised text as drawn lines at `size`: escaped (plain_line), wrapped at spaces;
    past `limit` lines, the last says so (`more`, or that more text was read)."""
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if not raw.strip():
            continue
        words = plain_line(raw, SANS, size, 10**6).split(" ")
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if stringWidth(candidate, SANS, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = plain_line(word, SANS, size, width)  # a very long word is cut
        if line:
            lines.append(line)
        if len(lines) > limit:
            break
    if len(lines) > limit:
        lines = [*lines[: limit - 1],
                 more or tr("… (more text was read; it is not shown here)")]
    return lines


class PicturePage(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A whole page: heading, the picture as large as fits, the text read by machine."""

    def __init__(self, snap: CaseSnapshot, item: EvidenceRow, file_in_bundle: str | None,
                 load: PictureLoader) -> None:
        super().__init__()
        self._snap = snap
        self._item = item
        self._file = file_in_bundle
        self._load = load

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        # Always a whole frame: where less is left, ReportLab moves it to the next page, and
        # what follows it starts on a new one.
        self.width, self.height = TEXT_WIDTH, _FRAME_H - 1
        return self.width, self.height

    def draw(self) -> None:
        canv: Canvas = self.canv
        item = self._item
        top = draw_heading(canv, self._snap, item, self._file, self.height)
        picture = self._load(item.id)
        text = self._snap.texts.get(item.id, "")
        document = item.detected_type == PDF_TYPE  # its first page, and the text it holds
        room_h = top - 4 * mm
        if picture.data is None:
            _calm_box(canv, 0, room_h - 30 * mm, TEXT_WIDTH, 30 * mm,
                      picture.note or _unreadable())
            room_h -= 36 * mm
            _draw_text(canv, text, 0, room_h, TEXT_WIDTH, room_h, document)
            return
        w, h = picture.width, picture.height
        gap = 6 * mm
        side_w = TEXT_WIDTH * 0.42
        below_lines = wrap_text(text, TEXT_WIDTH, _MAX_TEXT_LINES) if text else []
        below_h = min(len(below_lines) * _TEXT_LEADING + 18, room_h * 0.45) if text else 24.0
        scale_below = min(TEXT_WIDTH / w, (room_h - below_h - gap) / h)
        scale_side = min((TEXT_WIDTH - side_w - gap) / w, room_h / h) if text else 0.0
        if scale_side > scale_below:
            pw, ph = w * scale_side, h * scale_side
            draw_picture(canv, picture, item.id, 0, top - ph, pw, ph)
            x = pw + gap
            _draw_text(canv, text, x, top, TEXT_WIDTH - x, room_h, document)
        else:
            pw, ph = w * scale_below, h * scale_below
            draw_picture(canv, picture, item.id, 0, top - ph, pw, ph)
            y = top - ph - gap
            _draw_text(canv, text, 0, y, TEXT_WIDTH, y, document)


class WithheldBox(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A sensitive picture (a black box, never a pixel of it) or an unreadable one (a calm
    line), with its heading; several fit on a page."""

    _H = 62 * mm

    def __init__(self, snap: CaseSnapshot, item: EvidenceRow, file_in_bundle: str | None) -> None:
        super().__init__()
        self._snap = snap
        self._item = item
        self._file = file_in_bundle

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return TEXT_WIDTH, self._H

    def draw(self) -> None:
        canv: Canvas = self.canv
        item = self._item
        top = draw_heading(canv, self._snap, item, self._file, self._H)
        box_h = top - 6 * mm
        if item.sensitive:
            canv.setFillColor(colors.black)
            canv.rect(0, top - box_h - 2 * mm, 40 * mm, box_h, stroke=0, fill=1)
            canv.setFillColor(MUTED)
            canv.setFont(SANS, 8)
            line = tr("Sensitive (intimate image): the picture is not shown in this report.")
            canv.drawString(44 * mm, top - 8 * mm, plain_line(line, SANS, 8, TEXT_WIDTH - 44 * mm))
            if self._file is None:
                line = tr("Its file is withheld from this bundle; the SHA-256 above identifies it.")
                canv.drawString(44 * mm, top - 13 * mm,
                                plain_line(line, SANS, 8, TEXT_WIDTH - 44 * mm))
            return
        note = item.preview_note if item.preview_status != PreviewStatus.OK else None
        if self._snap.is_damaged(item):
            note = tr("This item is damaged in the case file: its content could not be read "
                      "back, so its picture is not shown and its file is not in this bundle. "
                      "The SHA-256 above is the one taken when it arrived.")
        _calm_box(canv, 0, top - 2 * mm - 26 * mm, TEXT_WIDTH, 26 * mm, note or _unreadable())


def draw_heading(canv: Canvas, snap: CaseSnapshot, item: EvidenceRow, file_in_bundle: str | None,
                  height: float) -> float:
    """Exhibit reference, name, SHA-256, file in bundle; returns the y below them."""
    y = height - 12
    # The initials come from the alias and may hold a letter no report font has.
    exhibit = plain_line(tr("Exhibit {ref}").format(ref=snap.exhibit(item.id)), SANS_BOLD, 12,
                         TEXT_WIDTH / 2)
    canv.setFillColor(INK)
    canv.setFont(SANS_BOLD, 12)
    canv.drawString(0, y, exhibit)
    x = stringWidth(exhibit, SANS_BOLD, 12) + 8
    canv.setFont(SANS, 9)
    canv.setFillColor(MUTED)
    canv.drawString(x, y, plain_line(item.original_name, SANS, 9, TEXT_WIDTH - x))
    y -= 14
    canv.setFont(SANS, 8)
    label = tr("SHA-256") + "  "
    canv.drawString(0, y, label)
    canv.setFillColor(INK)
    canv.setFont(MONO, 8)
    canv.drawString(stringWidth(label, SANS, 8), y, item.sha256)
    y -= 11
    canv.setFont(SANS, 7.5)
    canv.setFillColor(MUTED)
    facts = [item.detected_type]
    if item.width and item.height:
        facts.append(f"{item.width} × {item.height}")
    facts.append(size_text(item.size))
    facts.append(tr("file: {name}").format(name=file_in_bundle) if file_in_bundle
                 else tr("damaged: left out of this bundle") if snap.is_damaged(item)
                 else tr("file withheld from this bundle"))
    canv.drawString(0, y, plain_line(" · ".join(facts), SANS, 7.5, TEXT_WIDTH))
    y -= 6
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.5)
    canv.line(0, y, TEXT_WIDTH, y)
    return y - 4


def _draw_text(canv: Canvas, text: str, x: float, top: float, width: float,
               height: float, document: bool = False) -> None:
    canv.setFont(SANS_BOLD, 8)
    canv.setFillColor(INK)
    canv.drawString(x, top - 9, tr("Text in the document, every page (a scanned page read "
                                   "by machine)") if document
                    else tr("Text read by machine (may contain errors)"))
    if not text.strip():
        canv.setFont(SANS, _TEXT_SIZE)
        canv.setFillColor(MUTED)
        canv.drawString(x, top - 21, tr("No text was read in this document.") if document
                        else tr("No text was read in this picture."))
        return
    limit = max(int((height - 16) // _TEXT_LEADING), 1)
    y = top - 21
    canv.setFillColor(MUTED)
    canv.setFont(SANS, _TEXT_SIZE)
    for line in wrap_text(text, width, min(limit, _MAX_TEXT_LINES)):
        canv.drawString(x, y, line)
        y -= _TEXT_LEADING


def _calm_box(canv: Canvas, x: float, y: float, w: float, h: float, note: str) -> None:
    canv.setFillColor(BAND)
    canv.setStrokeColor(RULE)
    canv.rect(x, y, w, h, stroke=1, fill=1)
    canv.setFillColor(MUTED)
    canv.setFont(SANS, _BOX_TEXT_SIZE)
    lines = wrap_text(note, w - 12 * mm, 4, _BOX_TEXT_SIZE)
    line_y = y + h / 2 + (len(lines) - 1) * 6 - 3
    for line in lines:
        canv.drawString(x + 6 * mm, line_y, line)
        line_y -= 12


def pictures_section(snap: CaseSnapshot, evidence_files: dict[int, str],
                     load: PictureLoader) -> list[Flowable]:
    """The pictures section: a page per readable picture; sensitive and unreadable pictures as
    boxes, several to a page. Empty when the case has no pictures."""
    items = [e for e in snap.evidence if is_picture(e)]
    if not items:
        return []
    # No heading of its own: it would take a page. The exhibits table's introduction says what
    # follows, and every picture page names its exhibit.
    story: list[Flowable] = []
    for item in items:
        file_in_bundle = evidence_files.get(item.id)
        if not item.sensitive and item.preview_status == PreviewStatus.OK \
                and not snap.is_damaged(item):
            story.append(PicturePage(snap, item, file_in_bundle, load))
        else:
            story.append(WithheldBox(snap, item, file_in_bundle))
    return story
