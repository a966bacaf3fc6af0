"""The bundle's CSV files: UTF-8 with a byte-order mark, safe to open in Excel.

Identifier values come from criminals. A cell such as `=HYPERLINK("http://x")` would become a
live formula (and a link that leaks the officer's address) if Excel or LibreOffice read it as
one. Following OWASP's CSV-injection advice, any cell whose first character (or first
character after leading white space, which spreadsheets skip) is `=`, `+`, `-`, `@`, tab or
carriage return gets a leading single quote; every other value is written exactly.
Evidence items are named by their exhibit reference ("AB/3") wherever they are listed or
linked, as in the report and the manifest and at the start of their file names in evidence/.
Hidden characters (controls, bidi, zero-width...: the one set in app/text_safety.py) are shown as
`\\u....` escapes, except tab, CR and LF, which a cell may hold (NUL would also break CSV
readers); manifest.json keeps the exact text.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import cast

from app.core.records import EvidenceRow, amount_plain, kind_label, method_label, status_label
from app.export.casedata import CaseSnapshot
from app.export.exhibit_links import found_in
from app.export.formatting import iso_utc, local_text
from app.text_safety import escape_hidden

BOM = "\ufeff"
_FORMULA_START = frozenset("=+-@\t\r") | frozenset("＝＋－＠")  # and full-width look-alikes
_SKIPPED_BY_SPREADSHEETS = " \u00a0\u3000\n"

Cell = str | int | bool | None


def neutralise_cell(value: Cell) -> str:
    """The text written to the CSV for one cell."""
    if not isinstance(value, str):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)  # our own numbers: never hostile, and "-1" must stay a number
    if not value:
        return value
    if value[:1] in _FORMULA_START or value.lstrip(_SKIPPED_BY_SPREADSHEETS)[:1] in _FORMULA_START:
        value = "'" + value
    return escape_hidden(value, keep="\t\n\r")


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """One CSV document: BOM, CRLF line ends (RFC 4180, as Excel writes them), all cells quoted
    where needed. Header cells are ours but go through the same function anyway."""
    return b"".join(csv_chunks(header, rows))


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]], *,
               chunk: int = 1 << 20, neutralised: bool = False) -> Iterator[bytes]:
    """The same document as `csv_bytes`, in pieces of about `chunk` bytes, for a CSV too big
    to hold (every message of a case): rows are written as they come. With `neutralised`,
    every cell of `rows` went through `neutralise_cell` already (a writer of many rows does
    it once for the cells repeated in each)."""
    # Rows are encoded as they are written (a StringIO holds the text as wide characters once
    # it has the BOM, and its copy to encode at the end made three copies of the CSV).
    raw = io.BytesIO()
    buffer = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise_cell(h) for h in header])
    for row in rows if neutralised else map(_neutralised, rows):
        cells = cast(Sequence[str], row)  # every cell is text once neutralised
        if cells and max(map(len, cells)) > _BIG_CELL:
            buffer.flush()
            yield raw.getvalue()
            raw.seek(0)
            raw.truncate()
            yield from _row_in_slices(cells)
            continue
        writer.writerow(row)
        if raw.tell() >= chunk:
            buffer.flush()
            yield raw.getvalue()
            raw.seek(0)
            raw.truncate()
    buffer.flush()
    yield raw.getvalue()
    buffer.detach()


# A cell longer than this is written a slice at a time. An export's audit event lists every file
# of its bundle (megabytes in a big case); csv.writer holds a row at four bytes a character and
# more, so one such cell cost seven times its size in memory for a moment.
_BIG_CELL = 1 << 16
_SLICE = 1 << 20


def _row_in_slices(row: Sequence[str]) -> Iterator[bytes]:
    """One row with a very long cell, as csv.writer would write it except that the long cells
    are always quoted (which reads back the same), a slice at a time."""
    for n, cell in enumerate(row):
        if n:
            yield b","
        if len(cell) > _BIG_CELL:
            yield b'"'
            for start in range(0, len(cell), _SLICE):
                yield cell[start:start + _SLICE].replace('"', '""').encode("utf-8")
            yield b'"'
        elif cell:  # csv.writer writes an empty cell as nothing between two commas
            yield _one_cell(cell)
    yield b"\r\n"


def _one_cell(cell: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL).writerow([cell])
    return out.getvalue()[:-2].encode("utf-8")


# A printable ASCII cell that starts with none of these is written as it is. One that starts
# with a space is left to `neutralise_cell`, which looks past the spaces (rare, so the common
# case is one look at the first character, not a stripped copy of every cell).
_CAREFUL_START = _FORMULA_START | {" "}


def _neutralised(row: Sequence[Cell]) -> list[str]:
    # Most cells are printable ASCII that starts with no formula sign: those are kept as they
    # are without a call (half a million cells in a 10,000-item bundle); our own numbers are
    # written as `neutralise_cell` writes them.
    return [cell if type(cell) is str and cell.isascii() and cell.isprintable()
            and cell[:1] not in _CAREFUL_START
            else str(cell) if type(cell) is int else neutralise_cell(cell)
            for cell in row]


def _ids(values: Iterable[int]) -> str:
    return " ".join(str(v) for v in values)


def _exhibits(snap: CaseSnapshot, evidence_ids: Iterable[int]) -> str:
    """Linked items as their exhibit references: "AB/1 AB/3"."""
    return " ".join(snap.exhibit(i) for i in evidence_ids)


def identifiers_csv(snap: CaseSnapshot) -> Iterator[bytes]:
    header = ["id", "type", "type_label", "value_as_entered", "normalised", "platform", "unsure",
              "note", "exhibits", "found_in"]
    # found_in: the same exhibits, each marked where text recognition made the link.
    rows: Iterator[list[Cell]] = (
        [i.id, i.type.value, i.type.label, i.value, i.normalised, i.platform, i.unsure, i.note,
         _exhibits(snap, i.evidence_ids), "; ".join(found_in(snap, i))]
        for i in snap.identifiers)
    return csv_chunks(header, rows)


def payments_csv(snap: CaseSnapshot) -> Iterator[bytes]:
    header = ["id", "paid_on", "amount", "currency", "method", "method_label", "reference",
              "recipient_name", "recipient_place", "status", "status_label", "bank_told",
              "bank_told_on", "note", "exhibits"]
    rows: Iterator[list[Cell]] = (
        [p.id, p.paid_on.isoformat() if p.paid_on else "", amount_plain(p.amount), p.currency,
             p.method.value, method_label(p.method), p.reference, p.recipient_name,
             p.recipient_place, p.status.value, status_label(p.status), p.bank_told,
             p.bank_told_on.isoformat() if p.bank_told_on else "", p.note,
             _exhibits(snap, p.evidence_ids)] for p in snap.payments)
    return csv_chunks(header, rows)


def timeline_csv(snap: CaseSnapshot) -> Iterator[bytes]:
    header = ["id", "occurred_at_utc", "occurred_at_local", "approximate", "kind", "kind_label",
              "description", "exhibits", "identifiers", "payments"]
    rows: Iterator[list[Cell]] = (
        [t.id, iso_utc(t.occurred_at), local_text(t.occurred_at, seconds=False),
             t.approximate, t.kind.value, kind_label(t.kind), t.description,
             _exhibits(snap, t.evidence_ids), _ids(t.identifier_ids), _ids(t.payment_ids)]
            for t in snap.timeline)
    return csv_chunks(header, rows)


def evidence_csv(snap: CaseSnapshot, files: dict[int, str]) -> Iterator[bytes]:
    """`files` maps evidence id to its path in the bundle; withheld items have none."""
    header = ["exhibit", "file_in_bundle", "sha256", "size_bytes", "original_name", "kind",
              "detected_type", "type_note", "source", "acquired_at_utc", "acquired_at_local",
              "file_modified_at_utc", "file_created_at_utc", "exif_taken_at", "exif_camera",
              "sent_in_chat_at", "width", "height", "description", "platform", "sensitive",
              "preview_status", "identifiers"]
    linked = snap.identifiers_by_evidence()
    rows: Iterator[list[Cell]] = (
        [snap.exhibit(e.id), files.get(e.id) or _left_out(snap, e), e.sha256, e.size,
         e.original_name, e.kind, e.detected_type, e.type_note, e.source, iso_utc(e.acquired_at),
         local_text(e.acquired_at), iso_utc(e.file_modified_at), iso_utc(e.file_created_at),
         e.exif_taken_at, e.exif_camera, snap.sent_in_chat(e.id), e.width, e.height,
         e.description, e.platform,
         e.sensitive, e.preview_status, _ids(i.id for i in linked.get(e.id, ()))]
        for e in snap.evidence)
    return csv_chunks(header, rows)


def _left_out(snap: CaseSnapshot, item: EvidenceRow) -> str:
    return "left out (damaged in the case file)" if snap.is_damaged(item) \
        else "withheld (sensitive)"


def audit_csv(snap: CaseSnapshot) -> Iterator[bytes]:
    header = ["id", "at_utc", "actor", "action", "subject", "details", "prev_hash", "hash"]
    rows: Iterator[list[Cell]] = (
        [a.id, iso_utc(a.at), a.actor, a.action, a.subject, a.details, a.prev_hash, a.hash]
        for a in snap.audit)
    return csv_chunks(header, rows)


def checklist_csv(snap: CaseSnapshot) -> Iterator[bytes]:
    header = ["item_id", "title", "done", "done_at_utc", "reference", "reference_label", "note",
              "sources"]
    rows: list[list[Cell]] = [[c.item.id, c.item.title, c.done, iso_utc(c.done_at), c.reference,
             c.item.reference_label or "", c.note, " ".join(c.item.sources)]
            for c in snap.checklist.entries]
    return csv_chunks(header, rows)


UNCHECKED_CSV = "csv/unchecked.csv"


def unchecked_csv(snap: CaseSnapshot) -> Iterator[bytes]:
    """Details found in the evidence by machine that the person has not checked (only in a
    bundle that has some): read from the exhibits named, never confirmed by anyone."""
    header = ["type", "type_label", "value_as_read", "normalised", "platform", "exhibits",
              "first_message_sender", "first_message_time_as_written", "machine_confidence",
              "hard_to_read"]
    rows: Iterator[list[Cell]] = (
        [d.kind.value, d.kind.label, d.value, d.normalised, d.platform,
         _exhibits(snap, d.evidence_ids), d.sender, d.sent_at, round(d.confidence),
         d.hard_to_read] for d in snap.unchecked)
    return csv_chunks(header, rows)


def csv_files(snap: CaseSnapshot, files: dict[int, str]
              ) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(path in bundle, content in pieces) for every CSV, in the order the README lists them:
    the caller packs each piece as it comes, so no CSV is ever whole in memory (the audit log's
    is about 300 bytes an event)."""
    yield "csv/identifiers.csv", identifiers_csv(snap)
    if snap.unchecked:
        yield UNCHECKED_CSV, unchecked_csv(snap)
    yield "csv/payments.csv", payments_csv(snap)
    yield "csv/timeline.csv", timeline_csv(snap)
    yield "csv/evidence.csv", evidence_csv(snap, files)
    yield "csv/checklist.csv", checklist_csv(snap)
    yield "csv/audit.csv", audit_csv(snap)
