"""Hand a folder to the desktop (its file manager), as a program outside Safekeep.

A frozen program on Linux (issue 19; packaging/safekeep.spec) runs with LD_LIBRARY_PATH set
to its own folder, so that its bundled libraries are the ones loaded. A file manager started
with that variable would load them too (GLib, libstdc++, fontconfig: older or newer than its
own) and may fail to start. PyInstaller keeps the person's own value in LD_LIBRARY_PATH_ORIG;
the desktop gets that one back while Safekeep asks it to open something.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

LIBRARY_PATH = "LD_LIBRARY_PATH"
ORIGINAL_LIBRARY_PATH = "LD_LIBRARY_PATH_ORIG"  # PyInstaller's bootloader sets it


@contextmanager
def outside_environment() -> Iterator[None]:
    """Programs started inside this get the library path the person started Safekeep with."""
    if not (getattr(sys, "frozen", False) and sys.platform.startswith("linux")):
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
    with outside_environment():
        return QDesktopServices.openUrl(url)
