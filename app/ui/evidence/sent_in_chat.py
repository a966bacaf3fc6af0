"""Who sent a file kept from a chat export, and when, with a way to the message.

A photo kept from a WhatsApp ZIP, or added with the folder Telegram Desktop exported, has no
EXIF and no file time of its own: the message that sent it is what says when and by whom. Its
details showed none of it ("Photo taken: not known"), and nothing led from the photo to the
message.
"""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from shiboken6 import isValid

from app.core.chats import platform_name
from app.core.records import EvidenceRow, MessageRow, messages_sending
from app.i18n import tr, tr_n
from app.text_safety import visible_line
from app.ui.kit.controller import CaseController
from app.ui.kit.view_text import when_words
from app.ui.records.record_parts import wrapping_label


def sent_words(messages: list[MessageRow]) -> str:
    """"Sent in the chat “Anna” by Anna, 12 March 2025, 22:01 (WhatsApp)." and how many more
    times, for the first message that sent it."""
    first = messages[0]
    words = tr("Sent in the chat “{title}” by {sender}, {when} ({platform}).") if first.sender \
        else tr("Sent in the chat “{title}”, {when} ({platform}).")
    said = words.format(title=visible_line(first.conversation_title),
                        sender=visible_line(first.sender or ""), when=when_words(first.sent_at),
                        platform=platform_name(first.platform))
    if len(messages) > 1:
        said += " " + tr_n("It was sent %n more time.", "It was sent %n more times.",
                           len(messages) - 1)
    return said


class SentInChat(QWidget):
    message_requested = Signal(int)  # the message's id: its conversation, at it

    def __init__(self, controller: CaseController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._seq = 0
        self._message_id: int | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.words = wrapping_label()
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.words)
        self.message_button = QPushButton(tr("Show the message"))
        self.message_button.clicked.connect(self._show_message)
        layout.addWidget(self.message_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.hide()

    def show_for(self, item: EvidenceRow) -> None:
        self.clear()
        case = self._controller.case
        # Any item, not only files kept from a ZIP export: a photo added with the folder
        # Telegram left is linked to its message too. (One indexed query, off this thread.)
        if case is None:
            return
        seq = self._seq
        evidence_id = item.id
        self._controller.run(lambda _ctx: messages_sending(case, evidence_id),
                             on_result=lambda found: self._found(seq, found))

    def clear(self) -> None:
        self._seq += 1
        self._message_id = None
        self.words.clear()
        self.hide()

    def _found(self, seq: int, messages: list[MessageRow]) -> None:
        if not isValid(self) or seq != self._seq or not messages:
            return  # the person moved on, or no message names it (its export read again)
        self._message_id = messages[0].id
        self.words.setText(sent_words(messages))
        self.show()

    def _show_message(self) -> None:
        if self._message_id is not None:
            self.message_requested.emit(self._message_id)
