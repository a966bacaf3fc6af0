"""`safekeep check`: is the case file whole, is every piece of evidence as it arrived, and does
the audit chain verify? Reports problems as sentences; never repairs anything by itself."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.i18n import tr
from app.models import EvidenceItem
from app.models.audit import ChainReport, verify_chain
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

    @property
    def ok(self) -> bool:
        return not self.problems


def hash_stored_content(case: CaseFile, evidence_id: int) -> tuple[str, int]:
    """SHA-256 and size of an item's stored bytes, read chunk by chunk (bounded memory)."""
    with case.read() as session:
        stored = hash_content(session, evidence_id)
    return stored.sha256, stored.size


def check_case(case: CaseFile) -> CheckReport:
    report = CheckReport()
    with case.read() as session:
        conn = session.connection()
        # SQLCipher checks the HMAC of every page; SQLite checks the b-trees.
        for row in conn.exec_driver_sql("PRAGMA cipher_integrity_check"):
            report.problems.append(
                tr("Part of the file is damaged ({detail}).").format(detail=row[0])
            )
        integrity = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
        if integrity != ["ok"]:
            report.problems.append(
                tr("The database structure is damaged ({detail}).").format(
                    detail="; ".join(integrity[:3])
                )
            )
        items = session.execute(
            select(
                EvidenceItem.id, EvidenceItem.sha256, EvidenceItem.size, EvidenceItem.original_name
            ).order_by(EvidenceItem.id)
        ).all()
        report.audit = verify_chain(session)
    for start in range(0, len(items), _HASH_BATCH):
        batch = items[start : start + _HASH_BATCH]
        with case.read() as session:
            stored = hash_contents(session, [item.id for item in batch])
        for item in batch:
            report.evidence_checked += 1
            if stored[item.id] != StoredContent(item.sha256, item.size):
                report.problems.append(
                    tr("Evidence item {id} ({name}) no longer matches the hash taken when it "
                       "arrived.").format(id=item.id, name=item.original_name)
                )
    if report.audit.first_broken_id is not None:
        report.problems.append(
            tr("The audit log is broken at event {id}: {problem}.").format(
                id=report.audit.first_broken_id, problem=tr(report.audit.problem or "")
            )
        )
    return report
