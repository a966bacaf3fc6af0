"""The originals are read a few chunks ahead in a thread of their own (app/export/originals.py,
app/export/read_ahead.py):
every byte arrives in order, item by item; memory stays bounded; and stopping half-way (a
cancel) ends the reading thread at once."""

import hashlib
import os
import threading
from pathlib import Path

from app.core.intake import import_paths
from app.export.originals import Originals
from app.export.read_ahead import AHEAD
from app.models.casefile import CaseFile

MIB = 1024 * 1024


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "originals"]


def _add(case: CaseFile, folder: Path, sizes: list[int]) -> dict[int, bytes]:
    contents = {f"file{number}.bin": os.urandom(size) for number, size in enumerate(sizes)}
    for name, data in contents.items():
        (folder / name).write_bytes(data)
    outcomes = import_paths(case, [folder / name for name in contents])
    added = {}
    for outcome in outcomes:
        assert outcome.evidence_id is not None, outcome
        added[outcome.evidence_id] = contents[Path(outcome.path).name]
    return added


def test_every_item_comes_back_whole_and_in_order(case: CaseFile, tmp_path: Path) -> None:
    added = _add(case, tmp_path, [3 * MIB + 5, 1, 10, 2 * MIB])
    originals = Originals(case, sorted(added))
    try:
        for evidence_id in sorted(added):
            digest = hashlib.sha256()
            for chunk in originals.chunks(evidence_id):
                digest.update(chunk)
            assert digest.hexdigest() == hashlib.sha256(added[evidence_id]).hexdigest()
    finally:
        originals.close()
    assert _readers() == []


def test_stopping_half_way_ends_the_reading_thread(case: CaseFile, tmp_path: Path) -> None:
    added = _add(case, tmp_path, [(AHEAD + 4) * MIB, MIB])
    first = min(added)
    originals = Originals(case, sorted(added))
    chunks = originals.chunks(first)
    assert len(next(chunks)) == MIB
    assert _readers()  # reading ahead meanwhile, at most AHEAD chunks
    originals.close()
    assert _readers() == []
    case.close()  # no read transaction left open on the reader's side
