"""The bodies of the command-line commands. Each takes parsed arguments, returns an exit code,
and prints either human lines or, with --json, exactly one JSON document on stdout."""

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from app.core.identifiers.normalise import IdentifierType
from app.errors import EXIT_OK, EXIT_PROBLEM_FOUND, InvalidInput
from app.i18n import tr
from app.models import PaymentMethod, PaymentStatus
from app.models.casefile import CaseFile, check_looks_like_case
from app.text_safety import escape_hidden, json_escape_hidden

IDENTIFIER_TYPES = [t.value for t in IdentifierType]
METHODS = [m.value for m in PaymentMethod]
STATUSES = [s.value for s in PaymentStatus]
LIST_KINDS = ["evidence", "identifiers", "payments", "timeline", "audit"]


# -- passphrases and opening ----------------------------------------------------------------


def _read_secret_file(path: str) -> str:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError:
        raise InvalidInput(tr("The passphrase file could not be read.")) from None
    first = text.splitlines()[0] if text else ""
    if not first:
        raise InvalidInput(tr("The passphrase file is empty."))
    return first


def read_passphrase(
    file: str | None,
    env: str = "SAFEKEEP_PASSPHRASE",
    *,
    confirm: bool = False,
    prompt: str = "Passphrase: ",
) -> str:
    if file:
        return _read_secret_file(file)
    if os.environ.get(env):
        return os.environ[env]
    if not sys.stdin.isatty():
        raise InvalidInput(
            tr(
                "No passphrase given. Set {env}, use --passphrase-file, or run this in a terminal."
            ).format(env=env)
        )
    first = getpass.getpass(tr(prompt))
    if confirm and getpass.getpass(tr("Type it again: ")) != first:
        raise InvalidInput(tr("The two passphrases are not the same. Nothing was changed."))
    return first


def actor_of(args: argparse.Namespace) -> str:
    if args.actor:
        return str(args.actor)
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"


def open_case(args: argparse.Namespace, *, record_open: bool = True) -> CaseFile:
    # Say "no case file here" before anyone types a passphrase for it.
    check_looks_like_case(Path(args.case))
    return CaseFile.open(
        args.case,
        read_passphrase(args.passphrase_file),
        actor=actor_of(args),
        record_open=record_open,
    )


