"""One click, one bundle: `export_bundle(case, "case-bundle.zip")`.

The ZIP is written under a temporary name beside the target (`.name.partial-XXXX`), fsynced,
and only then renamed, so a crash, a cancel or a full disk never leaves a half bundle under
the name the person chose. Every original is read back from the case in chunks (bounded
memory), hashed again as it is written, and compared with the hash taken when it arrived; a
mismatch stops the export. The export itself is recorded in the case's audit log, in the same
transaction as the rename: a bundle under its final name is always a recorded one, and what
the caller is told (a result, or an error saying no bundle was written) matches both. A
cancel is honoured up to that transaction, never after it.

Inside the ZIP everything sits in one folder named after the case (app/export/names.py). With
`portal=PortalLimits(...)` the same files are written as a portal pack instead: a new folder
holding a few ZIP files (app/export/portal.py), written and published the same careful way.
"""

import contextlib
import functools
import glob
import os
import secrets
import stat
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import IO

from app.core.records import EvidenceRow, audit, has_damaged_pages, unreadable_items
from app.errors import (
    CaseDiskFull,
    InvalidInput,
    NotACaseFile,
    StorageError,
)
from app.export.bundle_contents import (
    CancelCheck,
    Documents,
    Meanwhile,
    Progress,
    ProgressCallback,
    build_documents,
    copy_originals,
    original_entries,
    planned_files,
    write_documents,
)
from app.export.bundle_zip import BundleZip, DiskPaced, worth_compressing
from app.export.casedata import CaseSnapshot, take_snapshot
from app.export.continuity import OriginalChanged
from app.export.documents import Document, SpooledDocument
from app.export.formatting import one_line
from app.export.manifest import FileEntry
from app.export.names import bundle_folder_name, evidence_file_name
from app.export.portal import PortalLimits, plan_pack
from app.export.portal_zip import PortalPack, plan_with_index, remove_pack_folder
from app.export.room import room_at, room_problem, storage_message
from app.i18n import tr
from app.models.casefile import CaseFile
from app.models.safe_files import fsync_dir, looked_up, publish

__all__ = ["ExportResult", "export_bundle", "pack_folder"]


@dataclass(frozen=True)
class ExportResult:
    path: Path  # the ZIP, or the folder of a portal pack
    files: int  # files in the bundle, SHA256SUMS included
    evidence_included: int
    evidence_withheld: int
    manifest_sha256: str
    bytes_written: int
    folder: str = ""  # the one folder inside the ZIP (or inside every part)
    parts: tuple[Path, ...] = field(default=())  # a portal pack's ZIP files, in order
    # Given to the officer separately from the bundle: with the manifest's, it proves the
    # bundle (and the report alone) is the one made here. Also in the audit event.
    report_sha256: str = ""
    # Items left out because their content could not be read back from the case file (a
    # damaged page): (exhibit reference, original name) each. The report and manifest say so.
    damaged: tuple[tuple[str, str], ...] = ()
    # New details found in chat exports not looked through yet, done before the bundle.
    chat_details_found: int = 0


def pack_folder(out_path: str | os.PathLike[str]) -> Path:
    """Where a portal pack goes when the person chose `OUT` (or `OUT.zip`): the folder `OUT`."""
    target = Path(out_path)
    return target.with_suffix("") if target.suffix.lower() == ".zip" else target


class _ZipOutput:
    """One ZIP file, written under its partial name."""

    def __init__(self, partial: Path, passphrase: str | None, when: datetime,
                 folder: str) -> None:
        self.partial = partial
        # 0600: the bundle holds the whole case in the clear (unless encrypted); only the
        # person decides who else may read it.
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0),
                     0o600)
        self._handle: IO[bytes] = os.fdopen(fd, "wb")
        self.sink = BundleZip(DiskPaced(self._handle), passphrase, when, folder)
        self.parts: tuple[Path, ...] = ()

    def finish(self) -> int:
        self.sink.finish()
        self._handle.flush()
        os.fsync(self._handle.fileno())  # the rest of the data, and the file's own facts
        self._handle.close()
        return self.partial.stat().st_size

    def publish(self, target: Path, replace: bool) -> None:
        publish(self.partial, target, replace=replace)

    def abandon(self) -> None:
        with contextlib.suppress(Exception):
            self.sink.abandon()
        with contextlib.suppress(Exception):
            self._handle.close()
        with contextlib.suppress(OSError):
            self.partial.unlink()


