"""The timeline: what happened, in order, with links to evidence, details and payments.

One form adds an event or changes the selected one; "about then" marks a time the person is
not sure of, because an approximate time still helps officers.
"""

from datetime import datetime

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.evidence_records import list_evidence
from app.core.identifier_records import list_identifiers
from app.core.payments import list_payments, method_label
from app.core.timeline import TimelineView as TimelineEvent
from app.core.timeline import add_event, edit_event, kind_label, list_events, remove_event
from app.i18n import tr
from app.models import TimelineKind
from app.models.casefile import CaseFile
from app.ui.controller import CaseController
from app.ui.row_actions import InlineRemove, select_record, selected_record_id
from app.ui.timeline_model import KIND, WHAT, WHEN, LinkNames, TimelineModel, linked_lines
from app.ui.view_text import day_text

_LINK_ROLE = Qt.ItemDataRole.UserRole + 1  # (area, id)


def _load(case: CaseFile) -> tuple[list[TimelineEvent], LinkNames]:
    names = LinkNames(
        evidence={e.id: e.original_name for e in list_evidence(case)},
        identifiers={i.id: f"{i.type.label}: {i.value}" for i in list_identifiers(case)},
        payments={p.id: f"{p.amount:,.2f} {p.currency}, {method_label(p.method)}"
                  + (f", {day_text(p.paid_on)}" if p.paid_on else "")
                  for p in list_payments(case)},
    )
    return list_events(case), names


