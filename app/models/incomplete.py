"""Evidence items still being stored: the "incomplete" state.

A file larger than one part (see app/core/intake/streaming.py) is stored across several
transactions, so that the write-ahead log stays small instead of holding the whole file and
then being copied again. Until its last part is committed the item is INCOMPLETE:

- its row in `evidence_item` has a placeholder hash, `INCOMPLETE_PREFIX` + random hex, no
  exhibit number and no audit event; its chunks are real rows of `evidence_chunk`;
- every ORM query made through a `CaseFile` session leaves it out (`hide_incomplete`), so
  nothing reads, lists, counts, searches, checks or exports it: the window, `list`, `check`,
  the summary and the export see the case as if the item did not exist yet;
- the last part's transaction sets the real hash and size, gives the exhibit number and
  writes the "evidence.add" audit event: from that commit on it is a whole item;
- if the import fails (a read error, a full disk) the importer removes the item at once; if
  the process dies, the next `CaseFile.open` removes it (`remove_incomplete`) before anything
  reads the case. `secure_delete` overwrites the removed pages, as for any removed evidence.

The stored format is unchanged: a case holding an incomplete item is an ordinary case to any
older Safekeep except that it would show the item with its placeholder hash.
"""

import os
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from app.models.audit import append_event
from app.models.evidence import INCOMPLETE_PREFIX, EvidenceItem

# ":" and ";" are neighbours in ASCII: every placeholder sorts between them, so the unique
# index on sha256 finds incomplete items without reading the whole table.
_AFTER_PREFIX = "pending;"
# Execution option for the one piece of code that must see incomplete items: the importer.
SHOW_INCOMPLETE = "safekeep_show_incomplete"


def incomplete_marker() -> str:
    """A unique placeholder hash marking a new item as incomplete."""
    return f"{INCOMPLETE_PREFIX}{os.urandom(16).hex()}"


def hide_incomplete(sessions: "sessionmaker[Session]") -> None:
    """Leave incomplete items out of every ORM statement run by sessions of this factory
    (selects, joins, counts, `session.get`, ORM updates and deletes), unless the statement
    asks for them with the SHOW_INCOMPLETE execution option."""

    @event.listens_for(sessions, "do_orm_execute")
    def _leave_out(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_column_load or state.is_relationship_load:
            return  # nothing to leave out, or an object already selected through the criteria
        if state.execution_options.get(SHOW_INCOMPLETE, False):
            return
        state.statement = state.statement.options(
            with_loader_criteria(EvidenceItem, _complete, include_aliases=True)
        )


def _complete(cls: Any) -> Any:
    return ~((cls.sha256 >= INCOMPLETE_PREFIX) & (cls.sha256 < _AFTER_PREFIX))


def remove_incomplete(session: Session, actor: str) -> int:
    """Remove items left incomplete by a process that died while storing them (their chunks
    go with them: foreign keys cascade), each with an audit event saying so. Runs inside the
    caller's write transaction; returns how many were removed."""
    conn = session.connection()  # a Connection, not the Session: the ORM filter stays out
    found = conn.execute(
        select(EvidenceItem.id, EvidenceItem.original_name).where(
            EvidenceItem.sha256 >= INCOMPLETE_PREFIX, EvidenceItem.sha256 < _AFTER_PREFIX
        )
    ).all()
    for item_id, name in found:
        stored = conn.exec_driver_sql(  # length() of a blob reads its size, not its pages
            "SELECT coalesce(sum(length(data)), 0) FROM evidence_chunk WHERE evidence_id = ?",
            (item_id,),
        ).scalar_one()
        conn.exec_driver_sql("DELETE FROM evidence_item WHERE id = ?", (item_id,))
        append_event(session, actor, "evidence.add-interrupted", "case",
                     {"original_name": name, "bytes_stored_and_removed": int(stored)})
    return len(found)
