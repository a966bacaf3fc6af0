"""`safekeep list ...`: rows for --json and one readable line per row."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from app.core.records import (
    EvidenceRow,
    IdentifierRow,
    PaymentRow,
    TimelineRow,
    kind_label,
    list_events,
    list_evidence,
    list_identifiers,
    list_payments,
    method_label,
    status_label,
)
from app.models import AuditEvent
from app.models.casefile import CaseFile

Lister = Callable[[CaseFile], tuple[list[Any], Callable[[Any], str]]]


def _evidence(case: CaseFile) -> tuple[list[Any], Callable[[Any], str]]:
    def line(e: EvidenceRow) -> str:
        flag = " [sensitive]" if e.sensitive else ""
        return (
            f"#{e.id}  {e.sha256[:12]}  {e.size:>10}  {e.detected_type:<24} {e.original_name}{flag}"
        )

    return list_evidence(case), line


def _identifiers(case: CaseFile) -> tuple[list[Any], Callable[[Any], str]]:
    def line(i: IdentifierRow) -> str:
        extra = f"  ({i.platform})" if i.platform else ""
        unsure = " [unsure]" if i.unsure else ""
        return f"#{i.id}  {i.type.value:<13} {i.value}{extra}{unsure}"

    return list_identifiers(case), line


def _payments(case: CaseFile) -> tuple[list[Any], Callable[[Any], str]]:
    def line(p: PaymentRow) -> str:
        when = p.paid_on.isoformat() if p.paid_on else "date not known"
        return (
            f"#{p.id}  {when}  {p.amount} {p.currency}  {method_label(p.method)}  "
            f"{p.reference}  {status_label(p.status)}"
        )

    return list_payments(case), line


def _timeline(case: CaseFile) -> tuple[list[Any], Callable[[Any], str]]:
    def line(t: TimelineRow) -> str:
        about = "about " if t.approximate else ""
        when = t.occurred_at.astimezone().strftime("%Y-%m-%d %H:%M")
        return f"#{t.id}  {about}{when}  {kind_label(t.kind)}: {t.description}"

    return list_events(case), line


def _audit(case: CaseFile) -> tuple[list[Any], Callable[[Any], str]]:
    with case.read() as session:
        rows = [
            {
                "id": a.id,
                "at": a.at,
                "actor": a.actor,
                "action": a.action,
                "subject": a.subject,
                "details": a.details,
                "prev_hash": a.prev_hash,
                "hash": a.hash,
            }
            for a in session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]

    def line(a: dict[str, Any]) -> str:
        when = a["at"].isoformat(timespec="seconds")
        return f"#{a['id']}  {when}  {a['actor']}  {a['action']}  {a['subject']}  {a['details']}"

    return rows, line


LISTERS: dict[str, Lister] = {
    "evidence": _evidence,
    "identifiers": _identifiers,
    "payments": _payments,
    "timeline": _timeline,
    "audit": _audit,
}
