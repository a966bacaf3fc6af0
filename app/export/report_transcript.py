"""The report's transcripts: each conversation read from a chat export, under a heading that
says where it comes from (platform, title, people, the export's exhibit reference, how many
messages, first and last time, and what the export leaves out), then its messages in the
order the export gives them: time as written, sender, text, attachments with their exhibit
references. System lines ("created group") are quieter.

Messages are rows of `RowTable`, drawn on the canvas without markup (a Table of Paragraphs per
message would take minutes for a long chat): a message's text wraps at spaces, a sender, a time
or an attachment's name stays on one line, and hidden characters show as escapes.

A conversation of more than HEAD + TAIL messages shows its first HEAD and last TAIL here, with
a line between them saying how many are left out; the report shows at most REPORT_BUDGET
messages in all (see app/export/messages_export.py). csv/messages.csv holds every message.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from app.core.chats import platform_name
from app.core.records import ConversationRow, MessageRow
from app.export.casedata import CaseSnapshot
from app.export.formatting import chat_time_text, split_time
from app.export.lazy_rows import LazyRows
from app.export.messages_export import (
    HEAD,
    MESSAGES_CSV,
    REPORT_BUDGET,
    TAIL,
    Transcript,
    Transcripts,
    attachment_refs,
)
from app.export.report_rows import Cells, RowTable, Text
from app.export.report_sections import Story, section_title
from app.export.report_style import TEXT_WIDTH, Styles, key_value_table, markup
from app.i18n import tr, tr_n

_WIDTHS = [31 * mm, 33 * mm, TEXT_WIDTH - 64 * mm]
_MAX_PEOPLE = 20
_NAME_FITS = 48  # characters of a sender kept on one line (shrunk); a longer one wraps
_NAME_LIMIT = 160
_TITLE_IN_HEADER = 60


@dataclass(frozen=True)
class _Gap:
    first: int  # numbers of the messages left out, from 1
    last: int


def _common_offset(c: ConversationRow) -> str | None:
    """The offset the first and last times share ("" for none), or None if they differ."""
    if c.first_at is None or c.last_at is None:
        return None
    first, last = split_time(c.first_at)[1], split_time(c.last_at)[1]
    return first if first == last else None


def _offset_words(offset: str) -> str:
    return "UTC" if offset in ("Z", "+00:00") else f"UTC{offset}"


def transcripts_section(snap: CaseSnapshot, styles: Styles, transcripts: Transcripts) -> Story:
    story = section_title(styles, tr("Conversations from chat exports"))
    intro = tr(
        "Each conversation read from a chat export, with its messages in the order the export "
        "gives them. Times are as the export writes them: no time zone is added where the "
        "export gives none. The export itself is the evidence (its exhibit reference is in each "
        "heading); this transcript is a working copy made from it. Every message is in {csv}. "
        "A conversation of more than {most:,} messages shows its first {head:,} and last "
        "{tail:,} here, and this report shows at most {budget:,} messages in all."
    ).format(csv=MESSAGES_CSV, most=HEAD + TAIL, head=HEAD, tail=TAIL, budget=REPORT_BUDGET)
    story += [styles.p(escape(intro), styles.muted), Spacer(1, 2 * mm)]
    for t in transcripts.shown:
        story += _conversation(snap, styles, t, transcripts.budget)
    if transcripts.waiting:
        story += _waiting(snap, styles, transcripts.waiting)
    return story


def _with_account(t: Transcript, person: str) -> str:
    """A person as the heading names them: with their own account where the export gives one
    ("Anna Smith (live:.cid.2f8e...)"), the detail officers ask the platform about."""
    account = t.accounts.get(person)
    return f"{person} ({account})" if account and account != person else person


def _heading(snap: CaseSnapshot, styles: Styles, t: Transcript) -> Story:
    c = t.conversation
    title = f"{escape(platform_name(c.platform))}: {markup(c.title, limit=200)}"
    export = None if c.evidence_id is None else snap.evidence.by_id(c.evidence_id)
    rows = [(tr("Exhibit"), styles.v(f"{t.exhibit} · {export.original_name}" if export
                                     else t.exhibit, limit=240))]
    if c.participants:
        people = ", ".join(_with_account(t, p) for p in c.participants[:_MAX_PEOPLE])
        if len(c.participants) > _MAX_PEOPLE:
            people += " " + tr_n("and %n more", "and %n more",
                                 len(c.participants) - _MAX_PEOPLE)
        rows.append((tr("People"), styles.v(people, limit=1200)))
    rows.append((tr("Messages"), styles.v(f"{t.count:,}")))
    if c.first_at and c.last_at:
        rows.append((tr("First and last"), styles.v(tr("{first} to {last}").format(
            first=chat_time_text(c.first_at), last=chat_time_text(c.last_at)))))
    offset = _common_offset(c)
    if offset:
        rows.append((tr("Times"), styles.v(tr("as the export writes them, in {zone}").format(
            zone=_offset_words(offset)))))
    elif offset == "":
        rows.append((tr("Times"), styles.v(tr("as the export writes them, with no time zone"))))
    for note in c.notes:
        rows.append((tr("Note"), styles.v(note, styles.cell_muted, limit=600)))
    return [CondPageBreak(60 * mm), Spacer(1, 3 * mm), styles.p(title, styles.h2),
            key_value_table(styles, rows, 28 * mm), Spacer(1, 2 * mm)]


def _conversation(snap: CaseSnapshot, styles: Styles, t: Transcript, budget: int) -> Story:
    story = _heading(snap, styles, t)
    if t.withheld:
        return [*story, styles.p(escape(tr(
            "The export is marked sensitive and is not in this bundle, so its messages are not "
            "shown here or in {csv}.").format(csv=MESSAGES_CSV)), styles.muted)]
    if not t.in_report:
        return [*story, styles.p(escape(tr(
            "This report already shows {budget:,} messages, its most, so this conversation's "
            "messages are only in {csv} (exhibit {ref}).").format(
                budget=budget, csv=MESSAGES_CSV, ref=t.exhibit)), styles.muted)]
    if t.count == 0:
        return [*story, styles.p(escape(tr("The export holds no messages for this "
                                            "conversation.")), styles.muted)]
    sources: list[MessageRow | _Gap] = list(t.head)
    if t.left_out:
        first = len(t.head) + 1
        sources.append(_Gap(first, first + t.left_out - 1))
        story.append(styles.p(escape(tr(
            "This conversation has {count:,} messages. The first {head:,} and the last {tail:,} "
            "are shown here; all of them are in {csv}.").format(
                count=t.count, head=len(t.head), tail=len(t.tail), csv=MESSAGES_CSV)),
            styles.muted))
        story.append(Spacer(1, 1.5 * mm))
    sources += t.tail
    offset = _common_offset(t.conversation)
    # The header is repeated on every page: it names the conversation, for the pages of a
    # long one that are far from its heading.
    c = t.conversation
    title = c.title if len(c.title) <= _TITLE_IN_HEADER else c.title[:_TITLE_IN_HEADER] + "…"
    header = [tr("When"), tr("From"), tr("Message ({platform}: {title}, exhibit {ref})").format(
        platform=platform_name(c.platform), title=title, ref=t.exhibit)]
    story.append(RowTable(header, _WIDTHS, LazyRows(sources, lambda s: _row(snap, s, offset))))
    return story


def _row(snap: CaseSnapshot, source: "MessageRow | _Gap", offset: str | None) -> Cells:
    if isinstance(source, _Gap):
        return [[], [], [Text(tr_n(
            "… %n message is not shown here (number {first:,}): every message is in {csv}.",
            "… %n messages are not shown here (numbers {first:,} to {last:,}): every message "
            "is in {csv}.", source.last - source.first + 1).format(
                first=source.first, last=source.last, csv=MESSAGES_CSV), "bold")]]
    m = source
    clock, own = split_time(m.sent_at)
    when = [Text(clock, "muted" if m.is_system else "cell", fit=True)]
    if own != offset:
        when.append(Text(_offset_words(own) if own else tr("no time zone"), "muted"))
    sender: list[Text] = []
    if m.sender is not None:
        name = m.sender if len(m.sender) <= _NAME_LIMIT else m.sender[:_NAME_LIMIT] + "…"
        sender.append(Text(name, "muted" if m.is_system else "bold",
                           fit=len(name) <= _NAME_FITS))
    return [when, sender, _message(snap, m)]


def _message(snap: CaseSnapshot, m: MessageRow) -> list[Text]:
    cell: list[Text] = []
    if m.text:
        cell.append(Text(m.text, "muted" if m.is_system else "cell"))
    for path, ref in attachment_refs(snap, m):
        line = tr("Attachment {ref}: {name}").format(ref=ref, name=path) if ref else \
            tr("Attachment (no file in the case): {name}").format(name=path)
        cell.append(Text(line, "muted", fit=True))
    for link in m.links:
        if link not in m.text:  # one the words show whole is not said twice (Instagram)
            cell.append(Text(tr("Link: {address}").format(address=link), "muted", fit=True))
    if m.media_omitted:
        cell.append(Text(tr("(the export left out this media)"), "muted"))
    if m.is_deleted and not m.text:  # WhatsApp's own words say so when there are any
        cell.append(Text(tr("(deleted)"), "muted"))
    if not cell:
        cell.append(Text(tr("(no text)"), "muted"))
    return cell


def _waiting(snap: CaseSnapshot, styles: Styles, waiting: list[ConversationRow]) -> Story:
    story: Story = [Spacer(1, 4 * mm), styles.p(escape(tr("Chat exports not read")), styles.h2)]
    why = {
        "needs-date-order": tr("its dates fit both day first and month first, and the person "
                               "has not yet said which"),
        "unreadable": tr("Safekeep could not read it"),
        "reading": tr("reading it had not finished when this bundle was made"),
    }
    for c in waiting:
        line = tr("Exhibit {ref} ({platform}): its messages are not in this report or in {csv}: "
                  "{why}.").format(ref=snap.exhibit(c.evidence_id),
                                   platform=platform_name(c.platform), csv=MESSAGES_CSV,
                                   why=why.get(c.status, c.status))
        story.append(styles.v(line + (f" {c.note}" if c.note else ""), styles.small,
                              limit=800))
    return story
