"""The Conversations tab: the list of the case's conversations, and one conversation open.

All reading and writing runs in the worker (`controller.run`): the list, each page of
messages, the date-order examples, reading an export whose date order was just chosen, and
putting a message on the timeline.
"""

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.core.chats import DateOrder
from app.core.intake import ChatReading, date_order_examples, read_chat
from app.core.records import (
    ConversationRow,
    MessageRow,
    add_message_to_timeline,
    exhibit_references,
    kind_label,
    list_conversations,
    message_page,
    message_place,
    set_conversation_me,
)
from app.i18n import tr
from app.models import TimelineKind
from app.models.casefile import CaseFile
from app.ui.chats.conversation_list import ConversationList
from app.ui.chats.conversation_page import ConversationPage
from app.ui.kit.controller import CaseController, DataArea
from app.ui.kit.when_shown import LoadWhenShown


def _conversations(case: CaseFile) -> tuple[list[ConversationRow], dict[int, str]]:
    """The conversations, and the exhibit reference of each one's chat export ("AB/3"), which
    an open conversation names as the report's transcript does."""
    rows = list_conversations(case)
    return rows, exhibit_references(case, (row.evidence_id for row in rows))

class ConversationsView(QWidget):
    navigate_requested = Signal(object, int)  # (DataArea.EVIDENCE, id): an attachment

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._rows: list[ConversationRow] = []
        self._exhibits: dict[int, str] = {}  # each chat export's exhibit reference, by its id
        self._seq = 0
        layout = QVBoxLayout(self)
        self.stack = QStackedWidget()
        self.conversations = ConversationList()
        self.page = ConversationPage(self._load_page)
        self.stack.addWidget(self.conversations)
        self.stack.addWidget(self.page)
        layout.addWidget(self.stack)

        self.conversations.open_requested.connect(self.open_conversation)
        self.conversations.examples_wanted.connect(self._find_examples)
        self.conversations.read_requested.connect(self._read_export)
        self.page.back_requested.connect(self.show_list)
        self.page.to_timeline.connect(self.add_to_timeline)
        self.page.me_chosen.connect(self.save_me)
        self.page.open_evidence.connect(
            lambda evidence_id: self.navigate_requested.emit(DataArea.EVIDENCE, evidence_id))
        self.loader = LoadWhenShown(self, controller, self.reload)  # when the tab shows
        controller.case_locked.connect(self.clear)
        controller.data_changed.connect(self._data_changed)

    # ----- the list -------------------------------------------------------------------------

    def reload(self, then: Callable[[], None] | None = None) -> None:
        case = self._controller.case
        if case is None:
            return
        self._seq += 1
        seq = self._seq

        def loaded(result: tuple[list[ConversationRow], dict[int, str]]) -> None:
            if seq != self._seq:
                return
            rows, self._exhibits = result
            self._rows = rows
            self.conversations.show_rows(rows)
            if then is not None:
                then()

        self._controller.run(lambda ctx: _conversations(case), on_result=loaded)

    def _data_changed(self, area: DataArea) -> None:
        if area in (DataArea.EVIDENCE, DataArea.MESSAGES, DataArea.CASE):  # CASE: initials
            self.loader.request()

    def show_list(self) -> None:
        self.stack.setCurrentWidget(self.conversations)
        self.conversations.focus_list()

    def clear(self) -> None:
        self._seq += 1
        self._rows, self._exhibits = [], {}
        self.conversations.say("")
        self.conversations.show_rows([])
        self.page.clear()
        self.stack.setCurrentWidget(self.conversations)

    # ----- one conversation -----------------------------------------------------------------

    def open_conversation(self, row: ConversationRow, at_position: int = 0) -> None:
        self.conversations.say("")
        self.stack.setCurrentWidget(self.page)
        self.page.show_conversation(row, at_position,
                                    exhibit=self._exhibits.get(row.evidence_id, ""))

    def _load_page(self, conversation: int, start: int, count: int,
                   done: Callable[[list[MessageRow]], None]) -> None:
        case = self._controller.case
        if case is None:
            return
        self._controller.run(lambda ctx: message_page(case, conversation, start, count),
                             on_result=done, on_error=self._page_failed)

    def _page_failed(self, message: str) -> None:
        self.page.model.load_failed()
        self.page.say(message)

    def show_message(self, message_id: int) -> bool:
        """Open the conversation holding this message, at it (a search hit)."""
        case = self._controller.case
        if case is None:
            return False

        def found(place: tuple[int, int] | None) -> None:
            if place is None:  # read again since it was found (new ids), or its export removed
                self.stack.setCurrentWidget(self.conversations)
                self.conversations.say(tr(
                    "That message is no longer in the case: its chat export may have been "
                    "read again or removed. Search for its words to find it."))
                return
            conversation, position = place
            row = next((r for r in self._rows if r.id == conversation), None)
            if row is not None:
                if self.page.row is not None and self.page.row.id == conversation \
                        and self.page.select_position(position):
                    self.stack.setCurrentWidget(self.page)
                    return
                self.open_conversation(row, position)
            else:  # the list is not read yet (the case just opened): read it, then open
                self.reload(then=lambda: found(place) if any(
                    r.id == conversation for r in self._rows) else None)

        self._controller.run(lambda ctx: message_place(case, message_id), on_result=found)
        return True

    def show_export(self, evidence_id: int) -> bool:
        """What was read from this chat export: its conversation open, or, when it holds
        several or its messages wait for something, its lines in the list, the first chosen."""
        if self._controller.case is None:
            return False

        def show() -> None:
            self.conversations.say("")  # a word on a message asked for before: gone
            rows = [r for r in self._rows if r.evidence_id == evidence_id]
            if len(rows) == 1 and rows[0].id is not None:
                self.open_conversation(rows[0])
            elif rows:
                self.stack.setCurrentWidget(self.conversations)
                self.conversations.choose(rows[0])

        self.reload(then=show)  # the list may not be read yet, or be out of date
        return True

    def save_me(self, conversation: int, me: str | None) -> None:
        """Keep the person's choice of their own name in the case; the list is read again,
        so the conversation opens with it."""
        case = self._controller.case
        if case is None:
            return
        self._controller.run(
            lambda ctx: set_conversation_me(case, conversation, me),
            on_result=lambda _none: self.reload(),
            on_error=lambda message: self.page.say(tr("Your choice was not kept.") + " "
                                                   + message))

    # ----- exports waiting ------------------------------------------------------------------

    def _find_examples(self, evidence_id: int) -> None:
        case = self._controller.case
        if case is not None:
            self._controller.run(
                lambda ctx: date_order_examples(case, evidence_id),
                on_result=lambda found: self.conversations.show_examples(evidence_id, found))

    def _read_export(self, evidence_id: int, order: DateOrder | None) -> None:
        case = self._controller.case
        if case is None:
            return
        self.conversations.waiting_label.setText(tr("Reading the messages…"))

        def done(result: tuple[ChatReading | None, object]) -> None:
            reading = result[0]
            if reading is not None and reading.attachments_kept:
                self._controller.data_changed.emit(DataArea.EVIDENCE)  # its pictures are items

        def failed(message: str) -> None:
            self.conversations.waiting_label.setText(tr("Not read yet.") + " " + message)

        self._controller.run(lambda ctx: read_chat(case, evidence_id, date_order=order),
                             changes=DataArea.MESSAGES, on_result=done, on_error=failed)

    # ----- the timeline ---------------------------------------------------------------------

    def add_to_timeline(self, message_id: int, kind: str) -> None:
        case = self._controller.case
        if case is None:
            return
        words = kind_label(TimelineKind(kind))
        self._controller.run(
            lambda ctx: add_message_to_timeline(case, message_id, kind=kind),
            changes=DataArea.TIMELINE,
            on_result=lambda event_id: self.page.say(tr(
                "On the timeline as “{kind}”. You can change it on the Timeline tab.").format(
                kind=words)),
            on_error=lambda message: self.page.say(tr("Not added yet.") + " " + message))
