"""Continuity of exhibits, built from the audit log: for each exhibit, how it was obtained, when,
by whom, from which file, its SHA-256 on arrival and again while the bundle was written, and
what was done with it since. It goes into csv/continuity.csv and the report's table of
exhibits.

UK practice asks for this: ACPO's principle 3 (a record of every process applied to digital
evidence, which an independent third party can examine and repeat), and the continuity of an
exhibit (a unique reference from receipt on, and an account of who held it, when and how it
was obtained). Each line therefore names the audit event it comes from, so it can be checked
against csv/audit.csv and its hash chain.

Items added by an older Safekeep have a shorter `evidence.add` event (or, in tests, none that
matches): their facts come from the evidence record instead, and the row says so.
"""

import hashlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from itertools import chain
from sys import intern
from typing import Any

from app.core.records import EvidenceRow, exhibit_reference, iter_content
from app.errors import SafekeepError
from app.export.audit_reading import event_details, local_then, recorded_time
from app.export.casedata import AuditRow, CaseSnapshot
from app.export.continuity_changes import evidence_change, link_changes
from app.export.csv_export import Cell, csv_chunks
from app.export.exhibit_links import found_marks
from app.export.formatting import iso_utc, local_text, one_line, utc_text
from app.i18n import tr
from app.models.casefile import CaseFile


class OriginalChanged(SafekeepError):
    """An item's content read back from the case is not what arrived (its SHA-256 or size
    differs). No bundle may say otherwise, so the export stops, unless the case file itself
    has damaged pages: then the export leaves the item out as damaged (see bundle.py)."""

    def __init__(self, snap: CaseSnapshot, item: EvidenceRow) -> None:
        super().__init__(tr(
            "Exhibit {exhibit} ({name}) no longer matches the SHA-256 taken when it was "
            "added, so no bundle was written. Run “safekeep check” on this case and ask "
            "for help before sharing it."
        ).format(exhibit=snap.exhibit(item.id), name=one_line(item.original_name, 80)))
        self.evidence_id = item.id

CSV_NAME = "csv/continuity.csv"


@dataclass(frozen=True, slots=True)
class Happening:
    """One thing done with an exhibit after it arrived, from one audit event."""

    event_id: int
    at: datetime
    actor: str
    text: str

    def line(self) -> str:
        return tr("{when}, {who}: {what} (audit event {id})").format(
            when=utc_text(self.at, seconds=False), who=self.actor, what=self.text,
            id=self.event_id)


@dataclass(frozen=True, slots=True)
class Continuity:
    item: EvidenceRow
    exhibit: str  # "AB/3"
    source: str  # how it was obtained: an EvidenceSource value (file, folder, clipboard...)
    acquired_at: datetime  # UTC
    acquired_local: str  # the local time the person's computer showed then, where known
    actor: str  # who, as the audit log names them
    account: str  # the computer account, where recorded
    original_name: str
    file_modified_at: datetime | None
    file_created_at: datetime | None
    sha256_at_acquisition: str
    sha256_at_export: str  # "" when not read back for this bundle
    add_event_id: int | None  # None: the facts come from the evidence record
    since: tuple[Happening, ...]

    withheld: bool  # marked sensitive and left out of this bundle (its hash is listed)
    damaged: bool = False  # its content could not be read back: left out of this bundle
    # A file kept from a chat export: that export's exhibit, the file's path inside it, and
    # the export's reading (its `chat.read` audit event), when the file was kept.
    taken_from: str = ""
    path_in_export: str = ""
    taken_event_id: int | None = None
    sent_in_chat_at: str = ""  # when the message that sent it was sent, as the export writes

    @property
    def check(self) -> str:
        """The re-check while this bundle was written, in words."""
        if self.damaged:
            return tr("could not be read: damaged in the case file, so left out of this bundle")
        if self.sha256_at_export == self.sha256_at_acquisition:
            return tr("matches (the file is withheld as sensitive)") if self.withheld \
                else tr("matches")
        if self.sha256_at_export:
            return tr("DOES NOT MATCH")  # the export stops before this can be written
        return tr("not checked")


