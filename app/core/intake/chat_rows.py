"""Writing what was read from a chat export into the case: its state, its conversations, and
its messages in groups of MESSAGES_PER_COMMIT, so a 200,000-message export is stored with
bounded memory and a kill loses at most one group (the export is then marked as still being
read, and the next read starts it again). Every step is in the audit log."""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.core.chats import Conversation, Message
from app.core.identifiers import canonical_platform
from app.core.records import audit
from app.models import (
    ChatConversation,
    ChatExportRead,
    ChatMessage,
    ChatReadStatus,
    EvidenceItem,
    chat_attachment,
)
from app.models.base import utc_now
from app.models.casefile import CaseFile

MESSAGES_PER_COMMIT = 5000


def sort_key(message: Message) -> str:
    """A key that sorts messages in time: UTC when the export states an offset, else the
    time as written (one export never mixes the two)."""
    when = message.sent_at.when
    if message.sent_at.utc_offset is not None:
        when = when - message.sent_at.utc_offset
    return when.isoformat(timespec="microseconds")


def export_state(case: CaseFile, evidence_id: int) -> ChatExportRead | None:
    with case.read() as session:
        row = session.get(ChatExportRead, evidence_id)
        if row is not None:
            session.expunge(row)
        return row


def set_state(case: CaseFile, evidence_id: int, platform: str, status: ChatReadStatus, *,
              note: str = "", date_order: str | None = None,
              details: dict[str, Any] | None = None) -> None:
    """Record how far reading went, and say so in the audit log, in one transaction. Any
    state but "read" also clears what an earlier or interrupted read left behind."""
    with case.write() as session:
        if status is not ChatReadStatus.READ:
            session.execute(delete(ChatConversation)
                            .where(ChatConversation.evidence_id == evidence_id))
        row = session.get(ChatExportRead, evidence_id)
        if row is None:
            row = ChatExportRead(evidence_id=evidence_id, platform=platform, status=status.value)
            session.add(row)
        row.platform, row.status, row.note = platform, status.value, note
        row.date_order, row.updated_at = date_order, utc_now()
        if status is not ChatReadStatus.READ:
            row.details_found = False  # what is read next is looked through again
        action = {ChatReadStatus.READING: "chat.read-start", ChatReadStatus.READ: "chat.read",
                  ChatReadStatus.NEEDS_DATE_ORDER: "chat.needs-date-order",
                  ChatReadStatus.UNREADABLE: "chat.unreadable"}[status]
        audit(session, case.actor, action, f"evidence:{evidence_id}",
              {"platform": platform, "date_order": date_order, "note": note,
               **(details or {})})
        if status is ChatReadStatus.READ:
            _platform_from_export(session, case, evidence_id, platform)


def _platform_from_export(session: Session, case: CaseFile, evidence_id: int,
                          platform: str) -> None:
    """The export's platform as the item's own, when none was given: a WhatsApp export's
    details said "Platform:" and nothing, and so did its row in the report and the CSV."""
    item = session.get(EvidenceItem, evidence_id)
    name = canonical_platform(platform)  # "whatsapp" is WhatsApp, "messenger" Facebook
    if item is None or item.platform or not name:
        return
    item.platform = name
    audit(session, case.actor, "evidence.edit", f"evidence:{evidence_id}",
          {"platform": [None, name], "why": "the platform of the chat export read from it"})


@dataclass
class ConversationWriter:
    """One conversation's messages, written a group at a time."""

    case: CaseFile
    conversation_id: int
    count: int = 0
    first: tuple[str, str] | None = None  # (sort key, sent_at as written)
    last: tuple[str, str] | None = None
    _rows: list[dict[str, Any]] = field(default_factory=list)
    _links: list[tuple[int, str, int]] = field(default_factory=list)  # (position, member, id)

    @classmethod
    def start(cls, case: CaseFile, evidence_id: int, position: int,
              conversation: Conversation) -> "ConversationWriter":
        with case.write() as session:
            row = ChatConversation(
                evidence_id=evidence_id, position=position,
                platform=conversation.platform.value, title=conversation.title,
                participants_json=json.dumps(list(conversation.participants),
                                             ensure_ascii=False),
                notes_json=json.dumps(list(conversation.notes), ensure_ascii=False),
                source=conversation.source, me=conversation.me)
            session.add(row)
            session.flush()
            return cls(case, row.id)

    def add(self, message: Message, stored: Iterable[tuple[str, int]]) -> None:
        """One message; `stored` gives the attachments kept as evidence items (member, id)."""
        key, written = sort_key(message), message.sent_at.isoformat()
        if self.first is None or key < self.first[0]:
            self.first = (key, written)
        if self.last is None or key >= self.last[0]:
            self.last = (key, written)
        self._rows.append({
            "conversation_id": self.conversation_id, "position": self.count,
            "sender": message.sender, "sent_at": written, "sort_key": key,
            "precision": message.sent_at.precision.value, "text": message.text,
            "attachments_json": json.dumps(list(message.attachments), ensure_ascii=False),
            "links_json": json.dumps(list(message.links), ensure_ascii=False),
            "is_system": message.is_system, "is_deleted": message.is_deleted,
            "media_omitted": message.media_omitted, "sender_id": message.sender_id})
        self._links += [(self.count, member, evidence_id) for member, evidence_id in stored]
        self.count += 1
        if len(self._rows) >= MESSAGES_PER_COMMIT:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        with self.case.write() as session:
            # NULLs written as NULLs: the ORM otherwise leaves a None out of its row, and rows
            # of two shapes (a Skype chat: the holder's messages have no sender_id, the other
            # side's have one) were sent one statement each, 27 s for 200,000 messages.
            session.execute(insert(ChatMessage).execution_options(render_nulls=True),
                            self._rows)
            if self._links:
                self._write_links(session)
            session.execute(update(ChatConversation)
                            .where(ChatConversation.id == self.conversation_id)
                            .values(message_count=self.count,
                                    first_at=self.first[1] if self.first else None,
                                    last_at=self.last[1] if self.last else None))
        self._rows, self._links = [], []

    def _write_links(self, session: Session) -> None:
        positions = sorted({position for position, _, _ in self._links})
        found = session.execute(
            select(ChatMessage.position, ChatMessage.id)
            .where(ChatMessage.conversation_id == self.conversation_id,
                   ChatMessage.position.in_(positions)))
        ids = {position: message_id for position, message_id in found}
        rows = {(ids[position], member): evidence_id
                for position, member, evidence_id in self._links}
        session.execute(insert(chat_attachment), [
            {"message_id": m, "member": member, "evidence_id": e}
            for (m, member), e in rows.items()])
