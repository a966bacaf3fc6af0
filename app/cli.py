"""The headless command line (the contract in DESIGN.md): the same operations as the window,
for caseworkers' scripts and for tests.

Errors: one line `safekeep: error: ...` on stderr, no traceback, and the exit code of the
contract (2 usage, 3 wrong passphrase, 4 not a case file or damaged, 5 other).
"""

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from app import __version__
from app.errors import EXIT_OTHER, EXIT_USAGE, SafekeepError
from app.i18n import tr
from app.text_safety import escape_hidden

log = logging.getLogger("safekeep")


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2, like every other error."""

    def error(self, message: str) -> NoReturn:
        # The message may quote what was typed: hidden characters in it are shown as escapes.
        sys.stderr.write(f"safekeep: error: {escape_hidden(message)} (see: safekeep --help)\n")
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    from app.cli_commands import IDENTIFIER_TYPES, LIST_KINDS, METHODS, STATUSES

    common = _Parser(add_help=False)
    common.add_argument(
        "--passphrase-file", metavar="FILE", help="read the passphrase from the first line of FILE"
    )
    common.add_argument(
        "--actor",
        metavar="NAME",
        help="who is doing this, for the audit log (default: your login name)",
    )

    parser: argparse.ArgumentParser = _Parser(
        prog="safekeep",
        description=tr(
            "Keep the evidence of online blackmail safe, offline, in one encrypted case file. "
            "With no command, the desktop app opens."
        ),
    )
    parser.add_argument("--version", action="version", version=f"Safekeep {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, parents=[common])
        if name not in ("verify",):
            p.add_argument("case", metavar="CASE", help="the case file (.skcase)")
        return p

    p: argparse.ArgumentParser = sub.add_parser(
        "gui", help="open the desktop app", parents=[common]
    )
    p.add_argument("case", metavar="CASE", nargs="?")

    p = command("new", "make a new, empty case file")
    p.add_argument("--name", default="", help="a name or alias for the case")
    p.add_argument("--under-18", action="store_true", help="the person is under 18")
    p.add_argument(
        "--kdf-profile",
        type=int,
        choices=(1, 2),
        default=None,
        help="key-derivation strength: 2 (default) or 1 (lighter, for slow computers)",
    )

    p = command("info", "show what the case holds")
    p.add_argument("--json", action="store_true")

    p = command("edit-case", "change the case's name, crime reference, caseworker or notes")
    p.add_argument("--name", help="a name or alias for the case")
    p.add_argument("--crime-reference", help="the police crime reference number")
    p.add_argument("--caseworker", help="who is helping with this case")
    p.add_argument("--notes", help="anything else police should know")
    p.add_argument("--under-18", choices=("yes", "no"), help="the person is under 18")
    p.add_argument("--in-danger", choices=("yes", "no"), help="it is happening now")

    p = command("add-evidence", "add files or folders as evidence")
    p.add_argument("paths", metavar="FILE|DIR", nargs="+")
    p.add_argument(
        "--sensitive",
        action="store_true",
        help="intimate images: hidden until revealed, left out of bundles by default",
    )
    p.add_argument("--note", default="", help="a description for every file added")
    p.add_argument("--json", action="store_true")

    p = command("add-identifier", "note something that identifies the offender")
    p.add_argument(
        "type",
        metavar="TYPE",
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
    p.add_argument("--json", action="store_true")

    p = command("add-payment", "record a payment you made")
    p.add_argument("--amount", required=True)
    p.add_argument("--currency", default="GBP")
    p.add_argument("--method", required=True, choices=METHODS)
    p.add_argument("--reference", default="", help="MTCN, MoneyGram or bank reference")
    p.add_argument("--paid-on", default=None, metavar="YYYY-MM-DD")
    p.add_argument("--status", default="unknown", choices=STATUSES)
    p.add_argument("--recipient", default="", help="the name the money was sent to")
    p.add_argument("--place", default="", help="where it was collected, if known")
    p.add_argument("--bank-told", action="store_true", help="you have told your bank")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")

    p = command("add-event", "add an event to the timeline")
    p.add_argument(
        "--when",
        required=True,
        metavar="YYYY-MM-DD[THH:MM]",
        help="local date and time (time optional)",
    )
    p.add_argument("--approximate", action="store_true", help="the time is not exact")
    p.add_argument("--kind", default="other")
    p.add_argument("description", metavar="TEXT")
    p.add_argument("--json", action="store_true")

    p = command("list", "list what the case holds")
    p.add_argument("what", choices=LIST_KINDS)
    p.add_argument("--json", action="store_true")

    p = command("checklist", "show the police advice checklist, or tick an item")
    p.add_argument("--json", action="store_true")
    p.add_argument("--done", metavar="ITEM_ID")
    p.add_argument("--undo", metavar="ITEM_ID")
    p.add_argument("--reference", default=None)
    p.add_argument("--note", default=None)

    command("check", "check the file, every evidence hash and the audit chain")

    p = command(
        "passwd", "change the passphrase (new one from SAFEKEEP_NEW_PASSPHRASE or a prompt)"
    )
    p.add_argument("--new-passphrase-file", metavar="FILE")
    p.add_argument("--kdf-profile", type=int, choices=(1, 2), default=None)

    p = command("ocr", "read the text in pictures not read yet and show the details found")
    p.add_argument("--json", action="store_true")

    p = command("export", "write the case bundle for officers")
    p.add_argument("out", metavar="OUT.zip")
    p.add_argument("--include-sensitive", action="store_true")
    p.add_argument("--bundle-passphrase-file", metavar="FILE")

    p = sub.add_parser("verify", help="check every file of a bundle against its hashes")
    p.add_argument("bundle", metavar="BUNDLE.zip")
    p.add_argument(
        "--bundle-passphrase-file", metavar="FILE", help="the passphrase of an encrypted bundle"
    )
    return parser


def run_cli(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    from app.cli_commands import COMMANDS
    from app.cli_export import cmd_export, cmd_verify
    from app.cli_ocr import cmd_ocr

    commands = {**COMMANDS, "export": cmd_export, "verify": cmd_verify, "ocr": cmd_ocr}
    try:
        return commands[args.command](args)
    except SafekeepError as exc:
        sys.stderr.write(f"safekeep: error: {escape_hidden(exc.message)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(
            "safekeep: error: " + tr("Stopped. Nothing already saved was lost.") + "\n"
        )
        return EXIT_OTHER
    except Exception:
        # Log the kind of failure only; the traceback may carry case data in its values.
        if os.environ.get("SAFEKEEP_DEBUG"):
            raise
        sys.stderr.write(
            "safekeep: error: "
            + tr("Something unexpected went wrong. Nothing already saved was lost.")
            + "\n"
        )
        return EXIT_OTHER