def source_label(source: str) -> str:
    labels = {
        "file": tr("File chosen on the computer"),
        "folder": tr("File in a folder chosen on the computer"),
        "clipboard": tr("Pasted"),
        "screen-capture": tr("Screen capture"),
        "chat-export": tr("Chat export"),
    }
    return labels.get(source, source)


# What an arrival event says, kept for the item it still describes (None: it describes other
# bytes, so the item's record is used): the event's id, time and actor, then its source,
# utc_offset, account, name, file_modified and file_created as recorded. Only these, not the
# event or its parsed details: a case of 30,000 items kept 30,000 of each for the whole export.
_Arrival = tuple[int, datetime, str, object, object, object, object, object, object]
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


class _Arrivals:
    """Each exhibit's `_Arrival`, by its place among the snapshot's rows: two arrays and a
    table of the few distinct facts (most exhibits share their actor, source, time zone and
    account), not a tuple with its time and numbers per exhibit (8 MB at 30,000 items)."""

    def __init__(self, snap: CaseSnapshot) -> None:
        self._rows = snap.evidence
        count = len(snap.evidence)
        self._event = array("q", bytes(8 * count))  # 0: no arrival event describes it
        self._at = array("q", bytes(8 * count))  # microseconds since 1970, UTC
        self._facts = array("q", bytes(8 * count))
        self._table: list[tuple[object, ...]] = []
        self._known: dict[tuple[object, ...], int] = {}

    def set(self, evidence_id: int, arrival: _Arrival | None) -> None:
        place = self._place(evidence_id)
        if place is None:
            return  # an item no longer in the case: nothing of this bundle describes it
        if arrival is None:
            self._event[place] = 0
            return
        event_id, at, *facts = arrival
        key = tuple(facts)
        if key not in self._known:
            self._known[key] = len(self._table)
            self._table.append(key)
        self._event[place] = event_id
        self._at[place] = (at - _EPOCH) // _MICROSECOND
        self._facts[place] = self._known[key]

    def get(self, evidence_id: int) -> _Arrival | None:
        place = self._place(evidence_id)
        if place is None or not self._event[place]:
            return None
        actor, source, offset, account, name, modified, created = self._table[
            self._facts[place]]
        return (self._event[place], _EPOCH + self._at[place] * _MICROSECOND, str(actor),
                source, offset, account, name, modified, created)

    def _place(self, evidence_id: int) -> int | None:
        try:
            return self._rows.index_of(evidence_id)
        except KeyError:
            return None


_Since = dict[int, list[Happening]]
_Reads = dict[int, int]  # a chat export's evidence id -> its last `chat.read` event
_LINKING = frozenset({"identifier.add", "payment.add", "identifier.merge", "identifier.link",
                      "payment.edit", "timeline.edit", "timeline.add"})  # see link_changes


def continuity(snap: CaseSnapshot) -> list[Continuity]:
    """One entry per exhibit in the snapshot, in exhibit order. The audit log is read once
    per snapshot; the re-check hashes are taken as they are now."""
    return list(iter_continuity(snap))


def iter_continuity(snap: CaseSnapshot) -> Iterator[Continuity]:
    """`continuity`, an entry at a time (a file of many exhibits need not hold them all)."""
    for item in snap.evidence.in_exhibit_order():
        yield continuity_of(snap, item)


def read_continuity(snap: CaseSnapshot) -> None:
    """Walk the audit log for every exhibit's continuity now, once per snapshot (until
    `snap.memo["continuity"]` is let go): the report, drawn in a process of its own, cannot
    read the case (app/export/report_process.py)."""
    if "continuity" not in snap.memo:
        snap.memo["continuity"] = _from_audit(snap)


