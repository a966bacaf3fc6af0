"""Text recognition and the candidate rules together, on labelled chat screenshots.

The screenshots come from `benchmarks.ocr_corpus`: desktop and phone layouts, light and dark
themes, the fonts Safekeep ships and Pillow's own, with fake details written into chat
sentences and every time and date labelled. The details police ask for first must be found
at least 9 times in 10 (recall), and 9 in 10 of what is proposed must be right (precision).

`benchmarks/bench_ocr.py` measures the same on a larger set and lists every miss.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.core.reading.candidates import Candidate, find_candidates
from app.core.reading.pool import OcrPool, OcrStatus
from benchmarks.ocr_corpus import render
from benchmarks.ocr_scoring import PROFILE_URL, Label, score

pytestmark = pytest.mark.slow

SEED = 0
COUNT = 64  # about 25 s on two cores; fewer make one miss worth several percent
REQUIRED = ("email", "phone", "skype-id", "mtcn", PROFILE_URL)
GOAL = 0.90


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def results() -> list[tuple[frozenset[Label], list[Candidate]]]:
    """The corpus read the way the app reads pictures: PNG bytes through the real OcrPool."""
    shots = [render(SEED, index) for index in range(COUNT)]
    with OcrPool() as pool:
        read = dict(pool.map_unordered((n, _png(shot.image)) for n, shot in enumerate(shots)))
    out = []
    for n, shot in enumerate(shots):
        assert read[n].status is OcrStatus.OK and read[n].page is not None
        out.append((shot.expected, find_candidates(read[n].page)))
    return out


@pytest.mark.parametrize("kind", REQUIRED)
def test_precision_and_recall(
    results: list[tuple[frozenset[Label], list[Candidate]]], kind: str
) -> None:
    scores = score(results)
    tp, fp, fn, precision, recall = scores[kind]
    assert tp + fn >= 5, f"too few {kind} labels in the corpus to measure"
    detail = f"{kind}: {tp} right, {fp} wrong, {fn} missed"
    assert recall >= GOAL, f"recall {recall:.2f} < {GOAL} ({detail})"
    assert precision >= GOAL, f"precision {precision:.2f} < {GOAL} ({detail})"


def test_the_corpus_is_deterministic() -> None:
    first, again = render(SEED, 3), render(SEED, 3)
    assert first.expected == again.expected
    assert first.image.tobytes() == again.image.tobytes()
    assert render(SEED + 1, 3).image.tobytes() != first.image.tobytes()
