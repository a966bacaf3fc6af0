"""The offender's details in chat exports: the same rules as for pictures, run over the text
of every message, and over what the export itself says about a sender (a WhatsApp sender
saved by number, a Telegram account ID, a Snapchat username).

They become suggestions of the export's evidence item, each tied to the first message it
was seen in, and go through the same add-or-dismiss flow as details found in pictures.
Messages are streamed from the case, never held together; each detail is kept once per
export (up to MAX_DETAILS_PER_EXPORT: past that, a chat is not one person's details). A
choice the person made (added, dismissed) stays when the export is read again.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from app.core.chats import Platform
from app.core.identifiers import SITE_BY_PLATFORM, IdentifierType, normalise
from app.core.reading.kinds import CandidateKind
from app.core.records import audit, link_recognised
from app.i18n import tr
from app.models import (
    ChatConversation,
    ChatExportRead,
    ChatMessage,
    ChatReadStatus,
    SuggestionState,
    TextSuggestion,
)
from app.models.casefile import CaseFile

MAX_DETAILS_PER_EXPORT = 2_000
_ROWS_PER_FETCH = 5_000
# No rule finds anything in text without one of these (digits, "@", a dot, "live:", "snap:",
# "insta - x"): most chat messages ("ok", "why would you do this") are skipped unread.
_MAY_HOLD_DETAIL = re.compile(r"[0-9@.:_\-]")
# Marks a phone puts around a number shown as a sender ("\u202a+44 7911 123456\u202c").
_MARKS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069 "
_MAX_SENDER_CHARS = 100
_MRI_PREFIX = re.compile(r"\d+:")  # "28:concierge", a bot; "19:...@thread.skype", a group
# One export looked through at a time in this process: the window's background reader and an
# export of the bundle may both start on a chat export just added. The one that waits then
# finds it looked through and moves on, rather than reading 200,000 messages a second time.
_ONE_AT_A_TIME = threading.Lock()
_WAIT_STEP_S = 0.05


@dataclass(frozen=True)
class ChatDetailsProgress:
    exports: int  # exports looked through in this run
    messages: int
    found: int  # new details offered


@dataclass(frozen=True)
class _Seen:
    kind: CandidateKind
    value: str
    normalised: str
    platform: str | None
    message_id: int


def pending_exports(case: CaseFile) -> list[int]:
    """Chat exports read into the case whose messages were not looked through yet."""
    with case.read() as session:
        return list(session.scalars(
            select(ChatExportRead.evidence_id)
            .where(ChatExportRead.status == ChatReadStatus.READ.value,
                   ChatExportRead.details_found.is_(False))
            .order_by(ChatExportRead.evidence_id)))


def find_in_chats(case: CaseFile, *, ids: Iterable[int] | None = None,
                  should_stop: Callable[[], bool] = lambda: False) -> ChatDetailsProgress:
    """Look through every pending export (or those of `ids`). Stops between exports, or
    within one, soon after `should_stop()` turns true; an export not finished stays pending."""
    exports = messages = found = 0
    for evidence_id in pending_exports(case) if ids is None else list(ids):
        waited = not _ONE_AT_A_TIME.acquire(blocking=False)
        if waited and not _wait_for_turn(should_stop):
            break
        try:
            result = _find_in_export(case, evidence_id, should_stop, skip_if_done=waited)
        finally:
            _ONE_AT_A_TIME.release()
        if result is None:
            break
        exports, messages, found = exports + 1, messages + result[0], found + result[1]
    return ChatDetailsProgress(exports, messages, found)


def _wait_for_turn(should_stop: Callable[[], bool]) -> bool:
    """Hold the lock once another pass lets go of it; False (not held) if stopped first."""
    while not _ONE_AT_A_TIME.acquire(timeout=_WAIT_STEP_S):
        if should_stop():
            return False
    return True


def _find_in_export(case: CaseFile, evidence_id: int, should_stop: Callable[[], bool],
                    skip_if_done: bool = False) -> tuple[int, int] | None:
    """(messages looked at, new details) for one export, or None when stopped. With
    `skip_if_done`, an export another pass has just looked through is left as it is."""
    # Here, not at the top: the rules compile about 90 patterns, which the app's start-up (the
    # main window imports this package) does not need.
    from app.core.reading.candidates import find_in_text

    seen: dict[tuple[str, str], _Seen] = {}
    senders: dict[tuple[str, str | None, str | None], list[_Seen]] = {}
    count = 0
    query = (select(ChatMessage.id, ChatMessage.sender, ChatMessage.sender_id,
                    ChatMessage.text, ChatMessage.is_system, ChatConversation.platform)
             .join(ChatConversation, ChatConversation.id == ChatMessage.conversation_id)
             .where(ChatConversation.evidence_id == evidence_id)
             .order_by(ChatConversation.position, ChatMessage.position)
             .execution_options(yield_per=_ROWS_PER_FETCH))
    with case.read() as session:
        state = session.get(ChatExportRead, evidence_id)
        if state is None or state.status != ChatReadStatus.READ.value:
            return 0, 0
        if skip_if_done and state.details_found:
            return 0, 0
        read_at = state.updated_at  # if it is read again meanwhile, this pass is stale
        rows = session.execute(query)
        for message_id, sender, sender_id, text, is_system, platform in rows:
            count += 1
            if count % 1000 == 0 and should_stop():
                rows.close()
                return None
            if len(seen) >= MAX_DETAILS_PER_EXPORT:
                continue  # counted, not read: enough is enough
            if not is_system:
                key = (platform, sender, sender_id)
                if key not in senders:
                    senders[key] = _sender_details(platform, sender, sender_id, message_id)
                for item in senders[key]:
                    seen.setdefault((item.kind, item.normalised), item)
            if text and _MAY_HOLD_DETAIL.search(text):
                for c in find_in_text(text):
                    seen.setdefault((c.kind, c.normalised),
                                    _Seen(c.kind, c.value, c.normalised, c.platform, message_id))
    # One message may hold several details past the limit: the first ones are kept.
    return count, _store(case, evidence_id, read_at,
                         list(seen.values())[:MAX_DETAILS_PER_EXPORT])


def _sender_details(platform: str, sender: str | None, sender_id: str | None,
                    message_id: int) -> list[_Seen]:
    """What the export says about who sent a message, where it is an identifier. Names on
    Instagram and Messenger are display names, not usernames, and Discord's package holds
    only its owner's messages: those give nothing."""
    from app.core.reading.candidates import find_in_text  # see _find_in_export

    found: list[_Seen] = []
    name = (sender or "").strip(_MARKS)[:_MAX_SENDER_CHARS]
    if platform == Platform.WHATSAPP.value and name.startswith("+"):
        # A sender the phone had no contact for is shown as their number.
        found += [_Seen(c.kind, c.value, c.normalised, c.platform, message_id)
                  for c in find_in_text(name) if c.kind is IdentifierType.PHONE]
    elif platform == Platform.SNAPCHAT.value and name and name != tr("You (the account holder)"):
        site = SITE_BY_PLATFORM["Snapchat"]
        if site.handle_re.fullmatch(name):
            result = normalise(IdentifierType.USERNAME, name, site.platform)
            found.append(_Seen(IdentifierType.USERNAME, name, result.normalised,
                               result.platform, message_id))
    if platform == Platform.TELEGRAM.value and sender_id:
        # "user123456789": the account's number, which stays when the name changes.
        result = normalise(IdentifierType.OTHER, sender_id, "Telegram")
        found.append(_Seen(IdentifierType.OTHER, sender_id, result.normalised,
                           result.platform, message_id))
    if platform == Platform.SKYPE.value and sender_id:
        found += _skype_sender(name, sender_id, message_id)
    if platform == Platform.EMAIL.value and sender_id:  # the address on the From line
        result = normalise(IdentifierType.EMAIL, sender_id[:_MAX_SENDER_CHARS])
        found.append(_Seen(IdentifierType.EMAIL, sender_id[:_MAX_SENDER_CHARS],
                           result.normalised, result.platform, message_id))
    return found


