"""What a case holds, in a few lines: for `safekeep info`, the window's header, the report."""

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.core.records.audited import apply_changes, audit
from app.core.records.exhibits import clean_initials, producer_initials
from app.i18n import tr, tr_n
from app.models import (
    AuditEvent,
    CaseInfo,
    ChatConversation,
    EvidenceItem,
    FileMeta,
    Identifier,
    Payment,
    TimelineEvent,
)
from app.models.casefile import CaseFile
from app.models.migrations import read_version


@dataclass(frozen=True)
class CaseSummary:
    display_name: str
    under_18: bool
    in_danger_now: bool
    crime_reference: str | None
    caseworker: str | None
    notes: str
    # The initials in exhibit references ("AB/1"): as given in the case details, else from
    # the name or alias; `producer_initials_given` says which.
    producer_initials: str
    producer_initials_given: bool
    created_at: datetime
    evidence_items: int
    sensitive_items: int
    evidence_bytes: int
    identifiers: int
    payments: int
    timeline_events: int
    audit_events: int
    conversations: int  # read from chat exports
    chat_messages: int
    last_opened_at: datetime | None  # the open before this one: "was someone else here?"
    last_opened_by: str | None
    last_opened_with: str | None  # a command ("safekeep export"), when that opening was one
    last_opened_was_creation: bool  # nobody has opened it since it was made
    last_opened_event: int | None  # that opening's audit event: the app knows its own
    schema_version: int
    kdf: str
    case_uuid: str

    def lines(self) -> list[tuple[str, str]]:
        yes, no = tr("yes"), tr("no")
        return [
            (tr("Case"), self.display_name),
            (tr("Person under 18"), yes if self.under_18 else no),
            (tr("Crime reference"), self.crime_reference or tr("not yet")),
            (tr("Caseworker"), self.caseworker or "-"),
            (tr("Exhibit references"), tr("{initials}/1, {initials}/2...").format(
                initials=self.producer_initials)),
            (tr("Created"), self.created_at.isoformat(timespec="seconds")),
            (tr("Evidence items"), f"{self.evidence_items} ({self.sensitive_items} sensitive)"),
            (tr("Identifiers"), str(self.identifiers)),
            (tr("Payments"), str(self.payments)),
            (tr("Timeline events"), str(self.timeline_events)),
            (tr("Chat conversations"), tr("{conversations} ({messages})").format(
                conversations=f"{self.conversations:,}",
                messages=tr_n("%n message", "%n messages", self.chat_messages))),
            (tr("Audit events"), str(self.audit_events)),
            (
                tr("Last opened"),
                (tr("{when} by {who}, when it was created") if self.last_opened_was_creation
                 else tr("{when} by {who}, with {command}") if self.last_opened_with
                 else tr("{when} by {who}")).format(
                    when=self.last_opened_at.isoformat(timespec="seconds"),
                    who=self.last_opened_by or "?", command=self.last_opened_with)
                if self.last_opened_at
                else tr("never"),
            ),
        ]


def case_summary_in(session: Session) -> CaseSummary:
    info = session.get(CaseInfo, 1)
    assert info is not None
    meta = {k: v for k, v in session.execute(select(FileMeta.key, FileMeta.value))}

    def count(column: object) -> int:
        return int(session.scalar(select(func.count(column))) or 0)  # type: ignore[arg-type]

    last_open = session.execute(
        select(AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.action,
               func.json_extract(AuditEvent.details, "$.with").label("opened_with"))
        # Creating a case opens it too: right after `new`, "never" would not be true.
        .where(AuditEvent.action.in_(("case.open", "case.create")))
        .order_by(AuditEvent.id.desc())
        .limit(1)
    ).first()
    # One pass over the evidence for its three figures, not three (at 30,000 items: 10 ms, not
    # 50, on the way from the key to the main window).
    items, sensitive, size = session.execute(select(
        func.count(EvidenceItem.id),
        func.count(EvidenceItem.id).filter(EvidenceItem.sensitive),
        func.coalesce(func.sum(EvidenceItem.size), 0),
    )).one()
    # The counts each conversation keeps: a few rows, not every message (200,000 in one export).
    conversations, messages = session.execute(select(
        func.count(ChatConversation.id),
        func.coalesce(func.sum(ChatConversation.message_count), 0))).one()
    return CaseSummary(
        display_name=info.display_name,
        producer_initials=producer_initials(info.producer_initials, info.display_name),
        producer_initials_given=bool(clean_initials(info.producer_initials or "")),
        under_18=info.under_18,
        in_danger_now=info.in_danger_now,
        crime_reference=info.crime_reference,
        caseworker=info.caseworker,
        notes=info.notes,
        created_at=info.created_at,
        evidence_items=int(items or 0),
        sensitive_items=int(sensitive or 0),
        evidence_bytes=int(size or 0),
        identifiers=count(Identifier.id),
        payments=count(Payment.id),
        timeline_events=count(TimelineEvent.id),
        audit_events=count(AuditEvent.id),
        conversations=int(conversations or 0),
        chat_messages=int(messages or 0),
        last_opened_at=last_open.at if last_open else None,
        last_opened_by=last_open.actor if last_open else None,
        last_opened_with=last_open.opened_with if last_open else None,
        last_opened_was_creation=bool(last_open and last_open.action == "case.create"),
        last_opened_event=last_open.id if last_open else None,
        schema_version=read_version(session.connection()),
        kdf=meta.get("kdf", ""),
        case_uuid=meta.get("case_uuid", ""),
    )


