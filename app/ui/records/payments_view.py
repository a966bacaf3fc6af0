"""Payments: a short form to add one, a table to correct them, and totals per currency.

Police advice if you paid: check whether the money was collected, note where, cancel it if
not, and tell your bank. So the status, the place and "bank told" are right in the table.
"""

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.identifiers.normalise import IdentifierType
from app.core.records.payments import (
    PaymentRow,
    add_payment,
    edit_payment,
    list_payments,
    method_label,
    payment_totals,
    remove_payment,
    status_label,
)
from app.errors import InvalidInput
from app.i18n import tr
from app.models import PaymentMethod, PaymentStatus
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.date_field import DateField
from app.ui.kit.delegates import ChoiceDelegate, DateDelegate
from app.ui.kit.form_keys import EnterSaves, on_person_changes
from app.ui.kit.reflow_form import ReflowForm, form_combo
from app.ui.kit.row_actions import InlineRemove, select_record, selected_record_id
from app.ui.records.payments_model import (
    AMOUNT,
    BANK_TOLD,
    CURRENCY,
    DATE,
    METHOD,
    PLACE,
    RECIPIENT,
    REFERENCE,
    STATUS,
    PaymentsModel,
    money,
)

CURRENCIES = ("GBP", "EUR", "USD")


def _method_choices() -> list[tuple[str, str]]:
    return [(method_label(m), m.value) for m in PaymentMethod]


def _status_choices() -> list[tuple[str, str]]:
    return [(status_label(s), s.value) for s in PaymentStatus]


def totals_text(payments: list[PaymentRow]) -> str:
    """Per currency: paid (not counting cancelled), known to be collected, cancelled."""
    if not payments:
        return ""
    totals = payment_totals(payments)

    def each(amounts: dict[str, object]) -> str:
        return ", ".join(f"{money(a)} {c}" for c, a in sorted(amounts.items())  # type: ignore[arg-type]
                         ) or tr("none")

    lines = [tr("Paid in total: {amounts}").format(amounts=each(dict(totals.paid)))]
    lines.append(tr("Known to be collected: {amounts}").format(
        amounts=each(dict(totals.collected))))
    if totals.cancelled:
        lines.append(tr("Cancelled (not counted above): {amounts}").format(
            amounts=each(dict(totals.cancelled))))
    return "   ·   ".join(lines)


