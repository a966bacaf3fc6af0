"""What goes into a bundle, in the order it is written: first the documents (CSV files,
README.txt, report.pdf, manifest.json, SHA256SUMS), built in memory from the snapshot; then
the originals, streamed from the case and hashed again as they are written.

The documents come first because they depend only on the snapshot: an original's SHA-256 and
size in the manifest and in SHA256SUMS are the ones taken when it arrived, and the copy that
follows must match them exactly or the export stops. Knowing every file's size before writing
lets a portal pack plan its parts; a ZIP listing that starts with report.pdf and README.txt is
also what an officer wants to see first.
"""

import contextlib
import hashlib
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from app.core.records import EvidenceRow, iter_content, reading_image_ids
from app.errors import Cancelled, SafekeepError
from app.export.bundle_zip import DEFLATE_LEVEL, inflated, worth_compressing
from app.export.casedata import CaseSnapshot
from app.export.continuity import CSV_NAME as CONTINUITY_CSV
from app.export.continuity import continuity_csv, recheck_withheld
from app.export.csv_export import csv_files
from app.export.formatting import one_line
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
    Transcripts,
    has_messages,
    messages_csv,
    transcripts_of,
)
from app.export.originals import Originals
from app.export.portal import PlannedFile
from app.export.read_ahead import ReadingPictures
from app.export.readme_text import readme_bytes
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
        # A message costs about as much as a kilobyte of evidence (csv/messages.csv).
        self.message_step = 1_000
        self.message_share = self.message_step * messages
        self.total = evidence_bytes + self.report_share + self.other_share + self.message_share
        self.done = 0
        self.label = ""

    def check_cancel(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise Cancelled(tr("The export was cancelled. No bundle was written."))

    def step(self, amount: int, label: str | None = None) -> None:
        self.check_cancel()
        self._report(min(self.done + amount, self.total), label)

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
class Document:
    """A small document of the bundle (README.txt), kept deflated in memory until written.

    Deflated as a ZIP member is (raw deflate at level 1), with its CRC-32, so a plain ZIP takes
    the packed bytes as they are: inflating twenty megabytes of text and deflating it again
    was a twentieth of a 10,000-item export."""

    path: str
    packed: bytes
    size: int
    sha256: str
    deflated: bool
    crc: int  # CRC-32 of the document as written (ZIP's check)

    @classmethod
    def of(cls, path: str, data: bytes, *, pack: bool = True) -> "Document":
        if not pack:
            return cls(path, data, len(data), hashlib.sha256(data).hexdigest(), False,
                       zlib.crc32(data))
        deflater = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
        return cls(path, deflater.compress(data) + deflater.flush(), len(data),
                   hashlib.sha256(data).hexdigest(), True, zlib.crc32(data))

    def data(self) -> bytes:
        return b"".join(self.chunks())

    def packed_pieces(self) -> Iterator[bytes]:
        yield self.packed

    def chunks(self) -> Iterator[bytes]:
        """The document a megabyte at a time (never whole, a second time, in memory)."""
        if not self.deflated:
            yield self.packed
            return
        yield from inflated(self.packed_pieces())

    def entry(self) -> FileEntry:
        return FileEntry(self.path, self.sha256, self.size)

    def close(self) -> None:
        """Nothing to let go: the document is in memory."""


class SpooledDocument:
    """A document written to an unnamed file as it is made, hashed on the way: report.pdf
    (300 MB for 1,000 screenshot pages) as it is, and the CSV files and the manifest deflated
    (tens of megabytes of text in a case of 30,000 items, held in memory until they were
    written). The file sits beside the bundle, which holds the same in the clear, and has no
    name: the system removes it when it is closed, also if Safekeep is stopped."""

    def __init__(self, path: str, folder: Path, *, deflate: bool = False) -> None:
        self.path = path
        self.deflated = deflate
        self._deflater = (zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -zlib.MAX_WBITS)
                          if deflate else None)
        self._file = tempfile.TemporaryFile(dir=folder)
        self._digest = hashlib.sha256()
        self.size = self.crc = 0
        self.sha256 = ""

    @classmethod
    def streamed(cls, path: str, chunks: Iterable[bytes], folder: Path) -> "SpooledDocument":
        """A document made a piece at a time (csv/messages.csv of 200,000 messages): hashed
        and deflated as it comes, never whole in memory."""
        document = cls(path, folder, deflate=True)
        try:
            for chunk in chunks:
                document.write(chunk)
            return document.done()
        except BaseException:
            document.close()
            raise

    def write(self, data: bytes) -> int:
        self._digest.update(data)
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self._file.write(data if self._deflater is None else self._deflater.compress(data))
        return len(data)

    def done(self) -> "SpooledDocument":
        if self._deflater is not None:
            self._file.write(self._deflater.flush())
            self._deflater = None
        self._file.flush()
        self.sha256 = self._digest.hexdigest()
        return self

    def packed_pieces(self) -> Iterator[bytes]:
        """The file as written: deflated for a deflated document."""
        self._file.seek(0)
        while chunk := self._file.read(_SPOOL_CHUNK):
            yield chunk

    def chunks(self) -> Iterator[bytes]:
        """The document itself, a megabyte at a time."""
        if self.deflated:
            yield from inflated(self.packed_pieces())
        else:
            yield from self.packed_pieces()

    def data(self) -> bytes:
        return b"".join(self.chunks())

    def entry(self) -> FileEntry:
        return FileEntry(self.path, self.sha256, self.size)

    def close(self) -> None:
        self._file.close()


