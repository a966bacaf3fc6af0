"""A widget moved into another layout still tells that layout when it needs more room.

Qt lets only the first layout item made for a widget hear of its size changes; an item taken
out with takeAt and not deleted kept that role, so the widget's new item never heard. Seen as
the case check's answer in Settings cut to one line where the dialog scrolls."""

from PySide6.QtWidgets import (
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
