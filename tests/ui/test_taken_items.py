"""A widget moved into another layout still tells that layout when it needs more room.

Qt lets only the first layout item made for a widget hear of its size changes; an item taken
out with takeAt and not deleted kept that role, so the widget's new item never heard. Seen as
the case check's answer in Settings cut to one line where the dialog scrolls."""

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.ui.kit.reflow_form import WHOLE_ROW, ReflowForm
from app.ui.kit.screen_fit import scroll_body
from app.ui.kit.taken_items import take_all

LONG = "The check found that one item could not be read back whole. " * 4


def _wrapping(text: str = "short") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def test_a_label_moved_with_take_all_still_reports_its_new_height(qtbot: QtBot) -> None:
    first, second = QWidget(), QWidget()
    qtbot.addWidget(first)
    qtbot.addWidget(second)
    old_layout, new_layout = QVBoxLayout(first), QVBoxLayout(second)
    label = _wrapping()
    old_layout.addWidget(label)
    take_all(old_layout)
    new_layout.addWidget(label)
    item = new_layout.itemAt(0)
    assert item is not None
    one_line = item.heightForWidth(120)
    label.setText(LONG)
    assert item.heightForWidth(120) == label.heightForWidth(120) > 3 * one_line


def test_a_label_in_a_scrolling_body_gets_every_line_it_wraps_to(qtbot: QtBot) -> None:
    """As in Settings: a group box whose answer appears, wrapped, once the dialog is shown."""
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    for _ in range(6):
        layout.addWidget(_wrapping("Some words that explain a setting, over a line or two."))
    box = QGroupBox("Check this case file")
    box_layout = QVBoxLayout(box)
    box_layout.addWidget(_wrapping("Reads every item back."))
    answer = _wrapping()
    answer.hide()
    box_layout.addWidget(answer)
    layout.addWidget(box)
    layout.addWidget(QDialogButtonBox(QDialogButtonBox.StandardButton.Close))
    assert scroll_body(dialog) is not None
    dialog.resize(260, 200)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(50)  # laid out: every size the layouts asked for is remembered
    answer.setText(LONG)
    answer.show()
    qtbot.waitUntil(lambda: answer.height() >= answer.heightForWidth(answer.width()) > 60)


def test_reflowed_cells_still_report_their_new_height(qtbot: QtBot) -> None:
    """Each change of columns takes every cell out of the grid and puts it back: the grid
    must still hear when a cell needs more height (it only looked right before, because the
    form sizes itself by its own reckoning)."""
    form = ReflowForm()
    qtbot.addWidget(form)
    label = _wrapping()
    cell = form.add("Note", label, span=WHOLE_ROW)
    form.add("Amount", _wrapping("12"))
    form.resize(700, 300)
    form.show()
    qtbot.waitExposed(form)
    form.resize(200, 400)  # fewer columns: every cell is taken out and put back
    qtbot.wait(50)
    grid = form._grid
    item = grid.itemAt(grid.indexOf(cell))
    assert item is not None
    width = cell.width()
    assert item.heightForWidth(width) == cell.heightForWidth(width)  # remembered now
    label.setText(LONG)
    qtbot.waitUntil(lambda: item.heightForWidth(width) == cell.heightForWidth(width) > 60)


def _scrolling_dialog(qtbot: QtBot, rows: int = 1) -> tuple[QDialog, list[QWidget], QWidget]:
    """Four fields (times `rows`) with their explanations, Close below."""
    from PySide6.QtWidgets import QComboBox, QLineEdit, QSpinBox

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    fields: list[QWidget] = [kind() for _ in range(rows)
                             for kind in (QSpinBox, QComboBox, QLineEdit, QLineEdit)]
    for field in fields:
        layout.addWidget(_wrapping("What the next field is for."))
        layout.addWidget(field)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    layout.addWidget(buttons)
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None
    return dialog, fields, close


def test_a_window_made_to_scroll_opens_with_the_keyboard_in_its_first_field(
        qtbot: QtBot) -> None:
    """The fields moved into the scroll area went to the end of Tab's order, after Close:
    Settings at the largest text opened with the keyboard on Close, and Tab went from
    Close to the first field."""
    from PySide6.QtCore import Qt

    from tests.ui.keys import focused, press, show_active

    dialog, fields, close = _scrolling_dialog(qtbot)
    scroll_body(dialog)
    show_active(qtbot, dialog)
    reached = [focused()]
    for _ in range(len(fields)):
        press(Qt.Key.Key_Tab)
        reached.append(focused())
    assert reached == [*fields, close]
    dialog.close()


def test_the_field_with_the_keyboard_keeps_it_when_the_window_starts_to_scroll(
        qtbot: QtBot) -> None:
    """A larger text size chosen in Settings made it scroll, and the keyboard went to Close."""
    from tests.ui.keys import focused, show_active

    dialog, fields, _close = _scrolling_dialog(qtbot)
    show_active(qtbot, dialog)
    fields[1].setFocus()
    scroll_body(dialog)
    assert focused() is fields[1]
    dialog.close()


def test_a_window_that_scrolls_asks_for_what_it_holds_when_its_height_is_fitted(
        qtbot: QtBot) -> None:
    """Settings made to scroll at the largest text, then set back to normal: the window
    kept a scroll area's few lines (or the whole screen); it takes what its words need."""
    from PySide6.QtWidgets import QScrollArea

    from app.ui.kit.screen_fit import fit_height, room_for
    from tests.ui.keys import show_active

    dialog, _fields, _close = _scrolling_dialog(qtbot, rows=3)  # taller than a scroll
    scroll_body(dialog)                                           # area's size hint
    show_active(qtbot, dialog)
    dialog.resize(dialog.width(), 60)  # as squeezed as a scroll area's size hint left it
    fit_height(dialog)
    QApplication.processEvents()
    scroll = dialog.findChild(QScrollArea, "FitScroll")
    assert scroll is not None
    assert scroll.verticalScrollBar().maximum() == 0  # everything shows, nothing to scroll
    assert dialog.height() < room_for(dialog).height()  # and not the whole screen either
    dialog.close()
