"""What goes into a bundle: the documents (CSV files, README.txt, report.pdf, manifest.json,
SHA256SUMS), made from the snapshot, and the originals, streamed from the case and hashed
again as they are written.

The documents depend only on the snapshot: an original's SHA-256 and size in the manifest and
in SHA256SUMS are the ones taken when it arrived, and the copy must match them exactly or the
export stops. A plain ZIP gets the spreadsheets and the originals while report.pdf is drawn in
a second process (app/export/report_process.py), then the report, the manifest and
SHA256SUMS; its listing still starts with report.pdf and README.txt, what an officer wants to
see first (BundleZip.list_first). A portal pack plans its parts knowing every file's size, so
its documents are all made before anything is written.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, overload

from app.core.records import EvidenceRow
from app.errors import Cancelled
from app.export.bundle_zip import FLUSH_EVERY, worth_compressing
from app.export.casedata import CaseSnapshot
from app.export.continuity import CSV_NAME as CONTINUITY_CSV
from app.export.continuity import OriginalChanged, continuity_csv, recheck_withheld
from app.export.csv_export import csv_files
from app.export.documents import Document, SpooledDocument
from app.export.manifest import (
    MANIFEST_NAME,
    README_NAME,
    REPORT_NAME,
    SUMS_NAME,
    FileEntry,
    build_manifest,
    manifest_chunks,
    sums_chunks,
)
from app.export.messages_export import (
    MESSAGES_CSV,
    has_messages,
    messages_csv,
    transcripts_of,
)
from app.export.originals import Originals
from app.export.portal import PlannedFile
from app.export.readme_text import readme_bytes
from app.export.removed_exhibits import read_removed, removed_continuity_row
from app.export.report_process import ReportDrawing, can_draw_apart
from app.i18n import tr
from app.models.casefile import CaseFile

ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]


class Progress:
    """Progress in bytes of evidence, plus a share for the report and the other files (the
    report's time grows with the number of items, not their size)."""

    def __init__(self, callback: ProgressCallback | None, cancelled: CancelCheck | None,
                 evidence_bytes: int, items: int, pictures: int = 0, messages: int = 0) -> None:
        self._callback = callback
        self._cancelled = cancelled
        # A picture page costs about as much as copying a megabyte (it is decoded again).
        self.report_share = 40_000 * (items + 10) + 1_000_000 * pictures
        self.picture_step = 1_000_000
        self.other_share = 5_000 * (items + 10)
        # Writing report.pdf into the bundle once it is drawn: its pages and pictures are a
        # few hundred kilobytes a picture, copied like an original's bytes (a 1,000-picture
        # report took 0.4 s, a bar standing still at its end without this share).
        self.report_write_share = 300_000 * pictures + 2_000 * (items + 10)
        # A message costs about as much as a kilobyte of evidence (csv/messages.csv).
        self.message_step = 1_000
        self.message_share = self.message_step * messages
        # The end: the ZIP's listing, and the last fsync, of what was written since the last
        # flush (at most FLUSH_EVERY bytes: see DiskPaced). Kept back, so the bar is not
        # full while the export still waits for the disk.
        self.finish_share = min(FLUSH_EVERY, (evidence_bytes + self.report_write_share) // 10)
        self.total = (evidence_bytes + self.report_share + self.report_write_share
                      + self.other_share + self.message_share + self.finish_share)
        self.done = 0
        self.label = ""
        # Work done beside this thread (the report's pictures, drawn in a second process), told
        # at each step: the progress moves while the originals are copied, too.
        self.beside: Callable[[], int] = lambda: 0

    def check_cancel(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled(tr("The export was cancelled. No bundle was written."))

    def step(self, amount: int, label: str | None = None) -> None:
        self.check_cancel()
        self._report(min(self.done + amount + self.beside(), self.total), label)

    def finish(self, label: str) -> None:
        """The end, without a cancel check: the bundle is written and recorded by now."""
        self._report(self.total, label)

    def _report(self, done: int, label: str | None) -> None:
        self.done = done
        if label is not None:
            self.label = label
        if self._callback is not None:
            self._callback(self.done, self.total, self.label)


class Sink(Protocol):
    """Where the bundle's files go: one ZIP (BundleZip) or the parts of a portal pack."""

    def add_stream(self, path: str, chunks: Iterable[bytes], *, size: int, compress: bool,
                   on_chunk: Callable[[int], None] | None = None,
                   known: FileEntry | None = None) -> FileEntry: ...

    def add_bytes(self, path: str, data: bytes, *, compress: bool = True) -> FileEntry: ...


@dataclass(frozen=True)
class Documents:
    files: list[Document | SpooledDocument]  # not yet written; in the order they are written
    manifest_sha256: str
    report_sha256: str
    listing: list[str]  # every document's path, in the order ZIP tools list them

    def close(self) -> None:
        """Let go of the documents' unnamed files (also when the bundle is not finished)."""
        for document in self.files:
            document.close()


# Given the documents made while the report is drawn, and what is written meanwhile.
Meanwhile = Callable[[list[Document | SpooledDocument]], None]


def original_entries(included: Sequence[EvidenceRow], names: dict[int, str]) -> list[FileEntry]:
    """Each included original as the bundle will list it: its name there and the hash taken
    when it arrived (its copy is checked against that hash as it is written)."""
    return [FileEntry(names[e.id], e.sha256, e.size) for e in included]


def build_documents(case: CaseFile, snap: CaseSnapshot, included: Sequence[EvidenceRow],
                    originals: list[FileEntry], names: dict[int, str], tracker: Progress, *,
                    encrypted: bool, folder: str, portal: bool, spool: Path,
                    meanwhile: Meanwhile | None = None) -> Documents:
    """The documents of the bundle; report.pdf is written to an unnamed file in `spool` (the
    bundle's own folder) as it is made. The caller closes the Documents.

    With `meanwhile`, `meanwhile(documents)` is given the documents made besides the report,
    the manifest and SHA256SUMS, once they are made, to write them (and to copy the
    originals) while the report is drawn in a second process (app/export/report_process.py);
    they are not in the Documents returned. Where no second process can be made, the report
    is drawn first, and `meanwhile` is given the same documents. Without `meanwhile` (a
    portal pack) every document is returned."""
    # Withheld originals are hashed again now. The included ones are hashed again as they are
    # copied: a mismatch there stops the export before the bundle gets its name, so "checked
    # again at export: matches" is true of every bundle that exists.
    recheck_withheld(case, snap, tracker.check_cancel)
    snap.memo["copies_checked"] = True
    files: list[Document | SpooledDocument] = []
    listing: list[str] = []
    try:
        _build_into(files, listing, case, snap, originals, names, tracker, spool,
                    readme_bytes(snap, encrypted=encrypted, folder=folder, portal=portal),
                    meanwhile)
    except BaseException:
        Documents(files, "", "", []).close()  # the caller is given no Documents to close
        raise
    # Written (and listed by ZIP tools) in the order an officer opens them.
    first = {REPORT_NAME: 0, README_NAME: 1}
    files.sort(key=lambda d: first.get(d.path, 2))
    listing.sort(key=lambda path: first.get(path, 2))
    by_path = {d.path: d.sha256 for d in files}
    return Documents(files, by_path[MANIFEST_NAME], by_path[REPORT_NAME], listing)


def _build_into(files: list[Document | SpooledDocument], listing: list[str], case: CaseFile,
                snap: CaseSnapshot, originals: list[FileEntry], names: dict[int, str],
                tracker: Progress, spool: Path, readme: bytes,
                meanwhile: Meanwhile | None) -> None:
    """Each document made and added to `files` as soon as it exists, so the caller can close
    every file made so far if a later one fails or the export is cancelled."""
    transcripts = transcripts_of(snap)
    made: list[Document | SpooledDocument] = []  # the documents made besides the report

    def add(document: Document | SpooledDocument) -> None:
        files.append(document)
        made.append(document)
        listing.append(document.path)

    if has_messages(snap):  # every message streamed once: to the CSV, and the report's share
        tracker.step(0, tr("Writing the messages"))
        add(SpooledDocument.streamed(MESSAGES_CSV, messages_csv(
            case, snap, transcripts, lambda n: tracker.step(n * tracker.message_step)), spool))
    # The order that keeps every recorded hash true: README.txt and report.pdf before the
    # manifest, which lists them (so neither can print the manifest's hash); SHA256SUMS last,
    # listing everything, the manifest too. The manifest's hash and the report's are given to
    # the officer separately, and recorded in the case's audit log.
    add(Document.of(README_NAME, readme))
    tracker.step(tracker.other_share, tr("Writing the report"))
    report = SpooledDocument(REPORT_NAME, spool)
    files.append(report)
    listing.append(REPORT_NAME)
    apart = meanwhile is not None and can_draw_apart()
    drawing = ReportDrawing(case, snap, names, transcripts, tracker, report)
    try:
        drawing.start(apart)  # drawn here and now, unless apart
        tracker.step(0 if apart else _rest_of_report(tracker, drawing),
                     tr("Writing the spreadsheets"))
        for path, chunks in csv_files(snap, names):
            add(SpooledDocument.streamed(path, chunks, spool))
        removed = [removed_continuity_row(snap, r) for r in read_removed(snap)]
        add(SpooledDocument.streamed(CONTINUITY_CSV, continuity_csv(snap, removed=removed),
                                     spool))
        snap.memo.pop("continuity", None)  # arrival facts: every document using them is made
        if meanwhile is not None:
            given = [d for d in files if d is not report]
            files[:] = [report]  # the others are written and closed by `meanwhile`
            try:
                meanwhile(given)
            finally:
                for document in given:  # any it did not get to (it stopped half-way)
                    document.close()

        def report_entry() -> FileEntry:
            drawing.finish()
            if apart:  # the rest of the report's share (its pictures were told as they came)
                tracker.step(_rest_of_report(tracker, drawing), tr("Writing the manifest"))
            return report.entry()

        # The manifest is made while the report is still drawn, up to report.pdf's entry: it
        # is listed last, and waits for the report.
        entries = [d.entry() for d in made]
        listing.append(MANIFEST_NAME)
        files.append(SpooledDocument.streamed(MANIFEST_NAME, manifest_chunks(build_manifest(
            snap, _ThenLast(originals + entries, report_entry), names)), spool))
    finally:
        drawing.abandon()
    listing.append(SUMS_NAME)
    files.append(SpooledDocument.streamed(SUMS_NAME, sums_chunks(
        originals + entries + [report.entry(), files[-1].entry()]), spool))


def _rest_of_report(tracker: Progress, drawing: ReportDrawing) -> int:
    """The report's share of the progress less its pictures, told as they came (at least 0:
    a report drawn again after a stuck child tells some twice)."""
    return max(0, tracker.report_share - drawing.pictures_told * tracker.picture_step)


class _ThenLast(Sequence[FileEntry]):
    """`first`, then the entry `last()` gives, made only when it is reached."""

    def __init__(self, first: list[FileEntry], last: Callable[[], FileEntry]) -> None:
        self._first = first
        self._last = last

    def __len__(self) -> int:
        return len(self._first) + 1

    def __iter__(self) -> Iterator[FileEntry]:
        yield from self._first
        yield self._last()

    @overload
    def __getitem__(self, index: int) -> FileEntry: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[FileEntry]: ...

    def __getitem__(self, index: int | slice) -> FileEntry | Sequence[FileEntry]:
        return list(self)[index]


def planned_files(snap: CaseSnapshot, documents: Documents, included: Sequence[EvidenceRow],
                  names: dict[int, str]) -> list[PlannedFile]:
    """Every file of the bundle, in the order it is written, for a portal pack's plan."""
    return [PlannedFile(d.path, d.size, _worth_deflating(d.path), d.sha256)
            for d in documents.files] + [
        PlannedFile(names[e.id], e.size, worth_compressing(e.detected_type), e.sha256,
                    snap.exhibit(e.id))
        for e in included]


def _worth_deflating(path: str) -> bool:
    """The report is stored: its pages are compressed already and its pictures are JPEGs
    (deflating it took a second or more per 300 picture pages, for nothing)."""
    return path != REPORT_NAME


def write_documents(sink: Sink, documents: list[Document | SpooledDocument],
                    tracker: Progress | None = None) -> None:
    """Each document written, then let go (and taken from the list): the originals are
    copied after them, and a big case's documents (its CSV files and report) are megabytes no
    longer needed. With `tracker`, writing report.pdf moves the progress by its share (and
    a cancel is heard between its chunks)."""
    add_deflated = getattr(sink, "add_deflated", None)
    documents.reverse()
    while documents:
        document = documents.pop()
        try:
            compress = _worth_deflating(document.path)
            if compress and document.deflated and add_deflated is not None \
                    and add_deflated(document.path, document.packed_pieces(),
                                     size=document.size, crc=document.crc,
                                     sha256=document.sha256):
                continue
            told = None
            if tracker is not None and document.path == REPORT_NAME:
                tracker.step(0, tr("Adding the report to the bundle"))
                told = _ShareOfBytes(tracker, tracker.report_write_share, document.size)
            sink.add_stream(document.path, document.chunks(), size=document.size,
                            compress=compress, on_chunk=told)
            if told is not None:
                told.rest()
        finally:  # no longer among the Documents: closed here, also when the write fails
            document.close()


class _ShareOfBytes:
    """Tells `share` of the progress in proportion to the bytes written of `size`."""

    def __init__(self, tracker: Progress, share: int, size: int) -> None:
        self._tracker = tracker
        self._share = share
        self._size = size
        self._written = 0
        self._told = 0

    def __call__(self, written: int) -> None:
        self._written += written
        due = self._share * min(self._written, self._size) // max(self._size, 1)
        self._tracker.step(due - self._told)
        self._told = due

    def rest(self) -> None:
        """Whatever is left of the share (an empty document writes no chunk)."""
        self._tracker.step(self._share - self._told)
        self._told = self._share


def copy_originals(case: CaseFile, sink: Sink, snap: CaseSnapshot,
                   included: Sequence[EvidenceRow], entries: list[FileEntry],
                   tracker: Progress) -> None:
    """Each original read back from the case in chunks (bounded memory), hashed as it is
    written, and compared with the hash taken when it arrived: a mismatch stops the export.
    `entries` are the originals' entries, in the order of `included`."""
    originals = Originals(case, [item.id for item in included])
    try:
        for number, (item, known) in enumerate(zip(included, entries, strict=True), start=1):
            label = tr("Copying evidence {n} of {m}").format(n=number, m=len(included))
            tracker.step(0, label)
            entry = sink.add_stream(known.path, _checked(originals.chunks(item.id), tracker),
                                    size=item.size,
                                    compress=worth_compressing(item.detected_type),
                                    on_chunk=tracker.step, known=known)
            if entry is not known:
                raise OriginalChanged(snap, item)
    finally:
        originals.close()  # ends the read transaction now, also when cancelled half-way


def _checked(chunks: Iterator[bytes], tracker: Progress) -> Iterator[bytes]:
    for chunk in chunks:
        tracker.check_cancel()
        yield chunk
