"""Evidence intake: any file, byte for byte, hashed on arrival, stored in group commits.

The pipeline, for a batch of screenshots on a 2-core machine:
- this thread reads each file once, takes its SHA-256 from the very bytes it will store (before
  anything decodes them), and skips content already in the case;
- images go to the preview pool (separate processes: a hostile image can hang or crash a
  decoder, never the app), several at a time, so decoding uses every core;
- other small files are read and hashed the same way and queued behind them, in order;
- as each item is complete (its preview back), in order, it joins a group, and the group is
  committed in ONE transaction every GROUP_SECONDS (or at a count or size bound): for each
  item the row, the original in chunks, the thumbnail and the audit event. A commit is an
  fsync, so sharing it is what makes many small files fast. An item is reported as added only
  after its group's commit returned: a kill at any moment loses at most items not yet
  reported, leaves nothing half-stored, and every item reported is there.
Files too big for memory (video, large documents) are streamed straight into the case in
chunks, hashing as they go, each in its own transaction after the group before it.
"""

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from app.core.chats import DateOrder
from app.core.intake.batch import (
    BatchImporter,
    IsCancelled,
    OnOutcome,
    Progress,
)
from app.core.intake.chat_reading import OnChat, read_chats_in_batch
from app.core.intake.outcome import ImportOutcome
from app.core.intake.previews import Previews, PreviewsOnDemand
from app.core.intake.read_stops import SourceGone
from app.core.intake.system_files import left_out_file, left_out_folder, online_only
from app.core.pictures import PreviewPool
from app.errors import SafekeepError
from app.i18n import tr
from app.models import EvidenceSource
from app.models.casefile import CaseFile

__all__ = ["Found", "expand_paths", "import_bytes", "import_paths"]


class Found(NamedTuple):
    """A file to import, or one refused before it is read (`not_followed` says why, in a
    sentence for the person: a link inside a folder, which is not followed, or iCloud Drive's
    placeholder for a file not on this computer), or a file or folder the computer made for itself,
    left out of a folder (`left_out` says why)."""

    path: Path
    display: str
    source: EvidenceSource
    not_followed: str | None = None
    left_out: str | None = None


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Found]:
    """Every file to import: files as given, and every file under a folder (sorted, so the
    order is the same each time).

    Links inside a folder are never followed, and each is reported: a folder copied from an
    archive or another person could hold a link to /etc/passwd or a key in ~/.ssh, which
    would then be kept and given to the police; a link to a folder could loop. A link given
    by name is followed (the person chose it) and says where it leads."""
    for raw in paths:
        path = Path(raw)
        if _answers(path.is_dir):
            yield from _walk(path)
        elif _answers(path.is_symlink):
            yield Found(path, tr("{path} (a link to {target})").format(
                path=raw, target=_target(path)), EvidenceSource.FILE)
        else:
            yield Found(path, str(raw), EvidenceSource.FILE, online_only(path))


def _answers(question: Callable[[], bool]) -> bool:
    """A yes from `path.is_dir` or `path.is_symlink`; no where the drive does not answer (a
    USB stick taken out): the path is then tried as a file, whose reading says why."""
    try:
        return question()
    except OSError:
        return False


def _walk(folder: Path) -> Iterator[Found]:
    # A folder that cannot be opened (its permissions, a disk gone) is said, never skipped in
    # silence: the person would believe everything in it was kept and might delete it.
    unopened: list[OSError] = []
    said_any = opened = False
    for root, dirs, files in os.walk(folder, onerror=unopened.append, followlinks=False):
        opened = True
        said_any |= bool(unopened)
        yield from _unopened(unopened)
        links = sorted(name for name in dirs if (Path(root) / name).is_symlink())
        own = {name: why for name in dirs if name not in links
               and (why := left_out_folder(Path(root) / name)) is not None}
        dirs[:] = sorted(name for name in dirs if name not in links and name not in own)
        entries = [(name, True) for name in links] + [(name, False) for name in files]
        for name, why in sorted(own.items()):
            said_any = True
            full = Path(root) / name
            yield Found(full, str(full), EvidenceSource.FOLDER, left_out=why)
        for name, is_folder in sorted(entries):
            said_any = True
            full = Path(root) / name
            if is_folder:
                yield Found(full, str(full), EvidenceSource.FOLDER, tr(
                    "This is a link to another folder. Links inside a folder are not followed, "
                    "so nothing was added from it."))
            elif full.is_symlink():
                yield Found(full, str(full), EvidenceSource.FOLDER, tr(
                    "This is a link to another file. Links inside a folder are not followed, "
                    "so nothing was added from it. Add the file itself if it belongs in the "
                    "case."))
            elif (why := online_only(full)) is not None:
                yield Found(full, str(full), EvidenceSource.FOLDER, why)
            elif (why := left_out_file(full)) is not None:
                yield Found(full, str(full), EvidenceSource.FOLDER, left_out=why)
            else:
                yield Found(full, str(full), EvidenceSource.FOLDER)
    said_any |= bool(unopened)
    yield from _unopened(unopened)
    if opened and not said_any:  # said, so that an empty folder is not taken for a kept one
        yield Found(folder, str(folder), EvidenceSource.FOLDER, tr(
            "This folder holds no files, so nothing was added from it."))


