"""The command line's entry: gather every group's commands, build the parser, run one.

Usage errors are one line and exit 2, like every other error (see app.cli.common).
"""

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import NoReturn

from app import __version__
from app.cli import (
    bundle,
    case,
    chats,
    checklist,
    evidence,
    links,
    reading,
    records,
    upkeep,
    window,
)
from app.cli.command import Command
from app.cli.common import run_calmly, take_secrets
from app.errors import EXIT_USAGE
from app.i18n import tr
from app.text_safety import escape_hidden

# In the order `safekeep --help` lists them: the order a person meets them.
GROUPS: tuple[Sequence[Command], ...] = (
    window.COMMANDS,
    case.COMMANDS,
    evidence.COMMANDS,
    chats.COMMANDS,
    records.COMMANDS,
    links.COMMANDS,
    checklist.COMMANDS,
    upkeep.COMMANDS,
    reading.COMMANDS,
    bundle.COMMANDS,
)


def registered(*groups: Sequence[Command]) -> dict[str, Command]:
    """Every command by name, in order; a name registered twice is a mistake, not an override."""
    commands: dict[str, Command] = {}
    for group in groups:
        for command in group:
            if command.name in commands:
                raise ValueError(f"the command {command.name!r} is registered twice")
            commands[command.name] = command
    return commands


COMMANDS = registered(*GROUPS)


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors are one line and exit 2, like every other error."""

    def error(self, message: str) -> NoReturn:
        # The message may quote what was typed: hidden characters in it are shown as escapes.
        sys.stderr.write(f"safekeep: error: {escape_hidden(message)} (see: safekeep --help)\n")
        sys.exit(EXIT_USAGE)


def build_parser(commands: Mapping[str, Command] = COMMANDS) -> argparse.ArgumentParser:
    # The options of every command that opens a case: how to unlock it, and who is acting.
    unlock = _Parser(add_help=False)
    unlock.add_argument(
        "--passphrase-file", metavar="FILE", help="read the passphrase from the first line of FILE"
    )
    unlock.add_argument(
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
    for command in commands.values():
        p: argparse.ArgumentParser = sub.add_parser(
            command.name, help=command.help, parents=[unlock] if command.takes_case else []
        )
        if command.takes_case:
            p.add_argument("case", metavar="CASE", help="the case file (.skcase)")
        command.add_arguments(p)
    return parser


def run_cli(argv: Sequence[str]) -> int:
    take_secrets()  # before anything can start a process
    args = build_parser().parse_args(list(argv))
    return run_calmly(COMMANDS[args.command].run, args)
