"""The report's table of exhibits: one row per exhibit, every exhibit, drawn by `RowTable`.

Each row says what the exhibit is (its name, SHA-256, file in the bundle, type, size, the
person's description, the offender's details it shows) and, beside it, its continuity: how it
was obtained, when, by whom, from which file, the file's own times, the hash check made while
the bundle was written, and what was done with it since (from the audit log,
app/export/continuity.py; the same is in csv/continuity.csv).

This was two tables, a catalogue and a continuity appendix, that repeated each exhibit's name,
hash and times: 20,000 rows for 10,000 items, a third of the report's time, and an officer had
to look an exhibit up twice. The introduction says what the Berkeley Protocol calls the
difference between the evidential copy and working copies: the files in evidence/ are the
originals as received; thumbnails, the text read from pictures and this report are working
copies. Pictures have pages of their own after the table (report_pictures.py). Values are drawn
as text, never parsed as markup (see report_rows.py).
"""

from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from app.core.pictures import PDF_TYPE
from app.core.records import EvidenceRow
from app.export.casedata import CaseSnapshot
from app.export.continuity import (
    CSV_NAME,
    Continuity,
    Happening,
    continuity_of,
    earlier_initials,
    source_label,
)
from app.export.formatting import chat_time_text, one_line, size_text, split_time, utc_text
from app.export.lazy_rows import LazyRows
from app.export.removed_exhibits import read_removed, removed_line
from app.export.report_documents import text_document_ids
from app.export.report_pictures import is_picture
from app.export.report_rows import Cells, RowTable, Text
from app.export.report_sections import Story, section_title
from app.export.report_style import LONG_LIMIT, Styles
from app.export.report_values import cut_text
from app.i18n import tr, tr_n

_WIDTHS = [17 * mm, 93 * mm, 60 * mm]
_MAX_LINKED = 12
_MAX_SINCE = 6  # lines of "since" per exhibit here; the CSV has them all
_NAME_LIMIT = 160
_SINCE_LIMIT = 300
_WHERE = "csv/evidence.csv"
_MAX_REMOVED = 200  # named one by one; the audit CSV has every removal


def exhibits_section(snap: CaseSnapshot, styles: Styles, evidence_files: dict[int, str]) -> Story:
    story = section_title(styles, tr("Exhibits and their continuity"), 115 * mm)
    if not snap.evidence:
        return [*story, styles.p(escape(tr("No evidence items were recorded.")), styles.muted),
                *_removed(snap, styles)]
    originals = tr(
        "The files in evidence/ are the originals as they were received, byte for byte: each "
        "one's SHA-256 was taken when it arrived and taken again while this bundle was "
        "written. The thumbnails, the text read from pictures and this report are working "
        "copies made from them, for reading.")
    how = tr(
        "For each exhibit, the right-hand column says how it was obtained, when, by whom, from "
        "which file, and what was done with it since. Each line comes from the audit log (the "
        "appendix at the end, and csv/audit.csv); the same is in {csv}.").format(csv=CSV_NAME)
    withheld = len(snap.withheld_ids)
    if withheld:
        how += " " + tr_n("%n item marked sensitive is listed with its hash; its file is "
                          "not in this bundle and its picture is not shown.",
                          "%n items marked sensitive are listed with their hashes; their "
                          "files are not in this bundle and their pictures are not shown.",
                          withheld)
    how += damaged_sentence(snap)
    if earlier := earlier_initials(snap):
        how += " " + tr("A bundle made before this one marked these exhibits with other "
                        "initials ({earlier}); the numbers are the same: {old}/3 there is "
                        "{new}/3 here. Each exhibit's own lines say so.").format(
            earlier=", ".join(earlier), old=earlier[0], new=snap.summary.producer_initials)
    if any(is_picture(e) for e in snap.evidence):
        how += " " + tr("After this table, each picture has a page of its own, made from the "
                        "original by Safekeep (of a PDF document, its first page). The text "
                        "beside or under a picture was read by machine and may contain errors: "
                        "the picture itself is the evidence. Under a PDF's page is the text of "
                        "all its pages as written in it (a scanned page's read by machine).")
    story += [styles.p(escape(originals), styles.small), Spacer(1, 1.5 * mm),
              styles.p(escape(how), styles.muted), Spacer(1, 3 * mm)]
    # Rows are made a page at a time as the table is laid out, in exhibit order.
    items = snap.evidence.in_exhibit_order()
    header = [tr("Exhibit"), tr("Item"), tr("Obtained, and since")]
    story.append(RowTable(header, _WIDTHS, LazyRows(
        items, lambda item: _row(snap, continuity_of(snap, item), evidence_files))))
    return story + _removed(snap, styles)


