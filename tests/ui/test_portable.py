"""Portable mode: settings beside the program, nothing at all in the user's home."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.ui.shell.launch import parse_args
from app.ui.shell.settings import PORTABLE_INI, PORTABLE_MARKER, find_portable_root

DRIVER = Path(__file__).with_name("portable_driver.py")
ROOT = Path(__file__).resolve().parents[2]


def _run_portable(tmp_path: Path, *, marker: bool) -> tuple[Path, Path]:
    home, usb = tmp_path / "home", tmp_path / "usb"
    home.mkdir()
    usb.mkdir()
    if marker:
        (usb / PORTABLE_MARKER).write_text("Safekeep keeps its settings beside itself.\n")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("XDG_") or key == "XDG_RUNTIME_DIR"}
    env.update(HOME=str(home), TMPDIR=str(home / "tmp-not-created"), QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=str(ROOT))
    args = [sys.executable, str(DRIVER), str(usb)] + ([] if marker else ["--portable"])
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return home, usb


@pytest.mark.parametrize("marker", [True, False], ids=["marker-file", "flag"])
def test_portable_mode_writes_nothing_under_home(tmp_path: Path, marker: bool) -> None:
    home, usb = _run_portable(tmp_path, marker=marker)
    written = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert written == [], f"portable mode wrote under HOME: {written}"
    ini = usb / PORTABLE_INI
    assert ini.is_file()
    text = ini.read_text()
    assert "auto_lock_minutes=7" in text
    assert "Portable person" not in text
    for qt_dialog_record in (usb / "qt").glob("QtProject.*"):
        assert "history" not in qt_dialog_record.read_text()
    assert (usb / "case.skcase").is_file()


def test_marker_and_flag_are_recognised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import app.ui.shell.settings as settings_module

    monkeypatch.setattr(settings_module, "program_roots", lambda: [tmp_path])
    assert find_portable_root() is None
    assert find_portable_root(force=True) == tmp_path
    (tmp_path / PORTABLE_MARKER).write_text("")
    assert find_portable_root() == tmp_path
    assert parse_args(["--portable", "x.skcase"]) == ("x.skcase", True)
    assert parse_args([]) == (None, False)


def test_file_dialog_history_is_scrubbed(qtbot: QtBot, tmp_path: Path) -> None:
    """Qt's file dialog records visited folders when destroyed; we empty that record."""
    from app.ui.kit.file_dialogs import choose_case_to_open
    from app.ui.shell.settings import locate_settings, redirect_qt_settings

    location = locate_settings(override_dir=tmp_path / "settings")
    redirect_qt_settings(location)
    secret_folder = tmp_path / "where-the-case-lives"
    secret_folder.mkdir()
    chosen: list[str] = []
    dialog = choose_case_to_open(None, chosen.append, start=secret_folder)
    destroyed: list[bool] = []
    dialog.destroyed.connect(lambda *_: destroyed.append(True))
    dialog.reject()
    qtbot.waitUntil(lambda: bool(destroyed), timeout=3000)
    records = list((location.folder / "qt").glob("QtProject.*"))
    assert records, "Qt wrote its record where we told it to, not under HOME"
    for record in records:
        assert "where-the-case-lives" not in record.read_text()
