"""`safekeep link` and `unlink`: a caseworker's script links a saved detail, payment or event to
evidence added afterwards (a receipt found later), and takes a link made by mistake off. It
could link a record only as it was added, with --evidence. What reaches the case is read back
with `list`, the audit log and the bundle's CSV."""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_chat_import import listed
from tests.test_cli_edit_evidence import _two_pictures
from tests.test_cli_foundation import _one_line_error

Cli = Callable[..., CliResult]


@pytest.fixture
def case(tmp_path: Path, cli: Cli) -> str:
    made = _two_pictures(tmp_path, cli)
    assert cli("add-payment", made, "--amount", "250", "--method", "western-union").code == 0
    assert cli("add-identifier", made, "email", "sam@example.com").code == 0
    assert cli("add-event", made, "--when", "2026-11-20T21:30", "--kind", "threat",
               "He said he would send it").code == 0
    return made


def _links(cli: Cli, case: str, what: str) -> list[int]:
    [record] = listed(cli, case, what)
    return list(record["evidence_ids"])


def test_a_receipt_added_afterwards_is_linked_to_its_payment(case: str, tmp_path: Path,
                                                             cli: Cli) -> None:
    [first, second] = listed(cli, case, "evidence")
    done = cli("link", case, "payment", "#1", second["exhibit"])
    assert done.code == 0 and done.err == "", done
    assert done.out == f"Payment #1 is linked to {second['exhibit']}.\n"
    assert _links(cli, case, "payments") == [second["id"]]
    again = cli("link", case, "payment", "1", "1", "2", "--json")
    assert json.loads(again.out) == {
        "kind": "payment", "id": 1, "evidence": [first["id"], second["id"]],
        "exhibits": [first["exhibit"], second["exhibit"]], "changed": True}
    same = cli("link", case, "payment", "1", "2")
    assert same.out.splitlines()[0] == "Nothing changed: it was already linked to them."

    bundle = tmp_path / "bundle.zip"
    assert cli("export", case, str(bundle)).code == 0
    with zipfile.ZipFile(bundle) as zf:
        [name] = [n for n in zf.namelist() if n.endswith("csv/payments.csv")]
        [row] = list(csv.DictReader(io.StringIO(zf.read(name).decode("utf-8-sig"))))
    assert first["exhibit"] in str(row) and second["exhibit"] in str(row)


def test_a_link_made_by_mistake_is_taken_off_and_audited(case: str, cli: Cli) -> None:
    [first, second] = listed(cli, case, "evidence")
    for kind, what in (("identifier", "identifiers"), ("event", "timeline")):
        assert cli("link", case, kind, "1", "1", "2").code == 0
        taken = cli("unlink", case, kind, "1", first["exhibit"])
        assert taken.code == 0, taken
        assert _links(cli, case, what) == [second["id"]]
        gone = cli("unlink", case, kind, "1", "2")
        assert gone.out.endswith("is not linked to any evidence.\n")
        assert _links(cli, case, what) == []
        nothing = cli("unlink", case, kind, "1", "2")
        assert nothing.out.startswith("Nothing changed: none of them was linked to it.")
    actions = [a["action"] for a in listed(cli, case, "audit")]
    # One event per change; none when nothing changed.
    assert actions.count("identifier.link") == 3
    assert actions.count("timeline.edit") == 3


@pytest.mark.parametrize("args", [
    ("payment", "9", "1"),  # no such payment
    ("payment", "1", "9"),  # no such item
    ("detail", "1", "1"),  # not a kind
    ("payment", "=cmd|' /C calc'!A0", "1"),
    ("event", "1", "../../etc/passwd"),
    ("identifier", "1", "\x1b[31m1"),
    ("payment", "1" * 40, "1"),
])
def test_what_cannot_be_linked_is_said_in_one_line(case: str, cli: Cli,
                                                   args: tuple[str, ...]) -> None:
    result = cli("link", case, *args)
    _one_line_error(result, 2)
    assert _links(cli, case, "payments") == []


def test_a_record_that_is_not_there_is_named_with_where_to_look(case: str, cli: Cli) -> None:
    result = cli("unlink", case, "event", "#7", "1")
    _one_line_error(result, 2)
    assert "no timeline event with number 7" in result.err
    assert "safekeep list CASE timeline" in result.err
