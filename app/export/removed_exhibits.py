"""Exhibits removed from the case before this bundle was made, from the audit log.

Exhibit numbers are never reused, so a removed item leaves a gap ("AB/5, AB/7"). An officer,
and later the defence, will ask what AB/6 was: the report says, from the `evidence.remove`
event (its name, SHA-256, when, by whom and why) and the item's `evidence.add` event for its
number when the removal did not record it (a Safekeep from before it did).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.records import exhibit_reference
from app.export.casedata import CaseSnapshot
from app.export.continuity import event_details
from app.export.formatting import one_line, utc_text
from app.i18n import tr

_MEMO = "removed_exhibits"


@dataclass(frozen=True, slots=True)
class Removed:
    number: int | None  # None: neither audit event recorded it
    name: str
    sha256: str
    at: datetime
    actor: str
    reason: str
    event_id: int


def read_removed(snap: CaseSnapshot) -> list[Removed]:
    """The removed exhibits in exhibit order (unnumbered ones last), read once per snapshot
    (kept in `snap.memo`: the report drawn in a process of its own cannot read the case)."""
    if _MEMO not in snap.memo:
        snap.memo[_MEMO] = _from_audit(snap)
    found: list[Removed] = snap.memo[_MEMO]
    return found


def removed_reference(snap: CaseSnapshot, removed: Removed) -> str:
    if removed.number is None:
        return tr("no number recorded")
    return exhibit_reference(snap.summary.producer_initials, removed.number)


def removed_line(snap: CaseSnapshot, removed: Removed) -> str:
    """One removed exhibit in words, for the report."""
    reason = removed.reason.strip()
    return tr("{ref}: {name}, SHA-256 {sha}, removed {when} by {who}{why} (audit event "
              "{id})").format(
        ref=removed_reference(snap, removed), name=one_line(removed.name, 120),
        sha=removed.sha256 or tr("not recorded"), when=utc_text(removed.at, seconds=False),
        who=removed.actor or tr("someone not named"),
        why=tr(", because “{reason}”").format(reason=one_line(reason, 200)) if reason else "",
        id=removed.event_id)


def _from_audit(snap: CaseSnapshot) -> list[Removed]:
    removals: list[tuple[int, dict[str, Any], Removed]] = []
    for event in snap.audit:
        if event.action != "evidence.remove":
            continue
        kind, _, raw_id = event.subject.partition(":")
        if kind != "evidence" or not raw_id.isdigit():
            continue
        details = event_details(event.details)
        removals.append((int(raw_id), details, Removed(
            _number(details.get("exhibit_number")), str(details.get("name") or ""),
            str(details.get("sha256") or ""), event.at, event.actor,
            str(details.get("reason") or ""), event.id)))
    if not removals:
        return []
    # Numbers the removal did not record: from the last `evidence.add` of that item before it.
    wanted = {item_id for item_id, _, r in removals if r.number is None}
    numbers: dict[int, list[tuple[int, int | None]]] = {}  # item id -> [(add event, number)]
    if wanted:
        for event in snap.audit:
            if event.action != "evidence.add":
                continue
            kind, _, raw_id = event.subject.partition(":")
            if kind == "evidence" and raw_id.isdigit() and int(raw_id) in wanted:
                numbers.setdefault(int(raw_id), []).append(
                    (event.id, _number(event_details(event.details).get("exhibit_number"))))
    found = []
    for item_id, _, removed in removals:
        if removed.number is None:
            earlier = [n for event_id, n in numbers.get(item_id, []) if event_id < removed.event_id]
            if earlier and earlier[-1] is not None:
                removed = Removed(earlier[-1], removed.name, removed.sha256, removed.at,
                                  removed.actor, removed.reason, removed.event_id)
        found.append(removed)
    found.sort(key=lambda r: (r.number is None, r.number or 0, r.event_id))
    return found


def _number(value: object) -> int | None:
    return value if type(value) is int and value > 0 else None

