"""What a case's own records say about its checklist steps.

The advice pack names facts in two item fields (see `app.core.guidance.schema.RECORD_FACTS`):

- `done_when`: the records show the step done (a Skype ID saved, a crime reference in the case
  details). The app then *offers* to tick the step, with the reason; it never ticks by itself,
  because only the person knows whether they did all of it.
- `not_needed_when`: the records show the step is not needed (every payment was collected or
  cancelled, so there is nothing left to cancel).

Every fact is evaluated by one function, `fact_finding`, from one small read of the case
(`read_case_records`), so a charity adapting the pack chooses which step each fact belongs to
without touching code. A fact only holds where the records are clear; a guess is never offered.

No Qt here; the app runs `read_case_records` in its worker.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.guidance.copy_texts import one_line
from app.i18n import tr, tr_n
from app.models import (
    EMAIL_PLATFORM,
    AuditEvent,
    CaseInfo,
    ChatExportRead,
    ChatReadStatus,
    EvidenceItem,
    Identifier,
    Payment,
    PaymentStatus,
)
from app.models.casefile import CaseFile

# Kinds of identifier that are the offender's names and accounts, and those that are where
# money went (docs/DESIGN.md's keywords, as stored).
ACCOUNT_TYPES = ("facebook", "skype-name", "skype-id", "username", "email", "phone", "name")
MONEY_TYPES = ("bank-account", "iban", "mtcn", "moneygram", "crypto-wallet", "gift-card")

# A payment in one of these states can no longer be collected, so there is nothing to cancel.
_SETTLED = frozenset({PaymentStatus.COLLECTED.value, PaymentStatus.CANCELLED.value})
# A payment in one of these states says whether it was collected: the person has checked.
_CHECKED = _SETTLED | {PaymentStatus.NOT_COLLECTED.value}

# Values shown inside a sentence are cut to this many characters: a hostile value of 100,000
# characters must not push the checklist off the screen.
_VALUE_LIMIT = 40


@dataclass(frozen=True)
class CaseRecords:
    """The few things the facts need, read in one go (no evidence content, no thumbnails)."""

    identifier_counts: Mapping[str, int] = field(default_factory=dict)  # type -> how many
    first_identifier: Mapping[str, str] = field(default_factory=dict)  # type -> earliest value
    payment_statuses: tuple[str, ...] = ()  # one per payment, oldest first
    bank_told: int = 0  # payments marked "bank told"
    screenshots: int = 0  # screenshots, and pictures not marked sensitive
    sensitive: int = 0  # items marked sensitive
    videos: int = 0
    crime_reference: str = ""
    last_export_at: datetime | None = None
    chat_exports: int = 0  # chat exports whose messages were read


@dataclass(frozen=True)
class Finding:
    """Why a fact holds, in one calm sentence; and a number the step can keep, if any."""

    reason: str
    reference: str | None = None


def read_case_records(case: CaseFile) -> CaseRecords:
    """One short read transaction. Costs a few milliseconds even for a large case: it counts
    rows in tables that hold no file content."""
    with case.read() as session:
        return case_records_in(session)


def case_records_in(session: Session) -> CaseRecords:
    """What the checklist's facts look at, as `session` sees the case."""
    info = session.get(CaseInfo, 1)
    assert info is not None
    counts: dict[str, int] = {}
    first_ids: dict[str, int] = {}
    for kind, count, first_id in session.execute(
        select(Identifier.type, func.count(), func.min(Identifier.id)).group_by(
            Identifier.type
        )
    ):
        counts[kind] = count
        first_ids[kind] = first_id
    first_values: dict[str, str] = {}
    if first_ids:
        by_id = {
            row_id: value
            for row_id, value in session.execute(
                select(Identifier.id, Identifier.value).where(
                    Identifier.id.in_(first_ids.values())
                )
            )
        }
        first_values = {kind: by_id[row_id] for kind, row_id in first_ids.items()}
    statuses = tuple(session.scalars(select(Payment.status).order_by(Payment.id)))
    bank_told = session.scalar(
        select(func.count()).select_from(Payment).where(Payment.bank_told.is_(True))
    )
    screenshots = sensitive = videos = 0
    for kind, is_sensitive, count in session.execute(
        select(EvidenceItem.kind, EvidenceItem.sensitive, func.count()).group_by(
            EvidenceItem.kind, EvidenceItem.sensitive
        )
    ):
        if is_sensitive:
            sensitive += count
        elif kind in ("screenshot", "image"):
            screenshots += count
        if kind == "video":
            videos += count
    last_export = session.scalar(
        select(func.max(AuditEvent.at)).where(AuditEvent.action == "bundle.export")
    )
    chat_exports = session.scalar(  # a saved e-mail is not the conversation the step means
        select(func.count()).select_from(ChatExportRead)
        .where(ChatExportRead.status == ChatReadStatus.READ.value,
               ChatExportRead.platform != EMAIL_PLATFORM))
    return CaseRecords(
        identifier_counts=counts,
        first_identifier=first_values,
        payment_statuses=statuses,
        bank_told=int(bank_told or 0),
        screenshots=screenshots,
        sensitive=sensitive,
        videos=videos,
        crime_reference=(info.crime_reference or "").strip(),
        last_export_at=last_export,
        chat_exports=int(chat_exports or 0),
    )


def shown_value(value: str) -> str:
    """A value as it may appear inside one of our sentences: one line, cut short."""
    text = one_line(value)
    return text if len(text) <= _VALUE_LIMIT else text[: _VALUE_LIMIT - 1] + "…"


