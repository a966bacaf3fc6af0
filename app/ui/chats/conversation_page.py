"""One conversation, read as it was written: bubbles by sender, a date line where the day
changes, times exactly as the export gives them, and the actions on the selected message
(put it on the timeline, open what was attached).

The exports do not say which of the people is the one who exported the chat (Discord's holds
only that person's messages, so there it is known). Until the person says which name is
theirs, everyone is on the left, and the page says why. Their choice is kept in the case
(`me_chosen`: the view saves it through the worker), so it is there when the case opens again.
"""

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.chats import platform_name
from app.core.records import ConversationRow, MessageRow
from app.i18n import tr, tr_n
from app.models import TimelineKind
from app.text_safety import visible_line
from app.ui.chats.bubble_delegate import BubbleDelegate
from app.ui.chats.message_model import MessageListModel, PageLoader
from app.ui.kit.elided_label import ElidedLabel
from app.ui.kit.turns import NextTurn
from app.ui.kit.view_text import when_words
from app.ui.records.record_parts import wrapping_label

ADD_KEYS = QKeySequence("Ctrl+T")
_READING_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp)
MEASURED_AT_ONCE = 25  # bubbles measured in one turn of the event loop: a millisecond or two


class ConversationPage(QWidget):
    back_requested = Signal()
    to_timeline = Signal(int, str)  # message id, TimelineKind value
    open_evidence = Signal(int)  # an attachment's evidence item
    me_chosen = Signal(int, object)  # conversation id, the sender chosen (None: nobody)

    def __init__(self, load: PageLoader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row: ConversationRow | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.back_button = QPushButton(tr("← All conversations"))
        self.back_button.setToolTip(tr("Back to the list (Esc)"))
        self.back_button.clicked.connect(self.back_requested.emit)
        top.addWidget(self.back_button)
        self.title = ElidedLabel()  # a group's long name shortened, whole in its tooltip
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        # On the title's row: on a 1024x600 screen at 125% the messages had about 160 pixels
        # between the page's words and its buttons, a row of them this choice's own.
        self.me_label = QLabel(tr("Your messages on the right:"))
        top.addWidget(self.me_label)
        self.me_box = QComboBox()
        # Filled as each conversation opens: sized to what it holds then, not to the nothing
        # it held when the page first showed ("Not chosen: everyone..." showed as "Not chos").
        self.me_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.me_box.setAccessibleName(tr("Which name is yours"))
        self.me_box.currentIndexChanged.connect(self._me_chosen)
        self.me_label.setBuddy(self.me_box)
        top.addWidget(self.me_box)
        layout.addLayout(top)
        self.facts = wrapping_label()
        layout.addWidget(self.facts)
        self.notes = wrapping_label()
        layout.addWidget(self.notes)

        self.model = MessageListModel(load, self)
        self.model.prepare = self._measure_then
        # The next chunk of a page being measured (one page at a time: the model asks for the
        # next only once this one is in), run in the next pass of the event loop.
        self._measure_next = NextTurn(self)
        self.list = QListView()
        self.list.setAccessibleName(tr("Messages: arrows move, Enter opens an attachment"))
        self.list.setModel(self.model)
        self.delegate = BubbleDelegate(self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setUniformItemSizes(False)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._context_menu)
        self.list.activated.connect(lambda index: self.open_attachment())
        self.list.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.list.installEventFilter(self)  # the ends of a long chat, and a long message
        self.list.selectionModel().currentChanged.connect(lambda *_: self._current_moved())
        self._anchor: tuple[int, int] | None = None  # (position, pixels) of the top row
        self.model.window_moving.connect(self._hold_place)
        self.model.window_moved.connect(self._keep_place)
        self.model.opened.connect(self._select_row)
        self.delegate.attachment_clicked.connect(self.open_evidence.emit)
        layout.addWidget(self.list, 1)

        bottom = QHBoxLayout()
        keys = ADD_KEYS.toString(QKeySequence.SequenceFormat.NativeText)
        self.add_button = QPushButton(tr("Add to timeline"))
        self.add_button.setToolTip(tr("Put the selected message on the timeline ({keys})")
                                   .format(keys=keys))
        self.add_button.clicked.connect(lambda: self.add_selected(TimelineKind.OTHER))
        self.attachment_button = QPushButton(tr("Open attachment"))
        self.attachment_button.setToolTip(tr("Show the picture or file sent with the selected "
                                             "message (Enter)"))
        self.attachment_button.clicked.connect(self.open_attachment)
        self.message = wrapping_label()
        bottom.addWidget(self.add_button)
        bottom.addWidget(self.attachment_button)
        bottom.addWidget(self.message, 1)
        layout.addLayout(bottom)
        shortcut = QShortcut(ADD_KEYS, self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(lambda: self.add_selected(TimelineKind.OTHER))
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.back_requested.emit)
        self._current_moved()

    # ----- showing one conversation ---------------------------------------------------------

    def show_conversation(self, row: ConversationRow, at_position: int = 0,
                          exhibit: str = "") -> None:
        """`exhibit`: the chat export's reference in the bundle ("AB/3"), said with its
        facts, as the report's transcript heading says it."""
        assert row.id is not None
        self.row = row
        self.message.clear()
        self.title.setText(visible_line(row.title))
        span = when_words(row.first_at)
        if row.last_at and row.last_at != row.first_at:
            span = tr("{first} to {last}").format(first=span, last=when_words(row.last_at))
        self.facts.setText(" · ".join(p for p in (
            platform_name(row.platform), visible_line(", ".join(row.participants)),
            tr_n("%n message", "%n messages", row.message_count), span,
            tr("exhibit {exhibit}").format(exhibit=exhibit) if exhibit else "") if p))
        self._fill_me_box(row)
        self.notes.setText(" ".join([self._time_note(row), *row.notes]))
        self.delegate.forget_sizes()
        self.model.open(row.id, row.message_count, at_position)
        self.model.set_me(self._me_for(row))
        self.list.setFocus()

    def _time_note(self, row: ConversationRow) -> str:
        if row.platform == "whatsapp":  # the export's own note says why there is no zone
            return tr("Times are shown exactly as written in the export.")
        return tr("Times are shown exactly as written in the export; a time zone shows only "
                  "where the export states one.")

    def _me_for(self, row: ConversationRow) -> str | None:
        if row.me is not None:
            return row.me  # the person's own choice, kept in the case
        if row.platform == "discord" and row.participants:
            # A Discord package holds only its owner's messages, and names the owner first.
            return row.participants[0]
        return None

    def _fill_me_box(self, row: ConversationRow) -> None:
        self.me_box.blockSignals(True)
        self.me_box.clear()
        self.me_box.addItem(tr("Not chosen: everyone on the left"), None)
        for person in row.participants:
            self.me_box.addItem(visible_line(person), person)
        # A name from the export can be any length: past about 40 letters it is cut with
        # "…" rather than pushing the page wider than the window.
        self.me_box.setMaximumWidth(self.me_box.fontMetrics().horizontalAdvance("M" * 40))
        me = self._me_for(row)
        self.me_box.setCurrentIndex(max(0, self.me_box.findData(me)) if me else 0)
        self.me_box.blockSignals(False)
        self.me_box.setToolTip(tr(
            "An export does not say which of these people exported it. Choose your own name "
            "to show your messages on the right; this only changes how they are shown."))

    def _me_chosen(self) -> None:
        if self.row is None or self.row.id is None:
            return
        me = self.me_box.currentData()
        self.row = replace(self.row, me=me)
        self.model.set_me(me)
        self.list.viewport().update()
        self.me_chosen.emit(self.row.id, me)

    def clear(self) -> None:
        self.row = None
        self._measure_next.cancel()  # what waits holds the page's messages
        self.model.clear()
        self.delegate.forget_sizes()
        self.title.clear()
        self.facts.clear()
        self.notes.clear()
        self.message.clear()
        self.me_box.clear()
        self._current_moved()

    def say(self, text: str) -> None:
        self.message.setText(text)

    # ----- moving ---------------------------------------------------------------------------

    def _select_row(self, row: int) -> None:
        index = self.model.index(max(0, min(row, self.model.rowCount() - 1)))
        if index.isValid():
            self.list.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.list.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter
                               if row else QAbstractItemView.ScrollHint.PositionAtTop)

    def select_position(self, position: int) -> bool:
        row = self.model.row_of_position(position)
        if row is None:
            return False
        self._select_row(row)
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and isinstance(event, QKeyEvent) \
                and event.type() == QEvent.Type.KeyPress:
            key, modifiers = event.key(), event.modifiers()
            if modifiers == Qt.KeyboardModifier.ControlModifier \
                    and key in (Qt.Key.Key_Home, Qt.Key.Key_End):
                return self._to_end(last=key == Qt.Key.Key_End)
            if modifiers == Qt.KeyboardModifier.NoModifier and key in _READING_KEYS:
                return self._read_within(event)
        return super().eventFilter(watched, event)

    def _read_within(self, event: QKeyEvent) -> bool:
        """A message taller than the list: the keys that go to the next or the previous one
        first scroll through it, and going up into one shows its end first. The list's own
        move showed only its top, then jumped to the next, so lines in the middle of a long
        message were never on screen (and Page Down did not move at all, below)."""
        key, index = event.key(), self.list.currentIndex()
        rect = self.list.visualRect(index)
        height = self.list.viewport().height()
        down = key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown)
        unseen = rect.bottom() + 1 - height if down else -rect.top()
        if index.isValid() and rect.height() > height and rect.bottom() >= 0 \
                and rect.top() < height and unseen > 0:  # tall, in sight, not read to its end
            line = self.list.fontMetrics().lineSpacing()
            step = 3 * line if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) else height - 2 * line
            bar = self.list.verticalScrollBar()
            bar.setValue(bar.value() + (1 if down else -1) * min(max(step, line), unseen))
            return True
        self.list.event(event)  # the list's own move (past this filter)...
        moved = self.list.currentIndex()
        if moved == index and index.isValid() and key in (Qt.Key.Key_PageDown,
                                                          Qt.Key.Key_PageUp):
            # ...which, for a page, finds no message a page away when the next one is taller
            # than the list, and stayed put: Page Down stopped there for good.
            near = self.model.index(index.row() + (1 if down else -1))
            if near.isValid():
                self.list.setCurrentIndex(near)
                moved = near
        rect = self.list.visualRect(moved)
        if not down and moved != index and rect.height() > height:
            # ...then the end of a tall message, where reading upwards goes on from (Qt's
            # PositionAtBottom shows the top of a row taller than the list)
            bar = self.list.verticalScrollBar()
            bar.setValue(bar.value() + rect.bottom() + 1 - height)
        return True

    def _to_end(self, *, last: bool) -> bool:
        """The first or the last message of the whole conversation. The list's own keys stop
        at the first or last message held, a page or two from where the person was: in a
        long chat, Ctrl+End stopped in the middle, never at the latest message."""
        model = self.model
        if model.conversation is None:
            return False
        held = model.first + model.rowCount() >= model.total if last else model.first == 0
        if held:
            return False  # the list's own key reaches it
        model.open(model.conversation, model.total, model.total - 1 if last else 0)
        return True

    def _scrolled(self, value: int) -> None:
        if value <= self.list.verticalScrollBar().singleStep() and self.model.can_fetch_before():
            self.model.fetch_before()

    def _measure_then(self, rows: list[MessageRow], before: MessageRow | None,
                      ready: Callable[[], None]) -> None:
        """Measure a page's bubbles a few at a time, letting the window paint and take input
        between, then let the rows in: measured in the layout that follows their arrival,
        150 of them took up to 36 ms (benchmarks/bench_chat_view.py)."""
        if not rows:
            ready()
            return
        chunk, rest = rows[:MEASURED_AT_ONCE], rows[MEASURED_AT_ONCE:]
        self.delegate.measure(chunk, before)
        self._measure_next.call((lambda: self._measure_then(rest, chunk[-1], ready)) if rest
                                else ready)

    def _hold_place(self) -> None:
        """A page comes in and one may go, above or below what is shown: remember the
        message at the top..."""
        top = self.list.indexAt(QPoint(4, 4))
        message = self.model.message_at(top.row()) if top.isValid() else None
        self._anchor = None if message is None else (
            message.position, self.list.visualRect(top).top())

    def _keep_place(self) -> None:
        """...and keep it where it was, so the text does not jump under the person's eyes.
        Once per page: placing it lays out every row held, the costly part of a page."""
        anchor, self._anchor = self._anchor, None
        row = None if anchor is None else self.model.row_of_position(anchor[0])
        if anchor is None or row is None:
            return
        self.list.scrollTo(self.model.index(row), QAbstractItemView.ScrollHint.PositionAtTop)
        bar = self.list.verticalScrollBar()
        bar.setValue(bar.value() - anchor[1])

    def selected_message(self) -> MessageRow | None:
        index = self.list.currentIndex()
        return self.model.message_at(index.row()) if index.isValid() else None

    def _current_moved(self) -> None:
        message = self.selected_message()
        self.add_button.setEnabled(message is not None)
        self.attachment_button.setEnabled(
            message is not None and any(a.evidence_id is not None for a in message.attachments))
        index = self.list.currentIndex()
        if index.isValid() and index.row() == 0 and self.model.can_fetch_before():
            self.model.fetch_before()

    # ----- actions on the selected message --------------------------------------------------

    def add_selected(self, kind: str) -> None:
        message = self.selected_message()
        if message is not None:
            self.to_timeline.emit(message.id, kind)

    def open_attachment(self) -> None:
        """Enter or the button: the one attachment kept; with several, a menu to choose."""
        message = self.selected_message()
        kept = [a for a in message.attachments if a.evidence_id is not None] if message else []
        if not kept:
            if message is not None and message.attachments:
                self.say(tr("The export did not hold this attachment's file, so there is "
                            "nothing to open. The message still records that it was sent."))
            return
        if len(kept) == 1 and kept[0].evidence_id is not None:
            self.open_evidence.emit(kept[0].evidence_id)
            return
        menu = QMenu(self)
        for attachment in kept:
            evidence_id = attachment.evidence_id or 0
            menu.addAction(visible_line(attachment.path), self._opener(evidence_id))
        rect = self.list.visualRect(self.list.currentIndex())
        menu.popup(self.list.viewport().mapToGlobal(rect.center()))

    def _opener(self, evidence_id: int) -> Callable[[], None]:
        return lambda: self.open_evidence.emit(evidence_id)

    def _adder(self, kind: str) -> Callable[[], None]:
        return lambda: self.add_selected(kind)

    def _context_menu(self, point: QPoint) -> None:
        index = self.list.indexAt(point)
        if not index.isValid():
            return
        self.list.setCurrentIndex(index)
        message = self.selected_message()
        if message is None:
            return
        menu = QMenu(self)
        menu.addAction(tr("Add to timeline"), lambda: self.add_selected(TimelineKind.OTHER))
        for kind, words in ((TimelineKind.THREAT, tr("Add to timeline as a threat")),
                            (TimelineKind.DEMAND, tr("Add to timeline as a demand for money")),
                            (TimelineKind.FIRST_CONTACT,
                             tr("Add to timeline as the first contact"))):
            menu.addAction(words, self._adder(kind))
        for attachment in message.attachments:
            if attachment.evidence_id is not None:
                evidence_id = attachment.evidence_id
                menu.addAction(tr("Open {name}").format(name=visible_line(attachment.path)),
                               self._opener(evidence_id))
        menu.popup(self.list.viewport().mapToGlobal(point))