def _skype_sender(name: str, sender_id: str, message_id: int) -> list[_Seen]:
    """A Skype sender's ID, which police ask for ("live:..."), and the name shown on their
    profile; a number for a sender who wrote from a phone. The download names the account
    holder's own messages apart (no ID), and a bot ("28:...") is nobody's account."""
    from app.core.reading.candidates import find_in_text  # see _find_in_export

    ident = sender_id.strip(_MARKS)[:_MAX_SENDER_CHARS]
    if ident.startswith("+"):
        return [_Seen(c.kind, c.value, c.normalised, c.platform, message_id)
                for c in find_in_text(ident) if c.kind is IdentifierType.PHONE]
    if not ident or _MRI_PREFIX.match(ident) or any(char.isspace() for char in ident):
        return []
    found = []
    for kind, value in ((IdentifierType.SKYPE_ID, ident), (IdentifierType.SKYPE_NAME, name)):
        if value and (kind is IdentifierType.SKYPE_ID or value.casefold() != ident.casefold()):
            result = normalise(kind, value, "Skype")
            found.append(_Seen(kind, value, result.normalised, result.platform, message_id))
    return found


def _store(case: CaseFile, evidence_id: int, read_at: datetime, found: list[_Seen]) -> int:
    """Replace the export's suggestions not acted on with `found`; details the person added
    or dismissed stay as they are, tied to the message now holding them. Returns how many
    new ones were offered."""
    with case.write() as session:
        state = session.get(ChatExportRead, evidence_id)
        if state is None or (state.status, state.updated_at) != (ChatReadStatus.READ.value,
                                                                 read_at):
            return 0  # removed, or read again, meanwhile: the next pass looks at it afresh
        session.execute(delete(TextSuggestion).where(
            TextSuggestion.evidence_id == evidence_id,
            TextSuggestion.state == SuggestionState.NEW.value))
        kept = {(kind, normalised): suggestion_id for suggestion_id, kind, normalised in
                session.execute(select(TextSuggestion.id, TextSuggestion.kind,
                                       TextSuggestion.normalised)
                                .where(TextSuggestion.evidence_id == evidence_id))}
        new = 0
        for item in found:
            if (item.kind, item.normalised) in kept:
                session.execute(update(TextSuggestion)
                                .where(TextSuggestion.id == kept[item.kind, item.normalised])
                                .values(message_id=item.message_id))
                continue
            session.add(TextSuggestion(
                evidence_id=evidence_id, kind=item.kind, value=item.value,
                normalised=item.normalised, platform=item.platform, boxes_json="[]",
                confidence=100.0, message_id=item.message_id))
            new += 1
        state.details_found = True
        audit(session, case.actor, "chat.find-details", f"evidence:{evidence_id}",
              {"found": new, "kept": len(kept)})
        session.flush()
        link_recognised(session, case.actor, evidence_id=evidence_id)
    return new
