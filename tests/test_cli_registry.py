"""Each command of the command line is spelled once: its group registers its parser and its
runner together, and `safekeep --help` lists exactly what is registered."""

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from app.cli.command import Command
from app.cli.main import COMMANDS, GROUPS, build_parser, registered

ROOT = Path(__file__).resolve().parent.parent


def _names_in_help() -> list[str]:
    proc = subprocess.run([sys.executable, "-m", "app", "--help"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    choices = re.search(r"\{([a-z0-9,-]+)\}", proc.stdout)
    assert choices is not None, proc.stdout
    return choices.group(1).split(",")


def test_every_command_in_help_is_registered_exactly_once_and_has_a_runner() -> None:
    in_help = _names_in_help()
    in_groups = Counter(command.name for group in GROUPS for command in group)
    assert sorted(in_help) == sorted(in_groups)
    assert [name for name, count in in_groups.items() if count != 1] == []
    assert list(COMMANDS) == in_help  # --help lists them in the order they are registered
    for name, command in COMMANDS.items():
        assert command.name == name and callable(command.run), name
        assert re.search(rf"^    {re.escape(name)}\b.*\S", _help_text(), re.M), name


def _help_text() -> str:
    return build_parser().format_help()


def test_a_name_spelled_twice_is_refused() -> None:
    first = Command("twice", "the first", run=lambda args: 0)
    second = Command("twice", "the second", run=lambda args: 0)
    with pytest.raises(ValueError, match="'twice' is registered twice"):
        registered((first,), (second,))
    with pytest.raises(ValueError, match="'twice' is registered twice"):
        registered((first, second))


def test_each_command_reaches_its_own_runner() -> None:
    """The parsed name picks the runner of the same record, not a neighbour's."""
    reached: list[str] = []

    def runner(name: str) -> Command:
        def run(args: object) -> int:
            reached.append(name)
            return 0

        return Command(name, f"help for {name}", run=run, takes_case=False)

    commands = registered((runner("one"), runner("two")))
    parser = build_parser(commands)
    for name in ("two", "one"):
        args = parser.parse_args([name])
        assert commands[args.command].run(args) == 0
    assert reached == ["two", "one"]


def test_help_loads_no_heavy_module() -> None:
    """Heavy imports stay inside the runners, so `safekeep --help` and a typo answer fast."""
    code = (
        "import sys\n"
        "from app.cli.main import build_parser\n"
        "build_parser().format_help()\n"
        "heavy = ('PySide6', 'PIL', 'reportlab', 'tesserocr', 'pyzipper', 'app.ui', 'app.export',"
        " 'app.core.reading', 'app.core.intake')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env={**os.environ})
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_list_offers_exactly_the_kinds_it_has_a_lister_for() -> None:
    from app.cli.lists import LISTERS
    from app.cli.records import LIST_KINDS

    assert list(LISTERS) == LIST_KINDS


@pytest.mark.parametrize("doc", ["README.md", "docs/DESIGN.md"])
def test_the_documented_contract_names_every_command(doc: str) -> None:
    blocks = (ROOT / doc).read_text(encoding="utf-8").split("\n```")
    block = next(b for b in blocks[1::2] if "\nsafekeep add-evidence " in b)
    # "safekeep NAME ..." names a command; "safekeep    open the desktop app" names none.
    documented = re.findall(r"^safekeep ([a-z][a-z-]*)\b", block, re.M)
    assert sorted(documented) == sorted(COMMANDS)


def test_the_design_notes_list_the_keywords_the_code_accepts() -> None:
    from app.core.identifiers import IdentifierType
    from app.models import PaymentMethod, PaymentStatus
    from app.models.records import TimelineKind

    text = " ".join((ROOT / "docs" / "DESIGN.md").read_text(encoding="utf-8").split())
    for label, enum in (("TYPE is one of", IdentifierType), ("METHOD:", PaymentMethod),
                        ("STATUS:", PaymentStatus), ("KIND (timeline):", TimelineKind)):
        listed = text.split(label, 1)[1].split(".", 1)[0]
        assert re.findall(r"`([a-z-]+)`", listed) == [e.value for e in enum], label


def _command_parsers() -> dict[str, argparse.ArgumentParser]:
    actions = build_parser()._actions
    sub = next(a for a in actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_every_argument_of_every_command_says_what_it_is_for() -> None:
    """`safekeep export --help` listed --include-sensitive and --bundle-passphrase-file with no
    word on what they do; a caseworker scripting an export had to read the source."""
    silent = [f"{name} {action.option_strings[0] if action.option_strings else action.dest}"
              for name, parser in _command_parsers().items()
              for action in parser._actions if not (action.help or "").strip()]
    assert silent == []


def test_export_help_says_what_sensitive_and_a_bundle_passphrase_do() -> None:
    proc = subprocess.run([sys.executable, "-m", "app", "export", "--help"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    text = " ".join(proc.stdout.split())
    assert "--include-sensitive put the files of items marked sensitive (intimate images)" \
        in text
    assert "--bundle-passphrase-file FILE lock the ZIP (AES-256" in text
