"""What happened, in order: first contact, a move to another platform, threats, demands,
payments, reports. Times may be approximate: people under stress forget, and "about 9 pm on
a Friday" is still useful to officers."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from app.core.records.audited import apply_changes, audit, get_or_fail, linked_ids, set_links
from app.errors import InvalidInput, NotFound
from app.i18n import tr
from app.models import EvidenceItem, Identifier, Payment, TimelineEvent, TimelineKind
from app.models.casefile import CaseFile
from app.models.records import timeline_evidence, timeline_identifier, timeline_payment

KIND_LABELS: dict[TimelineKind, str] = {
    TimelineKind.FIRST_CONTACT: "First contact",
    TimelineKind.MOVED_PLATFORM: "Moved to another app or site",
    TimelineKind.THREAT: "Threat",
    TimelineKind.DEMAND: "Demand for money",
    TimelineKind.PAYMENT: "Payment",
    TimelineKind.REPORT: "Report made",
    TimelineKind.OTHER: "Other",
}

# (link table, its column for the other side, the model that side must exist in)
_LINKS: dict[str, tuple[Table, str, type[EvidenceItem | Identifier | Payment]]] = {
    "evidence": (timeline_evidence, "evidence_item_id", EvidenceItem),
    "identifiers": (timeline_identifier, "identifier_id", Identifier),
    "payments": (timeline_payment, "payment_id", Payment),
}


@dataclass(frozen=True)
class TimelineRow:
    id: int
    occurred_at: datetime
    approximate: bool
    kind: TimelineKind
    description: str
    evidence_ids: tuple[int, ...]
    identifier_ids: tuple[int, ...]
    payment_ids: tuple[int, ...]


def kind_label(kind: TimelineKind) -> str:
    return tr(KIND_LABELS[kind])


def parse_kind(keyword: str) -> TimelineKind:
    try:
        return TimelineKind(keyword)
    except ValueError:
        raise InvalidInput(
            tr("Unknown kind of event. Use one of: {choices}.").format(
                choices=", ".join(k.value for k in TimelineKind)
            )
        ) from None


def _set_all_links(
    session: Session, event_id: int, links: dict[str, Iterable[int] | None]
) -> dict[str, list[list[int]]]:
    changed: dict[str, list[list[int]]] = {}
    for name, ids in links.items():
        if ids is None:
            continue
        table, column, model = _LINKS[name]
        wanted = sorted(set(ids))
        found = (
            set(session.scalars(select(model.id).where(model.id.in_(wanted)))) if wanted else set()
        )
        if missing := [i for i in wanted if i not in found]:
            raise NotFound(
                tr("Some linked items no longer exist ({ids}).").format(
                    ids=", ".join(map(str, missing))
                )
            )
        added, removed = set_links(session, table, "timeline_event_id", event_id, column, wanted)
        if added or removed:
            changed[name] = [removed, added]
    return changed


def add_event(
    case: CaseFile,
    occurred_at: datetime,
    description: str,
    *,
    kind: str = TimelineKind.OTHER,
    approximate: bool = False,
    evidence_ids: Iterable[int] = (),
    identifier_ids: Iterable[int] = (),
    payment_ids: Iterable[int] = (),
) -> int:
    with case.write() as session:
        return add_event_in(session, case.actor, occurred_at, description, kind=kind,
                            approximate=approximate, evidence_ids=evidence_ids,
                            identifier_ids=identifier_ids, payment_ids=payment_ids)


def add_event_in(
    session: Session,
    actor: str,
    occurred_at: datetime,
    description: str,
    *,
    kind: str = TimelineKind.OTHER,
    approximate: bool = False,
    evidence_ids: Iterable[int] = (),
    identifier_ids: Iterable[int] = (),
    payment_ids: Iterable[int] = (),
    audit_extra: dict[str, object] | None = None,
) -> int:
    """`add_event` inside a transaction the caller holds; `audit_extra` says where the event
    came from (a message), in the same audit event."""
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.astimezone()  # a time a person typed is local time
    row_kind = parse_kind(kind)
    row = TimelineEvent(
        occurred_at=occurred_at,
        description=description,
        kind=row_kind.value,
        approximate=approximate,
    )
    session.add(row)
    session.flush()
    links = _set_all_links(
        session,
        row.id,
        {"evidence": evidence_ids, "identifiers": identifier_ids, "payments": payment_ids},
    )
    audit(
        session,
        actor,
        "timeline.add",
        f"timeline:{row.id}",
        {
            "occurred_at": occurred_at,
            "approximate": approximate,
            "kind": row_kind.value,
            "description": description,
            "links": links,
            **(audit_extra or {}),
        },
    )
    return row.id


def edit_event(
    case: CaseFile,
    event_id: int,
    *,
    occurred_at: datetime | None = None,
    description: str | None = None,
    kind: str | None = None,
    approximate: bool | None = None,
    evidence_ids: Iterable[int] | None = None,
    identifier_ids: Iterable[int] | None = None,
    payment_ids: Iterable[int] | None = None,
) -> None:
    changes: dict[str, object] = {}
    if occurred_at is not None:
        changes["occurred_at"] = occurred_at if occurred_at.tzinfo else occurred_at.astimezone()
    if description is not None:
        changes["description"] = description
    if kind is not None:
        changes["kind"] = parse_kind(kind).value
    if approximate is not None:
        changes["approximate"] = approximate
    with case.write() as session:
        row = get_or_fail(session, TimelineEvent, event_id, "timeline event")
        changed: dict[str, object] = dict(apply_changes(row, changes))
        changed.update(
            _set_all_links(
                session,
                row.id,
                {"evidence": evidence_ids, "identifiers": identifier_ids, "payments": payment_ids},
            )
        )
        if changed:
            audit(session, case.actor, "timeline.edit", f"timeline:{row.id}", changed)


def remove_event(case: CaseFile, event_id: int) -> None:
    with case.write() as session:
        row = get_or_fail(session, TimelineEvent, event_id, "timeline event")
        audit(
            session,
            case.actor,
            "timeline.remove",
            f"timeline:{row.id}",
            {"occurred_at": row.occurred_at, "description": row.description},
        )
        session.delete(row)  # link rows go with it (ON DELETE CASCADE)


def timeline_rows(session: Session) -> list[TimelineRow]:
    ev = linked_ids(session, timeline_evidence, "timeline_event_id", "evidence_item_id")
    ids = linked_ids(session, timeline_identifier, "timeline_event_id", "identifier_id")
    pay = linked_ids(session, timeline_payment, "timeline_event_id", "payment_id")
    rows = session.scalars(
        select(TimelineEvent).order_by(TimelineEvent.occurred_at, TimelineEvent.id)
    )
    return [
        TimelineRow(
            id=r.id,
            occurred_at=r.occurred_at,
            approximate=r.approximate,
            kind=TimelineKind(r.kind),
            description=r.description,
            evidence_ids=tuple(ev.get(r.id, ())),
            identifier_ids=tuple(ids.get(r.id, ())),
            payment_ids=tuple(pay.get(r.id, ())),
        )
        for r in rows
    ]


def list_events(case: CaseFile) -> list[TimelineRow]:
    with case.read() as session:
        return timeline_rows(session)
