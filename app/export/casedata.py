"""Everything a bundle shows, read from the case once, in one read transaction, so the report,
the CSV files and the manifest describe exactly the same state of the case (and none of them
queries the case file itself)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from sys import intern
from typing import Any

from sqlalchemy import func, select

from app import __version__
from app.core.guidance import ChecklistState, checklist_state_in
from app.core.reading import UncheckedDetail, recognised_texts_in, unchecked_details_in
from app.core.records import (
    BundleMarks,
    CaseSummary,
    ChatFile,
    ConversationRow,
    EvidenceRow,
    IdentifierRow,
    PaymentRow,
    TimelineRow,
    Totals,
    bundle_marks_in,
    case_summary_in,
    chat_files,
    conversation_rows,
    evidence_rows,
    exhibit_file_stem,
    exhibit_reference,
    identifier_rows,
    payment_rows,
    payment_totals,
    timeline_rows,
)
from app.export.exhibit_rows import ExhibitRows
from app.models import AuditEvent
from app.models.audit import ChainReport, audit_rows, verify_chain
from app.models.casefile import CaseFile


@dataclass(frozen=True, slots=True)  # one per audit event: tens of thousands in a big case
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    subject: str
    details: str
    prev_hash: str
    hash: str


_AUDIT = AuditEvent.__table__.c
_AUDIT_COLUMNS = select(_AUDIT.id, _AUDIT.at, _AUDIT.actor, _AUDIT.action, _AUDIT.subject,
                        _AUDIT.details, _AUDIT.prev_hash, _AUDIT.hash).order_by(_AUDIT.id)


class AuditLog:
    """The snapshot's audit log: every event up to the last one the snapshot saw, read again
    from the case at each walk, never held (it is tens of megabytes in a case of 30,000
    items: an event per item at least). The log is append-only and the walk stops at the
    snapshot's last event, so every walk gives the events the snapshot's chain check
    verified, whatever was added since."""

    def __init__(self, case: CaseFile, count: int, first: AuditRow | None,
                 last: AuditRow | None) -> None:
        self._case: CaseFile | None = case
        self._count = count
        self.first = first
        self.last = last

    def __len__(self) -> int:
        return self._count

    def cut_off(self) -> None:
        """Never read the case again: in a process forked to draw the report, which must not
        use the parent's connections (a walk there raises instead)."""
        self._case = None

    def __bool__(self) -> bool:
        return self._count > 0

    def __iter__(self) -> Iterator[AuditRow]:
        if self.last is None:
            return
        if self._case is None:
            raise RuntimeError("This copy of the audit log cannot read the case.")
        with self._case.read() as session:
            rows = audit_rows(session, _AUDIT_COLUMNS.where(_AUDIT.id <= self.last.id))
            for event_id, at, actor, action, subject, details, prev, digest in rows:
                # The same few actors and actions in every event: one string each, so what a
                # file keeps per exhibit (who added it) costs nothing per event.
                yield AuditRow(event_id, at, intern(actor), intern(action), subject, details,
                               prev, digest)


