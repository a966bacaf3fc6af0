"""Evidence items, their content in chunks, their thumbnails and reading-size pictures.

Content and thumbnails live in their own tables on purpose: a list query that touches a BLOB
column makes SQLCipher decrypt it (about 10x slower for 200 screenshots), so listing 10,000
items must only read `evidence_item`.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, event, text
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from app.models.base import Base, utc_now

# The placeholder hash of an item still being stored (see incomplete.py).
INCOMPLETE_PREFIX = "pending:"


class EvidenceSource(StrEnum):
    FILE = "file"
    FOLDER = "folder"
    CLIPBOARD = "clipboard"
    SCREEN_CAPTURE = "screen-capture"
    CHAT_EXPORT = "chat-export"  # a photo or file inside a chat export (a ZIP), never unpacked


class PreviewStatus(StrEnum):
    PENDING = "pending"
    OK = "ok"
    NONE = "none"  # not an image we decode
    FAILED = "failed"
    TOO_LARGE = "too-large"
    TIMED_OUT = "timed-out"


class EvidenceItem(Base):
    __tablename__ = "evidence_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(unique=True)  # of the original bytes, taken on arrival
    size: Mapped[int]
    original_name: Mapped[str]
    kind: Mapped[str]  # screenshot, image, video, audio, document, archive, text, other
    detected_type: Mapped[str]  # MIME type from the content
    type_note: Mapped[str | None]  # e.g. "The name says PNG but the content is a JPEG image."
    source: Mapped[str] = mapped_column(default=EvidenceSource.FILE)
    acquired_at: Mapped[datetime] = mapped_column(default=utc_now)
    file_modified_at: Mapped[datetime | None]
    file_created_at: Mapped[datetime | None]
    exif_taken_at: Mapped[str | None]  # as the camera wrote it; no time zone is known
    exif_camera: Mapped[str | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    description: Mapped[str] = mapped_column(default="")
    platform: Mapped[str | None]
    sensitive: Mapped[bool] = mapped_column(default=False)
    preview_status: Mapped[str] = mapped_column(default=PreviewStatus.PENDING)
    preview_note: Mapped[str | None]
    # The exhibit number ("AB/1" with the producer's initials), given as the row is inserted
    # from case_info.next_exhibit (see below): stable, never reused. None only before insert.
    exhibit_number: Mapped[int | None] = mapped_column(unique=True, index=True)


class EvidenceChunk(Base):
    """The original bytes, in order, in pieces of at most CHUNK_SIZE. Only app/models/content.py
    writes and reads these rows: it owns the format."""

    __tablename__ = "evidence_chunk"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_item.id", ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceThumbnail(Base):
    __tablename__ = "evidence_thumbnail"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_item.id", ondelete="CASCADE"), primary_key=True
    )
    width: Mapped[int]
    height: Mapped[int]
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceReadingImage(Base):
    """The picture a report page shows (at most 2,100 pixels on its longest side), made at
    import in the same sandboxed decode as the thumbnail, so an export embeds it as it is and
    decodes nothing. Items imported before schema v5 have none: the export decodes those in
    the sandbox. Its own table, like thumbnails: listing never decrypts it."""

    __tablename__ = "evidence_reading_image"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_item.id", ondelete="CASCADE"), primary_key=True
    )
    width: Mapped[int]
    height: Mapped[int]
    # A JPEG; or, for a plain PNG screenshot, its own compressed pixels repacked as a minimal
    # PNG (app.core.pictures.png_pixels). Their first bytes tell them apart, so no schema
    # change was needed; the column keeps the name it was given when it held only JPEGs.
    jpeg: Mapped[bytes] = mapped_column(LargeBinary)


@event.listens_for(EvidenceItem, "before_insert")
def _give_exhibit_number(mapper: Mapper[Any], connection: Any, item: EvidenceItem) -> None:
    """Every item gets the case's next exhibit number in the transaction that stores it (a
    rolled-back import gives its number back); the counter in case_info only goes up. An item
    inserted incomplete (see incomplete.py) gets its number in the transaction that completes
    it, so an import that dies part-way uses no number."""
    if item.exhibit_number is not None or item.sha256.startswith(INCOMPLETE_PREFIX):
        return
    item.exhibit_number = next_exhibit_number(connection)


def next_exhibit_number(connection: Any) -> int:
    """Take the case's next exhibit number (inside the caller's transaction)."""
    number = connection.execute(text("SELECT next_exhibit FROM case_info WHERE id = 1")).scalar()
    number = int(number or 1)
    connection.execute(text("UPDATE case_info SET next_exhibit = :n WHERE id = 1"),
                       {"n": number + 1})
    return number


def take_exhibit_numbers(connection: Any, count: int) -> int:
    """The first of `count` consecutive exhibit numbers for items inserted without the ORM
    (a group of small files, in one transaction), the counter moved past them: the same rule
    as `_give_exhibit_number`, one statement pair for the whole group."""
    number = connection.execute(text("SELECT next_exhibit FROM case_info WHERE id = 1")).scalar()
    number = int(number or 1)
    connection.execute(text("UPDATE case_info SET next_exhibit = :n WHERE id = 1"),
                       {"n": number + count})
    return number
