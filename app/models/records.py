"""What the person knows about the offender and what happened: identifiers, payments,
timeline events and checklist progress, with their links to evidence."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Table
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utc_now


def _link_table(name: str, left: str, right: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(f"{left}_id", ForeignKey(f"{left}.id", ondelete="CASCADE"), primary_key=True),
        Column(f"{right}_id", ForeignKey(f"{right}.id", ondelete="CASCADE"), primary_key=True),
    )


identifier_evidence = _link_table("identifier_evidence", "identifier", "evidence_item")
payment_evidence = _link_table("payment_evidence", "payment", "evidence_item")
timeline_evidence = _link_table("timeline_evidence", "timeline_event", "evidence_item")
timeline_identifier = _link_table("timeline_identifier", "timeline_event", "identifier")
timeline_payment = _link_table("timeline_payment", "timeline_event", "payment")


class Identifier(Base):
    __tablename__ = "identifier"

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str]  # a keyword from the CLI contract: facebook, skype-id, mtcn, ...
    value: Mapped[str]  # exactly as entered: data, never markup or a formula
    normalised: Mapped[str] = mapped_column(index=True)  # for matching duplicates
    platform: Mapped[str | None]
    note: Mapped[str] = mapped_column(default="")
    unsure: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)


class PaymentMethod(StrEnum):
    WESTERN_UNION = "western-union"
    MONEYGRAM = "moneygram"
    BANK_TRANSFER = "bank-transfer"
    CARD = "card"
    PAYPAL = "paypal"
    GIFT_CARD = "gift-card"
    CRYPTO = "crypto"
    OTHER = "other"


class PaymentStatus(StrEnum):
    SENT = "sent"
    COLLECTED = "collected"
    NOT_COLLECTED = "not-collected"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class Payment(Base):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    paid_on: Mapped[date | None]
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(default="GBP")  # ISO 4217
    method: Mapped[str]
    reference: Mapped[str] = mapped_column(default="")  # MTCN, MoneyGram ref, bank ref...
    recipient_name: Mapped[str] = mapped_column(default="")
    recipient_place: Mapped[str] = mapped_column(default="")  # where it was collected
    status: Mapped[str] = mapped_column(default=PaymentStatus.UNKNOWN)
    bank_told: Mapped[bool] = mapped_column(default=False)
    bank_told_on: Mapped[date | None]
    note: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    # Only the month of paid_on is known (paid_on is its first day). Last: added in version 8.
    paid_on_month_only: Mapped[bool] = mapped_column(default=False, server_default="0")


class TimelineKind(StrEnum):
    FIRST_CONTACT = "first-contact"
    MOVED_PLATFORM = "moved-platform"
    THREAT = "threat"
    DEMAND = "demand"
    PAYMENT = "payment"
    REPORT = "report"
    OTHER = "other"


class TimelineEvent(Base):
    __tablename__ = "timeline_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime]
    approximate: Mapped[bool] = mapped_column(default=False)  # "about then": people forget
    kind: Mapped[str] = mapped_column(default=TimelineKind.OTHER)
    description: Mapped[str]
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class ChecklistProgress(Base):
    """One row per advice item the person has touched; the advice text itself is data in
    resources/, so a pack can change without a schema change."""

    __tablename__ = "checklist_progress"

    item_id: Mapped[str] = mapped_column(primary_key=True)
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]
    reference: Mapped[str] = mapped_column(default="")
    note: Mapped[str] = mapped_column(default="")
    updated_at: Mapped[datetime] = mapped_column(default=utc_now, onupdate=utc_now)
