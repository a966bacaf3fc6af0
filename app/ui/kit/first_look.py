"""What the main window shows first, read by the task that unlocks the case.

When a case opened, the window was shown empty and each view it shows at once (the Evidence
grid, the checklist beside it) started a worker task to read its part. Those tasks ran
SQLAlchemy in Python on worker threads in the very turn the window was shown and painted for
the first time, and threads share one interpreter: the paint and the window's own Python code
waited for them, several switches of five milliseconds each. On an X display that turn took
55-85 ms, the longest the window could not answer after it first showed.

So the unlock task, which already reads the case's summary, reads these too, right after it
(about 5 ms for a small case; 20-30 ms the first time a process runs these queries, which the
views would pay anyway), and the views take them as the case is announced (`take_first_look`
in the controller): the window's first turn has what it shows, and no worker competes with it.

Qt-free, and cheap to import: the session names these reads before the first window shows.
What they need is imported when they run, in the unlock task.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.records import EvidencePage
    from app.models.casefile import CaseFile

CHECKLIST = "checklist"
EVIDENCE = "evidence"
EVIDENCE_PAGE = 240  # rows read at a time: a few screens of a maximised window, a few ms to read

# An evidence page and, per item on it, the saved details linked to it ("Email: a@b.example").
EvidenceLoad = tuple["EvidencePage", dict[int, list[str]]]


def read_evidence(case: CaseFile, rows: int = EVIDENCE_PAGE) -> EvidenceLoad:
    """The first `rows` items and the details linked to each (what the Evidence grid shows)."""
    from app.core.records import evidence_page, list_identifiers

    linked: dict[int, list[str]] = {}
    for ident in list_identifiers(case):
        for evidence_id in ident.evidence_ids:
            linked.setdefault(evidence_id, []).append(f"{ident.type.label}: {ident.value}")
    return evidence_page(case, limit=rows), linked


def read_checklist(case: CaseFile) -> object:
    """The checklist's state (a ChecklistState): the steps, which are done, the progress."""
    from app.core.guidance import checklist_state

    return checklist_state(case)


def open_reads() -> dict[str, Callable[[CaseFile], object]]:
    """What the unlock task reads for the first screen, by the key each view takes it by."""
    return {EVIDENCE: read_evidence, CHECKLIST: read_checklist}
