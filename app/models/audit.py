"""The append-only, hash-chained audit log (ACPO principle 3: a third party can follow what
was done). Triggers refuse UPDATE and DELETE so that no code path can rewrite history by
accident; the hash chain makes a deliberate rewrite visible to `safekeep check`."""

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DDL, Row, Select, String, event, insert, select, type_coerce
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.models.base import Base, format_utc, storable, utc_now
from app.models.case import FileMeta


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utc_now)
    actor: Mapped[str]
    action: Mapped[str]  # e.g. evidence.add, identifier.edit, case.passphrase-changed
    subject: Mapped[str]  # e.g. "evidence:12"
    details: Mapped[str]  # canonical JSON
    prev_hash: Mapped[str]
    hash: Mapped[str] = mapped_column(unique=True)


AUDIT_TRIGGERS = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
)

for _statement in AUDIT_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement))  # type: ignore[no-untyped-call]


GENESIS_HASH = "0" * 64


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def event_hash(
    seq: int, at_text: str, actor: str, action: str, subject: str, details: str, prev_hash: str
) -> str:
    """SHA-256 over every stored field as stored (`at` as its UTC text), so changing any one
    byte of a row breaks the chain."""
    material = canonical_json([seq, at_text, actor, action, subject, details, prev_hash])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def _link(seq: int, prev: str, actor: str, action: str, subject: str,
          details: Mapping[str, object]) -> dict[str, object]:
    """The column values of event `seq` following the event whose hash is `prev`."""
    at = utc_now()
    actor, action, subject = storable(actor), storable(action), storable(subject)
    details_json = storable(canonical_json(dict(details)))
    return {
        "id": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": details_json,
        "prev_hash": prev,
        "hash": event_hash(seq, format_utc(at), actor, action, subject, details_json, prev),
    }


def _head(session: Session) -> tuple[int, str]:
    """The id and hash of the last event (0 and the genesis hash for an empty log)."""
    last = session.execute(
        select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
    return (0, GENESIS_HASH) if last is None else (last.id, last.hash)


def append_event(
    session: Session, actor: str, action: str, subject: str, details: Mapping[str, object]
) -> AuditEvent:
    """Add the next link of the chain inside the caller's transaction.

    Called in the same transaction as the change it records, so a change and its audit event
    are committed together or not at all.
    """
    last_id, prev = _head(session)
    row = AuditEvent(**_link(last_id + 1, prev, actor, action, subject, details))
    session.add(row)
    session.flush()
    _record_head(session, row.id, row.hash)
    return row


def _record_head(session: Session, count: int, head: str) -> None:
    """The head of the chain, kept outside the audit table too: rows cut from the end of the
    chain leave a chain that verifies on its own, but no longer ends where this says."""
    value = f"{count}:{head}"
    session.connection().execute(
        sqlite_insert(FileMeta).values(key=AUDIT_HEAD_KEY, value=value)
        .on_conflict_do_update(index_elements=[FileMeta.key], set_={"value": value}))


AUDIT_HEAD_KEY = "audit_head"  # in file_meta: "<number of events>:<hash of the last one>"


def recorded_head(session: Session) -> tuple[int, str] | None:
    """The chain's length and last hash as recorded with the last event (None in a case
    whose last event was written by a version that did not record it)."""
    value = session.scalar(select(FileMeta.value).where(FileMeta.key == AUDIT_HEAD_KEY))
    count, _, head = (value or "").partition(":")
    return (int(count), head) if count.isdigit() and head else None


class ChainWriter:
    """Many events for one transaction (a group of imported items), written with one
    statement: the head of the chain is read once, each event links to the one before it in
    memory, and `write()` inserts them all. The chain is the same as from `append_event` one
    at a time. Nothing else may add events to the session between the first `add` and
    `write` (the caller holds the write transaction throughout)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._last_id, self._prev = _head(session)
        self._rows: list[dict[str, object]] = []

    def add(self, actor: str, action: str, subject: str, details: Mapping[str, object]) -> None:
        row = _link(self._last_id + 1, self._prev, actor, action, subject, details)
        self._last_id, self._prev = self._last_id + 1, str(row["hash"])
        self._rows.append(row)

    def write(self) -> None:
        if self._rows:
            self._session.connection().execute(insert(AuditEvent), self._rows)
            _record_head(self._session, self._last_id, self._prev)
            self._rows = []


@dataclass(frozen=True)
class ChainReport:
    events: int
    head: str
    first_broken_id: int | None  # None when the whole chain verifies
    problem: str | None


def audit_rows(session: Session,
               statement: Select[*tuple[Any, ...]]) -> Iterator[Row[*tuple[Any, ...]]]:
    """The rows of a query over the audit log, one at a time.

    Most events are a few hundred bytes, but each bundle export records the SHA-256 of every
    file it wrote (megabytes in a large case). Fetched a thousand at a time (`yield_per`),
    the last batch of a case exported a few times held every such event at once (26 MB at
    30,000 items); the ORM buffers every row. A Core statement read row by row holds one.
    """
    yield from session.connection().execute(statement)


def verify_chain(session: Session) -> ChainReport:
    prev = GENESIS_HASH
    expected_id = 1
    count = 0
    # The time is read as the text stored, never parsed: a row changed into an impossible date
    # ("2026-11-31") must be reported as changed, not stop the check.
    table = AuditEvent.__table__.c
    stored = select(table.id, type_coerce(table.at, String).label("at"), table.actor,
                    table.action, table.subject, table.details, table.prev_hash, table.hash)
    for row in audit_rows(session, stored.order_by(table.id)):
        count += 1
        if row.id != expected_id:
            return ChainReport(count, prev, row.id, "an event is missing before this one")
        if row.prev_hash != prev:
            return ChainReport(count, prev, row.id, "it does not follow the event before it")
        recomputed = event_hash(
            row.id, row.at, row.actor, row.action, row.subject, row.details, row.prev_hash
        )
        if recomputed != row.hash:
            return ChainReport(
                count, prev, row.id, "its contents were changed after it was written"
            )
        prev = row.hash
        expected_id += 1
    return ChainReport(count, prev, None, None)