def _removed(snap: CaseSnapshot, styles: Styles) -> Story:
    """The exhibit numbers that left the case before this bundle, each with what it was and
    why it went, so a gap in the numbers is accounted for (ACPO principle 3)."""
    removed = read_removed(snap)
    if not removed:
        return []
    story: Story = [Spacer(1, 3 * mm), styles.p("<b>" + escape(tr_n(
        "%n exhibit removed from the case before this bundle was made",
        "%n exhibits removed from the case before this bundle was made",
        len(removed))) + "</b>", styles.small), styles.p(escape(tr(
            "Exhibit numbers are never reused, so each removal leaves a gap in them. What "
            "each one was, from the audit log (csv/audit.csv); its file is not in this "
            "bundle.")), styles.muted), Spacer(1, 1.5 * mm)]
    story += [styles.p(escape(removed_line(snap, r)), styles.small)
              for r in removed[:_MAX_REMOVED]]
    if len(removed) > _MAX_REMOVED:
        story.append(styles.p(escape(tr_n(
            "and %n more: see the evidence.remove events in csv/audit.csv.",
            "and %n more: see the evidence.remove events in csv/audit.csv.",
            len(removed) - _MAX_REMOVED)), styles.muted))
    return story


def _row(snap: CaseSnapshot, c: Continuity, evidence_files: dict[int, str]) -> Cells:
    ref = [Text(c.exhibit, "bold", fit=True)]
    if snap.is_damaged(c.item):
        ref.append(Text(tr("damaged"), "bold", fit=True))
    if c.item.sensitive:
        ref.append(Text(tr("sensitive"), "muted"))
    return [ref, _item(snap, c.item, evidence_files), _obtained(c)]


def _item(snap: CaseSnapshot, e: EvidenceRow, evidence_files: dict[int, str]) -> list[Text]:
    # The hash alone on its line, whole and never broken (the column says what it is).
    cell = [Text(cut_text(e.original_name, _NAME_LIMIT, _WHERE), "bold", fit=True),
            Text(e.sha256, "mono", fit=True)]
    file_in_bundle = evidence_files.get(e.id)
    if file_in_bundle:
        cell.append(Text(tr("File in bundle: {name}").format(name=file_in_bundle), "muted",
                         fit=True))
    elif snap.is_damaged(e):
        cell.append(Text(tr("Left out: damaged in the case file, its content could not be "
                            "read back. The hash above is the one taken when it arrived."),
                         "bold"))
    else:
        cell.append(Text(tr("Withheld: marked sensitive (intimate image). The hash above "
                            "identifies it."), "muted"))
    kind = f"{e.kind} · {e.detected_type}"
    if e.width and e.height:
        kind += f" · {e.width} × {e.height}"
    kind += " · " + size_text(e.size)
    if e.platform:
        kind += f" · {e.platform}"
    cell.append(Text(kind))
    if e.type_note:
        cell.append(Text(e.type_note, "muted"))
    if e.description.strip():
        cell.append(Text(cut_text(e.description, LONG_LIMIT, _WHERE)))
    if (sent := snap.sent_in_chat(e.id)) is not None:  # no time of its own but this one
        said = tr("Sent in the chat at {time}, as the chat export writes it") if \
            split_time(sent)[1] else tr("Sent in the chat at {time}, as the chat export "
                                        "writes it, no time zone")
        cell.append(Text(said.format(time=chat_time_text(sent)), "muted"))
    linked = snap.identifiers_by_evidence().get(e.id, [])
    for ident in linked[:_MAX_LINKED]:
        cell.append(Text(f"{ident.type.label}: {cut_text(ident.value, 200, 'csv/identifiers.csv')}",
                         fit=True))
    if len(linked) > _MAX_LINKED:
        cell.append(Text(tr_n("and %n more (see csv/identifiers.csv)",
                              "and %n more (see csv/identifiers.csv)",
                              len(linked) - _MAX_LINKED), "muted"))
    if e.preview_note and e.preview_status != "ok":
        cell.append(Text(e.preview_note, "muted"))
    elif is_picture(e) and not e.sensitive and not snap.is_damaged(e):
        cell.append(Text(tr("Its first page is on a page of its own after this table.")
                         if e.detected_type == PDF_TYPE
                         else tr("Its picture is on a page of its own after this table."),
                         "muted"))
    elif e.id in text_document_ids(snap):
        cell.append(Text(tr("Its text is shown later in this report, under "
                            "\u201cText files\u201d."), "muted"))
    return cell


