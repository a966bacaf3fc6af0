"""Text recognition on realistic screenshots: web pages imitating the real apps, rendered by
headless Chromium (`benchmarks/ocr_realistic`), as PNG, JPEG and downscaled pictures.

    python benchmarks/bench_ocr_realistic.py                 # held-out seeds, rendered now
    python benchmarks/bench_ocr_realistic.py --seeds 0 1     # tuning seeds
    python benchmarks/bench_ocr_realistic.py --folder DIR    # pictures and sidecars already made
    python benchmarks/bench_ocr_realistic.py --misses ...    # also list each miss (not held-out)

Per kind and per variant: recall of the offender's details, precision of the suggestions
(scored by `ocr_scoring.score`, as the drawn corpus is), and how many labelled negatives (the
person's own details, a receipt page's address bar, times, prices, names) were suggested as
identifiers. Amounts and dates are offered by the app as a different sort of detail, never as
an identifier, so only identifier suggestions are scored. Also the median seconds to read
one 1920x1080 picture in one worker (one core).

Without Chromium, rendering is skipped with a message; `--folder` still works.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.pictures import OcrPage
from app.core.reading.candidates import Candidate
from benchmarks.common import Row, print_table
from benchmarks.ocr_realistic import HELD_OUT_SEEDS
from benchmarks.ocr_realistic.values import SCORED_KINDS
from benchmarks.ocr_scoring import PROFILE_URL, Label, Score, score

RECALL_GOAL, PRECISION_GOAL, SECONDS_GOAL = 0.90, 0.95, 1.5
Sidecar = dict[str, Any]  # as `ocr_realistic.render` writes it
VARIANT_NAMES = {"png": "PNG", "jpeg": "JPEG", "down": "downscaled 0.75"}


@dataclass
class Outcome:
    """One variant's results over a set of pictures."""

    results: list[tuple[frozenset[Label], list[Candidate]]] = field(default_factory=list)
    apps: list[str] = field(default_factory=list)  # the app of each result, in order
    negatives: int = 0  # labelled negatives on the pictures (distinct per picture)
    suggested: list[str] = field(default_factory=list)  # "picture: kind value" of each one
    misses: list[str] = field(default_factory=list)
    confident_wrong: int = 0  # wrong suggestions shown without the "hard to read" mark

    @property
    def scores(self) -> dict[str, Score]:
        return score(self.results)

    def total(self) -> tuple[int, int, int]:
        """(right, wrong, missed) over every kind, each label counted once."""
        found = [0, 0, 0]
        for expected, candidates in self.results:
            pairs = {(c.kind, c.normalised) for c in candidates}
            found[0] += len(pairs & expected)
            found[1] += len(pairs - expected)
            found[2] += len(expected - pairs)
        return found[0], found[1], found[2]


def load(folder: Path) -> list[Sidecar]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def expected(sidecar: Sidecar) -> frozenset[Label]:
    return frozenset((p["kind"], p["key"]) for p in sidecar["planted"]
                     if p["offender"] and p["kind"] in SCORED_KINDS)


