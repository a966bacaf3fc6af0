"""The report's appendix "Continuity of exhibits": one row per exhibit, every exhibit, from the
audit log (app/export/continuity.py), before the audit-log appendix it refers to. Drawn with
`RowTable` like the chronology and the catalogue: a Table of Paragraphs cost about 5 ms an
exhibit, so it stopped at 500 and left the rest to the CSV; a row here costs a fraction of that,
and an officer reading the report on paper finds every exhibit's continuity in it.

Its introduction says what the Berkeley Protocol calls the difference between the evidential
copy and working copies: the files in evidence/ are the originals as received; thumbnails, the
text read from pictures and this report are working copies.
"""

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.export.casedata import CaseSnapshot
from app.export.continuity import (
    CSV_NAME,
    Continuity,
    Happening,
    continuity_of,
    source_label,
)
from app.export.formatting import utc_text
from app.export.report_rows import Cells, LazyRows, RowTable, Text
from app.export.report_sections import Story, section_title
from app.export.report_style import Styles
from app.export.report_values import cut_text
from app.i18n import tr, tr_n

_WIDTHS = [16 * mm, 46 * mm, 58 * mm, 50 * mm]
_MAX_SINCE = 6  # lines of "since" per exhibit here; the CSV has them all
_NAME_LIMIT = 160
_SINCE_LIMIT = 300


def continuity_appendix(snap: CaseSnapshot, styles: Styles) -> Story:
    story = section_title(styles, tr("Appendix: continuity of exhibits"), 90 * mm)
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
    if not snap.evidence:
        return [*story, styles.p(escape(tr("No evidence items were recorded.")), styles.muted)]
    # The entries are made a page at a time as the table is laid out, in exhibit order.
    items = sorted(snap.evidence, key=lambda e: e.exhibit_number)
    header = [tr("Exhibit"), tr("Obtained"), tr("Original file"), tr("SHA-256")]
    story.append(RowTable(header, _WIDTHS,
                          LazyRows(items, lambda item: _row(continuity_of(snap, item)))))
    return story


def _row(c: Continuity) -> Cells:
    obtained = [Text(source_label(c.source)), Text(utc_text(c.acquired_at), fit=True)]
    if c.acquired_local and not c.acquired_local.endswith("(UTC+00:00)"):
        obtained.append(Text(tr("local: {t}").format(t=c.acquired_local), "muted"))
    if c.add_event_id is not None:
        who = tr("by {actor}").format(actor=c.actor)
        if c.account and c.account != c.actor:
            who += " " + tr("(computer account {account})").format(account=c.account)
        obtained.append(Text(who))
    else:
        obtained.append(Text(tr("from the evidence record"), "muted"))
    obtained += _since(c)
    original = [Text(cut_text(c.original_name, _NAME_LIMIT, CSV_NAME))]
    times = []
    if c.file_modified_at:
        times.append(tr("modified {t}").format(t=utc_text(c.file_modified_at)))
    if c.file_created_at:
        times.append(tr("created {t}").format(t=utc_text(c.file_created_at)))
    if times:
        original.append(Text("; ".join(times), "muted"))
    elif c.source in ("clipboard", "screen-capture"):
        original.append(Text(tr("no file: taken in Safekeep"), "muted"))
    digest = c.sha256_at_acquisition
    check = tr("Checked again: {result}").format(result=c.check)
    hashed = [Text(digest[:32], "mono", fit=True), Text(digest[32:], "mono", fit=True),
              Text(check, "bold" if c.sha256_at_export else "muted")]
    return [[Text(c.exhibit, "bold", fit=True)], obtained, original, hashed]


def _since(c: Continuity) -> list[Text]:
    if not c.since:
        return []
    lines = [Text(tr("Since:"), "muted")]
    for h in c.since[:_MAX_SINCE]:
        lines += _happening(h)
    if len(c.since) > _MAX_SINCE:
        lines.append(Text(tr_n("and %n more (see {csv})", "and %n more (see {csv})",
                               len(c.since) - _MAX_SINCE).format(csv=CSV_NAME), "muted"))
    return lines


def _happening(h: Happening) -> list[Text]:
    """A line of "since" in pieces, so that a value in it (an e-mail address, a URL) is never
    broken: when and who, and what was done, wrap as words; the value after "linked to
    E-mail address:" stays on one line of its own, shrunk only if it must be; then the audit
    event."""
    marker = "\x00"
    line = tr("{when}, {who}: {what} (audit event {id})").format(
        when=utc_text(h.at, seconds=False), who=h.actor, what=marker, id=h.event_id)
    before, _, after = line.partition(marker)
    what, colon, value = cut_text(h.text, _SINCE_LIMIT, CSV_NAME).partition(": ")
    pieces = [Text(before.strip(), "muted")] if before.strip() else []
    pieces.append(Text(what + colon.rstrip(), "muted"))
    if value:
        pieces.append(Text(value, "muted", fit=True))
    if after.strip():
        pieces.append(Text(after.strip(), "muted"))
    return pieces
