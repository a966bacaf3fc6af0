"""The committed sample of realistic screenshots, and scoring over it, without Chromium.

`tests/fixtures/ocr_realistic` holds one picture of every layout made by
`benchmarks/ocr_realistic` from SAMPLE_SEED (Chromium-rendered imitations of the apps, each
in one of the PNG, JPEG and downscaled variants) with their JSON sidecars. These tests check
that the sidecars describe the pictures, that the generator still makes what the sample
labels, and that `bench_ocr_realistic` scores the pictures end to end through the real
engine. The figures for the README come from the held-out seeds, not from here.

Remake the sample after changing the generator:
    python -m benchmarks.ocr_realistic.render tests/fixtures/ocr_realistic --sample
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from benchmarks import bench_ocr_realistic as bench
from benchmarks.ocr_realistic import HELD_OUT_SEEDS, SAMPLE_SEED, TUNED_SEEDS
from benchmarks.ocr_realistic.frame import FONTS
from benchmarks.ocr_realistic.render import FONT_PACKAGES, LAYOUTS, VARIANTS, page
from benchmarks.ocr_realistic.values import OTHER_KINDS, SCORED_KINDS
from benchmarks.ocr_values_base import label

SAMPLE = Path(__file__).parent / "fixtures" / "ocr_realistic"
# A regression guard, not the goal (90%): over the whole sample, the share of the offender's
# details found was 0.65 (20 of 31) on the engine of 30 November 2026 before issue 17's
# fixes, and 0.87 (27 of 31, 1 wrong) after the first round of them. Falling below this
# floor means recognition got worse on realistic pictures.
RECALL_FLOOR = 0.80


@pytest.fixture(scope="module")
def sidecars() -> list[dict[str, Any]]:
    return bench.load(SAMPLE)


def test_the_sample_covers_every_layout_and_variant(sidecars: list[dict[str, Any]]) -> None:
    assert {(s["app"], s["device"]) for s in sidecars} == set(LAYOUTS)
    assert {v for s in sidecars for v in s["files"]} == set(VARIANTS)
    assert {s["seed"] for s in sidecars} == {SAMPLE_SEED}
    assert not {SAMPLE_SEED} & set(HELD_OUT_SEEDS + TUNED_SEEDS)
    assert not set(HELD_OUT_SEEDS) & set(TUNED_SEEDS)
    planted = [p for s in sidecars for p in s["planted"]]
    assert {p["kind"] for p in planted if p["offender"]} >= {
        "email", "phone", "mtcn", "skype-id", "username", "bank-account", "name"}
    assert {p["kind"] for p in planted if not p["offender"]} >= {
        "email", "phone", "url", "date-time", "amount", "name"}


def test_sidecars_match_their_pictures(sidecars: list[dict[str, Any]]) -> None:
    for sidecar in sidecars:
        (variant, entry), = sidecar["files"].items()
        data = (SAMPLE / entry["name"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["name"]
        width, height = sidecar["pixels"]
        assert width == sidecar["css_size"][0] * sidecar["scale"]
        if variant == "down":
            width, height = round(width * 0.75), round(height * 0.75)
        with Image.open(SAMPLE / entry["name"]) as picture:
            assert picture.size == (width, height)
            assert picture.format == ("JPEG" if variant == "jpeg" else "PNG")
        assert 70 <= sidecar["jpeg_quality"] <= 85


def test_every_label_is_on_its_page_with_a_valid_kind_and_key(
        sidecars: list[dict[str, Any]]) -> None:
    for sidecar in sidecars:
        assert sidecar["planted"], sidecar["files"]
        for planted in sidecar["planted"]:
            kind, value = planted["kind"], planted["value"]
            assert kind in SCORED_KINDS + OTHER_KINDS
            if kind in SCORED_KINDS:
                assert planted["key"] == label(kind, value, planted["platform"])[1]
            # As written on the page (a link's scheme and a handle's "@" are not shown);
            # a bank account's sort code and number are on lines of their own.
            shown = value.removeprefix("https://").lstrip("@")
            for part in shown.split():
                assert part in sidecar["text"], (kind, value, sidecar["files"])


def test_the_generator_still_makes_what_the_sample_labels(
        sidecars: list[dict[str, Any]]) -> None:
    for sidecar in sidecars:
        made = page(sidecar["seed"], sidecar["index"])
        again = page(sidecar["seed"], sidecar["index"])
        assert made.document("roboto") == again.document("roboto")  # deterministic by seed
        assert (made.app, made.device) == (sidecar["app"], sidecar["device"])
        everything = [p.as_json() for p in made.planted]
        # What overflowed was removed before the screenshot: the sample holds a subset.
        assert all(p in everything for p in sidecar["planted"]), sidecar["files"]
    assert page(SAMPLE_SEED, 0).document("roboto") != page(SAMPLE_SEED + 1, 0).document("roboto")


def test_without_chromium_the_benchmark_skips_with_a_message(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium on this PATH
    (row,) = bench.rows()
    assert row.measured == "skipped" and "chromium is not installed" in row.detail


def _program(folder: Path, name: str, prints: str = "") -> None:
    script = folder / name
    script.write_text(f"#!/bin/sh\nprintf '%s' '{prints}'\n")
    script.chmod(0o755)


def test_without_the_pages_fonts_the_benchmark_skips_naming_their_packages(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Chromium would draw the pages in whatever font there is: other pixels than the figures
    # were measured on, with no sign of it. A machine with Chromium and DejaVu only:
    _program(tmp_path, "chromium")
    _program(tmp_path, "fc-list", "DejaVu Sans\nDejaVu Serif,DejaVu Serif Condensed\n")
    monkeypatch.setenv("PATH", str(tmp_path))
    (row,) = bench.rows()
    assert row.measured == "skipped"
    for package in ("fonts-roboto", "fonts-noto-core", "fonts-liberation2",
                    "fonts-noto-color-emoji"):
        assert package in row.detail
    # With every family there, nothing is missing.
    _program(tmp_path, "fc-list", "\n".join(FONT_PACKAGES) + "\n")
    from benchmarks.ocr_realistic.render import cannot_render

    assert cannot_render() is None


def test_every_font_the_pages_ask_for_first_is_checked_for() -> None:
    firsts = {stack.split(",")[0].strip(" '") for stack in FONTS.values()}
    assert firsts <= FONT_PACKAGES.keys()


@pytest.mark.slow
def test_scoring_runs_end_to_end_over_the_sample(sidecars: list[dict[str, Any]]) -> None:
    outcomes = bench.evaluate(SAMPLE, sidecars, VARIANTS)
    assert set(outcomes) == set(VARIANTS)
    assert sum(len(o.results) for o in outcomes.values()) == len(sidecars)
    labelled = sum(len(bench.expected(s)) for s in sidecars)
    right = wrong = missed = 0
    for outcome in outcomes.values():
        tp, fp, fn = outcome.total()
        right, wrong, missed = right + tp, wrong + fp, missed + fn
        assert outcome.negatives > 0
        for _, _, _, precision, recall in outcome.scores.values():
            assert 0.0 <= precision <= 1.0 and 0.0 <= recall <= 1.0
    assert right + missed == labelled
    rows = bench.summary_rows(outcomes, len(sidecars))
    assert len(rows) == len(VARIANTS) and all("%" in row.measured for row in rows)
    assert "| mtcn |" in bench.kind_table(outcomes)
    recall = right / labelled
    assert not math.isnan(recall) and recall >= RECALL_FLOOR, (
        f"{right} of {labelled} found, {wrong} wrong")