_SPOOL_CHUNK = 1 << 20


@dataclass(frozen=True)
class Documents:
    files: list[Document | SpooledDocument]  # in the order they are written: report.pdf first
    manifest_sha256: str
    report_sha256: str

    def close(self) -> None:
        """Let go of the documents' unnamed files (also when the bundle is not finished)."""
        for document in self.files:
            document.close()


def original_entries(included: Sequence[EvidenceRow], names: dict[int, str]) -> list[FileEntry]:
    """Each included original as the bundle will list it: its name there and the hash taken
    when it arrived (its copy is checked against that hash as it is written)."""
    return [FileEntry(names[e.id], e.sha256, e.size) for e in included]


def build_documents(case: CaseFile, snap: CaseSnapshot, included: Sequence[EvidenceRow],
                    originals: list[FileEntry], names: dict[int, str], tracker: Progress, *,
                    encrypted: bool, folder: str, portal: bool, spool: Path) -> Documents:
    """The documents of the bundle; report.pdf is written to an unnamed file in `spool` (the
    bundle's own folder) as it is made. The caller closes the Documents."""
    # Withheld originals are hashed again now. The included ones are hashed again as they are
    # copied, after these documents: a mismatch there stops the export before the bundle gets
    # its name, so "checked again at export: matches" is true of every bundle that exists.
    recheck_withheld(case, snap, tracker.check_cancel)
    snap.memo["copies_checked"] = True
    files: list[Document | SpooledDocument] = []
    try:
        _build_into(files, case, snap, originals, names, tracker, spool,
                    readme_bytes(snap, encrypted=encrypted, folder=folder, portal=portal))
    except BaseException:
        Documents(files, "", "").close()  # the caller is given no Documents to close
        raise
    # Written (and listed by ZIP tools) in the order an officer opens them.
    first = {REPORT_NAME: 0, README_NAME: 1}
    files.sort(key=lambda d: first.get(d.path, 2))
    by_path = {d.path: d.sha256 for d in files}
    return Documents(files, by_path[MANIFEST_NAME], by_path[REPORT_NAME])


