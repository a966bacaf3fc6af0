"""The report's text files: the words of each text file that is not a chat export (notes, a
message saved from a web page, text the person pasted into Safekeep) as written in it, under
its exhibit reference and hash. A pasted demand is often the very words an officer needs, and
a text file has no picture to show in its place.

Sensitive and damaged items are left out here (the exhibits table says why); a long text is
shown up to `_MAX_LINES` lines, across pages, and the first `_MAX_FILES_SHOWN` files only;
every file itself is in the bundle.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from app.core.reading import TEXT_TYPE
from app.core.records import EvidenceRow
from app.export.casedata import CaseSnapshot
from app.export.exhibit_links import document_ids
from app.export.report_pictures import draw_heading, wrap_text
from app.export.report_sections import section_title
from app.export.report_style import INK, MUTED, SANS, SANS_BOLD, TEXT_WIDTH, Styles, plain_line
from app.i18n import tr, tr_n

_SIZE, _LEADING = 8.5, 11.0
_HEADING_H = 60.0  # what draw_heading takes below the top margin, with room under it
_MAX_LINES = 600  # about ten pages; the rest is in the file itself
_MAX_FILES_SHOWN = 200  # the first text files shown; the others are in the bundle as they are


def text_document_ids(snap: CaseSnapshot) -> frozenset[int]:
    """The text files whose text the report shows (asked for each row of the exhibits table:
    worked out once)."""
    return _shown(snap)[0]


def _shown(snap: CaseSnapshot) -> tuple[frozenset[int], int]:
    """(the text files shown, how many more there are): the first `_MAX_FILES_SHOWN`."""
    if "text_documents" not in snap.memo:
        documents = document_ids(snap)
        eligible = [e.id for e in snap.evidence
                    if e.detected_type == TEXT_TYPE and e.id in documents and e.id in snap.texts
                    and not e.sensitive and not snap.is_damaged(e)]
        shown = eligible[:_MAX_FILES_SHOWN]
        snap.memo["text_documents"] = (frozenset(shown), len(eligible) - len(shown))
    memo: tuple[frozenset[int], int] = snap.memo["text_documents"]
    return memo


def documents_section(snap: CaseSnapshot, styles: Styles,
                      evidence_files: dict[int, str]) -> list[Flowable]:
    ids, more = _shown(snap)
    if not ids:
        return []
    intro = tr("The words of each text file, as written in it: notes, messages saved as text "
               "and text pasted into Safekeep. Blank lines and runs of spaces are left out; the "
               "file itself is in the bundle.")
    if more:  # thousands of notes would make thousands of pages
        intro += " " + tr_n("%n more text file is not shown here, to keep the report short: "
                            "it is in the bundle as it is.",
                            "%n more text files are not shown here, to keep the report short: "
                            "they are in the bundle as they are.", more)
    story: list[Flowable] = [*section_title(styles, tr("Text files"), 60 * mm),
                             styles.p(escape(intro), styles.muted)]
    for item in snap.evidence:
        if item.id in ids:
            lines = wrap_text(snap.texts[item.id], TEXT_WIDTH, _MAX_LINES, _SIZE, more=tr(
                "… (the rest is in the file itself, in the bundle)"))
            story.append(TextDocumentBlock(snap, item, evidence_files.get(item.id), lines))
    return story


class TextDocumentBlock(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """One text file: its heading, then its lines; split across pages where it is long, each
    later part headed "continued"."""

    def __init__(self, snap: CaseSnapshot, item: EvidenceRow, file_in_bundle: str | None,
                 lines: list[str], *, continued: bool = False) -> None:
        super().__init__()
        self._snap, self._item, self._file = snap, item, file_in_bundle
        self._lines, self._continued = lines, continued

    def _top(self) -> float:
        return 28.0 if self._continued else _HEADING_H + 14

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = TEXT_WIDTH
        self.height = self._top() + len(self._lines) * _LEADING + 8 * mm
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        fits = int((avail_height - self._top() - 8 * mm) // _LEADING)
        if fits < 3 or fits >= len(self._lines):  # too little room: the whole on a new page
            return []
        return [TextDocumentBlock(self._snap, self._item, self._file, self._lines[:fits],
                                  continued=self._continued),
                TextDocumentBlock(self._snap, self._item, self._file, self._lines[fits:],
                                  continued=True)]

    def draw(self) -> None:
        canv: Canvas = self.canv
        y = self.height - 4 * mm
        if self._continued:
            canv.setFont(SANS_BOLD, 8)
            canv.setFillColor(MUTED)
            canv.drawString(0, y - 8, plain_line(tr("Exhibit {ref}, continued").format(
                ref=self._snap.exhibit(self._item.id)), SANS_BOLD, 8, TEXT_WIDTH))
            y -= 16
        else:
            y = draw_heading(canv, self._snap, self._item, self._file, y)
            canv.setFont(SANS_BOLD, 8)
            canv.setFillColor(INK)
            canv.drawString(0, y - 9, tr("Text in the file, as written"))
            y -= 14
        canv.setFont(SANS, _SIZE)
        canv.setFillColor(INK)
        for line in self._lines:
            y -= _LEADING
            canv.drawString(0, y + 2, line)
