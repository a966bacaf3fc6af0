"""`safekeep ocr`: read the text in pictures and documents (PDFs, text files) not read yet, look
through chat messages not looked through yet, then show every detail found in any of them."""

import argparse
import sys
from typing import TYPE_CHECKING, Any

from app.cli.command import Command
from app.cli.common import json_option, open_case, print_json, say
from app.errors import EXIT_OK
from app.i18n import tr, tr_n
from app.text_safety import visible_line

if TYPE_CHECKING:  # the OCR modules load only when `safekeep ocr` runs
    from app.core.reading import FromMessage, SuggestionGroup


def cmd_ocr(args: argparse.Namespace) -> int:
    from app.core.pictures import OcrPool
    from app.core.reading import (
        ReadingProgress,
        find_in_chats,
        kind_label,
        read_unread,
        require_engine,
        screenshot_tip,
        suggestion_groups,
    )
    from app.core.records import list_evidence

    require_engine()

    def show_progress(progress: ReadingProgress) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(
                "\r" + tr("Reading pictures and documents: {done} of {total}").format(
                    done=progress.done, total=progress.total
                )
            )
            sys.stderr.flush()

    with open_case(args) as case:
        in_chats = find_in_chats(case)
        with OcrPool() as pool:
            progress = read_unread(case, pool, on_progress=show_progress)
        if progress.total and sys.stderr.isatty():
            sys.stderr.write("\n")
        names = {item.id: item.original_name for item in list_evidence(case)}
        groups = suggestion_groups(case)
        tips = {
            evidence_id: tip
            for evidence_id in sorted(names)
            if (tip := screenshot_tip(case, evidence_id)) is not None
        }
    if args.json:
        print_json(
            {
                "read_now": progress.done,
                "found_now": progress.found + in_chats.found,
                "details": [_group_json(group, names) for group in groups],
                "tips": [{"evidence_id": i, "tip": tip} for i, tip in tips.items()],
            }
        )
        return EXIT_OK
    say(
        tr_n("Read %n new picture or document", "Read %n new pictures or documents",
             progress.done)
        + "; "
        + tr_n("found %n new detail.", "found %n new details.", progress.found)
    )
    if in_chats.exports:
        say(tr_n("Looked through the messages of %n chat export", "Looked through the "
                 "messages of %n chat exports", in_chats.exports) + "; "
            + tr_n("found %n new detail.", "found %n new details.", in_chats.found))
    for group in groups:
        where = ", ".join(f"#{i} {names.get(i, '')}" for i in group.evidence_ids)
        # As the window lists it: the platform, and a doubt about the reading.
        platform = f"  ({group.platform_to_show})" if group.platform_to_show else ""
        doubt = ("  [" + tr("hard to read: please check each letter") + "]"
                 if group.hard_to_read and not group.saved else "")
        saved = "  [" + tr("already in your details") + "]" if group.saved else ""
        say(f"{kind_label(group.kind)}: {group.value}{platform}{doubt}{saved}")
        say("    " + tr("seen in: {where}").format(where=where))
        for message in group.messages[:1]:
            say("    " + message_context(message))
    for evidence_id, tip in tips.items():
        say(f"#{evidence_id} {names.get(evidence_id, '')}: {tip}")
    return EXIT_OK


def _group_json(group: "SuggestionGroup", names: dict[int, str]) -> dict[str, Any]:
    return {
        "kind": group.kind,
        "value": group.value,
        "normalised": group.normalised,
        "platform": group.platform,
        "state": group.state.value,
        "hard_to_read": group.hard_to_read,
        "already_saved": group.saved,
        "suggestion_ids": list(group.suggestion_ids),
        "evidence": [{"id": i, "name": names.get(i, "")} for i in group.evidence_ids],
        # The chat message each chat export's sighting was first seen in.
        "messages": [{"message_id": m.message_id, "conversation": m.conversation,
                      "sender": m.sender, "sent_at": m.sent_at} for m in group.messages],
    }


def message_context(message: "FromMessage") -> str:
    """Where in a chat a detail was seen, on one line, hidden characters shown."""
    return tr("in a message from {sender} at {time} in \u201c{conversation}\u201d").format(
        sender=visible_line(message.sender or tr("the export itself")),
        time=message.sent_at, conversation=visible_line(message.conversation))


COMMANDS = (
    Command("ocr", "read the text in pictures and documents not read yet and show the details "
            "found", cmd_ocr, json_option),
)
