"""One command of the command line: its name, its help line, its arguments and its runner,
registered together so that the name is spelled once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """For a command that takes nothing beyond CASE and the options to unlock it."""


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    # Takes the parsed arguments, prints, returns the exit code of the contract.
    run: Callable[[argparse.Namespace], int]
    add_arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    # The command opens a case file: it takes CASE first, and --passphrase-file and --actor.
    takes_case: bool = True