class PaymentsView(QWidget):
    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._select_after_load: int | None = None
        self._saving = False
        self._saving_words = ""
        self.model = PaymentsModel(self)
        self.model.edit_requested.connect(self._edit)
        self.model.problem.connect(self._say)
        layout = QVBoxLayout(self)

        intro = QLabel(tr("If you paid, note each payment. If the money has not been collected "
                          "yet, you may still be able to cancel it, so check as soon as you "
                          "can, and tell your bank."))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        box = QGroupBox(tr("Add a payment"))
        box_layout = QVBoxLayout(box)
        self.form = ReflowForm(box, max_columns=5)
        self.amount_edit = QLineEdit()
        self.amount_edit.setAccessibleName(tr("Amount"))
        self.amount_edit.setPlaceholderText("250.00")
        self.currency_combo = form_combo(tr("Currency"), [(c, c) for c in CURRENCIES],
                                         editable=True)
        self.method_combo = form_combo(tr("How you paid"), _method_choices())
        self.date_field = DateField(with_time=False, optional=True)
        self.date_field.edit.setAccessibleName(tr("Date paid"))
        self.reference_edit = QLineEdit()
        self.reference_edit.setAccessibleName(tr("Reference or MTCN"))
        self.status_combo = form_combo(tr("What happened to the money"), _status_choices())
        self.recipient_edit = QLineEdit()
        self.recipient_edit.setAccessibleName(tr("Paid to"))
        self.recipient_edit.setPlaceholderText(tr("The name they gave"))
        self.place_edit = QLineEdit()
        self.place_edit.setAccessibleName(tr("Where collected"))
        self.place_edit.setPlaceholderText(tr("Town or country, if known"))
        self.bank_told_box = QCheckBox(tr("Bank told"))
        self.bank_told_box.setToolTip(
            tr("Tick when you have told your bank or the money transfer company."))
        self.form.add(tr("Amount"), self.amount_edit)
        self.form.add(tr("Currency"), self.currency_combo)
        self.form.add(tr("How you paid"), self.method_combo)
        self.form.add(tr("Date paid"), self.date_field)
        self.form.add(tr("Reference or MTCN"), self.reference_edit)
        self.form.add(tr("What happened"), self.status_combo)
        self.form.add(tr("Paid to"), self.recipient_edit)
        self.form.add(tr("Where collected"), self.place_edit)
        self.form.add(None, self.bank_told_box)
        box_layout.addWidget(self.form)
        self.method_help = QLabel()
        self.method_help.setWordWrap(True)
        box_layout.addWidget(self.method_help)
        save_row = QHBoxLayout()
        self.add_button = QPushButton(tr("Save payment"))
        self.add_button.clicked.connect(self.add_from_form)
        save_row.addWidget(self.add_button)
        save_row.addStretch()
        box_layout.addLayout(save_row)
        fields: list[QWidget] = [self.amount_edit, self.currency_combo, self.method_combo,
                                 self.date_field, self.reference_edit, self.status_combo,
                                 self.recipient_edit, self.place_edit, self.bank_told_box]
        self.enter_saves = EnterSaves(self.add_from_form, [*fields, self.add_button], self)
        on_person_changes(fields, self._form_changed)
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        layout.addWidget(box)

        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)

        self.table = QTableView()
        self.table.setAccessibleName(tr("Payments"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.date_delegate = DateDelegate(self.table)
        self.date_delegate.said.connect(self._say)
        self.table.setItemDelegateForColumn(DATE, self.date_delegate)
        self.table.setItemDelegateForColumn(METHOD, ChoiceDelegate(_method_choices(), self.table))
        self.table.setItemDelegateForColumn(STATUS, ChoiceDelegate(_status_choices(), self.table))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in ((DATE, 110), (AMOUNT, 75), (CURRENCY, 65), (METHOD, 115),
                              (REFERENCE, 125), (RECIPIENT, 100), (PLACE, 110), (STATUS, 100),
                              (BANK_TOLD, 80)):
            self.table.setColumnWidth(column, width)
        layout.addWidget(self.table, 1)

        self.totals = QLabel()
        self.totals.setWordWrap(True)
        self.totals.setAccessibleName(tr("Totals"))
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.totals)

        buttons = QHBoxLayout()
        self.remover = InlineRemove(self, tr("Remove the selected payment"),
                                    has_selection=lambda: self.selected_id() is not None,
                                    on_confirm=self.remove_selected)
        self.remove_button = self.remover.remove_button
        self.confirm_remove = self.remover.confirm_button
        self.keep_button = self.remover.keep_button
        self.table.selectionModel().selectionChanged.connect(self.remover.hide_confirm)
        self.remover.add_to(buttons)
        buttons.addStretch()
        layout.addLayout(buttons)
        self._method_changed()
        self.reset_form()

        self.model.modelReset.connect(self._update_totals)
        self.model.dataChanged.connect(self._update_totals)
        controller.case_opened.connect(self.reload)
        controller.case_locked.connect(self.clear)
        controller.data_changed.connect(self._data_changed)

    # ----- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        case = self._controller.case
        if case is not None:
            self._controller.run(lambda ctx: list_payments(case), on_result=self._loaded)

    def _loaded(self, rows: list[PaymentRow]) -> None:
        selected = self.selected_id()
        self.model.set_rows(rows)
        wanted, self._select_after_load = self._select_after_load, None
        if wanted is not None or selected is not None:
            self.select_payment(wanted if wanted is not None else selected)  # type: ignore[arg-type]

    def _data_changed(self, area: DataArea) -> None:
        if area is DataArea.PAYMENTS:
            self.reload()

    def clear(self) -> None:
        self.model.clear()
        self.reset_form()
        self.message.clear()
        self.totals.clear()
        self.remover.hide_confirm()

    def _update_totals(self) -> None:
        self.totals.setText(totals_text(self.model.rows()))

    def _say(self, text: str) -> None:
        self.message.setText(text)

    # ----- adding and editing -------------------------------------------------------------

    def start_adding(self) -> None:
        """Put the cursor in the form (the checklist's "Add a payment" asks for this)."""
        self.amount_edit.setFocus()

    def _method_changed(self) -> None:
        method = self.method_combo.currentData()
        helps = {PaymentMethod.WESTERN_UNION.value: IdentifierType.MTCN,
                 PaymentMethod.MONEYGRAM.value: IdentifierType.MONEYGRAM}
        kind = helps.get(str(method))
        self.method_help.setText(kind.help_text if kind is not None else "")
        self.method_help.setVisible(kind is not None)

    def reset_form(self) -> None:
        """Back to the defaults, so nothing of the last payment is carried into the next."""
        for edit in (self.amount_edit, self.reference_edit, self.recipient_edit,
                     self.place_edit):
            edit.clear()
        self.currency_combo.setCurrentIndex(0)
        self.currency_combo.setEditText(CURRENCIES[0])
        self.method_combo.setCurrentIndex(0)
        self.status_combo.setCurrentIndex(self.status_combo.findData(PaymentStatus.UNKNOWN.value))
        self.date_field.edit.set_value(None)
        self.bank_told_box.setChecked(False)

    def _form_changed(self) -> None:
        self.message.clear()  # a message belongs to the last action, not to this new entry

    def add_from_form(self) -> None:
        case = self._controller.case
        if case is None or self._saving:
            return
        if not self.amount_edit.text().strip():
            self._say(tr("Not saved yet. Type the amount, like 250 or 250.00."))
            self.amount_edit.setFocus()
            return
        try:
            paid_on = self.date_field.edit.value()
        except InvalidInput as exc:
            self.date_field.edit.check()
            self._say(tr("Not saved yet.") + " " + exc.message)
            self.date_field.edit.setFocus()
            return
        told = self.bank_told_box.isChecked()
        fields: dict[str, object] = {
            "amount": self.amount_edit.text(), "currency": self.currency_combo.currentText(),
            "method": str(self.method_combo.currentData()), "paid_on": paid_on,
            "reference": self.reference_edit.text().strip(),
            "status": str(self.status_combo.currentData()),
            "recipient_name": self.recipient_edit.text().strip(),
            "recipient_place": self.place_edit.text().strip(),
            "bank_told": told, "bank_told_on": date.today() if told else None,
        }
        self._saving = True
        self._saving_words = tr("Saved: {amount} {currency}, {method}.").format(
            amount=self.amount_edit.text().strip(), currency=fields["currency"],
            method=self.method_combo.currentText())
        self.add_button.setEnabled(False)
        self._controller.run(lambda ctx: add_payment(case, **fields),  # type: ignore[arg-type]
                             changes=DataArea.PAYMENTS, on_result=self._added,
                             on_error=self._failed)

    def _added(self, payment_id: int) -> None:
        self._saving = False
        self.add_button.setEnabled(True)
        self._select_after_load = payment_id
        self.reset_form()
        self._say(self._saving_words + " " + tr("You can correct anything in the table below."))
        self.amount_edit.setFocus()

    def _failed(self, message: str) -> None:
        self._saving = False
        self.add_button.setEnabled(True)
        self._say(tr("Not saved yet.") + " " + message)

    def _edit(self, payment_id: int, fields: dict[str, object]) -> None:
        case = self._controller.case
        if case is not None:
            self._controller.run(lambda ctx: edit_payment(case, payment_id, **fields),
                                 changes=DataArea.PAYMENTS, on_error=self._edit_failed)

    def _edit_failed(self, message: str) -> None:
        self._say(message)
        self.reload()

    # ----- selection and removal ----------------------------------------------------------

    def selected_id(self) -> int | None:
        return selected_record_id(self.table, self.model)

    def select_payment(self, payment_id: int) -> bool:
        return select_record(self.table, self.model, payment_id)

    def remove_selected(self) -> None:
        case, payment_id = self._controller.case, self.selected_id()
        if case is not None and payment_id is not None:
            self._controller.run(lambda ctx: remove_payment(case, payment_id),
                                 changes=DataArea.PAYMENTS)
