"""What every command shares: the passphrase, opening the case, who is acting, printing, and
the calm handling of errors.

A runner prints either human lines or, with --json, exactly one JSON document on stdout.
Errors: one line `safekeep: error: ...` on stderr, no traceback, and the exit code of the
contract (2 usage, 3 wrong passphrase, 4 not a case file or damaged, 5 other).
"""

import argparse
import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import asdict, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.errors import EXIT_OTHER, InvalidInput, NotFound, SafekeepError
from app.i18n import tr
from app.models.casefile import CaseFile, check_looks_like_case
from app.text_safety import escape_hidden, json_escape_hidden

if TYPE_CHECKING:
    from app.synced_folders import SyncedFolder

# -- passphrases and opening ----------------------------------------------------------------


def _read_secret_file(path: str) -> str:
    """The first line of a passphrase file. Windows' Notepad and PowerShell start a file with
    a byte-order mark, or write it as UTF-16: the mark is never part of the passphrase (it
    is invisible, so nobody could type it again at the window or give it to an officer)."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        raise InvalidInput(tr("The passphrase file could not be read.")) from None
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise InvalidInput(tr("The passphrase file is not plain text (UTF-8). Save it again "
                              "as UTF-8 and try again.")) from None
    first = text.splitlines()[0] if text else ""
    if not first:
        raise InvalidInput(tr("The passphrase file is empty."))
    return first


# Passphrases a script may give in the environment. They are taken out of it as the command
# starts (see take_secrets), so no process started later (a preview or text-recognition
# worker, which reads hostile files) inherits them.
SECRET_VARIABLES = ("SAFEKEEP_PASSPHRASE", "SAFEKEEP_NEW_PASSPHRASE")
_secrets: dict[str, str] = {}


def take_secrets() -> None:
    """Move the passphrases given in the environment into this process's memory only (a
    later command in the same process, as in tests, still finds them there)."""
    for name in SECRET_VARIABLES:
        value = os.environ.pop(name, None)
        if value:
            _secrets[name] = value


def read_passphrase(
    file: str | None,
    env: str = "SAFEKEEP_PASSPHRASE",
    *,
    confirm: bool = False,
    prompt: str = "Passphrase: ",
) -> str:
    if file:
        return _read_secret_file(file)
    given = _secrets.get(env) or os.environ.pop(env, None)
    if given:
        return given
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
    case = CaseFile.open(
        args.case,
        read_passphrase(args.passphrase_file),
        actor=actor_of(args),
        record_open=record_open,
        opened_with=f"safekeep {args.command}" if getattr(args, "command", None) else None,
    )
    _opened.append(str(args.case))  # so that a log it leaves behind is said (run_calmly)
    return case


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


def keyword(text: str) -> str:
    """A keyword (a detail's type, a payment's method or status) as the contract spells it,
    from the way people write it: "Western Union", "MoneyGram" and "skype_id" are taken as
    `western-union`, `moneygram` and `skype-id`. argparse checks the choices after this."""
    return "-".join(text.replace("_", " ").casefold().split())


def kdf_profile_option(parser: argparse.ArgumentParser) -> None:
    """`new` and `passwd`: how hard the key is to derive from the passphrase."""
    parser.add_argument("--kdf-profile", type=int, choices=(1, 2), default=None,
                        help="key-derivation strength: 2 (default) or 1 (lighter, for slow "
                             "computers)")


def json_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true",
                        help="print one JSON document, for scripts")


def print_json(value: Any) -> None:
    # Exact values for scripts, but no character that could rewrite or reorder the terminal:
    # JSON's own escapes read back as the same text.
    document = json.dumps(_jsonable(value), ensure_ascii=False, indent=2)
    sys.stdout.write(json_escape_hidden(document) + "\n")


def print_json_items(items: Iterable[Any]) -> None:
    """`{"items": [...]}` written one item at a time, so a list of 200,000 messages is never
    held in memory whole (a list already in memory prints as print_json does)."""
    if isinstance(items, list):
        print_json({"items": items})
        return
    sys.stdout.write('{"items": [')
    for index, item in enumerate(items):
        piece = json.dumps(_jsonable(item), ensure_ascii=False)
        sys.stdout.write((",\n  " if index else "\n  ") + json_escape_hidden(piece))
    sys.stdout.write("\n]}\n")


def safe_line(text: str) -> str:
    """Show hidden characters (app/text_safety.py) as escapes, so a crafted value can neither
    rewrite the terminal nor hide or reorder what is around it."""
    return escape_hidden(text)


def say(text: str) -> None:
    sys.stdout.write(safe_line(text) + "\n")


def say_problem(text: str) -> None:
    """A problem a check found: one line on stderr (the command then exits 1)."""
    sys.stderr.write(f"safekeep: problem: {safe_line(text)}\n")


# -- errors ---------------------------------------------------------------------------------


def run_calmly(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run one command; whatever goes wrong becomes one calm line on stderr and an exit code."""
    try:
        return _run_one(run, args)
    finally:
        while _opened:
            _say_if_log_left(_opened.pop())


