"""Chat exports among the files added: the export stays one evidence item, byte for byte, and
what it says is read into the case from the very bytes stored (never from the file again,
which may have changed, and never unpacked to disk). Each picture or video inside a ZIP
export becomes an evidence item of its own, by the same rules as any file (hashed on arrival,
kept once), linked to its messages.

When every date of a WhatsApp chat fits both day-first and month-first, nothing is guessed:
the item is kept, the case records that the person must choose, and reading waits for it.
An export that cannot be read is still kept as evidence; one calm sentence says why.
"""

import io
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from typing import IO, BinaryIO, cast

from sqlalchemy import select

from app.core.chats import Container, DateOrder, Platform, detect, read_chat_export
from app.core.intake.batch import PREVIEW_MAX_BYTES, BatchImporter, OnOutcome
from app.core.intake.chat_rows import ConversationWriter, export_state, set_state
from app.core.intake.outcome import ImportOutcome
from app.core.intake.previews import Previews
from app.core.pictures import PreviewPool
from app.core.records import chat_attachment_note
from app.errors import ChatExportUnreadable, NotFound
from app.i18n import tr, tr_n
from app.models import ChatExportRead, ChatReadStatus, EvidenceItem, EvidenceSource
from app.models.casefile import CaseFile
from app.models.content import StoredContentFile

# Kinds of file that are never chat exports: not even looked at, so big imports stay fast.
_NOT_CHATS = frozenset({"image", "screenshot", "video", "audio"})
_READ_BUFFER = 256 * 1024
# A page of Telegram's HTML export whose chat was read from the result.json beside it.
READ_BESIDE = "read-beside"
_TELEGRAM_JSON = "result.json"
_TELEGRAM_PAGE = re.compile(r"messages\d*\.html")


@dataclass(frozen=True)
class ChatReading:
    """What happened to one chat export. `status` is a ChatReadStatus value, or
    "already-read" when its messages were in the case before, or READ_BESIDE."""

    path: str
    evidence_id: int
    platform: str
    status: str
    conversations: int = 0
    messages: int = 0
    attachments_kept: int = 0
    note: str = ""
    attachments_left: int = 0  # named in its messages, not kept as items of their own

    def line(self) -> str:
        if self.status == ChatReadStatus.READ and self.platform == Platform.EMAIL.value:
            return tr("  Read as an e-mail: its sender, time, subject and text.")
        if self.status == ChatReadStatus.READ:
            said = tr("  {messages} in {conversations} read from this chat export.").format(
                messages=tr_n("%n message", "%n messages", self.messages),
                conversations=tr_n("%n conversation", "%n conversations", self.conversations))
            if self.attachments_left:
                said += " " + tr_n(
                    "%n attachment could not be kept as an item of its own (damaged, or it "
                    "unpacks to far more than its size); it is still inside the export.",
                    "%n attachments could not be kept as items of their own (damaged, or they "
                    "unpack to far more than their size); they are still inside the export.",
                    self.attachments_left)
            return f"{said} {self.note}" if self.note else said
        if self.status == "already-read":
            return tr("  Its messages were read before; nothing was added twice.")
        if self.status == READ_BESIDE:
            return tr("  The same chat as the result.json file beside it, whose messages were "
                      "read; this page is kept as a file, and not read a second time.")
        if self.status == ChatReadStatus.NEEDS_DATE_ORDER:
            return tr("  The file is kept, but its messages were not read yet: its dates could "
                      "be day first or month first. To choose, run: safekeep read-chat CASE "
                      "{id} --date-order day-first (or month-first).").format(id=self.evidence_id)
        return tr("  The file is kept as evidence, but its messages could not be read: "
                  "{note}").format(note=self.note)


OnChat = Callable[[ChatReading], None]


@dataclass(frozen=True)
class StoredExport:
    """An export already in the case, read back as a file (chats.Source)."""

    case: CaseFile
    evidence_id: int
    name: str
    stored_size: int
    place: str = ""  # where it was when added, as the batch shows it (Container.place)

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    def open_binary(self) -> IO[bytes]:
        raw = StoredContentFile(self.case.read, self.evidence_id, self.stored_size)
        return io.BufferedReader(raw, buffer_size=_READ_BUFFER)

    def size(self) -> int:
        return self.stored_size


