"""`safekeep link` and `safekeep unlink`: link a saved detail, payment or event to evidence
items, or take a link made by mistake off, as the window's "Link to the selected evidence" and
"Unlink the selected evidence" do. A script could link a record only as it was added
(`--evidence`); a receipt added afterwards could not be linked to its payment."""

import argparse
import re
from collections.abc import Callable, Sequence
from typing import Any

from app.cli.command import Command
from app.cli.common import (
    ITEM_HELP,
    evidence_id_of,
    json_option,
    keyword,
    open_case,
    print_json,
    say,
)
from app.errors import EXIT_OK, NotFound
from app.i18n import tr
from app.models.casefile import CaseFile

KINDS = ("identifier", "payment", "event")
_RECORD = re.compile(r"#?([0-9]{1,18})")


def _record_id(text: str) -> int:
    found = _RECORD.fullmatch(text.strip())
    if found is None:
        raise argparse.ArgumentTypeError(
            tr("give its number as `safekeep list` shows it, like #3 or 3"))
    return int(found.group(1))


def _arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", type=keyword, choices=KINDS,
                   help="what to link: an offender's detail (identifier), a payment or a "
                        "timeline event")
    p.add_argument("record", metavar="ID", type=_record_id,
                   help="its number, as `safekeep list CASE identifiers` (payments, timeline) "
                        "shows it: #3, or 3")
    p.add_argument("items", metavar="ITEM", nargs="+", help=ITEM_HELP)
    json_option(p)


def _current_links(case: CaseFile, kind: str, record_id: int) -> tuple[int, ...]:
    from app.core.records import list_events, list_identifiers, list_payments

    readers: dict[str, Callable[[CaseFile], Sequence[Any]]] = {
        "identifier": list_identifiers, "payment": list_payments, "event": list_events}
    for row in readers[kind](case):
        if row.id == record_id:
            return tuple(row.evidence_ids)
    raise NotFound(_missing(kind, record_id))


def _missing(kind: str, record_id: int) -> str:
    words = {
        "identifier": tr("There is no offender's detail with number {id}. `safekeep list CASE "
                         "identifiers` shows their numbers."),
        "payment": tr("There is no payment with number {id}. `safekeep list CASE payments` "
                      "shows their numbers."),
        "event": tr("There is no timeline event with number {id}. `safekeep list CASE "
                    "timeline` shows their numbers."),
    }
    return words[kind].format(id=record_id)


def _save_links(case: CaseFile, kind: str, record_id: int, wanted: list[int]) -> None:
    from app.core.records import edit_event, edit_payment, link_identifier_evidence

    if kind == "identifier":
        link_identifier_evidence(case, record_id, wanted)
    elif kind == "payment":
        edit_payment(case, record_id, evidence_ids=wanted)
    else:
        edit_event(case, record_id, evidence_ids=wanted)


def _record_words(kind: str, record_id: int) -> str:
    words = {"identifier": tr("Offender's detail #{id}"), "payment": tr("Payment #{id}"),
             "event": tr("Timeline event #{id}")}
    return words[kind].format(id=record_id)


def _run(args: argparse.Namespace, *, unlink: bool) -> int:
    from app.core.records import exhibit_references, in_exhibit_order

    with open_case(args) as case:
        given = {evidence_id_of(case, item) for item in args.items}
        linked = set(_current_links(case, args.kind, args.record))
        wanted = sorted(linked - given if unlink else linked | given)
        changed = set(wanted) != linked
        if changed:
            _save_links(case, args.kind, args.record, wanted)
        refs = exhibit_references(case, wanted)
    exhibits = in_exhibit_order(refs.values())
    if args.json:
        print_json({"kind": args.kind, "id": args.record, "evidence": wanted,
                    "exhibits": exhibits, "changed": changed})
        return EXIT_OK
    record = _record_words(args.kind, args.record)
    if not changed:
        say(tr("Nothing changed: none of them was linked to it.") if unlink
            else tr("Nothing changed: it was already linked to them."))
    if exhibits:
        say(tr("{record} is linked to {exhibits}.").format(record=record,
                                                             exhibits=", ".join(exhibits)))
    else:
        say(tr("{record} is not linked to any evidence.").format(record=record))
    return EXIT_OK


def cmd_link(args: argparse.Namespace) -> int:
    return _run(args, unlink=False)


def cmd_unlink(args: argparse.Namespace) -> int:
    return _run(args, unlink=True)


COMMANDS = (
    Command("link", "link a saved detail, payment or event to evidence items", cmd_link,
            _arguments),
    Command("unlink", "take evidence items off a detail, payment or event (a link made by "
            "mistake)", cmd_unlink, _arguments),
)
