"""`safekeep edit-evidence` and `remove-evidence`: a caseworker's script can mark an item
sensitive (or not), describe it, name its platform or take it out with a reason, naming the
item as `list` shows it (#2) or by its exhibit reference (AB/2). Without them, intimate
pictures added without --sensitive could only be hidden in the window, and a bundle made from
a script took them along. `read-chat` and `add-identifier --evidence` take the same names."""

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.conftest import CliResult
from tests.test_chat_import import jpeg, listed, new_case

Cli = Callable[..., CliResult]


def _two_pictures(tmp_path: Path, cli: Cli) -> str:
    case = new_case(tmp_path, cli)
    for n in (1, 2):
        (tmp_path / f"photo{n}.jpg").write_bytes(jpeg(f"#{40 * n:02x}4060"))
    assert cli("add-evidence", case, str(tmp_path / "photo1.jpg"),
               str(tmp_path / "photo2.jpg")).code == 0
    return case


def test_marking_an_item_sensitive_by_its_exhibit_reference_keeps_it_out_of_the_bundle(
        tmp_path: Path, cli: Cli) -> None:
    case = _two_pictures(tmp_path, cli)
    [first, second] = listed(cli, case, "evidence")
    marked = cli("edit-evidence", case, second["exhibit"], "--sensitive", "yes")
    assert marked.code == 0 and marked.err == "", marked
    assert marked.out.splitlines() == [
        f"Saved: {second['exhibit']}, photo2.jpg.",
        "It is hidden in the window until shown, and left out of bundles unless you include "
        "sensitive items."]
    assert [e["sensitive"] for e in listed(cli, case, "evidence")] == [False, True]
    bundle = tmp_path / "bundle.zip"
    assert cli("export", case, str(bundle)).code == 0
    with zipfile.ZipFile(bundle) as zf:
        [manifest_name] = [n for n in zf.namelist() if n.endswith("/manifest.json")]
        manifest = json.loads(zf.read(manifest_name))
        originals = [n for n in zf.namelist() if "/evidence/" in n]
    assert manifest["withheld_evidence"] == [second["exhibit"]]
    assert [Path(n).name.split("_", 2)[2] for n in originals] == ["photo1.jpg"]
    unmarked = cli("edit-evidence", case, f"#{second['id']}", "--sensitive", "no")
    assert unmarked.code == 0 and unmarked.out == f"Saved: {second['exhibit']}, photo2.jpg.\n"
    assert first["sensitive"] is False


def test_a_description_and_platform_are_saved_and_audited(tmp_path: Path, cli: Cli) -> None:
    case = _two_pictures(tmp_path, cli)
    hostile = "=HYPERLINK(\"http://x\")\u202e<b>profile</b>"
    done = cli("edit-evidence", case, "1", "--description", hostile, "--platform", "Instagram",
               "--json")
    assert done.code == 0, done
    item = json.loads(done.out)
    assert (item["exhibit"], item["description"], item["platform"]) == (
        listed(cli, case, "evidence")[0]["exhibit"], hostile, "Instagram")
    edits = [a for a in listed(cli, case, "audit") if a["action"] == "evidence.edit"]
    assert [(a["subject"], sorted(json.loads(a["details"]))) for a in edits] == [
        ("evidence:1", ["description", "platform"])]
    cleared = cli("edit-evidence", case, "1", "--platform", "")
    assert cleared.code == 0 and listed(cli, case, "evidence")[0]["platform"] is None


def test_what_cannot_be_done_is_said_in_one_line(tmp_path: Path, cli: Cli) -> None:
    case = _two_pictures(tmp_path, cli)
    for args, words in [
        (["9", "--sensitive", "yes"], "There is no evidence item with number 9."),
        (["ZZ/7", "--sensitive", "yes"], "No evidence item has the exhibit number 7."),
        (["photo1.jpg", "--sensitive", "yes"],
         "“photo1.jpg” is not an item: give its number (#3) or its exhibit reference (AB/3)."),
        (["1"], "Say what to change: --sensitive yes or no, --description or --platform."),
        # Past what SQLite holds: said calmly (it had been "Something unexpected went wrong").
        (["#99999999999999999999999", "--sensitive", "yes"],
         "There is no evidence item with number 99999999999999999999999."),
        (["AB/99999999999999999999999", "--sensitive", "yes"],
         "No evidence item has the exhibit number 99999999999999999999999."),
        (["\u0663", "--sensitive", "yes"],  # an Arabic-Indic 3 is not item 3
         "“\u0663” is not an item: give its number (#3) or its exhibit reference (AB/3)."),
    ]:
        result = cli("edit-evidence", case, *args)
        assert (result.code, result.out, result.err) == (2, "", f"safekeep: error: {words}\n")
    assert [a for a in listed(cli, case, "audit") if a["action"] == "evidence.edit"] == []