def _obtained(c: Continuity) -> list[Text]:
    e = c.item
    cell = [Text(source_label(c.source)), Text(utc_text(c.acquired_at), fit=True)]
    if c.acquired_local and not c.acquired_local.endswith("(UTC+00:00)"):
        cell.append(Text(tr("local: {t}").format(t=c.acquired_local), "muted"))
    if c.add_event_id is not None:
        who = tr("by {actor}").format(actor=c.actor)
        if c.account and c.account != c.actor:
            who += " " + tr("(computer account {account})").format(account=c.account)
        cell.append(Text(who))
    else:
        cell.append(Text(tr("from the evidence record"), "muted"))
    if c.taken_from:  # the exhibit it came out of: its hash there can be taken again
        cell.append(Text(tr("taken unchanged from exhibit {exhibit}, where it is {path}").format(
            exhibit=c.taken_from, path=cut_text(c.path_in_export, _NAME_LIMIT, CSV_NAME))))
        if c.taken_event_id is not None:
            cell.append(Text(tr("as that chat export was read (audit event {id})").format(
                id=c.taken_event_id), "muted"))
    if c.original_name != e.original_name:
        cell.append(Text(tr("from the file {name}").format(
            name=cut_text(c.original_name, _NAME_LIMIT, CSV_NAME)), "muted"))
    if c.file_modified_at:
        cell.append(Text(tr("file modified {t}").format(t=utc_text(c.file_modified_at)),
                         "muted", fit=True))
    if c.file_created_at:
        cell.append(Text(tr("file created {t}").format(t=utc_text(c.file_created_at)),
                         "muted", fit=True))
    if not c.file_modified_at and not c.file_created_at \
            and c.source in ("clipboard", "screen-capture"):
        cell.append(Text(tr("no file: taken in Safekeep"), "muted"))
    if e.exif_taken_at:
        cell.append(Text(tr("taken {t} (camera time, time zone unknown)").format(
            t=e.exif_taken_at), "muted"))
    if e.exif_camera:
        cell.append(Text(tr("camera {c}").format(c=e.exif_camera), "muted"))
    check = tr("SHA-256 checked again: {result}").format(result=c.check)
    cell.append(Text(check, "bold" if c.sha256_at_export or c.damaged else "muted"))
    return cell + _since(c)


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


def damaged_sentence(snap: CaseSnapshot) -> str:
    """Items whose content could not be read back from the case file, named (" " first), or
    "" when there are none: their files are not in this bundle."""
    damaged = [row for i in snap.damaged_ids if (row := snap.evidence.by_id(i)) is not None]
    if not damaged:
        return ""
    names = ", ".join(f"{snap.exhibit(e.id)} ({one_line(e.original_name, 60)})" for e in damaged)
    return " " + tr_n(
        "Exhibit {names} is damaged in the case file: its content could not be read back, so "
        "its file is not in this bundle. It is listed with the SHA-256 taken when it arrived; "
        "the person's caseworker may have another copy.",
        "Exhibits {names} are damaged in the case file: their content could not be read back, "
        "so their files are not in this bundle. They are listed with the SHA-256 taken when "
        "they arrived; the person's caseworker may have other copies.",
        len(damaged)).format(names=names)