@dataclass(frozen=True)
class BundleMarks:
    """The exhibit marks of a bundle made: what officers who have it know them by."""

    made_at: datetime
    initials: str
    event_id: int = 0  # its "bundle.export" audit event
    actor: str = ""


# An original's place in a bundle: "<folder>/evidence/AB-3_<hash>_<name>".
_ORIGINAL_PATH = re.compile(r"/evidence/([A-Z]{1,4})-\d+_")


def last_bundle_marks(case: CaseFile) -> BundleMarks | None:
    """The initials the last bundle marked its exhibits with, or None (no bundle made, or one
    with no evidence in it)."""
    with case.read() as session:
        made = bundle_marks_in(session, last_only=True)
    return made[-1] if made else None


def bundle_marks_in(session: Session, *, last_only: bool = False) -> list[BundleMarks]:
    """The marks of every bundle made (or of the last), oldest first; a bundle with no
    evidence in it marked nothing and is left out. Read by SQLite from each export's audit
    event, not parsed here: it lists every file of the bundle (4 MB at 30,000 items)."""
    query = (select(AuditEvent.id, AuditEvent.at, AuditEvent.actor,
                    func.json_extract(AuditEvent.details, "$.initials"))
             .where(AuditEvent.action == "bundle.export").order_by(AuditEvent.id.desc()))
    made = []
    for event_id, made_at, actor, initials in session.execute(
            query.limit(1) if last_only else query):
        if not initials:  # a bundle made before its event named them: from a file's path
            path = session.scalar(text(
                "SELECT key FROM audit_event, json_each(audit_event.details, '$.file_sha256') "
                "WHERE audit_event.id = :id AND key LIKE '%/evidence/%' LIMIT 1"),
                {"id": event_id})
            found = _ORIGINAL_PATH.search(path or "")
            initials = found.group(1) if found else None
        if initials:
            made.append(BundleMarks(made_at, str(initials), event_id, actor))
    return made[::-1]


def case_summary(case: CaseFile) -> CaseSummary:
    with case.read() as session:
        return case_summary_in(session)


def edit_case(
    case: CaseFile,
    *,
    under_18: bool | None = None,
    in_danger_now: bool | None = None,
    crime_reference: str | None = None,
    caseworker: str | None = None,
    display_name: str | None = None,
    notes: str | None = None,
    producer_initials: str | None = None,
) -> None:
    """Edit the case's own details (they switch checklist items on and off). Audited."""
    changes = {
        k: v
        for k, v in {
            "under_18": under_18,
            "in_danger_now": in_danger_now,
            "crime_reference": crime_reference,
            "caseworker": caseworker,
            "display_name": display_name,
            "notes": notes,
            # Empty clears them (the name's initials apply again); anything else is cleaned.
            "producer_initials": None if producer_initials is None
            else (clean_initials(producer_initials) or ""),
        }.items()
        if v is not None
    }
    with case.write() as session:
        info = session.get(CaseInfo, 1)
        assert info is not None
        changed = apply_changes(info, changes)
        if changed:
            audit(session, case.actor, "case.edit", "case", changed)
