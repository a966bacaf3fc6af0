"""The report's reading-size pictures are read ahead in a thread of their own
(app/export/read_ahead.py): each comes back exactly as kept, also when asked for out of order
or after the reading met a damaged page, and stopping half-way ends the thread at once."""

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core.intake.ingest import import_bytes
from app.core.pictures import PreviewPool
from app.core.records import ReadingImage, iter_reading_images, read_reading_image
from app.errors import NotACaseFile
from app.export import read_ahead
from app.export.read_ahead import ReadingPictures
from app.models import EvidenceSource
from app.models.casefile import CaseFile
from tests.test_export_support import add_evidence_direct, png_bytes


def _readers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "reading pictures"]


@pytest.fixture
def pictures(case: CaseFile) -> list[int]:
    """Six pasted pictures with their reading pictures kept, and one item without any."""
    with PreviewPool(workers=1) as pool:
        ids = []
        for seed in range(6):
            outcome = import_bytes(case, png_bytes(640, 400 + seed, seed=seed), f"{seed}.png",
                                   source=EvidenceSource.CLIPBOARD, pool=pool)
            assert outcome.evidence_id is not None
            ids.append(outcome.evidence_id)
    ids.insert(3, add_evidence_direct(case, b"%PDF-1.4\n", "receipt.pdf", kind="document",
                                      detected_type="application/pdf", thumbnail=False))
    return ids


def _kept(case: CaseFile, ids: list[int]) -> dict[int, ReadingImage | None]:
    return {i: read_reading_image(case, i) for i in ids}


def test_each_picture_comes_back_as_kept_in_the_order_the_pages_ask(
        case: CaseFile, pictures: list[int]) -> None:
    kept = _kept(case, pictures)
    assert sum(image is not None for image in kept.values()) == 6
    ahead = ReadingPictures(case, pictures)
    try:
        assert [ahead.get(i) for i in pictures] == [kept[i] for i in pictures]
        assert ahead.get(pictures[1]) == kept[pictures[1]]  # again, out of order: read now
    finally:
        ahead.close()
    assert _readers() == []
    batched = dict(iter_reading_images(case, pictures, batch=4))
    assert batched == {i: image for i, image in kept.items() if image is not None}


def test_pictures_asked_for_out_of_order_or_skipped_are_still_right(
        case: CaseFile, pictures: list[int]) -> None:
    kept = _kept(case, pictures)
    ahead = ReadingPictures(case, pictures)
    try:
        order = [pictures[4], pictures[0], pictures[5], pictures[2]]  # back, then skipping
        assert [ahead.get(i) for i in order] == [kept[i] for i in order]
    finally:
        ahead.close()


def test_after_a_damaged_page_each_picture_is_read_on_its_own(
        case: CaseFile, pictures: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    kept = _kept(case, pictures)

    def damaged_after_one(case: CaseFile, ids: list[int]) -> Iterator[tuple[int, ReadingImage]]:
        stream = iter_reading_images(case, ids)
        yield next(stream)
        raise NotACaseFile("a page of the case file is damaged")

    monkeypatch.setattr(read_ahead, "iter_reading_images", damaged_after_one)
    ahead = ReadingPictures(case, pictures)
    try:
        assert [ahead.get(i) for i in pictures] == [kept[i] for i in pictures]
    finally:
        ahead.close()
    assert _readers() == []


def test_stopping_half_way_ends_the_reading_thread(case: CaseFile, pictures: list[int],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_ahead, "BATCH_ITEMS", 1)  # a batch per picture: the queue fills
    monkeypatch.setattr(read_ahead, "AHEAD", 2)
    ahead = ReadingPictures(case, pictures)
    assert ahead.get(pictures[0]) is not None
    assert _readers()  # reading ahead meanwhile
    ahead.close()
    assert _readers() == []
    case.close()  # no read transaction left open on the reader's side


def test_a_report_of_many_pictures_reads_each_kept_picture_once(
        case: CaseFile, pictures: list[int], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The bundle's report takes its pictures from the reading ahead, not a query each."""
    from app.export import export_bundle

    asked: list[int] = []
    reading_one = read_ahead.read_reading_image

    def counted(case: CaseFile, evidence_id: int) -> ReadingImage | None:
        asked.append(evidence_id)
        return reading_one(case, evidence_id)

    monkeypatch.setattr(read_ahead, "read_reading_image", counted)
    export_bundle(case, tmp_path / "bundle.zip")
    assert asked == []  # every page's picture came from the reading ahead
    assert _readers() == []
