"""`safekeep add-identifier`, `add-payment`, `add-event` and `list`: the offender's details,
the payments, the timeline, and listing what the case holds."""

import argparse
from datetime import date, datetime

from app.cli.command import Command
from app.cli.common import (
    evidence_id_of,
    json_option,
    keyword,
    open_case,
    print_json,
    print_json_items,
    say,
)
from app.core.identifiers import IdentifierType
from app.errors import EXIT_OK, InvalidInput
from app.i18n import tr
from app.models import PaymentMethod, PaymentStatus, TimelineKind

IDENTIFIER_TYPES = [t.value for t in IdentifierType]
METHODS = [m.value for m in PaymentMethod]
STATUSES = [s.value for s in PaymentStatus]
# What `list` shows; app.cli.lists has one lister for each (checked by a test).
LIST_KINDS = ["evidence", "identifiers", "payments", "timeline", "audit", "conversations",
              "messages"]


def _identifier_type(text: str) -> str:
    """A detail's type keyword; a platform or a word given instead is answered with the
    keyword meant ("instagram": a username with --platform Instagram), never taken as it."""
    key = keyword(text)
    if key in IDENTIFIER_TYPES:
        return key
    from app.core.identifiers import type_for_typed

    found = type_for_typed(text)
    if found is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a type of detail (one of: {', '.join(IDENTIFIER_TYPES)})")
    kind, platform = found
    where = f" with --platform {platform!r}" if platform else ""
    raise argparse.ArgumentTypeError(f"{text!r} is not a type of detail: did you mean "
                                     f"{kind.value}{where}?")


def _method(text: str) -> str:
    """A payment method keyword; a word or a name given instead ("bitcoin", "steam") is
    answered with the keyword meant."""
    key = keyword(text)
    if key in METHODS:
        return key
    from app.core.records import method_for_typed

    found = method_for_typed(text)
    meant = (f": did you mean {found.value}?" if found is not None
             else f" (one of: {', '.join(METHODS)})")
    raise argparse.ArgumentTypeError(f"{text!r} is not a way of paying{meant}")


def _identifier_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "type",
        metavar="TYPE",
        type=_identifier_type,
        choices=IDENTIFIER_TYPES,
        help="one of: " + ", ".join(IDENTIFIER_TYPES),
    )
    p.add_argument("value", metavar="VALUE",
                   help="the detail as they wrote it: a username, an e-mail address, a number...")
    p.add_argument("--platform", default=None,
                   help="where they used it: Instagram, Snapchat, WhatsApp...")
    p.add_argument("--note", default="", help="anything to remember about it")
    p.add_argument("--unsure", action="store_true", help="you are not sure this is right")
    _evidence_option(p)
    json_option(p)


def _evidence_option(p: argparse.ArgumentParser) -> None:
    """--evidence ITEM: a record linked to the evidence that shows it (a screenshot of their
    profile, the transfer's receipt), as the window links it."""
    p.add_argument(
        "--evidence",
        action="append",
        default=[],
        metavar="ITEM",
        help="link to an evidence item, by its number (#3 or 3) or exhibit reference (AB/3); "
             "repeat for more",
    )


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
            evidence_ids=[evidence_id_of(case, item) for item in args.evidence],
        )
    if args.json:
        print_json(result)
        return EXIT_OK
    say(f"{result.message} (#{result.identifier_id})")
    for warning in result.warnings:
        say(tr("Note: {warning}").format(warning=warning))
    if result.warnings:
        from app.core.reading import checked_with_retype

        better = checked_with_retype(args.type, args.value, args.platform).better_type
        if better is not None:
            say(tr("Note: it may be better saved as \u201c{type}\u201d (type {keyword})."
                   ).format(type=better.label, keyword=better.value))
    return EXIT_OK


def _payment_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--amount", required=True,
                   help="how much was paid, like 250 or 250.00 (\"£250\" and \"300 pounds\" are "
                        "read too)")
    p.add_argument("--currency", default="GBP",
                   help="a three-letter code, like GBP, EUR or USD (default GBP)")
    p.add_argument("--method", required=True, type=_method, choices=METHODS,
                   help="how it was paid")
    p.add_argument("--reference", default="", help="MTCN, MoneyGram or bank reference")
    p.add_argument("--paid-on", default=None, metavar="YYYY-MM-DD",
                   help="the day paid (or day first, 14/03/2025), or YYYY-MM when only the "
                        "month is known")
    p.add_argument("--status", default="unknown", type=keyword, choices=STATUSES,
                   help="whether the money was collected, if you know (default unknown)")
    p.add_argument("--recipient", default="", help="the name the money was sent to")
    p.add_argument("--place", default="", help="where it was collected, if known")
    p.add_argument("--bank-told", action="store_true", help="you have told your bank")
    p.add_argument("--bank-told-on", default=None, metavar="YYYY-MM-DD",
                   help="the day you told your bank (or day first, 14/03/2025, or today); "
                        "implies --bank-told")
    p.add_argument("--note", default="", help="anything else about this payment")
    _evidence_option(p)
    json_option(p)


