"""What an exhibit's continuity says of each audit event after its arrival: its record edited,
its text or messages read, and its links to identifiers, payments and events made or undone.
"""

from collections.abc import Callable, Iterable
from typing import Any

from app.core.identifiers import canonical_platform
from app.core.records import BY_TEXT_RECOGNITION
from app.export.exhibit_links import text_read_words
from app.export.formatting import one_line
from app.i18n import tr, tr_n

# The reason an edit gives for itself ("why"), as intake writes it: not a field that changed
# (it had been shown as one: "platform set to WhatsApp; why changed").
_FROM_CHAT = "the platform of the chat export read from it"


def evidence_change(action: str, details: dict[str, Any]) -> str | None:
    """What an event after an exhibit's arrival did to it, in words; None for one that tells
    an officer nothing (a reading begun, say)."""
    if action == "evidence.edit":
        return _edit_words(details)
    if action == "evidence.read-text":
        return text_read_words(str(details.get("engine", "")),
                               str(details.get("status"))) or None
    if action == "evidence.forget-text":
        return tr("the text read from it was cleared, to be read again")
    if action == "chat.read":
        return _chat_read_words(details)
    return None


def _edit_words(details: dict[str, Any]) -> str | None:
    parts = []
    for field, change in details.items():
        if field == "why":
            continue
        new = change[1] if isinstance(change, list) and len(change) == 2 else None
        if field == "sensitive":
            parts.append(tr("marked sensitive") if new else tr("no longer marked sensitive"))
        elif field == "description":
            parts.append(tr("description changed"))
        elif field == "platform":
            parts.append(tr("platform set to {p}").format(p=one_line(str(new), 60))
                         if new else tr("platform cleared"))
        else:
            parts.append(tr("{field} changed").format(field=field))
    if not parts:
        return None
    why = details.get("why")
    if why == _FROM_CHAT:
        return tr("{changes}, from the chat export read from it").format(changes="; ".join(parts))
    if isinstance(why, str) and why.strip():
        return f"{'; '.join(parts)} ({one_line(why, 120)})"
    return "; ".join(parts)


def _chat_read_words(details: dict[str, Any]) -> str:
    """A chat export's reading: the transcript in the report comes from it."""
    written = str(details.get("platform") or "")
    platform = canonical_platform(written) or one_line(written, 40) or tr("chat")
    conversations, messages = details.get("conversations"), details.get("messages")
    if not (_count(conversations) and _count(messages)):
        return tr("its messages were read as a {platform} export, on a working copy").format(
            platform=platform)
    assert isinstance(conversations, int) and isinstance(messages, int)
    words = tr("its messages were read as a {platform} export, on a working copy: "
               "{messages} in {conversations}").format(
        platform=platform, messages=tr_n("%n message", "%n messages", messages),
        conversations=tr_n("%n conversation", "%n conversations", conversations))
    kept = details.get("attachments_kept")
    if isinstance(kept, int) and _count(kept) and kept > 0:
        words += tr(", and {files} it holds kept as exhibits of their own").format(
            files=tr_n("%n attached file", "%n attached files", kept))
    return words


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def link_changes(kind: str, raw_id: str, action: str, details: dict[str, Any],
                  names: dict[int, str],
                  mark: Callable[[int], str]) -> Iterable[tuple[int, str]]:
    """(evidence id, text) for each exhibit an identifier, payment or event was linked to or
    unlinked from by this event."""
    added: list[Any] = []
    removed: list[Any] = []
    if action in ("identifier.add", "payment.add"):
        added = _ids(details.get("evidence"))
    elif action == "identifier.merge":
        added = _ids(details.get("linked_evidence"))
    elif action == "identifier.link":
        added, removed = _ids(details.get("added")), _ids(details.get("removed"))
    elif action in ("payment.edit", "timeline.edit", "timeline.add"):
        pair = details.get("evidence")
        if action == "timeline.add":
            links = details.get("links")
            pair = links.get("evidence") if isinstance(links, dict) else None
        if isinstance(pair, list) and len(pair) == 2:
            removed, added = _ids(pair[0]), _ids(pair[1])
    if not added and not removed:
        return []
    what = {
        "identifier": names.get(int(raw_id), tr("identifier {id} (since removed)").format(
            id=raw_id)) if raw_id.isdigit() else raw_id,
        "payment": tr("payment {id}").format(id=raw_id),
        "timeline": tr("timeline event {id}").format(id=raw_id),
    }.get(kind, raw_id)
    by_machine = details.get("by") == BY_TEXT_RECOGNITION
    out = [(i, tr("linked to {what} {found}").format(what=what, found=mark(i))
            if by_machine else tr("linked to {what}").format(what=what)) for i in added]
    out += [(i, tr("unlinked from {what}").format(what=what)) for i in removed]
    return out


def _ids(value: object) -> list[int]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, int) and not isinstance(v, bool)]


