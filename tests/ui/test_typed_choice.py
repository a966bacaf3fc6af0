"""Letters typed on a list box choose the entry a person means (kit/typed_choice.py).

Tried by hand: "Inst" typed on the Type box of *Offender details* chose "IBAN (international
bank account)", and the offender's Instagram account would have been saved as a bank
account; on *Payments*, "bitcoin" chose "Bank transfer". Typed key by key here, and checked
in the case file.
"""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.core.identifiers import IdentifierType
from app.core.records.identifiers import IdentifierRow, add_identifier, list_identifiers
from app.core.records.payments import add_payment, list_payments
from app.core.records.timeline import list_events
from app.models import PaymentMethod, TimelineKind
from app.ui.kit.controller import CaseController
from app.ui.records.identifiers_view import IdentifiersView
from app.ui.records.payments_view import PaymentsView
from app.ui.records.timeline_view import TimelineView
from tests.ui.keys import focused, list_box_keys, press, put_focus, tab, type_keys
from tests.ui.records_support import show_view
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def details(qtbot: QtBot, controller: CaseController) -> list[IdentifierRow]:
    settle(qtbot)
    return run_in_case(qtbot, controller, list_identifiers)  # type: ignore[return-value]


def type_box(qtbot: QtBot, controller: CaseController) -> IdentifiersView:
    view = IdentifiersView(controller)
    show_view(qtbot, view)
    put_focus(qtbot, view.type_combo)
    return view


def pause() -> None:
    """Longer than Qt's keyboard interval: the next letters start a new search."""
    QTest.qWait(QApplication.keyboardInputInterval() + 100)


def test_a_platform_typed_on_the_type_box_is_a_username_there(
        qtbot: QtBot, controller: CaseController) -> None:
    view = type_box(qtbot, controller)
    with list_box_keys():
        type_keys("Inst")
        assert view.current_type() is IdentifierType.USERNAME  # not IBAN
        assert view.platform_combo.currentText() == "Instagram"
        assert view.help_title.text() == IdentifierType.USERNAME.label
        assert not view.type_combo.view().isVisible()
        tab(2)  # the platform, then the detail
        assert focused() is view.value_edit
        type_keys("anna_88")
        press(Qt.Key.Key_Return)
    [saved] = details(qtbot, controller)
    assert (saved.type, saved.value, saved.platform) == (
        IdentifierType.USERNAME, "anna_88", "Instagram")


def test_words_with_spaces_and_other_names_choose_their_kind(
        qtbot: QtBot, controller: CaseController) -> None:
    view = type_box(qtbot, controller)
    with list_box_keys():
        type_keys("western union")  # the space is part of the search: the list stays closed
        assert view.current_type() is IdentifierType.MTCN
        assert not view.type_combo.view().isVisible()
        pause()
        type_keys("whatsapp")
        assert view.current_type() is IdentifierType.PHONE
        assert view.platform_combo.currentText() == "WhatsApp"
        pause()
        type_keys("email")
        assert view.current_type() is IdentifierType.EMAIL
        assert view.platform_combo.currentText() == "WhatsApp"  # a platform is never taken away
        pause()
        type_keys("zzz")  # nothing starts so: nothing changes
        assert view.current_type() is IdentifierType.EMAIL
        pause()
        press(Qt.Key.Key_Space)  # a space on its own still opens the list
        qtbot.waitUntil(view.type_combo.view().isVisible, timeout=5000)
        view.type_combo.hidePopup()
    assert details(qtbot, controller) == []  # choosing a kind saves nothing


def test_letters_typed_in_the_open_list_choose_as_on_the_closed_box(
        qtbot: QtBot, controller: CaseController) -> None:
    """Tried by hand: the Type box clicked open, "mtcn" typed into its list and Enter chose
    "MoneyGram reference number" (the list's own search, by the first letter), and a Western
    Union number was saved under it."""
    view = type_box(qtbot, controller)
    box = view.type_combo
    QTest.mouseClick(box, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(box.view().isVisible, timeout=5000)
    with list_box_keys():
        type_keys("mtcn")  # into the open list, which has the keyboard
        press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not box.view().isVisible(), timeout=5000)
    assert view.current_type() is IdentifierType.MTCN
    put_focus(qtbot, view.value_edit)
    type_keys("1234567890")
    press(Qt.Key.Key_Return)
    [saved] = details(qtbot, controller)
    assert (saved.type, saved.value) == (IdentifierType.MTCN, "1234567890")