def _count(records: CaseRecords, types: tuple[str, ...]) -> tuple[int, str]:
    """How many identifiers of these types, and the earliest value among them."""
    total = sum(records.identifier_counts.get(kind, 0) for kind in types)
    first = next((records.first_identifier[k] for k in types if k in records.first_identifier),
                 "")
    return total, first


# ----- one function per fact ----------------------------------------------------------------


def _skype_id(records: CaseRecords) -> Finding | None:
    count, value = _count(records, ("skype-id",))
    if not count:
        return None
    if count == 1:
        return Finding(tr("You saved a Skype ID: {value}.").format(value=shown_value(value)))
    return Finding(tr_n("You saved %n Skype ID, such as {value}.",
                        "You saved %n Skype IDs, such as {value}.", count).format(
        value=shown_value(value)))


def _accounts(records: CaseRecords) -> Finding | None:
    count, value = _count(records, ACCOUNT_TYPES)
    if not count:
        return None
    if count == 1:
        return Finding(tr("You saved one of their details: {value}.").format(
            value=shown_value(value)))
    return Finding(tr_n("You saved %n of their names, accounts and numbers.",
                        "You saved %n of their names, accounts and numbers.", count))


def _money_details(records: CaseRecords) -> Finding | None:
    count, value = _count(records, MONEY_TYPES)
    if not count:
        return None
    if count == 1:
        return Finding(tr("You saved a bank or payment detail: {value}.").format(
            value=shown_value(value)))
    return Finding(tr_n("You saved %n bank or payment detail.",
                        "You saved %n bank or payment details.", count))


def _screenshots(records: CaseRecords) -> Finding | None:
    if not records.screenshots:
        return None
    if records.screenshots == 1:
        return Finding(tr("Your case has a screenshot or picture."))
    return Finding(tr_n("Your case has %n screenshot or picture.",
                        "Your case has %n screenshots or pictures.", records.screenshots))


def _media(records: CaseRecords) -> Finding | None:
    if records.sensitive == 1:
        return Finding(tr("You added an item marked sensitive."))
    if records.sensitive:
        return Finding(tr_n("You added %n item marked sensitive.",
                            "You added %n items marked sensitive.", records.sensitive))
    if records.videos == 1:
        return Finding(tr("You added a video."))
    if records.videos:
        return Finding(tr_n("You added %n video.", "You added %n videos.", records.videos))
    return None


def _chat_exports(records: CaseRecords) -> Finding | None:
    if not records.chat_exports:
        return None
    return Finding(tr_n("You added a chat export, and its messages were read.",
                        "You added %n chat exports, and their messages were read.",
                        records.chat_exports))


def _crime_reference(records: CaseRecords) -> Finding | None:
    if not records.crime_reference:
        return None
    return Finding(
        tr("Your case details have the crime reference {value}.").format(
            value=shown_value(records.crime_reference)),
        reference=records.crime_reference,
    )


def _bank_told(records: CaseRecords) -> Finding | None:
    if not records.bank_told:
        return None
    if len(records.payment_statuses) == 1:
        return Finding(tr("Your payment is marked: bank told."))
    return Finding(tr("{n} of your {total} payments are marked: bank told.").format(
        n=records.bank_told, total=len(records.payment_statuses)))


def _payments_checked(records: CaseRecords) -> Finding | None:
    statuses = records.payment_statuses
    if not statuses or not all(status in _CHECKED for status in statuses):
        return None
    if len(statuses) == 1:
        return Finding(tr("Your payment says whether it was collected."))
    return Finding(tr("Every payment says whether it was collected."))


def _payments_settled(records: CaseRecords) -> Finding | None:
    statuses = records.payment_statuses
    if not statuses or not all(status in _SETTLED for status in statuses):
        return None
    collected = PaymentStatus.COLLECTED.value
    if len(statuses) == 1:
        if statuses[0] == collected:
            return Finding(tr("the payment was collected, so it cannot be cancelled."))
        return Finding(tr("the payment was cancelled."))
    if all(status == collected for status in statuses):
        return Finding(tr("every payment was collected, so none can be cancelled."))
    if all(status != collected for status in statuses):
        return Finding(tr("every payment was cancelled."))
    return Finding(tr("every payment was collected or cancelled."))


def _bundle_exported(records: CaseRecords) -> Finding | None:
    if records.last_export_at is None:
        return None
    local = records.last_export_at.astimezone()
    return Finding(tr("You prepared a bundle on {when}.").format(
        when=f"{local.day} {local.strftime('%b %Y, %H:%M')}"))


# The names are the pack's vocabulary (advice_schema.RECORD_FACTS); a test checks they match.
# "Not needed" reasons are written to follow "Not needed: ".
FACTS: Mapping[str, Callable[[CaseRecords], Finding | None]] = {
    "skype-id-saved": _skype_id,
    "their-accounts-saved": _accounts,
    "money-details-saved": _money_details,
    "screenshot-added": _screenshots,
    "media-added": _media,
    "crime-reference-saved": _crime_reference,
    "bank-told": _bank_told,
    "payments-checked": _payments_checked,
    "payments-settled": _payments_settled,
    "bundle-exported": _bundle_exported,
    "chat-export-added": _chat_exports,
}


def fact_finding(fact: str, records: CaseRecords) -> Finding | None:
    """Whether `fact` holds for the case, and why; None when it does not (or is not clear)."""
    evaluate = FACTS.get(fact)
    if evaluate is None:
        # The pack loader rejects unknown facts; this only guards hand-built items.
        raise ValueError(f"unknown record fact {fact!r}")
    return evaluate(records)


def first_finding(facts: tuple[str, ...], records: CaseRecords) -> Finding | None:
    """The first of `facts` that holds (a step lists facts in the order it prefers)."""
    for fact in facts:
        found = fact_finding(fact, records)
        if found is not None:
            return found
    return None