class _PackOutput:
    """A portal pack: its parts in a partial folder, renamed to the pack's folder at the end."""

    def __init__(self, pack: PortalPack, target: Path) -> None:
        self.partial = pack.workdir
        self.sink = pack
        self.parts = tuple(target / name for name in pack.part_names)

    def finish(self) -> int:
        return self.sink.finish()

    def publish(self, target: Path, replace: bool) -> None:
        if target.exists() or target.is_symlink():  # a folder is never replaced
            raise InvalidInput(tr("A folder with that name already exists. Choose another "
                                  "name."))
        os.rename(self.partial, target)
        fsync_dir(target.parent)

    def abandon(self) -> None:
        self.sink.abandon()


def _look_through_chats(case: CaseFile, progress: ProgressCallback | None,
                        is_cancelled: CancelCheck | None) -> int:
    """New details in chat exports whose messages were not looked through yet (added a moment
    ago, the window's background reader still on one, or the window closed before it got
    there): the bundle lists what they hold. A reader on the same export finishes it and this
    moves on (one pass per export at a time, core/reading/chat_details.py)."""
    from app.core.reading import find_in_chats, pending_exports  # its rules load on first use

    if not pending_exports(case):
        return 0
    if progress is not None:
        progress(0, 1, tr("Looking through the chat exports"))
    return find_in_chats(case, should_stop=is_cancelled or (lambda: False)).found


def export_bundle(
    case: CaseFile,
    out_path: str | os.PathLike[str],
    *,
    include_sensitive: bool = False,
    bundle_passphrase: str | None = None,
    progress: ProgressCallback | None = None,
    is_cancelled: CancelCheck | None = None,
    overwrite: bool = False,
    portal: PortalLimits | None = None,
) -> ExportResult:
    """Write the case bundle for officers to `out_path` (a .zip).

    `include_sensitive` adds the originals of items marked sensitive (they are always listed,
    with their hashes). `bundle_passphrase` makes an AES-256 encrypted ZIP. `progress(done,
    total, label)` is called often; `is_cancelled()` is checked between files and chunks, while
    the report is drawn, and a last time just before the bundle gets its name. `overwrite`
    replaces an existing file (the window asks first). `portal` makes a portal pack in the new
    folder `pack_folder(out_path)` instead (never replacing anything).
    """
    target = Path(out_path) if portal is None else pack_folder(out_path)
    _check_target(target, overwrite and portal is None)
    if bundle_passphrase is not None and not bundle_passphrase:
        raise InvalidInput(tr("Choose a passphrase for the bundle, or make it without one."))
    in_chats = _look_through_chats(case, progress, is_cancelled)
    if progress is not None:  # reading a large case takes a moment: say so at once
        progress(0, 1, tr("Reading the case"))
    damaged: frozenset[int] = frozenset()
    while True:
        snap = take_snapshot(case, include_sensitive=include_sensitive, damaged=damaged)
        try:
            return replace(_write_bundle(case, target, snap, overwrite=overwrite, portal=portal,
                                         bundle_passphrase=bundle_passphrase, progress=progress,
                                         is_cancelled=is_cancelled), chat_details_found=in_chats)
        except OriginalChanged as changed:
            # Content that reads back other than it arrived: a change (no bundle may hide
            # it), unless the file has damaged pages, one of which read as zeros.
            if changed.evidence_id in damaged or not has_damaged_pages(case):
                raise
            damaged |= {changed.evidence_id}
        except NotACaseFile:
            # A damaged page in an item's content. Find every damaged item (reading each
            # whole, only now) and make the bundle again without them; a damage that is in no
            # item's content (the case's own tables) stays an error.
            if progress is not None:
                progress(0, 1, tr("Some evidence could not be read. Finding which items…"))
            found = unreadable_items(case, [e.id for e in snap.evidence if e.id not in damaged],
                                     Progress(None, is_cancelled, 0, 0).check_cancel)
            if not found:
                raise
            damaged |= frozenset(found)


