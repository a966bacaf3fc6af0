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
What they need is imported when they run, in the unlock task (`summarise_or_close`, which
waits for the views to be built before it reads, and closes the case again if a lock came
first).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.records import CaseSummary, EvidencePage
    from app.models.casefile import CaseFile

CHECKLIST = "checklist"
EVIDENCE = "evidence"
# What an opening task gives back: the case, its summary, its first look by key, and the
# audit event that records this opening (None when it records none, as when a case is made).
Opened = tuple["CaseFile", "CaseSummary", dict[str, object], int | None]
# An opening waiting for the views to be built looks this often whether a lock cancelled it.
GATE_CHECK_S = 0.05
log = logging.getLogger(__name__)

EVIDENCE_PAGE = 240  # rows read at a time: a few screens of a maximised window, a few ms to read

# An evidence page and, per item, what is linked to it ("E-mail address: a@b.example").
EvidenceLoad = tuple["EvidencePage", dict[int, list[str]]]


def read_evidence(case: CaseFile, rows: int = EVIDENCE_PAGE) -> EvidenceLoad:
    """The first `rows` items and what is linked to each: the offender's details, payments
    and timeline events (what the Evidence grid and its details show)."""
    from app.core.records import evidence_page

    return evidence_page(case, limit=rows), linked_to_evidence(case)


def linked_to_evidence(case: CaseFile) -> dict[int, list[str]]:
    """Per evidence item, a line for each record linked to it ("E-mail address: a@b.example",
    "Payment: 250.00 GBP, Western Union, 20 Nov 2026"). A receipt's details had named only
    the offender's details: the payment linked to it was nowhere to be seen from it."""
    from app.core.records import (
        amount_text,
        evidence_links,
        kind_label,
        list_identifiers,
        method_label,
    )
    from app.i18n import tr
    from app.ui.kit.view_text import day_text, local_time

    linked: dict[int, list[str]] = {}
    for ident in list_identifiers(case):
        for evidence_id in ident.evidence_ids:
            linked.setdefault(evidence_id, []).append(f"{ident.type.label}: {ident.value}")
    links = evidence_links(case)
    for evidence_id, payments in links.payments.items():
        linked.setdefault(evidence_id, []).extend(", ".join(words for words in (
            tr("Payment: {amount} {currency}").format(amount=amount_text(pay.amount),
                                                      currency=pay.currency),
            method_label(pay.method), day_text(pay.paid_on)) if words) for pay in payments)
    for evidence_id, events in links.events.items():
        linked.setdefault(evidence_id, []).extend(tr("Timeline: {when}, {kind}").format(
            when=local_time(event.occurred_at), kind=kind_label(event.kind)) for event in events)
    return linked


def read_checklist(case: CaseFile) -> object:
    """The checklist's state (a ChecklistState): the steps, which are done, the progress."""
    from app.core.guidance import checklist_state

    return checklist_state(case)


def open_reads() -> dict[str, Callable[[CaseFile], object]]:
    """What the unlock task reads for the first screen, by the key each view takes it by."""
    return {EVIDENCE: read_evidence, CHECKLIST: read_checklist}


def summarise_or_close(
    case: CaseFile, cancelled: Callable[[], bool], views_built: threading.Event,
    reads: dict[str, Callable[[CaseFile], object]], record_open_as: str | None = None,
) -> Opened:
    """Once the views are built, read the summary and the first look in the worker too; give
    the case back closed if a lock came first."""
    from app.core.records import case_summary
    from app.errors import Cancelled
    from app.models.audit import append_event

    try:
        while not views_built.wait(GATE_CHECK_S):
            if cancelled():
                raise Cancelled()
        if cancelled():
            raise Cancelled()
        summary = case_summary(case)
        opening: int | None = None
        if record_open_as is not None:
            with case.write() as session:
                opening = append_event(session, record_open_as, "case.open", "case", {}).id
        return case, summary, _read_first_look(case, cancelled, reads), opening
    except BaseException:
        case.close()
        raise


def _read_first_look(case: CaseFile, cancelled: Callable[[], bool],
                     reads: dict[str, Callable[[CaseFile], object]]) -> dict[str, object]:
    from app.errors import Cancelled

    looks: dict[str, object] = {}
    for key, read in reads.items():
        if cancelled():
            raise Cancelled()
        try:
            looks[key] = read(case)
        except Exception:  # the view reads it again itself, and says what failed
            log.warning("The first look %r could not be read as the case opened", key)
    return looks
