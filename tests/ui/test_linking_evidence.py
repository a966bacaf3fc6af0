"""A detail or an event saved while a picture is selected on the Evidence tab can be linked to
it: the main window tells the record tabs what the Evidence tab has selected."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QWidget
from pytestqt.qtbot import QtBot

from app.core.intake import import_paths
from app.core.records import list_events, list_identifiers
from app.models.casefile import CaseFile
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.ui.keys import clear_and_type, put_focus, type_keys
from tests.ui.shell_support import clock, closed_case, open_case_in_shell, settle, shell

__all__ = ["clock", "shell"]


def _window_with_a_picture(qtbot: QtBot, shell: SafekeepSession,
                           make_case: Callable[..., CaseFile], tmp_path: Path,
                           pictures: int = 1) -> MainWindow:
    paths = []
    for number in range(pictures):
        paths.append(tmp_path / f"chat{number}.png")
        image = QImage(200, 120, QImage.Format.Format_RGB32)
        image.fill(QColor("#80a0c0").darker(100 + 20 * number))
        assert image.save(str(paths[-1]), "PNG")  # type: ignore[call-overload]
    case = make_case()
    import_paths(case, paths)
    open_case_in_shell(qtbot, shell, closed_case(lambda: case))
    window = shell.main_window
    assert isinstance(window, MainWindow)
    qtbot.waitUntil(lambda: window.evidence.model.rowCount() == pictures, timeout=10000)
    item = window.evidence.model.evidence(0)
    assert item is not None and window.evidence.select_evidence(item.id)
    return window


def _type_tick_and_save(qtbot: QtBot, field: QWidget, text: str, link_box: QCheckBox) -> None:
    """Type into the form's first field, tick the link box with Space, save with Enter."""
    put_focus(qtbot, field)
    type_keys(text)
    put_focus(qtbot, link_box)
    QTest.keyClick(link_box, Qt.Key.Key_Space)
    assert link_box.isChecked()
    QTest.keyClick(link_box, Qt.Key.Key_Return)
    settle(qtbot)


