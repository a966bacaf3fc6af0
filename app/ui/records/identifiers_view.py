"""Offender details: a short form to add one, a help panel for the chosen type, and a table
to correct them. Hints are gentle and never stop a save."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.identifiers import (
    PLATFORMS,
    IdentifierType,
    NormalisedIdentifier,
    platform_label,
    type_for_typed,
)
from app.core.records import (
    SaveResult,
    add_identifier,
    edit_identifier,
    exhibit_references,
    in_exhibit_order,
    link_identifier_evidence,
    list_identifiers,
    remove_identifier,
)
from app.i18n import tr
from app.models.casefile import CaseFile
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.delegates import ChoiceDelegate
from app.ui.kit.form_keys import on_person_changes
from app.ui.kit.reflow_form import ReflowForm, form_combo
from app.ui.kit.typed_choice import TypedChoice, choose_entry
from app.ui.records.identifiers_model import (
    EVIDENCE,
    HINT,
    NOTE,
    PLATFORM,
    TYPE,
    UNSURE,
    VALUE,
    HintedIdentifier,
    IdentifiersModel,
)
from app.ui.records.link_box import EvidenceLinkBox, LinkButtons, linked_words
from app.ui.records.record_parts import FormProblem, button_row, wrapping_label
from app.ui.records.record_tab import RecordTab


def _type_choices() -> list[tuple[str, str]]:
    return [(kind.label, kind.value) for kind in IdentifierType]


def _typed_type(typed: str) -> str | None:
    """The kind meant by letters typed in the table's Type cell (its platform is a cell of
    its own, changed there)."""
    found = type_for_typed(typed)
    return found[0].value if found is not None else None


def _platform_choices() -> list[tuple[str, str]]:
    return [("", ""), *((platform_label(name), name) for name in PLATFORMS)]


def _load_rows(case: CaseFile) -> list[HintedIdentifier]:
    from app.core.reading import checked_with_retype  # heavy: in the worker only

    rows = []
    identifiers = list_identifiers(case)
    refs = exhibit_references(case, (i for v in identifiers for i in v.evidence_ids))
    for v in identifiers:
        checked = checked_with_retype(v.type, v.value, v.platform)
        linked = in_exhibit_order(refs[i] for i in v.evidence_ids if i in refs)
        rows.append(HintedIdentifier(v, checked.warnings, checked.better_type, tuple(linked)))
    return rows


def _checked(kind: IdentifierType, value: str, platform: str | None) -> NormalisedIdentifier:
    from app.core.reading import checked_with_retype  # heavy: in the worker only

    return checked_with_retype(kind, value, platform)


def _saved(case: CaseFile, kind: str, value: str, platform: str | None, note: str,
           unsure: bool, links: list[int]) -> tuple[SaveResult, IdentifierType | None]:
    """Save the detail; and when its type doubts it, the type it plainly is, if one (the one
    the saved row's button then offers)."""
    result = add_identifier(case, kind, value, platform=platform, note=note, unsure=unsure,
                            evidence_ids=links)
    better = _checked(IdentifierType(kind), value, platform).better_type \
        if result.warnings else None
    return result, better


def _retype_text(kind: IdentifierType) -> str:
    return tr("Change the type to \u201c{type}\u201d").format(type=kind.label)


class IdentifiersView(RecordTab[HintedIdentifier, list[HintedIdentifier]]):
    saves_to = DataArea.IDENTIFIERS
    # CASE: new initials in Case details change every exhibit reference the table names.
    reload_on = frozenset({DataArea.IDENTIFIERS, DataArea.EVIDENCE, DataArea.CASE})
    model: IdentifiersModel

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        # Each column as wide as its words (the detail and the type up to 360, room for the
        # largest text): the last column (a hint, which most rows do not have) had stretched
        # empty while "https://www.facebook.com/…" was cut, and the detail kept 230 for a
        # phone number.
        widest = {TYPE: 360, VALUE: 360, PLATFORM: 160, NOTE: 140, UNSURE: 70, EVIDENCE: 70}
        super().__init__(controller, IdentifiersModel, table_name=tr("Saved details"),
                         widest=widest, remove_name=tr("Remove the selected detail"),
                         remove_question=tr("Remove this detail from the case?"),
                         load=_load_rows, remove=remove_identifier, cursor_column=VALUE,
                         parent=parent)
        self._hint_seq = 0
        self._just_added = False  # the form was emptied by a save, and not touched since
        self.model.edit_requested.connect(self._edit)
        self.use_delegates({
            TYPE: ChoiceDelegate(_type_choices(), self.table, find=_typed_type),
            PLATFORM: ChoiceDelegate(_platform_choices(), self.table, editable=True)})
        layout = QVBoxLayout(self)

        layout.addWidget(wrapping_label(tr(
            "Save every detail they used: profile links, Skype ID, usernames, numbers, bank "
            "details. Police use them to find who did this. Part of a detail still helps.")))

        top = QHBoxLayout()
        form_box = QGroupBox(tr("Add a detail"))
        box_layout = QVBoxLayout(form_box)
        self.form = ReflowForm(form_box)
        self.type_combo = form_combo(tr("Type of detail"), _type_choices())
        self.platform_combo = form_combo(tr("Platform"), _platform_choices(), editable=True)
        TypedChoice(self.type_combo, self._choose_typed_type)  # "insta": Instagram username
        self.value_edit = QLineEdit()
        self.value_edit.setAccessibleName(tr("The detail"))
        self.value_edit.setPlaceholderText(tr("Paste or type it exactly as you see it"))
        self.value_hint = wrapping_label()
        self.value_hint.hide()  # until there is a hint
        # The hint's one-click way out: "Change the type to Skype ID" (core/identifiers).
        self.retype_button = QPushButton()
        self.retype_button.hide()
        self.retype_button.clicked.connect(self._retype_form)
        self._better_type: IdentifierType | None = None
        hint_cell = QWidget()
        hint_layout = QVBoxLayout(hint_cell)
        hint_layout.setContentsMargins(0, 0, 0, 0)
        hint_layout.addWidget(self.value_hint)
        hint_layout.addLayout(button_row(self.retype_button))
        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName(tr("Note"))
        self.note_edit.setPlaceholderText(
            tr("Optional: where you saw it, the name on the account…"))
        self.unsure_box = QCheckBox(tr("I'm not sure this is right"))
        self.link_box = EvidenceLinkBox()
        self.add_button = QPushButton(tr("Save detail"))
        self.form.add(tr("Type"), self.type_combo)
        self.form.add(tr("Platform"), self.platform_combo)
        self.form.add(tr("Detail"), self.value_edit, span=2, below=hint_cell)
        self.form.add(tr("Note"), self.note_edit, span=2)
        self.form.add(None, self.unsure_box, span=2)
        box_layout.addWidget(self.form)
        box_layout.addWidget(self.link_box)
        box_layout.addLayout(button_row(self.add_button))
        self.watch_form([self.type_combo, self.platform_combo, self.value_edit, self.note_edit,
                         self.unsure_box, self.link_box], self.add_button)
        on_person_changes([self.type_combo, self.platform_combo, self.value_edit,
                           self.note_edit, self.unsure_box, self.link_box], self._forget_added)
        top.addWidget(form_box, 3)

        self.help_box = QFrame()
        self.help_box.setFrameShape(QFrame.Shape.StyledPanel)
        help_layout = QVBoxLayout(self.help_box)
        self.help_title = QLabel()
        font = self.help_title.font()
        font.setBold(True)
        self.help_title.setFont(font)
        self.help_text = wrapping_label()
        self.help_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        help_layout.addWidget(self.help_title)
        help_layout.addWidget(self.help_text)
        help_layout.addStretch()
        top.addWidget(self.help_box, 2)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self.row_hint = wrapping_label()
        layout.addWidget(self.row_hint)
        self.row_retype_button = QPushButton()
        self.row_retype_button.hide()
        self.row_retype_button.clicked.connect(self._retype_selected)
        layout.addLayout(button_row(self.row_retype_button))
        self.links = LinkButtons(self._link)
        self.link_button, self.unlink_button = self.links.buttons
        layout.addLayout(button_row(*self.links.buttons, *self.remover.buttons))

        self._hint_timer = QTimer(self)
        self._hint_timer.setSingleShot(True)
        self._hint_timer.setInterval(300)
        self._hint_timer.timeout.connect(self._check_value)
        self.value_edit.textChanged.connect(self._hint_timer.start)
        self.type_combo.currentIndexChanged.connect(self._type_changed)
        self.platform_combo.currentTextChanged.connect(self._hint_timer.start)
        self._type_changed()

    # ----- loading and locking ------------------------------------------------------------

    def rows_loaded(self, loaded: list[HintedIdentifier]) -> list[HintedIdentifier]:
        # The hints column only when a row has one (the selected row's hint is also said
        # under the table): empty, it took room from the details themselves.
        self.table.setColumnHidden(HINT, not any(row.hints for row in loaded))
        return loaded

    def empty_form(self) -> None:
        self._just_added = False
        self._hint_timer.stop()
        self._hint_seq += 1
        for edit in (self.value_edit, self.note_edit):
            edit.clear()
        self.unsure_box.setChecked(False)
        self.type_combo.setCurrentIndex(0)
        self.platform_combo.setCurrentIndex(0)
        self._show_form_hint((), None)
        self.set_selected_evidence([])

    # ----- the form -----------------------------------------------------------------------

    def typing_field(self) -> QWidget:
        """The field the keyboard goes to when the tab is clicked: the detail itself."""
        return self.value_edit

    def start_adding(self, kind: IdentifierType | None = None) -> None:
        """Put the cursor in the form (the checklist's "Save their details" asks for this)."""
        if kind is not None:
            self.type_combo.setCurrentIndex(self.type_combo.findData(kind.value))
        self.value_edit.setFocus()

    def _choose_typed_type(self, typed: str) -> None:
        found = type_for_typed(typed)
        if found is not None:
            choose_entry(self.type_combo, found[0].value)
            choose_entry(self.platform_combo, found[1])  # None: a platform chosen stays

    def current_type(self) -> IdentifierType:
        return IdentifierType(self.type_combo.currentData())

    def _type_changed(self) -> None:
        self.show_help(self.current_type())
        self._hint_timer.start()

    def show_help(self, kind: IdentifierType) -> None:
        self.help_title.setText(kind.label)
        self.help_text.setText(kind.help_text)

    def _platform_value(self) -> str:
        text = self.platform_combo.currentText().strip()
        found = self.platform_combo.findText(text)
        return str(self.platform_combo.itemData(found)) if found >= 0 else text

    def _check_value(self) -> None:
        value, kind, platform = self.value_edit.text(), self.current_type(), self._platform_value()
        self._hint_seq += 1
        seq = self._hint_seq
        if not value.strip():
            self._show_form_hint((), None)
            return
        # normalise() is pure, but its phone and e-mail libraries are heavy to import: worker.
        self._controller.run(lambda ctx: _checked(kind, value, platform or None),
                             on_result=lambda checked: self._show_value_hint(seq, checked),
                             on_error=lambda _m: None)

    def _show_value_hint(self, seq: int, checked: NormalisedIdentifier) -> None:
        if seq == self._hint_seq:
            self._show_form_hint(checked.warnings, checked.better_type)

    def _show_form_hint(self, hints: tuple[str, ...], better: IdentifierType | None) -> None:
        self.value_hint.setText("\n".join(hints))
        self.value_hint.setVisible(bool(hints))  # empty, it left a line's gap in the form
        self._better_type = better
        if better is not None:
            self.retype_button.setText(_retype_text(better))
        self.retype_button.setVisible(better is not None)

    def _retype_form(self) -> None:
        """The type the hint names, chosen for the person; the value stays, not yet saved."""
        if self._better_type is not None:
            self.type_combo.setCurrentIndex(self.type_combo.findData(self._better_type.value))
            self._check_value()  # at once: the hint and this button go
        self.value_edit.setFocus()

    def add_from_form(self) -> None:
        self.save_form()

    def save_entry(self, case: CaseFile) -> None:
        value = self.value_edit.text()
        if self._just_added and not value.strip():
            # Enter pressed again (a key that bounced, a double-click on the button) on the
            # form the save just emptied: "Not saved yet" there said the detail just saved
            # was not. The message of the save stays.
            return
        if not value.strip():
            raise FormProblem(self.value_edit, tr("Not saved yet. Type or paste the detail first."))
        kind, platform = self.current_type().value, self._platform_value() or None
        note, unsure = self.note_edit.text(), self.unsure_box.isChecked()
        links = self.link_box.links()
        self.save_in_worker(case, lambda c: _saved(c, kind, value, platform, note, unsure, links),
                            self._added)

    def _added(self, saved: tuple[SaveResult, IdentifierType | None]) -> None:
        result, better = saved
        self.select_after_load(result.identifier_id)
        self.reset_form()
        words = [result.message, *result.warnings]
        if better is not None:  # the row is selected: its button for the change is below
            words.append(tr("It may be better saved as \u201c{type}\u201d: the button under "
                            "the list changes its type in one press.").format(type=better.label))
        self.say(" ".join(words))
        self._just_added = True
        self.value_edit.setFocus()

    def _forget_added(self) -> None:
        self._just_added = False

    def reset_form(self) -> None:
        """Ready for the next detail: the value, note and "not sure" go; the type and the
        platform stay, because several details of one kind are often typed in a row."""
        self._hint_timer.stop()
        self._hint_seq += 1
        self.value_edit.clear()
        self.note_edit.clear()
        self.unsure_box.setChecked(False)
        self.link_box.setChecked(False)
        self._show_form_hint((), None)

    # ----- the table ----------------------------------------------------------------------

    def select_identifier(self, identifier_id: int) -> bool:
        return self.select_id(identifier_id)

    def row_selected(self) -> None:
        data = self.selected_record()
        self.row_hint.setText("\n".join(data.hints) if data else "")
        better = data.better_type if data else None
        if better is not None:
            self.row_retype_button.setText(_retype_text(better))
        self.row_retype_button.setVisible(better is not None)
        if data is not None:
            self.show_help(data.identifier.type)
        if data is None:
            self.links.set_record(None)
        else:
            self.links.set_record(data.identifier.id, data.identifier.evidence_ids)

    def _edit(self, identifier_id: int, fields: dict[str, object]) -> None:
        self.edit_in_worker(
            lambda case: edit_identifier(case, identifier_id, **fields),  # type: ignore[arg-type]
            lambda result: self.say(" ".join(result.warnings)))

    def _retype_selected(self) -> None:
        data = self.selected_record()
        if data is None or data.better_type is None:
            return
        identifier_id, better = data.identifier.id, data.better_type
        self.row_retype_button.hide()  # one click: the reload that follows shows the rest
        self.edit_in_worker(
            lambda case: edit_identifier(case, identifier_id, type_keyword=better.value),
            lambda result: self.say(" ".join((tr("Changed to \u201c{type}\u201d.").format(
                type=better.label), *result.warnings))))

    def set_selected_evidence(self, evidence_ids: list[int]) -> None:
        """The main window passes the Evidence screen's selection here."""
        self.link_box.set_selected(evidence_ids)
        self.links.set_selected(evidence_ids)

    def _link(self, identifier_id: int, wanted: list[int]) -> None:
        self.edit_in_worker(lambda case: link_identifier_evidence(case, identifier_id, wanted),
                            lambda _none: self.say(linked_words(len(wanted))))
