"""What text recognition read in each picture, and the details it suggests.

Both are derived from the evidence, never evidence themselves: the original bytes stay the
evidence. They live in their own tables so listing evidence never reads them, and a
suggestion is never an identifier until the person says so (one click), because a machine
reading a picture can be wrong.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utc_now


class SuggestionState(StrEnum):
    NEW = "new"
    ADDED = "added"  # the person added it as an identifier
    DISMISSED = "dismissed"


class EvidenceText(Base):
    """One row per picture that recognition has finished with, whatever the outcome."""

    __tablename__ = "evidence_text"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_item.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str]  # ok, none, failed, too-large, timed-out (pictures.text_pool.OcrStatus)
    engine: Mapped[str]  # e.g. "tesseract 5.5.4", so officers know what read it
    text: Mapped[str] = mapped_column(default="")  # one line of text per line in the picture
    page_json: Mapped[str] = mapped_column(default="")  # words and their boxes (OcrPage)
    read_at: Mapped[datetime] = mapped_column(default=utc_now)


class TextSuggestion(Base):
    """A detail found in a picture's text or a chat export's messages, waiting for the person
    to add or dismiss it."""

    __tablename__ = "text_suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_item.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str]  # a CandidateKind's value (app.core.reading.kinds)
    value: Mapped[str]  # as read
    normalised: Mapped[str] = mapped_column(index=True)
    platform: Mapped[str | None]
    boxes_json: Mapped[str] = mapped_column(default="[]")  # [[left, top, width, height], ...]
    # The lowest confidence (0-100) Tesseract gave any of its words: low means check it well.
    confidence: Mapped[float] = mapped_column(default=100.0)
    state: Mapped[str] = mapped_column(default=SuggestionState.NEW)
    identifier_id: Mapped[int | None] = mapped_column(
        ForeignKey("identifier.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    # v6: the message of a chat export the detail was first seen in (its text, or its
    # sender's phone or ID); None for a picture's. Kept when the message goes (the export
    # read again): the person's choice stays, and the next read links it again.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("chat_message.id", ondelete="SET NULL"), index=True
    )
