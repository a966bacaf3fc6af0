"""`safekeep read-chat`, `search` and `add-message-event`: reading a chat
export already in the case (when its date order had to be chosen, or its reading was
interrupted), finding messages, and putting one on the timeline."""

import argparse
from typing import TYPE_CHECKING

from app.cli.command import Command
from app.cli.common import (
    ITEM_HELP,
    evidence_id_of,
    json_option,
    keyword,
    message_number,
    open_case,
    print_json,
    say,
)
from app.errors import EXIT_OK, EXIT_PROBLEM_FOUND, InvalidInput
from app.i18n import tr, tr_n

if TYPE_CHECKING:
    from app.core.chats import DateOrder
    from app.core.intake import ChatReading
    from app.models.casefile import CaseFile

DATE_ORDERS = {"day-first": "day_first", "month-first": "month_first"}


def date_order_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--date-order", choices=sorted(DATE_ORDERS), default=None,
                   help="how a WhatsApp chat writes its dates, when they fit both "
                        "(03/04 is 3 April day first, March 4 month first)")


def parse_date_order(value: str | None) -> "DateOrder | None":
    from app.core.chats import DateOrder

    return None if value is None else DateOrder(DATE_ORDERS[value])


def find_details_in_chats(case: "CaseFile", readings: "list[ChatReading]") -> int:
    """Look for the offender's details in the messages just read; how many were found."""
    from app.core.reading import find_in_chats

    ids = [r.evidence_id for r in readings if r.status == "read"]
    return find_in_chats(case, ids=ids).found if ids else 0


def found_line(found: int) -> str:
    return tr_n("%n possible detail about the offender (a username, number or link) was "
                "found in the messages. See them with: safekeep ocr CASE",
                "%n possible details about the offender (usernames, numbers or links) were "
                "found in the messages. See them with: safekeep ocr CASE", found)


def _read_chat_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("item", metavar="ITEM", help=ITEM_HELP)
    date_order_option(p)
    json_option(p)


def cmd_read_chat(args: argparse.Namespace) -> int:
    from app.core.intake import read_chat

    with open_case(args) as case:
        args.item = evidence_id_of(case, args.item)
        reading, attachments = read_chat(case, args.item,
                                         date_order=parse_date_order(args.date_order))
        found = find_details_in_chats(case, [reading] if reading is not None else [])
    if reading is None:
        raise InvalidInput(tr("Evidence item {id} is not a chat export that Safekeep can read."
                              ).format(id=args.item))
    if args.json:
        print_json({"chat": reading, "items": attachments, "details_found_in_messages": found})
    else:
        say(tr("Evidence #{id}:").format(id=args.item))
        say(reading.line())
        for outcome in attachments:
            say(outcome.line())
        if found:
            say(found_line(found))
    return EXIT_OK if reading.status in ("read", "already-read") else EXIT_PROBLEM_FOUND


def _search_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("words", metavar="WORD", nargs="+",
                   help="every word must be in the message's text or sender")
    json_option(p)


def cmd_search(args: argparse.Namespace) -> int:
    from app.cli.lists import message_line
    from app.core.records import search_messages

    with open_case(args, record_open=False) as case:
        found = search_messages(case, " ".join(args.words))
    if args.json:
        print_json({"items": found})
        return EXIT_OK
    for row in found:
        say(message_line(row))
    if not found:
        say(tr("No message holds every one of those words."))
    return EXIT_OK


def _to_timeline_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("message", metavar="MESSAGE", type=message_number,
                   help="the message's number (`id` in `safekeep list CASE messages --json`)")
    p.add_argument("--kind", default="other", type=keyword,
                   help="the kind of event: first-contact, threat, demand, ... (default other)")
    json_option(p)


def cmd_add_message_event(args: argparse.Namespace) -> int:
    from app.core.records import add_message_to_timeline

    with open_case(args) as case:
        event_id = add_message_to_timeline(case, args.message, kind=args.kind)
    if args.json:
        print_json({"id": event_id})
    else:
        say(tr("Saved event #{id}.").format(id=event_id))
    return EXIT_OK


COMMANDS = (
    Command("read-chat", "read the messages of a chat export already in the case",
            cmd_read_chat, _read_chat_arguments),
    Command("search", "find messages read from chat exports, by text or sender", cmd_search,
            _search_arguments),
    Command("add-message-event", "put a message on the timeline: its time as written, who "
            "wrote it and what, linked to the chat export", cmd_add_message_event,
            _to_timeline_arguments),
)
