"""One step of the checklist: a tick box with its title, an explanation that opens and
closes, where the advice comes from, when it was done, an inline field for a reference
number, and a button for the app action that helps with the step.

When the case's records already show the step done, a calm line under the title says why
and asks "Tick this step?" with "Tick it" and "Not yet": the step is never ticked without
the person. A step the records show is not needed is greyed, with the reason.

The next step is framed with the palette's highlight colour: noticeable, never alarming.
"""

from dataclasses import dataclass
from typing import assert_never

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.guidance import AdvicePack, ChecklistAction, ChecklistEntry
from app.i18n import tr
from app.ui.kit.view_text import local_time


def action_words(action: ChecklistAction) -> str:
    """The button's words. Every action has its own (the type checker sees a missing one)."""
    match action:
        case ChecklistAction.CAPTURE_SCREENSHOT:
            return tr("Take a screenshot")
        case ChecklistAction.ADD_EVIDENCE:
            return tr("Add evidence")
        case ChecklistAction.ADD_IDENTIFIER:
            return tr("Save their details")
        case ChecklistAction.ADD_PAYMENT:
            return tr("Add a payment")
        case ChecklistAction.EXPORT_BUNDLE:
            return tr("Prepare the bundle for police")
        case ChecklistAction.SHOW_HELP:
            return tr("Who can help")
        case ChecklistAction.COPY_POLICE_SUMMARY:
            return tr("Copy a summary for your police report")
        case ChecklistAction.COPY_PLATFORM_REPORT:
            return tr("Copy a report for the site or app")
        case ChecklistAction.COPY_BANK_SCRIPT:
            return tr("Copy what to say to your bank")
        case _:
            assert_never(action)


@dataclass(frozen=True)
class Typing:
    """What a person was typing in a step's reference field, and whether the cursor was in it."""

    text: str
    cursor: int
    focused: bool


class _ClickableLabel(QLabel):
    """A title that opens and closes its step when clicked, as the arrow beside it does.
    It had ticked the box, as a check box's own text would; but the row reads as a heading
    that opens, and a person who clicked "Report it to the police" to read it had it marked
    done at that minute, in the case and in the officers' report."""

    clicked = Signal()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)


# Set once on the list that holds the steps (panel.py), not on each step: a style sheet of its
# own on each of 20 steps cost about 60 ms of the window's time per full rebuild.
STEP_FRAME_STYLE = (
    "QFrame#step { border: 1px solid palette(mid); border-radius: 6px; }"
    "QFrame#nextStep { border: 2px solid palette(highlight); border-radius: 6px; }"
)


