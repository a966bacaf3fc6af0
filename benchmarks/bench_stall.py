"""The window never freezes: the longest gap between two ticks of a 5 ms timer on the GUI
thread while the real evidence view imports screenshots and the controller exports a bundle
(docs/DESIGN.md: no event-loop stall over 50 ms), with the app's background text reader
starting on the new pictures once the import is shown, as in the app.

    python benchmarks/bench_stall.py [COUNT]
    python benchmarks/bench_stall.py --folder DIR   # the PNG and JPEG pictures in DIR instead
                                                    # (realistic ones: see bench_import.py)
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressBar, QWidget

from app.export import export_bundle
from app.models.casefile import CaseFile
from app.ui.evidence.view import EvidenceView
from app.ui.kit.collector import freeze_heap, thaw_heap
from app.ui.kit.controller import CaseController
from app.ui.kit.interpreter_share import shared_with_window
from app.ui.kit.worker import wait_for_all
from app.ui.reading.text_reader import TextReader
from benchmarks.common import Row, make_screenshots, print_table, spread

PASSPHRASE = "bench passphrase"
GOAL_MS = 50.0
RUNS = 3  # interleaved imports through the window, each with its floor


class StallMeter:
    """Ticks every 5 ms on the GUI thread and remembers the longest gap between ticks."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return self.longest * 1000


def spin_until(app: QApplication, done: Callable[[], bool], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError("the benchmark did not finish in time")
        app.processEvents()
        time.sleep(0.001)


def unlocked(app: QApplication, path: Path, passphrase: str = PASSPHRASE) -> CaseController:
    """A controller with the case at `path` open, as after the person unlocks it."""
    controller = CaseController(actor="bench")
    opened: list[bool] = []
    controller.unlock(path, passphrase, on_done=lambda: opened.append(True))
    spin_until(app, lambda: bool(opened))
    return controller


def tear_down(app: QApplication, controller: CaseController, *widgets: QWidget) -> None:
    """Lock, wait for the worker, and destroy in order while the application object is
    alive: widgets (and the pixmaps they cache) destroyed after it can crash the interpreter
    on its way out."""
    controller.lock()
    wait_for_all(30_000)
    for widget in widgets:
        widget.close()
        widget.deleteLater()
    controller.deleteLater()
    app.processEvents()
    thaw_heap()


@shared_with_window()  # as run_desktop_app sets the window's process
def rows(count: int = 200, folder: Path | None = None, runs: int = RUNS) -> list[Row]:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "make the QApplication first (see __main__)"
    from benchmarks.bench_import import pillow_two_processes

    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-stall-"))
    try:
        if folder is None:
            shots = make_screenshots(work / "shots", count)
        else:
            shots = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".png", ".jpg"))
            count = len(shots)
        imports: list[float] = []
        import_stalls: list[float] = []
        floors: list[float] = []
        for round_number in range(runs):  # floor, import, floor, import... into fresh cases
            floors.append(pillow_two_processes(shots))  # its processes start before its clock
            path = work / f"case{round_number}.skcase"
            CaseFile.create(path, PASSPHRASE, display_name="stall", actor="bench").close()
            controller = unlocked(app, path)
            # The app's background reader (the Found in evidence tab's): it starts reading the
            # new pictures once the import's views have reloaded, and reads on during the export.
            reader = TextReader(controller)
            view = EvidenceView(controller)
            view.resize(1200, 800)
            view.show()
            # As in the app: the session starts the preview workers once the case is open and
            # its views have loaded, seconds before anyone can drop files (app/ui/kit/pools.py).
            controller.pools.previews().submit(shots[0]).result()
            freeze_heap()  # as the app does once its main window is built
            meter = StallMeter()

            meter.start()
            started = time.perf_counter()
            view.import_paths([str(p) for p in shots])
            spin_until(app, lambda busy=view.is_busy: not busy())
            import_seconds = time.perf_counter() - started
            repainted = time.perf_counter() + 0.5
            spin_until(app, lambda until=repainted: time.perf_counter() > until)
            import_stalls.append(meter.stop())
            imports.append(import_seconds)
            if round_number < runs - 1:
                reader.deleteLater()
                tear_down(app, controller, view)
        # The last round's case is exported, its pictures still being read.
        bar = QProgressBar()
        bar.show()
        finished: list[object] = []
        case = controller.require_case()
        meter.start()
        started = time.perf_counter()
        controller.run(
            lambda ctx: export_bundle(
                case, work / "bundle.zip", progress=ctx.progress, is_cancelled=ctx.cancelled
            ),
            on_result=finished.append,
            on_progress=lambda done, total, _label: (bar.setMaximum(total), bar.setValue(done)),
        )
        spin_until(app, lambda: bool(finished))
        export_seconds = time.perf_counter() - started
        export_stall = meter.stop()
        read_while_exporting = reader.is_running()
        reader.deleteLater()  # goes in tear_down's last turn, after the lock stops its reading
        tear_down(app, controller, view, bar)
        ratio = statistics.median(imports) / statistics.median(floors)
        return [
            Row(
                f"Import {count} screenshots through the window vs two-process Pillow loop",
                f"{ratio:.2f}x",
                "<= 1.0x",
                ratio <= 1.0,
                f"median of {runs} interleaved runs, each into a fresh case: "
                f"{spread(imports)} from the drop to the last thumbnail shown, the window's "
                f"preview workers started and warm, as the app has them; floor "
                f"{spread(floors)}",
            ),
            Row(
                f"Longest GUI stall importing {count} screenshots",
                f"{max(import_stalls):.0f} ms",
                f"<= {GOAL_MS:.0f} ms",
                max(import_stalls) <= GOAL_MS,
                f"the longest of {runs} imports in the real evidence view "
                f"({', '.join(f'{ms:.0f}' for ms in import_stalls)} ms)",
            ),
            Row(
                f"Longest GUI stall exporting {count} screenshots",
                f"{export_stall:.0f} ms",
                f"<= {GOAL_MS:.0f} ms",
                export_stall <= GOAL_MS,
                f"export took {export_seconds:.1f} s with a live progress bar"
                + (", text recognition reading the new pictures meanwhile"
                   if read_while_exporting else ""),
            ),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    APP = QApplication(sys.argv[:1])  # outlives everything made in rows()
    from app.ui.kit.collector import GuiThreadCollector

    GuiThreadCollector(APP).start()  # collection on the GUI thread only, as in the app
    if sys.argv[1:2] == ["--folder"]:
        print_table(rows(folder=Path(sys.argv[2])))
    else:
        print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
