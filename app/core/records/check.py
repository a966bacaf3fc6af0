"""`safekeep check`: is the case file whole, is every piece of evidence as it arrived, and does
the audit chain verify? Reports problems as sentences; never repairs anything by itself.

"As it arrived" is checked twice: against the hash stored with the item, and against the hash
and size the audit log recorded when it arrived (someone holding the passphrase, or a bug,
could change an item's bytes and its stored hash together; the chained log would still hold
the original). The chain's length and last hash are also kept outside the audit table, so
events cut from its end are noticed. A damaged page inside one item's content names that item
and the check goes on with the others."""

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import sqlcipher3
from sqlalchemy import select
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session

from app.errors import NotACaseFile
from app.i18n import tr, tr_n
from app.models import EvidenceItem
from app.models.audit import (
    AuditEvent,
    ChainReport,
    audit_rows,
    recorded_head,
    verify_chain,
)
from app.models.casefile import CaseFile
from app.models.content import StoredContent, hash_content, hash_contents

# Items hashed per read transaction: one query for a batch rather than one per item (30,000
# small items took 9 s that way, nearly all of it per-query cost), and a short transaction
# each, so a long check never holds the case's write-ahead log back for minutes.
_HASH_BATCH = 200


@dataclass
class CheckReport:
    evidence_checked: int = 0
    audit: ChainReport | None = None
    problems: list[str] = field(default_factory=list)
    damaged_items: list[int] = field(default_factory=list)  # content that could not be read
    # How many of `problems`, first in the list, are about the file's own pages and structure
    # (SQLCipher's and SQLite's findings), rather than about one item or the audit log.
    file_problems: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def hash_stored_content(case: CaseFile, evidence_id: int) -> tuple[str, int]:
    """SHA-256 and size of an item's stored bytes, read chunk by chunk (bounded memory)."""
    with case.read() as session:
        stored = hash_content(session, evidence_id)
    return stored.sha256, stored.size


def arrivals(session: Session) -> dict[int, tuple[object, object]]:
    """Evidence id -> (sha256, size) as its `evidence.add` event recorded them. The latest
    event wins: an id can be given again after the item that had it was removed."""
    found: dict[int, tuple[object, object]] = {}
    table = AuditEvent.__table__.c
    added = select(table.subject, table.details).where(
        table.action == "evidence.add").order_by(table.id)
    for subject, details in audit_rows(session, added):
        kind, _, number = subject.partition(":")
        if kind != "evidence" or not number.isdigit():
            continue
        try:
            recorded = json.loads(details)
        except ValueError:
            recorded = {}
        if isinstance(recorded, dict):
            found[int(number)] = (recorded.get("sha256"), recorded.get("size"))
    return found


def check_case(case: CaseFile, progress: Callable[[int, int], None] | None = None,
               check_cancel: Callable[[], None] = lambda: None) -> CheckReport:
    """Check the whole case. `progress(items done, items)` is called after each batch of
    items; `check_cancel()` is called as often, and may raise to stop the check."""
    report = CheckReport()
    with case.read() as session:
        pages_damaged = _check_file(session, report)
    report.file_problems = len(report.problems)
    with case.read() as session:
        items = session.execute(
            select(
                EvidenceItem.id, EvidenceItem.sha256, EvidenceItem.size, EvidenceItem.original_name
            ).order_by(EvidenceItem.id)
        ).all()
        recorded = arrivals(session)
        report.audit = verify_chain(session)
        head = recorded_head(session)
    for start in range(0, len(items), _HASH_BATCH):
        check_cancel()
        if progress is not None:
            progress(start, len(items))
        batch = items[start : start + _HASH_BATCH]
        for item, stored in zip(batch, _hashed(case, [item.id for item in batch]), strict=True):
            name = {"id": item.id, "name": item.original_name}
            if stored is None or (pages_damaged and stored != StoredContent(item.sha256,
                                                                            item.size)):
                # A damaged page may also read as zeros (see has_damaged_pages): with damage
                # in the file, content that differs from its hash is that damage.
                report.damaged_items.append(item.id)
                report.problems.append(tr(
                    "Evidence item {id} ({name}) is damaged in the case file: its content "
                    "cannot be read back.").format(**name))
                continue
            report.evidence_checked += 1
            if stored != StoredContent(item.sha256, item.size):
                report.problems.append(tr(
                    "Evidence item {id} ({name}) no longer matches the hash taken when it "
                    "arrived.").format(**name))
            elif item.id not in recorded:
                report.problems.append(tr(
                    "Evidence item {id} ({name}) has no record of its arrival in the audit log."
                ).format(**name))
            elif recorded[item.id] != (item.sha256, item.size):
                report.problems.append(tr(
                    "Evidence item {id} ({name}) is not what the audit log recorded when it "
                    "arrived: its content and stored hash were both changed.").format(**name))
    _check_chain(report, head)
    return report