def _unopened(errors: list[OSError]) -> Iterator[Found]:
    """A refusal for each folder `os.walk` could not open since this was last asked."""
    while errors:
        error = errors.pop(0)
        where = Path(error.filename) if error.filename else Path()
        yield Found(where, str(where), EvidenceSource.FOLDER, _why_unopened(error))


def _why_unopened(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return tr("Safekeep is not allowed to open this folder, so nothing in it was added. "
                  "Check its permissions.")
    return tr("This folder could not be opened, so nothing in it was added.")


def _target(link: Path) -> str:
    try:
        return str(link.resolve(strict=False))
    except (OSError, RuntimeError):  # a loop of links
        return str(os.readlink(link))


def import_paths(
    case: CaseFile,
    paths: Sequence[str | os.PathLike[str]],
    *,
    sensitive: bool = False,
    note: str = "",
    progress: Progress | None = None,
    is_cancelled: IsCancelled | None = None,
    pool: PreviewPool | None = None,
    on_outcome: OnOutcome | None = None,
    date_order: DateOrder | None = None,
    on_chat: OnChat | None = None,
) -> list[ImportOutcome]:
    """Add files and folders. Carries on past bad files; returns one outcome per file seen,
    then one per attachment kept from a chat export (see chat_reading: `date_order` settles
    a WhatsApp chat whose dates fit both orders; `on_chat` hears what each export gave).

    Items are committed a group at a time (see group.py), and each outcome is announced to
    `on_outcome` only once it is final: an item is reported as added only after the commit
    that holds it returned. On cancel, the items already read are committed (each is
    complete) and reported, and the rest are not read. A full disk stops the batch with a
    StorageError; everything committed before it is intact, the group that failed is not
    stored and was not reported. A drive the files are read from that goes away stops it too
    (SourceGone, a StorageError), once what was read before is committed and reported.
    """
    files = list(expand_paths(paths))
    with _pool_or(pool) as active:
        importer = BatchImporter(
            case, active, sensitive=sensitive, note=note, on_outcome=on_outcome,
            is_cancelled=is_cancelled,
        )
        gone: SourceGone | None = None
        try:
            for index, found in enumerate(files):
                if is_cancelled is not None and is_cancelled():
                    break
                if progress is not None:
                    progress(index, len(files), found.path.name)
                if found.not_followed is not None:
                    importer.refuse(found.display, found.not_followed)
                elif found.left_out is not None:
                    importer.leave_out(found.display, found.left_out)
                else:
                    try:
                        importer.add_file(found.path, found.display, found.source)
                    except SourceGone as stop:  # as a cancel: what was read is kept
                        gone = stop
                        break
            importer.finish()
        except SafekeepError:
            importer.abandon()  # what was not committed was not reported either
            raise
        if gone is not None:
            raise gone
        attachments = [] if is_cancelled is not None and is_cancelled() else (
            read_chats_in_batch(  # adding the same files again reads what was left
                case, active, importer.outcomes, sensitive=sensitive, note=note,
                date_order=date_order, on_chat=on_chat, on_outcome=on_outcome,
                not_chats=importer.not_chats))
        if progress is not None:
            progress(len(files), len(files), "")
        return importer.outcomes + attachments


def import_bytes(
    case: CaseFile,
    data: bytes,
    name: str,
    *,
    source: EvidenceSource,
    sensitive: bool = False,
    note: str = "",
    pool: PreviewPool | None = None,
) -> ImportOutcome:
    """Add data that never was a file: a pasted image, a screen capture."""
    with _pool_or(pool, workers=1) as active:
        importer = BatchImporter(case, active, sensitive=sensitive, note=note)
        importer.add_bytes(data, name, source)
        importer.finish()
        return importer.outcomes[0]


class _pool_or:
    """Use the caller's pool (the desktop app keeps one for its session) or one for this batch
    (the command line), started by the first picture (previews.py)."""

    def __init__(self, pool: PreviewPool | None, workers: int | None = None) -> None:
        self._given = pool
        self._own: PreviewsOnDemand | None = None
        self._workers = workers

    def __enter__(self) -> Previews:
        if self._given is not None:
            return self._given
        self._own = PreviewsOnDemand(self._workers)
        return self._own.__enter__()

    def __exit__(self, *exc: object) -> None:
        if self._own is not None:
            self._own.__exit__(None, None, None)
