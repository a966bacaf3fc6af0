"""The mouse wheel scrolls; it never edits a value the person has not chosen to edit.

Scrolling the evidence details over the Platform box once changed it on every wheel step and
saved each change (nine audit entries; the report then said "WhatsApp" for a photo).
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.intake.ingest import import_paths
from app.core.records.evidence import list_evidence
from app.core.records.summary import case_summary
from app.models.casefile import CaseFile
from app.ui.evidence.view import EvidenceView
from app.ui.kit.wheel_guard import WheelGuard, edits_on_wheel
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import press_tab, show_active, wheel_over
from tests.ui.shell_support import clock, closed_case, open_case_in_shell, settle, shell

__all__ = ["clock", "shell"]


def _case_with_a_picture(make_case: Callable[..., CaseFile], tmp_path: Path) -> Path:
    picture = tmp_path / "photo.png"
    image = QImage(320, 240, QImage.Format.Format_RGB32)
    image.fill(QColor("#4080c0"))
    assert image.save(str(picture), "PNG")  # type: ignore[call-overload]
    case = make_case()
    import_paths(case, [picture])
    return closed_case(lambda: case)


def test_wheel_over_the_platform_box_scrolls_the_details_and_saves_nothing(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    path = _case_with_a_picture(make_case, tmp_path)
    open_case_in_shell(qtbot, shell, path)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    window.resize(1024, 600)  # a small laptop: the details panel has to scroll
    view = window.views["evidence"]
    assert isinstance(view, EvidenceView)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)
    item = view.model.evidence(0)
    assert item is not None and view.select_evidence(item.id)
    settle(qtbot)
    case = shell.controller.require_case()
    audit_before = case_summary(case).audit_events
    details = view.details
    details.verticalScrollBar().setValue(0)
    platform = details.platform
    assert not platform.hasFocus()
    shown = platform.currentText()

    for _ in range(9):
        wheel_over(platform, -1)
    settle(qtbot)

    assert platform.currentText() == shown
    assert list_evidence(case)[0].platform == item.platform
    assert case_summary(case).audit_events == audit_before
    if details.verticalScrollBar().maximum() > 0:
        assert details.verticalScrollBar().value() > 0  # the panel scrolled instead


def test_wheel_changes_a_box_only_after_the_person_chooses_it(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    try:
        page = QWidget()
        qtbot.addWidget(page)
        field, combo, spin = QLineEdit(page), QComboBox(page), QSpinBox(page)
        combo.addItems(["one", "two", "three"])
        spin.setRange(0, 10)
        layout = QVBoxLayout(page)
        layout.addWidget(field)
        layout.addWidget(combo)
        layout.addWidget(spin)
        page.show()
        page.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is page, timeout=5000)
        field.setFocus()  # the person is typing elsewhere, then scrolls past the boxes
        for box in (combo, spin):
            # Polished by the guard: focus comes from a click or Tab, never from the wheel.
            assert box.focusPolicy().name == "StrongFocus"
        wheel_over(combo, -1)
        wheel_over(spin, 1)
        assert combo.currentIndex() == 0 and spin.value() == 0
        combo.setFocus()  # focus the program gave, not the person's choice
        wheel_over(combo, -1)
        assert combo.currentIndex() == 0
        field.setFocus()
        press_tab(field)
        assert combo.hasFocus()
        wheel_over(combo, -1)
        assert combo.currentIndex() == 1  # chosen on purpose: the wheel works as usual
        press_tab(combo)
        assert spin.hasFocus()
        wheel_over(spin, 1)
        assert spin.value() == 1
    finally:
        app.removeEventFilter(guard)


def test_every_box_in_the_main_window_ignores_the_passing_wheel(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    open_case_in_shell(qtbot, shell, _case_with_a_picture(make_case, tmp_path))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    boxes = [w for w in window.findChildren(QWidget)
             if isinstance(w, QComboBox | QAbstractSpinBox)]
    assert boxes
    window.activateWindow()
    window.tabs.tabBar().setFocus()
    changed = []
    for box in boxes:
        before = box.currentText() if isinstance(box, QComboBox) else box.text()
        box.ensurePolished()
        wheel_over(box, -1)
        wheel_over(box, 1)
        wheel_over(box, -1)
        after = box.currentText() if isinstance(box, QComboBox) else box.text()
        if after != before:
            changed.append(box.accessibleName() or box.objectName() or type(box).__name__)
    assert changed == []
    settle(qtbot)


def test_settings_opening_on_the_auto_lock_box_does_not_let_the_wheel_change_it(
        qtbot: QtBot, shell: SafekeepSession, tmp_path: Path) -> None:
    from app.ui.shell.settings_dialog import SettingsDialog

    dialog = shell.show_settings()
    assert isinstance(dialog, SettingsDialog)
    show_active(qtbot, dialog)
    minutes = dialog.auto_lock.value()
    dialog.auto_lock.setFocus(Qt.FocusReason.ActiveWindowFocusReason)  # as a window opens
    for _ in range(5):
        wheel_over(dialog.auto_lock, -1)
    assert dialog.auto_lock.value() == minutes
    assert shell.settings.auto_lock_minutes == minutes
    dialog.close()


def test_no_box_in_the_main_window_takes_focus_from_the_wheel(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """A real wheel turn (one from the system) gives focus to a box whose policy allows it, and
    a box given focus that way counts as chosen. The session builds the main window with its
    application-wide filters paused (app/ui/shell/app_filters.py), so the guard never sees
    those boxes polished: it must have put them right all the same. (The wheel events a test
    can send do not come from the system, so the policy is what can be checked.)"""
    open_case_in_shell(qtbot, shell, closed_case(make_case))
    settle(qtbot)
    window = shell.main_window
    assert isinstance(window, MainWindow)
    boxes = [w for w in window.findChildren(QWidget) if edits_on_wheel(w)]
    assert len(boxes) >= 7  # the forms of the record tabs, the evidence details
    taking = [box.accessibleName() or type(box).__name__ for box in boxes
              if box.focusPolicy() == Qt.FocusPolicy.WheelFocus]
    assert taking == []


def test_a_turn_over_a_table_s_sideways_bar_scrolls_the_page(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """Scrolling the Payments page down with the wheel, the payments table's sideways bar
    passed under the pointer and took the turns: the table slid sideways, the date and the
    amount out of sight, and the page stopped. The page scrolls on now; Shift (or a sideways
    turn) still moves the bar."""
    from PySide6.QtWidgets import QAbstractScrollArea

    from app.core.records.payments import add_payment

    case = make_case()
    add_payment(case, amount="500", method="western-union", reference="1234567890",
                recipient_name="A long name for the column " * 3, note="a note " * 20)
    open_case_in_shell(qtbot, shell, closed_case(lambda: case))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    window.resize(700, 500)  # the page scrolls, and the table is wider than it
    view = window.show_view("payments")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=10000)  # type: ignore[attr-defined]
    settle(qtbot)
    table = view.table  # type: ignore[attr-defined]
    bar = table.horizontalScrollBar()
    page = table.parentWidget()
    while page is not None and not isinstance(page, QAbstractScrollArea):
        page = page.parentWidget()
    assert page is not None and bar.maximum() > 0 and page.verticalScrollBar().maximum() > 0
    page.verticalScrollBar().setValue(0)
    for _ in range(3):
        wheel_over(bar, -1)
    assert bar.value() == 0  # the table did not slide sideways
    assert page.verticalScrollBar().value() > 0  # the page went on down
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    centre = QPointF(bar.rect().center())
    QApplication.sendEvent(bar, QWheelEvent(
        centre, QPointF(bar.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, -120),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.ShiftModifier,
        Qt.ScrollPhase.NoScrollPhase, False))
    assert bar.value() > 0  # with Shift, sideways as ever


def test_page_down_in_settings_scrolls_and_never_turns_auto_lock_off(
        qtbot: QtBot, shell: SafekeepSession) -> None:
    """Settings opens with the keyboard on the auto-lock minutes. Page Down, pressed to read a
    dialog too tall for the screen (1280x720 at 150%), stepped them down by ten, to "Never",
    and saved that at once. The page keys scroll the dialog now; the arrows change the box."""
    from PySide6.QtWidgets import QApplication

    from app.ui.kit.screen_fit import scroll_body
    from app.ui.shell.settings_dialog import SettingsDialog
    from tests.ui.keys import focused, press

    dialog = shell.show_settings()
    assert isinstance(dialog, SettingsDialog)
    show_active(qtbot, dialog)
    scroll = scroll_body(dialog)  # as on a screen too small for it (screen_fit.py)
    assert scroll is not None
    dialog.resize(dialog.width(), 260)
    qtbot.waitUntil(lambda: scroll.isVisible() and focused() is dialog.auto_lock, timeout=5000)
    minutes = dialog.auto_lock.value()
    assert minutes > 0 and scroll.verticalScrollBar().maximum() > 0
    press(Qt.Key.Key_PageDown)
    QApplication.processEvents()
    assert dialog.auto_lock.value() == minutes
    assert shell.settings.auto_lock_minutes == minutes
    assert scroll.verticalScrollBar().value() > 0  # the dialog scrolled instead
    press(Qt.Key.Key_PageUp)
    assert scroll.verticalScrollBar().value() == 0
    press_tab(focused())
    assert focused() is dialog.text_size
    size = dialog.text_size.currentIndex()
    press(Qt.Key.Key_PageDown)
    assert dialog.text_size.currentIndex() == size
    press(Qt.Key.Key_Up)  # the arrows still change a box the person is on
    press_tab(focused(), back=True)
    assert focused() is dialog.auto_lock
    press(Qt.Key.Key_Down)
    assert dialog.auto_lock.value() == minutes - 1
    assert shell.settings.auto_lock_minutes == minutes - 1
    dialog.close()
