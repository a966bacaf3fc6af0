"""manifest.json (a versioned, machine-readable description of the bundle) and SHA256SUMS.

How the hashes tie the bundle together, without a circle (written in this order):
- README.txt and report.pdf come first and print no hash of the files after them.
- manifest.json lists every file written before it with its SHA-256 and size: every original,
  every CSV, README.txt and report.pdf (`files`).
- SHA256SUMS lists every file in the bundle except itself, the manifest too, in the format
  `sha256sum -c` reads.
So `sha256sum -c SHA256SUMS` proves the files agree with each other. It cannot prove that nobody
rewrote them all: the SHA-256 of manifest.json (and report.pdf's, for the report alone), given to
the officer separately and kept in the export's audit event, proves the manifest, and through it
every file. (Version 2 manifests did not list README.txt and report.pdf, which printed the
manifest's hash instead: anyone rewriting the files could print a new one.)
"""

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from app.export.casedata import CaseSnapshot
from app.export.formatting import iso_utc
from app.export.removed_exhibits import read_removed, removed_manifest_entry
from app.text_safety import json_escape_hidden

MANIFEST_SCHEMA = "safekeep-bundle-manifest"
# 2: items named by exhibit reference ("AB/3"), not "0012"; 3: report.pdf and README.txt
# listed in files with the rest
MANIFEST_VERSION = 3
MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"
REPORT_NAME = "report.pdf"
README_NAME = "README.txt"
CITING_DOCUMENTS = (REPORT_NAME, README_NAME)  # not in the files of a version 2 manifest

_SLICE = 1 << 16  # characters of manifest.json escaped and encoded at a time


@dataclass(frozen=True, slots=True)  # one per file of the bundle: tens of thousands
class FileEntry:
    path: str  # inside the bundle, forward slashes
    sha256: str
    size: int


def same_or_new(known: FileEntry | None, path: str, sha256: str, size: int) -> FileEntry:
    """`known` when a file was written as expected, else a new entry for what was written.
    Every original has its entry already (its name, and its hash from the case): keeping that
    one, not an equal copy with a second 64-character hash, is about 200 bytes an exhibit."""
    if known is not None and (known.path, known.sha256, known.size) == (path, sha256, size):
        return known
    return FileEntry(path, sha256, size)


def build_manifest(
    snap: CaseSnapshot, files: Sequence[FileEntry], evidence_files: dict[int, str]
) -> dict[str, Any]:
    """The manifest as plain JSON data. `files` are the files written before it (originals,
    CSV files, README.txt, report.pdf); `evidence_files` maps evidence id to its path in the
    bundle."""
    s = snap.summary
    by_evidence = snap.identifiers_by_evidence()
    return {
        "schema": MANIFEST_SCHEMA,
        "schema_version": MANIFEST_VERSION,
        "created_by": f"Safekeep {snap.app_version}",
        "exported_at": iso_utc(snap.exported_at),
        "include_sensitive": snap.include_sensitive,
        "case": {
            "display_name": s.display_name, "under_18": s.under_18,
            "in_danger_now": s.in_danger_now, "crime_reference": s.crime_reference,
            "caseworker": s.caseworker, "notes": s.notes, "created_at": iso_utc(s.created_at),
            "case_uuid": s.case_uuid, "schema_version": s.schema_version,
            "producer_initials": s.producer_initials,
        },
        "counts": snap.counts(),
        "evidence": _Items(snap.evidence, lambda e: {
            "exhibit": snap.exhibit(e.id), "id": e.id,
            "file": evidence_files.get(e.id),
            # Not in this bundle: withheld as sensitive, or damaged in the case file.
            "withheld": snap.is_left_out(e), "damaged": snap.is_damaged(e),
            "sha256": e.sha256, "size": e.size, "original_name": e.original_name,
            "kind": e.kind, "detected_type": e.detected_type, "type_note": e.type_note,
            "source": e.source, "acquired_at": iso_utc(e.acquired_at),
            "file_modified_at": iso_utc(e.file_modified_at) or None,
            "file_created_at": iso_utc(e.file_created_at) or None,
            "exif_taken_at": e.exif_taken_at, "exif_camera": e.exif_camera,
            "width": e.width, "height": e.height, "description": e.description,
            "platform": e.platform, "sensitive": e.sensitive,
            "preview_status": e.preview_status, "preview_note": e.preview_note,
            "identifier_ids": [i.id for i in by_evidence.get(e.id, ())],
            "kept_from_chat": _kept_from(snap, e.id),
        }),
        "withheld_evidence": [snap.exhibit(i) for i in snap.withheld_ids],
        # Removed from the case before this bundle was made (their numbers are never reused).
        "removed_evidence": [removed_manifest_entry(snap, r) for r in read_removed(snap)],
        # Left out because their content could not be read back from the case file.
        "damaged_evidence": [snap.exhibit(i) for i in snap.damaged_ids],
        "identifiers": [
            {"id": i.id, "type": i.type.value, "value": i.value, "normalised": i.normalised,
             "platform": i.platform, "note": i.note, "unsure": i.unsure,
             "evidence_ids": list(i.evidence_ids), "exhibits": _exhibits(snap, i.evidence_ids)}
            for i in snap.identifiers
        ],
        "payments": [
            {"id": p.id, "paid_on": p.paid_on.isoformat() if p.paid_on else None,
             "amount": str(p.amount), "currency": p.currency, "method": p.method.value,
             "reference": p.reference, "recipient_name": p.recipient_name,
             "recipient_place": p.recipient_place, "status": p.status.value,
             "bank_told": p.bank_told,
             "bank_told_on": p.bank_told_on.isoformat() if p.bank_told_on else None,
             "note": p.note, "evidence_ids": list(p.evidence_ids),
             "exhibits": _exhibits(snap, p.evidence_ids)}
            for p in snap.payments
        ],
        "payment_totals": {
            "paid": {c: str(v) for c, v in sorted(snap.totals.paid.items())},
            "collected": {c: str(v) for c, v in sorted(snap.totals.collected.items())},
            "cancelled": {c: str(v) for c, v in sorted(snap.totals.cancelled.items())},
        },
        "timeline": [
            {"id": t.id, "occurred_at": iso_utc(t.occurred_at), "approximate": t.approximate,
             "kind": t.kind.value, "description": t.description,
             "evidence_ids": list(t.evidence_ids), "exhibits": _exhibits(snap, t.evidence_ids),
             "identifier_ids": list(t.identifier_ids),
             "payment_ids": list(t.payment_ids)}
            for t in snap.timeline
        ],
        "checklist": [
            {"item_id": c.item.id, "title": c.item.title, "done": c.done,
             "done_at": iso_utc(c.done_at) or None, "reference": c.reference, "note": c.note}
            for c in snap.checklist.entries
        ],
        "audit": {
            "events": snap.chain.events,
            "chain_head": snap.chain.head,
            "chain_verified": snap.chain.first_broken_id is None,
            "first_broken_event": snap.chain.first_broken_id,
            "problem": snap.chain.problem,
        },
        "files": _Items(files, lambda f: {"path": f.path, "sha256": f.sha256, "size": f.size}),
        # Every file is in `files` but these: the manifest cannot hold its own hash, and
        # SHA256SUMS lists the manifest's.
        "files_not_listed": [MANIFEST_NAME, SUMS_NAME],
    }


