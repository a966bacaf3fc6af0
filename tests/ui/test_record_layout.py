"""The three record tabs fit a small laptop (issue 13, defect 5, the tabs' own part).

At 1024x600 usable with the checklist beside it, a tab is about 640 pixels wide. Each form's
fields and its Save button must be whole there: inside the tab, inside every parent (a
squeezed group box clips too), and no smaller than the widget needs to show itself. The
forms are checked at their fullest: a date hint and a payment method's help showing.
"""

import contextlib
from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QStyle,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.core.records.when_text import edit_text
from app.ui.kit.controller import CaseController
from app.ui.kit.date_field import DateLineEdit
from app.ui.records.identifiers_view import IdentifiersView
from app.ui.records.payments_view import PaymentsView
from app.ui.records.timeline_view import TimelineView
from tests.ui.records_support import rect_in, show_view
from tests.ui.still import Still
from tests.ui.views_support import controller_fixture  # noqa: F401

SIZES = [(640, 560), (1000, 560), (1400, 800)]
USABLE_WIDTH = 120


def _longest_future_day() -> date:
    """A day in the future whose words are as long as any ("Wednesday 20 September 2028"):
    the form had been tall enough for most days, and the test passed or failed by the day it
    ran on (a 400th day ahead that was a Wednesday cut the last line of "Read as")."""
    day = date(date.today().year + 2, 9, 20)
    return day + timedelta(days=(2 - day.weekday()) % 7)


FUTURE = edit_text(_longest_future_day())


def _payments(controller: CaseController) -> tuple[QWidget, list[QWidget]]:
    view = PaymentsView(controller)
    view.date_field.edit.setText(FUTURE)  # "Read as ..." and a hint below the date
    view.bank_told.day.edit.setText(FUTURE)  # the same below the day the bank was told
    view.method_combo.setCurrentIndex(0)  # Western Union: its help about the MTCN shows
    fields = [view.amount_edit, view.currency_combo, view.method_combo, view.date_field.edit,
              view.date_field.feedback, view.reference_edit, view.status_combo,
              view.recipient_edit, view.place_edit, view.bank_told.box, view.bank_told.day.edit,
              view.bank_told.day.feedback, view.method_help,
              view.add_button]
    return view, fields


def _timeline(controller: CaseController) -> tuple[QWidget, list[QWidget]]:
    view = TimelineView(controller)
    view.when_field.edit.setText(FUTURE)  # a date without a time: two lines below it
    fields = [view.when_field.edit, view.when_field.feedback, view.approximate_box,
              view.kind_combo, view.what_edit, view.save_button, view.new_button]
    return view, fields


def _identifiers(controller: CaseController) -> tuple[QWidget, list[QWidget]]:
    view = IdentifiersView(controller)
    view.value_hint.setText("An MTCN is usually 10 digits. This one has 9. It is saved as "
                            "you typed it.")
    view.value_hint.show()  # as a hint shows it
    fields = [view.type_combo, view.platform_combo, view.value_edit, view.value_hint,
              view.note_edit, view.unsure_box, view.add_button, view.help_text]
    return view, fields


def _problems(widget: QWidget, view: QWidget) -> list[str]:
    name = widget.accessibleName() or type(widget).__name__
    if isinstance(widget, QLabel):
        name = widget.text()[:30] or name
    if not widget.isVisible():
        return [f"{name}: hidden"]
    found = []
    parent = widget.parentWidget()
    while parent is not None:
        if not parent.rect().contains(rect_in(widget, parent)):
            found.append(f"{name}: clipped by {type(parent).__name__} "
                         f"({rect_in(widget, parent)} outside {parent.rect()})")
        if parent is view:
            break
        parent = parent.parentWidget()
    need = widget.minimumSizeHint()
    if isinstance(widget, QLabel) and widget.wordWrap():
        need.setHeight(widget.heightForWidth(widget.width()))
        need.setWidth(0)
    if isinstance(widget, QLineEdit | QComboBox):
        need.setWidth(max(need.width(), USABLE_WIDTH))  # room to see what is typed
    if isinstance(widget, DateLineEdit):
        whole = widget.fontMetrics().horizontalAdvance("28/09/2025 22:30") + 40  # + calendar
        need.setWidth(max(need.width(), whole))
    if widget.width() < need.width() or widget.height() < need.height():
        found.append(f"{name}: squeezed to {widget.size()}, needs {need}")
    return found


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("build", [_payments, _timeline, _identifiers],
                         ids=["payments", "timeline", "identifiers"])
