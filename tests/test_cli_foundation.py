"""The command-line contract for the foundation: new, info, list audit, check, passwd,
add-identifier; errors as one line with the right exit code and no traceback."""

import itertools
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlcipher3

from tests.conftest import PASSPHRASE, CliResult, raw_connection

Cli = Callable[..., CliResult]


def _one_line_error(result: CliResult, code: int) -> None:
    assert result.code == code, result
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("safekeep: error: "), result
    assert "Traceback" not in result.err


@pytest.fixture
def made(tmp_path: Path, cli: Cli) -> Path:
    path = tmp_path / "cli.skcase"
    result = cli("new", str(path), "--name", "Alias A", "--kdf-profile", "1")
    assert result.code == 0, result
    return path


def test_new_info_json(made: Path, cli: Cli) -> None:
    result = cli("info", str(made), "--json")
    assert result.code == 0, result
    info = json.loads(result.out)
    assert info["display_name"] == "Alias A"
    assert info["under_18"] is False
    assert info["schema_version"] >= 1


def test_info_says_when_it_was_last_opened_right_after_new(made: Path, cli: Cli) -> None:
    result = cli("info", str(made))
    assert result.code == 0, result
    line = next(x for x in result.out.splitlines() if x.startswith("Last opened"))
    assert "never" not in line and "when it was created" in line
    assert cli("add-identifier", str(made), "email", "a@example.com").code == 0
    line = next(x for x in cli("info", str(made)).out.splitlines() if x.startswith("Last opened"))
    assert "never" not in line and "created" not in line
    assert line.endswith(", with safekeep add-identifier")  # which command opened it
    assert json.loads(cli("info", str(made), "--json").out)["last_opened_was_creation"] is False


def test_under_18_flag(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "young.skcase"
    assert cli("new", str(path), "--under-18", "--kdf-profile", "1").code == 0
    assert json.loads(cli("info", str(path), "--json").out)["under_18"] is True


def test_wrong_passphrase_exit_3(made: Path, cli: Cli) -> None:
    _one_line_error(cli("info", str(made), env={"SAFEKEEP_PASSPHRASE": "nope"}), 3)


@pytest.mark.parametrize("content", [b"", b"junk" * 1000, os.urandom(5000)])
def test_not_a_case_exit_4(tmp_path: Path, cli: Cli, content: bytes) -> None:
    path = tmp_path / "junk.skcase"
    path.write_bytes(content)
    _one_line_error(cli("info", str(path)), 4)
    assert path.read_bytes() == content


def test_directory_exit_4(tmp_path: Path, cli: Cli) -> None:
    _one_line_error(cli("info", str(tmp_path)), 4)


def test_usage_error_exit_2(cli: Cli, made: Path) -> None:
    _one_line_error(cli("add-identifier", str(made), "not-a-type", "x"), 2)
    _one_line_error(cli("frobnicate"), 2)


def test_keywords_are_taken_as_people_write_them(made: Path, cli: Cli) -> None:
    """A caseworker typed `--method "Western Union"` and `"Skype ID"` as the window shows them;
    both were refused for their spelling. The contract's keywords are kept: only case, spaces
    and underscores give way, and something else is still a usage error."""
    assert cli("add-payment", str(made), "--amount", "50", "--method", "Western Union",
               "--status", "Not collected").code == 0
    assert cli("add-payment", str(made), "--amount", "60", "--method", "MoneyGram").code == 0
    assert cli("add-identifier", str(made), "Skype ID", "live:abc").code == 0
    assert cli("add-identifier", str(made), "crypto_wallet", "bc1qexample").code == 0
    payments = json.loads(cli("list", str(made), "Payments", "--json").out)["items"]
    assert [(p["method"], p["status"]) for p in payments] == [
        ("western-union", "not-collected"), ("moneygram", "unknown")]
    found = json.loads(cli("list", str(made), "identifiers", "--json").out)["items"]
    assert sorted(i["type"] for i in found) == ["crypto-wallet", "skype-id"]
    assert cli("add-event", str(made), "--when", "2025-03-01T10:00", "--kind", "First contact",
               "He added me").code == 0
    events = json.loads(cli("list", str(made), "timeline", "--json").out)["items"]
    assert [e["kind"] for e in events] == ["first-contact"]
    _one_line_error(cli("add-payment", str(made), "--amount", "5", "--method", "Western-Unio"), 2)
    _one_line_error(cli("add-identifier", str(made), "skype id!", "x"), 2)


def test_a_platform_or_a_coin_given_as_a_keyword_is_answered_with_the_keyword_meant(
        made: Path, cli: Cli) -> None:
    """`add-identifier CASE instagram anna_88` and `--method bitcoin` listed every keyword, and
    nothing said which was meant. Still refused (a platform is not a type), with the words."""
    result = cli("add-identifier", str(made), "instagram", "anna_88")
    _one_line_error(result, 2)
    assert "did you mean username with --platform 'Instagram'?" in result.err
    result = cli("add-payment", str(made), "--amount", "5", "--method", "bitcoin")
    _one_line_error(result, 2)
    assert "'bitcoin' is not a way of paying: did you mean crypto?" in result.err
    result = cli("add-identifier", str(made), "zzz", "x")
    _one_line_error(result, 2)
    assert "one of: facebook, skype-name" in result.err
    assert json.loads(cli("list", str(made), "identifiers", "--json").out)["items"] == []


def test_a_negative_amount_is_said_as_it_is(made: Path, cli: Cli) -> None:
    """`--amount -5` said "The amount should be a number", which it is."""
    result = cli("add-payment", str(made), "--amount=-5", "--method", "card")
    _one_line_error(result, 2)
    assert "without a minus sign" in result.err
    result = cli("add-payment", str(made), "--amount=\u22125.00", "--method", "card")
    assert "without a minus sign" in result.err
    assert "should be a number" in cli("add-payment", str(made), "--amount=-", "--method",
                                       "card").err


def test_no_passphrase_without_terminal(made: Path, cli: Cli) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SAFEKEEP_PASSPHRASE"}
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "app", "info", str(made)],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    _one_line_error(CliResult(proc.returncode, proc.stdout, proc.stderr), 2)


