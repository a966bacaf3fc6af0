"""Conversations and messages read from chat exports, as the rest of the app sees them.

Messages are many (an export may hold 200,000), so they are streamed from one read
transaction rather than listed; conversations and the exports still waiting to be read
(their dates need a choice, or they could not be read) are listed whole.
"""

import json
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.records.audited import audit, get_or_fail
from app.errors import InvalidInput
from app.i18n import tr
from app.models import (
    ChatConversation,
    ChatExportRead,
    ChatMessage,
    ChatReadStatus,
    EvidenceItem,
    chat_attachment,
)
from app.models.casefile import CaseFile

_ROWS_PER_FETCH = 1000


@dataclass(frozen=True)
class ConversationRow:
    """One conversation; or (id None) a chat export whose messages are not in the case yet,
    with `status` saying why (needs-date-order, unreadable, reading) and `note`."""

    id: int | None
    evidence_id: int
    platform: str
    title: str
    participants: list[str]
    message_count: int
    first_at: str | None  # as the export writes it
    last_at: str | None
    notes: list[str]
    status: str
    note: str = ""
    me: str | None = None  # the sender the person said is them (shown on the right)


@dataclass(frozen=True)
class Attachment:
    path: str  # the member inside the export
    evidence_id: int | None  # the item it became, when the export held its file


@dataclass(frozen=True)
class MessageRow:
    id: int
    conversation: int
    conversation_title: str
    platform: str
    position: int
    sender: str | None  # None for system lines
    sent_at: str  # ISO 8601 as written; an offset only when the export states one
    precision: str
    text: str
    evidence_id: int  # the export it was read from
    attachments: list[Attachment]
    links: list[str]
    is_system: bool
    is_deleted: bool
    media_omitted: bool
    # The sender's own account where the export gives one (Telegram's from_id, a Skype ID):
    # unlike the name, it stays when they rename themselves.
    sender_id: str | None = None


def conversation_rows(session: Session) -> list[ConversationRow]:
    states = {r.evidence_id: r for r in session.scalars(select(ChatExportRead))}
    rows = [
        ConversationRow(c.id, c.evidence_id, c.platform, c.title,
                        json.loads(c.participants_json), c.message_count, c.first_at,
                        c.last_at, json.loads(c.notes_json),
                        states[c.evidence_id].status if c.evidence_id in states else "read",
                        me=c.me)
        for c in session.scalars(select(ChatConversation)
                                 .order_by(ChatConversation.evidence_id,
                                           ChatConversation.position))
    ]
    waiting = [s for s in states.values() if s.status != ChatReadStatus.READ]
    names = dict(session.execute(
        select(EvidenceItem.id, EvidenceItem.original_name)
        .where(EvidenceItem.id.in_([s.evidence_id for s in waiting]))).all())
    for state in sorted(waiting, key=lambda s: s.evidence_id):
        if any(r.evidence_id == state.evidence_id for r in rows):
            continue  # interrupted mid-read: its conversations say so themselves
        rows.append(ConversationRow(None, state.evidence_id, state.platform,
                                    names.get(state.evidence_id, ""), [], 0, None, None, [],
                                    state.status, state.note))
    return rows


def list_conversations(case: CaseFile) -> list[ConversationRow]:
    with case.read() as session:
        return conversation_rows(session)


def set_conversation_me(case: CaseFile, conversation_id: int, me: str | None) -> None:
    """Say which of a conversation's people is the person keeping the case (their messages
    are shown on the right), or None for nobody. Only how it is shown: the export does not
    say who exported it, so this is the person's word, kept with the case and audited."""
    with case.write() as session:
        row = get_or_fail(session, ChatConversation, conversation_id, "conversation")
        if me is not None and me not in json.loads(row.participants_json):
            raise InvalidInput(tr("{name} is not one of the people in this conversation.")
                               .format(name=me))
        if row.me != me:
            audit(session, case.actor, "conversation.me", f"conversation:{row.id}",
                  {"me": [row.me, me]})
            row.me = me


def message_rows(session: Session, conversation_id: int | None = None,
                 ids: list[int] | None = None) -> Iterator[MessageRow]:
    """Every message (or one conversation's, or those of `ids`), in export order, streamed."""
    conversations = {c.id: (c.title, c.platform, c.evidence_id)
                     for c in session.scalars(select(ChatConversation))}
    stored: dict[int, dict[str, int]] = {}
    for message_id, member, evidence_id in session.execute(select(chat_attachment)):
        stored.setdefault(message_id, {})[member] = evidence_id
    # Columns, not ORM objects: a plain row per message is a third of the time (the bundle
    # streams every message of a case into csv/messages.csv).
    query = select(*_COLUMNS).order_by(ChatMessage.conversation_id, ChatMessage.position)
    if conversation_id is not None:
        query = query.where(ChatMessage.conversation_id == conversation_id)
    if ids is None:
        messages: Iterable[Any] = session.execute(
            query.execution_options(yield_per=_ROWS_PER_FETCH))
    else:  # `ids` in export order: fetched a slice at a time, each slice in that order
        messages = (m for start in range(0, len(ids), _ROWS_PER_FETCH)
                    for m in session.execute(query.where(
                        ChatMessage.id.in_(ids[start:start + _ROWS_PER_FETCH]))))
    for message in messages:
        yield _row(message, conversations[message[1]], stored.get(message[0], {}))


