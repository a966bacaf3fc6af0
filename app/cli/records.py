"""`safekeep add-identifier`, `add-payment`, `add-event` and `list`: the offender's details,
the payments, the timeline, and listing what the case holds."""

import argparse
from datetime import date, datetime

from app.cli.command import Command
from app.cli.common import json_option, keyword, open_case, print_json, print_json_items, say
from app.core.identifiers import IdentifierType
from app.errors import EXIT_OK, InvalidInput
from app.i18n import tr
from app.models import PaymentMethod, PaymentStatus

IDENTIFIER_TYPES = [t.value for t in IdentifierType]
METHODS = [m.value for m in PaymentMethod]
STATUSES = [s.value for s in PaymentStatus]
# What `list` shows; app.cli.lists has one lister for each (checked by a test).
LIST_KINDS = ["evidence", "identifiers", "payments", "timeline", "audit", "conversations",
              "messages"]


def _identifier_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "type",
        metavar="TYPE",
        type=keyword,
        choices=IDENTIFIER_TYPES,
        help="one of: " + ", ".join(IDENTIFIER_TYPES),
    )
    p.add_argument("value", metavar="VALUE")
    p.add_argument("--platform", default=None)
    p.add_argument("--note", default="")
    p.add_argument("--unsure", action="store_true", help="you are not sure this is right")
    p.add_argument(
        "--evidence",
        type=int,
        action="append",
        default=[],
        metavar="ID",
        help="link to an evidence item (repeat for more)",
    )
    json_option(p)


def cmd_add_identifier(args: argparse.Namespace) -> int:
    from app.core.records import add_identifier

    with open_case(args) as case:
        result = add_identifier(
            case,
            args.type,
            args.value,
            platform=args.platform,
            note=args.note,
            unsure=args.unsure,
            evidence_ids=args.evidence,
        )
    if args.json:
        print_json(result)
        return EXIT_OK
    say(f"{result.message} (#{result.identifier_id})")
    for warning in result.warnings:
        say(tr("Note: {warning}").format(warning=warning))
    return EXIT_OK


def _payment_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--amount", required=True)
    p.add_argument("--currency", default="GBP")
    p.add_argument("--method", required=True, type=keyword, choices=METHODS)
    p.add_argument("--reference", default="", help="MTCN, MoneyGram or bank reference")
    p.add_argument("--paid-on", default=None, metavar="YYYY-MM-DD",
                   help="the day paid, or YYYY-MM when only the month is known")
    p.add_argument("--status", default="unknown", type=keyword, choices=STATUSES)
    p.add_argument("--recipient", default="", help="the name the money was sent to")
    p.add_argument("--place", default="", help="where it was collected, if known")
    p.add_argument("--bank-told", action="store_true", help="you have told your bank")
    p.add_argument("--note", default="")
    json_option(p)


def cmd_add_payment(args: argparse.Namespace) -> int:
    from app.core.records import add_payment

    paid_on = _parse_paid_on(args.paid_on) if args.paid_on else None
    with open_case(args) as case:
        payment_id = add_payment(
            case,
            amount=args.amount,
            currency=args.currency,
            method=args.method,
            paid_on=paid_on,
            reference=args.reference,
            status=args.status,
            recipient_name=args.recipient,
            recipient_place=args.place,
            bank_told=args.bank_told,
            note=args.note,
        )
    if args.json:
        print_json({"id": payment_id})
    else:
        say(tr("Saved payment #{id}.").format(id=payment_id))
    return EXIT_OK


def _event_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--when",
        required=True,
        metavar="YYYY-MM-DDTHH:MM",
        help="local date and time (a best guess with --approximate if not sure)",
    )
    p.add_argument("--approximate", action="store_true", help="the time is not exact")
    p.add_argument("--kind", default="other", type=keyword)
    p.add_argument("description", metavar="TEXT")
    json_option(p)


def cmd_add_event(args: argparse.Namespace) -> int:
    from app.core.records import add_event

    try:
        when = datetime.fromisoformat(args.when)
    except ValueError:
        raise InvalidInput(tr("Give the time as YYYY-MM-DDTHH:MM, for example "
                              "2024-03-01T21:30.")) from None
    if len(args.when.strip()) <= len("YYYY-MM-DD"):
        # A date alone would be kept as midnight, a time nobody gave (and, in summer, the
        # day before in UTC on the officer's page): as in the window, a time is asked for.
        raise InvalidInput(tr("Add the time too, like {date}T21:30. Not sure of it? Give your "
                              "best guess and add --approximate.").format(date=args.when.strip()))
    with open_case(args) as case:
        event_id = add_event(
            case, when, args.description, kind=args.kind, approximate=args.approximate
        )
    if args.json:
        print_json({"id": event_id})
    else:
        say(tr("Saved event #{id}.").format(id=event_id))
    return EXIT_OK


def _parse_paid_on(text: str) -> date:
    """YYYY-MM-DD, or YYYY-MM for a month whose day is not known (a MonthOnly)."""
    from app.core.records import MonthOnly

    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        month = int(text[5:])
        if 1 <= month <= 12 and int(text[:4]) >= 1:
            return MonthOnly(int(text[:4]), month)
        raise InvalidInput(tr("Give the month as YYYY-MM, for example 2024-03."))
    return _parse_date(text)


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(tr("Give the date as YYYY-MM-DD, for example 2024-03-01.")) from None


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", type=keyword, choices=LIST_KINDS)
    json_option(p)


def cmd_list(args: argparse.Namespace) -> int:
    from app.cli.lists import LISTERS

    with open_case(args, record_open=False) as case:
        rows, render = LISTERS[args.what](case)  # messages stream while the case is open
        if args.json:
            print_json_items(rows)
            return EXIT_OK
        shown = 0
        for row in rows:
            say(render(row))
            shown += 1
    if not shown:
        say(tr("Nothing here yet."))
    return EXIT_OK


COMMANDS = (
    Command("add-identifier", "note something that identifies the offender", cmd_add_identifier,
            _identifier_arguments),
    Command("add-payment", "record a payment you made", cmd_add_payment, _payment_arguments),
    Command("add-event", "add an event to the timeline", cmd_add_event, _event_arguments),
    Command("list", "list what the case holds", cmd_list, _list_arguments),
)