# The case files this command opened itself (a case open in the window, or in another
# command, has its log beside it as it should: nothing to say then).
_opened: list[str] = []


def _say_if_log_left(case: str) -> None:
    """Said on stderr, whatever the command did (see safe_files.log_left_beside)."""
    from app.models.safe_files import log_left_beside

    sentence = log_left_beside(Path(case))
    if sentence is not None:
        warn(sentence)


def warn(sentence: str) -> None:
    """One line on stderr that does not stop the command."""
    sys.stderr.write("safekeep: warning: " + safe_line(sentence) + "\n")


def warn_if_synced(path: Path, sentence: Callable[["SyncedFolder"], str]) -> None:
    """Said when `path` was saved where a sync program copies it online (or to other devices):
    someone who wants nothing online may not know their folder is."""
    from app.synced_folders import synced_folder

    found = synced_folder(path)
    if found is not None:
        warn(sentence(found))


def _run_one(run: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    try:
        return run(args)
    except SafekeepError as exc:
        sys.stderr.write(f"safekeep: error: {escape_hidden(exc.message)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(
            "safekeep: error: " + tr("Stopped. Nothing already saved was lost.") + "\n"
        )
        return EXIT_OTHER
    except BrokenPipeError:
        # `safekeep list CASE messages | head`: the reader stopped reading. It had said
        # "Something unexpected went wrong". Python would fail again writing out what is
        # left as it exits, so what is left goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.stderr.write("safekeep: error: " + tr(
            "The output was cut short: the program reading it stopped reading. Nothing "
            "already saved was lost.") + "\n")
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


# -- naming an evidence item ----------------------------------------------------------------

ITEM_HELP = ("the item: its number as `safekeep list CASE evidence` shows it (#3, or 3) or its "
             "exhibit reference (AB/3)")
# ASCII digits only ("٣" is not 3 here); more than 18 is no item SQLite could hold.
_ITEM = re.compile(r"#?([0-9]+)|[A-Za-z]{1,5}[/-]([0-9]+)")
_LARGEST = 2**63 - 1


def message_number(text: str) -> int:
    """An argparse type for a message's number: ASCII digits, at most what SQLite
    holds (a longer one had failed as "Something unexpected went wrong")."""
    if not re.fullmatch(r"#?[0-9]+", text.strip()) or int(text.strip().lstrip("#")) > _LARGEST:
        raise argparse.ArgumentTypeError(tr("there is no message with number {n}").format(n=text))
    return int(text.strip().lstrip("#"))


def evidence_id_of(case: CaseFile, given: str) -> int:
    """The evidence id `given` names: "#3" or "3" (the id), or "AB/3" (the exhibit number in
    today's references; the letters are not checked, as the initials may have changed)."""
    from app.core.records import evidence_with_exhibit

    found = _ITEM.fullmatch(given.strip())
    if found is None:
        raise InvalidInput(tr("“{item}” is not an item: give its number (#3) or its exhibit "
                              "reference (AB/3).").format(item=given))
    if found.group(1) is not None:
        if int(found.group(1)) > _LARGEST:
            raise NotFound(tr("There is no evidence item with number {id}.").format(
                id=found.group(1)))
        return int(found.group(1))
    number = int(found.group(2))
    evidence_id = evidence_with_exhibit(case, number) if number <= _LARGEST else None
    if evidence_id is not None:
        return evidence_id
    raise NotFound(tr("No evidence item has the exhibit number {number}.").format(number=number))
