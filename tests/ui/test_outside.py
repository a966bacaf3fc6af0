"""A program Safekeep hands something to (the file manager) gets the person's own library
path, not the frozen program's folder (app/ui/kit/outside.py, issue 19)."""

import os
import sys

import pytest

from app.ui.kit.outside import outside_environment


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
