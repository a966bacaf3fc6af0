"""The report's evidence catalogue and its audit-log appendix.

Pictures in the PDF come only from Safekeep's own JPEG thumbnails, read one at a time while
the page is drawn (ImageReader over BytesIO; never a path, never a URL). A sensitive item is
shown as a solid black box: no thumbnail is even read for it, so no pixel can leak.
"""

import io
import json
from collections.abc import Callable
from datetime import UTC
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.core.records import EvidenceRow
from app.export.casedata import CaseSnapshot
from app.export.formatting import size_text, utc_text
from app.export.report_sections import Story, section_title
from app.export.report_style import (
    BAND,
    LONG_LIMIT,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MUTED,
    PAGE,
    RULE,
    SANS,
    TEXT_WIDTH,
    Styles,
    data_table,
    markup,
    times_markup,
)
from app.i18n import tr, tr_n

THUMB_W = 38 * mm
THUMB_H = 38 * mm
_GAP = 4 * mm
_LABEL_W = 24 * mm
_FRAME_H = PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM
_MAX_LINKED = 12
_AUDIT_DETAILS_LIMIT = 180


class Thumbnail(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """Our JPEG thumbnail, a solid black box (sensitive), or a quiet "no preview" frame."""

    def __init__(self, item: EvidenceRow, withheld: bool,
                 load: Callable[[int], bytes | None]) -> None:
        super().__init__()
        self._item = item
        self._sensitive = item.sensitive
        self._load = load
        self._box = (THUMB_W, THUMB_H * 0.75)
        if not item.sensitive and item.width and item.height and item.width > 0 and item.height > 0:
            scale = min(THUMB_W / item.width, THUMB_H / item.height)
            self._box = (item.width * scale, item.height * scale)
        self._caption = ""
        if item.sensitive:
            self._caption = tr("Sensitive: not shown") if withheld else \
                tr("Sensitive: not shown here (file included)")

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self._box[0], self._box[1] + (11 if self._caption else 0)

    def draw(self) -> None:
        canv: Canvas = self.canv
        w, h = self._box
        y = 11 if self._caption else 0
        if self._sensitive:
            canv.setFillColor(colors.black)
            canv.rect(0, y, w, h, stroke=0, fill=1)
            self._draw_caption(canv)
            return
        jpeg = self._load(self._item.id)
        reader = _reader(jpeg)
        if reader is None:
            canv.setFillColor(BAND)
            canv.setStrokeColor(RULE)
            canv.rect(0, y, w, h, stroke=1, fill=1)
            canv.setFillColor(MUTED)
            canv.setFont(SANS, 7.5)
            canv.drawCentredString(w / 2, y + h / 2 - 3, tr("No preview"))
            return
        canv.drawImage(reader, 0, y, w, h, preserveAspectRatio=True, anchor="sw")
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.4)
        canv.rect(0, y, w, h, stroke=1, fill=0)

    def _draw_caption(self, canv: Canvas) -> None:
        canv.setFillColor(MUTED)
        canv.setFont(SANS, 7)
        canv.drawString(0, 2, self._caption)


def _reader(jpeg: bytes | None) -> ImageReader | None:
    """Only a real JPEG (our thumbnails are always JPEG); anything else shows "No preview"."""
    if not jpeg or not jpeg.startswith(b"\xff\xd8\xff"):
        return None
    try:
        reader = ImageReader(io.BytesIO(jpeg))
        reader.getSize()
    except Exception:  # a damaged thumbnail must not stop the report
        return None
    return reader