def _write_bundle(case: CaseFile, target: Path, snap: CaseSnapshot, *, overwrite: bool,
                  portal: PortalLimits | None, bundle_passphrase: str | None,
                  progress: ProgressCallback | None,
                  is_cancelled: CancelCheck | None) -> ExportResult:
    """One attempt at the bundle of `snap`; NotACaseFile where an item's content is damaged."""
    include_sensitive = snap.include_sensitive
    included = snap.evidence.where(lambda e: not snap.is_left_out(e))
    folder = bundle_folder_name(snap.summary.display_name, snap.summary.crime_reference,
                                snap.exported_at.astimezone().date())
    names = {e.id: "evidence/" + evidence_file_name(snap.exhibit_stem(e.id), e.sha256,
                                                    e.original_name)
             for e in included}
    from app.export.report_pictures import picture_ids  # ReportLab: only once exporting

    tracker = Progress(progress, is_cancelled, sum(included.sizes), len(snap.evidence),
                       len(picture_ids(snap)), sum(c.message_count for c in snap.conversations))
    tracker.step(0, tr("Preparing"))
    if portal is not None:  # the originals alone must fit: say so before the report is drawn
        plan_pack(planned_files(snap, Documents([], "", "", []), included, names), portal,
                  folder, 0)

    _sweep_stale_partials(target)  # before the room is measured: they may hold some of it
    problem = room_problem(room_at(target.parent), one_file=portal is None,
                           bundle_at_least=sum(e.size for e in included
                                               if not worth_compressing(e.detected_type)))
    if problem is not None:
        raise StorageError(problem)
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    output: _ZipOutput | _PackOutput | None = None
    documents: Documents | None = None
    ours: tuple[int, int] | None = None  # the partial's identity, once it is complete
    published = committed = False
    try:
        encrypted = bundle_passphrase is not None
        originals = original_entries(included, names)
        meanwhile: Meanwhile | None = None
        zip_output: _ZipOutput | None = None
        if portal is None:
            output = zip_output = _ZipOutput(partial, bundle_passphrase, snap.exported_at,
                                             folder)
            meanwhile = functools.partial(_write_meanwhile, case, output.sink, snap, included,
                                          originals, tracker)
        documents = build_documents(case, snap, included, originals, names, tracker,
                                    encrypted=encrypted, folder=folder,
                                    portal=portal is not None, spool=target.parent,
                                    meanwhile=meanwhile)
        if portal is not None:
            plan, part_names, _room = plan_with_index(
                planned_files(snap, documents, included, names), portal, folder, folder)
            output = _PackOutput(PortalPack(partial, plan, part_names, portal,
                                            bundle_passphrase, snap.exported_at, folder), target)
            write_documents(output.sink, documents.files, tracker)
            copy_originals(case, output.sink, snap, included, originals, tracker)
        else:
            assert zip_output is not None
            write_documents(zip_output.sink, documents.files, tracker)  # report, manifest, sums
            zip_output.sink.list_first(documents.listing)
        assert output is not None
        included_count = len(included)
        # The audit event below lists every file: the lists made for copying go first.
        del included, names, originals, meanwhile
        tracker.step(0, tr("Finishing"))
        size = output.finish()
        info = partial.stat()
        ours = (info.st_dev, info.st_ino)
        result = ExportResult(target, len(output.sink.entries), included_count,
                              len(snap.withheld_ids), documents.manifest_sha256, size, folder,
                              output.parts, documents.report_sha256,
                              tuple((snap.exhibit(e.id), one_line(e.original_name, 80))
                                    for e in snap.evidence if e.id in snap.damaged))
        # The last moment a cancel is honoured. After it the bundle gets its name and the audit
        # event is committed, together; from then on it is written, and the person is told so.
        tracker.check_cancel()
        with _case_disk_named(case, target), case.write() as session:
            audit(session, case.actor, "bundle.export", "case", {
                "file": target.name, "folder": folder, "counts": snap.counts(),
                # The marks officers will know the exhibits by (case details warns of a change).
                "initials": snap.summary.producer_initials,
                "files": result.files, "include_sensitive": include_sensitive,
                "encrypted": encrypted,
                "withheld": [snap.exhibit(i) for i in snap.withheld_ids],
                "damaged": [snap.exhibit(i) for i in snap.damaged_ids],
                "manifest_sha256": documents.manifest_sha256,
                "report_sha256": documents.report_sha256, "bytes": size,
                # Every file as it was written (the originals as hashed again while copied):
                # the case keeps what the officer was given, whatever happens to the bundle.
                "file_sha256": {e.path: e.sha256 for e in output.sink.entries},
                "portal_pack": None if portal is None else {
                    "parts": [p.name for p in output.parts], "max_files": portal.max_files,
                    "max_size": portal.max_size},
            })
            # Inside the transaction: if the rename fails, the audit event is not committed;
            # if the commit fails, the bundle is removed again (below).
            output.publish(target, overwrite)
            published = True
        committed = True
        tracker.finish(tr("Done"))
        return result
    except OSError as exc:
        _clean_up(output, _unrecorded(target, ours, published, committed))
        raise StorageError(storage_message(exc, portal=portal is not None)) from None
    except BaseException:
        _clean_up(output, _unrecorded(target, ours, published, committed))
        raise
    finally:
        if documents is not None:
            documents.close()


