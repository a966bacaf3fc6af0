"""The list of the case's conversations, and the chat exports still waiting to be read.

An export whose dates fit both day-first and month-first waits for the person: the panel under
the list says so calmly, shows the first message's date read both ways, and one button per
reading reads it (the same core function as `safekeep read-chat --date-order`). An export that
could not be read is still kept as evidence; the panel says so, and why.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.chats import DateOrder, platform_name
from app.core.records import ConversationRow
from app.i18n import tr
from app.models import ChatReadStatus
from app.text_safety import visible_line
from app.ui.kit.view_text import day_as_written, when_words
from app.ui.records.record_parts import wrapping_label

_ROW_ROLE = Qt.ItemDataRole.UserRole + 1


def _status_words(row: ConversationRow) -> str:
    if row.status == ChatReadStatus.NEEDS_DATE_ORDER:
        return tr("Waiting: choose how its dates are written")
    if row.status == ChatReadStatus.UNREADABLE:
        return tr("Kept as evidence; its messages could not be read")
    return tr("Reading stopped part way; read it again")


class ConversationList(QWidget):
    open_requested = Signal(object)  # a ConversationRow with messages
    examples_wanted = Signal(int)  # an export waiting for its date order was selected
    read_requested = Signal(int, object)  # evidence id, DateOrder or None (read again)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.intro = wrapping_label(tr(
            "Conversations read from chat exports you added as evidence. Open one to read it "
            "as it was written, put a message on the timeline, or open a picture sent in it."))
        layout.addWidget(self.intro)
        self.notice = wrapping_label()  # a message asked for that is no longer there
        self.notice.setVisible(False)
        layout.addWidget(self.notice)
        # With no chat yet, the words saying so come under the intro and take the room the
        # list would: the page had spread them and a greyed button over its whole height.
        self.empty_label = wrapping_label(tr(
            "No chat exports yet. Export a chat from WhatsApp, Instagram, Messenger, Telegram, "
            "Discord or Snapchat (or add a Skype download you saved), then add the file on the "
            "Evidence tab: its messages show here."))
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.empty_label.setSizePolicy(QSizePolicy.Policy.Preferred,
                                       QSizePolicy.Policy.Expanding)
        layout.addWidget(self.empty_label, 1)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(tr("Conversations: press Enter to open one"))
        self.tree.setHeaderLabels([tr("Conversation"), tr("App"), tr("People"), tr("Messages"),
                                   tr("First message"), tr("Last message")])
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.itemActivated.connect(lambda *_: self.open_selected())
        self.tree.currentItemChanged.connect(lambda *_: self._selection_moved())
        layout.addWidget(self.tree, 1)

        row = QHBoxLayout()
        self.open_button = QPushButton(tr("Open conversation"))
        self.open_button.clicked.connect(self.open_selected)
        row.addWidget(self.open_button)
        row.addStretch()
        layout.addLayout(row)

        self.waiting = QWidget()
        waiting_layout = QVBoxLayout(self.waiting)
        waiting_layout.setContentsMargins(0, 0, 0, 0)
        self.waiting_label = wrapping_label()
        waiting_layout.addWidget(self.waiting_label)
        choices = QHBoxLayout()
        self.day_first_button = QPushButton(tr("Day first"))
        self.day_first_button.clicked.connect(lambda: self._read(DateOrder.DAY_FIRST))
        self.month_first_button = QPushButton(tr("Month first"))
        self.month_first_button.clicked.connect(lambda: self._read(DateOrder.MONTH_FIRST))
        self.again_button = QPushButton(tr("Read it again"))
        self.again_button.clicked.connect(lambda: self._read(None))
        for button in (self.day_first_button, self.month_first_button, self.again_button):
            choices.addWidget(button)
        choices.addStretch()
        waiting_layout.addLayout(choices)
        layout.addWidget(self.waiting)
        self.show_rows([])

    # ----- rows -----------------------------------------------------------------------------

    def show_rows(self, rows: list[ConversationRow]) -> None:
        wanted = self.selected()
        had_focus = QApplication.focusWidget()
        # Rebuilt without passing through "nothing chosen": that hid the date-order buttons
        # and turned "Open conversation" off for a moment, which threw the focus off them
        # whenever an import or a reading finished while the person was about to press one.
        self.tree.blockSignals(True)
        self.tree.clear()
        chosen = None
        for row in rows:
            if row.id is not None:
                item = QTreeWidgetItem([
                    visible_line(row.title), platform_name(row.platform),
                    visible_line(", ".join(row.participants)), str(row.message_count),
                    when_words(row.first_at), when_words(row.last_at)])
            else:  # one line across the columns: what it is and what it waits for
                item = QTreeWidgetItem([" · ".join((visible_line(row.title),
                                                    platform_name(row.platform),
                                                    _status_words(row)))])
            item.setData(0, _ROW_ROLE, row)
            self.tree.addTopLevelItem(item)
            item.setFirstColumnSpanned(row.id is None)
            if wanted is not None and (row.id, row.evidence_id) == (wanted.id, wanted.evidence_id):
                chosen = item
        # Each column as wide as its words, a long group name or its people at most 260: the
        # name's column had a fixed 200 (250 at 125%), which pushed "Last message" out of
        # sight behind a sideways scroll bar on a 1366x768 screen for "Emma".
        for column in range(6):
            self.tree.resizeColumnToContents(column)
            self.tree.setColumnWidth(column, min(self.tree.columnWidth(column), 260))
        self.empty_label.setVisible(not rows)
        self.tree.setVisible(bool(rows))
        self.open_button.setVisible(bool(rows))
        current = chosen or self.tree.topLevelItem(0)
        if current is not None:
            self.tree.setCurrentItem(current)
        self.tree.blockSignals(False)
        self._selection_moved()
        if had_focus is not None and self.isAncestorOf(had_focus) \
                and QApplication.focusWidget() is not had_focus and self.tree.isVisible():
            self.tree.setFocus(Qt.FocusReason.OtherFocusReason)  # its row or button went

    def say(self, text: str) -> None:
        """One sentence above the list, until a conversation is opened."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def selected(self) -> ConversationRow | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, _ROW_ROLE)

    def choose(self, row: ConversationRow) -> None:
        """Make `row` (one of those shown) the current line, with the keyboard on the list."""
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            shown = None if item is None else item.data(0, _ROW_ROLE)
            if item is not None and shown is not None \
                    and (shown.id, shown.evidence_id) == (row.id, row.evidence_id):
                self.tree.setCurrentItem(item)
                self.tree.setFocus(Qt.FocusReason.OtherFocusReason)
                return

    def focus_list(self) -> None:
        if self.tree.topLevelItemCount():
            self.tree.setFocus()

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None and row.id is not None:
            self.open_requested.emit(row)
        elif row is not None:  # waiting: Enter goes to what it waits on, if anything
            for button in (self.day_first_button, self.again_button):
                if button.isVisibleTo(self):
                    button.setFocus(Qt.FocusReason.OtherFocusReason)
                    break

    def _selection_moved(self) -> None:
        row = self.selected()
        self.open_button.setEnabled(row is not None and row.id is not None)
        waiting = row is not None and row.id is None
        self.waiting.setVisible(waiting)
        if row is None or not waiting:
            return
        needs_order = row.status == ChatReadStatus.NEEDS_DATE_ORDER
        self.day_first_button.setVisible(needs_order)
        self.month_first_button.setVisible(needs_order)
        self.again_button.setVisible(row.status == ChatReadStatus.READING)
        name = visible_line(row.title)
        if needs_order:
            self.waiting_label.setText(tr(
                "{name} is kept as evidence. Its messages are not shown yet, because every date "
                "in it could be read two ways: 03/04 could be 3 April or March 4. Nothing is "
                "guessed. Which way does your phone write dates?").format(name=name))
            self.day_first_button.setText(tr("Day first"))
            self.month_first_button.setText(tr("Month first"))
            self.examples_wanted.emit(row.evidence_id)
        elif row.status == ChatReadStatus.UNREADABLE:
            self.waiting_label.setText(tr(
                "{name} is kept as evidence, byte for byte, and goes in the bundle for police. "
                "Its messages could not be shown here: {note}").format(
                name=name, note=visible_line(row.note) or tr("its contents are not in a form "
                                                           "Safekeep knows.")))
        else:
            self.waiting_label.setText(tr(
                "Reading {name} stopped part way (the app may have closed). The file is kept; "
                "read it again to show all its messages.").format(name=name))

    def show_examples(self, evidence_id: int, examples: dict[DateOrder, str]) -> None:
        """The first message's date each way, on the buttons, so the choice is easy to see."""
        row = self.selected()
        if row is None or row.evidence_id != evidence_id:
            return
        for order, button, label in (
                (DateOrder.DAY_FIRST, self.day_first_button, tr("Day first")),
                (DateOrder.MONTH_FIRST, self.month_first_button, tr("Month first"))):
            if order in examples:
                button.setText(tr("{label}: the first message on {day}").format(
                    label=label, day=day_as_written(examples[order])))

    def _read(self, order: DateOrder | None) -> None:
        row = self.selected()
        if row is not None and row.id is None:
            self.read_requested.emit(row.evidence_id, order)
