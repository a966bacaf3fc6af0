"""The plain facts the copy-ready texts need (police summary, platform report, bank call
script), gathered from an open case. Runs in a worker thread in the app."""

from datetime import date, datetime

from app.core.guidance.copy_texts import (
    CaseFacts,
    IdentifierFact,
    PaymentFact,
    bank_call_script,
    platform_report,
    police_summary,
)
from app.core.guidance.schema import ChecklistAction
from app.core.records import (
    MonthOnly,
    amount_plain,
    case_summary,
    list_events,
    list_identifiers,
    list_payments,
)
from app.models import TimelineKind
from app.models.casefile import CaseFile


def _local_time(value: datetime) -> str:
    local = value.astimezone()
    return f"{local.day} {local.strftime('%b %Y, %H:%M')}"


def _paid_on(value: date | None) -> str | None:
    """As the other dates in the text are written ("6 Dec 2026"; a month alone, "March
    2025"): the payment's had read "2026-12-06" beside "4 Dec 2026, 21:00"."""
    if value is None:
        return None
    if isinstance(value, MonthOnly):
        return value.words()
    return f"{value.day} {value.strftime('%b %Y')}"


def case_facts(case: CaseFile) -> CaseFacts:
    summary = case_summary(case)
    events = list_events(case)
    first = next((e for e in events if e.kind is TimelineKind.FIRST_CONTACT), None)
    return CaseFacts(
        display_name=summary.display_name,
        under_18=summary.under_18,
        first_contact=_local_time(first.occurred_at) if first is not None else None,
        identifiers=[
            IdentifierFact(i.type.value, i.value, i.platform) for i in list_identifiers(case)
        ],
        payments=[
            PaymentFact(
                _paid_on(p.paid_on),
                amount_plain(p.amount),
                p.currency,
                p.method.value,
                p.reference or None,
                p.status.value,
                p.recipient_name or None,
            )
            for p in list_payments(case)
        ],
        evidence_count=summary.evidence_items,
        crime_reference=summary.crime_reference,
    )


def copy_text_for(case: CaseFile, action: ChecklistAction) -> str:
    """The text for one of the checklist's copy actions (`action.copies_text`)."""
    facts = case_facts(case)
    if action is ChecklistAction.COPY_POLICE_SUMMARY:
        return police_summary(facts)
    if action is ChecklistAction.COPY_PLATFORM_REPORT:
        return platform_report(facts)
    if action is ChecklistAction.COPY_BANK_SCRIPT:
        return bank_call_script(facts)
    raise ValueError(f"not a copy action: {action}")