@contextlib.contextmanager
def _case_disk_named(case: CaseFile, target: Path) -> Iterator[None]:
    """A full disk met while the export is recorded in the case is the case's disk: said so
    when the bundle goes to another disk, where the person sees plenty of room."""
    try:
        yield
    except CaseDiskFull:
        try:
            apart = case.path.stat().st_dev != target.parent.stat().st_dev
        except OSError:
            apart = False
        if not apart:
            raise
        raise StorageError(tr(
            "The disk that holds the case file is full, and each bundle is recorded in the "
            "case. Free some space on that disk (the bundle's folder has room), then try "
            "again. No bundle was written; nothing already saved was lost.")) from None


def _write_meanwhile(case: CaseFile, sink: BundleZip, snap: CaseSnapshot,
                     included: Sequence[EvidenceRow], originals: list[FileEntry],
                     tracker: Progress, made: list[Document | SpooledDocument]) -> None:
    """While the report is drawn: the spreadsheets written, then the originals copied."""
    write_documents(sink, made)
    copy_originals(case, sink, snap, included, originals, tracker)


def _unrecorded(target: Path, ours: tuple[int, int] | None, published: bool,
                committed: bool) -> Path | None:
    """The target, if it is this export's bundle and its audit event was not committed.

    A recorded bundle always stays. An unrecorded one must go, also when the rename itself
    succeeded and a later step of `publish` failed (the folder's fsync), but a file someone
    else put under that name is never touched: this export's file is recognised by its
    device and inode, which a rename or a hard link keeps (0 where a file system has none).
    """
    if committed:
        return None
    if published:
        return target
    if ours is None or ours[1] == 0:
        return None
    try:
        info = target.stat()
    except OSError:
        return None
    return target if (info.st_dev, info.st_ino) == ours else None


def _check_target(target: Path, overwrite: bool) -> None:
    found = looked_up(target)  # a drive that does not answer (a stick taken out) is said
    if found is not None and stat.S_ISDIR(found.st_mode):
        raise InvalidInput(tr("A folder with that name already exists. Choose another name."))
    folder = looked_up(target.parent)
    if folder is None or not stat.S_ISDIR(folder.st_mode):
        raise InvalidInput(tr("That folder does not exist. Choose another place."))
    if found is not None and not overwrite:
        raise InvalidInput(tr("A file with that name already exists. Choose another name."))


_STALE_AFTER_SECONDS = 3600


def _sweep_stale_partials(target: Path) -> None:
    """Remove half bundles left by a crash or a kill (they hold case data in the clear).

    Only for the same target name, and only if untouched for an hour, so an export still
    running in another window is never disturbed. A half portal pack is a folder of parts.
    """
    cutoff = time.time() - _STALE_AFTER_SECONDS
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.partial-*"):
        with contextlib.suppress(OSError):
            if leftover.is_symlink() or leftover.stat().st_mtime >= cutoff:
                continue
            if leftover.is_file():
                leftover.unlink()
            elif leftover.is_dir():
                remove_pack_folder(leftover)


def _clean_up(output: _ZipOutput | _PackOutput | None, published: Path | None) -> None:
    if output is not None:
        output.abandon()
    if published is not None:
        if published.is_dir() and not published.is_symlink():
            remove_pack_folder(published)
        else:
            with contextlib.suppress(OSError):
                published.unlink()
