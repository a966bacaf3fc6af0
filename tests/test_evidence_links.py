"""What is linked to each evidence item (its details in the window list them): payments and
timeline events, read from a real case file, in time order, a payment known only by its
month kept as a month, and nothing for an item linked to nothing."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

from app.core.intake.ingest import import_bytes
from app.core.records import (
    MonthOnly,
    add_event,
    add_payment,
    edit_payment,
    evidence_links,
)
from app.models import EvidenceSource, PaymentMethod, TimelineKind
from app.models.casefile import CaseFile


def test_payments_and_events_by_item(make_case: Callable[..., CaseFile]) -> None:
    case = make_case()
    receipt, chat, alone = (import_bytes(case, f"item {n}".encode(), f"item{n}.txt",
                                         source=EvidenceSource.CLIPBOARD).evidence_id
                            for n in range(3))
    assert receipt and chat and alone
    later = add_payment(case, amount="100", method="paypal", paid_on=date(2025, 4, 2),
                        evidence_ids=[receipt])
    first = add_payment(case, amount="250", method="western-union",
                        paid_on=MonthOnly(2025, 3), evidence_ids=[receipt, chat])
    add_event(case, datetime(2025, 3, 1, 21, 30, tzinfo=UTC), "He threatened me",
              kind="threat", evidence_ids=[chat])
    links = evidence_links(case)
    assert [(p.amount, p.method, p.paid_on) for p in links.payments[receipt]] == [
        (Decimal("250"), PaymentMethod.WESTERN_UNION, MonthOnly(2025, 3)),
        (Decimal("100"), PaymentMethod.PAYPAL, date(2025, 4, 2))]
    assert isinstance(links.payments[receipt][0].paid_on, MonthOnly)
    assert [p.currency for p in links.payments[chat]] == ["GBP"]
    [event] = links.events[chat]
    assert (event.occurred_at, event.kind) == (datetime(2025, 3, 1, 21, 30, tzinfo=UTC),
                                               TimelineKind.THREAT)
    assert alone not in links.payments and alone not in links.events
    edit_payment(case, first, evidence_ids=[])  # unlinked: gone from both items
    edit_payment(case, later, evidence_ids=[])
    assert evidence_links(case).payments == {}