def test_each_form_is_whole(qtbot: QtBot, controller: CaseController,
                            build: Callable[[CaseController], tuple[QWidget, list[QWidget]]],
                            size: tuple[int, int]) -> None:
    view, fields = build(controller)
    show_view(qtbot, view, *size)
    qtbot.waitUntil(lambda: view.size().width() == size[0], timeout=5000)
    qtbot.waitUntil(Still(lambda: [view]), timeout=5000)  # the form has reflowed
    problems = [p for field in fields for p in _problems(field, view)]
    assert problems == []
    assert view.minimumSizeHint().width() <= 640  # the form can reflow down to a small tab


def _headings_cut(view: QWidget) -> list[str]:
    """The headings of the view's table that do not fit their columns."""
    table = view.findChild(QTableView)
    assert table is not None
    header = table.horizontalHeader()
    model = table.model()
    margins = 2 * header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin)
    cut = []
    for column in range(model.columnCount()):
        heading = model.headerData(column, Qt.Orientation.Horizontal)
        widest = max(header.fontMetrics().horizontalAdvance(line) for line in heading.split("\n"))
        if widest > header.sectionSize(column) - margins:  # a long heading is on two lines
            cut.append(f"{heading!r} in {header.sectionSize(column)} pixels")
    return cut


@pytest.mark.parametrize("point_size", [9, 13], ids=["usual font", "large font"])
@pytest.mark.parametrize("build", [_payments, _timeline, _identifiers],
                         ids=["payments", "timeline", "identifiers"])
def test_every_heading_of_the_table_is_whole(
        qtbot: QtBot, controller: CaseController, point_size: int,
        build: Callable[[CaseController], tuple[QWidget, list[QWidget]]]) -> None:
    """The tables' columns start at widths in pixels; "What happened" and "Bank told" were
    cut to "What happenec" and "Bank to" with the fonts of a common Linux desktop."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    usual = app.font()
    bigger = QFont(usual)
    bigger.setPointSize(point_size)
    app.setFont(bigger)
    try:
        view, _fields = build(controller)
        show_view(qtbot, view, 1400, 800)
        assert _headings_cut(view) == []
    finally:
        app.setFont(usual)


@pytest.mark.parametrize("build", [_payments, _identifiers], ids=["payments", "identifiers"])
def test_headings_stay_whole_when_the_text_size_changes_while_open(
        qtbot: QtBot, controller: CaseController,
        build: Callable[[CaseController], tuple[QWidget, list[QWidget]]]) -> None:
    """The text size setting changes the application's font while the tabs are open."""
    view, _fields = build(controller)
    show_view(qtbot, view, 1400, 800)
    with _larger_text(qtbot, view, 1.5):  # the largest text size setting
        qtbot.waitUntil(lambda: _headings_cut(view) == [], timeout=5000)