def continuity_of(snap: CaseSnapshot, item: EvidenceRow) -> Continuity:
    """The entry of one exhibit of the snapshot."""
    read_continuity(snap)
    adds, since, reads = snap.memo["continuity"]
    happened = since.get(item.id, [])
    if marked := _marked(snap, item):
        happened = sorted(happened + marked, key=lambda h: h.event_id)
    entry = _entry(snap, item, adds.get(item.id), happened)
    sent = snap.chat_files.get(item.id)
    if sent is None:
        return entry
    if sent.taken_from is None or snap.evidence.by_id(sent.taken_from) is None:
        return replace(entry, sent_in_chat_at=sent.sent_at)
    return replace(entry, taken_from=snap.exhibit(sent.taken_from),
                   path_in_export=sent.path_in_export, taken_event_id=reads.get(sent.taken_from),
                   sent_in_chat_at=sent.sent_at)


def _marked(snap: CaseSnapshot, item: EvidenceRow) -> list[Happening]:
    """A bundle made before, while the exhibit was in the case, that marked it with other
    initials (changed since): officers who have that bundle know it by that mark, and the
    new bundle had kept no trace of it. Its number never changes."""
    now = snap.summary.producer_initials
    other = [m for m in snap.bundle_marks if m.initials != now and m.event_id > 0
             and _utc(m.made_at) >= _utc(item.acquired_at)]
    if not other:
        return []
    number = snap.exhibit_number(item.id)
    return [Happening(m.event_id, m.made_at, m.actor, tr(
        "marked {mark} in the bundle made then (the initials have changed since)").format(
            mark=exhibit_reference(m.initials, number))) for m in other]


def earlier_initials(snap: CaseSnapshot) -> list[str]:
    """The other initials bundles made before marked some of these exhibits with."""
    now = snap.summary.producer_initials
    return sorted({m.initials for m in snap.bundle_marks if m.initials != now and any(
        _utc(m.made_at) >= _utc(item.acquired_at) for item in snap.evidence)})


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _from_audit(snap: CaseSnapshot) -> tuple[_Arrivals, _Since, _Reads]:
    """Each item's arrival event and what happened to it since, and each chat export's
    reading, in one pass over the log."""
    adds = _Arrivals(snap)
    since: _Since = {}
    reads: _Reads = {}
    names = {i.id: f"{i.type.label}: {one_line(i.value, 200)}" for i in snap.identifiers}
    mark = found_marks(snap)
    for event in snap.audit:
        kind, _, raw_id = event.subject.partition(":")
        if kind == "evidence" and raw_id.isdigit():
            evidence_id = int(raw_id)
            if event.action == "evidence.add":
                adds.set(evidence_id, _arrival(event, event_details(event.details),
                                               snap.evidence.by_id(evidence_id)))
                since.pop(evidence_id, None)  # a reused id starts a new story
            elif event.action == "evidence.remove":
                adds.set(evidence_id, None)
                since.pop(evidence_id, None)
            else:
                if event.action == "chat.read":
                    reads[evidence_id] = event.id
                details = event_details(event.details)
                if (text := evidence_change(event.action, details)) is not None:
                    since.setdefault(evidence_id, []).append(
                        Happening(event.id, event.at, event.actor, text))
            continue
        if event.action not in _LINKING:
            continue  # nothing to parse: most of a long log is evidence.add
        for evidence_id, text in link_changes(kind, raw_id, event.action,
                                               event_details(event.details), names, mark):
            since.setdefault(evidence_id, []).append(
                Happening(event.id, event.at, event.actor, text))
    return adds, since, reads


def _arrival(event: AuditRow, details: dict[str, Any],
             item: EvidenceRow | None) -> _Arrival | None:
    if item is None or details.get("sha256") != item.sha256:
        return None  # not this item's arrival: its record is used
    # What the event says the same as the item's record is kept as None (the entry falls
    # back to the record): a name and two file times per exhibit were 6 MB at 30,000.
    name, modified, created = (details.get("name"), details.get("file_modified"),
                               details.get("file_created"))
    return (event.id, event.at, event.actor, _shared(details.get("source")),
            _shared(details.get("utc_offset")), _shared(details.get("account")),
            None if name == item.original_name else name,
            None if recorded_time(modified, None) == item.file_modified_at else modified,
            None if recorded_time(created, None) == item.file_created_at else created)


