"""The timeline: what happened, in order, with links to evidence, details and payments.

One form adds an event or changes the selected one; "about then" marks a time the person is
not sure of, because an approximate time still helps officers.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.records import (
    TimelineRow,
    add_event,
    amount_text,
    edit_event,
    evidence_names,
    exhibit_references,
    kind_for_typed,
    kind_label,
    list_events,
    list_identifiers,
    list_payments,
    method_label,
    remove_event,
)
from app.i18n import tr
from app.models import TimelineKind
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.date_field import DateField
from app.ui.kit.delegates import holds_any_length
from app.ui.kit.form_keys import on_person_changes
from app.ui.kit.reflow_form import ReflowForm, form_combo
from app.ui.kit.typed_choice import TypedChoice, choose_entry
from app.ui.kit.view_text import day_text
from app.ui.records.link_box import EvidenceLinkBox
from app.ui.records.record_parts import FormProblem, button_row, wrapping_label
from app.ui.records.record_tab import RecordTab
from app.ui.records.timeline_model import (
    KIND,
    LINKED,
    WHAT,
    WHEN,
    LinkNames,
    TimelineModel,
    linked_lines,
)

_LINK_ROLE = Qt.ItemDataRole.UserRole + 1  # (area, id)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Entry:
    """What the form holds, read as it would be saved."""

    when: datetime
    description: str
    kind: str
    approximate: bool
    extra_evidence: list[int]


def _load(case: CaseFile) -> tuple[list[TimelineRow], LinkNames]:
    events = list_events(case)
    names = LinkNames(
        # Only the items events link to: a case may hold 30,000 (listing them all took 1.6 s).
        evidence=evidence_names(case, (i for event in events for i in event.evidence_ids)),
        exhibits=exhibit_references(case, (i for event in events for i in event.evidence_ids)),
        identifiers={i.id: f"{i.type.label}: {i.value}" for i in list_identifiers(case)},
        payments={p.id: f"{amount_text(p.amount)} {p.currency}, {method_label(p.method)}"
                  + (f", {day_text(p.paid_on)}" if p.paid_on else "")
                  for p in list_payments(case)},
    )
    return events, names


class TimelineView(RecordTab[TimelineRow, tuple[list[TimelineRow], LinkNames]]):
    navigate_requested = Signal(object, int)  # DataArea (evidence, identifiers, payments), id
    saves_to = DataArea.TIMELINE
    reload_on = frozenset({DataArea.TIMELINE, DataArea.EVIDENCE, DataArea.IDENTIFIERS,
                           DataArea.PAYMENTS, DataArea.CASE})  # CASE: new exhibit initials
    model: TimelineModel

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(controller, TimelineModel, table_name=tr("What happened, in order"),
                         # The time, kind and links as wide as their words (room for the
                         # largest text): "What happened" takes the room they leave.
                         widest={WHEN: 240, KIND: 300, LINKED: 200}, fill=WHAT,
                         remove_name=tr("Remove the selected event"),
                         remove_question=tr("Remove this event from the timeline?"), load=_load,
                         remove=remove_event, parent=parent)
        self._names = LinkNames()
        self._editing: TimelineRow | None = None
        self._saved_words = ""
        self._just_added = False  # the form was emptied by an add, and not touched since
        self._clean_state: tuple[str, bool, str, str] = ("", False, "", "")
        self._filled_when: str | None = None  # the time as the form showed a stored event's
        layout = QVBoxLayout(self)
        # As the Offender details and Payments pages have: what this page is for (it opened on
        # an empty table and a form, with no word of what to put in them).
        layout.addWidget(wrapping_label(tr(
            "Put down what happened and when: when they first got in touch, moved you to "
            "another app, threatened you or asked for money, and when you reported it. A time "
            "you are not sure of is fine. A chat message can be put here from the Chats tab.")))
        layout.addWidget(self.table, 3)

        self.links_label = QLabel(tr("Linked to (double-click or press Enter to go there):"))
        layout.addWidget(self.links_label)
        self.links = QListWidget()
        self.links.setAccessibleName(tr("Linked items: press Enter to go to one"))
        self.links.setMaximumHeight(80)
        self.links.itemActivated.connect(self._go_to_link)
        layout.addWidget(self.links)
        # A link made by mistake (the wrong picture selected) is taken off here: links had
        # only grown, and a wrong one went into the report's chronology.
        self.unlink_button = QPushButton(tr("Take this link off"))
        self.unlink_button.setToolTip(tr("Choose a line in the list above first."))
        self.unlink_button.clicked.connect(self._unlink_chosen)
        self.links.currentItemChanged.connect(self._show_links)
        self.unlink_row = QWidget()
        unlink_layout = button_row(self.unlink_button)
        unlink_layout.setContentsMargins(0, 0, 0, 0)
        self.unlink_row.setLayout(unlink_layout)
        layout.addWidget(self.unlink_row)

        self.form_box = QGroupBox()
        box_layout = QVBoxLayout(self.form_box)
        self.form = ReflowForm(self.form_box)
        self.when_field = DateField(with_time=True, optional=False, missing_time=tr(
            "Add the time too, like 14/03/2025 22:30. Not sure of it? Type your best guess "
            "and tick “About then”."))
        self.when_field.edit.setAccessibleName(tr("When it happened"))
        self.approximate_box = QCheckBox(tr("About then (not sure of the exact time)"))
        self.kind_combo = form_combo(tr("What kind of event"),
                                     [(kind_label(kind), kind.value) for kind in TimelineKind])
        TypedChoice(self.kind_combo, self._choose_typed_kind)  # "money": Demand for money
        # Any length: a description added through the command line may be longer than a line
        # edit's 32,767 characters, and saving a change of kind cut it.
        self.what_edit = holds_any_length(QLineEdit())
        self.what_edit.setAccessibleName(tr("What happened"))
        self.what_edit.setPlaceholderText(tr("For example: they asked me to move to Skype"))
        self.form.add(tr("When"), self.when_field, span=2)
        self.form.add(None, self.approximate_box)
        # A payment put here alone had no amount, way or MTCN, and one put in both places
        # stood twice in the report's chronology: its place is the Payments tab.
        self.payment_hint = wrapping_label(tr(
            "A payment is best noted on the Payments tab, with its amount, how it was paid "
            "and any MTCN. The report puts it in this same order of events, so there is no "
            "need to add it here too."))
        self.payment_hint.hide()
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.form.add(tr("What kind"), self.kind_combo)
        self.form.add(tr("What happened"), self.what_edit, span=2)
        box_layout.addWidget(self.form)
        box_layout.addWidget(self.payment_hint)
        self.link_box = EvidenceLinkBox()
        box_layout.addWidget(self.link_box)
        self.save_button = QPushButton()
        self.new_button = QPushButton(tr("New event"))
        self.new_button.clicked.connect(self.start_new)
        box_layout.addLayout(button_row(self.save_button, self.new_button,
                                        *self.remover.buttons))
        layout.addWidget(self.form_box)
        layout.addWidget(self.message)
        fields: list[QWidget] = [self.when_field, self.approximate_box, self.kind_combo,
                                 self.what_edit, self.link_box]
        for first, second in zip([*fields, self.save_button],
                                 [*fields[1:], self.save_button, self.new_button],
                                 strict=True):
            QWidget.setTabOrder(first, second)
        self.watch_form(fields, self.save_button)
        on_person_changes(fields, self._forget_added)
        self.when_field.edit.textEdited.connect(self._tick_about_if_typed)
        self._show_links()
        self.start_new()
        controller.locking.connect(self._keep_typed)  # a method: it goes with the view

    def _kind_changed(self) -> None:
        self.payment_hint.setVisible(
            self.kind_combo.currentData() == TimelineKind.PAYMENT.value)

    def _choose_typed_kind(self, typed: str) -> None:
        kind = kind_for_typed(typed)
        choose_entry(self.kind_combo, kind.value if kind is not None else None)

    def _tick_about_if_typed(self) -> None:
        """"about 9pm yesterday" ticks "About then": the words already said so (never
        unticked here: the person may have ticked it themselves)."""
        when = self.when_field.edit.reading().when
        if when is not None and when.about:
            self.approximate_box.setChecked(True)

    # ----- loading and locking ------------------------------------------------------------

    def rows_loaded(self, loaded: tuple[list[TimelineRow], LinkNames]) -> list[TimelineRow]:
        events, self._names = loaded
        self.model.exhibits = self._names.exhibits  # before the rows: their Linked column
        return events

    def empty_form(self) -> None:
        self._names = LinkNames()
        self.set_selected_evidence([])
        self.start_new()

    # ----- selection ----------------------------------------------------------------------

    def select_event(self, event_id: int) -> bool:
        return self.select_id(event_id)

    def row_selected(self) -> None:
        self.links.clear()
        self._show_links()
        event = self.selected_record()
        if event is None:
            if self._editing is not None and not self.form_changed():
                self.start_new()
            return
        for area, item_id, words in linked_lines(event, self._names):
            entry = QListWidgetItem(words)
            entry.setData(_LINK_ROLE, (area, item_id))
            self.links.addItem(entry)
        self._show_links()
        if not self.form_changed():
            self._fill_form(event)
        elif self._editing is not None and self._editing.id == event.id:
            self._editing = event  # the table reloaded (work elsewhere): the words stay
        else:
            # Words typed and not saved are never thrown away by a click on another event:
            # the row shows its links, the form keeps what was typed.
            self.say(tr("What you typed is kept, not saved yet. Save it, or press “New "
                        "event” to let it go, and then choose the event to change."))

    def _form_state(self) -> tuple[str, bool, str, str]:
        return (self.when_field.edit.text(), self.approximate_box.isChecked(),
                str(self.kind_combo.currentData()), self.what_edit.text())

    def form_changed(self) -> bool:
        """Whether the form holds anything the person typed and has not saved."""
        return self._form_state() != self._clean_state

    def _show_links(self) -> None:
        shown = self.links.count() > 0
        self.links_label.setVisible(shown)
        self.links.setVisible(shown)
        self.unlink_row.setVisible(shown)
        self.unlink_button.setEnabled(self.links.currentItem() is not None)

    def _unlink_chosen(self) -> None:
        event, entry = self.selected_record(), self.links.currentItem()
        if event is None or entry is None:
            return
        area, item_id = entry.data(_LINK_ROLE)
        area = DataArea(area)  # Qt may hand back a str

        def kept(kind: DataArea, linked: tuple[int, ...]) -> list[int] | None:
            return [i for i in linked if i != item_id] if kind == area else None  # None: as is

        evidence = kept(DataArea.EVIDENCE, event.evidence_ids)
        details = kept(DataArea.IDENTIFIERS, event.identifier_ids)
        payments = kept(DataArea.PAYMENTS, event.payment_ids)
        event_id, words = event.id, entry.text()
        self.edit_in_worker(
            lambda case: edit_event(case, event_id, evidence_ids=evidence,
                                    identifier_ids=details, payment_ids=payments),
            lambda _none: self.say(tr("Link taken off: {what}.").format(what=words)))

    def _go_to_link(self, entry: QListWidgetItem) -> None:
        area, item_id = entry.data(_LINK_ROLE)
        self.navigate_requested.emit(DataArea(area), item_id)  # Qt may hand back a str

    def set_selected_evidence(self, evidence_ids: list[int]) -> None:
        """The main window passes the Evidence screen's selection here."""
        self.link_box.set_selected(evidence_ids)

    # ----- the form -----------------------------------------------------------------------

    def typing_field(self) -> QWidget:
        """The field the keyboard goes to when the tab is clicked: when it happened."""
        return self.when_field.edit

    def start_adding(self) -> None:
        self.start_new()
        self.what_edit.setFocus()

    def start_new(self) -> None:
        self._editing = None
        self._filled_when = None
        self._just_added = False
        self.form_box.setTitle(tr("Add something that happened"))
        self.save_button.setText(tr("Add to the timeline"))
        self.when_field.edit.set_value(None)
        self.approximate_box.setChecked(False)
        # "Other" unless the person chooses: an event saved without a look at this box
        # must not tell the officer it was the first contact.
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(TimelineKind.OTHER.value))
        self.what_edit.clear()
        self.link_box.setChecked(False)  # ticked for the form let go of, not for the next
        self._clean_state = self._form_state()
        if self.selected_id() is not None:
            self.table.clearSelection()

    def _forget_added(self) -> None:
        self._just_added = False

    def _fill_form(self, event: TimelineRow) -> None:
        self._editing = event
        self._just_added = False
        self.form_box.setTitle(tr("Change this event"))
        self.save_button.setText(tr("Save changes"))
        self.when_field.edit.set_value(event.occurred_at)
        self._filled_when = self.when_field.edit.text()
        self.approximate_box.setChecked(event.approximate)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(event.kind.value))
        self.what_edit.setText(event.description)
        self._clean_state = self._form_state()

    def _read_entry(self) -> _Entry:
        """The form as it would be saved; FormProblem when it cannot be. What the person left
        untouched in an event being changed is kept exactly as stored (a description with
        spaces at its ends, a time to the microsecond), not as the form shows it."""
        editing = self._editing
        when = self.read_date(self.when_field)
        assert isinstance(when, datetime)  # a date-and-time field that is not optional
        if editing is not None and self.when_field.edit.text() == self._filled_when:
            when = editing.occurred_at
        typed = self.what_edit.text()
        if editing is not None and typed == editing.description:
            description = editing.description
        else:
            description = typed.strip()
        if not description.strip():
            raise FormProblem(self.what_edit,
                              tr("Not saved yet. Write a few words about what happened."))
        extra = self.link_box.links()
        return _Entry(when, description, str(self.kind_combo.currentData()),
                      self.approximate_box.isChecked(), list(extra))

    def save_entry(self, case: CaseFile) -> None:
        if self._just_added and not self.form_changed():
            # Enter pressed again (a key that bounced, a double-click on the button) on the
            # form the add just emptied: "Not saved yet" there, under "Added", could make a
            # person type the event again and save it twice. "Added to the timeline" stays.
            return
        entry = self._read_entry()
        editing = self._editing
        self._saved_words = self.when_field.edit.reading().understood
        # The "Link the evidence" tick stays until the save is in: a save that fails keeps
        # it, with the words typed, for the next try.
        if editing is None:
            self.save_in_worker(case, lambda c: add_event(
                c, entry.when, entry.description, kind=entry.kind,
                approximate=entry.approximate, evidence_ids=entry.extra_evidence), self._added)
        else:
            self.save_in_worker(case, lambda c: _save_change(c, editing, entry), self._changed)

    def _keep_typed(self, case: CaseFile) -> None:
        """At a lock (by hand, after a while unused, Quick exit; `CaseController.locking`),
        with the case still open and its work done: a change to an event, typed and not
        saved, is saved if it would save, as the evidence description is. A new event
        half typed is not: it may be unfinished, and a new record is the person's to add."""
        editing = self._editing
        if editing is None or not (self.form_changed() or self.link_box.isChecked()):
            return
        try:
            entry = self._read_entry()
        except FormProblem:
            return  # it would not save with Save either
        try:
            _save_change(case, editing, entry)
        except Exception:  # a full disk, a damaged file: the lock itself must still happen
            log.warning("A change to a timeline event could not be kept as the case locked")

    def _added(self, event_id: int) -> None:
        self.link_box.setChecked(False)
        self.start_new()
        self.say(tr("Added to the timeline: {when}.").format(when=self._saved_words))
        self._just_added = True
        self.when_field.edit.setFocus()

    def _changed(self, _result: object) -> None:
        self.link_box.setChecked(False)
        self._clean_state = self._form_state()  # saved: the reload that follows fills it
        self.say(tr("Changes saved."))

    def remove_selected(self) -> bool:
        removing = super().remove_selected()
        if removing:
            self.start_new()
        return removing


def _save_change(case: CaseFile, editing: TimelineRow, entry: _Entry) -> None:
    """An event changed from the form: its links stay, with the evidence ticked added."""
    evidence = sorted(set(editing.evidence_ids) | set(entry.extra_evidence))
    edit_event(case, editing.id, occurred_at=entry.when, description=entry.description,
               kind=entry.kind, approximate=entry.approximate, evidence_ids=evidence)
