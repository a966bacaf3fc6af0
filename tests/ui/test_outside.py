"""A program Safekeep hands something to (the file manager) gets the person's own library
path, not the frozen program's folder (app/ui/kit/outside.py, issue 19)."""

import os
import sys
import time
from collections.abc import MutableMapping
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from app.ui.kit.outside import open_outside, outside_environment


@pytest.fixture
def frozen_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    # What PyInstaller's bootloader leaves: sys.frozen, and its own folder on the library path.
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/safekeep/_internal")


def test_the_person_s_own_library_path_comes_back_for_outside_programs(
    frozen_linux: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/home/me/lib")
    with outside_environment():
        assert os.environ["LD_LIBRARY_PATH"] == "/home/me/lib"
    assert os.environ["LD_LIBRARY_PATH"] == "/opt/safekeep/_internal"


def test_no_library_path_at_all_when_the_person_had_none(
    frozen_linux: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LD_LIBRARY_PATH_ORIG", raising=False)
    with outside_environment():
        assert "LD_LIBRARY_PATH" not in os.environ
    assert os.environ["LD_LIBRARY_PATH"] == "/opt/safekeep/_internal"


def test_the_source_install_leaves_the_library_path_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setenv("LD_LIBRARY_PATH", "/usr/local/lib")
    with outside_environment():
        assert os.environ["LD_LIBRARY_PATH"] == "/usr/local/lib"


def test_the_file_manager_is_started_with_the_person_s_library_path_and_ours_is_untouched(
    frozen_linux: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, qapp: object
) -> None:
    """Showing a folder starts `xdg-open` with the person's own library path as its own
    environment; ours is never written meanwhile (changing it under a thread that reads it is
    not safe)."""
    monkeypatch.setenv("LD_LIBRARY_PATH_ORIG", "/home/me/lib")
    tools = tmp_path / "bin"
    tools.mkdir()
    said = tmp_path / "said.txt"
    fake = tools / "xdg-open"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n%s\\n" "$LD_LIBRARY_PATH" "$1" > "{said}.part"\n'
                    f'mv "{said}.part" "{said}"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
    writes: list[str] = []
    real_set, real_del = type(os.environ).__setitem__, type(os.environ).__delitem__

    def set_item(mapping: MutableMapping[str, str], name: str, value: str) -> None:
        writes.append(name)
        real_set(mapping, name, value)

    def del_item(mapping: MutableMapping[str, str], name: str) -> None:
        writes.append(name)
        real_del(mapping, name)

    monkeypatch.setattr(type(os.environ), "__setitem__", set_item)
    monkeypatch.setattr(type(os.environ), "__delitem__", del_item)
    folder = tmp_path / "bundle folder"
    folder.mkdir()
    assert open_outside(QUrl.fromLocalFile(str(folder)))
    monkeypatch.undo()  # the spies off before waiting
    deadline = time.monotonic() + 10
    while not said.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    library_path, argument = said.read_text().splitlines()
    assert library_path == "/home/me/lib"
    assert QUrl(argument).toLocalFile() == str(folder)
    assert writes == []
