"""`safekeep check`, `passwd` and `copy`: looking after the case file itself, by checking every
hash and the audit chain, by changing its passphrase, and by saving a spare copy of it."""

import argparse

from app.cli.command import Command
from app.cli.common import (
    kdf_profile_option,
    open_case,
    read_passphrase,
    say,
    say_problem,
    warn_if_synced,
)
from app.errors import EXIT_OK, EXIT_PROBLEM_FOUND
from app.i18n import tr
from app.synced_folders import spare_copy_sentence


def cmd_check(args: argparse.Namespace) -> int:
    from app.core.records import check_case

    with open_case(args, record_open=False) as case:
        report = check_case(case)
    assert report.audit is not None
    say(tr("Evidence items checked: {n}").format(n=report.evidence_checked))
    say(tr("Audit events checked: {n}").format(n=report.audit.events))
    for problem in report.problems:
        say_problem(problem)
    if report.ok:
        say(tr("Everything matches. Nothing has been changed since it was saved."))
        return EXIT_OK
    return EXIT_PROBLEM_FOUND


def _passwd_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--new-passphrase-file", metavar="FILE",
                   help="read the new passphrase from the first line of FILE")
    kdf_profile_option(p)


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


def _copy_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", metavar="OUT",
                   help="the new file, or a folder (the copy is then named after the case "
                        "and today's date)")


def cmd_copy(args: argparse.Namespace) -> int:
    from app.models.case_copy import save_copy

    with open_case(args, record_open=False) as case:
        result = save_copy(case, args.out)
    say(tr("Saved a copy of the case: {path} ({size:,} bytes). It opens with the same "
           "passphrase. Keep it somewhere apart from this computer.").format(
               path=result.path, size=result.size))
    warn_if_synced(result.path, spare_copy_sentence)
    return EXIT_OK


COMMANDS = (
    Command("check", "check the file, every evidence hash and the audit chain", cmd_check),
    Command(
        "passwd",
        "change the passphrase (new one from SAFEKEEP_NEW_PASSPHRASE or a prompt)",
        cmd_passwd,
        _passwd_arguments,
    ),
    Command("copy", "save a spare copy of the case, which opens with the same passphrase",
            cmd_copy, _copy_arguments),
)
