"""The frozen program's entry point (PyInstaller runs this file; the source install does not).

`freeze_support()` comes before anything else: the sandbox starts its workers with the spawn
method, which in a frozen program runs this same executable with `--multiprocessing-fork`
(and the resource tracker with `-c ...`). Those runs must become the worker here, before the
command line below ever sees their arguments.

PyInstaller's runtime hook for PySide6 would import QtCore in every process at start: in the
picture workers too, which in the source install never load Qt (app/core/sandbox.py: a worker
imports only what its job needs), and in every command of the command line. The spec leaves
that hook out; `qt_paths()` does its one needed part, for the app's own process only.
"""

import multiprocessing
import os
import sys


def qt_paths() -> None:
    """Point Qt at the plugins inside this folder (platforms, image formats, styles)."""
    base = os.path.join(getattr(sys, "_MEIPASS", os.path.dirname(sys.executable)), "PySide6")
    if not sys.platform.startswith("win"):
        base = os.path.join(base, "Qt")
    os.environ["QT_PLUGIN_PATH"] = os.path.join(base, "plugins")


if __name__ == "__main__":
    multiprocessing.freeze_support()  # a worker does its work inside this call, then exits
    qt_paths()
    from app.__main__ import main

    sys.exit(main())