def _item_rows(e: EvidenceRow, snap: CaseSnapshot, styles: Styles,
               evidence_files: dict[int, str]) -> list[tuple[str, Any]]:
    where = "csv/evidence.csv"
    rows: list[tuple[str, Any]] = []
    file_in_bundle = evidence_files.get(e.id)
    if file_in_bundle:
        rows.append((tr("File in bundle"), styles.v(file_in_bundle)))
    else:
        rows.append((tr("File in bundle"), styles.p(escape(tr(
            "Withheld: marked sensitive (intimate image). The hash below identifies it.")),
            styles.cell_muted)))
    kind = f"{e.kind} · {e.detected_type}"
    if e.width and e.height:
        kind += f" · {e.width} × {e.height}"
    kind += " · " + size_text(e.size)
    type_text = markup(kind)
    if e.type_note:
        type_text += '<br/><font color="#5b636b">' + markup(e.type_note) + "</font>"
    rows += [
        (tr("Type, size"), styles.p(type_text, styles.cell)),
        (tr("SHA-256"), styles.v(e.sha256, styles.mono)),
        (tr("Added to case"), styles.p(times_markup(e.acquired_at), styles.cell)),
    ]
    file_times = []
    if e.file_modified_at:
        file_times.append(tr("modified {t}").format(t=utc_text(e.file_modified_at)))
    if e.file_created_at:
        file_times.append(tr("created {t}").format(t=utc_text(e.file_created_at)))
    if file_times:
        rows.append((tr("File times"), styles.v("; ".join(file_times))))
    if e.exif_taken_at or e.exif_camera:
        taken = e.exif_taken_at or ""
        if e.exif_taken_at:
            taken += " " + tr("(as the camera recorded it; time zone unknown)")
        if e.exif_camera:
            taken = f"{taken}; {e.exif_camera}" if taken else e.exif_camera
        rows.append((tr("Taken (EXIF)"), styles.v(taken)))
    source = e.source + (f" · {e.platform}" if e.platform else "")
    rows.append((tr("Source"), styles.v(source)))
    if e.description.strip():
        rows.append((tr("Description"), styles.v(e.description, limit=LONG_LIMIT, where=where)))
    linked = snap.identifiers_by_evidence().get(e.id, [])
    if linked:
        lines = [escape(i.type.label) + ": "
                 + markup(i.value, limit=200, where="csv/identifiers.csv")
                 for i in linked[:_MAX_LINKED]]
        if len(linked) > _MAX_LINKED:
            lines.append(escape(tr_n("and %n more (see csv/identifiers.csv)",
                                     "and %n more (see csv/identifiers.csv)",
                                     len(linked) - _MAX_LINKED)))
        rows.append((tr("Identifiers"), styles.p("<br/>".join(lines), styles.cell)))
    if e.preview_note and e.preview_status != "ok":
        rows.append((tr("Preview"), styles.v(e.preview_note, styles.cell_muted)))
    return rows


def _entry(e: EvidenceRow, snap: CaseSnapshot, styles: Styles, evidence_files: dict[int, str],
           load: Callable[[int], bytes | None]) -> Table:
    heading = (markup(tr("Exhibit {ref}").format(ref=snap.exhibit(e.id)))
               + '<font color="#5b636b">  ·  </font>'
               + markup(e.original_name, limit=120, where="csv/evidence.csv"))
    details = _item_rows(e, snap, styles, evidence_files)
    data: list[list[Any]] = [[Thumbnail(e, snap.is_withheld(e), load),
                              styles.p(heading, styles.entry_title), ""]]
    data += [["", styles.p(escape(label), styles.label), value] for label, value in details]
    widths = [THUMB_W + _GAP, _LABEL_W, TEXT_WIDTH - THUMB_W - _GAP - _LABEL_W]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # empty cells too: no Helvetica in the PDF
        ("SPAN", (1, 0), (2, 0)),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, 0), 7),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 9),
        ("LINEABOVE", (0, 0), (-1, 0), 0.5, RULE),
    ]
    table = Table(data, colWidths=widths)
    # Normally the thumbnail's column spans the whole entry, so the entry moves to the next
    # page as one block. An entry with very long values could be taller than a page; then it
    # is left splittable (the thumbnail stays in the first rows).
    table.setStyle(TableStyle([*commands, ("SPAN", (0, 0), (0, -1))]))
    if _rough_length(e) > 1200 and table.wrap(TEXT_WIDTH, _FRAME_H)[1] > _FRAME_H * 0.9:
        table = Table(data, colWidths=widths)
        table.setStyle(TableStyle([*commands, ("SPAN", (0, 0), (0, min(3, len(data) - 1)))]))
    return table


