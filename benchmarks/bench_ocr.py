"""Text recognition: how well details are found, how long a 1080p screenshot takes, and
whether the window stays responsive while a batch is read.

    python benchmarks/bench_ocr.py [CORPUS_SIZE] [BATCH]

- Precision and recall per kind on a labelled corpus generated here (`ocr_corpus`: chat-like
  screenshots with known values in several fonts, sizes, light and dark themes), read by the
  real engine in the real worker pool. Goal: at least 90% each for e-mail, phone, Skype ID,
  MTCN and profile URL.
- The median time to read one 1920x1080 chat screenshot, in one worker (one core).
- The longest GUI stall while the real background reader reads a batch of screenshots (goal:
  no stall over 50 ms, as for import and export).
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.ui.kit.interpreter_share import shared_with_window
from benchmarks.common import Row, print_table

REQUIRED = ("email", "phone", "skype-id", "mtcn", "profile URL")
GOAL = 0.90
STALL_GOAL_MS = 50.0
SECONDS_GOAL = 3.0
PASSPHRASE = "bench passphrase"


def _png(image: object) -> bytes:
    import io

    out = io.BytesIO()
    image.save(out, "PNG")  # type: ignore[attr-defined]
    return out.getvalue()


def accuracy_rows(count: int) -> list[Row]:
    from app.core.pictures.text_pool import OcrPool, OcrStatus
    from app.core.reading.candidates import find_candidates
    from benchmarks.ocr_corpus import generate
    from benchmarks.ocr_scoring import score

    corpus = list(generate(count, seed=7))
    started = time.perf_counter()
    with OcrPool() as pool:
        read = dict(pool.map_unordered((n, _png(s.image)) for n, s in enumerate(corpus)))
    took = time.perf_counter() - started
    results = []
    for n, shot in enumerate(corpus):
        result = read[n]
        page = result.page if result.status is OcrStatus.OK else None
        results.append((shot.expected, find_candidates(page) if page is not None else []))
    scores = score(results)
    rows = []
    for kind, (tp, fp, fn, precision, recall) in scores.items():
        required = kind in REQUIRED
        worst = min(precision, recall)
        rows.append(
            Row(
                f"OCR {kind}: precision / recall",
                f"{precision:.0%} / {recall:.0%}",
                f">= {GOAL:.0%} each" if required else "-",
                worst >= GOAL if required else None,
                f"{tp} right, {fp} wrong, {fn} missed in {count} screenshots",
            )
        )
    rows.sort(key=lambda r: (r.passed is None, r.name))
    rows.append(
        Row(
            f"OCR corpus read by the pool ({count} screenshots)",
            f"{took:.1f} s",
            "-",
            None,
            f"{count / took:.1f} screenshots/s on all cores",
        )
    )
    return rows


def speed_rows(runs: int) -> list[Row]:
    from app.core.pictures.text_pool import OcrPool
    from benchmarks.ocr_corpus import generate

    desktop = [s for s in generate(runs * 6, seed=11) if s.size == (1920, 1080)][:runs]
    with OcrPool(workers=1) as pool:
        pool.submit(_png(desktop[0].image)).result()  # the worker is warm, as in a batch
        times = []
        for shot in desktop:
            data = _png(shot.image)
            started = time.perf_counter()
            pool.submit(data).result()
            times.append(time.perf_counter() - started)
    median = statistics.median(times)
    return [
        Row(
            "Reading one 1080p chat screenshot (median)",
            f"{median:.2f} s",
            f"<= {SECONDS_GOAL:.0f} s",
            median <= SECONDS_GOAL,
            f"{len(times)} screenshots, one worker on one core, decoding included",
        )
    ]


def stall_rows(batch: int) -> list[Row]:
    from benchmarks.ocr_corpus import generate

    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-ocr-"))
    try:
        shots = []
        for n, shot in enumerate(generate(batch, seed=23)):
            path = work / f"Screenshot_{n:03d}.png"
            shot.image.save(path)
            shots.append(path)
        stall, took, left = stall_reading(shots, work)
        return [
            Row(
                f"Longest GUI stall reading {batch} screenshots",
                f"{stall:.0f} ms",
                f"<= {STALL_GOAL_MS:.0f} ms",
                stall <= STALL_GOAL_MS and left == 0,
                f"the real background reader took {took:.1f} s; {left} left unread",
            )
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


@shared_with_window()  # as run_desktop_app sets the window's process
def stall_reading(pictures: list[Path], work: Path) -> tuple[float, float, int]:
    """(longest GUI stall in ms, seconds, pictures left unread) while the real background
    reader of the "Found in evidence" view reads `pictures`, imported into a case in `work`.
    Needs a QApplication (see __main__)."""
    from PySide6.QtWidgets import QApplication

    from app.core.intake.ingest import import_paths
    from app.core.reading.stored import unread_ids
    from app.models.casefile import CaseFile
    from app.ui.kit.collector import freeze_heap, thaw_heap
    from app.ui.kit.controller import CaseController
    from app.ui.kit.worker import wait_for_all
    from app.ui.reading.found_view import FoundView
    from benchmarks.bench_stall import StallMeter, spin_until

    app = QApplication.instance()
    assert isinstance(app, QApplication), "make the QApplication first (see __main__)"
    path = work / "stall-case.skcase"
    with CaseFile.create(path, PASSPHRASE, display_name="ocr", actor="bench") as case:
        import_paths(case, pictures)
    controller = CaseController(actor="bench")
    view = FoundView(controller)
    view.reader.automatic = False  # started below, with the meter running
    view.resize(1000, 700)
    view.show()
    opened: list[bool] = []
    controller.unlock(path, PASSPHRASE, on_done=lambda: opened.append(True))
    spin_until(app, lambda: bool(opened))
    freeze_heap()
    meter = StallMeter()
    meter.start()
    started = time.perf_counter()
    view.reader.start()
    spin_until(app, lambda: not view.reader.is_running())
    took = time.perf_counter() - started
    spin_until(app, lambda: time.perf_counter() - started > took + 0.5)  # repaint the list
    stall = meter.stop()
    left = len(unread_ids(controller.require_case()))
    controller.lock()
    wait_for_all(30_000)
    view.close()
    view.deleteLater()
    controller.deleteLater()
    app.processEvents()
    thaw_heap()
    return stall, took, left


def rows(corpus: int = 150, batch: int = 50) -> list[Row]:
    return [*accuracy_rows(corpus), *speed_rows(9), *stall_rows(batch)]


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    APP = QApplication(sys.argv[:1])

    from app.ui.kit.collector import GuiThreadCollector


    GuiThreadCollector(APP).start()  # collection on the GUI thread only, as in the app
    corpus = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    print_table(rows(corpus, batch))
