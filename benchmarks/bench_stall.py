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
from app.ui.kit.controller import CaseController
from app.ui.kit.interpreter_share import shared_with_window
from app.ui.kit.worker import wait_for_all
from app.ui.reading.text_reader import TextReader
from app.ui.shell.session import freeze_startup_heap, thaw_heap
from benchmarks.common import Row, make_screenshots, print_table

PASSPHRASE = "bench passphrase"
GOAL_MS = 50.0


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
def rows(count: int = 200, folder: Path | None = None) -> list[Row]:
    app = QApplication.instance()
    assert isinstance(app, QApplication), "make the QApplication first (see __main__)"
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-stall-"))
    try:
        if folder is None:
            shots = make_screenshots(work / "shots", count)
        else:
            shots = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".png", ".jpg"))
            count = len(shots)
        path = work / "case.skcase"
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
        freeze_startup_heap()  # as the app does once its main window is built
        meter = StallMeter()

        meter.start()
        started = time.perf_counter()
        view.import_paths([str(p) for p in shots])
        spin_until(app, lambda: not view.is_busy())
        import_seconds = time.perf_counter() - started
        spin_until(app, lambda: time.perf_counter() - started > import_seconds + 0.5)  # repaint
        import_stall = meter.stop()

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
        from benchmarks.bench_import import pillow_two_processes

        floor = pillow_two_processes(shots)  # its processes are started before its clock
        return [
            Row(
                f"Import {count} screenshots through the window vs two-process Pillow loop",
                f"{import_seconds / floor:.2f}x",
                "<= 1.0x",
                import_seconds / floor <= 1.0,
                f"{import_seconds:.1f} s from the drop to the last thumbnail shown, the "
                f"window's preview workers started and warm, as the app has them; floor "
                f"{floor:.1f} s (single runs)",
            ),
            Row(
                f"Longest GUI stall importing {count} screenshots",
                f"{import_stall:.0f} ms",
                f"<= {GOAL_MS:.0f} ms",
                import_stall <= GOAL_MS,
                f"import took {import_seconds:.1f} s in the real evidence view",
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