def test_a_coin_or_a_gift_card_typed_on_the_method_box_is_chosen(
        qtbot: QtBot, controller: CaseController) -> None:
    view = PaymentsView(controller)
    show_view(qtbot, view)
    put_focus(qtbot, view.amount_edit)
    with list_box_keys():
        type_keys("200")
        tab(2)  # the currency, then the method
        assert focused() is view.method_combo
        type_keys("bitcoin")
        assert view.method_combo.currentData() == PaymentMethod.CRYPTO.value  # not a bank
        # What to do next, for this way of paying (only Western Union and MoneyGram had any).
        assert "wallet address" in view.method_help.text() and view.method_help.isVisible()
        pause()
        type_keys("steam")
        assert view.method_combo.currentData() == PaymentMethod.GIFT_CARD.value
        assert "freeze the card" in view.method_help.text()
        pause()
        type_keys("cash app")  # "ca" is Card on the way; the whole name is Other
        assert view.method_combo.currentData() == PaymentMethod.OTHER.value
        assert not view.method_combo.view().isVisible()
        pause()
        type_keys("bit")
        press(Qt.Key.Key_Return)
    settle(qtbot)
    [paid] = run_in_case(qtbot, controller, list_payments)  # type: ignore[misc]
    assert paid.method is PaymentMethod.CRYPTO


def test_letters_typed_in_a_table_cell_choose_as_in_the_form(
        qtbot: QtBot, controller: CaseController) -> None:
    """F2 on a saved row's How or Type cell, then a name: the same reading as the form's
    (the Type cell chooses the kind; the platform is a cell of its own)."""
    from PySide6.QtWidgets import QComboBox

    from app.ui.records.identifiers_model import TYPE
    from app.ui.records.payments_model import METHOD

    run_in_case(qtbot, controller, lambda case: add_payment(case, amount="100", method="card"))
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "name", "anna_88"))
    with list_box_keys():
        for view, column, typed in ((PaymentsView(controller), METHOD, "bitcoin"),
                                    (IdentifiersView(controller), TYPE, "insta")):
            show_view(qtbot, view)
            view.reload()
            qtbot.waitUntil(lambda v=view: v.model.rowCount() == 1, timeout=5000)  # type: ignore[misc]
            put_focus(qtbot, view.table)
            view.table.setCurrentIndex(view.model.index(0, column))
            press(Qt.Key.Key_F2)
            assert isinstance(focused(), QComboBox)
            type_keys(typed)
            press(Qt.Key.Key_Return)
    settle(qtbot)
    [paid] = run_in_case(qtbot, controller, list_payments)  # type: ignore[misc]
    assert paid.method is PaymentMethod.CRYPTO  # not Bank transfer
    [detail] = details(qtbot, controller)
    assert detail.type is IdentifierType.USERNAME  # not IBAN


def test_a_word_typed_on_the_kind_of_event_chooses_it(
        qtbot: QtBot, controller: CaseController) -> None:
    """"money" on What kind had chosen "Moved to another app or site"."""
    view = TimelineView(controller)
    show_view(qtbot, view)
    put_focus(qtbot, view.when_field.edit)
    with list_box_keys():
        type_keys("14/03/2025 22:30")
        tab(2)  # About then, then What kind
        assert focused() is view.kind_combo
        type_keys("money")
        assert view.kind_combo.currentData() == TimelineKind.DEMAND.value
        tab()
        type_keys("They asked for 500 pounds")
        press(Qt.Key.Key_Return)
    settle(qtbot)
    [event] = run_in_case(qtbot, controller, list_events)  # type: ignore[misc]
    assert event.kind is TimelineKind.DEMAND