@dataclass
class MediaKeeper:
    """Stores members of a ZIP export as evidence items, each once, through the same intake."""

    case: CaseFile
    pool: Previews | None  # None: one is started for the first attachment, and closed
    sensitive: bool
    note: str
    on_outcome: OnOutcome | None
    export_name: str
    outcomes: list[ImportOutcome]
    _own_pool: PreviewPool | None = None

    def _active_pool(self) -> Previews:
        if self.pool is not None:
            return self.pool
        if self._own_pool is None:
            self._own_pool = PreviewPool(workers=1).__enter__()
        return self._own_pool

    def close(self) -> None:
        if self._own_pool is not None:
            self._own_pool.__exit__(None, None, None)
            self._own_pool = None

    def keep(self, container: Container, member: str, display: str,
             export_id: int) -> int | None:
        description = chat_attachment_note(self.export_name, member)
        if self.note:
            description = f"{self.note}\n{description}"
        importer = BatchImporter(self.case, self._active_pool(), sensitive=self.sensitive,
                                 note=description, on_outcome=self.on_outcome,
                                 taken_from={"evidence": export_id, "member": member})
        name = PurePosixPath(member).name
        try:
            with container.binary(member) as stream:
                if container.size(member) <= PREVIEW_MAX_BYTES:
                    importer.add_bytes(stream.read(PREVIEW_MAX_BYTES + 1), name,
                                       EvidenceSource.CHAT_EXPORT)
                else:
                    importer.add_stream(cast(BinaryIO, stream), name, display,
                                       EvidenceSource.CHAT_EXPORT, container.size(member))
            importer.finish()
        except (ChatExportUnreadable, KeyError, OSError):
            importer.abandon()  # its connection closed now, not whenever it is collected
            return None  # a damaged or unsafe member: the export itself still holds it
        except BaseException:
            importer.abandon()
            raise
        done = [replace(o, path=display) for o in importer.outcomes]
        self.outcomes.extend(done)
        return done[0].evidence_id if done and done[0].evidence_id is not None else None


def read_chat_item(case: CaseFile, evidence_id: int, display: str, *,
                   date_order: DateOrder | None = None,
                   media: MediaKeeper | None = None,
                   beside: Mapping[str, int] | None = None) -> ChatReading | None:
    """Read the chat export stored as `evidence_id` into the case. None when the item is not
    a chat export. An export read before is not read again.

    `beside`: the files added in the same batch (their paths as added, and their items). An
    export that is one file of a folder (Telegram Desktop writes a folder: `messages.html`
    or `result.json` with `photos/` beside it) names its photos by their place beside it;
    those added with it are linked to their messages. Nothing is read from the disk for it."""
    with case.read() as session:
        item = session.get(EvidenceItem, evidence_id)
        if item is None:
            raise NotFound(tr("There is no evidence item with number {id}.").format(
                id=evidence_id))
        source = StoredExport(case, evidence_id, item.original_name, item.size, display)
    state = export_state(case, evidence_id)
    if state is not None and state.status == ChatReadStatus.READ:
        return ChatReading(display, evidence_id, state.platform, "already-read")
    try:
        platform = detect(source)
    except OSError:
        platform = None
    if platform is None:
        if state is None:
            return None
        return _unreadable(case, display, evidence_id, state.platform,
                           tr("This file is not a chat export that Safekeep can read."))
    order = date_order.value if date_order else None
    try:
        export = read_chat_export(source, date_order=date_order)
        if any(c.dates_ambiguous for c in export.conversations):
            set_state(case, evidence_id, platform.value, ChatReadStatus.NEEDS_DATE_ORDER)
            return ChatReading(display, evidence_id, platform.value,
                               ChatReadStatus.NEEDS_DATE_ORDER.value)
        set_state(case, evidence_id, platform.value, ChatReadStatus.READING, date_order=order)
        container = Container.open(source, attachments=True) if media is not None else None
        kept: dict[str, int | None] = {}
        total = 0
        for position, conversation in enumerate(export.conversations):
            writer = ConversationWriter.start(case, evidence_id, position, conversation)
            for message in conversation.messages():
                stored = []
                for member in message.attachments:
                    if container is None or media is None or member not in container.members:
                        if beside and (found := beside.get(_beside(display, member))):
                            stored.append((member, found))
                        continue
                    if member not in kept:
                        kept[member] = media.keep(container, member, f"{display}/{member}",
                                                  evidence_id)
                    if kept[member] is not None:
                        stored.append((member, kept[member] or 0))
                writer.add(message, stored)
            writer.flush()
            total += writer.count
    except ChatExportUnreadable as error:
        return _unreadable(case, display, evidence_id, platform.value, error.message)
    attachments = sum(1 for v in kept.values() if v is not None)
    left = len(kept) - attachments
    set_state(case, evidence_id, platform.value, ChatReadStatus.READ, date_order=order,
              note=" ".join(export.notes),
              details={"conversations": len(export.conversations), "messages": total,
                       "attachments_kept": attachments, "attachments_left": left})
    return ChatReading(display, evidence_id, platform.value, ChatReadStatus.READ.value,
                       len(export.conversations), total, attachments, " ".join(export.notes),
                       left)


def read_chat(case: CaseFile, evidence_id: int, *, date_order: DateOrder | None = None,
              ) -> tuple[ChatReading | None, list[ImportOutcome]]:
    """Read an export already in the case (its date order chosen now, or its reading
    interrupted before); attachments in a ZIP become items as on import, hidden when the
    export is. Returns what happened and the attachments' outcomes."""
    with case.read() as session:
        item = session.get(EvidenceItem, evidence_id)
        name, sensitive = (item.original_name, item.sensitive) if item else ("", False)
    outcomes: list[ImportOutcome] = []
    media = MediaKeeper(case, None, sensitive, "", None, name, outcomes)
    try:
        reading = read_chat_item(case, evidence_id, name, date_order=date_order,
                                 media=media)
    finally:
        media.close()
    return reading, outcomes


