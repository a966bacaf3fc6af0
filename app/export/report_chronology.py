"""The report's chronology: one list of timeline events, payments and evidence times.

Each row says how sure its time is ("about", "date only", "camera time, no time zone", "file
time", "added to Safekeep") and names its exhibits. Drawn with `RowTable`, because a case with
thousands of screenshots has a row for each.
"""

from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from app.core.chats import Platform, platform_name
from app.core.records import PaymentRow, amount_text, kind_label, method_label, status_label
from app.export.casedata import CaseSnapshot
from app.export.chronology import Basis, Entry, Source
from app.export.formatting import (
    local_is_utc,
    local_text,
    size_text,
    split_time,
    utc_text,
)
from app.export.lazy_rows import LazyRows
from app.export.messages_export import MESSAGES_CSV
from app.export.report_facts import entry_time, reference_hints
from app.export.report_rows import RowTable, Text
from app.export.report_style import LONG_LIMIT, Styles
from app.export.report_values import cut_text, exhibit_ranges, exhibit_refs
from app.i18n import tr, tr_n
from app.models import PaymentMethod

_WIDTHS = [40 * mm, 28 * mm, 80 * mm, 22 * mm]
_NAME_LIMIT = 160
_DESCRIPTION_LIMIT = 300  # of an evidence item's description here; the exhibits table has more


def _basis_words(basis: Basis) -> str:
    return {
        Basis.GIVEN: "", Basis.ABOUT: tr("approximate time"),
        Basis.DATE: tr("date only, no time recorded"),
        Basis.MONTH: tr("month only, day not known"),
        Basis.CAMERA: tr("camera time, no time zone"),
        Basis.FILE: tr("file time"),
        Basis.ADDED: tr("added to Safekeep"),
        Basis.CHAT: tr("as the chat export writes it"),
    }[basis]


def _when(entry: Entry) -> list[Text]:
    # A time on one line (shrunk if need be), never wrapped into two.
    # Seconds where they were given: a camera's, or a time the person typed to the second.
    seconds = entry.basis is Basis.CAMERA or (
        entry.basis in (Basis.GIVEN, Basis.ABOUT) and entry.at.second != 0)
    cell = [Text(entry_time(entry, seconds=seconds, about=False), fit=True)]
    words = _basis_words(entry.basis)
    if entry.basis is Basis.CHAT and not split_time(entry.written)[1]:
        words = tr("as the chat export writes it, no time zone")
    if entry.until is not None:  # a day's group: from its first time to its last
        cell.append(Text(tr("to {time}").format(time=utc_text(entry.until, seconds=False)[11:]),
                         fit=True))
    if words:
        cell.append(Text(words, "muted"))
    if entry.basis in (Basis.GIVEN, Basis.ABOUT, Basis.FILE, Basis.ADDED) \
            and not local_is_utc(entry.at):
        # The local time in grey below, wrapping at a space if it must (it is ours, not a
        # value to copy): shrunk to one line it would be too small to read.
        cell.append(Text(local_text(entry.at, seconds=False), "muted"))
    return cell


def _payment_lines(p: PaymentRow) -> list[Text]:
    """Amount and method, the MTCN or reference whole (with the app's hint if it looks
    wrong), whether it was collected and who it went to."""
    lines = [Text(tr("{amount} by {method} · status: {status}").format(
        amount=f"{amount_text(p.amount)} {p.currency}", method=method_label(p.method),
        status=status_label(p.status)))]
    if p.reference.strip():
        label = tr("MTCN") if p.method is PaymentMethod.WESTERN_UNION else tr("Reference")
        lines.append(Text(f"{label} {p.reference}", "mono", fit=True))
        lines += [Text(h, "muted") for h in reference_hints(p)]
    to = ", ".join(x for x in (p.recipient_name.strip(), p.recipient_place.strip()) if x)
    if to:
        whom = cut_text(to, _NAME_LIMIT, "csv/payments.csv")
        lines.append(Text(tr("to {whom}").format(whom=whom), "muted"))
    return lines


def _payment_cells(entry: Entry) -> tuple[list[Text], list[Text]]:
    p = entry.payment
    assert p is not None
    return [Text(tr("Payment"), "bold")], _payment_lines(p)


def _group_cells(entry: Entry) -> tuple[list[Text], list[Text]]:
    count = len(entry.evidence_ids)
    what = [Text(tr("Evidence items")), Text(tr_n("{count} item", "{count} items", count)
                                               .format(count=f"{count:,}"), "muted")]
    if entry.basis is Basis.CHAT:
        said = (tr("Files kept from chat exports, sent in the chats on this day with no event "
                   "or payment recorded between them, at the times their messages give. Each "
                   "is listed in the table of exhibits and in its chat's transcript.")
                if entry.until is not None else
                tr("Files kept from chat exports, sent in the chats in the same minute. Each is "
                   "listed in the table of exhibits and in its chat's transcript."))
    elif entry.until is not None:
        said = tr("Files last modified on this day, with no event or payment recorded between "
                  "them, and which the person did not describe. Each is listed, with its times "
                  "to the second, in the table of exhibits.") if entry.basis is Basis.FILE \
            else tr("Added to Safekeep on this day, with no time of their own (no camera or "
                    "file time) and no description. Each is listed in the table of exhibits.")
    elif entry.basis is Basis.FILE:
        said = tr("Files last modified in the same minute. Each is listed, with its times to "
                  "the second, in the table of exhibits.")
    else:
        said = tr("Added to Safekeep in the same minute, with no time of their own (no camera "
                  "or file time). Each is listed in the table of exhibits.")
    details = [Text(said, "muted")]
    return what, details