class _Items(list):  # type: ignore[type-arg]  # a JSON array to json's encoder
    """A JSON array whose elements are made one at a time as manifest_bytes writes them: the
    entries of 30,000 items, made at once, were some 40 MB for a moment. json's encoder with an
    indent (always, here) iterates a list; a plain list is what it is everywhere else."""

    def __init__(self, sources: Sequence[Any], make: Callable[[Any], dict[str, Any]]) -> None:
        super().__init__()
        self._sources = sources
        self._make = make

    def __len__(self) -> int:
        return len(self._sources)

    def __bool__(self) -> bool:
        return bool(self._sources)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return map(self._make, self._sources)

    def __getitem__(self, index: Any) -> Any:
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    __hash__ = None


def _exhibits(snap: CaseSnapshot, evidence_ids: Iterable[int]) -> list[str]:
    return [snap.exhibit(i) for i in evidence_ids]


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    """The manifest as UTF-8 JSON: objects indented, and each entry of a list (a file, an
    exhibit, an audit event) on one line of its own, so a person can read, grep and diff it.

    ensure_ascii=False keeps names readable. Hidden characters (app/text_safety.py) become JSON
    escapes: an officer reading the file sees `\\u202e`, and a JSON reader still gets the exact
    value. A line per entry also lets the C encoder write each entry: Python's indenting encoder
    took half a second for 10,000 items. Encoded a slice at a time: the whole text at once was
    three copies of a document of about 1 kB per item (the export's peak)."""
    return b"".join(manifest_chunks(manifest))


def manifest_chunks(manifest: dict[str, Any]) -> Iterator[bytes]:
    """`manifest_bytes`, a slice at a time: a bundle packs each as it comes, and never holds
    the whole text (about 1 kB per item)."""
    pending: list[str] = []
    size = 0
    for chunk in _encoded(manifest, 0):
        pending.append(chunk)
        size += len(chunk)
        if size >= _SLICE:
            yield json_escape_hidden("".join(pending)).encode("utf-8")
            pending, size = [], 0
    pending.append("\n")
    yield json_escape_hidden("".join(pending)).encode("utf-8")


_one_line = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode


def _encoded(value: Any, level: int) -> Iterator[str]:
    inner, outer = "  " * (level + 1), "  " * level
    if isinstance(value, dict) and value:
        yield "{\n"
        for number, (key, item) in enumerate(value.items(), start=1):
            yield f"{inner}{_one_line(str(key))}: "
            yield from _encoded(item, level + 1)
            yield ",\n" if number < len(value) else "\n"
        yield outer + "}"
    elif isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
        yield "[\n"
        for number, item in enumerate(value, start=1):
            yield inner + _one_line(item) + (",\n" if number < len(value) else "\n")
        yield outer + "]"
    else:
        yield _one_line(value)


def sums_chunks(entries: list[FileEntry]) -> Iterator[bytes]:
    """`<hex>  <path>` lines, LF ends, sorted by path: what `sha256sum -c` reads; a thousand
    lines at a time (a case of 30,000 items has 3 MB of them).

    Our paths never hold a backslash or a newline (names.py removes them), so GNU's escaped
    form (a line starting with a backslash) is never needed.
    """
    ordered = sorted(entries, key=lambda e: e.path)
    for start in range(0, len(ordered), 1000):
        yield "".join(f"{e.sha256}  {e.path}\n"
                      for e in ordered[start:start + 1000]).encode("utf-8")


def _kept_from(snap: CaseSnapshot, evidence_id: int) -> dict[str, str] | None:
    """A file kept from a chat export: that export's exhibit, its path there, and when the
    message that sent it was sent (as the export writes it)."""
    sent = snap.chat_files.get(evidence_id)
    if sent is None or sent.taken_from is None or snap.evidence.by_id(sent.taken_from) is None:
        return None
    return {"exhibit": snap.exhibit(sent.taken_from), "path": sent.path_in_export,
            "sent_at": sent.sent_at}
