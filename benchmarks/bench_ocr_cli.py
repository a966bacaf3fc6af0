"""Text recognition against Tesseract's own reference runner: the `tesseract` command-line
program reading the same 1080p screenshots (docs/DESIGN.md via issue 18: at most 1.2x).

    python benchmarks/bench_ocr_cli.py [PICTURES] [RUNS]

The floor, in words: one `tesseract` process reading every picture from a list file (one
start-up and one model load for the whole batch), English model, automatic page layout (as
Safekeep asks for), one thread (OMP_THREAD_LIMIT=1), word boxes written as TSV. Against it:
Safekeep's whole reading of the same files in one warm worker of the real pool (hand-over,
decoding, preparation, Tesseract, the second looks, the answer back). The two are run
interleaved, several times; the medians, minimum and maximum are printed.

A second row gives the same program the pictures as Safekeep prepares them for Tesseract (grey,
text dark on white, small text enlarged two or three times): what is left between the two is
Safekeep's own work around the engine. Enlarging small text costs Tesseract time on its own
and is kept because it reads desktop chat text far better.

The command-line program is Debian's (`apt-get install tesseract-ocr`), which may be an older
Tesseract than the one in the tesserocr wheel: the row says both versions. Without the program
the row says so and has no result.

A third row measures against the Tesseract Safekeep itself runs (the library in the tesserocr
wheel), doing what the program does: a fresh Python process that loads the model once, then
for each picture in the list has Tesseract read the file, lay out the page and recognise it
(automatic layout, one thread) and write its word boxes as TSV. On the machine of 2026-12-04
that library read the originals in 0.82x the program's time (Tesseract 5.5.4 against Debian's
5.3.0), so the program is the slower floor, and the ratio against it flatters Safekeep.
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, print_table, spread

if TYPE_CHECKING:
    from benchmarks.ocr_corpus import LabelledScreenshot

GOAL = 1.2


def _cli_version(program: str) -> str:
    said = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
    first = (said.stdout or said.stderr).splitlines()
    return first[0].strip() if first else "tesseract"


def _cli_reading(program: str, listing: Path, out: Path, model_dir: Path) -> float:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    started = time.perf_counter()
    subprocess.run([program, str(listing), str(out), "--tessdata-dir", str(model_dir),
                    "-l", "eng", "--psm", "3", "tsv"],
                   check=True, capture_output=True, env=env)
    return time.perf_counter() - started


# The program's work, done by the Tesseract library Safekeep loads (see the module doc).
_LIBRARY_RUNNER = """
import os, sys
os.environ["OMP_THREAD_LIMIT"] = "1"
import tesserocr
api = tesserocr.PyTessBaseAPI(path=sys.argv[2], lang="eng", psm=tesserocr.PSM.AUTO)
for line in open(sys.argv[1]):
    api.SetImageFile(line.strip())
    api.Recognize()
    api.GetTSVText(0)
"""


def _library_reading(listing: Path, model_dir: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", _LIBRARY_RUNNER, str(listing), str(model_dir)],
                   check=True, capture_output=True, env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return time.perf_counter() - started


def rows(pictures: int = 9, runs: int = 3) -> list[Row]:
    from app.core.pictures.text_engine import engine_version, model_folder
    from app.core.pictures.text_pool import OcrPool, OcrStatus
    from benchmarks.ocr_corpus import generate

    name = "Text recognition vs the tesseract command-line program"
    program = shutil.which("tesseract")
    if program is None:
        return [Row(name, "not measured", f"<= {GOAL}x", None,
                    "the tesseract program is not installed (apt-get install tesseract-ocr)")]
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-ocr-cli-"))
    try:
        shots = [s for s in generate(pictures * 6, seed=11) if s.size == (1920, 1080)][:pictures]
        paths = []
        for n, shot in enumerate(shots):
            path = work / f"Screenshot_{n:02d}.png"
            shot.image.save(path)
            paths.append(path)
        listing = _listing(work / "pictures.txt", paths)
        prepared = _listing(work / "prepared.txt", _prepared(shots, work))
        contents = [p.read_bytes() for p in paths]
        mine: list[float] = []
        floor: list[float] = []
        floor_prepared: list[float] = []
        floor_library: list[float] = []
        with OcrPool(workers=1) as pool:
            first = pool.submit(contents[0]).result()  # the worker is warm, as in a batch
            assert first.status is OcrStatus.OK, first
            for _ in range(runs):  # interleaved, so drift on the machine hits both alike
                floor.append(_cli_reading(program, listing, work / "out", model_folder()))
                floor_prepared.append(
                    _cli_reading(program, prepared, work / "out", model_folder()))
                floor_library.append(_library_reading(listing, model_folder()))
                started = time.perf_counter()
                for data in contents:
                    pool.submit(data).result()
                mine.append(time.perf_counter() - started)
        ratio = statistics.median(mine) / statistics.median(floor)
        around = statistics.median(mine) / statistics.median(floor_prepared)
        same_engine = statistics.median(mine) / statistics.median(floor_library)
        library_vs_program = statistics.median(floor_library) / statistics.median(floor)
        versions = f"{engine_version()} in Safekeep, {_cli_version(program)} on the command line"
        return [
            Row(name, f"{ratio:.2f}x", f"<= {GOAL}x", ratio <= GOAL,
                f"{len(paths)} 1080p screenshots, median of {runs} interleaved runs: "
                f"Safekeep {spread(mine)}, one `tesseract` process over a list file "
                f"{spread(floor)}; both on one core ({versions})"),
            Row(name + ", given the pictures as Safekeep prepares them", f"{around:.2f}x", "-",
                None, f"the program read the grey, enlarged pictures in {spread(floor_prepared)}:"
                " the rest is Safekeep's own work around the engine"),
            Row("Text recognition vs the program's work done by Safekeep's own Tesseract "
                "library", f"{same_engine:.2f}x", "-", None,
                f"a fresh process loading {engine_version()} from the tesserocr wheel read the "
                f"same files as the program does (layout, recognition, TSV) in "
                f"{spread(floor_library)}: {library_vs_program:.2f}x the program's time"),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _listing(path: Path, pictures: list[Path]) -> Path:
    """A list file: the command-line program reads every picture named in it, one per line."""
    path.write_text("".join(f"{picture}\n" for picture in pictures))
    return path


def _prepared(shots: list["LabelledScreenshot"], work: Path) -> list[Path]:
    """The pictures as Safekeep hands them to Tesseract (see text_engine.prepare)."""
    from app.core.pictures.text_engine import prepare

    paths = []
    for n, shot in enumerate(shots):
        grey, _factor = prepare(shot.image)
        path = work / f"prepared_{n:02d}.png"
        grey.save(path)
        paths.append(path)
    return paths


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print_table(rows(count, repeat))
