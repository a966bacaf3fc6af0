"""What is linked to each evidence item, for its details in the window: the payments and the
timeline events, read from their link tables with only the columns a line about each needs
(opening a case reads these, where the Payments and Timeline tabs read theirs when shown)."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from app.core.records.when_text import MonthOnly
from app.models import PaymentMethod, TimelineKind
from app.models.casefile import CaseFile
from app.models.records import Payment, TimelineEvent, payment_evidence, timeline_evidence


@dataclass(frozen=True)
class LinkedPayment:
    amount: Decimal
    currency: str
    method: PaymentMethod
    paid_on: date | None  # a MonthOnly when only the month is known


@dataclass(frozen=True)
class LinkedEvent:
    occurred_at: datetime
    kind: TimelineKind


@dataclass(frozen=True)
class EvidenceLinks:
    payments: dict[int, list[LinkedPayment]]  # by evidence item id
    events: dict[int, list[LinkedEvent]]


def evidence_links(case: CaseFile) -> EvidenceLinks:
    payments: dict[int, list[LinkedPayment]] = {}
    events: dict[int, list[LinkedEvent]] = {}
    with case.read() as session:
        for item_id, amount, currency, method, paid_on, month_only in session.execute(
                select(payment_evidence.c.evidence_item_id, Payment.amount, Payment.currency,
                       Payment.method, Payment.paid_on, Payment.paid_on_month_only)
                .join(Payment, Payment.id == payment_evidence.c.payment_id)
                .order_by(Payment.paid_on, Payment.id)):
            day = MonthOnly(paid_on.year, paid_on.month) if paid_on and month_only else paid_on
            payments.setdefault(item_id, []).append(
                LinkedPayment(amount, currency, PaymentMethod(method), day))
        for item_id, occurred_at, kind in session.execute(
                select(timeline_evidence.c.evidence_item_id, TimelineEvent.occurred_at,
                       TimelineEvent.kind)
                .join(TimelineEvent, TimelineEvent.id == timeline_evidence.c.timeline_event_id)
                .order_by(TimelineEvent.occurred_at, TimelineEvent.id)):
            events.setdefault(item_id, []).append(LinkedEvent(occurred_at, TimelineKind(kind)))
    return EvidenceLinks(payments, events)
