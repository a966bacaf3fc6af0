"""Payments as an editable table model.

As with identifiers, an edit shows at once and is saved by the view in the worker. A value
that cannot be stored (an amount that is not a number) is not written; the model says why
through `problem`, in one calm sentence, and the cell keeps what was saved.
"""

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from app.core.records import (
    PaymentRow,
    amount_text,
    method_label,
    parse_amount,
    parse_currency,
    parse_method,
    parse_status,
    reference_warnings,
    status_label,
)
from app.errors import InvalidInput
from app.i18n import tr
from app.text_safety import visible_line
from app.ui.kit.delegates import PLAIN_ITEM, is_checked
from app.ui.kit.view_text import day_text
from app.ui.records.record_model import RecordTableModel

ModelIndex = QModelIndex | QPersistentModelIndex

# What happened to the money and whether the bank was told, the next steps police advice
# gives, before who was paid and where: at 1366x768 and 125% the columns after Where collected
# were partly behind the page's scroll bar, the Bank told tick with them.
(DATE, AMOUNT, CURRENCY, METHOD, REFERENCE, STATUS, BANK_TOLD, RECIPIENT, PLACE,
 NOTE) = range(10)
COLUMNS = 10
ID_ROLE = Qt.ItemDataRole.UserRole + 1

_TEXT_FIELDS = {REFERENCE: "reference", RECIPIENT: "recipient_name", PLACE: "recipient_place",
                NOTE: "note"}


def _headers() -> list[str]:
    # The long headings on two lines, and "Bank told" a tick with its day in its tooltip (and
    # under the table): at 1366x768 and 125% "What happened" and "Bank told" were cut behind
    # a sideways scroll bar, the columns as wide as headings wider than their words.
    return [tr("Date"), tr("Amount"), tr("Currency"), tr("How"), tr("Reference\nor MTCN"),
            tr("What\nhappened"), tr("Bank\ntold"), tr("Paid to"), tr("Where\ncollected"),
            tr("Note")]


def bank_told_text(payment: PaymentRow) -> str:
    """When the bank was told, in words ("" if it was not)."""
    return bank_told_words(payment.bank_told, payment.bank_told_on)


def bank_told_words(told: bool, day: date | None) -> str:
    if not told:
        return ""
    if day is None:
        return tr("Bank told.")
    return tr("Bank told on {day}.").format(day=day_text(day))


def money(amount: Decimal) -> str:
    return amount_text(amount)


class PaymentsModel(RecordTableModel[PaymentRow]):
    edit_requested = Signal(int, object)  # payment id, {field: value} for edit_payment
    problem = Signal(str)  # a value that could not be used, in one calm sentence

    def headers(self) -> list[str]:
        return _headers()

    def record_id(self, record: PaymentRow) -> int:
        return record.id

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = PLAIN_ITEM | Qt.ItemFlag.ItemIsEditable
        if index.column() == BANK_TOLD:  # ticked, and its day typed (F2): told days ago
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        p, column = self._rows[index.row()], index.column()
        if role == ID_ROLE:
            return p.id
        if role == Qt.ItemDataRole.CheckStateRole and column == BANK_TOLD:
            return Qt.CheckState.Checked if p.bank_told else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column == AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.EditRole:
            return {DATE: p.paid_on, BANK_TOLD: p.bank_told_on, AMOUNT: str(p.amount),
                    CURRENCY: p.currency,
                    METHOD: p.method.value, STATUS: p.status.value,
                    REFERENCE: p.reference, RECIPIENT: p.recipient_name,
                    PLACE: p.recipient_place, NOTE: p.note}.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == DATE:
                return day_text(p.paid_on) or tr("not known")
            if column == AMOUNT:
                return money(p.amount)
            if column == CURRENCY:
                return p.currency
            if column == METHOD:
                return method_label(p.method)
            if column == STATUS:
                return status_label(p.status)
            if column in _TEXT_FIELDS:
                return visible_line(str(getattr(p, _TEXT_FIELDS[column])))
        if role == Qt.ItemDataRole.ToolTipRole and column == BANK_TOLD:
            if p.bank_told:
                return bank_told_text(p) + " " + tr("F2 to change the day.")
            return tr("Tick when you have told your bank or the money transfer company (F2 to "
                      "type the day, if it was not today).")
        if role == Qt.ItemDataRole.ToolTipRole and column == REFERENCE:
            return " ".join(reference_warnings(p.method, p.reference)) or None
        return None

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.row() >= len(self._rows):
            return False
        p, column = self._rows[index.row()], index.column()
        try:
            changed = self._change(p, column, value, role)
        except InvalidInput as exc:
            self.problem.emit(exc.message)
            return False
        if changed is None:
            return False
        fields, new = changed
        # A month alone equals its first day as a date: "1 March" to "March" is a change.
        if new == p and type(new.paid_on) is type(p.paid_on):
            return True
        self._rows[index.row()] = new
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), COLUMNS - 1))
        self.edit_requested.emit(p.id, fields)
        return True

    @staticmethod
    def _change(p: PaymentRow, column: int, value: Any,
                role: int) -> tuple[dict[str, object], PaymentRow] | None:
        if role == Qt.ItemDataRole.CheckStateRole and column == BANK_TOLD:
            told = is_checked(value)
            on = (p.bank_told_on or date.today()) if told else None
            return ({"bank_told": told, "bank_told_on": on},
                    dataclasses.replace(p, bank_told=told, bank_told_on=on))
        if role != Qt.ItemDataRole.EditRole:
            return None
        if column == DATE:
            day = value if isinstance(value, date) else None
            return {"paid_on": day}, dataclasses.replace(p, paid_on=day)
        if column == BANK_TOLD:  # the day the bank was told: typed, it is told
            day = value if isinstance(value, date) else None
            told = p.bank_told or day is not None
            return ({"bank_told": told, "bank_told_on": day},
                    dataclasses.replace(p, bank_told=told, bank_told_on=day))
        if column == AMOUNT:
            amount = parse_amount(str(value), p.currency)  # "$200" in a GBP row: said
            return {"amount": amount}, dataclasses.replace(p, amount=amount)
        if column == CURRENCY:
            currency = parse_currency(str(value))
            return {"currency": currency}, dataclasses.replace(p, currency=currency)
        if column == METHOD:
            method = parse_method(str(value))
            return {"method": method.value}, dataclasses.replace(p, method=method)
        if column == STATUS:
            status = parse_status(str(value))
            return {"status": status.value}, dataclasses.replace(p, status=status)
        text = str(value)
        if column == REFERENCE:
            return {"reference": text}, dataclasses.replace(p, reference=text)
        if column == RECIPIENT:
            return {"recipient_name": text}, dataclasses.replace(p, recipient_name=text)
        if column == PLACE:
            return {"recipient_place": text}, dataclasses.replace(p, recipient_place=text)
        if column == NOTE:
            return {"note": text}, dataclasses.replace(p, note=text)
        return None
