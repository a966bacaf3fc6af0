"""The report's appendix "Continuity of exhibits": one row per exhibit, from the audit log
(app/export/continuity.py), before the audit-log appendix it refers to.

Its introduction says what the Berkeley Protocol calls the difference between the evidential
copy and working copies: the files in evidence/ are the originals as received; thumbnails, the
text read from pictures and this report are working copies.
"""

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from app.export.casedata import CaseSnapshot
from app.export.continuity import CSV_NAME, Continuity, continuity, source_label
from app.export.formatting import utc_text
from app.export.report_sections import Story, section_title
from app.export.report_style import (
    ACCENT,
    BAND_LIGHT,
    RULE,
    SANS,
    Styles,
    markup,
)
from app.i18n import tr, tr_n

_WIDTHS = [16 * mm, 46 * mm, 58 * mm, 50 * mm]
_MAX_SINCE = 6  # lines of "since" per exhibit here; the CSV has them all
# Past this many, the rest are left to the CSV: about 2 ms an exhibit, and a 10,000-item case
# would add some 400 pages that nobody reads on paper (the CSV sorts and filters them).
_MAX_EXHIBITS = 500
_ROWS_PER_TABLE = 40  # one huge Table is re-measured on every page break (quadratic)
_GREY = '<font color="#5b636b">'


def continuity_appendix(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Appendix: continuity of exhibits"))
    intro = tr(
        "The files in evidence/ are the originals as they were received, byte for byte: each "
        "one's SHA-256 was taken when it arrived and taken again while this bundle was "
        "written. The thumbnails, the text read from pictures and this report are working "
        "copies made from them, for reading.")
    how = tr(
        "For each exhibit: how it was obtained, when, by whom, from which file, and what was "
        "done with it since. Each line comes from the audit log (the appendix after this one, "
        "and csv/audit.csv); the same table is in {csv}.").format(csv=CSV_NAME)
    story += [styles.p(escape(intro), styles.small), Spacer(1, 1.5 * mm),
              styles.p(escape(how), styles.muted), Spacer(1, 3 * mm)]
    entries = continuity(snap)
    if not entries:
        return [*story, styles.p(escape(tr("No evidence items were recorded.")), styles.muted)]
    header = [tr("Exhibit"), tr("Obtained"), tr("Original file"), tr("SHA-256")]
    shown = entries[:_MAX_EXHIBITS]
    for start in range(0, len(shown), _ROWS_PER_TABLE):
        story.append(_table(styles, header, shown[start:start + _ROWS_PER_TABLE]))
    if len(entries) > len(shown):
        rest = tr_n("The other %n exhibit, from {first} on, is in {csv}, with the same facts.",
                    "The other %n exhibits, from {first} on, are in {csv}, with the same facts.",
                    len(entries) - len(shown)).format(first=entries[len(shown)].exhibit,
                                                       csv=CSV_NAME)
        story += [Spacer(1, 2 * mm), styles.p(escape(rest), styles.muted)]
    return story


def _table(styles: Styles, header: list[str], entries: list[Continuity]) -> Table:
    data: list[list[Any]] = [[styles.p(escape(h), styles.cell_head) for h in header]]
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # empty cells too: no Helvetica in the PDF
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, 0), 0.9, ACCENT),
    ]
    for n, entry in enumerate(entries):
        first = len(data)
        data.append(_row(styles, entry))
        since = _since(styles, entry)
        if since is not None:
            data.append(["", since, "", ""])
            commands.append(("SPAN", (1, first + 1), (-1, first + 1)))
            commands.append(("TOPPADDING", (0, first + 1), (-1, first + 1), 0))
        last = len(data) - 1
        commands.append(("LINEBELOW", (0, last), (-1, last), 0.25, RULE))
        if n % 2:
            commands.append(("BACKGROUND", (0, first), (-1, last), BAND_LIGHT))
    table = Table(data, colWidths=_WIDTHS, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(commands))
    return table


def _row(styles: Styles, c: Continuity) -> list[Any]:
    obtained = escape(source_label(c.source)) + "<br/>" + escape(utc_text(c.acquired_at))
    if c.acquired_local and not c.acquired_local.endswith("(UTC+00:00)"):
        obtained += "<br/>" + _GREY + escape(tr("local: {t}").format(t=c.acquired_local)) \
            + "</font>"
    if c.add_event_id is not None:
        who = tr("by {actor}").format(actor=c.actor)
        if c.account and c.account != c.actor:
            who += " " + tr("(computer account {account})").format(account=c.account)
        obtained += "<br/>" + markup(who)
    else:
        obtained += "<br/>" + _GREY + escape(tr("from the evidence record")) + "</font>"
    original = markup(c.original_name, limit=160, where=CSV_NAME)
    times = []
    if c.file_modified_at:
        times.append(tr("modified {t}").format(t=utc_text(c.file_modified_at)))
    if c.file_created_at:
        times.append(tr("created {t}").format(t=utc_text(c.file_created_at)))
    if times:
        original += "<br/>" + _GREY + escape("; ".join(times)) + "</font>"
    elif c.source in ("clipboard", "screen-capture"):
        original += "<br/>" + _GREY + escape(tr("no file: taken in Safekeep")) + "</font>"
    digest = c.sha256_at_acquisition
    hashed = (f'<font name="SafekeepMono" size="6.8">{escape(digest[:32])}<br/>'
              f"{escape(digest[32:])}</font><br/>")
    check = tr("Checked again: {result}").format(result=c.check)
    hashed += f"<b>{escape(check)}</b>" if c.sha256_at_export else \
        _GREY + escape(check) + "</font>"
    return [styles.p(f"<b>{escape(c.exhibit)}</b>", styles.cell),
            styles.p(obtained, styles.cell), styles.p(original, styles.cell),
            styles.p(hashed, styles.cell)]


def _since(styles: Styles, c: Continuity) -> Any:
    if not c.since:
        return None
    lines = [markup(h.line(), limit=300) for h in c.since[:_MAX_SINCE]]
    if len(c.since) > _MAX_SINCE:
        lines.append(escape(tr_n("and %n more (see {csv})", "and %n more (see {csv})",
                                 len(c.since) - _MAX_SINCE).format(csv=CSV_NAME)))
    return styles.p(_GREY + escape(tr("Since:")) + "</font> " + "<br/>".join(lines),
                    styles.cell_muted)
