"""Files sent in chat exports: when the first message that sent each was sent, and, for a file
kept from an export (a photo in a WhatsApp ZIP), which export it was taken from and its path
there, for the continuity of exhibits (an officer can take it out of that exhibit again and
get the same SHA-256).

Which export kept a file is recorded in its `evidence.add` audit event (`taken_from`), so it
is part of the hash chain. Files kept before the event recorded it are matched to the export
that holds them, the one added first when several do (the same photo in two exports).
"""

import json
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    AuditEvent,
    ChatConversation,
    ChatMessage,
    EvidenceItem,
    EvidenceSource,
    chat_attachment,
)


class ChatFile(NamedTuple):
    """A file a chat export sent: when (as the export writes it), and, when it was kept from an
    export, that export's evidence id and the file's path inside it."""

    sent_at: str
    taken_from: int | None
    path_in_export: str


def chat_files(session: Session) -> dict[int, ChatFile]:
    """Evidence id -> `ChatFile`, for every file a chat export in the case sent."""
    first_sent: dict[int, str] = {}
    held_in: dict[int, dict[int, str]] = {}  # evidence id -> {export id: path there}
    for evidence_id, sent_at, export_id, member in session.execute(
            select(chat_attachment.c.evidence_id, ChatMessage.sent_at,
                   ChatConversation.evidence_id, chat_attachment.c.member)
            .join(ChatMessage, ChatMessage.id == chat_attachment.c.message_id)
            .join(ChatConversation, ChatConversation.id == ChatMessage.conversation_id)
            .order_by(ChatMessage.sort_key, ChatMessage.id)):
        first_sent.setdefault(evidence_id, sent_at)
        held_in.setdefault(evidence_id, {}).setdefault(export_id, member)
    kept = {evidence_id: sha256 for evidence_id, sha256 in session.execute(
        select(EvidenceItem.id, EvidenceItem.sha256)
        .where(EvidenceItem.source == EvidenceSource.CHAT_EXPORT.value))}
    recorded = _recorded_takes(session, kept)
    files: dict[int, ChatFile] = {}
    for evidence_id, sent_at in first_sent.items():
        exports = held_in[evidence_id]
        taken = recorded.get(evidence_id) if evidence_id in kept else None
        if taken is None and evidence_id in kept:
            taken = min(exports.items())  # the export added first
        if taken is not None and taken[0] not in exports:
            taken = None  # that export is no longer in the case
        files[evidence_id] = ChatFile(sent_at, *(taken or (None, "")))
    return files


def _recorded_takes(session: Session, kept: dict[int, str]) -> dict[int, tuple[int, str]]:
    """The export and path each kept file's arrival event records (for the item it still
    describes: an id can be taken again by a later item). Only those events are parsed: SQLite
    finds them (about 30 ms over 30,000 arrivals, only in a case with files kept from chats)."""
    found: dict[int, tuple[int, str]] = {}
    if not kept:
        return found  # most cases: no file kept from a chat export, no pass over the log
    rows = session.execute(
        select(AuditEvent.subject, AuditEvent.details)
        .where(AuditEvent.action == "evidence.add",
               func.instr(AuditEvent.details, '"taken_from"') > 0)
        .order_by(AuditEvent.id))
    for subject, raw in rows:
        kind, _, number = subject.partition(":")
        if kind != "evidence" or not number.isdigit() or int(number) not in kept:
            continue
        try:
            details = json.loads(raw)
            taken = details["taken_from"]
            export_id, member = taken["evidence"], taken["member"]
        except (ValueError, TypeError, KeyError):
            continue  # not written by Safekeep: the match below is used instead
        if details.get("sha256") == kept[int(number)] and type(export_id) is int \
                and isinstance(member, str):
            found[int(number)] = (export_id, member)
    return found
