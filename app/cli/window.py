"""`safekeep gui [CASE]`: listed with the other commands, but the window is opened by
app/__main__.py before the command line is parsed, so that nothing here imports Qt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.cli import WINDOW_COMMAND
from app.cli.command import Command
from app.errors import InvalidInput
from app.i18n import tr

if TYPE_CHECKING:
    import argparse


def _gui_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE", nargs="?", help=tr("the case file to open"))
    p.add_argument("--portable", action="store_true",
                   help=tr("keep the settings beside the program, not in your profile"))


def cmd_gui(args: argparse.Namespace) -> int:
    # Reached only when run_cli is called with "gui" from code: `safekeep gui` with words the
    # window takes opens it (app/__main__.py), and other words stop in the parser first.
    raise InvalidInput(tr("The desktop app opens with `safekeep` or `safekeep gui`."))


GUI = Command(WINDOW_COMMAND, "open the desktop app", cmd_gui, _gui_arguments, takes_case=False)
COMMANDS = (GUI,)