def test_a_detail_saved_with_a_picture_selected_links_to_it(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    window = _window_with_a_picture(qtbot, shell, make_case, tmp_path)
    item_id = window.evidence.selected_ids()[0]
    window.show_view("identifiers")
    view = window.identifiers
    assert view.link_box.isVisibleTo(view)
    assert view.link_box.text() == "Link it to the evidence item selected on the Evidence screen"
    _type_tick_and_save(qtbot, view.value_edit, "live:.cid.7f3a2b9c1d", view.link_box)
    saved = list_identifiers(shell.controller.require_case())
    assert [(i.value, list(i.evidence_ids)) for i in saved] == [("live:.cid.7f3a2b9c1d", [item_id])]


def test_an_event_saved_with_a_picture_selected_links_to_it(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    window = _window_with_a_picture(qtbot, shell, make_case, tmp_path)
    item_id = window.evidence.selected_ids()[0]
    window.show_view("timeline")
    view = window.timeline
    assert view.link_box.isVisibleTo(view)
    put_focus(qtbot, view.when_field.edit)
    clear_and_type("14/03/2025 22:30")
    put_focus(qtbot, view.what_edit)
    type_keys("They sent this picture")
    put_focus(qtbot, view.link_box)
    QTest.keyClick(view.link_box, Qt.Key.Key_Space)
    QTest.keyClick(view.link_box, Qt.Key.Key_Return)
    settle(qtbot)
    events = list_events(shell.controller.require_case())
    assert [(e.description, list(e.evidence_ids)) for e in events] == [
        ("They sent this picture", [item_id])]


def test_several_selected_says_so_and_what_they_are_for(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    """Shift+arrow selects a second picture: the pane had said "Select an item to see its
    details", to a person who had just selected two."""
    window = _window_with_a_picture(qtbot, shell, make_case, tmp_path, pictures=3)
    grid, details = window.evidence.grid, window.evidence.details
    put_focus(qtbot, grid)
    assert not details.empty_label.isVisible()  # one picture: its details
    QTest.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot)
    assert len(window.evidence.selected_ids()) == 3
    assert details.empty_label.isVisible()
    assert details.empty_label.text().startswith(
        "3 items are selected. Choose one to see its details.")
    assert "linked to all of them" in details.empty_label.text()
    window.show_view("identifiers")
    assert window.identifiers.link_box.text() == (
        "Link it to the 3 evidence items selected on the Evidence screen")
    window.show_view("evidence")
    put_focus(qtbot, grid)
    QTest.keyClick(grid, Qt.Key.Key_Left)  # one again
    settle(qtbot)
    assert len(window.evidence.selected_ids()) == 1
    assert not details.empty_label.isVisible()
    QTest.keyClick(grid, Qt.Key.Key_Space, Qt.KeyboardModifier.ControlModifier)  # none
    settle(qtbot)
    assert window.evidence.selected_ids() == []
    assert details.empty_label.text() == "Select an item to see its details."


def test_the_details_name_the_exhibit_as_the_bundle_does(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    """An officer asks about "TC/2": the window says which item that is, and follows new
    initials typed in Case details (it had shown no exhibit reference anywhere)."""
    from tests.ui.keys import closed, press_enter, show_active

    window = _window_with_a_picture(qtbot, shell, make_case, tmp_path, pictures=2)
    grid, details = window.evidence.grid, window.evidence.details
    put_focus(qtbot, grid)
    QTest.keyClick(grid, Qt.Key.Key_Right)
    settle(qtbot)
    item = window.evidence.model.evidence(1)
    assert item is not None and window.evidence.selected_ids() == [item.id]
    assert details.exhibit.text() == f"Exhibit TC/{item.exhibit_number} in the bundle for police"
    assert details.exhibit.isVisible()
    dialog = window.open_case_details()
    assert dialog is not None
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=5000)
    put_focus(qtbot, dialog.initials_edit)
    type_keys("j.s.")
    press_enter(dialog.initials_edit)
    qtbot.waitUntil(lambda: closed(dialog), timeout=15000)
    qtbot.waitUntil(lambda: "JS/" in details.exhibit.text(), timeout=5000)
    assert details.exhibit.text() == f"Exhibit JS/{item.exhibit_number} in the bundle for police"


def test_a_payment_saved_with_a_receipt_selected_links_to_it(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    """The report's payments table names each payment's exhibits (the receipt, the transfer's
    screenshot), but the window had no way to link one: only a script could."""
    from app.core.records import list_payments

    window = _window_with_a_picture(qtbot, shell, make_case, tmp_path)
    item_id = window.evidence.selected_ids()[0]
    window.show_view("payments")
    view = window.payments
    assert view.link_box.isVisibleTo(view)
    assert view.link_box.text() == "Link it to the evidence item selected on the Evidence screen"
    _type_tick_and_save(qtbot, view.amount_edit, "250", view.link_box)
    qtbot.waitUntil(lambda: bool(list_payments(shell.controller.require_case())), timeout=5000)
    [payment] = list_payments(shell.controller.require_case())
    assert list(payment.evidence_ids) == [item_id]
    assert "Linked to 1 evidence item." in view.message.text()
    assert not view.link_box.isChecked()  # ticked for that payment, not for the next


def test_a_payment_saved_before_its_receipt_is_linked_to_it_afterwards(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        tmp_path: Path) -> None:
    """A payment is often noted before its receipt is added: once saved, it could not be
    linked to it in the window (details could, with "Link to the selected evidence")."""
    from app.core.records import list_payments

    window = _window_with_a_picture(qtbot, shell, make_case, tmp_path)
    item_id = window.evidence.selected_ids()[0]
    window.show_view("payments")
    view = window.payments
    put_focus(qtbot, view.amount_edit)
    type_keys("250")
    QTest.keyClick(view.amount_edit, Qt.Key.Key_Return)  # saved without the link
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    settle(qtbot)
    assert view.selected_id() is not None  # the row just saved
    assert view.row_links.isVisible()
    assert view.row_links.text().startswith("This payment is not linked to any evidence.")
    assert view.link_button.isEnabled() and view.link_button.isVisible()
    QTest.mouseClick(view.link_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "exhibit" in view.row_links.text(), timeout=5000)
    [payment] = list_payments(shell.controller.require_case())
    assert list(payment.evidence_ids) == [item_id]
    assert view.row_links.text() == "Linked to exhibit TC/1 in the bundle for police."
    assert view.message.text() == "Saved. It is now linked to 1 evidence item."
    assert not view.link_button.isEnabled()  # nothing more to link
    assert view.link_button.toolTip() == "It is already linked to them."
    # The receipt's own details name the payment (they had named only offender's details).
    linked = window.evidence.details.linked_label
    qtbot.waitUntil(lambda: "Payment:" in linked.text(), timeout=5000)
    assert linked.text() == "Linked to it:\n• Payment: 250.00 GBP, Western Union"

    # Linked by mistake: the selected picture's link is taken off the same way.
    assert view.unlink_button.isEnabled()
    QTest.mouseClick(view.unlink_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not linked" in view.row_links.text(), timeout=5000)
    [payment] = list_payments(shell.controller.require_case())
    assert list(payment.evidence_ids) == []
    assert view.message.text() == "Saved. It is not linked to any evidence now."
    assert not view.unlink_button.isEnabled() and view.link_button.isEnabled()
    assert view.unlink_button.toolTip() == "None of the selected items is linked to it."
    qtbot.waitUntil(lambda: "Payment:" not in linked.text(), timeout=5000)
