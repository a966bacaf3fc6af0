"""Hand a folder to the desktop (its file manager), as a program outside Safekeep.

A frozen program on Linux (issue 19; packaging/safekeep.spec) runs with LD_LIBRARY_PATH set
to its own folder, so that its bundled libraries are the ones loaded. A file manager started
with that variable would load them too (GLib, libstdc++, fontconfig: older or newer than its
own) and may fail to start. PyInstaller keeps the person's own value in LD_LIBRARY_PATH_ORIG;
the desktop gets that one back.

It is given to `xdg-open` as that program's own environment. Ours is never changed for it:
the C library's environment is not safe to change while another thread reads it (a worker
thread's `localtime` reads TZ), and changing it around a start crashed the test suite once
before (app/core/worker_environment.py). Only where there is no `xdg-open` is ours changed
for the moment Qt's own launcher starts, as the one way left.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QProcess, QProcessEnvironment, QUrl
from PySide6.QtGui import QDesktopServices

LIBRARY_PATH = "LD_LIBRARY_PATH"
ORIGINAL_LIBRARY_PATH = "LD_LIBRARY_PATH_ORIG"  # PyInstaller's bootloader sets it


def _frozen_on_linux() -> bool:
    return bool(getattr(sys, "frozen", False)) and sys.platform.startswith("linux")


def outside_process_environment() -> QProcessEnvironment:
    """Our environment with the library path the person started Safekeep with."""
    environment = QProcessEnvironment.systemEnvironment()
    original = os.environ.get(ORIGINAL_LIBRARY_PATH)
    if original is None:
        environment.remove(LIBRARY_PATH)
    else:
        environment.insert(LIBRARY_PATH, original)
    return environment


@contextmanager
def outside_environment() -> Iterator[None]:
    """Programs started inside this get the library path the person started Safekeep with.
    Changes our own environment: only where there is no `xdg-open` (see above)."""
    if not _frozen_on_linux():
        yield
        return
    ours = os.environ.get(LIBRARY_PATH)
    original = os.environ.get(ORIGINAL_LIBRARY_PATH)
    if original is None:
        os.environ.pop(LIBRARY_PATH, None)
    else:
        os.environ[LIBRARY_PATH] = original
    try:
        yield
    finally:
        if ours is None:
            os.environ.pop(LIBRARY_PATH, None)
        else:
            os.environ[LIBRARY_PATH] = ours


def open_outside(url: QUrl) -> bool:
    """QDesktopServices.openUrl, with the desktop's own libraries (see above)."""
    if not _frozen_on_linux():
        return QDesktopServices.openUrl(url)
    launcher = shutil.which("xdg-open")
    if launcher is None:
        with outside_environment():
            return QDesktopServices.openUrl(url)
    process = QProcess()
    process.setProgram(launcher)
    process.setArguments([url.toString()])
    process.setProcessEnvironment(outside_process_environment())
    return bool(process.startDetached())
