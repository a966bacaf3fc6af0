"""Start the desktop app: harden the process, find the settings, show the first window fast.

Only Qt's core widgets are imported before the first window shows; the database layer,
zxcvbn and the views are imported when they are first needed (after the window is up). The
main window is then built without stalling the window on screen: its Qt-free packages load in
a worker thread, and the window a small piece per event-loop turn (warm_up.py).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from app.ui.kit.interpreter_share import shared_with_window

if TYPE_CHECKING:
    from app.ui.shell.session import SafekeepSession

_PROCESS_START = time.perf_counter()

# The benchmark sets this: print the time of the first shown window, then quit.
BENCH_ENV = "SAFEKEEP_BENCH_FIRST_SHOW"


def configure_logging() -> None:
    """stderr only, no log file; messages name types and places, never case data."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("safekeep: %(levelname)s: %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def parse_args(argv: list[str]) -> tuple[str | None, bool]:
    """`[--portable] [CASE]` (what follows `safekeep gui`) -> (case path, portable)."""
    args = list(argv)
    portable = "--portable" in args
    rest = [a for a in args if a != "--portable"]
    if "--" in rest:
        rest.remove("--")
    return (rest[0] if rest else None), portable


@shared_with_window()  # workers hand the interpreter back within 1 ms: see interpreter_share.py
def run_desktop_app(argv: list[str],
                    on_started: Callable[[SafekeepSession], None] | None = None) -> int:
    """`argv`: the words after `safekeep gui` (app/__main__.py takes the command word off).
    `on_started`: called with the session once the first window is shown, before the event
    loop runs (benchmarks/startup_child.py uses it to drive the app and time it)."""
    configure_logging()
    case_path, portable = parse_args(argv)

    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.kit.qt_types import drop_feature_import_hook

    drop_feature_import_hook()  # before the rest is imported: see qt_types.py

    from app.i18n import set_translator
    from app.ui.shell.settings import AppSettings, locate_settings, redirect_qt_settings

    location = locate_settings(portable_flag=portable)
    redirect_qt_settings(location)  # before anything makes a QSettings
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("safekeep")
    app.setQuitOnLastWindowClosed(False)  # hiding every window (quick exit) must not race quit
    set_translator(lambda ctx, text: QCoreApplication.translate(ctx, text),
                   lambda ctx, text, n: QCoreApplication.translate(ctx, text, None, n))

    from app.ui.kit.collector import GuiThreadCollector
    from app.ui.shell.session import SafekeepSession

    collector = GuiThreadCollector(app)  # no collection in a worker thread: see collector.py
    collector.hold_until_frozen()  # start-up's objects: frozen once the main window is built
    collector.start()
    from app.ui.kit.end_request import quit_on_end_request

    end_request = quit_on_end_request(app)  # SIGTERM (a logout): locks and saves, as a close
    if os.environ.get(BENCH_ENV):
        def report() -> None:
            print(f"first-window-shown {time.perf_counter() - _PROCESS_START:.4f}", flush=True)
            app.quit()

        # Queued first, so it runs as soon as the event loop starts with the window shown, as
        # in the bare-window program; the work the session defers until after the first show
        # (D-Bus, the icon, building the main window) is queued behind it.
        QTimer.singleShot(0, report)
    session = SafekeepSession(app, AppSettings(location))
    session.start(case_path)
    if on_started is not None:
        on_started(session)
    code = int(app.exec())
    # Tear down in order while the application object is still alive: windows (and the
    # pixmaps their views cache) destroyed after it can crash the interpreter on its way out.
    from app.ui.kit.collector import thaw_heap

    session.dispose()
    app.sendPostedEvents()
    collector.stop()
    thaw_heap()
    if end_request is not None:
        end_request.remove()
    return code