def test_read_chat_takes_an_exhibit_reference(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    chat = tmp_path / "WhatsApp Chat with Sam.txt"
    chat.write_text("03/04/2024, 10:00 - Sam: hi\n05/06/2024, 11:00 - Alex: pay now\n",
                    encoding="utf-8")
    assert cli("add-evidence", case, str(chat)).code == 0  # waits for its date order
    [export] = listed(cli, case, "evidence")
    read = cli("read-chat", case, export["exhibit"], "--date-order", "day-first")
    assert read.code == 0, read
    assert read.out.splitlines()[0] == f"Evidence #{export['id']}:"
    assert len(listed(cli, case, "messages")) == 2


def test_add_identifier_links_items_named_either_way(tmp_path: Path, cli: Cli) -> None:
    case = _two_pictures(tmp_path, cli)
    [first, second] = listed(cli, case, "evidence")
    added = cli("add-identifier", case, "username", "@someone_bad", "--evidence",
                second["exhibit"], "--evidence", f"#{first['id']}")
    assert added.code == 0, added
    [saved] = listed(cli, case, "identifiers")
    assert sorted(saved["evidence_ids"]) == [first["id"], second["id"]]
    wrong = cli("add-identifier", case, "username", "@another", "--evidence", "AB/9")
    assert (wrong.code, wrong.err) == (
        2, "safekeep: error: No evidence item has the exhibit number 9.\n")
    assert len(listed(cli, case, "identifiers")) == 1


def test_remove_evidence_needs_a_reason_and_the_bundle_accounts_for_the_gap(
        tmp_path: Path, cli: Cli) -> None:
    case = _two_pictures(tmp_path, cli)
    [first, second] = listed(cli, case, "evidence")
    for reason in ([], ["--reason", "   "]):
        refused = cli("remove-evidence", case, first["exhibit"], *reason)
        assert refused.code == 2 and refused.out == "", refused
    assert len(listed(cli, case, "evidence")) == 2
    removed = cli("remove-evidence", case, first["exhibit"], "--reason", "added by mistake")
    assert (removed.code, removed.out) == (0, (
        f"Removed: {first['exhibit']}, photo1.jpg. The audit log keeps its SHA-256 and your "
        "reason; its number is not used again.\n"))
    assert [e["id"] for e in listed(cli, case, "evidence")] == [second["id"]]
    [event] = [a for a in listed(cli, case, "audit") if a["action"] == "evidence.remove"]
    details = json.loads(event["details"])
    assert (details["reason"], details["sha256"]) == ("added by mistake", first["sha256"])
    bundle = tmp_path / "bundle.zip"
    assert cli("export", case, str(bundle)).code == 0
    with zipfile.ZipFile(bundle) as zf:
        [continuity] = [n for n in zf.namelist() if n.endswith("csv/continuity.csv")]
        rows = zf.read(continuity).decode("utf-8-sig")
    assert first["exhibit"] in rows and "added by mistake" in rows


def test_lists_name_the_exhibits_each_record_is_linked_to(tmp_path: Path, cli: Cli) -> None:
    case = _two_pictures(tmp_path, cli)
    [first, second] = listed(cli, case, "evidence")
    assert cli("add-identifier", case, "username", "@someone_bad", "--evidence", "2",
               "--evidence", "1").code == 0
    assert cli("add-identifier", case, "email", "alone@example.com").code == 0
    lines = sorted(cli("list", case, "identifiers").out.splitlines())
    assert lines[0].endswith(f"@someone_bad  -> {first['exhibit']}, {second['exhibit']}")
    assert lines[1].endswith("alone@example.com")
    assert {i["value"]: i["exhibits"] for i in listed(cli, case, "identifiers")} == {
        "@someone_bad": [first["exhibit"], second["exhibit"]], "alone@example.com": []}
    assert cli("add-payment", case, "--amount", "50", "--currency", "GBP", "--method",
               "card").code == 0
    assert [p["exhibits"] for p in listed(cli, case, "payments")] == [[]]


def test_a_message_number_past_what_sqlite_holds_is_said_calmly(tmp_path: Path,
                                                                 cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    result = cli("add-message-event", case, "99999999999999999999999")
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.startswith("safekeep: error: argument MESSAGE: there is no message "
                                 "with number 99999999999999999999999")


def test_a_payment_and_an_event_are_linked_to_their_evidence(tmp_path: Path, cli: Cli) -> None:
    """A script could link an offender's detail to its screenshot, but not a payment to its
    receipt or an event to the message that shows it: the report's payments table and
    chronology name the exhibits of each."""
    case = _two_pictures(tmp_path, cli)
    [first, second] = listed(cli, case, "evidence")
    paid = cli("add-payment", case, "--amount", "250", "--method", "western-union",
               "--reference", "1234567890", "--evidence", second["exhibit"])
    assert paid.code == 0, paid
    event = cli("add-event", case, "--when", "2026-11-20T21:30", "--kind", "threat",
                "He said he would send it to my family", "--evidence", f"#{first['id']}",
                "--evidence", "2")
    assert event.code == 0, event
    assert [p["exhibits"] for p in listed(cli, case, "payments")] == [[second["exhibit"]]]
    assert cli("list", case, "payments").out.rstrip().endswith(f"-> {second['exhibit']}")
    [saved] = [e for e in listed(cli, case, "timeline") if e["kind"] == "threat"]
    assert saved["exhibits"] == [first["exhibit"], second["exhibit"]]
    wrong = cli("add-payment", case, "--amount", "10", "--method", "card", "--evidence", "#7")
    assert (wrong.code, wrong.err) == (
        2, "safekeep: error: There is no evidence item with number 7.\n"), wrong
    assert len(listed(cli, case, "payments")) == 1  # nothing saved when an item is wrong
