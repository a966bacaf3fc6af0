"""The record tables' columns leave the room to what matters, on a small screen too.

At 1366x768 and 125% the time, the kind and the links kept 500 of the table's 670 pixels,
sized for the longest words they could hold, and the event itself was cut to half a
sentence. On Offender details, "Type" kept 170 for "Facebook profile" and "Not sure" was cut
off. Events are added with real keys; the heading is dragged with the mouse.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.records.identifiers import add_identifier
from app.core.records.timeline import add_event
from app.ui.kit.controller import CaseController
from app.ui.records.identifiers_model import HINT, NOTE, PLATFORM, TYPE, UNSURE, VALUE
from app.ui.records.identifiers_view import IdentifiersView
from app.ui.records.record_tab import RecordTab
from app.ui.records.timeline_model import KIND, LINKED, WHAT, WHEN
from app.ui.records.timeline_view import TimelineView
from tests.ui.keys import press, put_focus, tab, type_keys
from tests.ui.records_support import show_view
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

EVENT = "Messaged me on Instagram, then asked to move to Skype"


def words_width(view: TimelineView | IdentifiersView, words: str) -> int:
    return view.table.fontMetrics().horizontalAdvance(words)


V = TypeVar("V", bound=RecordTab[Any, Any])


def shown(qtbot: QtBot, controller: CaseController, make: Callable[[CaseController], V],
          rows: int) -> V:
    """A record tab in the room it has at 1366x768 and 125%, its `rows` read and fitted."""
    view = make(controller)
    show_view(qtbot, view, width=700, height=650)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == rows, timeout=5000)
    qtbot.wait(20)  # the columns are fitted once the rows are laid out
    return view


def timeline(qtbot: QtBot, controller: CaseController, rows: int) -> TimelineView:
    return shown(qtbot, controller, TimelineView, rows)


def add_with_keys(qtbot: QtBot, view: TimelineView, when: str, kind: str, what: str) -> None:
    rows = view.model.rowCount()
    put_focus(qtbot, view.when_field.edit)
    type_keys(when)
    tab(2)  # past "About then" to the kind
    type_keys(kind)
    tab()
    type_keys(what)
    press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.model.rowCount() == rows + 1, timeout=5000)
    settle(qtbot)
    qtbot.wait(20)


def test_the_event_gets_the_room_the_time_kind_and_links_leave(
        qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda case: add_event(
        case, datetime(2026, 11, 30, 21, 0, tzinfo=UTC), EVENT, kind="first-contact"))
    view = timeline(qtbot, controller, rows=1)
    table, header = view.table, view.table.horizontalHeader()
    assert table.columnWidth(WHAT) >= words_width(view, EVENT)  # the whole sentence in sight
    assert table.columnWidth(KIND) >= words_width(view, "First contact")
    for column in (WHEN, KIND, LINKED):  # each heading whole
        assert table.columnWidth(column) >= header.sectionSizeHint(column)

    narrow = table.columnWidth(KIND)
    add_with_keys(qtbot, view, "yesterday 9pm", "moved", "Asked to move to Skype")
    assert table.columnWidth(KIND) > narrow  # "Moved to another app or site" is longer
    assert table.columnWidth(KIND) >= min(200, words_width(view, "Moved to another app or site"))


def test_a_column_sized_by_hand_keeps_its_width(qtbot: QtBot,
                                                controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda case: add_event(
        case, datetime(2026, 11, 30, 21, 0, tzinfo=UTC), EVENT, kind="threat"))
    view = timeline(qtbot, controller, rows=1)
    table, header = view.table, view.table.horizontalHeader()
    before = table.columnWidth(KIND)
    edge = header.sectionViewportPosition(KIND) + header.sectionSize(KIND) - 1
    y = header.height() // 2
    viewport = header.viewport()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(edge, y))
    for step in range(1, 7):
        QTest.mouseMove(viewport, QPoint(edge + 10 * step, y))
    QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(edge + 60, y))
    widened = table.columnWidth(KIND)
    assert widened >= before + 50

    add_with_keys(qtbot, view, "today 9am", "money", "Asked for 300 pounds")
    assert table.columnWidth(KIND) == widened  # the person's width, not the words'


def test_offender_details_type_and_platform_as_wide_as_their_words(
        qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller,
                lambda case: add_identifier(case, "facebook", "https://www.facebook.com/jenny.rose.4421"))
    view = shown(qtbot, controller, IdentifiersView, rows=1)
    table, header = view.table, view.table.horizontalHeader()
    assert words_width(view, "Facebook profile") <= table.columnWidth(TYPE) < 170
    assert table.columnWidth(PLATFORM) >= words_width(view, "Facebook")
    unsure = header.sectionViewportPosition(UNSURE) + header.sectionSize(UNSURE)
    assert unsure <= table.viewport().width()  # "Not sure" whole, in sight
    # The detail takes the room left; the hints column (empty: no row has a hint) had it.
    assert table.isColumnHidden(HINT)
    assert table.columnWidth(VALUE) >= words_width(view, "https://www.facebook.com/jenny.rose.4421")

    run_in_case(qtbot, controller, lambda case: add_identifier(
        case, "mtcn", "123456789", note="Western Union receipt " * 5_000))
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    qtbot.wait(20)
    assert not table.isColumnHidden(HINT)  # a 9-digit MTCN: its hint has a column
    # A note of 110,000 letters: measured by its first letters only, the column at its widest.
    assert table.columnWidth(NOTE) == max(140, header.sectionSizeHint(NOTE))


def test_payments_columns_as_wide_as_their_words_and_a_list_box_in_a_cell_whole(
        qtbot: QtBot, controller: CaseController) -> None:
    """At 1366x768 and 125% the place a payment was collected was behind a sideways scroll bar
    (each column a guess), and then what happened to the money and whether the bank was told
    (headings wider than their words); a list box opened in a narrower cell must still show
    its choice."""
    from datetime import date

    from PySide6.QtWidgets import QComboBox

    from app.core.records.payments import add_payment
    from app.ui.records.payments_model import BANK_TOLD, METHOD, PLACE, STATUS
    from app.ui.records.payments_view import PaymentsView

    run_in_case(qtbot, controller, lambda case: add_payment(
        case, amount="300", method="western-union", reference="1234567890",
        recipient_name="John Doe", recipient_place="Lagos, Nigeria", status="not-collected",
        bank_told=True, bank_told_on=date(2026, 11, 21)))
    view = shown(qtbot, controller, PaymentsView, rows=1)
    table, header = view.table, view.table.horizontalHeader()
    for column in (PLACE, STATUS, BANK_TOLD):  # whole, in sight
        assert header.sectionViewportPosition(column) + header.sectionSize(column) \
            <= table.viewport().width(), view.model.headerData(column, Qt.Orientation.Horizontal)
    assert view.model.index(0, BANK_TOLD).data(Qt.ItemDataRole.ToolTipRole) == \
        "Bank told on 21 Nov 2026. F2 to change the day."  # the cell shows only the tick

    table.setFocus()
    table.setCurrentIndex(view.model.index(0, METHOD))
    press(Qt.Key.Key_F2)
    [box] = [w for w in table.viewport().findChildren(QComboBox) if w.isVisible()]
    assert box.currentText() == "Western Union"
    assert box.width() >= box.sizeHint().width() > table.columnWidth(METHOD) - 40
    press(Qt.Key.Key_Escape)
