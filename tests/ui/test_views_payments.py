"""Payments through the view: add, edit cells (amount, status, date, bank told), totals per
currency, a bad amount explained and not saved, modeltester, lock clears."""

from datetime import date
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from app.core.records.payments import add_payment, list_payments
from app.models import PaymentStatus
from app.ui.kit.controller import CaseController
from app.ui.kit.date_field import DateLineEdit
from app.ui.records.payments_model import AMOUNT, BANK_TOLD, DATE, STATUS, PaymentsModel
from app.ui.records.payments_view import PaymentsView
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _stored(qtbot: QtBot, controller: CaseController) -> list:
    return run_in_case(qtbot, controller, list_payments)  # type: ignore[return-value]


def test_add_edit_and_totals(qtbot: QtBot, qtmodeltester, controller: CaseController) -> None:
    view = PaymentsView(controller)
    qtbot.addWidget(view)
    view.amount_edit.setText("250")
    view.method_combo.setCurrentIndex(view.method_combo.findData("western-union"))
    assert "10-digit" in view.method_help.text()  # what an MTCN is
    view.reference_edit.setText("1234567890")
    view.add_from_form()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    settle(qtbot)
    stored = _stored(qtbot, controller)
    assert stored[0].amount == Decimal("250") and stored[0].reference == "1234567890"
    assert "250.00 GBP" in view.totals.text()

    model = view.model
    assert model.setData(model.index(0, AMOUNT), "300.50")
    assert model.setData(model.index(0, STATUS), PaymentStatus.COLLECTED.value)
    assert model.setData(model.index(0, BANK_TOLD), Qt.CheckState.Checked,
                         Qt.ItemDataRole.CheckStateRole)
    delegate = view.table.itemDelegateForColumn(DATE)
    index = model.index(0, DATE)
    editor = delegate.createEditor(view.table.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, DateLineEdit)
    delegate.setEditorData(editor, index)
    editor.setText("1 March 2024")
    delegate.setModelData(editor, model, index)
    editor.deleteLater()
    settle(qtbot)
    p = _stored(qtbot, controller)[0]
    assert (p.amount, p.status, p.bank_told, p.paid_on) == (
        Decimal("300.50"), PaymentStatus.COLLECTED, True, date(2024, 3, 1))
    assert p.bank_told_on is not None
    qtbot.waitUntil(lambda: "Known to be collected: 300.50 GBP" in view.totals.text(), timeout=5000)

    run_in_case(qtbot, controller, lambda case: add_payment(
        case, amount="100", currency="EUR", method="moneygram", status="cancelled"))
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)  # not reloaded yet
    view.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert "Cancelled (not counted above): 100.00 EUR" in view.totals.text()
    qtmodeltester.check(model)
    qtmodeltester.check(PaymentsModel())


def test_bad_amount_is_explained_not_saved(qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda case: add_payment(case, amount="50", method="card"))
    view = PaymentsView(controller)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert not view.model.setData(view.model.index(0, AMOUNT), "fifty")
    assert "number" in view.message.text()
    settle(qtbot)
    assert _stored(qtbot, controller)[0].amount == Decimal("50")

    view.remove_button.click()  # nothing selected: no confirmation
    assert not view.confirm_remove.isVisibleTo(view)
    view.select_payment(view.model.row_at(0).id)  # type: ignore[union-attr]
    view.remove_button.click()
    assert view.confirm_remove.isVisibleTo(view) and not view.remove_button.isVisibleTo(view)
    view.keep_button.click()  # "Keep it": the question goes away, nothing is removed
    assert not view.confirm_remove.isVisibleTo(view) and view.remove_button.isVisibleTo(view)
    settle(qtbot)
    assert len(_stored(qtbot, controller)) == 1
    view.remove_button.click()
    view.confirm_remove.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    settle(qtbot)
    assert _stored(qtbot, controller) == []
    view.amount_edit.setText("12")
    controller.lock()
    assert view.model.rowCount() == 0 and view.amount_edit.text() == "" and view.totals.text() == ""