def _rough_length(e: EvidenceRow) -> int:
    return len(e.original_name) + len(e.description) + len(e.type_note or "") + \
        len(e.exif_camera or "") + len(e.preview_note or "") + len(e.platform or "")


def evidence_catalogue(snap: CaseSnapshot, styles: Styles, evidence_files: dict[int, str],
                       load: Callable[[int], bytes | None]) -> Story:
    story = section_title(styles, tr("Evidence catalogue"))
    if not snap.evidence:
        return [*story, styles.p(escape(tr("No evidence items were recorded.")), styles.muted)]
    withheld = len(snap.withheld_ids)
    intro = tr("Every item in the case, in the order it was added. The SHA-256 was taken when "
               "the item was added and checked again when this bundle was made.")
    if withheld:
        intro += " " + tr_n("%n item marked sensitive is shown as a black box and its file "
                            "is not in this bundle.",
                            "%n items marked sensitive are shown as a black box and their "
                            "files are not in this bundle.", withheld)
    story.append(styles.p(escape(intro), styles.muted))
    story.append(Spacer(1, 2 * mm))
    for e in snap.evidence:
        story.append(_entry(e, snap, styles, evidence_files, load))
    return story


def readable_details(details: str) -> str:
    """Canonical JSON as `key: value · key: value` for reading; csv/audit.csv keeps the JSON."""
    try:
        data = json.loads(details)
    except ValueError:
        return details
    if not isinstance(data, dict):
        return details
    if not data:
        return ""
    return " · ".join(
        f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
        for key, value in data.items()
    )


def audit_appendix(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Appendix: audit log"))
    chain = snap.chain
    if chain.first_broken_id is None:
        state = tr_n("The hash chain of the %n event verifies: it was not changed after it was "
                     "written.",
                     "The hash chain of all %n events verifies: no event was changed, removed "
                     "or inserted after it was written.", chain.events)
    else:
        state = tr("The hash chain does NOT verify at event {id}: {problem}.").format(
            id=chain.first_broken_id, problem=chain.problem or "")
    story += [
        styles.p(escape(tr("Every change made to the case, oldest first. Each event includes "
                           "the SHA-256 of the one before it.") + " " + state), styles.muted),
        Spacer(1, 1.5 * mm),
        styles.p(escape(tr("Chain head (SHA-256 of the last event):")) + " " +
                 f'<font name="SafekeepMono">{escape(chain.head)}</font>', styles.small),
        Spacer(1, 3 * mm),
    ]
    rows = [[styles.v(a.id, styles.cell_right),
             styles.p(escape(a.at.astimezone(UTC).strftime("%Y-%m-%d")) + "<br/>"
                      + escape(a.at.astimezone(UTC).strftime("%H:%M:%S")), styles.cell),
             styles.v(a.actor),
             styles.p(markup(a.action) + '<br/><font color="#5b636b">' + markup(a.subject)
                      + "</font>", styles.cell),
             styles.v(readable_details(a.details), styles.cell_muted,
                      limit=_AUDIT_DETAILS_LIMIT, where="csv/audit.csv"),
             styles.v(a.hash[:12], styles.mono)]
            for a in snap.audit]
    header = [tr("#"), tr("Time (UTC)"), tr("Who"), tr("Action"), tr("Details"), tr("Hash")]
    widths = [10 * mm, 21 * mm, 22 * mm, 31 * mm, 64 * mm, 22 * mm]
    # Chunks of rows: one huge Table is re-measured on every page break (quadratic).
    for start in range(0, len(rows), 60):
        story.append(data_table(styles, header, rows[start:start + 60], widths))
    return story
