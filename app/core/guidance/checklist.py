"""The checklist in a case: the advice pack (data in resources/) joined with what the person
has ticked (rows in the case file). Which items apply depends on the case: under 18, a payment
recorded, in danger now. The case's records can also show a step done (the panel offers to
tick it) or not needed (every payment collected or cancelled): see checklist_facts.py."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.core.guidance.advice import (
    AdviceItem,
    AdvicePack,
    ChecklistContext,
    Progress,
    applicable_items,
    load_pack,
    progress_summary,
)
from app.core.guidance.case_shows import CaseRecords, case_records_in, first_finding
from app.core.records import apply_changes, audit
from app.errors import NotFound
from app.i18n import tr
from app.models import CaseInfo, ChecklistProgress, Payment
from app.models.base import utc_now
from app.models.casefile import CaseFile


@lru_cache(maxsize=1)
def shipped_pack() -> AdvicePack:
    return load_pack()


@dataclass(frozen=True)
class ChecklistEntry:
    item: AdviceItem
    done: bool
    done_at: datetime | None
    reference: str
    note: str
    is_next: bool  # the first step not yet done: the panel highlights it
    # Why the case's records show this step done ("You saved a Skype ID: live:..."), whether
    # or not it is ticked; the panel offers to tick it. Never ticked without the person.
    case_shows_done: str | None = None
    # A number from the records the step can keep when ticked (the crime reference).
    suggested_reference: str | None = None
    # "Not needed: ..." when the records show the step is not needed and it is not ticked.
    not_needed: str | None = None

    @property
    def applies(self) -> bool:
        return self.not_needed is None

    @property
    def offer_tick(self) -> bool:
        """The records show it done, it is not ticked, and it still applies."""
        return self.case_shows_done is not None and not self.done and self.applies


@dataclass(frozen=True)
class ChecklistState:
    context: ChecklistContext
    entries: tuple[ChecklistEntry, ...]
    progress: Progress


def checklist_context(case: CaseFile) -> ChecklistContext:
    with case.read() as session:
        return checklist_context_in(session)


def checklist_context_in(session: Session) -> ChecklistContext:
    info = session.get(CaseInfo, 1)
    assert info is not None
    paid = bool(session.scalar(select(exists().where(Payment.id.is_not(None)))))
    return ChecklistContext(paid=paid, under_18=info.under_18, in_danger=info.in_danger_now)


def checklist_state(
    case: CaseFile, pack: AdvicePack | None = None, records: CaseRecords | None = None
) -> ChecklistState:
    with case.read() as session:
        return checklist_state_in(session, pack, records)


def checklist_state_in(
    session: Session, pack: AdvicePack | None = None, records: CaseRecords | None = None
) -> ChecklistState:
    """The checklist as `session` sees the case: its context, the case's records (unless
    given) and the ticks, all read in that one transaction."""
    pack = pack or shipped_pack()
    context = checklist_context_in(session)
    items = applicable_items(pack, context)
    records = records if records is not None else case_records_in(session)
    rows = {r.item_id: r for r in session.scalars(select(ChecklistProgress))}
    done_ids = {item_id for item_id, row in rows.items() if row.done}
    not_needed: dict[str, str] = {}
    for item in items:
        found = first_finding(item.not_needed_when, records)
        if found is not None and item.id not in done_ids:
            not_needed[item.id] = tr("Not needed: {reason}").format(reason=found.reason)
    # A step that is not needed is neither counted nor offered as the next one; a ticked step
    # always counts, so ticking never makes the count go down.
    progress = progress_summary([i for i in items if i.id not in not_needed], done_ids)
    entries = []
    for item in items:
        row = rows.get(item.id)
        shown = first_finding(item.done_when, records)
        entries.append(
            ChecklistEntry(
                item=item,
                done=bool(row and row.done),
                done_at=row.done_at if row else None,
                reference=row.reference if row else "",
                note=row.note if row else "",
                is_next=item.id == progress.next_item_id,
                case_shows_done=shown.reason if shown else None,
                suggested_reference=shown.reference if shown else None,
                not_needed=not_needed.get(item.id),
            )
        )
    return ChecklistState(context, tuple(entries), progress)


def mark_item(
    case: CaseFile,
    item_id: str,
    *,
    done: bool = True,
    reference: str | None = None,
    note: str | None = None,
    pack: AdvicePack | None = None,
) -> None:
    """Tick (or untick) an item, with an optional reference number and note. Audited."""
    pack = pack or shipped_pack()
    item = next((i for i in pack.items if i.id == item_id), None)
    if item is None:
        raise NotFound(tr("There is no checklist step called {id}.").format(id=item_id))
    with case.write() as session:
        row = session.get(ChecklistProgress, item_id)
        if row is None:
            row = ChecklistProgress(item_id=item_id)
            session.add(row)
        was_done = row.done
        row.done = done
        if done and not was_done:
            row.done_at = utc_now()
        if not done:
            row.done_at = None
        if reference is not None:
            row.reference = reference
        if note is not None:
            row.note = note
        audit(
            session,
            case.actor,
            "checklist.done" if done else "checklist.undone",
            f"checklist:{item_id}",
            {"reference": row.reference, "note": row.note},
        )
        if item.reference_fills == "crime-reference" and row.reference:
            # The crime reference from the police belongs to the case too (cover page, copy
            # texts): fill it when it is still empty, never overwrite one typed on purpose.
            info = session.get(CaseInfo, 1)
            assert info is not None
            if not info.crime_reference:
                changed = apply_changes(info, {"crime_reference": row.reference})
                audit(session, case.actor, "case.edit", "case", changed)
