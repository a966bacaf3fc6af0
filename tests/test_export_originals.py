"""Originals are read back for the bundle a batch of items per query (app/export/originals.py):
across batch boundaries, with an empty file, a file of several chunks and withheld items between
them, every original in the bundle is byte for byte the one stored."""

import hashlib
import os
from pathlib import Path

from app.core.records import iter_contents
from app.export import export_bundle, verify_bundle
from app.models.casefile import CaseFile
from tests.test_export_support import add_evidence_direct, unzip


def test_every_original_comes_back_whole_across_batches(case: CaseFile, tmp_path: Path) -> None:
    expected: dict[str, bytes] = {}
    withheld = set()
    for number in range(205):  # more than one batch of 200
        if number == 3:
            data = b""
        elif number == 150:
            data = os.urandom(2 * 1024 * 1024 + 5)  # three chunks
        else:
            data = f"chat line {number}\n".encode() * (number % 7 + 1)
        sensitive = number in (4, 199, 200)
        add_evidence_direct(case, data, f"item-{number}.txt", kind="text",
                            detected_type="text/plain", thumbnail=False, sensitive=sensitive)
        digest = hashlib.sha256(data).hexdigest()
        if sensitive:
            withheld.add(digest)
        else:
            expected[digest] = data
    result = export_bundle(case, tmp_path / "bundle.zip")
    root = unzip(result.path, tmp_path / "out")
    found = {hashlib.sha256(p.read_bytes()).hexdigest(): p.read_bytes()
             for p in (root / "evidence").rglob("*") if p.is_file()}
    assert found == expected
    assert not withheld & found.keys()
    assert result.evidence_included == len(expected) and verify_bundle(result.path).ok


def test_iter_contents_gives_chunks_in_id_order(case: CaseFile) -> None:
    ids = [add_evidence_direct(case, f"{n}".encode() * 10, f"{n}.txt", kind="text",
                               detected_type="text/plain", thumbnail=False) for n in range(5)]
    got = list(iter_contents(case, list(reversed(ids)), batch=2))
    assert [evidence_id for evidence_id, _ in got] == sorted(ids)
    assert [chunk for _, chunk in got] == [f"{n}".encode() * 10 for n in range(5)]
