"""Exhibits removed from the case before this bundle was made, from the audit log.

Exhibit numbers are never reused, so a removed item leaves a gap ("AB/5, AB/7"). An officer,
and later the defence, will ask what AB/6 was: the report, csv/continuity.csv and
manifest.json say, from the `evidence.remove` event (its name, SHA-256, when, by whom and why)
and the item's last `evidence.add` event before it (how, when and by whom it arrived, and its
number when the removal did not record it: a Safekeep from before it did).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.records import exhibit_reference
from app.export.audit_reading import event_details, local_then, recorded_time
from app.export.casedata import CaseSnapshot
from app.export.continuity import source_label
from app.export.csv_export import Cell
from app.export.formatting import iso_utc, one_line, utc_text
from app.i18n import tr

_MEMO = "removed_exhibits"


@dataclass(frozen=True, slots=True)
class Arrival:
    """What the item's `evidence.add` event recorded (the item itself is gone)."""

    event_id: int
    at: datetime
    actor: str
    details: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Removed:
    number: int | None  # None: neither audit event recorded it
    name: str
    sha256: str
    at: datetime
    actor: str
    reason: str
    event_id: int
    arrival: Arrival | None = None  # None: no `evidence.add` event before the removal


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
    # Each item's arrivals (an id could in principle be used again after a removal): the last
    # before its removal is the one removed. Only the removed items' events are parsed.
    wanted = {item_id for item_id, _, _ in removals}
    arrivals: dict[int, list[Arrival]] = {}
    for event in snap.audit:
        if event.action != "evidence.add":
            continue
        kind, _, raw_id = event.subject.partition(":")
        if kind == "evidence" and raw_id.isdigit() and int(raw_id) in wanted:
            arrivals.setdefault(int(raw_id), []).append(
                Arrival(event.id, event.at, event.actor, event_details(event.details)))
    found = []
    for item_id, _, removed in removals:
        earlier = [a for a in arrivals.get(item_id, []) if a.event_id < removed.event_id]
        arrival = earlier[-1] if earlier else None
        number = removed.number
        if number is None and arrival is not None:
            number = _number(arrival.details.get("exhibit_number"))
        found.append(Removed(number, removed.name, removed.sha256, removed.at, removed.actor,
                             removed.reason, removed.event_id, arrival))
    found.sort(key=lambda r: (r.number is None, r.number or 0, r.event_id))
    return found


def _number(value: object) -> int | None:
    return value if type(value) is int and value > 0 else None


def removed_continuity_row(snap: CaseSnapshot, removed: Removed) -> list[Cell]:
    """A removed exhibit's row in csv/continuity.csv (its columns: continuity.CSV_HEADER).
    Its arrival is as recorded then; nothing of it is in the bundle to check at export."""
    arrival = removed.arrival
    got: dict[str, Any] = arrival.details if arrival is not None else {}
    source = str(got.get("source") or "")
    reason = one_line(removed.reason.strip(), 200)
    since = tr("{when} removed from the case by {who}").format(
        when=iso_utc(removed.at), who=removed.actor or tr("someone not named"))
    if reason:
        since += tr(": “{reason}”").format(reason=reason)
    size = got.get("size")
    return [
        removed_reference(snap, removed), source, source_label(source) if source else "",
        iso_utc(arrival.at) if arrival else "",
        local_then(arrival.at, got.get("utc_offset")) if arrival else "",
        arrival.actor if arrival else "", str(got.get("account") or ""),
        removed.name or str(got.get("name") or ""), "", "", "",
        iso_utc(recorded_time(got.get("file_modified"), None)),
        iso_utc(recorded_time(got.get("file_created"), None)), size if type(size) is int else "",
        removed.sha256 or str(got.get("sha256") or ""), "",
        tr("removed from the case before this bundle was made: not in it"),
        tr("audit event {id}").format(id=removed.event_id), since]


def removed_manifest_entry(snap: CaseSnapshot, removed: Removed) -> dict[str, Any]:
    """A removed exhibit in manifest.json's `removed_evidence`."""
    arrival = removed.arrival
    return {
        "exhibit": None if removed.number is None else removed_reference(snap, removed),
        "name": removed.name, "sha256": removed.sha256 or None,
        "removed_at": iso_utc(removed.at), "removed_by": removed.actor,
        "reason": removed.reason, "audit_event": removed.event_id,
        "added_at": iso_utc(arrival.at) if arrival else None,
        "added_by": arrival.actor if arrival else None,
        "add_audit_event": arrival.event_id if arrival else None,
    }
