"""A file still being written is read only up to the size it had when the import looked at it,
and refused if it changed meanwhile (issue 20, item 9): before, a file that was small when the
import began was read until its writer stopped (2.4 GB and 6 GB stored), and an endless writer
made an endless import."""

import io
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.intake import import_paths
from app.core.intake.fixed_size import FileChanged, FixedSizeReader
from app.core.records import check_case
from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile


class _Writer:
    """Appends to a file as fast as it can until stopped: a download that never ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        block = os.urandom(4096)
        with self.path.open("ab") as handle:
            while not self._stop.is_set():
                handle.write(block)
                handle.flush()
                self.written += len(block)

    def __enter__(self) -> "_Writer":
        self._thread.start()
        while self.written < 1 << 20:  # it is writing before the import looks
            pass
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


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
