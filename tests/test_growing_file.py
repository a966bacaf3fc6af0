"""A file still being written is read only up to the size it had when the import looked at it,
and refused if it changed meanwhile (issue 20, item 9): before, a file that was small when the
import began was read until its writer stopped (2.4 GB and 6 GB stored), and an endless writer
made an endless import."""

import io
import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.core.intake import import_paths
from app.core.intake.fixed_size import FileChanged, FixedSizeReader
from app.core.records import check_case
from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile


class _Writer:
    """Appends to a file as fast as it can until stopped: a download that never ends.

    A thread alone is a race: it may get no turn between the import's look at the size and its
    last read (the GIL, a busy machine), and then the file did not change while it was read. So
    the file also grows by one block at the moment the import opens it (a Python audit hook on
    `open`): after the size was taken, before the bytes are read, every time."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._block = os.urandom(4096)
        self._appending = False
        _HOOKED.append(self._grow_when_opened)

    def _run(self) -> None:
        with self.path.open("ab") as handle:
            while not self._stop.is_set():
                handle.write(self._block)
                handle.flush()
                self.written += len(self._block)

    def _grow_when_opened(self, event: str, args: tuple[object, ...]) -> None:
        if (event != "open" or self._stop.is_set() or self._appending
                or not args or str(args[0]) != str(self.path)):
            return
        self._appending = True  # the append below opens the file too
        try:
            with self.path.open("ab") as handle:
                handle.write(self._block)
        finally:
            self._appending = False

    def __enter__(self) -> "_Writer":
        self._thread.start()
        while self.written < 1 << 20:  # it is writing before the import looks
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        _HOOKED.remove(self._grow_when_opened)


# Audit hooks cannot be taken away, so one hook is added once and calls whatever is listed.
_HOOKED: list[Callable[[str, tuple[object, ...]], None]] = []


def _call_hooked(event: str, args: tuple[object, ...]) -> None:
    for hook in list(_HOOKED):
        hook(event, args)


sys.addaudithook(_call_hooked)


@pytest.fixture
def growing(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    path = tmp_path / "in" / str(request.param)
    path.parent.mkdir()
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(request.param))
    yield path


@pytest.mark.parametrize("growing", [200_000, 6 * 1024 * 1024], indirect=True,
                         ids=["read-whole", "streamed"])
def test_a_file_that_keeps_growing_is_refused_and_nothing_is_kept(
        case: CaseFile, growing: Path) -> None:
    with _Writer(growing):
        [outcome] = import_paths(case, [growing])
    assert outcome.status == "refused", outcome
    assert "changed while it was read" in (outcome.reason or "")
    assert list_evidence(case) == []
    assert check_case(case).ok
    [again] = import_paths(case, [growing])  # once it is complete it goes in as usual
    assert again.status == "added" and again.sha256 is not None


def test_the_reader_reads_exactly_the_size_and_notices_growth_and_shrinking() -> None:
    assert FixedSizeReader(io.BytesIO(b"abcdef"), 6).read_all() == b"abcdef"
    with pytest.raises(FileChanged):
        FixedSizeReader(io.BytesIO(b"abcdefg"), 6).read_all()
    with pytest.raises(FileChanged):
        FixedSizeReader(io.BytesIO(b"abc"), 6).read_all()
    reader = FixedSizeReader(io.BytesIO(b"abcdef"), 6)
    assert reader.read(4) == b"abcd" and reader.tell() == 4
    assert reader.seek(0) == 0 and reader.read_all() == b"abcdef"
