"""The words of the evidence details pane that depend only on the item: how it came into the
case, and what is said of an item with no picture to show."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.core.chats import Platform
from app.core.reading import TEXT_TYPE
from app.core.records import EvidenceRow
from app.i18n import tr
from app.models import EvidenceSource


def source_words(source: str) -> str:
    """How the item came into the case, as its details say it (every EvidenceSource has its
    own words: a file kept from a chat export had said only "Added")."""
    words: dict[str, str] = {
        EvidenceSource.FILE: tr("Added from a file"),
        EvidenceSource.FOLDER: tr("Added with a whole folder"),
        EvidenceSource.CLIPBOARD: tr("Pasted from the clipboard"),
        EvidenceSource.SCREEN_CAPTURE: tr("Screenshot taken in Safekeep"),
        EvidenceSource.CHAT_EXPORT: tr("Kept from a chat export that held it"),
    }
    return words.get(source, tr("Added"))


def selectable_label(label: QLabel) -> QLabel:
    """`label` made one a person can select and copy from (a hash, a name), plain, wrapping."""
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                  | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)  # names come from criminals: never markup
    # A wrapped label asks to be as wide as its longest word: a file name with no space made
    # the pane ask for thousands of pixels, and the fields beside it went past the edge.
    label.setMinimumWidth(1)
    return label


def preview_words(item: EvidenceRow) -> str:
    """What the pane says of an item with no picture to show: what it is and where its
    contents are, then that the file is kept."""
    if item.preview_status in ("ok", "pending"):
        return ""
    if item.chat_platform == Platform.EMAIL.value:
        note = tr("An e-mail: its message is on the Chats tab.")
    elif item.chat_platform is not None:
        note = tr("A chat export: its messages are on the Chats tab.")
    elif item.preview_note:  # every preview's note says the file is kept, once
        return item.preview_note.rstrip()
    elif item.detected_type == TEXT_TYPE:
        note = tr("A text file: Safekeep reads its words and shows them below.")
    else:
        note = tr("There is no preview for this kind of file.")
    return tr("{note} The file itself is kept safely, unchanged.").format(note=note.rstrip())
