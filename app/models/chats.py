"""Chat exports read into the case: which exports were read, their conversations and messages.

The export file itself stays the evidence (an `evidence_item`, byte for byte); these rows are
what was read from it, and go with it when it is removed (ON DELETE CASCADE). Times are kept
as the export writes them (`sent_at`, ISO 8601 to the minute or second it gives, with an offset
only when the export states one): a WhatsApp time is local to the phone that exported it and
no zone is invented. `sort_key` only orders them.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Table
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, StoredText, utc_now

# A saved e-mail is read as a chat of one message; its platform value, for the layers that
# say it differently without loading the parsers, which hold no database code
# (app.core.chats.Platform.EMAIL; tests/chats/test_email.py checks they agree).
EMAIL_PLATFORM = "email"


class ChatReadStatus(StrEnum):
    READING = "reading"  # started; a crash leaves this, and the next read starts again
    READ = "read"
    NEEDS_DATE_ORDER = "needs-date-order"  # every date fits day-first and month-first
    UNREADABLE = "unreadable"


class ChatExportRead(Base):
    """One row per evidence item recognised as a chat export: how far reading it went."""

    __tablename__ = "chat_export"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_item.id", ondelete="CASCADE"), primary_key=True
    )
    platform: Mapped[str]  # app.core.chats.Platform's value
    status: Mapped[str]  # a ChatReadStatus
    date_order: Mapped[str | None]  # day_first or month_first, when the person chose one
    note: Mapped[str] = mapped_column(default="")  # why it could not be read, in plain words
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)
    # v6: the offender's details in its messages were looked for (app.core.reading), after
    # the last read; false again whenever the export is read again.
    details_found: Mapped[bool] = mapped_column(default=False, server_default="0")


class ChatConversation(Base):
    __tablename__ = "chat_conversation"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_item.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]  # its place in the export
    platform: Mapped[str]
    title: Mapped[str]
    participants_json: Mapped[str] = mapped_column(default="[]")
    notes_json: Mapped[str] = mapped_column(default="[]")  # what the export leaves out
    source: Mapped[str] = mapped_column(default="")  # the file (or ZIP member) read
    message_count: Mapped[int] = mapped_column(default=0)
    first_at: Mapped[str | None]  # sent_at of the earliest message, as written
    last_at: Mapped[str | None]
    # v7: the sender the person said is them (their messages shown on the right); None until
    # they choose. Only how the conversation is shown: the export does not say who exported it.
    me: Mapped[str | None]


class ChatMessage(Base):
    __tablename__ = "chat_message"
    __table_args__ = (
        Index("ix_chat_message_conversation_position", "conversation_id", "position",
              unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("chat_conversation.id", ondelete="CASCADE")
    )
    position: Mapped[int]  # order in the export, from 0
    sender: Mapped[str | None]  # None for system lines ("created group")
    sent_at: Mapped[str]  # ISO 8601 as written; an offset only when the export states one
    sort_key: Mapped[str]  # sortable: UTC when an offset is known, else as written
    precision: Mapped[str]  # minute, second, millisecond
    text: Mapped[str] = mapped_column(default="")
    attachments_json: Mapped[str] = mapped_column(default="[]")  # member paths in the export
    links_json: Mapped[str] = mapped_column(default="[]")  # attachments known only by address
    is_system: Mapped[bool] = mapped_column(default=False)
    is_deleted: Mapped[bool] = mapped_column(default=False)
    media_omitted: Mapped[bool] = mapped_column(default=False)
    # v6: the sender's own ID where the export gives one (Telegram's from_id, "user123...")
    sender_id: Mapped[str | None]


# An attachment found inside the export and stored as its own evidence item.
chat_attachment = Table(
    "chat_attachment",
    Base.metadata,
    Column("message_id", ForeignKey("chat_message.id", ondelete="CASCADE"), primary_key=True),
    Column("member", StoredText(), primary_key=True),
    Column("evidence_id", ForeignKey("evidence_item.id", ondelete="CASCADE"), nullable=False,
           index=True),
)
