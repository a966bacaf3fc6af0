"""`safekeep checklist`: the police advice checklist, with what the case's records suggest;
`--done` and `--undo` tick an item or take the tick back."""

import argparse

from app.cli.command import Command
from app.cli.common import json_option, keyword, open_case, print_json, say
from app.errors import EXIT_OK
from app.i18n import tr


def _checklist_arguments(p: argparse.ArgumentParser) -> None:
    json_option(p)
    p.add_argument("--done", metavar="ITEM_ID", type=keyword,
                   help="tick a step, named as the list shows it (take-screenshots)")
    p.add_argument("--undo", metavar="ITEM_ID", type=keyword, help="untick a step")
    p.add_argument("--reference", default=None,
                   help="a reference to keep with the step, such as the crime reference")
    p.add_argument("--note", default=None, help="a note to keep with the step")


def cmd_checklist(args: argparse.Namespace) -> int:
    from app.core.guidance import checklist_state, mark_item

    with open_case(args, record_open=bool(args.done or args.undo)) as case:
        if args.done or args.undo:
            mark_item(
                case,
                args.done or args.undo,
                done=bool(args.done),
                reference=args.reference,
                note=args.note,
            )
        state = checklist_state(case)
    if args.json:
        print_json(
            {
                "progress": {
                    "done": state.progress.done,
                    "total": state.progress.total,
                    "next": state.progress.next_item_id,
                    "text": state.progress.text,
                },
                "items": [
                    {
                        "id": e.item.id,
                        "title": e.item.title,
                        "explanation": e.item.body,
                        "sources": list(e.item.sources),
                        "done": e.done,
                        "done_at": e.done_at,
                        "reference": e.reference,
                        "reference_label": e.item.reference_label,
                        "note": e.note,
                        "next": e.is_next,
                        "action": e.item.action,
                        # What the case's records say: an offer to tick, never a tick.
                        "applies": e.applies,
                        "not_needed": e.not_needed,
                        "case_shows_done": e.case_shows_done is not None,
                        "case_shows_done_reason": e.case_shows_done,
                    }
                    for e in state.entries
                ],
            }
        )
        return EXIT_OK
    say(state.progress.text)
    for entry in state.entries:
        mark = "[x]" if entry.done else ("[>]" if entry.is_next else "[ ]")
        if not entry.applies:
            mark = "[-]"
        label = entry.item.reference_label or tr("Reference number")
        ref = f"  ({label}: {entry.reference})" if entry.reference else ""
        say(f"{mark} {entry.item.id}: {entry.item.title}{ref}")
        if entry.not_needed:
            say(f"      {entry.not_needed}")
        elif entry.offer_tick:
            say("      " + tr("{reason} If this step is done, tick it with --done {id}").format(
                reason=entry.case_shows_done, id=entry.item.id))
    return EXIT_OK


COMMANDS = (
    Command("checklist", "show the police advice checklist, or tick an item", cmd_checklist,
            _checklist_arguments),
)