@contextlib.contextmanager
def _larger_text(qtbot: QtBot, view: QWidget, factor: float) -> Iterator[None]:
    """The application's font made `factor` times larger, as the text size setting does
    while the tabs are open, until the block ends; the view has it when the block starts."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    usual = app.font()
    larger = QFont(usual)
    larger.setPointSizeF(usual.pointSizeF() * factor)
    try:
        app.setFont(larger)
        qtbot.waitUntil(lambda: view.fontMetrics().height() > QFontMetrics(usual).height(),
                        timeout=5000)
        yield
    finally:
        app.setFont(usual)


def _hints_cut(view: QWidget) -> list[str]:
    """The grey hints that do not fit the room their line gives its text (its width less
    what its own size hint adds around 17 "x": frame, margins, icons)."""
    cut = []
    for edit in view.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if not hint or not edit.isVisible():
            continue
        metrics = edit.fontMetrics()
        around = edit.sizeHint().width() - 17 * metrics.horizontalAdvance("x")
        if metrics.horizontalAdvance(hint) > edit.width() - around:
            cut.append(f"{hint!r} in {edit.width()} pixels")
    return cut


@pytest.mark.parametrize("width", [640, 870, 1400])
@pytest.mark.parametrize("build", [_payments, _timeline, _identifiers],
                         ids=["payments", "timeline", "identifiers"])
def test_the_grey_hints_are_whole_and_stay_whole_at_a_larger_text_size(
        qtbot: QtBot, controller: CaseController, width: int,
        build: Callable[[CaseController], tuple[QWidget, list[QWidget]]]) -> None:
    """"like 14/03/2025 o…" and "Town or country, if kn…" at 1280 pixels with the checklist
    beside the tab (870 for the tab): a hint cut short says less than none."""
    view, _fields = build(controller)
    show_view(qtbot, view, width, 700)
    qtbot.waitUntil(Still(lambda: [view]), timeout=5000)
    assert _hints_cut(view) == []
    with _larger_text(qtbot, view, 1.25):
        qtbot.waitUntil(lambda: _hints_cut(view) == [], timeout=5000)


@pytest.mark.parametrize("width", [640, 1000])
def test_the_timeline_fits_its_three_columns_without_a_sideways_scroll_bar(
        qtbot: QtBot, controller: CaseController, width: int) -> None:
    """The description column was given 400 pixels beside two of 190: wider than the tab on a
    small laptop, so an empty timeline opened with a sideways scroll bar and its heading off
    to the right. The description fills what the time and the kind leave."""
    view = TimelineView(controller)
    show_view(qtbot, view)
    view.resize(width, 560)
    QApplication.processEvents()
    table = view.table
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= table.viewport().width()


def test_the_timeline_gives_its_room_to_what_happened(
        qtbot: QtBot, controller: CaseController) -> None:
    """The fourth column, "Linked", took the room the others left, and "What happened", the
    words of each event, was the narrowest column on a 1024-pixel screen."""
    from app.ui.records.timeline_model import LINKED, WHAT

    view = TimelineView(controller)
    show_view(qtbot, view)
    view.resize(990, 560)  # the tab on a 1024 x 768 screen
    QApplication.processEvents()
    header = view.table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(header.count())]
    assert widths[WHAT] == max(widths) and widths[WHAT] >= 350
    assert widths[LINKED] < widths[WHAT]


def test_the_details_form_has_no_gaps_between_its_rows(qtbot: QtBot,
                                                       controller: CaseController) -> None:
    """Beside its taller help, the form of Offender details was stretched and its rows spread
    apart (an empty hint under the detail, the height shared out between rows, a label's
    room above "I'm not sure this is right" alone in its row): the table below had less."""
    view = IdentifiersView(controller)
    show_view(qtbot, view, 700, 650)  # the tab at 1366x768 and 125%, the checklist beside it
    qtbot.waitUntil(Still(lambda: [view]), timeout=5000)

    def top(widget: QWidget) -> int:
        return rect_in(widget, view).top()

    def bottom(widget: QWidget) -> int:
        return rect_in(widget, view).bottom()

    labelled_step = top(view.value_edit) - bottom(view.type_combo)  # a label between them
    # The same, but for the cell's 2 pixels between the detail and its (empty) hint's place.
    assert top(view.note_edit) - bottom(view.value_edit) <= labelled_step + 2
    assert top(view.unsure_box) - bottom(view.note_edit) < labelled_step  # no label there
    assert not view.value_hint.isVisible()