def _evidence_cells(entry: Entry) -> tuple[list[Text], list[Text]]:
    e = entry.item
    if e is None:
        return _group_cells(entry)
    what = [Text(tr("Evidence item")), Text(e.kind, "muted")]
    details = [Text(cut_text(e.original_name, _NAME_LIMIT, "csv/evidence.csv"))]
    if e.description.strip():
        details.append(Text(cut_text(e.description, _DESCRIPTION_LIMIT, "csv/evidence.csv"),
                            "muted"))
    elif e.kind == "document":
        details.append(Text(size_text(e.size), "muted"))
    return what, details


def _conversation_cells(entry: Entry, snap: CaseSnapshot) -> tuple[list[Text], list[Text]]:
    c = entry.conversation
    assert c is not None
    if c.platform == Platform.EMAIL.value:  # a saved e-mail: one message, not a chat
        return [Text(tr("E-mail"), "bold")], [
            Text(tr("\u201c{title}\u201d").format(title=cut_text(c.title, _NAME_LIMIT,
                                                                 MESSAGES_CSV))),
            Text(tr("see \u201cConversations from chat exports\u201d") if c.evidence_id
                 not in snap.withheld_ids else tr("withheld as sensitive"), "muted")]
    what = [Text(tr("Chat message"), "bold"), Text(platform_name(c.platform), "muted")]
    line = tr("Last message of the conversation \u201c{title}\u201d") if entry.last else \
        tr("First message of the conversation \u201c{title}\u201d")
    details = [Text(line.format(title=cut_text(c.title, _NAME_LIMIT, MESSAGES_CSV))),
               Text(tr_n("%n message (see \u201cConversations from chat exports\u201d)",
                         "%n messages (see \u201cConversations from chat exports\u201d)",
                         c.message_count) if c.evidence_id not in snap.withheld_ids else
                    tr_n("%n message; the export is withheld as sensitive",
                         "%n messages; the export is withheld as sensitive", c.message_count),
                    "muted")]
    return what, details


def _row(entry: Entry, snap: CaseSnapshot) -> list[list[Text]]:
    if entry.source is Source.CONVERSATION:
        what, details = _conversation_cells(entry, snap)
    elif entry.source is Source.EVENT:
        assert entry.event is not None
        what = [Text(kind_label(entry.event.kind), "bold")]
        details = [Text(cut_text(entry.event.description, LONG_LIMIT, "csv/timeline.csv"))]
        for p in entry.linked:
            details += _payment_lines(p)
    elif entry.source is Source.PAYMENT:
        what, details = _payment_cells(entry)
    else:
        what, details = _evidence_cells(entry)
    if entry.is_group:  # a range never broken across lines
        return [_when(entry), what, details,
                [Text(r, fit=True) for r in exhibit_ranges(snap, entry.evidence_ids, 8)]]
    refs = exhibit_refs(snap, entry.evidence_ids, 8)
    return [_when(entry), what, details, [Text(refs)] if refs else []]


def _chat_words(entries: list[Entry]) -> str:
    if not any(entry.basis is Basis.CHAT for entry in entries):
        return ""
    return " " + tr("A conversation read from a chat export has its first and last message "
                    "here, and a file kept from one stands at the message that sent it, at the "
                    "time the export writes; where it gives no time zone (WhatsApp: the phone's "
                    "own clock) it is placed as if it were in the time zone of the computer that "
                    "made this bundle.")


def chronology_section(snap: CaseSnapshot, styles: Styles, entries: list[Entry]) -> list[Any]:
    story: list[Any] = [CondPageBreak(45 * mm), Spacer(1, 4 * mm),
                        styles.p(escape(tr("Chronology")), styles.h1)]
    if not entries:
        return [*story, styles.v(tr("No events, payments or evidence were recorded."),
                                 styles.muted)]
    story.append(styles.v(tr(
        "Timeline events as the person gave them, payments on the day they were made, and each "
        "evidence item at the time it tells of itself: the time the camera wrote into it (its "
        "own clock, with no time zone, placed as if in the time zone of the computer that made "
        "this bundle), else the file\u2019s modified time, else the time it was added to "
        "Safekeep; many in one minute share a row, as do many on one day that the person did "
        "not describe. Times are UTC unless marked; \u201capproximate\u201d marks a time the "
        "person was not sure of.")
        + _chat_words(entries), styles.muted, limit=LONG_LIMIT))
    story.append(Spacer(1, 2 * mm))
    header = [tr("When"), tr("What"), tr("Details"), tr("Exhibits")]
    widths = list(_WIDTHS)
    if any(entry.evidence_ids for entry in entries):
        rows = LazyRows(entries, lambda entry: _row(entry, snap))
    else:
        header, widths = header[:3], [*widths[:2], widths[2] + widths[3]]
        rows = LazyRows(entries, lambda entry: _row(entry, snap)[:3])
    story.append(RowTable(header, widths, rows))
    return story
