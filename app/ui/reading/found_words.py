"""The words of the *Found in evidence* list: a detail found, and where it was seen."""

from app.core.reading import (
    CandidateKind,
    DetailKind,
    FromMessage,
    Suggestion,
    SuggestionGroup,
    kind_label,
    suggestion_groups,
)
from app.core.records import exhibit_references, in_exhibit_order
from app.i18n import tr, tr_n
from app.models.casefile import CaseFile
from app.text_safety import visible_line
from app.ui.kit.view_text import exhibits_or_count, when_words


def read_found(case: CaseFile) -> tuple[list[SuggestionGroup], dict[int, str]]:
    """The details found, and the exhibit reference of each item they were seen in."""
    groups = suggestion_groups(case)
    return groups, exhibit_references(case, (i for g in groups for i in g.evidence_ids))


def seen_words(group: SuggestionGroup, exhibits: dict[int, str]) -> str:
    """Where a detail was seen: the pictures by their exhibit references, as an officer asks
    about them (it had said "4 pictures"), or counted when many; chat exports counted."""
    parts = []
    if group.pictures:
        refs = in_exhibit_order(exhibits[i] for i in group.picture_ids if i in exhibits)
        parts.append(exhibits_or_count(refs, group.pictures, lambda n: tr_n(
            "%n picture", "%n pictures", n)))
    if group.document_ids:
        refs = in_exhibit_order(exhibits[i] for i in group.document_ids if i in exhibits)
        parts.append(exhibits_or_count(refs, len(group.document_ids), lambda n: tr_n(
            "%n document", "%n documents", n)))
    if group.export_ids:
        parts.append(tr_n("%n chat export", "%n chat exports", len(group.export_ids)))
    words = ", ".join(parts)
    if group.messages:  # the first message it was seen in: who sent it, and when
        words += "  · " + message_words(group.messages[0])
    return words


def row_words(group: SuggestionGroup) -> str:
    """A detail found, as its row in the list says it."""
    words = group.value
    if group.platform_to_show:
        words += f"  ({group.platform_to_show})"
    if group.hard_to_read and not group.saved:
        words += "  · " + tr("hard to read: please check each letter")
    if group.saved:
        words += "  ✓ " + tr("in your details")
    return words


def message_words(message: FromMessage) -> str:
    """Who sent the message a detail was seen in, and when, with its start: one line."""
    sender = visible_line(message.sender) if message.sender else tr("the export itself")
    text = visible_line(message.text)
    text = text if len(text) <= 80 else text[:79] + "…"
    # The day in words, as the Chats tab and Search say it ("2024-01-12 14:06:00+00:00" had
    # been shown as stored).
    return tr("{sender}, {time}: \u201c{text}\u201d").format(
        sender=sender, time=when_words(message.sent_at), text=text)


def where_it_goes(kind: CandidateKind) -> str | None:
    """Why "Add to details" is greyed for an amount or a time, and where it goes instead:
    the button had stayed grey with no word, and a person who had paid did not know where
    to write it down. None for a detail about the offender."""
    if kind is DetailKind.AMOUNT:
        return tr("An amount of money is not a detail about them. If money was paid, note it "
                  "on the Payments tab, with how it was sent and any MTCN.")
    if kind is DetailKind.DATE_TIME:
        return tr("A date or time is not a detail about them. To keep what happened then, "
                  "note it on the Timeline tab.")
    return None


def sighting_words(item: Suggestion) -> str:
    """One detail as a row of an item's own list ("Found in this picture")."""
    words = f"{kind_label(item.kind)}: {item.value}"
    if item.platform_to_show:  # as the Found in evidence tab says it
        words += f"  ({item.platform_to_show})"
    if item.message is not None:
        words += "\n    " + message_words(item.message)
    if item.kind is DetailKind.AMOUNT:  # why it cannot be added, on the row itself
        words += "  · " + tr("if paid, note it on the Payments tab")
    elif item.kind is DetailKind.DATE_TIME:
        words += "  · " + tr("to keep it, note it on the Timeline tab")
    if item.hard_to_read and not item.saved:
        words += "  · " + tr("hard to read: please check each letter")
    if item.saved:
        words += "  ✓ " + tr("in your details")
    return words


def finished_words(found: int, pictures: int, asked: bool) -> str | None:
    """What a reading run that ended says (None: nothing to say, it was not asked for)."""
    if found:
        return tr_n("Finished reading. %n new detail found.",
                    "Finished reading. %n new details found.", found)
    if pictures:
        return tr_n("Finished reading %n file. No new details in it.",
                    "Finished reading %n files. No new details in them.", pictures)
    if asked:
        return tr("Nothing is waiting to be read: each picture and document is read once, as "
                  "it is added. Nothing new was found.")
    return None


def show_words(group: SuggestionGroup | None) -> str:
    """The words of the button that shows where a detail was found."""
    chat_only = group is not None and not group.pictures and not group.document_ids
    if chat_only and group is not None and group.messages:
        return tr("Show the message")
    if chat_only:
        return tr("Show the chat export")
    if group is not None and not group.pictures:
        return tr("Show the document")
    return tr("Show the picture")
