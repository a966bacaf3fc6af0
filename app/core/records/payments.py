"""Payments the person made: what, when, how, and whether the money was collected.

Police advice: if you have paid, check whether the money was collected, note where from,
cancel it if not, and tell your bank. So status, place and "bank told" are first-class.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.core.identifiers import IdentifierType, normalise
from app.core.records.amount_currency import (
    LONGER_CODES,
    check_currency,
    currency_named,
    split_currency,
)
from app.core.records.audited import (
    apply_changes,
    audit,
    check_evidence_ids,
    get_or_fail,
    linked_ids,
    set_links,
)
from app.core.records.when_text import MonthOnly
from app.errors import InvalidInput
from app.i18n import tr
from app.models import Payment, PaymentMethod, PaymentStatus
from app.models.casefile import CaseFile
from app.models.records import payment_evidence, timeline_payment

_CURRENCY = re.compile(r"[A-Z]{3}")
_MAX_AMOUNT = Decimal("1000000000")
_AMOUNT = re.compile(r"\d+(?:[.,]\d+)*")  # digits, with "," or "." between them
# A whole part: plain digits, or thousands grouped by one separator (1,250,000; 1.250.000).
_GROUPED = re.compile(r"\d+|\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*")

METHOD_LABELS: dict[PaymentMethod, str] = {
    PaymentMethod.WESTERN_UNION: "Western Union",
    PaymentMethod.MONEYGRAM: "MoneyGram",
    PaymentMethod.BANK_TRANSFER: "Bank transfer",
    PaymentMethod.CARD: "Card",
    PaymentMethod.PAYPAL: "PayPal",
    PaymentMethod.GIFT_CARD: "Gift card",
    PaymentMethod.CRYPTO: "Cryptocurrency",
    PaymentMethod.OTHER: "Other",
}
STATUS_LABELS: dict[PaymentStatus, str] = {
    PaymentStatus.SENT: "Sent",
    PaymentStatus.COLLECTED: "Collected",
    PaymentStatus.NOT_COLLECTED: "Not collected",
    PaymentStatus.CANCELLED: "Cancelled",
    PaymentStatus.UNKNOWN: "Not known",
}


@dataclass(frozen=True)
class PaymentRow:
    id: int
    paid_on: date | None  # a MonthOnly when only the month is known
    amount: Decimal
    currency: str
    method: PaymentMethod
    reference: str
    recipient_name: str
    recipient_place: str
    status: PaymentStatus
    bank_told: bool
    bank_told_on: date | None
    note: str
    evidence_ids: tuple[int, ...]


def parse_amount(text: str | Decimal, currency: str | None = None) -> Decimal:
    """An amount as people write it: `250`, `£250.00`, `1,250.50`, `1.250,50` (with both
    separators the last is the decimal one), `250,50`, `1,250`, `1 250` or `1'250`, with a
    currency written before or after it (`$200`, `250 GBP`, `300 quid`), which must agree
    with `currency` when one is given (amount_currency.py), `1k` or `1.5k` for thousands and
    `.50` for a fraction. Refused in one calm sentence:
    anything else (`1e3`, a negative amount), and `1.250`, which is 1.25 in one country and
    1,250 in another."""
    if isinstance(text, Decimal):
        return _checked_amount(text)
    written, agrees, mark = split_currency(str(text))
    if currency is not None:
        check_currency(agrees, mark, currency)
    for grouping in (" ", "\u00a0", "\u202f", "'", "\u2019"):
        written = written.replace(grouping, "")
    if written[-1:] in ("k", "K") and written[-2:-1].isdigit():  # "1.5k": thousands, as texted
        return _checked_amount(parse_amount(written[:-1]) * 1000)
    if written[:1] in (".", ",") and written[1:].isdigit():
        written = "0" + written  # ".50": no pounds, fifty pence
    if not _AMOUNT.fullmatch(written):
        if written[:1] in ("-", "\u2212") and _AMOUNT.fullmatch(written[1:].strip()):
            raise InvalidInput(tr("Write the amount paid without a minus sign."))
        raise _not_an_amount()
    separators = [ch for ch in written if ch in ".,"]
    if not separators:
        return _checked_amount(Decimal(written))
    last = separators[-1]
    point = written.rfind(last)
    whole, tail = written[:point], written[point + 1:]
    if len(set(separators)) == 2 or len(separators) == 1:
        if len(separators) == 1 and len(tail) == 3 and whole != "0":
            if last == ".":
                raise InvalidInput(tr(
                    "Write {amount} without the dot ({whole}) or with two decimals "
                    "({small}), so that it cannot be read two ways.").format(
                        amount=written, whole=whole + tail, small=f"{whole}.{tail[:2]}"))
            return _checked_amount(Decimal(whole + tail))  # 1,250: a thousands comma
        if separators.count(last) > 1 or not _GROUPED.fullmatch(whole):
            raise _not_an_amount()
        return _checked_amount(Decimal(f"{re.sub('[.,]', '', whole)}.{tail}"))
    # One kind, more than once: thousands (1,250,000 or 1.250.000).
    if not _GROUPED.fullmatch(written):
        raise _not_an_amount()
    return _checked_amount(Decimal(re.sub("[.,]", "", written)))


def _not_an_amount() -> InvalidInput:
    return InvalidInput(tr("The amount should be a number, like 250 or 250.00."))


def _checked_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount < 0 or amount > _MAX_AMOUNT:
        raise _not_an_amount()
    return amount


def amount_text(amount: Decimal) -> str:
    """An amount as the app and the report show it: `1,250.50`, with every decimal it has
    beyond two (`0.0035` of a cryptocurrency, not `0.00`)."""
    return f"{amount:,.{_places(amount)}f}"


def amount_plain(amount: Decimal) -> str:
    """An amount for files a program reads (CSV, the police form's facts): `1250.50`, every
    decimal kept as in `amount_text`, no thousands separator."""
    return f"{amount:.{_places(amount)}f}"


def _places(amount: Decimal) -> int:
    exponent = amount.normalize().as_tuple().exponent
    return min(max(2, -exponent), 12) if isinstance(exponent, int) else 2


def parse_currency(text: str) -> str:
    """A currency code (GBP), or the currency a word or symbol names ("pounds", "£",
    "bitcoin"): typed so in the currency box, they had been refused as "not a code"."""
    if (named := currency_named(text)) is not None:
        return named
    code = text.strip().upper()
    if code == "$":
        raise InvalidInput(tr("Many currencies use $: type its code, like USD, CAD or AUD."))
    if not (_CURRENCY.fullmatch(code) or code in LONGER_CODES):
        raise InvalidInput(tr("The currency should be a three-letter code, like GBP, EUR or USD."))
    return code


def parse_method(keyword: str) -> PaymentMethod:
    try:
        return PaymentMethod(keyword)
    except ValueError:
        raise InvalidInput(
            tr("Unknown payment method. Use one of: {choices}.").format(
                choices=", ".join(m.value for m in PaymentMethod)
            )
        ) from None


def parse_status(keyword: str) -> PaymentStatus:
    try:
        return PaymentStatus(keyword)
    except ValueError:
        raise InvalidInput(
            tr("Unknown payment status. Use one of: {choices}.").format(
                choices=", ".join(s.value for s in PaymentStatus)
            )
        ) from None


def _validated(fields: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    if "currency" in out:  # first: "pounds" is GBP, and the amount is checked against it
        out["currency"] = parse_currency(out["currency"])
    if "amount" in out:  # checked against the currency given with it, if one is
        currency = out.get("currency")
        out["amount"] = parse_amount(out["amount"], str(currency) if currency else None)
    if "method" in out:
        out["method"] = parse_method(out["method"]).value
    if "status" in out:
        out["status"] = parse_status(out["status"]).value
    if "paid_on" in out:  # a MonthOnly is kept as its first day and a flag
        paid = out["paid_on"]
        out["paid_on_month_only"] = isinstance(paid, MonthOnly)
        if isinstance(paid, MonthOnly):
            out["paid_on"] = date(paid.year, paid.month, 1)
    return out


def add_payment(
    case: CaseFile,
    *,
    amount: str | Decimal,
    method: str,
    currency: str = "GBP",
    evidence_ids: Iterable[int] = (),
    **fields: Any,
) -> int:
    """Record a payment. Other fields: paid_on (a date, or a MonthOnly when only the month is
    known), reference, recipient_name, recipient_place, status, bank_told, bank_told_on,
    note."""
    values = _validated({"amount": amount, "method": method, "currency": currency, **fields})
    with case.write() as session:
        links = check_evidence_ids(session, evidence_ids)
        row = Payment(**values)
        session.add(row)
        session.flush()
        set_links(session, payment_evidence, "payment_id", row.id, "evidence_item_id", links)
        audit(
            session, case.actor, "payment.add", f"payment:{row.id}", {**values, "evidence": links}
        )
        return row.id


def edit_payment(case: CaseFile, payment_id: int, **fields: Any) -> None:
    values = _validated(fields)
    evidence = values.pop("evidence_ids", None)
    with case.write() as session:
        row = get_or_fail(session, Payment, payment_id, "payment")
        changed = apply_changes(row, values)
        if evidence is not None:
            added, removed = set_links(
                session,
                payment_evidence,
                "payment_id",
                row.id,
                "evidence_item_id",
                check_evidence_ids(session, evidence),
            )
            if added or removed:
                changed["evidence"] = [removed, added]
        if changed:
            audit(session, case.actor, "payment.edit", f"payment:{row.id}", changed)


def remove_payment(case: CaseFile, payment_id: int) -> None:
    with case.write() as session:
        row = get_or_fail(session, Payment, payment_id, "payment")
        audit(
            session,
            case.actor,
            "payment.remove",
            f"payment:{row.id}",
            {
                "amount": row.amount,
                "currency": row.currency,
                "method": row.method,
                "reference": row.reference,
            },
        )
        session.execute(delete(payment_evidence).where(payment_evidence.c.payment_id == row.id))
        session.execute(delete(timeline_payment).where(timeline_payment.c.payment_id == row.id))
        session.delete(row)


def payment_rows(session: Session) -> list[PaymentRow]:
    links = linked_ids(session, payment_evidence, "payment_id", "evidence_item_id")
    rows = session.scalars(
        select(Payment).order_by(Payment.paid_on.is_(None), Payment.paid_on, Payment.id)
    )
    return [
        PaymentRow(
            id=r.id,
            paid_on=MonthOnly(r.paid_on.year, r.paid_on.month)
            if r.paid_on is not None and r.paid_on_month_only else r.paid_on,
            amount=r.amount,
            currency=r.currency,
            method=PaymentMethod(r.method),
            reference=r.reference,
            recipient_name=r.recipient_name,
            recipient_place=r.recipient_place,
            status=PaymentStatus(r.status),
            bank_told=r.bank_told,
            bank_told_on=r.bank_told_on,
            note=r.note,
            evidence_ids=tuple(links.get(r.id, ())),
        )
        for r in rows
    ]


def list_payments(case: CaseFile) -> list[PaymentRow]:
    with case.read() as session:
        return payment_rows(session)


@dataclass(frozen=True)
class Totals:
    """Per currency: everything paid, and what is known to have reached the offender."""

    paid: dict[str, Decimal]
    collected: dict[str, Decimal]
    cancelled: dict[str, Decimal]


def payment_totals(payments: Iterable[PaymentRow]) -> Totals:
    paid: dict[str, Decimal] = {}
    collected: dict[str, Decimal] = {}
    cancelled: dict[str, Decimal] = {}
    for p in payments:
        bucket = cancelled if p.status is PaymentStatus.CANCELLED else paid
        bucket[p.currency] = bucket.get(p.currency, Decimal(0)) + p.amount
        if p.status is PaymentStatus.COLLECTED:
            collected[p.currency] = collected.get(p.currency, Decimal(0)) + p.amount
    return Totals(paid, collected, cancelled)


def reference_warnings(method: PaymentMethod | str, reference: str) -> tuple[str, ...]:
    """The gentle hints for a Western Union or MoneyGram reference, as the details tab gives
    them for an MTCN saved there (a 9-digit MTCN): said as the payment is saved, shown beside
    its reference, and in the officers' report. Never a refusal: it may be what they have."""
    kind = {PaymentMethod.WESTERN_UNION.value: IdentifierType.MTCN,
            PaymentMethod.MONEYGRAM.value: IdentifierType.MONEYGRAM}.get(
        method.value if isinstance(method, PaymentMethod) else method)
    if kind is None or not reference.strip():
        return ()
    return normalise(kind, reference).warnings


def method_label(method: PaymentMethod) -> str:
    return tr(METHOD_LABELS[method])


def status_label(status: PaymentStatus) -> str:
    return tr(STATUS_LABELS[status])