_COLUMNS = (ChatMessage.id, ChatMessage.conversation_id, ChatMessage.position,
            ChatMessage.sender, ChatMessage.sent_at, ChatMessage.precision, ChatMessage.text,
            ChatMessage.attachments_json, ChatMessage.links_json, ChatMessage.is_system,
            ChatMessage.is_deleted, ChatMessage.media_omitted, ChatMessage.sender_id)


def _list(stored: str) -> list[str]:
    """A JSON list column; nearly every message has none, so "[]" is not parsed."""
    return [] if stored == "[]" else list(json.loads(stored))


def _row(columns: Any, conversation: tuple[str, str, int], kept: dict[str, int]) -> MessageRow:
    """A message from its `_COLUMNS`, its conversation's (title, platform, evidence id), and
    the evidence ids of the attachments kept from it."""
    (message_id, conversation_id, position, sender, sent_at, precision, text, attachments,
     links, is_system, is_deleted, media_omitted, sender_id) = columns
    title, platform, evidence_id = conversation
    return MessageRow(
        message_id, conversation_id, title, platform, position, sender, sent_at, precision,
        text, evidence_id, [Attachment(path, kept.get(path)) for path in _list(attachments)],
        _list(links), is_system, is_deleted, media_omitted, sender_id)


def message_page(case: CaseFile, conversation_id: int, start: int,
                 count: int) -> list[MessageRow]:
    """Messages `start` to `start + count` (export order, from 0) of one conversation: what a
    view shows as it scrolls, so a 200,000-message chat is never read whole."""
    with case.read() as session:
        conversation = session.get(ChatConversation, conversation_id)
        if conversation is None:
            return []
        # Columns, not ORM objects: read in a worker while the window paints the messages
        # already shown, and both need the interpreter (bench_chat_view.py).
        found = session.execute(
            select(*_COLUMNS)
            .where(ChatMessage.conversation_id == conversation_id,
                   ChatMessage.position >= start, ChatMessage.position < start + count)
            .order_by(ChatMessage.position)).all()
        stored: dict[int, dict[str, int]] = {}
        if found:
            for message_id, member, evidence_id in session.execute(
                    select(chat_attachment).where(
                        chat_attachment.c.message_id.in_([m[0] for m in found]))):
                stored.setdefault(message_id, {})[member] = evidence_id
        place = (conversation.title, conversation.platform, conversation.evidence_id)
        return [_row(m, place, stored.get(m[0], {})) for m in found]


def messages_sending(case: CaseFile, evidence_id: int) -> list[MessageRow]:
    """The chat messages that sent this item (a photo kept from a chat export), in export
    order: who sent it and when, which its own file (no EXIF, no file time) does not say."""
    with case.read() as session:
        ids = sorted(set(session.scalars(select(chat_attachment.c.message_id).where(
            chat_attachment.c.evidence_id == evidence_id))))
        return list(message_rows(session, ids=ids)) if ids else []


def message_place(case: CaseFile, message_id: int) -> tuple[int, int] | None:
    """(conversation, position) of one message, to open its conversation there."""
    with case.read() as session:
        found = session.execute(select(ChatMessage.conversation_id, ChatMessage.position)
                                .where(ChatMessage.id == message_id)).first()
        return None if found is None else (found[0], found[1])


def iter_messages(case: CaseFile,
                  conversation_id: int | None = None) -> Generator[MessageRow, None, None]:
    """Messages streamed from one read transaction, held while the caller iterates."""
    with case.read() as session:
        yield from message_rows(session, conversation_id)


def _matches(text: str, sender: str | None, sender_id: str | None, terms: list[str]) -> bool:
    folded = f"{text}\n{sender or ''}\n{sender_id or ''}".casefold()
    return all(term in folded for term in terms)


def search_messages(case: CaseFile, query: str, limit: int | None = None) -> list[MessageRow]:
    """Messages holding every word of `query` in their text, sender or sender's own account
    (a Skype ID), in export order. Only the searched columns are read for every message;
    whole rows only for those found."""
    terms = query.casefold().split()
    if not terms:
        return []
    with case.read() as session:
        found: list[int] = []
        scan = session.execute(
            select(ChatMessage.id, ChatMessage.text, ChatMessage.sender, ChatMessage.sender_id)
            .order_by(ChatMessage.conversation_id, ChatMessage.position)
            .execution_options(yield_per=_ROWS_PER_FETCH * 5))
        for message_id, text, sender, sender_id in scan:
            if _matches(text, sender, sender_id, terms):
                found.append(message_id)
                if limit is not None and len(found) >= limit:
                    break
        scan.close()
        return list(message_rows(session, ids=found)) if found else []