def test_passphrase_file(made: Path, tmp_path: Path, cli: Cli) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n", encoding="utf-8")
    result = cli(
        "info", str(made), "--passphrase-file", str(secret), env={"SAFEKEEP_PASSPHRASE": ""}
    )
    assert result.code == 0, result


@pytest.mark.parametrize("written", [
    b"\xef\xbb\xbf" + PASSPHRASE.encode() + b"\r\n",  # Notepad's "UTF-8 with BOM"
    (PASSPHRASE + "\r\n").encode("utf-16"),  # PowerShell 5's Out-File, Notepad's "Unicode"
], ids=["utf-8 with BOM", "utf-16"])
def test_a_passphrase_file_from_windows_gives_the_passphrase_as_typed(
        made: Path, tmp_path: Path, cli: Cli, written: bytes) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_bytes(written)
    result = cli("info", str(made), "--passphrase-file", str(secret),
                 env={"SAFEKEEP_PASSPHRASE": ""})
    assert result.code == 0, result


def test_a_passphrase_file_that_is_not_text_is_named(made: Path, tmp_path: Path,
                                                     cli: Cli) -> None:
    secret = tmp_path / "pass.txt"
    secret.write_bytes("café\n".encode("cp1252"))
    result = cli("info", str(made), "--passphrase-file", str(secret),
                 env={"SAFEKEEP_PASSPHRASE": ""})
    _one_line_error(result, 2)
    assert "passphrase file is not plain text" in result.err


def test_add_identifier_value_starting_with_dash(made: Path, cli: Cli) -> None:
    result = cli("add-identifier", str(made), "other", "--", "-=cmd|' /C calc'!A0")
    assert result.code == 0, result
    listed = json.loads(cli("list", str(made), "identifiers", "--json").out)["items"]
    assert [i["value"] for i in listed] == ["-=cmd|' /C calc'!A0"]


def test_audit_list_and_check(made: Path, cli: Cli) -> None:
    assert cli("add-identifier", str(made), "mtcn", "123 456 7890").code == 0
    audit = json.loads(cli("list", str(made), "audit", "--json").out)["items"]
    actions = [a["action"] for a in audit]
    assert actions[0] == "case.create" and "identifier.add" in actions
    assert audit[0]["prev_hash"] == "0" * 64
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(audit))
    result = cli("check", str(made))
    assert result.code == 0, result


