"""A case of 30,000 items opens in the real window with one page of rows and a screenful of
thumbnails read, not 30,000 rows; scrolling to the end reads the next page, and a search hit
or link to item 29,000 reads up to it and selects it. The case is written straight through
the models (benchmarks/big_case.py), as the opening benchmark writes its own."""

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.ui.kit.controller import DataArea
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from benchmarks.big_case import PASSPHRASE, build_case
from tests.conftest import TEST_KDF_PROFILE
from tests.ui.shell_support import clock, settle, shell, unlock_with

__all__ = ["clock", "shell"]

ITEMS = 30_000


@pytest.mark.slow
def test_a_30000_item_case_opens_with_a_page_and_a_screenful(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    path = tmp_path / "big.skcase"
    build_case(path, ITEMS, messages=10, kdf_profile=TEST_KDF_PROFILE)
    shell.start(str(path))
    unlock_with(qtbot, shell, PASSPHRASE)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    window.show()
    grid, model = window.evidence.grid, window.evidence.model
    qtbot.waitUntil(lambda: model.cached_picture(1) is not None, timeout=15000)
    settle(qtbot)

    assert 0 < model.rowCount() <= model.PAGE  # a page of rows, not 30,001
    assert model.requested_count < 100  # thumbnails for what is on screen
    assert model.canFetchMore()

    # Scrolled to the end, the grid asks for the next page (and reads only that).
    loaded = model.rowCount()
    grid.verticalScrollBar().setValue(grid.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: model.rowCount() > loaded, timeout=10000)
    settle(qtbot)
    assert model.rowCount() <= loaded + 2 * model.PAGE

    # A link to an item far down (a search hit, a timeline link) reads up to it, selects it.
    wanted = 29_000
    assert window.navigate(DataArea.EVIDENCE, wanted)
    qtbot.waitUntil(lambda: window.evidence.selected_ids() == [wanted], timeout=15000)
    settle(qtbot)
    assert model.rowCount() >= wanted
    assert model.requested_count < 600  # the rows jumped over were never drawn or read
    assert window.evidence.details.current_id() == wanted

    shell.lock()
    assert model.rowCount() == 0 and not model.canFetchMore()
