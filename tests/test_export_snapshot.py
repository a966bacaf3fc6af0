"""A bundle describes one state of the case, even while something else writes to it (the export
dialog is not modal, and text recognition stores what it read in the background).

The writer here commits at the start of every read transaction the export opens: a snapshot
read in several transactions then mixes states (an identifier in the audit log but not in
identifiers.csv), one read in a single transaction cannot.
"""

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event

from app.core.guidance.checklist import mark_item, shipped_pack
from app.core.records.identifiers import add_identifier
from app.core.records.payments import add_payment
from app.core.records.timeline import add_event
from app.export import export_bundle
from app.export.casedata import take_snapshot
from app.models.casefile import CaseFile
from tests.test_export_support import add_evidence_direct, build_demo_case, unzip


@contextmanager
def read_begins(case: CaseFile, on_begin: Any = None) -> Iterator[list[int]]:
    """Counts the read transactions begun on the case (writes are not counted); calls
    `on_begin(n)` at the start of the n-th one, before it has read anything."""
    begun: list[int] = []

    def listener(conn: Any) -> None:
        if conn.get_execution_options().get("safekeep_write", False):
            return
        begun.append(len(begun) + 1)
        if on_begin is not None:
            on_begin(len(begun))

    event.listen(case.engine, "begin", listener)
    try:
        yield begun
    finally:
        event.remove(case.engine, "begin", listener)


class Writer:
    """Adds one of everything a bundle lists, each in its own transaction (each audited)."""

    def __init__(self, case: CaseFile, rounds: int) -> None:
        self.case = case
        self.rounds = rounds
        self.done = 0
        self._steps = [i.id for i in shipped_pack().items]

    def __call__(self, _n: int) -> None:
        if self.done >= self.rounds:
            return
        self.done += 1
        n, case = self.done, self.case
        evidence = add_evidence_direct(case, f"chat log {n}\n".encode(), f"chat-{n}.txt",
                                       kind="text", detected_type="text/plain", thumbnail=False)
        add_identifier(case, "email", f"writer{n}@example.com", evidence_ids=[evidence])
        add_payment(case, amount=f"{n}.00", currency="GBP", method="paypal",
                    evidence_ids=[evidence])
        add_event(case, datetime(2024, 3, 1, 12, n, tzinfo=UTC), f"Message {n}.",
                  evidence_ids=[evidence])
        mark_item(case, self._steps[n % len(self._steps)], note=f"round {n}")


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def live_ids(audit: list[dict[str, str]], kind: str) -> set[str]:
    """Ids of the `kind` records the audit log says exist (added and not removed)."""
    alive: set[str] = set()
    for row in audit:
        prefix, _, row_id = row["subject"].partition(":")
        if prefix != kind:
            continue
        if row["action"].endswith(".add"):
            alive.add(row_id)
        elif row["action"].endswith(".remove"):
            alive.discard(row_id)
    return alive


def test_the_snapshot_is_read_in_one_transaction(case: CaseFile) -> None:
    build_demo_case(case)
    with read_begins(case) as begun:
        take_snapshot(case, include_sensitive=False)
    assert len(begun) == 1


def test_the_export_reads_its_snapshot_in_one_transaction(case: CaseFile, tmp_path: Path) -> None:
    build_demo_case(case)
    at_label: dict[str, int] = {}
    with read_begins(case) as begun:
        export_bundle(case, tmp_path / "b.zip",
                      progress=lambda _d, _t, label: at_label.setdefault(label, len(begun)))
    # Between "Reading the case" and the first step after it, the snapshot is taken.
    assert at_label["Preparing"] - at_label["Reading the case"] == 1


def test_a_snapshot_taken_while_someone_writes_is_one_state(case: CaseFile) -> None:
    build_demo_case(case)
    writer = Writer(case, rounds=10)
    with read_begins(case, writer):
        snap = take_snapshot(case, include_sensitive=False)
    assert writer.done >= 1
    s = snap.summary
    assert (s.evidence_items, s.identifiers, s.payments, s.timeline_events, s.audit_events) == (
        len(snap.evidence), len(snap.identifiers), len(snap.payments), len(snap.timeline),
        len(snap.audit))
    assert snap.chain.events == len(snap.audit)
    assert snap.audit.last is not None and snap.chain.head == snap.audit.last.hash
    # The checklist is read with the rest: a step is ticked exactly when the log says so.
    ticked = {a.subject.removeprefix("checklist:") for a in snap.audit
              if a.action == "checklist.done"}
    assert {c.item.id for c in snap.checklist.entries if c.done} == ticked & {
        c.item.id for c in snap.checklist.entries}
    assert snap.checklist.context.paid == bool(snap.payments)


def test_a_bundle_made_while_someone_writes_describes_one_state(
    case: CaseFile, tmp_path: Path
) -> None:
    build_demo_case(case)
    writer = Writer(case, rounds=10)
    with read_begins(case, writer):
        export_bundle(case, tmp_path / "bundle.zip")
    assert writer.done >= 1
    root = unzip(tmp_path / "bundle.zip", tmp_path / "out")
    manifest = json.loads((root / "manifest.json").read_text(encoding="utf-8"))
    counts = manifest["counts"]
    audit = read_csv(root / "csv/audit.csv")
    identifiers = read_csv(root / "csv/identifiers.csv")
    payments = read_csv(root / "csv/payments.csv")
    timeline = read_csv(root / "csv/timeline.csv")
    evidence = read_csv(root / "csv/evidence.csv")

    # Counts in the manifest, rows in the CSV files and the audit chain head agree...
    assert counts["identifiers"] == len(identifiers) == len(manifest["identifiers"])
    assert counts["payments"] == len(payments) == len(manifest["payments"])
    assert counts["timeline_events"] == len(timeline) == len(manifest["timeline"])
    assert counts["evidence_items"] == len(evidence) == len(manifest["evidence"])
    assert counts["audit_events"] == len(audit) == manifest["audit"]["events"]
    assert manifest["audit"]["chain_head"] == audit[-1]["hash"]
    # ...and every record the audit log (the last thing read) says exists is in the bundle,
    # and nothing more: the lists were read in the same state as the log.
    assert {r["id"] for r in identifiers} == live_ids(audit, "identifier")
    assert {r["id"] for r in payments} == live_ids(audit, "payment")
    assert {r["id"] for r in timeline} == live_ids(audit, "timeline")
    assert {str(e["id"]) for e in manifest["evidence"]} == live_ids(audit, "evidence")
    assert [r["exhibit"] for r in evidence] == [e["exhibit"] for e in manifest["evidence"]]
    ticked = {r["subject"].removeprefix("checklist:") for r in audit
              if r["action"] == "checklist.done"}
    shown = {r["item_id"] for r in read_csv(root / "csv/checklist.csv")}
    assert {r["item_id"] for r in read_csv(root / "csv/checklist.csv")
            if r["done"] == "yes"} == ticked & shown
    # Every link points at a record in the bundle.
    exhibits = {r["exhibit"] for r in evidence}
    for row in identifiers + payments + timeline:
        assert set(row["exhibits"].split()) <= exhibits, row