@pytest.mark.parametrize("column", ["actor", "action", "subject", "details", "at"])
def test_tampered_audit_row_is_reported(made: Path, cli: Cli, column: str) -> None:
    assert cli("add-identifier", str(made), "email", "someone@example.com").code == 0
    conn = raw_connection(made)
    # Someone with the key and a SQL tool: the triggers stop accidents, not them.
    conn.execute("DROP TRIGGER audit_event_no_update")
    old = conn.execute(f"SELECT {column} FROM audit_event WHERE id = 2").fetchone()[0]
    tampered = old[:-1] + ("X" if old[-1] != "X" else "Y")
    if column == "at":
        tampered = old[:17] + f"{(int(old[17:19]) + 1) % 60:02d}" + old[19:]
    conn.execute(f"UPDATE audit_event SET {column} = ? WHERE id = 2", (tampered,))
    conn.close()
    result = cli("check", str(made))
    assert result.code == 1, result
    assert "event 2" in result.err


def test_an_impossible_date_in_the_audit_log_is_reported_not_a_crash(made: Path,
                                                                     cli: Cli) -> None:
    assert cli("add-identifier", str(made), "email", "someone@example.com").code == 0
    conn = raw_connection(made)
    conn.execute("DROP TRIGGER audit_event_no_update")
    conn.execute("UPDATE audit_event SET at = '2026-11-31T10:00:00.000000Z' WHERE id = 2")
    conn.close()
    result = cli("check", str(made))
    assert result.code == 1, result
    assert "event 2" in result.err


def test_deleted_audit_row_is_reported(made: Path, cli: Cli) -> None:
    for value in ("a@example.com", "b@example.com"):
        assert cli("add-identifier", str(made), "email", value).code == 0
    conn = raw_connection(made)
    conn.execute("DROP TRIGGER audit_event_no_delete")
    conn.execute("DELETE FROM audit_event WHERE id = 2")
    conn.close()
    result = cli("check", str(made))
    assert result.code == 1 and "event 3" in result.err, result


def test_audit_log_refuses_updates(made: Path) -> None:
    conn = raw_connection(made)
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        conn.execute("UPDATE audit_event SET actor = 'x'")
    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM audit_event")


def test_passwd(made: Path, cli: Cli) -> None:
    result = cli(
        "passwd", str(made), "--kdf-profile", "1", env={"SAFEKEEP_NEW_PASSPHRASE": "brand new"}
    )
    assert result.code == 0, result
    _one_line_error(cli("info", str(made)), 3)
    assert cli("info", str(made), env={"SAFEKEEP_PASSPHRASE": "brand new"}).code == 0
    audit = json.loads(
        cli("list", str(made), "audit", "--json", env={"SAFEKEEP_PASSPHRASE": "brand new"}).out
    )["items"]
    assert audit[-1]["action"] == "case.passphrase-changed"
    # The passphrase never lands in the log.
    assert all("brand new" not in json.dumps(a) for a in audit)


