"""One click, one bundle: `export_bundle(case, "case-bundle.zip")`.

The ZIP is written under a temporary name beside the target (`.name.partial-XXXX`), fsynced,
and only then renamed, so a crash, a cancel or a full disk never leaves a half bundle under
the name the person chose. Every original is read back from the case in chunks (bounded
memory), hashed again as it is written, and compared with the hash taken when it arrived; a
mismatch stops the export. The export itself is recorded in the case's audit log, in the same
transaction as the rename: a bundle under its final name is always a recorded one, and what
the caller is told (a result, or an error saying no bundle was written) matches both. A
cancel is honoured up to that transaction, never after it.
"""

import contextlib
import errno
import glob
import os
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from app.core.records import EvidenceRow, audit, iter_content
from app.errors import Cancelled, InvalidInput, SafekeepError, StorageError
from app.export.bundle_zip import BundleZip, worth_compressing
from app.export.casedata import CaseSnapshot, take_snapshot
from app.export.continuity import CSV_NAME as CONTINUITY_CSV
from app.export.continuity import continuity_csv, recheck_withheld
from app.export.csv_export import all_csv_files
from app.export.formatting import evidence_number, one_line
from app.export.manifest import (
    MANIFEST_NAME,
    README_NAME,
    REPORT_NAME,
    SUMS_NAME,
    build_manifest,
    manifest_bytes,
    sums_text,
)
from app.export.names import evidence_file_name
from app.export.originals import Originals
from app.export.readme_text import readme_bytes
from app.i18n import tr
from app.models.casefile import CaseFile
from app.models.safe_files import publish

ProgressCallback = Callable[[int, int, str], None]
CancelCheck = Callable[[], bool]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    files: int  # files in the ZIP, SHA256SUMS included
    evidence_included: int
    evidence_withheld: int
    manifest_sha256: str
    bytes_written: int


class _Progress:
    """Progress in bytes of evidence, plus a share for the report and the other files (the
    report's time grows with the number of items, not their size)."""

    def __init__(self, callback: ProgressCallback | None, cancelled: CancelCheck | None,
                 evidence_bytes: int, items: int, pictures: int = 0) -> None:
        self._callback = callback
        self._cancelled = cancelled
        # A picture page costs about as much as copying a megabyte (it is decoded again).
        self.report_share = 40_000 * (items + 10) + 1_000_000 * pictures
        self.picture_step = 1_000_000
        self.other_share = 5_000 * (items + 10)
        self.total = evidence_bytes + self.report_share + self.other_share
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


def export_bundle(
    case: CaseFile,
    out_path: str | os.PathLike[str],
    *,
    include_sensitive: bool = False,
    bundle_passphrase: str | None = None,
    progress: ProgressCallback | None = None,
    is_cancelled: CancelCheck | None = None,
    overwrite: bool = False,
) -> ExportResult:
    """Write the case bundle for officers to `out_path` (a .zip).

    `include_sensitive` adds the originals of items marked sensitive (they are always listed,
    with their hashes). `bundle_passphrase` makes an AES-256 encrypted ZIP. `progress(done,
    total, label)` is called often; `is_cancelled()` is checked between files and chunks, while
    the report is drawn, and a last time just before the bundle gets its name. `overwrite`
    replaces an existing file (the window asks first).
    """
    target = Path(out_path)
    _check_target(target, overwrite)
    if bundle_passphrase is not None and not bundle_passphrase:
        raise InvalidInput(tr("Choose a passphrase for the bundle, or make it without one."))
    if progress is not None:  # reading a large case takes a moment: say so at once
        progress(0, 1, tr("Reading the case"))
    snap = take_snapshot(case, include_sensitive=include_sensitive)
    included = [e for e in snap.evidence if not snap.is_withheld(e)]
    names = {e.id: "evidence/" + evidence_file_name(e.id, e.sha256, e.original_name)
             for e in included}
    from app.export.report_pictures import picture_ids  # ReportLab: only once exporting

    tracker = _Progress(progress, is_cancelled, sum(e.size for e in included), len(snap.evidence),
                        len(picture_ids(snap)))
    tracker.step(0, tr("Preparing"))

    _sweep_stale_partials(target)
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    handle: IO[bytes] | None = None
    bundle: BundleZip | None = None
    ours: tuple[int, int] | None = None  # the partial file's identity, once it is complete
    published = committed = False
    try:
        # 0600: the bundle holds the whole case in the clear (unless encrypted); only the
        # person decides who else may read it.
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0),
                     0o600)
        handle = os.fdopen(fd, "wb")
        bundle = BundleZip(handle, bundle_passphrase, snap.exported_at)
        manifest_sha = _write_contents(case, bundle, snap, included, names, tracker,
                                       encrypted=bundle_passphrase is not None)
        tracker.step(0, tr("Finishing"))
        bundle.finish()
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        info = partial.stat()
        ours, size = (info.st_dev, info.st_ino), info.st_size
        result = ExportResult(target, len(bundle.entries), len(included), len(snap.withheld_ids),
                              manifest_sha, size)
        # The last moment a cancel is honoured. After it the bundle gets its name and the audit
        # event is committed, together; from then on it is written, and the person is told so.
        tracker.check_cancel()
        with case.write() as session:
            audit(session, case.actor, "bundle.export", "case", {
                "file": target.name, "counts": snap.counts(), "files": result.files,
                "include_sensitive": include_sensitive,
                "encrypted": bundle_passphrase is not None,
                "withheld": [evidence_number(i) for i in snap.withheld_ids],
                "manifest_sha256": manifest_sha, "bytes": size,
            })
            # Inside the transaction: if the rename fails, the audit event is not committed;
            # if the commit fails, the bundle is removed again (below).
            publish(partial, target, replace=overwrite)
            published = True
        committed = True
        tracker.finish(tr("Done"))
        return result
    except OSError as exc:
        _clean_up(bundle, handle, partial, _unrecorded(target, ours, published, committed))
        raise StorageError(_storage_message(exc)) from None
    except BaseException:
        _clean_up(bundle, handle, partial, _unrecorded(target, ours, published, committed))
        raise


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