def _beside(display: str, member: str) -> str:
    """Where a file an export names (a relative '/'-separated path) was, had it been beside the
    export when it was added; "" for a name that would climb out of the export's folder."""
    folder = os.path.dirname(display)
    if not folder or member.startswith("/") or ".." in member.split("/"):
        return ""
    return os.path.normpath(os.path.join(folder, *member.split("/")))


def date_order_examples(case: CaseFile, evidence_id: int) -> dict[DateOrder, str]:
    """The first message's date under each reading of an export whose dates fit both
    (ISO 8601), so a person choosing can see which one makes sense; {} when it cannot be
    read."""
    with case.read() as session:
        item = session.get(EvidenceItem, evidence_id)
        if item is None:
            return {}
        source = StoredExport(case, evidence_id, item.original_name, item.size)
    examples: dict[DateOrder, str] = {}
    for order in DateOrder:
        try:
            export = read_chat_export(source, date_order=order)
            first = next((m for c in export.conversations for m in c.messages()), None)
        except (ChatExportUnreadable, OSError):
            return {}
        if first is not None:
            examples[order] = first.sent_at.isoformat()
    return examples


def _unreadable(case: CaseFile, display: str, evidence_id: int, platform: str,
                note: str) -> ChatReading:
    set_state(case, evidence_id, platform, ChatReadStatus.UNREADABLE, note=note)
    return ChatReading(display, evidence_id, platform, ChatReadStatus.UNREADABLE.value,
                       note=note)


def read_chats_in_batch(case: CaseFile, pool: Previews, outcomes: Sequence[ImportOutcome],
                        *, sensitive: bool, note: str, date_order: DateOrder | None,
                        on_chat: OnChat | None, on_outcome: OnOutcome | None,
                        not_chats: frozenset[int] | set[int] = frozenset(),
                        ) -> list[ImportOutcome]:
    """After a batch is stored: read every chat export among its items. Returns the outcomes
    of the attachments kept from ZIP exports, to report with the batch's own.

    `not_chats`: items whose bytes intake already saw are not a chat export (the same
    `detect` on the same bytes: same hash). Those never read as one before are not read back
    to be looked at again: with 10,000 small documents, that look took longer than storing
    them. (One that was, by an earlier version, still goes through, to be told it is not.)"""
    with case.read() as session:
        skip = set(not_chats) - set(session.scalars(select(ChatExportRead.evidence_id)))
    displays: dict[int, str] = {}
    beside = {os.path.normpath(o.path): o.evidence_id for o in outcomes
              if o.status != "refused" and o.evidence_id is not None}
    for outcome in outcomes:
        if (outcome.status != "refused" and outcome.evidence_id is not None
                and outcome.evidence_id not in skip):
            displays.setdefault(outcome.evidence_id, outcome.path)
    if not displays:
        return []
    with case.read() as session:
        candidates = [(row_id, name) for row_id, kind, name in session.execute(
            select(EvidenceItem.id, EvidenceItem.kind, EvidenceItem.original_name)
            .where(EvidenceItem.id.in_(displays))) if kind not in _NOT_CHATS]
    extra: list[ImportOutcome] = []
    # Telegram Desktop's "both formats" writes result.json and the messages.html pages of the
    # same chats into one folder: the chats are read once, from result.json (its times are
    # exact to the second, in UTC), which is read first; the pages stay kept as files.
    read_json_in: list[str] = []
    for evidence_id, name in sorted(candidates, key=lambda c: (
            os.path.basename(displays[c[0]]) != _TELEGRAM_JSON, c[0])):
        display = displays[evidence_id]
        if _TELEGRAM_PAGE.fullmatch(os.path.basename(display)) and any(
                _within(display, folder) for folder in read_json_in):
            if on_chat is not None:
                on_chat(ChatReading(display, evidence_id, Platform.TELEGRAM.value, READ_BESIDE))
            continue
        media = MediaKeeper(case, pool, sensitive, note, on_outcome, name, extra)
        reading = read_chat_item(case, evidence_id, display,
                                 date_order=date_order, media=media, beside=beside)
        if (reading is not None and reading.platform == Platform.TELEGRAM.value
                and reading.status in (ChatReadStatus.READ, "already-read")
                and os.path.basename(display) == _TELEGRAM_JSON):
            read_json_in.append(os.path.dirname(display))
        if reading is not None and on_chat is not None:
            on_chat(reading)
    return extra


def _within(page: str, folder: str) -> bool:
    """A page beside result.json, or (a whole account's export) in its chats/ folder."""
    where = os.path.dirname(os.path.normpath(page))
    folder = os.path.normpath(folder)
    return where == folder or os.path.dirname(where) == os.path.join(folder, "chats")