def test_a_missing_file_is_reported_before_any_passphrase_is_asked(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "SAFEKEEP_PASSPHRASE"}
    proc = subprocess.run([sys.executable, "-m", "app", "info", str(tmp_path / "nope.skcase")],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    _one_line_error(CliResult(proc.returncode, proc.stdout, proc.stderr), 4)
    assert "no case file" in proc.stderr


def test_edit_case_details(made: Path, cli: Cli) -> None:
    result = cli("edit-case", str(made), "--crime-reference", "LC-2024-000147", "--caseworker",
                 "Sam (Victim Support)", "--notes", "Moved from Facebook to Skype.",
                 "--under-18", "yes")
    assert result.code == 0, result
    info = json.loads(cli("info", str(made), "--json").out)
    assert info["crime_reference"] == "LC-2024-000147"
    assert info["caseworker"] == "Sam (Victim Support)" and info["under_18"] is True
    assert info["notes"] == "Moved from Facebook to Skype." and info["display_name"] == "Alias A"
    _one_line_error(cli("edit-case", str(made), "--name", "  "), 2)
    audit = json.loads(cli("list", str(made), "audit", "--json").out)["items"]
    assert audit[-1]["action"] == "case.edit"


def test_an_event_given_a_date_alone_is_asked_for_its_time(made: Path, cli: Cli) -> None:
    # A bare date was kept as local midnight: in summer the officer's page said the day
    # before, at 23:00 UTC, a time nobody gave.
    result = cli("add-event", str(made), "--when", "2026-07-13", "--kind", "demand", "Asked")
    _one_line_error(result, 2)
    assert "Add the time too, like 2026-07-13T21:30" in result.err
    assert "--approximate" in result.err
    assert json.loads(cli("list", str(made), "timeline", "--json").out)["items"] == []
    saved = cli("add-event", str(made), "--when", "2026-07-13T21:30", "--approximate", "Asked")
    assert saved.code == 0, saved


def test_dates_typed_as_in_the_window_are_read_and_said(made: Path, cli: Cli) -> None:
    """A caseworker typed `--paid-on 14/03/2025` and `--when "14/03/2025 21:30"`, as the window
    takes them, and was told to use YYYY-MM-DD. They are read day first, as in the window, and
    the command says how it read them; ISO 8601 is still read as before, without a word."""
    paid = cli("add-payment", str(made), "--amount", "50", "--method", "card",
               "--paid-on", "14/3/25")
    assert paid.code == 0, paid
    assert "Date read as: Friday 14 March 2025" in paid.out
    month = cli("add-payment", str(made), "--amount", "60", "--method", "card",
                "--paid-on", "March 2025")
    assert "Date read as: March 2025 (the day is not known)" in month.out
    iso = cli("add-payment", str(made), "--amount", "70", "--method", "card",
              "--paid-on", "2025-03-15")
    assert iso.code == 0 and "read as" not in iso.out
    quiet = cli("add-payment", str(made), "--amount", "80", "--method", "card",
                "--paid-on", "16/03/2025", "--json")
    assert json.loads(quiet.out)["id"] == 4  # --json: one JSON document, nothing else
    payments = json.loads(cli("list", str(made), "payments", "--json").out)["items"]
    assert sorted(p["paid_on"] for p in payments) == [
        "2025-03", "2025-03-14", "2025-03-15", "2025-03-16"]

    event = cli("add-event", str(made), "--when", "14/03/2025 21:30", "Threatened me")
    assert event.code == 0 and "Time read as: Friday 14 March 2025, 21:30" in event.out
    [saved] = json.loads(cli("list", str(made), "timeline", "--json").out)["items"]
    assert saved["description"] == "Threatened me"

    wrong = cli("add-payment", str(made), "--amount", "5", "--method", "card",
                "--paid-on", "31/02/2025")
    _one_line_error(wrong, 2)
    assert "February 2025 has no day 31." in wrong.err and "YYYY-MM-DD" in wrong.err
    no_time = cli("add-event", str(made), "--when", "14/03/2025", "x")
    _one_line_error(no_time, 2)
    assert "Add the time too, like 14/03/2025 21:30" in no_time.err

    # "about" says the time is not exact, as --approximate does.
    about = cli("add-event", str(made), "--when", "about 9pm 2 days ago", "Asked for more")
    assert about.code == 0 and "(about then)" in about.out
    saved_events = json.loads(cli("list", str(made), "timeline", "--json").out)["items"]
    assert [e["approximate"] for e in saved_events] == [False, True]


def test_the_day_the_bank_was_told_is_kept(made: Path, cli: Cli) -> None:
    """`--bank-told` alone keeps no day (told, the day not known); `--bank-told-on` keeps the
    day given, typed as in the window too, and says when it may be a slip."""
    cli("add-payment", str(made), "--amount", "10", "--method", "card", "--bank-told")
    cli("add-payment", str(made), "--amount", "20", "--method", "card",
        "--bank-told-on", "2026-12-02")
    cli("add-payment", str(made), "--amount", "30", "--method", "card",
        "--bank-told-on", "3/12/2026")
    future = cli("add-payment", str(made), "--amount", "40", "--method", "card",
                 "--bank-told-on", "1/1/2099")
    assert future.code == 0 and "Note:" in future.out
    for wrong in ("31/02/2026", "", "=cmd|' /C calc'!A0", "March 2026"):
        refused = cli("add-payment", str(made), "--amount", "50", "--method", "card",
                      "--bank-told-on", wrong)
        _one_line_error(refused, 2)
        assert "YYYY-MM-DD" in refused.err
    shown = cli("list", str(made), "payments").out.splitlines()
    assert [line.split("  ")[-1] for line in shown] == [
        "bank told", "bank told 2026-12-02", "bank told 2026-12-03", "bank told 2099-01-01"]
    payments = json.loads(cli("list", str(made), "payments", "--json").out)["items"]
    assert sorted((p["amount"], p["bank_told"], p["bank_told_on"]) for p in payments) == [
        ("10", True, None), ("20", True, "2026-12-02"), ("30", True, "2026-12-03"),
        ("40", True, "2099-01-01")]


def test_lists_name_exhibits_and_amounts_as_the_bundle_does(made: Path, tmp_path: Path,
                                                           cli: Cli) -> None:
    """`list evidence` gave "#1" alone where the report and the bundle's files say "AA/1", and
    `list payments` wrote 250 as "250" and 0.0035 BTC as Python printed it."""
    shot = tmp_path / "chat.txt"
    shot.write_text("hello")
    assert cli("add-evidence", str(made), str(shot)).code == 0
    assert cli("edit-case", str(made), "--initials", "SO").code == 0
    [line] = cli("list", str(made), "evidence").out.splitlines()
    assert line.split()[:2] == ["#1", "SO/1"] and line.endswith("chat.txt")
    [item] = json.loads(cli("list", str(made), "evidence", "--json").out)["items"]
    assert item["exhibit"] == "SO/1" and item["exhibit_number"] == 1
    for amount, currency in (("250", "GBP"), ("0.0035", "BTC")):
        assert cli("add-payment", str(made), "--amount", amount, "--currency", currency,
                   "--method", "crypto").code == 0
    shown = cli("list", str(made), "payments").out
    assert "250.00 GBP" in shown and "0.0035 BTC" in shown


def test_edit_case_says_when_the_marks_move_from_a_bundle_already_made(
        made: Path, tmp_path: Path, cli: Cli) -> None:
    """New initials, or a new name the initials come from, after a bundle went out: every
    exhibit's mark moved (AA/1 became SO/1) without a word."""
    shot = tmp_path / "chat.txt"
    shot.write_text("hello")
    assert cli("add-evidence", str(made), str(shot)).code == 0
    quiet = cli("edit-case", str(made), "--initials", "SO")  # no bundle yet: nothing to say
    assert quiet.code == 0 and "Note:" not in quiet.out
    assert cli("export", str(made), str(tmp_path / "bundle.zip")).code == 0
    moved = cli("edit-case", str(made), "--initials", "JS")
    assert moved.code == 0
    assert "marked the exhibits SO/1, SO/2...; from now on they are JS/1, JS/2...." in moved.out
    assert "keep SO (--initials SO)" in moved.out
    back = cli("edit-case", str(made), "--initials", "so")
    assert back.code == 0 and "Note:" not in back.out
    renamed = cli("edit-case", str(made), "--crime-reference", "CR/1")  # marks unchanged
    assert "Note:" not in renamed.out


def test_add_payment_gives_the_references_hint_as_the_window_does(made: Path, cli: Cli) -> None:
    """A 9-digit MTCN was saved without a word on the command line (the window says "This
    does not look like a 10-digit MTCN" under the field); kept as given either way."""
    short = cli("add-payment", str(made), "--amount", "200", "--method", "Western Union",
                "--reference", "123 456 789")
    assert short.code == 0
    assert "Note: This does not look like a 10-digit MTCN." in short.out
    whole = cli("add-payment", str(made), "--amount", "200", "--method", "western-union",
                "--reference", "1234567890", "--json")
    assert whole.code == 0 and json.loads(whole.out)["warnings"] == []
    bank = cli("add-payment", str(made), "--amount", "5", "--method", "bank-transfer",
               "--reference", "rent")  # no shape to check
    assert bank.code == 0 and "Note:" not in bank.out
    payments = json.loads(cli("list", str(made), "payments", "--json").out)["items"]
    assert [p["reference"] for p in payments][:1] == ["123 456 789"]


def test_a_date_that_may_be_a_slip_is_asked_about_as_the_window_does(
        made: Path, cli: Cli) -> None:
    """A time years ahead (2036 typed for 2026) was saved without a word on the command line;
    the window asks "Is that right?" beside the field. Kept either way."""
    ahead = cli("add-event", str(made), "--when", "2036-12-05T21:00", "He sent the video")
    assert ahead.code == 0 and "Note: This date is in the future. Is that right?" in ahead.out
    typed = cli("add-event", str(made), "--when", "01/03/1999 10:00", "First message")
    assert typed.code == 0 and "Note: This date is a long time ago." in typed.out
    fine = cli("add-event", str(made), "--when", "2025-03-01T21:00+00:00", "Threat", "--json")
    assert fine.code == 0 and json.loads(fine.out)["warnings"] == []
    paid = cli("add-payment", str(made), "--amount", "5", "--method", "card",
               "--paid-on", "2036-01-01", "--json")
    assert paid.code == 0
    assert json.loads(paid.out)["warnings"] == ["This date is in the future. Is that right?"]
    assert len(json.loads(cli("list", str(made), "timeline", "--json").out)["items"]) == 3


def test_a_time_the_clocks_skipped_is_said_on_the_command_line(made: Path, cli: Cli) -> None:
    london = {"TZ": "Europe/London"}
    skipped = cli("add-event", str(made), "--when", "2025-03-30T01:30", "Threat", env=london)
    assert skipped.code == 0 and "Note: The clocks went forward an hour that night" in skipped.out
    # Given with its offset, it says which moment it is: nothing to ask.
    exact = cli("add-event", str(made), "--when", "2025-10-26T00:30+00:00", "Threat", env=london)
    assert exact.code == 0 and "Note:" not in exact.out


def test_add_identifier_says_the_type_a_value_plainly_is(made: Path, cli: Cli) -> None:
    result = cli("add-identifier", str(made), "facebook", "live:anna.smith.love88")
    assert result.code == 0, result
    assert "better saved as \u201cSkype ID (live:...)\u201d (type skype-id)" in result.out
    plain = cli("add-identifier", str(made), "facebook", "Anna Smith")
    assert plain.code == 0 and "Note:" in plain.out and "better saved" not in plain.out
    rows = json.loads(cli("list", str(made), "identifiers", "--json").out)
    assert {row["type"] for row in rows["items"]} == {"facebook"}  # kept as given: offered


def test_lists_stay_in_columns_past_nine_rows(made: Path, cli: Cli) -> None:
    # "#9  phone" above "#10  phone" put every value after it one place out.
    for n in range(11):
        assert cli("add-identifier", str(made), "username", f"anna_{n:02d}x",
                   "--platform", "Instagram").code == 0
    lines = cli("list", str(made), "identifiers").out.splitlines()
    assert len(lines) == 11
    assert {line.index("anna_") for line in lines} == {lines[0].index("anna_")}
    assert lines[0].startswith("#1   username") and lines[-1].startswith("#11  username")


def test_a_reader_that_stops_early_is_said_calmly(made: Path) -> None:
    """`safekeep list CASE identifiers | head -2`: the reader stops reading after two lines.
    It had said "Something unexpected went wrong"."""
    import subprocess
    import sys

    from app.core.records.identifiers import add_identifier
    from app.models.casefile import CaseFile

    with CaseFile.open(made, PASSPHRASE, actor="t") as case:
        for n in range(800):  # more than a pipe holds (64 kB)
            add_identifier(case, "email", f"someone.with.a.long.address.{n:04d}{'x' * 30}@x.com")
    child = subprocess.Popen([sys.executable, "-m", "app", "list", str(made), "identifiers"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE})
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    child.stdout.close()  # as `head` exits
    err = child.stderr.read().decode()
    assert child.wait(timeout=60) == 5
    assert first
    assert err == ("safekeep: error: The output was cut short: the program reading it stopped "
                   "reading. Nothing already saved was lost.\n"), err
