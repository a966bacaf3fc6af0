"""Offline help: who can help (numbers only, no links), saving whole conversations from each
app, staying safe, and the keyboard. The contacts and the chat-saving steps come from the
shipped advice pack (with their sources), so they are written and checked in one place.

There are deliberately no links: a click would open a browser, which leaves history, and
Safekeep never goes online. Numbers are selectable so they can be copied.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.ui.kit.calm_dialog import CalmDialog
from app.ui.kit.screen_fit import fit_to_screen
from app.ui.kit.titles import set_title
from app.ui.shell.safety import make_quick_exit_button


def _label(text: str, parent: QWidget, *, bold: bool = False, scale: float = 1.0) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # never links, never markup
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    if bold or scale != 1.0:
        font = QFont(label.font())
        font.setBold(bold)
        font.setPointSizeF(font.pointSizeF() * scale)
        label.setFont(font)
    return label


SAVE_CHATS_STEP = "save-whole-chats"  # the advice pack's step that says how to save a chat


def _save_chats_step() -> tuple[str, str] | None:
    """(title, body) of the pack's step on saving whole conversations, if the pack has it."""
    from app.core.guidance import shipped_pack

    item = shipped_pack().item(SAVE_CHATS_STEP)
    return None if item is None else (item.title, item.body)


def _contacts(under_18: bool | None) -> list[tuple[str, str | None, str, str]]:
    """(name, number, how, for whom) from the shipped advice pack, for this case if known."""
    from app.core.guidance import ChecklistContext, applicable_contacts, shipped_pack

    pack = shipped_pack()
    contacts = (list(pack.contacts) if under_18 is None
                else applicable_contacts(pack, ChecklistContext(under_18=under_18)))
    return [(c.name, c.number, c.how, c.audience) for c in contacts]


class HelpDialog(CalmDialog):
    """Help, beside the case (not modal). It is tall, and can cover the Quick exit button of
    the window it was opened from (all of the passphrase question, on a small screen), so with
    `on_quick_exit` it has its own, beside the 999 line: both stay in sight as the rest
    scrolls."""

    def __init__(self, parent: QWidget | None = None, *, under_18: bool | None = None,
                 on_quick_exit: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        set_title(self, tr("Help"))
        self.setObjectName("HelpDialog")
        danger = _label(tr("If you are in danger right now, call 999."), self, bold=True,
                        scale=1.15)

        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setSpacing(6)
        layout.addWidget(_label(tr("What is happening is a crime, and it is not your fault. "
                                   "Do not pay, and stop replying. Keep the evidence here."),
                                body))

        layout.addSpacing(8)
        layout.addWidget(_label(tr("Who can help"), body, bold=True, scale=1.1))
        for name, number, how, audience in _contacts(under_18):
            layout.addSpacing(4)
            # A number is never broken over two lines ("116" then "123") in a narrow window.
            title = f"{name}: {number.replace(' ', chr(0xA0))}" if number else name
            layout.addWidget(_label(title, body, bold=True))
            layout.addWidget(_label(how, body))
            if audience:
                layout.addWidget(_label(tr("For: {who}").format(who=audience), body))

        saving = _save_chats_step()
        if saving is not None:
            layout.addSpacing(8)
            layout.addWidget(_label(saving[0], body, bold=True, scale=1.1))
            self.save_chats = _label(saving[1], body)
            self.save_chats.setObjectName("SaveChatsSteps")
            layout.addWidget(self.save_chats)

        layout.addSpacing(8)
        layout.addWidget(_label(tr("Staying safe with Safekeep"), body, bold=True, scale=1.1))
        for line in (
            tr("Quick exit: press Esc twice, or Shift three times, or the red Quick exit "
               "button. Safekeep hides at once, locks the case and closes."),
            tr("Safekeep locks itself after a few minutes without use, and when the computer "
               "locks or goes to sleep. You can change the time in Settings."),
            tr("Everything is kept in one encrypted case file. Nothing is sent anywhere."),
            tr("Safekeep reads the text in your pictures and the messages in your chat "
               "exports on this computer, to find usernames, links and numbers police ask for. "
               "It only suggests them: check each one against the picture or the message "
               "before adding it."),
            tr("What Safekeep cannot protect against: spying software on this computer (for "
               "example a program that records keys or the screen), a clipboard manager that "
               "keeps copies of what you copy, or someone watching over your shoulder. If you "
               "are worried about this, use a device only you use."),
        ):
            layout.addWidget(_label(line, body))

        layout.addSpacing(8)
        layout.addWidget(_label(tr("Keyboard"), body, bold=True, scale=1.1))
        for line in (
            tr("Esc, Esc (or Shift three times): quick exit"),
            tr("Ctrl+L: lock the case"),
            tr("Ctrl+E: prepare the bundle for police"),
            tr("Ctrl+O: add files as evidence"),
            tr("Ctrl+F: search the case"),
            tr("Ctrl+Tab: next part of the case"),
        ):
            layout.addWidget(_label(line, body))
        layout.addStretch(1)

        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.setContentsMargins(layout.contentsMargins().left(), 0, 0, 0)  # lined up with the rest
        top.addWidget(danger, 1)
        self.quick_exit_button: QPushButton | None = None
        if on_quick_exit is not None:
            # Made last, so it is last on Tab (after Close) as in the passphrase question.
            self.quick_exit_button = make_quick_exit_button(self, on_quick_exit)
            top.addWidget(self.quick_exit_button, 0, Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.addLayout(top)
        outer.addWidget(scroll, 1)
        outer.addWidget(buttons)
        fit_to_screen(self, 600, 640)


def help_key(window: QWidget, show_help: Callable[[], object]) -> None:
    """F1 opens Help, with its phone numbers, from the welcome window and the passphrase
    question too, not only from the main window (once per window). The session adds it once
    the first window has shown: the key's types would cost the first window time."""
    if not window.property("safekeepHelpKey"):
        QShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents), window, show_help)
        window.setProperty("safekeepHelpKey", True)
