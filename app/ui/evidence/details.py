"""The details pane beside the evidence grid: what an item is, its hash, and what the person
said about it. It holds no case data of its own beyond what is shown, and `clear()` empties it.

It never saves by itself: it emits what the person asked for and the view runs the work.
"""

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QPixmap,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.core.chats import export_kind
from app.core.identifiers import PLATFORMS, platform_label
from app.core.reading import TEXT_TYPE
from app.core.records import EvidenceRow, exhibit_reference
from app.i18n import tr, tr_n
from app.text_safety import visible_line
from app.ui.evidence.detail_words import preview_words, selectable_label, source_words
from app.ui.evidence.fingerprint_text import FingerprintText
from app.ui.evidence.remove_box import RemoveBox
from app.ui.evidence.sent_in_chat import SentInChat
from app.ui.evidence.thumbnails import kind_word
from app.ui.kit.into_view import bring_into_view
from app.ui.kit.save_on_leave import SaveOnLeave
from app.ui.kit.view_text import human_size, local_time, plain_tip
from app.ui.reading.found_in_picture import FoundInPicture

MIN_WIDTH = 260  # the narrowest the pane is, whatever it holds


class EvidenceDetails(QScrollArea):
    edit_requested = Signal(int, object)  # evidence id, {field: value} for edit_evidence
    reveal_requested = Signal(int, bool)  # evidence id, show?
    remove_requested = Signal(int, str)  # evidence id, reason
    messages_requested = Signal(int)  # a chat export's id: its messages on the Chats tab

    def __init__(self, found: FoundInPicture | None = None,
                 parent: QWidget | None = None, *, sent_in: SentInChat | None = None) -> None:
        super().__init__(parent)
        self.found = found
        self.sent_in = sent_in
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Everything wraps: a sideways scroll bar in a narrow pane only hides things.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # No Tab stop of its own (it showed no focus); Tab to a field scrolls it into view.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._item: EvidenceRow | None = None
        self._initials = ""  # the case's, for exhibit references: set_initials
        body = QWidget()
        self.setWidget(body)
        layout = QVBoxLayout(body)
        self._body_layout = layout

        self.empty_label = QLabel(tr("Select an item to see its details."))
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)

        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 0, 0, 0)
        self.title = selectable_label(QLabel())
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        content.addWidget(self.title)
        self.exhibit = selectable_label(QLabel())  # under its name: what an officer will ask for
        content.addWidget(self.exhibit)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumHeight(140)
        content.addWidget(self.preview)
        self.reveal_button = QPushButton()
        self.reveal_button.clicked.connect(self._toggle_reveal)
        content.addWidget(self.reveal_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.note_label = selectable_label(QLabel())
        content.addWidget(self.note_label)
        self.messages_button = QPushButton(tr("Read its messages"))
        self.messages_button.clicked.connect(self._read_messages)
        content.addWidget(self.messages_button, 0, Qt.AlignmentFlag.AlignLeft)
        if sent_in is not None:  # a photo from a chat: who sent it and when
            content.addWidget(sent_in)
        if found is not None:  # what text recognition found comes first: it is what to act on
            content.addWidget(found)

        self._facts = form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields: dict[str, QLabel] = {}
        for key, label in (("kind", tr("What it is")), ("size", tr("Size")),
                           ("acquired", tr("Added to the case")), ("source", tr("How")),
                           ("modified", tr("File last changed")),
                           ("taken", tr("Photo taken")), ("camera", tr("Camera")),
                           ("pixels", tr("Picture size"))):
            self.fields[key] = selectable_label(QLabel())
            form.addRow(label, self.fields[key])
        content.addLayout(form)
        sha_title = QLabel(tr("SHA-256 fingerprint"))
        sha_title.setToolTip(tr("A fingerprint of the original file. Police use it to "
                                "check the file was not changed."))
        content.addWidget(sha_title)
        self.sha_text = FingerprintText()
        self.sha_text.setAccessibleName(tr("SHA-256 fingerprint"))
        content.addWidget(self.sha_text)

        edit_form = QFormLayout()
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(tr("What does this show? Who sent it, and when?"))
        self.description.setAccessibleName(tr("Description"))
        self.description.setTabChangesFocus(True)
        self.description.setMaximumHeight(90)
        self.description.textChanged.connect(self._description_edited)
        edit_form.addRow(tr("Description"), self.description)
        self.save_button = QPushButton(tr("Save description"))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.commit_pending)
        SaveOnLeave([self.description, self.save_button], self.commit_pending)
        edit_form.addRow("", self.save_button)
        self.platform = QComboBox()
        self.platform.setEditable(True)
        # Enter would add a name typed to the list, as an entry with no value behind it: a
        # platform not listed was then never saved (Tab saved it). The list stays as shipped.
        self.platform.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.platform.setAccessibleName(tr("Platform"))
        self.platform.addItem("", "")
        for name in PLATFORMS:
            self.platform.addItem(platform_label(name), name)
        line = self.platform.lineEdit()
        assert line is not None  # the combo is editable
        line.setPlaceholderText(tr("Where did this happen?"))
        line.editingFinished.connect(self._platform_chosen)
        self.platform.activated.connect(self._platform_chosen)
        edit_form.addRow(tr("Platform"), self.platform)
        self.sensitive = QCheckBox(tr("Sensitive: keep it hidden"))
        self.sensitive.setToolTip(tr("Hidden as a plain tile until you press Show. Use this "
                                     "for intimate pictures."))
        self.sensitive.toggled.connect(self._sensitive_toggled)
        edit_form.addRow("", self.sensitive)
        content.addLayout(edit_form)

        self.linked_label = selectable_label(QLabel())
        content.addWidget(self.linked_label)

        self.remove_button = QPushButton(tr("Remove from the case…"))
        self.remove_button.clicked.connect(lambda: self.ask_remove())
        content.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.remove_box = RemoveBox()
        self.remove_reason, self.confirm_remove = self.remove_box.reason, self.remove_box.confirm
        self.remove_box.confirmed.connect(self._confirm_remove)
        self.remove_box.kept.connect(self._keep)
        self._asked_from: QWidget = self.remove_button
        content.addWidget(self.remove_box)
        content.addStretch()
        layout.addWidget(self.content)
        self._loading = False
        self.clear()

    # ----- showing ------------------------------------------------------------------------

    def minimumSizeHint(self) -> QSize:
        """Never narrower than the item's fields: the splitter took the pane down to a fixed
        260 pixels, and the right edge of the platform box, the buttons and the text beside
        them went under the scroll bar (at 1366x768 and 125%)."""
        hint = super().minimumSizeHint()
        layout = self._body_layout
        sides = layout.contentsMargins().left() + layout.contentsMargins().right()
        fields = max(self.content.minimumSizeHint().width(),
                     self.empty_label.minimumSizeHint().width())
        width = (fields + sides + self.verticalScrollBar().sizeHint().width()
                 + 2 * self.frameWidth())
        return QSize(max(hint.width(), width, MIN_WIDTH), hint.height())

    def make_way(self) -> bool:
        """Let another item be shown (what an import just added), saving a description typed
        and left; False while the person is in the pane, typing or choosing something."""
        focus = self.window().focusWidget()  # kept while the person is in another program
        if focus is not None and self.isAncestorOf(focus):
            return False
        self.commit_pending()
        return True

    def current_id(self) -> int | None:
        return None if self._item is None else self._item.id

    def show_item(self, item: EvidenceRow | None, *, picture: QPixmap | None, hidden: bool,
                  linked: list[str]) -> None:
        if item is None:
            self.clear()
            return
        same = self._item is not None and self._item.id == item.id
        self._item = item
        self._loading = True
        self.empty_label.hide()
        self.content.show()
        self.title.setText(visible_line(item.original_name))  # hidden characters shown
        self.title.setToolTip(plain_tip(visible_line(item.original_name)))  # a long one whole
        self.set_picture(picture, hidden)
        notes = [n for n in (item.type_note, preview_words(item)) if n]
        self.note_label.setText("\n".join(notes))
        self.note_label.setVisible(bool(notes))
        self.messages_button.setVisible(item.chat_platform is not None)
        kind = kind_word(item.kind) if item.chat_platform is None else export_kind(
            item.chat_platform)
        self._show_exhibit()
        self.fields["kind"].setText(f"{kind} ({item.detected_type})")
        self.fields["size"].setText(human_size(item.size))
        self.fields["acquired"].setText(local_time(item.acquired_at))
        self.fields["source"].setText(source_words(item.source))
        self.fields["modified"].setText(local_time(item.file_modified_at) or tr("not known"))
        # EXIF text comes from the file, that is from whoever made it.
        self.fields["taken"].setText(visible_line(item.exif_taken_at or tr("not known")))
        self.fields["camera"].setText(visible_line(item.exif_camera or tr("not known")))
        self.fields["pixels"].setText(f"{item.width} × {item.height}" if item.width and item.height
                                      else tr("not known"))
        for key in ("taken", "camera", "pixels"):  # "Photo taken: not known" of a PDF or a ZIP
            self._facts.setRowVisible(self.fields[key], item.kind in ("screenshot", "image"))
        self.sha_text.setPlainText(item.sha256)
        if not same or not self.save_button.isEnabled():
            # Keep what the person is typing when a reload brings the same item back, and
            # where they are in it: the reload after a save had put the cursor at the start.
            if self.description.toPlainText() != item.description:
                self.description.setPlainText(item.description)
            self.save_button.setEnabled(False)
        typing = self.platform.lineEdit()  # a platform being typed stays through a reload
        if not (same and typing is not None and typing.hasFocus() and typing.isModified()):
            self.platform.setCurrentText(platform_label(item.platform) if item.platform else "")
        self.sensitive.setChecked(item.sensitive)
        self.linked_label.setText(
            tr("Linked to it:") + "\n" + "\n".join(f"• {visible_line(line)}" for line in linked)
            if linked
            else tr("No offender details, payments or events are linked to it yet."))
        if not same:
            self.remove_box.hide()
            self.remove_reason.clear()
            # Another item starts at its top: its name and exhibit reference had stayed
            # scrolled out of sight where the item before was read to the bottom.
            self.verticalScrollBar().setValue(0)
        if self.found is not None:
            self.found.show_for(item.id, hidden=hidden)
        if self.sent_in is not None and not same:
            self.sent_in.show_for(item)
        self._loading = False

    def set_initials(self, initials: str) -> None:
        """The case's initials for exhibit references: the item's reference ("AB/7") is the
        one the bundle's report, files and spreadsheets use, so the person can find what an
        officer asks about (the window had shown none)."""
        self._initials = initials
        self._show_exhibit()

    def _show_exhibit(self) -> None:
        item = self._item
        self.exhibit.setText(tr("Exhibit {exhibit} in the bundle for police").format(
            exhibit=exhibit_reference(self._initials, item.exhibit_number))
            if item is not None and self._initials else "")
        self.exhibit.setVisible(bool(self.exhibit.text()))

    def set_picture(self, picture: QPixmap | None, hidden: bool) -> None:
        item = self._item
        if picture is not None:
            self.preview.setPixmap(picture)
        else:
            self.preview.clear()
        # A text file's words are shown under it: its "No preview" tile, as large again as the
        # grid's, only pushed them (and what was found in them) below a small screen's edge.
        self.preview.setVisible(not (item is not None and item.detected_type == TEXT_TYPE
                                     and item.chat_platform is None))
        self.reveal_button.setVisible(item is not None and item.sensitive)
        if self.found is not None:
            self.found.set_hidden(hidden)
        self.reveal_button.setText(tr("Show") if hidden else tr("Hide again"))
        self.reveal_button.setAccessibleName(
            tr("Show this sensitive item") if hidden else tr("Hide this sensitive item again"))

    def clear(self, selected: int = 0) -> None:
        """No one item to show: none selected, or `selected` several (said, with what a
        choice of several is for, so the person is not told to select what they have)."""
        self.empty_label.setText(tr("Select an item to see its details.") if selected < 2 else tr_n(
            "%n item is selected. Choose one to see its details.",
            "%n items are selected. Choose one to see its details. On Offender details, "
            "Payments or Timeline, what you add next can be linked to all of them.", selected))
        self._loading = True
        self._item = None
        self.title.clear()
        self.exhibit.clear()
        self.preview.clear()
        self.note_label.clear()
        for label in self.fields.values():
            label.clear()
        self.sha_text.clear()
        self.description.clear()
        self.platform.setCurrentText("")
        self.sensitive.setChecked(False)
        self.linked_label.clear()
        self.remove_reason.clear()
        self.remove_box.hide()
        self.save_button.setEnabled(False)
        for part in (self.found, self.sent_in):
            if part is not None:
                part.clear()
        self.content.hide()
        self.empty_label.show()
        self._loading = False

    # ----- edits --------------------------------------------------------------------------

    def pending_description(self) -> tuple[int, str] | None:
        """The item and the description typed for it and not saved yet, if any."""
        if self._item is None or not self.save_button.isEnabled():
            return None
        return self._item.id, self.description.toPlainText()

    def commit_pending(self) -> None:
        """Save a description being typed (also called when the selection moves away)."""
        if self._item is None or not self.save_button.isEnabled():
            return
        if self.save_button.hasFocus():  # greyed, it sent the focus on into the platform box
            self.description.setFocus(Qt.FocusReason.OtherFocusReason)
        self.save_button.setEnabled(False)
        self.edit_requested.emit(self._item.id, {"description": self.description.toPlainText()})

    def _description_edited(self) -> None:
        if not self._loading and self._item is not None:
            self.save_button.setEnabled(self.description.toPlainText() != self._item.description)

    def _platform_chosen(self) -> None:
        if self._loading or self._item is None:
            return
        index = self.platform.findText(self.platform.currentText())
        listed = self.platform.itemData(index) if index >= 0 else None
        value = listed if isinstance(listed, str) else self.platform.currentText().strip()
        if (value or None) != self._item.platform:
            self.edit_requested.emit(self._item.id, {"platform": value or ""})

    def _sensitive_toggled(self, checked: bool) -> None:
        if not self._loading and self._item is not None and checked != self._item.sensitive:
            self.edit_requested.emit(self._item.id, {"sensitive": checked})

    def _toggle_reveal(self) -> None:
        if self._item is not None:
            self.reveal_requested.emit(self._item.id, self.reveal_button.text() == tr("Show"))

    def ask_remove(self, *, back_to: QWidget | None = None) -> None:
        """Ask why; "Keep it" (or Escape) puts the keyboard back on `back_to` (the grid, after
        Delete there), else on "Remove from the case…"."""
        self._asked_from = back_to or self.remove_button
        self.remove_box.show()
        self.remove_reason.setFocus()
        # At the foot of the pane, often below what shows; on a very small screen, at least
        # the box typed in and the buttons that answer.
        bring_into_view(self.remove_box, self.confirm_remove)

    def _read_messages(self) -> None:
        if self._item is not None:
            self.messages_requested.emit(self._item.id)

    def _keep(self) -> None:
        self.remove_box.hide()
        self._asked_from.setFocus(Qt.FocusReason.OtherFocusReason)  # where the person was

    def _confirm_remove(self, reason: str) -> None:
        if self._item is not None:
            self.remove_requested.emit(self._item.id, reason)
            self.remove_box.hide()
