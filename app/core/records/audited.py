"""Small shared helpers for audited changes: every add, edit and removal of a record goes
through here, so the change and its audit event share one transaction."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import Table, delete, insert, select
from sqlalchemy.orm import Session

from app.errors import NotFound
from app.i18n import tr
from app.models import Base, EvidenceItem
from app.models.audit import ChainWriter, append_event

RowT = TypeVar("RowT", bound=Base)


def plain(value: Any) -> Any:
    """A JSON-friendly form of a column value, for audit details."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def get_or_fail(session: Session, model: type[RowT], row_id: int, what: str) -> RowT:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(tr("There is no {what} with number {id}.").format(what=tr(what), id=row_id))
    return row


def apply_changes(row: Base, changes: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Set the given attributes; return {field: [old, new]} for those that really changed."""
    changed: dict[str, list[Any]] = {}
    for name, new in changes.items():
        old = getattr(row, name)
        if old != new:
            setattr(row, name, new)
            changed[name] = [plain(old), plain(new)]
    return changed


def check_evidence_ids(session: Session, evidence_ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(evidence_ids))
    if not wanted:
        return []
    found = set(session.scalars(select(EvidenceItem.id).where(EvidenceItem.id.in_(wanted))))
    missing = [i for i in wanted if i not in found]
    if missing:
        raise NotFound(
            tr("There is no evidence item with number {id}.").format(
                id=", ".join(map(str, missing))
            )
        )
    return wanted


def set_links(
    session: Session,
    table: Table,
    left_col: str,
    left_id: int,
    right_col: str,
    right_ids: Iterable[int],
) -> tuple[list[int], list[int]]:
    """Make the links of one row exactly `right_ids`; return (added, removed)."""
    left = table.c[left_col]
    right = table.c[right_col]
    current = set(session.scalars(select(right).where(left == left_id)))
    wanted = set(right_ids)
    added = sorted(wanted - current)
    removed = sorted(current - wanted)
    if removed:
        session.execute(delete(table).where(left == left_id, right.in_(removed)))
    if added:
        session.execute(insert(table), [{left_col: left_id, right_col: r} for r in added])
    return added, removed


def linked_ids(
    session: Session, table: Table, left_col: str, right_col: str
) -> dict[int, list[int]]:
    """All links of a table as {left id: [right ids]} in one query (no N+1 in lists)."""
    out: dict[int, list[int]] = {}
    for left_id, right_id in session.execute(
        select(table.c[left_col], table.c[right_col]).order_by(table.c[right_col])
    ):
        out.setdefault(left_id, []).append(right_id)
    return out


def audit(
    session: Session, actor: str, action: str, subject: str, details: Mapping[str, Any]
) -> None:
    append_event(session, actor, action, subject, {k: plain(v) for k, v in details.items()})


class AuditBatch:
    """`audit()` for many changes in one transaction (a group of imported items): the same
    events, details and chain, written with one statement at `write()`."""

    def __init__(self, session: Session, actor: str) -> None:
        self._chain = ChainWriter(session)
        self._actor = actor

    def add(self, action: str, subject: str, details: Mapping[str, Any]) -> None:
        self._chain.add(self._actor, action, subject, {k: plain(v) for k, v in details.items()})

    def write(self) -> None:
        self._chain.write()
