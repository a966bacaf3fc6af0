"""Before Qt starts: no screen, or a system library Qt's X11 plugin needs, is said in one calm
line (Qt itself aborts the interpreter, saying reinstalling the application may help)."""

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.ui import window_check
from app.ui.window_check import missing_library, missing_library_words, why_no_window

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")


def test_no_screen_is_said_and_other_platforms_are_left_to_qt() -> None:
    assert "There is no screen here" in (why_no_window({}) or "")
    assert "There is no screen here" in (why_no_window({"QT_QPA_PLATFORM": "xcb",
                                                        "WAYLAND_DISPLAY": "wayland-0"}) or "")
    assert why_no_window({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert why_no_window({"WAYLAND_DISPLAY": "wayland-0"}) is None  # Qt may choose Wayland
    # An X display with every library this machine has (the tests need them all).
    assert why_no_window({"DISPLAY": ":99"}) is None


def test_the_command_says_it_in_one_line_and_qt_never_starts(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "app", "gui"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 5, done
    assert done.stderr.startswith("safekeep: error: There is no screen here")
    assert len(done.stderr.strip().splitlines()) == 1 and "qt." not in done.stderr


def _plugin_needing(tmp_path: Path, old: bytes, new: bytes) -> Path:
    """A copy of Qt's X11 plugin whose list of needed libraries names `new` for `old` (same
    length), in a folder laid out like PySide6's so it finds Qt's own libraries."""
    real = window_check.x11_plugin()
    qt = tmp_path / "Qt"
    (qt / "plugins" / "platforms").mkdir(parents=True)
    (qt / "lib").symlink_to(real.parents[2] / "lib")
    copy = qt / "plugins" / "platforms" / real.name
    data = real.read_bytes()
    assert len(old) == len(new) and data.count(old + b"\0") == 1
    copy.write_bytes(data.replace(old + b"\0", new + b"\0"))
    return copy


def test_the_loaders_own_words_name_the_missing_library(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The dynamic loader, really asked for a library that is not there (the plugin's list of
    needed libraries edited in a copy): the name is read from its message."""
    if not window_check.x11_plugin().is_file():
        pytest.skip("this PySide6 keeps its plugins elsewhere")
    plugin = _plugin_needing(tmp_path, b"libxcb-cursor.so.0", b"libxcb-cursoq.so.0")
    with pytest.raises(OSError) as raised:
        ctypes.CDLL(str(plugin))
    assert missing_library(str(raised.value)) == "libxcb-cursoq.so.0"
    # Not a library of the system's that the table knows: left for Qt to say.
    assert window_check._x11_plugin_problem(plugin) is None
    # A library the table knows is named with its package (the table given one more entry,
    # as every library it lists is on this machine).
    monkeypatch.setitem(window_check._PACKAGES, "libxcb-cursoq.so.0", "libxcb-cursoq0")
    said = window_check._x11_plugin_problem(plugin) or ""
    assert "(libxcb-cursoq.so.0)" in said and "sudo apt-get install libxcb-cursoq0" in said
    # The untouched plugin loads.
    shutil.copy(window_check.x11_plugin(), plugin)
    assert window_check._x11_plugin_problem(plugin) is None


def test_a_known_library_is_named_with_its_package() -> None:
    words = missing_library_words("libxcb-cursor.so.0")
    assert "(libxcb-cursor.so.0)" in words and "sudo apt-get install libxcb-cursor0" in words
    assert "package manager" in missing_library_words("libsomething-else.so.3")
    assert missing_library("libxcb-icccm.so.4: cannot open shared object file: No such file "
                           "or directory") == "libxcb-icccm.so.4"
    assert missing_library("undefined symbol: xcb_foo") is None
