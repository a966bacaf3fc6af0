"""Run in a fresh process by bench_open.py: open a case and report, as one JSON line, how long
the first screen of thumbnails took after the key was derived, and the memory.

    python benchmarks/open_probe.py window CASE PASSPHRASE SETTINGS_DIR
    python benchmarks/open_probe.py functions CASE PASSPHRASE FIRST_SCREEN

`window`: the real app. A `SafekeepSession` shows the unlock dialog for CASE, as `safekeep
CASE` does; the main window is built and the preview workers start meanwhile (as while a person
types), the window is maximised on the 1920x1080 screen, the passphrase is typed into the
dialog and Unlock is pressed. The clock starts when the key is derived (a probe around
`kdf.derive_key` notes the moment; everything runs unchanged) and stops when every evidence
tile visible in the grid holds its thumbnail. Then it waits until the views on screen have
loaded (or 10 s), and shows every other tab in turn (each reads its part as it first shows)
until it has loaded, for the memory peak. A 5 ms timer on the GUI thread notes the longest
time the window could not answer, from the key until the views on screen have loaded, and
apart from it the longest while the other tabs first showed.

`functions`: the floor, no window: the grid's first page of rows (`evidence_page`) and
FIRST_SCREEN thumbnails read and decoded (`decode_thumbnails`) in one thread after the key:
the data the first screen needs, with no widget, no worker thread, no other view, and no
recording of the opening in the audit log.
"""

import itertools
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.models import kdf
from app.ui.kit.interpreter_share import shared_with_window

marks: dict[str, float] = {}
_derive = kdf.derive_key


def vm(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0


def _derive_and_note(passphrase: str, salt: bytes, profile: kdf.KdfProfile) -> bytes:
    key = _derive(passphrase, salt, profile)
    marks["key"] = time.perf_counter()
    marks["kdf_peak"] = vm("VmHWM")  # Argon2id's memory, by design, freed as it returns
    Path("/proc/self/clear_refs").write_text("5")  # the peak from here on: opening the case
    return key


kdf.derive_key = _derive_and_note


def functions(case_path: str, passphrase: str, first_screen: int) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from app.core.records import evidence_page, read_thumbnail
    from app.models.casefile import CaseFile
    from app.ui.evidence.model import EvidenceModel
    from app.ui.evidence.thumbnails import decode_thumbnails

    app = QGuiApplication(sys.argv[:1])
    case = CaseFile.open(case_path, passphrase, actor="bench", record_open=False)
    page = evidence_page(case, limit=EvidenceModel.PAGE)
    images = decode_thumbnails(case, [row.id for row in page.rows[:first_screen]],
                               read_thumbnail)
    seconds = time.perf_counter() - marks["key"]
    assert all(image is not None for image in images.values()), "a thumbnail did not decode"
    del app
    return {"seconds": seconds, "items": len(page.rows), "peak_mib": vm("VmHWM"),
            "kdf_peak_mib": marks["kdf_peak"]}


@shared_with_window()  # as run_desktop_app sets the window's process
def window(case_path: str, passphrase: str, settings_dir: str) -> dict[str, float]:
    from PySide6.QtCore import QModelIndex, QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.shell.main_window import MainWindow
    from app.ui.shell.session import SafekeepSession
    from app.ui.shell.settings import AppSettings, locate_settings
    from app.ui.shell.unlock_dialog import UnlockDialog

    app = QApplication(sys.argv[:1])
    session = SafekeepSession(app, AppSettings(locate_settings(override_dir=Path(settings_dir))),
                              watch_platform=False)
    dialog = session.start(case_path)
    assert isinstance(dialog, UnlockDialog)
    result: dict[str, float] = {}
    ticks: list[float] = []

    def wait(seconds: float) -> None:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            app.processEvents()
            time.sleep(0.002)

    # As while the person types: the main window is built and the preview workers start.
    deadline = time.perf_counter() + 20
    while (session.main_window is None or session.controller.pools.started == 0) \
            and time.perf_counter() < deadline:
        wait(0.05)
    wait(2.0)
    main = session.main_window
    assert isinstance(main, MainWindow)
    main.showMaximized()
    main.hide()  # shown again, maximised, when the case opens
    grid, model = main.evidence.grid, main.evidence.model

    def visible_rows() -> list[int]:
        port = grid.viewport().rect()
        shown = []
        for row in range(model.rowCount()):
            if not grid.visualRect(model.index(row, 0, QModelIndex())).intersects(port):
                break  # a static grid fills in order: past the first row out of sight
            shown.append(row)
        return shown

    def first_screen_ready() -> bool:
        if not main.isVisible() or model.rowCount() == 0:
            return False
        rows = visible_rows()
        pictures = [model.evidence(r) for r in rows]
        return bool(rows) and all(
            item is not None and model.cached_picture(item.id) is not None for item in pictures)

    def tick() -> None:
        now = time.perf_counter()
        ticks.append(now)
        if "key" in marks and "first_screen" not in result and first_screen_ready():
            result["first_screen"] = now - marks["key"]
            result["visible"] = float(len(visible_rows()))
            result["requested_at_first_screen"] = float(model.requested_count)

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    dialog.passphrase_edit.setText(passphrase)
    dialog.unlock_button.click()
    deadline = time.perf_counter() + 120
    while "first_screen" not in result and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    if "first_screen" not in result:
        raise RuntimeError("the first screen of thumbnails never showed")
    settle = time.perf_counter() + 10
    while (session.controller._tasks or model.is_loading()) and time.perf_counter() < settle:
        app.processEvents()
        time.sleep(0.001)
    result["settled"] = time.perf_counter() - marks["key"]
    wait(0.3)
    after_key = [t for t in ticks if t >= marks["key"]]
    gaps = [b - a for a, b in itertools.pairwise(after_key)]
    result.update(items=float(model.rowCount()), requested=float(model.requested_count),
                  stall_ms=max(gaps, default=0.0) * 1000)
    # Tabs behind Evidence read their part when first shown: show each in turn (as a click
    # does) and note the longest the window could not answer meanwhile, so the cost moved
    # there is seen too; the memory peak is taken once every view has loaded.
    tabs = main.tabs
    tab_stall = 0.0
    for index in range(1, tabs.count()):
        ticks.clear()
        ticks.append(time.perf_counter())
        tabs.setCurrentIndex(index)
        settle = time.perf_counter() + 30
        while session.controller._tasks and time.perf_counter() < settle:
            app.processEvents()
            time.sleep(0.001)
        wait(0.2)
        tab_gaps = [b - a for a, b in itertools.pairwise(ticks)]
        if max(tab_gaps, default=0.0) > tab_stall:
            tab_stall = max(tab_gaps)
            result["worst_tab"] = float(index)
    timer.stop()
    result.update(tab_stall_ms=tab_stall * 1000, peak_mib=vm("VmHWM"),
                  kdf_peak_mib=marks["kdf_peak"])
    session.dispose()
    return result


if __name__ == "__main__":
    mode, case_arg, passphrase_arg, extra = sys.argv[1:5]
    out = (window(case_arg, passphrase_arg, extra) if mode == "window"
           else functions(case_arg, passphrase_arg, int(extra)))
    print(json.dumps(out), flush=True)
    os._exit(0)  # the report is out; no teardown of Qt and the worker processes to wait for
