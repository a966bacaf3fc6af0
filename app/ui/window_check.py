"""Before Qt starts on Linux: is there a screen, and can Qt's X11 plugin load?

Without either, Qt aborts the interpreter with lines that send a person the wrong way ("could
not connect to display", "Reinstalling the application may fix this problem", which it does
not). Here the same two faults become one calm line that says what to do. Nothing here
imports Qt; the plugin is loaded the way Qt loads it (the dynamic loader, from its own
folder), so what is missing is exactly what Qt would miss.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from pathlib import Path

from app.i18n import tr

# The Debian and Ubuntu package of each library Qt's X11 plugin needs and not every desktop has
# (what `ldd` lists for PySide6/Qt/plugins/platforms/libqxcb.so; README, Supported versions).
_PACKAGES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-render.so.0": "libxcb-render0",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
}
# glibc's words when a library a loaded one needs is not there.
_MISSING_RE = re.compile(r"(?P<name>[\w.+\-]+\.so[\w.]*): cannot open shared object file")


def missing_library(loader_message: str) -> str | None:
    """The library the dynamic loader could not find, from its message, or None."""
    found = _MISSING_RE.search(loader_message)
    return found["name"] if found else None


def missing_library_words(library: str) -> str:
    package = _PACKAGES.get(library)
    words = tr("The window needs a system library that is not on this computer ({library}).")
    words = words.format(library=library)
    if package is None:
        return words + " " + tr("Install it with your system's package manager.")
    return words + " " + tr("On Debian or Ubuntu: sudo apt-get install {package} (the README's "
                            "\"Supported versions\" lists every library the window needs).").format(
        package=package)


def why_no_window(environ: os._Environ[str] | dict[str, str] | None = None) -> str | None:
    """One sentence on why Qt cannot open a window here, or None when nothing is known to stop
    it (anywhere but Linux, another platform chosen, Wayland, or every library found)."""
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platform = environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform not in ("", "xcb"):
        return None  # offscreen, Wayland chosen by name...: Qt's own affair
    if not environ.get("DISPLAY") and (platform == "xcb" or not environ.get("WAYLAND_DISPLAY")):
        return tr("There is no screen here to show the window on. Open Safekeep from your "
                  "desktop; the commands in `safekeep --help` work without one.")
    if not platform and environ.get("WAYLAND_DISPLAY"):
        return None  # Qt may choose Wayland, which needs none of the X11 libraries
    if getattr(sys, "frozen", False):
        return None  # the built program brings its libraries (and the .deb names the rest)
    return _x11_plugin_problem()


def x11_plugin() -> Path:
    import PySide6  # the package alone: Qt's libraries load with the plugin, as Qt would

    return Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def _x11_plugin_problem(plugin: Path | None = None) -> str | None:
    plugin = x11_plugin() if plugin is None else plugin
    if not plugin.is_file():
        return None  # an install that keeps its plugins elsewhere: Qt says what it finds
    try:
        ctypes.CDLL(str(plugin))
    except OSError as problem:
        library = missing_library(str(problem))
        # Only a library of the system's: any other fault is left for Qt to say.
        return missing_library_words(library) if library in _PACKAGES else None
    return None
