"""The case itself (one row) and the file's own metadata."""

from datetime import datetime

from sqlalchemy import CheckConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utc_now


class CaseInfo(Base):
    """What the case is about. Exactly one row (id = 1) per case file."""

    __tablename__ = "case_info"
    __table_args__ = (CheckConstraint("id = 1", name="single_case_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    display_name: Mapped[str]  # a name or an alias: the person chooses
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    under_18: Mapped[bool] = mapped_column(default=False)  # changes the guidance shown
    in_danger_now: Mapped[bool] = mapped_column(default=False)  # "it is happening now" -> 999
    crime_reference: Mapped[str | None]
    caseworker: Mapped[str | None]
    notes: Mapped[str] = mapped_column(default="")
    # Exhibit references ("AB/1"): the producer's initials, asked once in the case details, and
    # the next exhibit number. The counter only goes up, so a number is never given twice,
    # even after the item that had it is removed (schema v3).
    producer_initials: Mapped[str | None]
    next_exhibit: Mapped[int] = mapped_column(default=1, server_default="1")


class FileMeta(Base):
    """Key/value facts about the file: case id, app version that made it, KDF parameters.

    The schema version itself lives in `PRAGMA user_version`, where it can be read without
    knowing any table.
    """

    __tablename__ = "file_meta"

    key: Mapped[str] = mapped_column(primary_key=True)
    value: Mapped[str]
