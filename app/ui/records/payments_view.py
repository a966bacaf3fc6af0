"""Payments: a short form to add one, a table to correct them, and totals per currency.

Police advice if you paid: check whether the money was collected, note where, cancel it if
not, and tell your bank. So the status, the place and "bank told" are right in the table.
"""

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QGroupBox,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.identifiers import IdentifierType
from app.core.records import (
    PaymentRow,
    add_payment,
    amount_text,
    edit_payment,
    exhibit_references,
    in_exhibit_order,
    list_payments,
    method_advice,
    method_for_typed,
    method_label,
    parse_amount,
    parse_currency,
    payment_totals,
    reference_warnings,
    remove_payment,
    status_label,
)
from app.errors import InvalidInput
from app.i18n import tr, tr_n
from app.models import PaymentMethod, PaymentStatus
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.date_field import DateField
from app.ui.kit.delegates import ChoiceDelegate, DateDelegate
from app.ui.kit.reflow_form import ReflowForm, form_combo
from app.ui.kit.typed_choice import TypedChoice, choose_entry
from app.ui.records.bank_told_field import BankToldField
from app.ui.records.link_box import EvidenceLinkBox, LinkButtons, linked_words
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
    bank_told_text,
    bank_told_words,
    money,
)
from app.ui.records.record_parts import FormProblem, button_row, wrapping_label
from app.ui.records.record_tab import RecordTab

CURRENCIES = ("GBP", "EUR", "USD")


def _method_choices() -> list[tuple[str, str]]:
    return [(method_label(m), m.value) for m in PaymentMethod]


def _typed_method(typed: str) -> str | None:
    method = method_for_typed(typed)
    return method.value if method is not None else None


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


@dataclass(frozen=True)
class PaymentsRead:
    rows: list[PaymentRow]
    exhibits: dict[int, str]  # each linked item's exhibit reference, by its id


def _load(case: CaseFile) -> PaymentsRead:
    rows = list_payments(case)
    return PaymentsRead(rows, exhibit_references(case, (i for p in rows for i in p.evidence_ids)))


def links_text(payment: PaymentRow | None, exhibits: dict[int, str]) -> str:
    """What the selected payment is linked to, by exhibit reference, as the bundle names it."""
    if payment is None:
        return ""
    refs = in_exhibit_order(exhibits[i] for i in payment.evidence_ids if i in exhibits)
    if not refs:
        return tr("This payment is not linked to any evidence. To link its receipt or a "
                  "screenshot of it, select them on the Evidence screen, then press \u201cLink "
                  "to the selected evidence\u201d.")
    return tr_n("Linked to exhibit {refs} in the bundle for police.",
                "Linked to exhibits {refs} in the bundle for police.",
                len(refs)).format(refs=", ".join(refs))