def _write_contents(case: CaseFile, bundle: BundleZip, snap: CaseSnapshot,
                    included: list[EvidenceRow], names: dict[int, str], tracker: _Progress,
                    *, encrypted: bool) -> str:
    """Originals, CSV, manifest, report, README, SHA256SUMS; returns the manifest's SHA-256."""
    originals = Originals(case, [item.id for item in included])
    try:
        for number, item in enumerate(included, start=1):
            label = tr("Copying evidence {n} of {m}").format(n=number, m=len(included))
            tracker.step(0, label)
            entry = bundle.add_stream(names[item.id],
                                      _checked(originals.chunks(item.id), tracker),
                                      size=item.size,
                                      compress=worth_compressing(item.detected_type),
                                      on_chunk=tracker.step)
            if entry.sha256 != item.sha256 or entry.size != item.size:
                raise SafekeepError(tr(
                    "Evidence {number} ({name}) no longer matches the SHA-256 taken when it "
                    "was added, so no bundle was written. Run “safekeep check” on this case "
                    "and ask for help before sharing it."
                ).format(number=evidence_number(item.id), name=one_line(item.original_name, 80)))
            snap.rechecked[item.id] = entry.sha256  # for the continuity of exhibits
    finally:
        originals.close()  # ends the read transaction now, also when cancelled half-way
    recheck_withheld(case, snap, tracker.check_cancel)
    tracker.step(0, tr("Writing the spreadsheets"))
    for path, data in all_csv_files(snap, names):
        bundle.add_bytes(path, data)
    bundle.add_bytes(CONTINUITY_CSV, continuity_csv(snap))
    files = list(bundle.entries)
    manifest = bundle.add_bytes(MANIFEST_NAME, manifest_bytes(build_manifest(snap, files, names)))
    tracker.step(tracker.other_share, tr("Writing the report"))
    pdf = _build_pdf(case, snap, manifest.sha256, names, tracker)
    bundle.add_bytes(REPORT_NAME, pdf)
    tracker.step(tracker.report_share)
    bundle.add_bytes(README_NAME, readme_bytes(snap, manifest.sha256, encrypted=encrypted))
    bundle.add_bytes(SUMS_NAME, sums_text(bundle.entries))
    return manifest.sha256


def _build_pdf(case: CaseFile, snap: CaseSnapshot, manifest_sha256: str, names: dict[int, str],
               tracker: _Progress) -> bytes:
    from app.export.report import build_report  # ReportLab loads only when a bundle is made
    from app.export.report_pictures import Picture, report_pictures

    def cancelled() -> bool:
        tracker.check_cancel()
        return False

    with report_pictures(snap, lambda i: b"".join(iter_content(case, i))) as pictures:

        def picture(evidence_id: int) -> Picture:
            tracker.step(tracker.picture_step)
            return pictures(evidence_id)

        return build_report(snap, manifest_sha256=manifest_sha256, evidence_files=names,
                            picture=picture, is_cancelled=cancelled)


def _checked(chunks: Iterator[bytes], tracker: _Progress) -> Iterator[bytes]:
    for chunk in chunks:
        tracker.check_cancel()
        yield chunk


def _check_target(target: Path, overwrite: bool) -> None:
    if target.is_dir():
        raise InvalidInput(tr("That is a folder. Choose a file name for the bundle."))
    if not target.parent.is_dir():
        raise InvalidInput(tr("That folder does not exist. Choose another place."))
    if target.exists() and not overwrite:
        raise InvalidInput(tr("A file with that name already exists. Choose another name."))


_STALE_AFTER_SECONDS = 3600


def _sweep_stale_partials(target: Path) -> None:
    """Remove half bundles left by a crash or a kill (they hold case data in the clear).

    Only for the same target name, and only if untouched for an hour, so an export still
    running in another window is never disturbed.
    """
    cutoff = time.time() - _STALE_AFTER_SECONDS
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.partial-*"):
        with contextlib.suppress(OSError):
            if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                leftover.unlink()


def _clean_up(bundle: BundleZip | None, handle: IO[bytes] | None, partial: Path,
              published: Path | None) -> None:
    if bundle is not None:
        with contextlib.suppress(Exception):
            bundle.abandon()
    if handle is not None:
        with contextlib.suppress(Exception):
            handle.close()
    for path in (partial, published):
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()


def _storage_message(exc: OSError) -> str:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return tr("The disk is full, so the bundle could not be written. Free some space or "
                  "choose another place, then try again. The case itself is unchanged.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return tr("Safekeep is not allowed to write there. Choose another folder.")
    return tr("The bundle could not be written there. Choose another place and try again. "
              "The case itself is unchanged.")