def _alnum(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def wrongly_suggested(sidecar: Sidecar, candidates: list[Candidate]) -> list[str]:
    """The negatives a suggestion claims: for a detail, the same key or one misread by a
    character or two (the address bar read as ".../gh/en/..."); for a time, price or name,
    its characters inside a suggestion that is not one of the offender's."""
    labels = expected(sidecar)
    stray = [c for c in candidates if (c.kind, c.normalised) not in labels]
    claimed = []
    for neg in {(p["kind"], p["value"], p["key"]) for p in sidecar["planted"] if not p["offender"]}:
        kind, value, key = neg
        if kind in SCORED_KINDS:
            hit = any(SequenceMatcher(None, c.normalised, key).ratio() >= 0.9 for c in stray)
        else:
            hit = len(_alnum(value)) >= 3 and any(_alnum(value) in _alnum(c.value) for c in stray)
        if hit:
            claimed.append(f"{kind} {value}")
    return claimed


def identifiers(page: OcrPage | None) -> list[Candidate]:
    """The identifier suggestions on a page (not amounts and dates, not names)."""
    from app.core.identifiers import IdentifierType
    from app.core.reading.candidates import find_candidates

    if page is None:
        return []
    return [c for c in find_candidates(page)
            if isinstance(c.kind, IdentifierType) and c.kind is not IdentifierType.NAME]


def hard_to_read(candidate: Candidate, page: OcrPage | None) -> bool:
    """Whether the app shows the suggestion as hard to read (see `reading.stored`)."""
    from app.core.reading.kinds import HARD_TO_READ_BELOW
    from app.core.reading.stored import _confidence

    marked = [page.words[i] for i in candidate.words] if page is not None else []
    return _confidence(candidate, marked) < HARD_TO_READ_BELOW


def evaluate(folder: Path, sidecars: list[Sidecar], variants: Iterable[str]) -> dict[str, Outcome]:
    """Read every picture of every variant through the real worker pool, and score."""
    from app.core.pictures.text_pool import OcrPool, OcrStatus

    jobs = [(n, v) for v in variants for n in range(len(sidecars)) if v in sidecars[n]["files"]]
    with OcrPool() as pool:
        read = dict(pool.map_unordered(
            (job, (folder / sidecars[job[0]]["files"][job[1]]["name"]).read_bytes())
            for job in jobs))
    outcomes: dict[str, Outcome] = {}
    for n, variant in jobs:
        sidecar, result = sidecars[n], read[(n, variant)]
        found = identifiers(result.page if result.status is OcrStatus.OK else None)
        out = outcomes.setdefault(variant, Outcome())
        labels = expected(sidecar)
        out.results.append((labels, found))
        out.apps.append(sidecar["app"])
        name = sidecar["files"][variant]["name"]
        out.negatives += len({(p["kind"], p["key"]) for p in sidecar["planted"]
                              if not p["offender"]})
        out.suggested += [f"{name}: {s}" for s in wrongly_suggested(sidecar, found)]
        pairs = {(c.kind, c.normalised) for c in found}
        out.confident_wrong += sum(1 for c in found if (c.kind, c.normalised) not in labels
                                   and not hard_to_read(c, result.page))
        out.misses += [f"{name}: missed {k} {v}" for k, v in sorted(labels - pairs)]
        out.misses += [f"{name}: wrong {k} {v}" for k, v in sorted(pairs - labels)]
    return outcomes


def seconds_per_1080p(folder: Path, sidecars: list[Sidecar]) -> tuple[float, int]:
    """Median seconds to read one 1920x1080 PNG in one worker, decoding included."""
    from app.core.pictures.text_pool import OcrPool

    pictures = [(folder / s["files"]["png"]["name"]).read_bytes() for s in sidecars
                if s["pixels"] == [1920, 1080] and "png" in s["files"]]
    if not pictures:
        return float("nan"), 0
    with OcrPool(workers=1) as pool:
        pool.submit(pictures[0]).result()  # a warm worker, as in a batch
        times = []
        for data in pictures:
            started = time.perf_counter()
            pool.submit(data).result()
            times.append(time.perf_counter() - started)
    return statistics.median(times), len(times)


def kind_table(outcomes: dict[str, Outcome]) -> str:
    """Recall and precision per kind (rows) and variant (columns), as Markdown."""
    head = "| kind | " + " | ".join(f"{VARIANT_NAMES[v]}: recall / precision"
                                     for v in outcomes) + " |"
    lines = [head, "|---" * (len(outcomes) + 1) + "|"]
    scores = {v: o.scores for v, o in outcomes.items()}
    kinds = sorted({k for s in scores.values() for k in s}, key=lambda k: (k == PROFILE_URL, k))
    for kind in kinds:
        cells = []
        for variant in outcomes:
            tp, fp, fn, precision, recall = scores[variant].get(kind, (0, 0, 0, 1.0, 1.0))
            cells.append(f"{recall:.0%} ({tp}/{tp + fn}) / {precision:.0%} ({tp}/{tp + fp})")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def app_table(outcomes: dict[str, Outcome]) -> str:
    """Offender details found per app (rows) and variant (columns), as Markdown."""
    lines = ["| app | " + " | ".join(f"{VARIANT_NAMES[v]}: found" for v in outcomes) + " |",
             "|---" * (len(outcomes) + 1) + "|"]
    apps = sorted({app for out in outcomes.values() for app in out.apps})
    for app in apps:
        cells = []
        for out in outcomes.values():
            pairs = [(e, {(c.kind, c.normalised) for c in f})
                     for (e, f), a in zip(out.results, out.apps, strict=True) if a == app]
            right = sum(len(e & found) for e, found in pairs)
            wanted = sum(len(e) for e, _ in pairs)
            cells.append(f"{right / wanted:.0%} ({right}/{wanted})" if wanted else "-")
        lines.append(f"| {app} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_rows(outcomes: dict[str, Outcome], pictures: int) -> list[Row]:
    rows = []
    for variant, out in outcomes.items():
        tp, fp, fn = out.total()
        recall, precision = tp / max(1, tp + fn), tp / max(1, tp + fp)
        rows.append(Row(
            f"OCR realistic, {VARIANT_NAMES[variant]}: recall / precision",
            f"{recall:.0%} / {precision:.0%}",
            f">= {RECALL_GOAL:.0%} / >= {PRECISION_GOAL:.0%}",
            recall >= RECALL_GOAL and precision >= PRECISION_GOAL,
            f"{tp} right, {fp} wrong ({out.confident_wrong} of them without the hard-to-read "
            f"mark), {fn} missed; {len(out.suggested)} of {out.negatives} "
            f"negatives suggested; {pictures} pictures",
        ))
    return rows


def rows(seeds: Iterable[int] = HELD_OUT_SEEDS) -> list[Row]:
    """For run_all: render the held-out seeds and score them, or one row saying why not."""
    from benchmarks.ocr_realistic.render import cannot_render, generate

    why_not = cannot_render()
    if why_not is not None:
        return [Row("OCR realistic screenshots", "skipped", "-", None, why_not)]
    with tempfile.TemporaryDirectory(prefix="safekeep-realistic-") as work:
        folder = Path(work)
        generate(seeds, folder)
        return measure(folder)[0]


def measure(folder: Path, variants: Iterable[str] = tuple(VARIANT_NAMES)
            ) -> tuple[list[Row], dict[str, Outcome]]:
    sidecars = load(folder)
    outcomes = evaluate(folder, sidecars, variants)
    seconds, count = seconds_per_1080p(folder, sidecars)
    result = summary_rows(outcomes, len(sidecars))
    result.append(Row("Reading one realistic 1080p screenshot (median)", f"{seconds:.2f} s",
                      f"<= {SECONDS_GOAL} s", seconds <= SECONDS_GOAL,
                      f"{count} PNG screenshots, one worker on one core, decoding included"))
    result.append(stall_row(folder, sidecars))
    return result, outcomes


def stall_row(folder: Path, sidecars: list[Sidecar]) -> Row:
    """The longest GUI stall while the window's background reader reads one seed's pictures
    (every layout, every variant), imported into a case as a person would add them."""
    from PySide6.QtWidgets import QApplication

    from benchmarks.bench_ocr import STALL_GOAL_MS, stall_reading

    if QApplication.instance() is None:
        return Row("Longest GUI stall reading realistic screenshots", "skipped", "-", None,
                   "no QApplication (run this file or run_all.py)")
    seed = min(s["seed"] for s in sidecars)
    pictures = [folder / f["name"] for s in sidecars if s["seed"] == seed
                for f in s["files"].values()]
    with tempfile.TemporaryDirectory(prefix="safekeep-realistic-stall-") as work:
        stall, took, left = stall_reading(pictures, Path(work))
    return Row(f"Longest GUI stall reading {len(pictures)} realistic screenshots",
               f"{stall:.0f} ms", f"<= {STALL_GOAL_MS:.0f} ms",
               stall <= STALL_GOAL_MS and left == 0,
               f"seed {seed}, every layout and variant; the real background reader took "
               f"{took:.1f} s; {left} left unread")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=list(HELD_OUT_SEEDS))
    parser.add_argument("--folder", type=Path, help="score pictures already rendered here")
    parser.add_argument("--keep", type=Path, help="render into this folder and keep it")
    parser.add_argument("--misses", action="store_true", help="list each miss and stray")
    args = parser.parse_args(argv)
    if args.misses and set(args.seeds) & set(HELD_OUT_SEEDS) and not args.folder:
        print("Refusing to list misses on held-out seeds: looking at them would tune on them.")
        return 2
    if args.misses and args.folder and {s["seed"] for s in load(args.folder)} & set(
            HELD_OUT_SEEDS):
        print("Refusing to list misses: this folder holds held-out seeds.")
        return 2
    folder = args.folder or args.keep
    with tempfile.TemporaryDirectory(prefix="safekeep-realistic-") as work:
        if folder is None or args.keep:
            from benchmarks.ocr_realistic.render import cannot_render, generate

            why_not = cannot_render()
            if why_not is not None:
                print(f"Skipped: no realistic screenshots can be rendered: {why_not}. "
                      "Or pass --folder.")
                return 0
            folder = folder or Path(work)
            generate(args.seeds, folder)
        table, outcomes = measure(folder)
        print_table(table)
        print()
        print(kind_table(outcomes))
        print()
        print(app_table(outcomes))
        for variant, out in outcomes.items() if args.misses else ():
            print("\n".join(f"({variant}) negative suggested: {s}" for s in out.suggested))
            print("\n".join(f"({variant}) {m}" for m in out.misses))
    return 0


if __name__ == "__main__":
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    APP = QApplication(sys.argv[:1])
    sys.exit(main(sys.argv[1:]))