def _build_into(files: list[Document | SpooledDocument], case: CaseFile, snap: CaseSnapshot,
                originals: list[FileEntry], names: dict[int, str], tracker: Progress,
                spool: Path, readme: bytes) -> None:
    """Each document made and added to `files` as soon as it exists, so the caller can close
    every file made so far if a later one fails or the export is cancelled."""
    transcripts = transcripts_of(snap)
    if has_messages(snap):  # every message streamed once: to the CSV, and the report's share
        tracker.step(0, tr("Writing the messages"))
        files.append(SpooledDocument.streamed(MESSAGES_CSV, messages_csv(
            case, snap, transcripts, lambda n: tracker.step(n * tracker.message_step)), spool))
    # The order that keeps every recorded hash true: README.txt and report.pdf before the
    # manifest, which lists them (so neither can print the manifest's hash); SHA256SUMS last,
    # listing everything, the manifest too. The manifest's hash and the report's are given to
    # the officer separately, and recorded in the case's audit log.
    files.append(Document.of(README_NAME, readme))
    tracker.step(tracker.other_share, tr("Writing the report"))
    report = SpooledDocument(REPORT_NAME, spool)
    files.append(report)
    _write_pdf(case, snap, names, tracker, transcripts, report)
    report.done()
    tracker.step(tracker.report_share, tr("Writing the spreadsheets"))
    for path, chunks in csv_files(snap, names):
        files.append(SpooledDocument.streamed(path, chunks, spool))
    files.append(SpooledDocument.streamed(CONTINUITY_CSV, continuity_csv(snap), spool))
    snap.memo.pop("continuity", None)  # arrival facts: every document using them is made
    files.append(SpooledDocument.streamed(MANIFEST_NAME, manifest_chunks(
        build_manifest(snap, originals + [d.entry() for d in files], names)), spool))
    files.append(SpooledDocument.streamed(
        SUMS_NAME, sums_chunks(originals + [d.entry() for d in files]), spool))


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


def write_documents(sink: Sink, documents: Documents) -> None:
    """Each document written, then let go: the originals are copied after them, and a big
    case's documents (its CSV files and report) are megabytes no longer needed."""
    add_deflated = getattr(sink, "add_deflated", None)
    documents.files.reverse()
    while documents.files:
        document = documents.files.pop()
        try:
            compress = _worth_deflating(document.path)
            if compress and document.deflated and add_deflated is not None \
                    and add_deflated(document.path, document.packed_pieces(),
                                     size=document.size, crc=document.crc,
                                     sha256=document.sha256):
                continue
            sink.add_stream(document.path, document.chunks(), size=document.size,
                            compress=compress)
        finally:  # no longer among the Documents: closed here, also when the write fails
            document.close()


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
                raise SafekeepError(tr(
                    "Exhibit {ref} ({name}) no longer matches the SHA-256 taken when it was "
                    "added, so no bundle was written. Run “safekeep check” on this case and "
                    "ask for help before sharing it."
                ).format(ref=snap.exhibit(item.id), name=one_line(item.original_name, 80)))
    finally:
        originals.close()  # ends the read transaction now, also when cancelled half-way


def _write_pdf(case: CaseFile, snap: CaseSnapshot, names: dict[int, str], tracker: Progress,
               transcripts: Transcripts, out: SpooledDocument) -> None:
    from app.export.report import write_report  # ReportLab loads only when a bundle is made
    from app.export.report_pictures import Picture, picture_ids, report_pictures

    def cancelled() -> bool:
        tracker.check_cancel()
        return False

    # The reading-size pictures kept in the case are embedded as they are, read ahead in a
    # thread while the pages are drawn; only items from before schema v5 are decoded (in the
    # sandbox).
    kept = reading_image_ids(case)
    with contextlib.closing(ReadingPictures(case, [i for i in picture_ids(snap) if i in kept])) \
            as ahead, report_pictures(snap, lambda i: b"".join(iter_content(case, i)), ahead.get,
                                      kept) as pictures:

        def picture(evidence_id: int) -> Picture:
            tracker.step(tracker.picture_step)
            return pictures(evidence_id)

        write_report(snap, out, evidence_files=names, picture=picture, is_cancelled=cancelled,
                     transcripts=transcripts)


def _checked(chunks: Iterator[bytes], tracker: Progress) -> Iterator[bytes]:
    for chunk in chunks:
        tracker.check_cancel()
        yield chunk
