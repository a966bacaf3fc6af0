"""What the "Found in this picture" section says: its heading, and the line under it on how
far reading went, for a picture, a PDF document, a chat export or a saved e-mail."""

from __future__ import annotations

from app.core.pictures import OcrStatus
from app.core.reading import Reading, Suggestion, TextSource
from app.i18n import tr
from app.models import ChatReadStatus, SuggestionState
from app.text_safety import visible_line


def heading_words(source: TextSource | None) -> tuple[str, str]:
    """(the heading, the accessible name of the list of details under it)."""
    if source is not None and source.email:
        return tr("Found in this e-mail"), tr("Details found in this e-mail")
    if source is not None and source.chat is not None:
        return tr("Found in this chat's messages"), tr("Details found in this chat's messages")
    if source is not None and source.document:
        return tr("Found in this document"), tr("Details found in this document")
    return tr("Found in this picture"), tr("Details found in this picture")


def picture_words(reading: Reading | None, found: list[Suggestion]) -> str:
    if reading is None:
        return tr("Safekeep has not read the text in this picture yet. It does this by "
                  "itself, on this computer, after pictures are added.")
    if reading.status is not OcrStatus.OK:
        return tr("Safekeep could not read the text in this picture. The picture itself "
                  "is kept safely, unchanged.")
    if not _any_left(found):
        return tr("No usernames, links, numbers or other details were found in this "
                  "picture's text.")
    return tr("Please check each one against the picture: reading by computer can "
              "mistake one letter for another.")


def document_words(reading: Reading | None, found: list[Suggestion]) -> str:
    """The same for a PDF: its text is read as it is written (a page without text, such as
    a scan, by text recognition)."""
    if reading is None:
        return tr("Safekeep has not read the text in this document yet. It does this by "
                  "itself, on this computer, after files are added.")
    if reading.status is OcrStatus.LOCKED:
        return tr("This document is locked with a password, so Safekeep could not read its "
                  "text. The file itself is kept safely, unchanged. The police can open it "
                  "if you give them the password.")
    if reading.status is OcrStatus.TOO_LARGE:
        return tr("This document is too large for Safekeep to read its text. The file "
                  "itself is kept safely, unchanged.")
    if reading.status is not OcrStatus.OK:
        return tr("Safekeep could not read the text in this document. The file itself is "
                  "kept safely, unchanged.")
    if reading.page is None or not reading.page.words:
        return tr("This document has no text that Safekeep could read.")
    if not _any_left(found):
        return tr("No usernames, links, numbers or other details were found in this "
                  "document's text.")
    return tr("Please check each one against the document.")


def chat_words(source: TextSource, found: list[Suggestion]) -> str:
    if source.chat is ChatReadStatus.NEEDS_DATE_ORDER:
        return tr("Safekeep looks through this chat's messages once they are read. First "
                  "choose how its dates are written, on the Chats tab.")
    if source.chat is ChatReadStatus.UNREADABLE:
        # Why, as reading said it: for Instagram's HTML download, what to ask for instead.
        why = visible_line(source.note)
        if source.email:
            said = tr("This e-mail could not be read, so it was not looked through. The file "
                      "itself is kept safely, unchanged.")
        else:
            said = tr("This chat export could not be read, so its messages were not looked "
                      "through. The file itself is kept safely, unchanged.")
        return f"{said} {why}" if why else said
    if source.chat is ChatReadStatus.READING:
        return tr("Safekeep is reading this chat's messages. It looks through them for "
                  "usernames, numbers and links next.")
    if not source.looked_through:
        return tr("Safekeep is looking through this chat's messages for usernames, "
                  "numbers and links. It does this by itself, on this computer.")
    if not _any_left(found):
        return tr("No usernames, links, numbers or other details were found in this "
                  "e-mail.") if source.email else tr(
            "No usernames, links, numbers or other details were found in this chat's "
            "messages.")
    return tr("Found by the same rules as for pictures. Please check each one against the "
              "e-mail.") if source.email else tr(
        "Found in the messages by the same rules as for pictures. Please check each one "
        "against the message it came from.")


def _any_left(found: list[Suggestion]) -> bool:
    return any(s.state is not SuggestionState.DISMISSED for s in found)
