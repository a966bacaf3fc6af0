"""Text recognition and the candidate rules together, on labelled chat screenshots.

The screenshots come from `benchmarks.ocr_corpus`: desktop and phone layouts, light and dark
themes, the fonts Safekeep ships and Pillow's own, with fake details written into chat
sentences and every time and date labelled. The details police ask for first must be found
at least 9 times in 10 (recall), and 9 in 10 of what is proposed must be right (precision).

The pictures come from held-out seeds, which nobody tuned the rules on: on the seeds the
rules were tuned on, a rule that learned those pictures by heart would pass.
`benchmarks/bench_ocr.py` measures the same on a larger set and lists every miss.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from app.core.pictures.text_pool import OcrPool, OcrStatus
from app.core.reading.candidates import Candidate, find_candidates
from benchmarks.ocr_corpus import HELD_OUT_SEEDS, TUNED_SEEDS, render
from benchmarks.ocr_scoring import PROFILE_URL, Label, Score, score
from tests.ocr_support import no_rule_fails

pytestmark = pytest.mark.slow

SEEDS = HELD_OUT_SEEDS  # 8 and 9: never used to tune the rules (0 and 1 were)
PER_SEED = 64  # 128 pictures, about 50 s on two cores; fewer make one miss worth several %
REQUIRED = ("email", "phone", "skype-id", "mtcn", PROFILE_URL)
GOAL = 0.90
# Where the held-out pictures find the rules short of the goal. Measured when these seeds
# were chosen, before anyone looked at their misses: Skype ID recall 0.897 (35 of 39) and
# profile URL recall 0.884 (76 of 86), where the 64 tuned pictures scored before gave 0.90
# or more. The goal stays: these recall tests are expected to fail it (strictly, so reaching
# it is noticed and this entry goes), and they must not fall below FLOOR.
# Skype ID left this list on 2026-12-01: with PP-OCR's reading of small unsure words
# (text_recheck) it found 36 of 39 (0.923).
SHORT_OF_GOAL = (PROFILE_URL,)
FLOOR = 0.85

Results = list[tuple[frozenset[Label], list[Candidate]]]


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def results() -> Results:
    """The corpus read the way the app reads pictures: PNG bytes through the real OcrPool."""
    shots = [render(seed, index) for seed in SEEDS for index in range(PER_SEED)]
    with OcrPool() as pool:
        read = dict(pool.map_unordered((n, _png(shot.image)) for n, shot in enumerate(shots)))
    out = []
    for n, shot in enumerate(shots):
        assert read[n].status is OcrStatus.OK and read[n].page is not None
        with no_rule_fails():
            out.append((shot.expected, find_candidates(read[n].page)))
    return out


def test_the_seeds_scored_were_never_tuned_on() -> None:
    assert SEEDS and not set(SEEDS) & set(TUNED_SEEDS)


def _measured(results: Results, kind: str) -> tuple[Score, str]:
    scores = score(results)
    tp, fp, fn, _, _ = scores[kind]
    assert tp + fn >= 5, f"too few {kind} labels in the corpus to measure"
    return scores[kind], f"{kind}: {tp} right, {fp} wrong, {fn} missed"


@pytest.mark.parametrize("kind", [
    pytest.param(kind, marks=pytest.mark.xfail(
        strict=True, reason="short of the goal on held-out pictures: see SHORT_OF_GOAL"))
    if kind in SHORT_OF_GOAL else kind
    for kind in REQUIRED
])
def test_recall(results: Results, kind: str) -> None:
    (_, _, _, _, recall), detail = _measured(results, kind)
    assert recall >= GOAL, f"recall {recall:.3f} < {GOAL} ({detail})"


@pytest.mark.parametrize("kind", SHORT_OF_GOAL)
def test_recall_short_of_the_goal_holds_its_floor(results: Results, kind: str) -> None:
    (_, _, _, _, recall), detail = _measured(results, kind)
    assert recall >= FLOOR, f"recall {recall:.3f} < {FLOOR}, worse than before ({detail})"


@pytest.mark.parametrize("kind", REQUIRED)
def test_precision(results: Results, kind: str) -> None:
    (_, _, _, precision, _), detail = _measured(results, kind)
    assert precision >= GOAL, f"precision {precision:.3f} < {GOAL} ({detail})"


def test_the_corpus_is_deterministic() -> None:
    seed = SEEDS[0]
    first, again = render(seed, 3), render(seed, 3)
    assert first.expected == again.expected
    assert first.image.tobytes() == again.image.tobytes()
    assert render(seed + 1, 3).image.tobytes() != first.image.tobytes()
