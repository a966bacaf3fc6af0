"""Evidence intake: any file, byte for byte, hashed on arrival, one transaction per item.

The pipeline, for a batch of screenshots on a 2-core machine:
- this thread reads each file once, takes its SHA-256 from the very bytes it will store (before
  anything decodes them), and skips content already in the case;
- images go to the preview pool (separate processes: a hostile image can hang or crash a
  decoder, never the app), several at a time, so decoding uses every core;
- as each preview comes back, in order, the item is stored in ONE transaction: the row, the
  original in chunks, the thumbnail and the audit event. A kill at any moment leaves every
  finished item complete and nothing half-stored.
Files too big to preview (video, large documents) are streamed straight into the case in
chunks, hashing as they go, so memory stays bounded whatever their size.
"""

import os
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from app.core.chats import DateOrder
from app.core.intake.batch import (
    BatchImporter,
    ImportOutcome,
    IsCancelled,
    OnOutcome,
    Progress,
)
from app.core.intake.chat_reading import OnChat, read_chats_in_batch
from app.core.pictures import PreviewPool
from app.errors import SafekeepError
from app.models import EvidenceSource
from app.models.casefile import CaseFile

__all__ = ["expand_paths", "import_bytes", "import_paths"]


def expand_paths(
    paths: Iterable[str | os.PathLike[str]],
) -> Iterator[tuple[Path, str, EvidenceSource]]:
    """Every file to import: files as given, and every file under a folder (sorted, so the
    order is the same each time; folder links are not followed, so a loop cannot trap us)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                for name in sorted(files):
                    full = Path(root) / name
                    yield full, str(full), EvidenceSource.FOLDER
        else:
            yield path, str(raw), EvidenceSource.FILE


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

    On cancel, items already stored stay (each is complete) and the rest are not read.
    A full disk stops the batch with a StorageError; everything stored before it is intact.
    """
    files = list(expand_paths(paths))
    with _pool_or(pool) as active:
        importer = BatchImporter(
            case, active, sensitive=sensitive, note=note, on_outcome=on_outcome
        )
        try:
            for index, (path, display, source) in enumerate(files):
                if is_cancelled is not None and is_cancelled():
                    break
                if progress is not None:
                    progress(index, len(files), path.name)
                importer.add_file(path, display, source)
            importer.finish()
        except SafekeepError:
            importer.in_flight.clear()
            raise
        attachments = [] if is_cancelled is not None and is_cancelled() else (
            read_chats_in_batch(  # adding the same files again reads what was left
                case, active, importer.outcomes, sensitive=sensitive, note=note,
                date_order=date_order, on_chat=on_chat, on_outcome=on_outcome))
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
    """Use the caller's pool (the desktop app keeps one for its session) or start one for this
    batch (the command line)."""

    def __init__(self, pool: PreviewPool | None, workers: int | None = None) -> None:
        self._given = pool
        self._own: PreviewPool | None = None
        self._workers = workers

    def __enter__(self) -> PreviewPool:
        if self._given is not None:
            return self._given
        self._own = PreviewPool(workers=self._workers) if self._workers else PreviewPool()
        return self._own.__enter__()

    def __exit__(self, *exc: object) -> None:
        if self._own is not None:
            self._own.__exit__(None, None, None)