def _shared(value: object) -> object:
    """A value most arrivals share (a source, a time zone, an account) as one string, not one
    per exhibit."""
    return intern(value) if type(value) is str else value


def _entry(snap: CaseSnapshot, item: EvidenceRow, add: _Arrival | None,
           since: list[Happening]) -> Continuity:
    if add is None:
        return Continuity(
            item, snap.exhibit(item.id), item.source, item.acquired_at,
            local_text(item.acquired_at), "", "", item.original_name, item.file_modified_at,
            item.file_created_at, item.sha256, snap.rechecked_hash(item), None,
            tuple(since), snap.is_withheld(item), snap.is_damaged(item))
    event_id, at, actor, source, offset, account, name, modified, created = add
    return Continuity(
        item, snap.exhibit(item.id), str(source or item.source), at,
        local_then(at, offset), actor, str(account or ""),
        str(name or item.original_name), recorded_time(modified, item.file_modified_at),
        recorded_time(created, item.file_created_at), item.sha256, snap.rechecked_hash(item),
        event_id, tuple(since), snap.is_withheld(item), snap.is_damaged(item))


CSV_HEADER = ["exhibit", "how_obtained", "how_obtained_label", "acquired_at_utc",
              "acquired_at_local", "acquired_by", "computer_account", "original_name",
              "taken_from_exhibit", "path_in_export", "sent_in_chat_at",
              "file_modified_at_utc", "file_created_at_utc", "size_bytes",
              "sha256_at_acquisition", "sha256_at_export", "export_check", "recorded_in",
              "since"]


def continuity_csv(snap: CaseSnapshot, entries: list[Continuity] | None = None,
                   removed: Iterable[list[Cell]] = ()) -> Iterator[bytes]:
    """csv/continuity.csv: one row per exhibit, with the CSV rules of csv_export; then the
    rows of exhibits removed from the case (`removed`, in CSV_HEADER's columns)."""
    unknown = tr("not recorded")  # items added by an older Safekeep
    rows = (_csv_row(c, unknown) for c in (entries if entries is not None
                                           else iter_continuity(snap)))
    return csv_chunks(CSV_HEADER, chain(rows, removed))


def _csv_row(c: Continuity, unknown: str) -> list[Cell]:
    recorded = (tr("audit event {id}").format(id=c.add_event_id) if c.add_event_id
                else tr("evidence record (no matching audit event)"))
    if c.taken_event_id is not None:
        recorded += "; " + tr("kept when the chat export was read: audit event {id}").format(
            id=c.taken_event_id)
    return [c.exhibit, c.source, source_label(c.source), iso_utc(c.acquired_at),
            c.acquired_local, c.actor or unknown, c.account or unknown, c.original_name,
            c.taken_from, c.path_in_export, c.sent_in_chat_at, iso_utc(c.file_modified_at),
            iso_utc(c.file_created_at), c.item.size,
            c.sha256_at_acquisition, c.sha256_at_export, c.check, recorded,
            "\n".join(h.line() for h in c.since)]


def recheck_withheld(case: CaseFile, snap: CaseSnapshot, check_cancel: Callable[[], None]) -> None:
    """Withheld originals are not in the bundle, but their hashes are: check those too, so
    every hash the bundle lists was checked against the case's original while it was made.
    A mismatch stops the export, as it does for the originals the bundle holds."""
    for item in snap.evidence:
        if not snap.is_withheld(item):
            continue
        digest, size = hashlib.sha256(), 0
        chunks = iter_content(case, item.id)
        try:
            for chunk in chunks:
                check_cancel()
                digest.update(chunk)
                size += len(chunk)
        finally:
            close = getattr(chunks, "close", None)  # ends the read transaction now
            if close is not None:
                close()
        if digest.hexdigest() != item.sha256 or size != item.size:
            raise OriginalChanged(snap, item)
        snap.rechecked[item.id] = digest.hexdigest()