def unreadable_items(case: CaseFile, evidence_ids: Sequence[int],
                     check_cancel: Callable[[], None] = lambda: None) -> list[int]:
    """The items among `evidence_ids` whose content cannot be read back from the case file (a
    damaged page), in the order given. Each is read whole; used when an export met damage, to
    leave exactly the damaged items out."""
    found: list[int] = []
    for start in range(0, len(evidence_ids), _HASH_BATCH):
        check_cancel()
        batch = evidence_ids[start : start + _HASH_BATCH]
        found.extend(i for i, stored in zip(batch, _hashed(case, batch), strict=True)
                     if stored is None)
    return found


def has_damaged_pages(case: CaseFile) -> bool:
    """Whether any page of the case file fails SQLCipher's check. A damaged page does not
    always stop a read: one at the very end of the file has been seen to read as zeros, so an
    item's content that no longer matches its hash is damage, not a change, when this says
    so."""
    try:
        with case.read() as session:
            conn = session.connection()
            damaged = bool(conn.exec_driver_sql("PRAGMA cipher_integrity_check").first())
    except NotACaseFile:
        damaged = True
    if damaged:
        case.drop_idle_connections()
    return damaged


def _hashed(case: CaseFile, batch: Sequence[int]) -> Iterator[StoredContent | None]:
    """The stored content's hash of each item of `batch`, in order, or None where a damaged
    page stops it being read. A batch is one query; only a batch that meets damage is read
    again item by item, to name the damaged one (the connection that met it is dropped: see
    connection._forget_damaged)."""
    try:
        with case.read() as session:
            stored = hash_contents(session, list(batch))
        yield from (stored[i] for i in batch)
        return
    except NotACaseFile:
        pass
    for evidence_id in batch:
        try:
            with case.read() as session:
                yield hash_content(session, evidence_id)
        except NotACaseFile:
            yield None


def _check_file(session: Session, report: CheckReport) -> bool:
    """Adds the file's problems to `report`; True when a page fails SQLCipher's check."""
    conn = session.connection()
    # SQLCipher checks the HMAC of every page; SQLite checks the b-trees.
    for row in conn.exec_driver_sql("PRAGMA cipher_integrity_check"):
        report.problems.append(
            tr("Part of the file is damaged ({detail}).").format(detail=row[0])
        )
    pages_damaged = bool(report.problems)
    try:
        # SQLite may give all its findings as one row of many lines: a line each.
        integrity = [line.strip() for r in conn.exec_driver_sql("PRAGMA integrity_check")
                     for line in str(r[0]).splitlines() if line.strip()]
    except (SADatabaseError, sqlcipher3.DatabaseError):  # a damaged page stops SQLite's walk
        integrity = ["a damaged page stopped the check of the structure"]
    if report.problems or integrity != ["ok"]:
        # A walk that met a damaged page leaves this connection failing every statement
        # after it (see connection._forget_damaged): start the rest on a fresh one.
        conn.invalidate()
    if integrity != ["ok"]:
        findings = [line for line in integrity if not line.startswith("***")]
        detail = "; ".join(findings[:3])
        if len(findings) > 3:  # one damaged page can make a hundred findings: the first say it
            detail += "; " + tr_n("and %n more", "and %n more", len(findings) - 3)
        report.problems.append(
            tr("The database structure is damaged ({detail}).").format(detail=detail))
    return pages_damaged


def _check_chain(report: CheckReport, head: tuple[int, str] | None) -> None:
    assert report.audit is not None
    if report.audit.first_broken_id is not None:
        report.problems.append(
            tr("The audit log is broken at event {id}: {problem}.").format(
                id=report.audit.first_broken_id, problem=tr(report.audit.problem or "")
            )
        )
    elif head is not None and head != (report.audit.events, report.audit.head):
        report.problems.append(tr(
            "The audit log ends at event {count}, but the case recorded that it ends at event "
            "{recorded}: events are missing from its end.").format(
                count=report.audit.events, recorded=head[0]))