class ChecklistItemWidget(QFrame):
    done_toggled = Signal(str, bool)  # item id, done
    reference_saved = Signal(str, str)  # item id, reference
    action_clicked = Signal(object)  # a ChecklistAction
    expanded_changed = Signal(str, bool)  # item id, expanded
    offer_accepted = Signal(str)  # item id: "Tick it"
    offer_declined = Signal(str)  # item id: "Not yet"

    def __init__(self, entry: ChecklistEntry, pack: AdvicePack, *, expanded: bool,
                 offer: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        item = entry.item
        self.item_id = item.id
        self.entry = entry
        self.setObjectName("nextStep" if entry.is_next else "step")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)

        top = QHBoxLayout()
        # A bare tick box and a wrapping title beside it: a QCheckBox's own text never wraps,
        # and a long title would push the panel wider than the dock.
        self.check = QCheckBox()
        self.check.setChecked(entry.done)
        self.check.setAccessibleName(item.title)
        self.check.setAccessibleDescription(tr("Next step") if entry.is_next else "")
        self.check.toggled.connect(lambda done: self.done_toggled.emit(self.item_id, done))
        top.addWidget(self.check, 0, Qt.AlignmentFlag.AlignTop)
        self.title = _ClickableLabel(item.title)
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setBuddy(self.check)
        self.title.clicked.connect(lambda: self.set_expanded(not self.is_expanded()))
        self.title.setCursor(Qt.CursorShape.PointingHandCursor)
        font = self.title.font()
        font.setBold(entry.is_next)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        self.expand_button = QToolButton()
        self.expand_button.setCheckable(True)
        self.expand_button.setAutoRaise(True)
        self.expand_button.setAccessibleName(tr("Show or hide the explanation of: {title}")
                                             .format(title=item.title))
        self.expand_button.toggled.connect(self._set_expanded)
        top.addWidget(self.expand_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        # Into the layout first, then shown: a label shown before it has a parent opens as a
        # window of its own for a moment, and takes the focus away from the app's window.
        self.next_label = QLabel(tr("Next step"))
        layout.addWidget(self.next_label)
        self.next_label.setVisible(entry.is_next)
        self.done_label = QLabel(tr("Done {when}").format(when=local_time(entry.done_at))
                                 if entry.done and entry.done_at else "")
        layout.addWidget(self.done_label)
        self.done_label.setVisible(bool(self.done_label.text()))
        self.not_needed_label: QLabel | None = None
        if entry.not_needed:
            self._show_not_needed(entry.not_needed, layout)
        self.offer: QWidget | None = None
        self.tick_it_button: QPushButton | None = None
        self.not_yet_button: QPushButton | None = None
        if offer and entry.case_shows_done:
            self._add_offer(entry.case_shows_done, layout)

        self.details = QWidget()
        details = QVBoxLayout(self.details)
        details.setContentsMargins(22, 0, 0, 0)
        self.body = QLabel(item.body)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.PlainText)  # pack text is data, not markup
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        details.addWidget(self.body)
        names = [s.name for sid in item.sources if (s := pack.source(sid)) is not None]
        self.source_label = QLabel(tr("Source: {names}").format(names="; ".join(names)))
        self.source_label.setWordWrap(True)
        self.source_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.source_label.font()
        font.setItalic(True)
        self.source_label.setFont(font)
        details.addWidget(self.source_label)

        self.reference_edit: QLineEdit | None = None
        if item.takes_reference:
            row = QHBoxLayout()
            label = QLabel(item.reference_label or tr("Reference number"))
            self.reference_edit = QLineEdit(entry.reference)
            self.reference_edit.setAccessibleName(item.reference_label or tr("Reference number"))
            self.reference_edit.setPlaceholderText(tr("If you have it"))
            self.reference_edit.returnPressed.connect(self.save_reference)
            self.save_reference_button = QPushButton(tr("Save"))
            self.save_reference_button.setAccessibleName(
                tr("Save the {label}").format(
                    label=(item.reference_label or tr("Reference number")).lower()))
            self.save_reference_button.clicked.connect(self.save_reference)
            # The label on a line of its own: beside the box and Save, in a checklist as narrow
            # as it is beside the tabs, "CRI-20261207-004512" showed as "07-004512".
            label.setWordWrap(True)
            label.setBuddy(self.reference_edit)
            details.addWidget(label)
            row.addWidget(self.reference_edit, 1)
            row.addWidget(self.save_reference_button)
            details.addLayout(row)

        self.action_button: QPushButton | None = None
        if item.action:
            self.action_button = QPushButton(action_words(item.action))
            action = item.action
            self.action_button.clicked.connect(lambda: self.action_clicked.emit(action))
            details.addWidget(self.action_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details)
        self.expand_button.setChecked(expanded)
        self._set_expanded(expanded)

    def _show_not_needed(self, text: str, layout: QVBoxLayout) -> None:
        """Grey the title (the palette's disabled text colour) and say why the step is not
        needed, in the ordinary colour so the reason stays easy to read. The box can still
        be ticked."""
        palette = self.title.palette()
        palette.setColor(QPalette.ColorRole.WindowText,
                         palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText))
        self.title.setPalette(palette)
        self.not_needed_label = QLabel(text)
        self.not_needed_label.setWordWrap(True)
        self.not_needed_label.setTextFormat(Qt.TextFormat.PlainText)
        self.not_needed_label.setContentsMargins(22, 0, 0, 0)
        font = self.not_needed_label.font()
        font.setItalic(True)
        self.not_needed_label.setFont(font)
        self.check.setAccessibleDescription(text)
        layout.addWidget(self.not_needed_label)

    def _add_offer(self, reason: str, layout: QVBoxLayout) -> None:
        self.offer = QWidget()
        box = QVBoxLayout(self.offer)
        box.setContentsMargins(22, 2, 0, 2)
        # The reason holds values from the case (a Skype ID): plain text, never markup.
        self.offer_label = QLabel(tr("{reason} Tick this step?").format(reason=reason))
        self.offer_label.setWordWrap(True)
        self.offer_label.setTextFormat(Qt.TextFormat.PlainText)
        box.addWidget(self.offer_label)
        buttons = QHBoxLayout()
        title = self.entry.item.title
        self.tick_it_button = QPushButton(tr("Tick it"))
        self.tick_it_button.setAccessibleName(tr("Tick this step: {title}").format(title=title))
        self.not_yet_button = QPushButton(tr("Not yet"))
        self.not_yet_button.setAccessibleName(
            tr("Not yet: keep this step open: {title}").format(title=title))
        for button in (self.tick_it_button, self.not_yet_button):
            # Enter presses a focused button here as it does in a dialog (Space always does).
            button.setAutoDefault(True)
            buttons.addWidget(button)
        buttons.addStretch()
        box.addLayout(buttons)
        self.tick_it_button.clicked.connect(lambda: self.offer_accepted.emit(self.item_id))
        self.not_yet_button.clicked.connect(self._decline)
        self.check.setAccessibleDescription(
            f"{self.check.accessibleDescription()} {reason}".strip())
        layout.addWidget(self.offer)

    def _decline(self) -> None:
        self.hide_offer()
        self.check.setFocus()  # a keyboard user stays on this step
        self.offer_declined.emit(self.item_id)

    def hide_offer(self) -> None:
        if self.offer is not None:
            self.offer.hide()

    def offer_shown(self) -> bool:
        return self.offer is not None and not self.offer.isHidden()

    def is_expanded(self) -> bool:
        return self.expand_button.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.expand_button.setChecked(expanded)

    def _set_expanded(self, expanded: bool) -> None:
        self.details.setVisible(expanded)
        self.expand_button.setArrowType(Qt.ArrowType.DownArrow if expanded
                                        else Qt.ArrowType.RightArrow)
        self.expanded_changed.emit(self.item_id, expanded)

    def ask_for_reference(self) -> None:
        """After ticking: open the step and put the cursor in its reference field."""
        if self.reference_edit is not None:
            self.set_expanded(True)
            self.reference_edit.setFocus()

    def typed_reference(self) -> str | None:
        """The number the person typed and has not saved yet, or None."""
        edit = self.reference_edit
        if edit is None or not edit.isModified():
            return None
        typed = edit.text().strip()
        return typed if typed and typed != self.entry.reference else None

    def typing(self) -> Typing | None:
        """A number being typed here and not saved yet: to carry to the step that replaces
        this one (its state changed, or the whole list was built anew)."""
        edit = self.reference_edit
        if edit is None or not edit.isModified():
            return None
        return Typing(edit.text(), edit.cursorPosition(), edit.hasFocus())

    def take_typing(self, typing: Typing | None) -> None:
        """This step replaces one where a number was being typed: it stays, with the cursor
        where it was."""
        if typing is None or self.reference_edit is None:
            return
        self.reference_edit.setText(typing.text)
        self.reference_edit.setModified(True)
        self.reference_edit.setCursorPosition(typing.cursor)
        if typing.focused:
            self.set_expanded(True)
            self.reference_edit.setFocus()

    def save_reference(self) -> None:
        if self.reference_edit is not None:
            self.reference_saved.emit(self.item_id, self.reference_edit.text().strip())
