"""`safekeep add-evidence`: add files or folders as evidence, one line (or JSON item) each;
`safekeep edit-evidence`: mark an item sensitive (or not), describe it, name its platform;
`safekeep remove-evidence`: take an item out, with the reason the audit log keeps."""

import argparse
from dataclasses import asdict

from app.cli.chats import date_order_option, find_details_in_chats, found_line, parse_date_order
from app.cli.command import Command
from app.cli.common import ITEM_HELP, evidence_id_of, json_option, open_case, print_json, say
from app.errors import EXIT_OK, EXIT_PROBLEM_FOUND, InvalidInput, StorageError
from app.i18n import tr


def _evidence_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", metavar="FILE|DIR", nargs="+",
                   help="files, or folders (every file in them is added)")
    p.add_argument(
        "--sensitive",
        action="store_true",
        help="intimate images: hidden until revealed, left out of bundles by default",
    )
    p.add_argument("--note", default="", help="a description for every file added")
    date_order_option(p)
    json_option(p)


def cmd_add_evidence(args: argparse.Namespace) -> int:
    from app.core.intake import ChatReading, ImportOutcome, import_paths

    chats: list[ChatReading] = []
    reported: list[ImportOutcome] = []  # each once its group is committed
    with open_case(args) as case:
        try:
            outcomes = import_paths(case, args.paths, sensitive=args.sensitive,
                                    note=args.note,
                                    date_order=parse_date_order(args.date_order),
                                    on_chat=chats.append, on_outcome=reported.append)
        except (KeyboardInterrupt, StorageError) as stopped:
            # Stopped with Ctrl+C, or by a disk with no more room: what is already kept is
            # said before the reason, so the person knows which files are in the case (adding
            # them again is harmless).
            if not args.json:
                for outcome in reported:
                    say(outcome.line())
                if isinstance(stopped, KeyboardInterrupt):
                    # The group being stored as the key was pressed may be kept too, unsaid.
                    say(tr("To carry on, add the same files again: what is already kept is "
                           "not added twice."))
            raise
        found = find_details_in_chats(case, chats)
    refused = [o for o in outcomes if o.status == "refused"]
    if args.json:
        print_json(
            {
                "items": outcomes,
                "added": sum(o.status == "added" for o in outcomes),
                "already_there": sum(o.status == "already-there" for o in outcomes),
                "refused": len(refused),
                "left_out": sum(o.status == "left-out" for o in outcomes),
                "chats": chats,
                "details_found_in_messages": found,
            }
        )
    else:
        readings = {reading.evidence_id: reading for reading in chats}
        for outcome in outcomes:
            say(outcome.line())
            if outcome.status == "added" and outcome.reason:
                say("  " + tr("Note: {note}").format(note=outcome.reason))
            reading = readings.pop(outcome.evidence_id or 0, None)
            if reading is not None:
                say(reading.line())
        if found:
            say(found_line(found))
    return EXIT_PROBLEM_FOUND if refused else EXIT_OK


def _edit_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("item", metavar="ITEM", help=ITEM_HELP)
    p.add_argument("--sensitive", choices=("yes", "no"),
                   help="intimate images: hidden until revealed, left out of bundles by default")
    p.add_argument("--description", metavar="TEXT",
                   help="what it shows (replaces the one it has)")
    p.add_argument("--platform", metavar="P",
                   help="where it comes from: Instagram, WhatsApp... ('' clears)")
    json_option(p)


def cmd_edit_evidence(args: argparse.Namespace) -> int:
    from app.core.records import case_summary, edit_evidence, exhibit_reference, get_evidence

    if args.sensitive is None and args.description is None and args.platform is None:
        raise InvalidInput(tr("Say what to change: --sensitive yes or no, --description or "
                              "--platform."))
    with open_case(args) as case:
        evidence_id = evidence_id_of(case, args.item)
        edit_evidence(case, evidence_id, description=args.description, platform=args.platform,
                      sensitive=None if args.sensitive is None else args.sensitive == "yes")
        item = get_evidence(case, evidence_id)
        exhibit = exhibit_reference(case_summary(case).producer_initials, item.exhibit_number)
    if args.json:
        print_json({"exhibit": exhibit, **asdict(item)})
        return EXIT_OK
    say(tr("Saved: {exhibit}, {name}.").format(exhibit=exhibit, name=item.original_name))
    if args.sensitive == "yes":
        say(tr("It is hidden in the window until shown, and left out of bundles unless you "
               "include sensitive items."))
    return EXIT_OK


def _remove_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("item", metavar="ITEM", help=ITEM_HELP)
    p.add_argument("--reason", required=True, metavar="TEXT",
                   help="why it leaves the case (for example: added by mistake); the audit log "
                        "keeps it with the item's SHA-256, so police can see it existed")
    json_option(p)


def cmd_remove_evidence(args: argparse.Namespace) -> int:
    from app.core.records import case_summary, exhibit_reference, get_evidence, remove_evidence

    reason = args.reason.strip()
    if not reason:  # the second answer the window asks for: a script gives it here
        raise InvalidInput(tr("Say why it leaves the case (--reason), so police can see why."))
    with open_case(args) as case:
        evidence_id = evidence_id_of(case, args.item)
        item = get_evidence(case, evidence_id)
        exhibit = exhibit_reference(case_summary(case).producer_initials, item.exhibit_number)
        remove_evidence(case, evidence_id, reason)
    if args.json:
        print_json({"removed": {"exhibit": exhibit, **asdict(item)}, "reason": reason})
        return EXIT_OK
    say(tr("Removed: {exhibit}, {name}. The audit log keeps its SHA-256 and your reason; its "
           "number is not used again.").format(exhibit=exhibit, name=item.original_name))
    return EXIT_OK


COMMANDS = (
    Command("add-evidence", "add files or folders as evidence", cmd_add_evidence,
            _evidence_arguments),
    Command("edit-evidence", "mark an item sensitive or not, describe it, name its platform",
            cmd_edit_evidence, _edit_arguments),
    Command("remove-evidence", "take an item out of the case, saying why",
            cmd_remove_evidence, _remove_arguments),
)
