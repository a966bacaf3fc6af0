"""report.pdf: the document an officer reads first (ReportLab platypus, A4).

Order follows what an officer needs in their first two minutes: page 1 holds the key facts
(the offender's details with their values, money asked and paid, the period of the offence,
platforms, references, the under-18 flag, how to check the bundle); then one chronology of events,
payments and evidence times; the offender's details in full, payments, the checklist, what the
bundle holds and how to check it; then the exhibits with their continuity, a page per
picture, the transcripts of conversations read from chat exports, and the audit log's summary.
Every page carries the case name, "Confidential: police evidence bundle" and "Page N of M".
"""

import zlib
from collections.abc import Callable
from typing import Any

from reportlab import rl_config
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import PDFFormXObject, PDFStream
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from app.errors import Cancelled
from app.export.casedata import CaseSnapshot
from app.export.chronology import chronology
from app.export.formatting import utc_text
from app.export.messages_export import Transcripts
from app.export.pdf_stream import PdfOut, StreamingPdf
from app.export.report_audit import audit_summary
from app.export.report_chronology import chronology_section
from app.export.report_documents import documents_section
from app.export.report_items import exhibits_section
from app.export.report_keyfacts import key_facts_page
from app.export.report_pictures import PictureLoader, pictures_section
from app.export.report_sections import (
    about_section,
    checklist_section,
    identifiers_section,
    payments_section,
)
from app.export.report_style import (
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    MUTED,
    PAGE,
    RULE,
    SANS,
    TEXT_WIDTH,
    Styles,
    plain_line,
)
from app.export.report_transcript import transcripts_section
from app.export.report_unchecked import unchecked_section
from app.i18n import tr


class _AlreadyDeflated:
    """A stream filter for content compressed already: names FlateDecode, changes nothing."""

    pdfname = "FlateDecode"

    def encode(self, data: bytes) -> bytes:
        return data


def _compress_now(page: Any) -> None:
    """Deflate a finished page's operators at once: ReportLab would keep them as text for
    every page until the whole PDF is written, most of the memory of a long report."""
    if page.compression and isinstance(page.stream, str) and not page.Contents:
        page.Contents = PDFStream(content=zlib.compress(page.stream.encode("utf-8")),
                                  filters=[_AlreadyDeflated()])
        page.stream = None


