"""csv/messages.csv, and the messages the report's transcripts show, from one pass over the
messages read from chat exports.

A case may hold 200,000 messages, so they are never listed: one read transaction streams them
in conversation order, each row goes to the CSV (hashed and deflated as it comes, see
`Document.streamed`), and only what the report will show is kept: per conversation its first
`HEAD` and last `TAIL` messages, and at most `REPORT_BUDGET` messages in all. The rest are in
the CSV, and the report says so where it leaves them out. One pass means the CSV and the report
show the same messages.

Only conversations the snapshot holds, whose export was read to the end, are written: an
export still being read (or read after the snapshot) would give half a conversation. The
messages of an export withheld as sensitive are left out like its file, and the report says so.
"""

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from app.core.records import ConversationRow, MessageRow, message_rows
from app.export.casedata import CaseSnapshot
from app.export.csv_export import csv_chunks, neutralise_cell
from app.models.casefile import CaseFile

MESSAGES_CSV = "csv/messages.csv"
HEAD = 1000  # a long conversation's first messages in the report
TAIL = 1000  # and its last
REPORT_BUDGET = 20_000  # messages in the report, all conversations together
_TEXT_KEPT = 4000  # characters of a message kept for the report, which shows 24 lines at most
_PROGRESS_EVERY = 2000
_MOST_ACCOUNTS = 200  # senders named with their account per conversation (a big group)

HEADER = ["exhibit", "conversation_id", "conversation_title", "platform", "number", "sender",
          "sender_account", "sent_at", "precision", "text", "attachments",
          "attachment_exhibits", "links", "is_system", "is_deleted", "media_omitted"]


@dataclass
class Transcript:
    """One conversation as the report shows it."""

    conversation: ConversationRow
    exhibit: str  # of the export it was read from
    withheld: bool = False  # the export is sensitive and not in this bundle
    count: int = 0  # messages in csv/messages.csv (the conversation's count if withheld)
    head: list[MessageRow] = field(default_factory=list)
    tail: deque[MessageRow] = field(default_factory=deque)
    in_report: bool = True  # False once the report's budget was spent before it
    # A sender's own account (a Skype ID, Telegram's from_id) by their name, the first seen:
    # the report names each person with it, as officers ask for the account, not the name.
    accounts: dict[str, str] = field(default_factory=dict)

    @property
    def left_out(self) -> int:
        """Messages between the head and the tail that only the CSV holds."""
        if not self.in_report or self.withheld:
            return self.count
        return self.count - len(self.head) - len(self.tail)


@dataclass
class Transcripts:
    shown: list[Transcript]  # in the CSV's order
    waiting: list[ConversationRow]  # chat exports whose messages are not in the case yet
    budget: int = REPORT_BUDGET

    def __bool__(self) -> bool:
        return bool(self.shown or self.waiting)


def transcripts_of(snap: CaseSnapshot) -> Transcripts:
    """The conversations of the snapshot, before their messages are streamed."""
    withheld = set(snap.withheld_ids)
    shown = [Transcript(c, snap.exhibit(c.evidence_id), c.evidence_id in withheld,
                        c.message_count if c.evidence_id in withheld else 0)
             for c in sorted(snap.conversations, key=lambda c: c.id or 0)
             if c.id is not None and c.status == "read"]
    waiting: dict[int, ConversationRow] = {}
    for c in snap.conversations:
        if c.status != "read":
            waiting.setdefault(c.evidence_id, c)
    return Transcripts(shown, list(waiting.values()))


def has_messages(snap: CaseSnapshot) -> bool:
    """Whether the bundle gets csv/messages.csv: the case holds chat exports."""
    return bool(snap.conversations)


def messages_csv(case: CaseFile, snap: CaseSnapshot, transcripts: Transcripts,
                 progress: Callable[[int], None] | None = None) -> Iterator[bytes]:
    """csv/messages.csv in pieces; as it is read, `transcripts` gets the report's messages.
    `progress(n)` is told of every `_PROGRESS_EVERY` messages (and may raise Cancelled)."""
    return csv_chunks(HEADER, _rows(case, snap, transcripts, progress or (lambda n: None)),
                      neutralised=True)


def _rows(case: CaseFile, snap: CaseSnapshot, transcripts: Transcripts,
          progress: Callable[[int], None]) -> Iterator[list[str]]:
    """Rows with every cell through `neutralise_cell`: those the same in every row of a
    conversation once per conversation (200,000 rows of 15 cells made it a third of the time)."""
    wanted = {t.conversation.id: t for t in transcripts.shown if not t.withheld}
    if not wanted:
        return
    spent = streamed = 0
    current: Transcript | None = None
    fixed: list[str] = []
    with case.read() as session:
        for m in message_rows(session):
            t = wanted.get(m.conversation)
            if t is None:
                continue
            if t is not current:
                if current is not None:
                    spent += len(current.head) + len(current.tail)
                current = t
                fixed = [neutralise_cell(c) for c in (t.exhibit, m.conversation,
                                                        m.conversation_title, m.platform)]
                t.in_report = spent < transcripts.budget
                room = transcripts.budget - spent
                t.tail = deque(maxlen=max(min(TAIL, room - HEAD), 0))
            t.count += 1
            if m.sender_id and m.sender and len(t.accounts) < _MOST_ACCOUNTS:
                t.accounts.setdefault(m.sender, m.sender_id)
            streamed += 1
            if streamed % _PROGRESS_EVERY == 0:
                progress(_PROGRESS_EVERY)
            if t.in_report:
                _keep(t, m, transcripts.budget - spent)
            yield [*fixed, *_cells(snap, m)]


def _keep(t: Transcript, m: MessageRow, room: int) -> None:
    if len(t.head) < min(HEAD, room):
        t.head.append(_for_report(m))
    elif t.tail.maxlen:
        t.tail.append(_for_report(m))


def _for_report(m: MessageRow) -> MessageRow:
    """The message as the report keeps it: a very long text cut (the CSV has it whole)."""
    if len(m.text) <= _TEXT_KEPT:
        return m
    return MessageRow(m.id, m.conversation, m.conversation_title, m.platform, m.position,
                      m.sender, m.sent_at, m.precision, m.text[:_TEXT_KEPT], m.evidence_id,
                      m.attachments, m.links, m.is_system, m.is_deleted, m.media_omitted,
                      m.sender_id)


def attachment_refs(snap: CaseSnapshot, m: MessageRow) -> list[tuple[str, str | None]]:
    """(member path, exhibit reference of the item it became, or None) per attachment."""
    return [(a.path, snap.exhibit_or_none(a.evidence_id)) for a in m.attachments]


_FLAGS = {True: neutralise_cell(True), False: neutralise_cell(False)}


def _cells(snap: CaseSnapshot, m: MessageRow) -> list[str]:
    """The cells after the conversation's: number, sender, time ... flags."""
    attachments = refs = ""
    if m.attachments:
        pairs = attachment_refs(snap, m)
        attachments = "; ".join(f"{path} ({ref})" if ref else path for path, ref in pairs)
        refs = " ".join(ref for _, ref in pairs if ref)
    return [str(m.position + 1), neutralise_cell(m.sender), neutralise_cell(m.sender_id),
            neutralise_cell(m.sent_at),
            neutralise_cell(m.precision), neutralise_cell(m.text),
            neutralise_cell(attachments), neutralise_cell(refs),
            neutralise_cell(" ".join(m.links)), _FLAGS[m.is_system], _FLAGS[m.is_deleted],
            _FLAGS[m.media_omitted]]