class PaymentsView(RecordTab[PaymentRow, PaymentsRead]):
    saves_to = DataArea.PAYMENTS
    # EVIDENCE, CASE: an item taken out, or new initials, change the exhibits it names.
    reload_on = frozenset({DataArea.PAYMENTS, DataArea.EVIDENCE, DataArea.CASE})
    model: PaymentsModel

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        # As wide as their words, each at most this (room for the largest text): each had a
        # guess, and at 1366x768 and 125% where the money was collected, the status and "Bank
        # told" were off to the side, behind a sideways scroll bar.
        widest = {DATE: 170, AMOUNT: 120, CURRENCY: 100, METHOD: 180, REFERENCE: 200,
                  RECIPIENT: 160, PLACE: 170, STATUS: 160, BANK_TOLD: 120}
        super().__init__(controller, PaymentsModel, table_name=tr("Payments"), widest=widest,
                         remove_name=tr("Remove the selected payment"),
                         remove_question=tr("Remove this payment from the case?"), load=_load,
                         remove=remove_payment, parent=parent)
        self._saving_words = ""
        self._exhibits: dict[int, str] = {}
        self.model.edit_requested.connect(self._edit)
        self.model.problem.connect(self.say)
        self.date_delegate = DateDelegate(self.table, month_ok=True)
        self.date_delegate.said.connect(self.say)
        self.told_delegate = DateDelegate(self.table)
        self.told_delegate.said.connect(self.say)
        self.use_delegates({DATE: self.date_delegate, BANK_TOLD: self.told_delegate,
                            METHOD: ChoiceDelegate(_method_choices(), self.table,
                                                   find=_typed_method),
                            STATUS: ChoiceDelegate(_status_choices(), self.table)})
        layout = QVBoxLayout(self)

        layout.addWidget(wrapping_label(tr(
            "If you paid, note each payment. If the money has not been collected yet, you may "
            "still be able to cancel it, so check as soon as you can, and tell your bank.")))

        box = QGroupBox(tr("Add a payment"))
        box_layout = QVBoxLayout(box)
        self.form = ReflowForm(box, max_columns=5)
        self.amount_edit = QLineEdit()
        self.amount_edit.setAccessibleName(tr("Amount"))
        self.amount_edit.setPlaceholderText("250.00")
        self.currency_combo = form_combo(tr("Currency"), [(c, c) for c in CURRENCIES],
                                         editable=True)
        self.method_combo = form_combo(tr("How you paid"), _method_choices())
        # "bitcoin" had chosen Bank transfer, "cash app" Card, "steam" (a gift card) nothing.
        TypedChoice(self.method_combo,
                    lambda typed: choose_entry(self.method_combo, _typed_method(typed)))
        self.date_field = DateField(with_time=False, optional=True, month_ok=True)
        self.date_field.edit.setAccessibleName(tr("Date paid"))
        self.reference_edit = QLineEdit()
        self.reference_edit.setAccessibleName(tr("Reference or MTCN"))
        # The details tab's gentle hint for a 9-digit MTCN, while the receipt is at hand: it
        # was said only once the payment was saved.
        self.reference_hint = wrapping_label()
        self.reference_hint.hide()
        self.status_combo = form_combo(tr("What happened to the money"), _status_choices())
        self.recipient_edit = QLineEdit()
        self.recipient_edit.setAccessibleName(tr("Paid to"))
        self.recipient_edit.setPlaceholderText(tr("The name they gave"))
        self.place_edit = QLineEdit()
        self.place_edit.setAccessibleName(tr("Where collected"))
        self.place_edit.setPlaceholderText(tr("Town or country, if known"))
        self.bank_told = BankToldField()
        self.form.add(tr("Amount"), self.amount_edit)
        self.form.add(tr("Currency"), self.currency_combo)
        self.form.add(tr("How you paid"), self.method_combo)
        self.form.add(tr("Date paid"), self.date_field)
        self.form.add(tr("Reference or MTCN"), self.reference_edit, below=self.reference_hint)
        self.form.add(tr("What happened"), self.status_combo)
        self.form.add(tr("Paid to"), self.recipient_edit)
        self.form.add(tr("Where collected"), self.place_edit)
        self.form.add(self.bank_told.box, self.bank_told.day)
        box_layout.addWidget(self.form)
        # The receipt or the transfer's screenshot, selected on the Evidence screen: the
        # report's payments table names its exhibits (a payment could not be linked here).
        self.link_box = EvidenceLinkBox()
        box_layout.addWidget(self.link_box)
        self.method_help = wrapping_label()
        box_layout.addWidget(self.method_help)
        self.add_button = QPushButton(tr("Save payment"))
        box_layout.addLayout(button_row(self.add_button))
        self.watch_form([self.amount_edit, self.currency_combo, self.method_combo,
                         self.date_field, self.reference_edit, self.status_combo,
                         self.recipient_edit, self.place_edit, self.bank_told.box,
                         self.bank_told.day, self.link_box], self.add_button)
        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self._reference_timer = QTimer(self)
        self._reference_timer.setSingleShot(True)
        self._reference_timer.setInterval(300)  # as the details tab: not at every digit typed
        self._reference_timer.timeout.connect(self._check_reference)
        self.reference_edit.textChanged.connect(self._reference_timer.start)
        layout.addWidget(box)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.totals = wrapping_label()
        self.totals.setAccessibleName(tr("Totals"))
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.totals)

        # A payment saved before its receipt was added can be linked to it afterwards.
        self.row_links = wrapping_label()
        layout.addWidget(self.row_links)
        self.links = LinkButtons(self._link)
        self.link_button, self.unlink_button = self.links.buttons
        layout.addLayout(button_row(*self.links.buttons, *self.remover.buttons))
        self._method_changed()
        self.reset_form()

        self.model.modelReset.connect(self._update_totals)
        self.model.dataChanged.connect(self._update_totals)

    def rows_loaded(self, loaded: PaymentsRead) -> list[PaymentRow]:
        self._exhibits = loaded.exhibits
        return loaded.rows

    def row_selected(self) -> None:
        payment = self.selected_record()
        # The day the bank was told too: its column is only a tick, to fit a small screen.
        self.row_links.setText(" ".join(
            words for words in (bank_told_text(payment) if payment else "",
                                links_text(payment, self._exhibits)) if words))
        self.row_links.setVisible(payment is not None)
        if payment is None:
            self.links.set_record(None)
        else:
            self.links.set_record(payment.id, payment.evidence_ids)

    def empty_form(self) -> None:
        self.reset_form()

    def _update_totals(self) -> None:
        self.totals.setText(totals_text(self.model.rows()))

    # ----- adding and editing -------------------------------------------------------------

    def typing_field(self) -> QWidget:
        """The field the keyboard goes to when the tab is clicked: the amount."""
        return self.amount_edit

    def start_adding(self) -> None:
        """Put the cursor in the form (the checklist's "Add a payment" asks for this)."""
        self.amount_edit.setFocus()

    def _method_changed(self) -> None:
        method = PaymentMethod(str(self.method_combo.currentData()))
        helps = {PaymentMethod.WESTERN_UNION: IdentifierType.MTCN,
                 PaymentMethod.MONEYGRAM: IdentifierType.MONEYGRAM}
        kind = helps.get(method)
        # What to do next, for every way of paying (a bank transfer had said nothing).
        words = kind.help_text if kind is not None else method_advice(method)
        self.method_help.setText(words)
        self.method_help.setVisible(bool(words))
        self._check_reference()

    def _check_reference(self) -> None:
        """The reference's hint for the way of paying chosen (pure and quick: no worker)."""
        self._reference_timer.stop()
        hints = reference_warnings(str(self.method_combo.currentData()),
                                   self.reference_edit.text())
        self.reference_hint.setText("\n".join(hints))
        self.reference_hint.setVisible(bool(hints))

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
        self.bank_told.clear()
        self._check_reference()  # the last payment's hint goes with it

    def add_from_form(self) -> None:
        self.save_form()

    def save_entry(self, case: CaseFile) -> None:
        if not self.amount_edit.text().strip():
            raise FormProblem(self.amount_edit,
                              tr("Not saved yet. Type the amount, like 250 or 250.00."))
        try:  # "pounds" or "£" in the currency box is GBP
            currency = parse_currency(self.currency_combo.currentText())
        except InvalidInput as problem:
            raise FormProblem(self.currency_combo, tr("Not saved yet. {why}").format(
                why=problem.message)) from None
        try:  # read here too, so that what is said is what is stored (1.250,50 is 1,250.50)
            amount = parse_amount(self.amount_edit.text(), currency)
        except InvalidInput as problem:
            raise FormProblem(self.amount_edit, tr("Not saved yet. {why}").format(
                why=problem.message)) from None
        paid_on = self.read_date(self.date_field)
        told, links = self.bank_told.told(), self.link_box.links()
        told_on = self.read_date(self.bank_told.day) if told else None
        fields: dict[str, object] = {
            "amount": amount, "currency": currency,
            "method": str(self.method_combo.currentData()), "paid_on": paid_on,
            "reference": self.reference_edit.text().strip(),
            "status": str(self.status_combo.currentData()),
            "recipient_name": self.recipient_edit.text().strip(),
            "recipient_place": self.place_edit.text().strip(),
            "bank_told": told, "bank_told_on": told_on,
            "evidence_ids": links,
        }
        self._saving_words = " ".join((tr("Saved: {amount} {currency}, {method}.").format(
            amount=amount_text(amount), currency=str(fields["currency"]).upper(),
            method=self.method_combo.currentText()),
            *reference_warnings(str(fields["method"]), str(fields["reference"])),
            *([bank_told_words(told, told_on)] if told else []),  # the day it will say
            *([tr_n("Linked to %n evidence item.", "Linked to %n evidence items.", len(links))]
              if links else [])))
        self.save_in_worker(case, lambda c: add_payment(c, **fields),  # type: ignore[arg-type]
                            self._added)

    def _added(self, payment_id: int) -> None:
        self.select_after_load(payment_id)
        self.reset_form()
        self.link_box.setChecked(False)  # ticked for this payment, not for the next
        self.say(self._saving_words + " " + tr("You can correct anything in the table below."))
        self.amount_edit.setFocus()

    def _edit(self, payment_id: int, fields: dict[str, object]) -> None:
        self.edit_in_worker(lambda case: edit_payment(case, payment_id, **fields))

    def set_selected_evidence(self, evidence_ids: list[int]) -> None:
        """The main window passes the Evidence screen's selection here."""
        self.link_box.set_selected(evidence_ids)
        self.links.set_selected(evidence_ids)

    def _link(self, payment_id: int, wanted: list[int]) -> None:
        self.edit_in_worker(lambda case: edit_payment(case, payment_id, evidence_ids=wanted),
                            lambda _none: self.say(linked_words(len(wanted))))

    # ----- selection ----------------------------------------------------------------------

    def select_payment(self, payment_id: int) -> bool:
        return self.select_id(payment_id)
