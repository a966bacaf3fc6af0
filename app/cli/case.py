"""`safekeep new`, `info` and `edit-case`: make a case, show what it holds, change its details."""

import argparse
from pathlib import Path

from app.cli.command import Command
from app.cli.common import (
    actor_of,
    json_option,
    kdf_profile_option,
    open_case,
    print_json,
    read_passphrase,
    say,
    warn_if_synced,
)
from app.errors import EXIT_OK, InvalidInput
from app.i18n import tr
from app.models.casefile import CaseFile
from app.synced_folders import case_file_sentence


def _new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", default="", help="a name or alias for the case")
    p.add_argument("--under-18", action="store_true", help="the person is under 18")
    kdf_profile_option(p)


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
    warn_if_synced(Path(args.case), case_file_sentence)
    return EXIT_OK


def cmd_info(args: argparse.Namespace) -> int:
    from app.core.records import case_summary

    with open_case(args, record_open=False) as case:
        summary = case_summary(case)
    if args.json:
        print_json(summary)
        return EXIT_OK
    for label, value in summary.lines():
        say(f"{label}: {value}")
    return EXIT_OK


def _edit_case_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--name", help="a name or alias for the case")
    p.add_argument("--crime-reference", help="the police crime reference number")
    p.add_argument("--caseworker", help="who is helping with this case")
    p.add_argument("--notes", help="anything else police should know")
    p.add_argument("--under-18", choices=("yes", "no"), help="the person is under 18")
    p.add_argument("--in-danger", choices=("yes", "no"), help="it is happening now")
    p.add_argument("--initials", metavar="AB",
                   help="the producer's initials for exhibit references (AB/1, AB/2...)")


def cmd_edit_case(args: argparse.Namespace) -> int:
    from app.core.records import case_summary, edit_case, last_bundle_marks

    def flag(value: str | None) -> bool | None:
        return None if value is None else value == "yes"

    if args.name is not None and not args.name.strip():
        raise InvalidInput(tr("Give the case a name or an alias, so you can tell it apart."))
    with open_case(args) as case:
        edit_case(case, display_name=args.name, crime_reference=args.crime_reference,
                  caseworker=args.caseworker, notes=args.notes, under_18=flag(args.under_18),
                  in_danger_now=flag(args.in_danger), producer_initials=args.initials)
        initials, last = case_summary(case).producer_initials, last_bundle_marks(case)
    say(tr("Saved."))
    if last is not None and last.initials != initials:
        # New initials, or a new name the initials come from: every exhibit's mark moves.
        say(tr("Note: the bundle made on {day} marked the exhibits {old}/1, {old}/2...; from "
               "now on they are {new}/1, {new}/2.... If police have that bundle, keep "
               "{old} (--initials {old}).").format(
            day=last.made_at.astimezone().date().isoformat(), old=last.initials, new=initials))
    return EXIT_OK


COMMANDS = (
    Command("new", "make a new, empty case file", cmd_new, _new_arguments),
    Command("info", "show what the case holds", cmd_info, json_option),
    Command(
        "edit-case",
        "change the case's name, crime reference, caseworker or notes",
        cmd_edit_case,
        _edit_case_arguments,
    ),
)