def cmd_add_payment(args: argparse.Namespace) -> int:
    from app.core.records import add_payment, reference_warnings

    paid_on, read_as = _parse_paid_on(args.paid_on.strip()) if args.paid_on else (None, None)
    told_on = _parse_told_on(args.bank_told_on) if args.bank_told_on is not None else None
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
            bank_told=args.bank_told or told_on is not None,
            bank_told_on=told_on,
            note=args.note,
            evidence_ids=[evidence_id_of(case, item) for item in args.evidence],
        )
    # The hints the window gives under the reference (a 9-digit MTCN) and the date (in the
    # future): they were not said here.
    date_hints = [_date_hint(day) for day in (paid_on, told_on) if day is not None]
    warnings = [*reference_warnings(args.method, args.reference or ""), *date_hints]
    warnings = [warning for warning in warnings if warning]
    if args.json:
        print_json({"id": payment_id, "warnings": warnings})
    else:
        say(tr("Saved payment #{id}.").format(id=payment_id))
        if read_as:
            say(tr("Date read as: {when}").format(when=read_as))
        for warning in warnings:
            say(tr("Note: {warning}").format(warning=warning))
    return EXIT_OK


def _event_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--when",
        required=True,
        metavar="YYYY-MM-DDTHH:MM",
        help="local date and time, or day first as in the window (\"14/03/2025 21:30\"); a "
             "best guess with --approximate if not sure",
    )
    p.add_argument("--approximate", action="store_true", help="the time is not exact")
    p.add_argument("--kind", default="other", type=keyword,
                   help="one of: " + ", ".join(TimelineKind) + " (default other)")
    p.add_argument("description", metavar="TEXT", help="what happened, in your own words")
    _evidence_option(p)
    json_option(p)


def cmd_add_event(args: argparse.Namespace) -> int:
    from app.core.records import add_event

    when, read_as, about = _read_event_time(args.when.strip())
    with open_case(args) as case:
        event_id = add_event(
            case, when, args.description, kind=args.kind, approximate=args.approximate or about,
            evidence_ids=[evidence_id_of(case, item) for item in args.evidence])
    hint = _date_hint(when)  # the window's gentle question: a time in the future, say
    if args.json:
        print_json({"id": event_id, "warnings": [hint] if hint else []})
    else:
        say(tr("Saved event #{id}.").format(id=event_id))
        if read_as:
            say(tr("Time read as: {when}").format(when=read_as))
        if hint:
            say(tr("Note: {warning}").format(warning=hint))
    return EXIT_OK


def _date_hint(when: datetime | date) -> str:
    """What the window asks beside a date that may be a slip (in the future, long ago), for
    a time or a day given here; "" when there is nothing to ask. A month alone is not asked
    about."""
    from app.core.records import MonthOnly, When, hint_for

    if isinstance(when, MonthOnly):
        return ""
    if isinstance(when, datetime):
        local = when.astimezone().replace(tzinfo=None) if when.tzinfo else when
        return hint_for(When(local.date(), local.time()), now=datetime.now(),
                        typed_locally=when.tzinfo is None)
    return hint_for(When(when), now=datetime.now(), with_time=False)


def _read_event_time(text: str) -> tuple[datetime, str | None, bool]:
    """An ISO 8601 time (2024-03-01T21:30), as scripts give it; or a time typed as in the
    window, day first (01/03/2024 21:30, "yesterday 21:00"), then also said in words, so a
    person sees how it was read; and whether it was typed as not exact ("about 9pm")."""
    from app.core.records import describe, read_when

    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        if len(text) <= len("YYYY-MM-DD"):
            # A date alone would be kept as midnight, a time nobody gave (and, in summer, the
            # day before in UTC on the officer's page): as in the window, a time is asked for.
            raise InvalidInput(tr("Add the time too, like {date}T21:30. Not sure of it? Give "
                                  "your best guess and add --approximate.").format(date=text))
        return when, None, False
    try:
        typed = read_when(text, today=date.today())
    except InvalidInput as problem:
        raise InvalidInput(problem.message + " " + tr("Or give it as YYYY-MM-DDTHH:MM, like "
                                                      "2024-03-01T21:30.")) from None
    if typed.clock is None:
        raise InvalidInput(tr("Add the time too, like {date} 21:30. Not sure of it? Give your "
                              "best guess and add --approximate.").format(date=text))
    about = " " + tr("(about then)") if typed.about else ""
    return typed.at(), describe(typed) + about, typed.about


def _parse_paid_on(text: str) -> tuple[date, str | None]:
    """YYYY-MM-DD, or YYYY-MM for a month whose day is not known (a MonthOnly); or a day or a
    month typed as in the window (14/03/2025, "March 2025"), then also said in words."""
    from app.core.records import MonthOnly, describe, read_month, read_when

    if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
        month = int(text[5:])
        if 1 <= month <= 12 and int(text[:4]) >= 1:
            return MonthOnly(int(text[:4]), month), None
        raise InvalidInput(tr("Give the month as YYYY-MM, for example 2024-03."))
    try:
        return date.fromisoformat(text), None
    except ValueError:
        pass
    if (month_only := read_month(text)) is not None:
        return month_only, tr("{month} (the day is not known)").format(month=month_only.words())
    try:
        typed = read_when(text, today=date.today(), with_time=False)
    except InvalidInput as problem:
        raise InvalidInput(problem.message + " " + tr("Or give it as YYYY-MM-DD, or YYYY-MM for "
                                                      "a month alone.")) from None
    return typed.day, describe(typed, with_time=False)


def _parse_told_on(text: str) -> date:
    """A whole day (the bank was told on a day, not in a month): YYYY-MM-DD, or typed as in
    the window (2/12/2026, today)."""
    from app.core.records import read_when

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        pass
    again = tr("Give the day you told your bank as YYYY-MM-DD, for example 2026-12-02.")
    if not text.strip():
        raise InvalidInput(again)
    try:
        return read_when(text, today=date.today(), with_time=False).day
    except InvalidInput as problem:
        raise InvalidInput(problem.message + " " + again) from None


def _list_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("what", type=keyword, choices=LIST_KINDS, help="which part of the case")
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
