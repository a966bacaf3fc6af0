"""Enter on a search hit takes the keyboard to the record found, not to an empty form beside
it: the Payments tab opened with the payment selected and the cursor in "Amount" of a new
payment, so the next keys typed a payment instead of reading or correcting the one found."""

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot

from app.core.intake import import_paths
from app.core.records import add_event, add_identifier, add_payment
from app.models.casefile import CaseFile
from app.ui.records.search_view import SearchView
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import clear_and_type, focused, press
from tests.ui.shell_support import clock, settle, shell, unlock_with

__all__ = ["clock", "shell"]


def _case_with_one_of_each(make_case: Callable[..., CaseFile], tmp_path: Path) -> Path:
    case = make_case()
    add_payment(case, amount=Decimal("250"), method="western-union", reference="4455667788")
    add_identifier(case, "email", "zanzibar.quince@example.com")
    add_event(case, datetime(2025, 3, 14, 22, 30), "asked me to move to Xylophone chat")
    picture = tmp_path / "kestrelmoor.png"
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("#3070a0"))
    assert image.save(str(picture), "PNG")  # type: ignore[call-overload]
    import_paths(case, [picture])
    path = case.path
    case.close()
    return path


def _opened(qtbot: QtBot, shell: SafekeepSession, path: Path) -> tuple[MainWindow, SearchView]:
    """The case unlocked in the window, and its Search page."""
    shell.start(str(path))
    unlock_with(qtbot, shell)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(window.isVisible)
    search = window.views["search"]
    assert isinstance(search, SearchView)
    return window, search


def test_enter_on_a_hit_puts_the_keyboard_on_the_record_found(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    window, search = _opened(qtbot, shell, _case_with_one_of_each(make_case, tmp_path))
    for word, view, on_record in (
            ("4455667788", window.payments, lambda: window.payments.table),
            ("zanzibar", window.identifiers, lambda: window.identifiers.table),
            ("Xylophone", window.timeline, lambda: window.timeline.table),
            ("kestrelmoor", window.evidence, lambda: window.evidence.grid)):
        press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        assert focused() is search.query
        clear_and_type(word)
        press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: focused() is search.results, timeout=10000)
        press(Qt.Key.Key_Return)
        settle(qtbot)
        assert window.tabs.currentWidget() is view, word
        record_view: QAbstractItemView = on_record()
        qtbot.waitUntil(lambda: record_view.selectionModel().hasSelection(), timeout=5000)
        assert focused() is record_view, (word, focused())
        assert record_view.currentIndex().isValid()


def test_an_exhibit_reference_finds_its_item(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    """An officer on the phone asks about "TC/2": Ctrl+F, the reference, Enter, Enter, and
    the item is shown, whatever the case's initials are now (not a substring: not TC/21)."""
    case = make_case()
    pictures = []
    for n in range(3):
        pictures.append(tmp_path / f"shot{n}.png")
        image = QImage(40, 30, QImage.Format.Format_RGB32)
        image.fill(QColor("#3070a0").darker(100 + 30 * n))
        assert image.save(str(pictures[-1]), "PNG")  # type: ignore[call-overload]
    import_paths(case, pictures)
    path = case.path
    case.close()
    window, search = _opened(qtbot, shell, path)
    for asked in ("TC/2", "ab-2"):
        press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
        clear_and_type(asked)
        press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: focused() is search.results, timeout=10000)
        first = search.results.item(0)
        assert first is not None and "Exhibit TC/2 in the bundle for police" in first.text()
        press(Qt.Key.Key_Return)
        settle(qtbot)
        assert window.tabs.currentWidget() is window.evidence
        details = window.evidence.details
        qtbot.waitUntil(lambda: details.exhibit.text() ==
                        "Exhibit TC/2 in the bundle for police", timeout=5000)
        assert details.title.text() == "shot1.png"
    # Any hit on an item names its exhibit, so the officer's question can be answered from a
    # list of hits too (they had said only "Evidence · shot1.png").
    press(Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    clear_and_type("shot")
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: search.results.count() == 3, timeout=10000)
    assert [search.results.item(row).text() for row in range(3)] == [
        f"Evidence TC/{n + 1} · shot{n}.png" for n in range(3)]