# -- output ---------------------------------------------------------------------------------


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _jsonable(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def print_json(value: Any) -> None:
    # Exact values for scripts, but no character that could rewrite or reorder the terminal:
    # JSON's own escapes read back as the same text.
    document = json.dumps(_jsonable(value), ensure_ascii=False, indent=2)
    sys.stdout.write(json_escape_hidden(document) + "\n")


def safe_line(text: str) -> str:
    """Show hidden characters (app/text_safety.py) as escapes, so a crafted value can neither
    rewrite the terminal nor hide or reorder what is around it."""
    return escape_hidden(text)


def say(text: str) -> None:
    sys.stdout.write(safe_line(text) + "\n")


# -- commands -------------------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    from app.models import kdf

    passphrase = read_passphrase(args.passphrase_file, confirm=True)
    profile = args.kdf_profile or kdf.DEFAULT_PROFILE
    name = args.name or Path(args.case).stem
    case = CaseFile.create(
        args.case,
        passphrase,
        display_name=name,
        under_18=args.under_18,
        actor=actor_of(args),
        kdf_profile=profile,
    )
    case.close()
    say(
        tr("Created {path}. Keep the passphrase safe: it cannot be recovered.").format(
            path=args.case
        )
    )
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from app.core.records.summary import case_summary

    with open_case(args, record_open=False) as case:
        summary = case_summary(case)
    if args.json:
        print_json(summary)
        return EXIT_OK
    for label, value in summary.lines():
        say(f"{label}: {value}")
    return EXIT_OK


def cmd_edit_case(args: argparse.Namespace) -> int:
    from app.core.records.summary import edit_case

    def flag(value: str | None) -> bool | None:
        return None if value is None else value == "yes"

    if args.name is not None and not args.name.strip():
        raise InvalidInput(tr("Give the case a name or an alias, so you can tell it apart."))
    with open_case(args) as case:
        edit_case(case, display_name=args.name, crime_reference=args.crime_reference,
                  caseworker=args.caseworker, notes=args.notes, under_18=flag(args.under_18),
                  in_danger_now=flag(args.in_danger))
    say(tr("Saved."))
    return EXIT_OK


def cmd_add_identifier(args: argparse.Namespace) -> int:
    from app.core.records.identifiers import add_identifier

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


def cmd_add_payment(args: argparse.Namespace) -> int:
    from app.core.records.payments import add_payment

    paid_on = _parse_date(args.paid_on) if args.paid_on else None
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


def cmd_add_event(args: argparse.Namespace) -> int:
    from app.core.records.timeline import add_event

    try:
        when = datetime.fromisoformat(args.when)
    except ValueError:
        raise InvalidInput(tr("Give the time as YYYY-MM-DD or YYYY-MM-DDTHH:MM.")) from None
    with open_case(args) as case:
        event_id = add_event(
            case, when, args.description, kind=args.kind, approximate=args.approximate
        )
    if args.json:
        print_json({"id": event_id})
    else:
        say(tr("Saved event #{id}.").format(id=event_id))
    return EXIT_OK


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(tr("Give the date as YYYY-MM-DD, for example 2024-03-01.")) from None


def cmd_list(args: argparse.Namespace) -> int:
    from app.cli_lists import LISTERS

    with open_case(args, record_open=False) as case:
        rows, render = LISTERS[args.what](case)
    if args.json:
        print_json({"items": rows})
    else:
        for row in rows:
            say(render(row))
        if not rows:
            say(tr("Nothing here yet."))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from app.core.records.check import check_case

    with open_case(args, record_open=False) as case:
        report = check_case(case)
    assert report.audit is not None
    say(tr("Evidence items checked: {n}").format(n=report.evidence_checked))
    say(tr("Audit events checked: {n}").format(n=report.audit.events))
    for problem in report.problems:
        sys.stderr.write(f"safekeep: problem: {safe_line(problem)}\n")
    if report.ok:
        say(tr("Everything matches. Nothing has been changed since it was saved."))
        return EXIT_OK
    return EXIT_PROBLEM_FOUND


def cmd_passwd(args: argparse.Namespace) -> int:
    from app.models import kdf

    with open_case(args, record_open=False) as case:
        new = read_passphrase(
            args.new_passphrase_file,
            env="SAFEKEEP_NEW_PASSPHRASE",
            confirm=True,
            prompt="New passphrase: ",
        )
        case.change_passphrase(new, kdf_profile=args.kdf_profile or kdf.DEFAULT_PROFILE)
    say(tr("The passphrase was changed. Only the new one opens this case now."))
    return EXIT_OK


def cmd_add_evidence(args: argparse.Namespace) -> int:
    from app.core.intake.ingest import import_paths

    with open_case(args) as case:
        outcomes = import_paths(case, args.paths, sensitive=args.sensitive, note=args.note)
    refused = [o for o in outcomes if o.status == "refused"]
    if args.json:
        print_json(
            {
                "items": outcomes,
                "added": sum(o.status == "added" for o in outcomes),
                "already_there": sum(o.status == "already-there" for o in outcomes),
                "refused": len(refused),
            }
        )
    else:
        for outcome in outcomes:
            say(outcome.line())
            if outcome.status == "added" and outcome.reason:
                say("  " + tr("Note: {note}").format(note=outcome.reason))
    return EXIT_PROBLEM_FOUND if refused else EXIT_OK


def cmd_checklist(args: argparse.Namespace) -> int:
    from app.core.guidance.checklist import checklist_state, mark_item

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
        ref = f"  ({entry.item.reference_label}: {entry.reference})" if entry.reference else ""
        say(f"{mark} {entry.item.id}: {entry.item.title}{ref}")
        if entry.not_needed:
            say(f"      {entry.not_needed}")
        elif entry.offer_tick:
            say("      " + tr("{reason} If this step is done, tick it with --done {id}").format(
                reason=entry.case_shows_done, id=entry.item.id))
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "add-evidence": cmd_add_evidence,
    "checklist": cmd_checklist,
    "new": cmd_new,
    "info": cmd_info,
    "edit-case": cmd_edit_case,
    "add-identifier": cmd_add_identifier,
    "add-payment": cmd_add_payment,
    "add-event": cmd_add_event,
    "list": cmd_list,
    "check": cmd_check,
    "passwd": cmd_passwd,
}
