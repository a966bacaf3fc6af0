"""Where OCR and the candidate rules go wrong: every miss and every wrong candidate.

    python benchmarks/ocr_failures.py [COUNT] [--seed N] [--jobs N] [--text]

Renders COUNT labelled screenshots (`ocr_corpus`), reads each with `ocr_engine.recognise`
in worker processes, and prints precision and recall per kind, then by layout and by font,
then each screenshot's misses and wrong candidates (`--text` adds the lines OCR read).
`bench_ocr.py` gives the headline figures; this is for finding the patterns behind them.
The seeds the tests score on (`ocr_corpus.HELD_OUT_SEEDS`) are refused: rules mended by
looking at their misses would pass those tests without being any better on new pictures.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.reading.candidates import Candidate, find_candidates
from benchmarks.common import machine
from benchmarks.ocr_corpus import HELD_OUT_SEEDS, render
from benchmarks.ocr_scoring import PROFILE_URL, Label, score, table

Result = tuple[str, frozenset[Label], list[Candidate], str, float]
REQUIRED = ("email", "phone", "skype-id", "mtcn", PROFILE_URL)


def read_one(seed: int, index: int) -> Result:
    """Render, recognise and search one screenshot: (description, expected, found, text, s)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    from app.core.pictures.text_engine import recognise

    shot = render(seed, index)
    started = time.perf_counter()
    page = recognise(shot.image)
    candidates = find_candidates(page)
    return shot.description, shot.expected, candidates, page.text, time.perf_counter() - started


def _option(args: list[str], name: str, default: int) -> int:
    return int(args[args.index(name) + 1]) if name in args else default


def main() -> int:
    args = sys.argv[1:]
    count = int(args[0]) if args and args[0].isdigit() else 150
    seed, jobs = _option(args, "--seed", 0), _option(args, "--jobs", os.cpu_count() or 1)
    if seed in HELD_OUT_SEEDS:
        print(f"seed {seed} is held out for the tests: look for patterns on another seed",
              file=sys.stderr)
        return 2
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        results = list(pool.map(read_one, [seed] * count, range(count)))
    wall = time.perf_counter() - started
    per_shot = sum(r[4] for r in results) / max(1, len(results))
    print(f"OCR corpus: {count} screenshots, seed {seed}, {jobs} processes, on {machine()}")
    print(f"{wall:.1f} s in all; OCR and rules {per_shot:.2f} s per screenshot per process\n")
    print(table(score((expected, found) for _, expected, found, _, _ in results)))
    print("\nPrecision/recall by layout and by font:")
    groups: dict[str, list[tuple[frozenset[Label], list[Candidate]]]] = {}
    for description, expected, found, _, _ in results:
        device, font = description.split(" ", 1)[0], description.rsplit(", ", 1)[1]
        for group in (device, font.rsplit(" ", 1)[0]):
            groups.setdefault(group, []).append((expected, found))
    for group, members in sorted(groups.items()):
        scores = score(members)
        cells = [
            f"{kind} {scores[kind][3]:.2f}/{scores[kind][4]:.2f}"
            for kind in REQUIRED
            if kind in scores
        ]
        print(f"  {group:20s} {len(members):4d} shots  " + "  ".join(cells))
    for index, (description, expected, found, text, _) in enumerate(results):
        pairs = {(c.kind, c.normalised) for c in found}
        missed, wrong = expected - pairs, pairs - expected
        if missed or wrong:
            print(f"\n#{index} {description}")
            for kind, key in sorted(missed):
                print(f"  missed {kind}: {key}")
            for c in found:
                if (c.kind, c.normalised) in wrong:
                    print(f"  wrong  {c.kind}: {c.normalised!r} from {c.value!r}")
            if "--text" in args:
                print("  | " + text.replace("\n", "\n  | "))
    return 0


if __name__ == "__main__":
    sys.exit(main())