def _numbered_canvas(label: str, out: PdfOut) -> type[Canvas]:
    """A canvas whose pages each say "Page N of M", written to `out` as they are finished
    (app/export/pdf_stream.py), before M is known.

    Each page draws its label as a small form (a PDF XObject) that it refers to by name; the
    forms are filled in and written at the end, when the number of pages is known. The pages
    themselves go to the file at once: holding them back for M was most of the memory a long
    report still kept (a packed page for every ten items of a case)."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
        _code: list[str]  # ReportLab's: the current page's (or form's) drawing operators

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._labels: list[PDFFormXObject] = []  # one per page, empty until the end
            self._stream = StreamingPdf(self._doc, out)

        def showPage(self) -> None:
            name = f"PageLabel{len(self._labels) + 1}"
            form = PDFFormXObject(0, 0, PAGE[0], PAGE[1])
            form.compression = 1
            # Registered now, so the page's reference to it has an object number; written
            # with the fonts at the end (StreamingPdf writes only finished kinds early).
            self._doc.Reference(form, self._doc.getXObjectName(name))
            self._labels.append(form)
            self.doForm(name)
            super().showPage()
            _compress_now(self._doc.Pages.pages[-1])
            self._stream.flush()  # the page and its pictures: written now, not held

        def save(self) -> None:
            page_code: list[str] = self._code
            if page_code:  # what ReportLab's save would show: shown here, with its label
                self.showPage()
                page_code = self._code
            total = len(self._labels)
            for number, form in enumerate(self._labels, start=1):
                label_code: list[str] = []  # its operators, drawn as on the page, for the form
                self._code = label_code
                self.setFont(SANS, 7.5)
                self.setFillColor(MUTED)
                self.drawRightString(PAGE[0] - MARGIN_X, MARGIN_BOTTOM - 10 * mm,
                                     label.format(n=number, m=total))
                form.setStreamList(label_code)
            self._code = page_code
            super().save()

    return NumberedCanvas


class _ReportDocument(BaseDocTemplate):  # type: ignore[misc]  # ReportLab is untyped
    def __init__(self, buffer: PdfOut, snap: CaseSnapshot,
                 is_cancelled: Callable[[], bool] | None) -> None:
        super().__init__(
            buffer, pagesize=PAGE, leftMargin=MARGIN_X, rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
            title=tr("Case bundle report"), author="Safekeep",
            creator=f"Safekeep {snap.app_version}", pageCompression=1,
            initialFontName=SANS,  # else every page names Helvetica, which has no Cyrillic
            subject=tr("Confidential: police evidence bundle"),
        )
        self._snap = snap
        self._is_cancelled = is_cancelled
        # The header and footer are the same on every page: made once, not 1,400 times.
        self._right_label = tr("Confidential: police evidence bundle")
        # Not the manifest's hash: the manifest lists this report's, so it is made after it.
        self._footer = tr(
            "Safekeep {version} · exported {when} · audit chain head {head}…").format(
            version=snap.app_version, when=utc_text(snap.exported_at, seconds=False),
            head=snap.chain.head[:16])
        self._case_line = ""
        frame = Frame(MARGIN_X, MARGIN_BOTTOM, TEXT_WIDTH, PAGE[1] - MARGIN_TOP - MARGIN_BOTTOM,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._furniture)])

    def _furniture(self, canv: Canvas, doc: Any) -> None:
        """Header and footer of every page. The case name is drawn as plain text (drawString
        parses no markup), escaped and cut to fit."""
        if self._is_cancelled is not None and self._is_cancelled():
            raise Cancelled(tr("The export was cancelled. No bundle was written."))
        width, height = PAGE
        top = height - MARGIN_TOP + 9 * mm
        canv.saveState()
        canv.setFont(SANS, 8)
        canv.setFillColor(MUTED)
        canv.drawRightString(width - MARGIN_X, top, self._right_label)
        if not self._case_line:  # the fonts are registered by now
            room = TEXT_WIDTH - canv.stringWidth(self._right_label, SANS, 8) - 24
            name = tr("Case: {name}").format(name=self._snap.summary.display_name)
            self._case_line = plain_line(name, SANS, 8, room)
        canv.drawString(MARGIN_X, top, self._case_line)
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, top - 5, width - MARGIN_X, top - 5)
        rule_y = MARGIN_BOTTOM - 5 * mm
        canv.line(MARGIN_X, rule_y, width - MARGIN_X, rule_y)
        canv.setFont(SANS, 7.5)
        canv.drawString(MARGIN_X, MARGIN_BOTTOM - 10 * mm, self._footer)
        canv.restoreState()


def write_report(
    snap: CaseSnapshot,
    out: PdfOut,
    *,
    evidence_files: dict[int, str],
    picture: PictureLoader,
    is_cancelled: Callable[[], bool] | None = None,
    transcripts: Transcripts | None = None,
) -> None:
    """Write the PDF to `out` as it is made: each picture when it is drawn, each page when it
    is finished, so memory does not grow with the report. `picture(evidence_id)` gives a
    picture decoded in the sandbox (see report_pictures.PictureSource); it is called only for
    pictures that are not sensitive, one at a time while their pages are drawn."""
    styles = Styles()
    story: list[Any] = []
    entries = chronology(snap)
    story += key_facts_page(snap, styles, entries)
    story += chronology_section(snap, styles, entries)
    story += identifiers_section(snap, styles)
    story += unchecked_section(snap, styles)
    story += payments_section(snap, styles)
    story += checklist_section(snap, styles)
    story += about_section(snap, styles)
    story += exhibits_section(snap, styles, evidence_files)
    story += pictures_section(snap, evidence_files, picture)
    story += documents_section(snap, styles, evidence_files)
    if transcripts:  # the messages streamed with csv/messages.csv
        story += transcripts_section(snap, styles, transcripts)
    story += audit_summary(snap, styles)
    # Streams as binary rather than ASCII85 text: a quarter smaller and quicker to write. The
    # report is the only PDF this process makes, so the library-wide setting is ours to choose.
    rl_config.useA85 = 0
    # The chronology's tables hold its entries while they are drawn, and not after.
    del entries
    doc = _ReportDocument(out, snap, is_cancelled)
    doc.build(story, canvasmaker=_numbered_canvas(tr("Page {n} of {m}"), out))
    _let_go(doc)


def _let_go(doc: BaseDocTemplate) -> None:
    """ReportLab's document, canvas and PDF objects refer to each other: cycles only the garbage
    collector frees, and in the window it runs now and then, on the GUI thread only. Cut them,
    so a large case's pages (tens of megabytes) go as soon as the report is written."""
    pdf = getattr(getattr(doc, "canv", None), "_doc", None)
    for holder in (pdf, getattr(doc, "canv", None), doc):
        if holder is not None:
            holder.__dict__.clear()