@dataclass(frozen=True)
class CaseSnapshot:
    summary: CaseSummary
    evidence: ExhibitRows  # reads like a list of EvidenceRow, in id order
    identifiers: list[IdentifierRow]
    payments: list[PaymentRow]
    totals: Totals
    timeline: list[TimelineRow]
    checklist: ChecklistState
    audit: AuditLog
    chain: ChainReport
    exported_at: datetime  # aware, UTC
    include_sensitive: bool
    app_version: str = __version__
    # Evidence id -> the text recognised in that picture (machine-read; only non-empty ones).
    texts: dict[int, str] = field(default_factory=dict, repr=False)
    # Conversations read from chat exports, and exports still waiting to be read (id None).
    # Their messages are many, so they are streamed later (app/export/messages_export.py).
    conversations: list[ConversationRow] = field(default_factory=list, repr=False)
    _by_evidence: dict[int, list[IdentifierRow]] = field(default_factory=dict, repr=False)
    # Filled by the export as it writes each original: evidence id -> the SHA-256 of the
    # bytes read back from the case and written to the bundle (the re-check of continuity).
    rechecked: dict[int, str] = field(default_factory=dict, repr=False, compare=False)
    # What is worked out once from the snapshot and used by more than one file (the
    # continuity of exhibits, from the audit log), and what the export has promised by now
    # ("copies_checked": see rechecked_hash): name -> value, for app.export's modules.
    memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    # Items whose content could not be read back from the case file (a damaged page): left
    # out of the bundle, listed with the hash taken when they arrived, and named as damaged.
    damaged: frozenset[int] = frozenset()
    # Details found in the evidence by machine that the person has not checked: listed apart.
    unchecked: list[UncheckedDetail] = field(default_factory=list, repr=False)
    # Evidence id -> when the message that sent a file was sent, as the chat export writes it
    # (its place in the chronology), and the export a kept file was taken from, with its path.
    chat_files: dict[int, ChatFile] = field(default_factory=dict, repr=False)
    # The bundles made before, oldest first: an exhibit marked with other initials then is
    # told of in its continuity (officers who have that bundle know it by that mark).
    bundle_marks: tuple[BundleMarks, ...] = ()

    def sent_in_chat(self, evidence_id: int) -> str | None:
        """When the first message that sent this file in a chat export was sent, as written."""
        sent = self.chat_files.get(evidence_id)
        return None if sent is None else sent.sent_at

    # -- exhibit references: "AB/3" in text, "AB-3" in file names ----------------------------

    def exhibit(self, evidence_id: int) -> str:
        """The exhibit reference of an item in this snapshot, as officers write it: "AB/3"."""
        return exhibit_reference(self.summary.producer_initials, self._number(evidence_id))

    def exhibit_stem(self, evidence_id: int) -> str:
        """The same reference where "/" cannot go (file and folder names): "AB-3"."""
        return exhibit_file_stem(self.summary.producer_initials, self._number(evidence_id))

    def exhibit_number(self, evidence_id: int) -> int:
        """The number in an item's reference (3 in "AB/3")."""
        return self._number(evidence_id)

    def exhibit_or_none(self, evidence_id: int | None) -> str | None:
        """The reference of an item, or None for an item this snapshot does not hold (one a
        chat export's attachment became after the snapshot was taken)."""
        if evidence_id is None:
            return None
        try:
            return self.exhibit(evidence_id)
        except KeyError:
            return None

    def _number(self, evidence_id: int) -> int:
        return self.evidence.number_of(evidence_id)

    def identifiers_by_evidence(self) -> dict[int, list[IdentifierRow]]:
        """Evidence id -> the identifiers linked to it (for the exhibits table)."""
        if not self._by_evidence and self.identifiers:
            for ident in self.identifiers:
                for evidence_id in ident.evidence_ids:
                    self._by_evidence.setdefault(evidence_id, []).append(ident)
        return self._by_evidence

    def is_withheld(self, item: EvidenceRow) -> bool:
        """Marked sensitive and left out of this bundle (a damaged one counts as damaged)."""
        return item.sensitive and not self.include_sensitive and item.id not in self.damaged

    def rechecked_hash(self, item: EvidenceRow) -> str:
        """The SHA-256 taken again at export, "" before it is known. A withheld item's is taken
        while the documents are made. An included one's is its arrival hash once the export
        has begun to make its documents: its copy is hashed as it is written, and a mismatch
        stops the export, so no bundle exists that says otherwise."""
        if item.id in self.rechecked:
            return self.rechecked[item.id]
        if self.memo.get("copies_checked") and not self.is_left_out(item):
            return item.sha256
        return ""

    def is_damaged(self, item: EvidenceRow) -> bool:
        return item.id in self.damaged

    def is_left_out(self, item: EvidenceRow) -> bool:
        """Not in this bundle's evidence/ folder: withheld as sensitive, or damaged."""
        return item.id in self.damaged or self.is_withheld(item)

    @property
    def withheld_ids(self) -> list[int]:
        if self.include_sensitive:
            return []
        return [i for i, sensitive in zip(self.evidence.ids, self.evidence.sensitive,
                                          strict=True) if sensitive and i not in self.damaged]

    @property
    def damaged_ids(self) -> list[int]:
        return [i for i in self.evidence.ids if i in self.damaged]

    @property
    def sensitive_count(self) -> int:
        return sum(self.evidence.sensitive)

    @property
    def checklist_done(self) -> int:
        return sum(1 for c in self.checklist.entries if c.done)

    def counts(self) -> dict[str, int]:
        """The counts on the cover page, in the manifest and in the audit event."""
        return {
            "evidence_items": len(self.evidence),
            "evidence_included": len(self.evidence) - len(self.withheld_ids)
            - len(self.damaged_ids),
            "evidence_withheld": len(self.withheld_ids),
            "evidence_damaged": len(self.damaged_ids),
            "sensitive_items": self.sensitive_count,
            "identifiers": len(self.identifiers),
            "payments": len(self.payments),
            "timeline_events": len(self.timeline),
            # The steps counted in the app: one the records show is not needed is left out.
            "checklist_steps": self.checklist.progress.total,
            "checklist_done": self.checklist_done,
            "audit_events": len(self.audit),
        }


def take_snapshot(
    case: CaseFile,
    *,
    include_sensitive: bool,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    damaged: frozenset[int] = frozenset(),
) -> CaseSnapshot:
    # One read transaction for everything: the export dialog is not modal and text
    # recognition writes in the background, so separate reads could each see a different
    # case (an identifier in the audit log but not in identifiers.csv). In one transaction
    # SQLite shows a single state, and the chain head in the manifest covers exactly it.
    with case.read() as session:
        summary = case_summary_in(session)
        evidence = ExhibitRows(evidence_rows(session))
        identifiers = identifier_rows(session)
        payments = payment_rows(session)
        timeline = timeline_rows(session)
        checklist = checklist_state_in(session)
        # Columns, not ORM objects: a plain row per event is all the bundle needs. Only the
        # first and the last are read now; the files that list every event walk the log.
        first = session.execute(_AUDIT_COLUMNS.limit(1)).first()
        last = session.execute(_AUDIT_COLUMNS.order_by(None).order_by(
            _AUDIT.id.desc()).limit(1)).first()
        count = session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        audit = AuditLog(case, count, AuditRow(*first) if first else None,
                         AuditRow(*last) if last else None)
        chain = verify_chain(session)
        texts = recognised_texts_in(session)
        conversations = conversation_rows(session)
        files_in_chats = chat_files(session)
        unchecked = unchecked_details_in(session)
        marks = tuple(bundle_marks_in(session))
    return CaseSnapshot(
        summary=summary, evidence=evidence, identifiers=identifiers, payments=payments,
        totals=payment_totals(payments), timeline=timeline, checklist=checklist, audit=audit,
        chain=chain, exported_at=clock().astimezone(UTC).replace(microsecond=0),
        include_sensitive=include_sensitive, texts=texts, conversations=conversations,
        damaged=damaged, unchecked=unchecked, chat_files=files_in_chats, bundle_marks=marks,
    )