class TimelineView(QWidget):
    navigate_requested = Signal(str, int)  # area ("evidence"|"identifiers"|"payments"), id

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._names = LinkNames()
        self._selected_evidence: list[int] = []
        self._editing: TimelineEvent | None = None
        self.model = TimelineModel(self)
        layout = QVBoxLayout(self)

        self.table = QTableView()
        self.table.setAccessibleName(tr("What happened, in order"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(WHEN, 190)
        self.table.setColumnWidth(KIND, 190)
        self.table.setColumnWidth(WHAT, 400)
        self.table.selectionModel().selectionChanged.connect(self._row_selected)
        layout.addWidget(self.table, 3)

        self.links_label = QLabel(tr("Linked to (double-click or press Enter to go there):"))
        layout.addWidget(self.links_label)
        self.links = QListWidget()
        self.links.setAccessibleName(tr("Linked items: press Enter to go to one"))
        self.links.setMaximumHeight(80)
        self.links.itemActivated.connect(self._go_to_link)
        layout.addWidget(self.links)

        self.form_box = QGroupBox()
        form = QGridLayout(self.form_box)
        self.when_edit = QDateTimeEdit(QDateTime.currentDateTime())
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("d MMM yyyy, HH:mm")
        self.when_edit.setAccessibleName(tr("When it happened"))
        self.approximate_box = QCheckBox(tr("About then (I'm not sure of the exact time)"))
        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName(tr("What kind of event"))
        for kind in TimelineKind:
            self.kind_combo.addItem(kind_label(kind), kind.value)
        self.what_edit = QLineEdit()
        self.what_edit.setAccessibleName(tr("What happened"))
        self.what_edit.setPlaceholderText(tr("For example: they asked me to move to Skype"))
        self.what_edit.returnPressed.connect(self.save_form)
        self.link_box = QCheckBox()
        self.link_box.hide()
        self.save_button = QPushButton()
        self.save_button.clicked.connect(self.save_form)
        self.new_button = QPushButton(tr("New event"))
        self.new_button.clicked.connect(self.start_new)
        form.addWidget(QLabel(tr("When")), 0, 0)
        form.addWidget(self.when_edit, 0, 1)
        form.addWidget(self.approximate_box, 0, 2, 1, 2)
        form.addWidget(QLabel(tr("What kind")), 1, 0)
        form.addWidget(self.kind_combo, 1, 1)
        form.addWidget(QLabel(tr("What happened")), 2, 0)
        form.addWidget(self.what_edit, 2, 1, 1, 3)
        form.addWidget(self.link_box, 3, 1, 1, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.new_button)
        self.remover = InlineRemove(self, tr("Remove the selected event"),
                                    has_selection=lambda: self.selected_id() is not None,
                                    on_confirm=self.remove_selected)
        self.remove_button = self.remover.remove_button
        self.confirm_remove = self.remover.confirm_button
        self.keep_button = self.remover.keep_button
        self.remover.add_to(buttons)
        buttons.addStretch()
        form.addLayout(buttons, 4, 0, 1, 4)
        form.setColumnStretch(3, 1)
        layout.addWidget(self.form_box)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

        controller.case_opened.connect(self.reload)
        controller.case_locked.connect(self.clear)
        controller.data_changed.connect(self._data_changed)
        self._show_links()
        self.start_new()

    # ----- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        case = self._controller.case
        if case is not None:
            self._controller.run(lambda ctx: _load(case), on_result=self._loaded)

    def _loaded(self, result: tuple[list[TimelineEvent], LinkNames]) -> None:
        events, self._names = result
        selected = self.selected_id()
        self.model.set_rows(events)
        if selected is not None:
            self.select_event(selected)
        self._row_selected()

    def _data_changed(self, area: str) -> None:
        if area in ("timeline", "evidence", "identifiers", "payments"):
            self.reload()

    def clear(self) -> None:
        self.model.clear()
        self._names = LinkNames()
        self._selected_evidence = []
        self.links.clear()
        self._show_links()
        self.message.clear()
        self.set_selected_evidence([])
        self.start_new()

    # ----- selection ----------------------------------------------------------------------

    def selected_id(self) -> int | None:
        return selected_record_id(self.table, self.model)

    def select_event(self, event_id: int) -> bool:
        return select_record(self.table, self.model, event_id)

    def _row_selected(self) -> None:
        self.remover.hide_confirm()
        self.links.clear()
        self._show_links()
        event_id = self.selected_id()
        row = self.model.row_of(event_id) if event_id is not None else None
        event = self.model.row_at(row) if row is not None else None
        if event is None:
            if self._editing is not None:
                self.start_new()
            return
        for area, item_id, words in linked_lines(event, self._names):
            entry = QListWidgetItem(words)
            entry.setData(_LINK_ROLE, (area, item_id))
            self.links.addItem(entry)
        self._show_links()
        self._fill_form(event)

    def _show_links(self) -> None:
        shown = self.links.count() > 0
        self.links_label.setVisible(shown)
        self.links.setVisible(shown)

    def _go_to_link(self, entry: QListWidgetItem) -> None:
        area, item_id = entry.data(_LINK_ROLE)
        self.navigate_requested.emit(area, item_id)

    def set_selected_evidence(self, evidence_ids: list[int]) -> None:
        self._selected_evidence = list(evidence_ids)
        count = len(evidence_ids)
        self.link_box.setText(tr("Link the evidence item selected on the Evidence screen")
                              if count == 1 else
                              tr("Link the {n} evidence items selected on the Evidence screen")
                              .format(n=count))
        self.link_box.setVisible(count > 0)
        if not count:
            self.link_box.setChecked(False)

    # ----- the form -----------------------------------------------------------------------

    def start_adding(self) -> None:
        self.start_new()
        self.what_edit.setFocus()

    def start_new(self) -> None:
        self._editing = None
        self.form_box.setTitle(tr("Add something that happened"))
        self.save_button.setText(tr("Add to the timeline"))
        self.when_edit.setDateTime(QDateTime.currentDateTime())
        self.approximate_box.setChecked(False)
        self.kind_combo.setCurrentIndex(0)
        self.what_edit.clear()
        self.remove_button.setEnabled(False)
        if self.selected_id() is not None:
            self.table.clearSelection()

    def _fill_form(self, event: TimelineEvent) -> None:
        self._editing = event
        self.form_box.setTitle(tr("Change this event"))
        self.save_button.setText(tr("Save changes"))
        self.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(event.occurred_at.timestamp())))
        self.approximate_box.setChecked(event.approximate)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(event.kind.value))
        self.what_edit.setText(event.description)
        self.remove_button.setEnabled(True)

    def save_form(self) -> None:
        case = self._controller.case
        description = self.what_edit.text().strip()
        if case is None:
            return
        if not description:
            self.message.setText(tr("Write a few words about what happened first."))
            return
        picked = self.when_edit.dateTime().toPython()  # naive: local time
        assert isinstance(picked, datetime)
        when = picked
        approximate = self.approximate_box.isChecked()
        kind = str(self.kind_combo.currentData())
        extra = self._selected_evidence if self.link_box.isChecked() else []
        editing = self._editing
        if editing is None:
            self._controller.run(
                lambda ctx: add_event(case, when, description, kind=kind, approximate=approximate,
                                      evidence_ids=extra),
                changes="timeline", on_result=self._added,
                on_error=self.message.setText)
        else:
            evidence = sorted(set(editing.evidence_ids) | set(extra))
            self._controller.run(
                lambda ctx: edit_event(case, editing.id, occurred_at=when,
                                       description=description, kind=kind,
                                       approximate=approximate, evidence_ids=evidence),
                changes="timeline", on_error=self.message.setText)
        self.link_box.setChecked(False)

    def _added(self, event_id: int) -> None:
        self.message.setText(tr("Added to the timeline."))
        self.start_new()

    def remove_selected(self) -> None:
        case, event_id = self._controller.case, self.selected_id()
        if case is not None and event_id is not None:
            self._controller.run(lambda ctx: remove_event(case, event_id), changes="timeline")
            self.start_new()
