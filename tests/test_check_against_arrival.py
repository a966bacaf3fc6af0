"""`safekeep check` compares each item with what the audit log recorded when it arrived, notices
events cut from the end of the log, and names an item whose content is damaged instead of
stopping (issue 20, items 6 and 7). Each case is changed as an attacker with the passphrase and
a SQL tool would change it, through a raw SQLCipher connection."""

import hashlib
import os
from pathlib import Path

from PIL import Image

from app.core.records import check_case
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, CliResult, raw_connection, run_cli
from tests.damage_support import case_with, flip_a_byte_mid_file


def _check(path: Path) -> CliResult:
    return run_cli("check", str(path))


def test_bytes_and_stored_hash_replaced_together_are_caught_by_the_arrival_record(
        tmp_path: Path) -> None:
    path = case_with(tmp_path, {"note.txt": b"pay 500 to this account " * 10})
    forged = b"nothing to see here " * 10
    conn = raw_connection(path)
    conn.execute("UPDATE evidence_chunk SET data = ? WHERE evidence_id = 1", (forged,))
    conn.execute("UPDATE evidence_item SET sha256 = ?, size = ? WHERE id = 1",
                 (hashlib.sha256(forged).hexdigest(), len(forged)))
    conn.close()
    result = _check(path)
    assert result.code == 1, result
    assert "not what the audit log recorded when it arrived" in result.err
    assert "note.txt" in result.err and "Traceback" not in result.err


def test_an_item_with_no_arrival_in_the_log_is_reported(tmp_path: Path) -> None:
    path = case_with(tmp_path, {"a.txt": b"first " * 20})
    conn = raw_connection(path)
    conn.execute("INSERT INTO evidence_item (sha256, size, original_name, kind, detected_type, "
                 "source, acquired_at, description, sensitive, preview_status, exhibit_number) "
                 "SELECT ?, size, 'slipped-in.txt', kind, detected_type, source, acquired_at, "
                 "description, sensitive, preview_status, 99 FROM evidence_item WHERE id = 1",
                 (hashlib.sha256(b"first " * 20 + b"!").hexdigest(),))
    conn.execute("INSERT INTO evidence_chunk (evidence_id, seq, data) VALUES (2, 0, ?)",
                 (b"first " * 20 + b"!",))
    conn.execute("UPDATE evidence_item SET size = ? WHERE id = 2", (len(b"first " * 20) + 1,))
    conn.close()
    result = _check(path)
    assert result.code == 1 and "has no record of its arrival" in result.err, result


def test_events_cut_from_the_end_of_the_log_are_noticed(tmp_path: Path) -> None:
    path = case_with(tmp_path, {"a.txt": b"first " * 20})
    for value in ("a@example.com", "b@example.com"):
        assert run_cli("add-identifier", str(path), "email", value).code == 0
    conn = raw_connection(path)
    last = conn.execute("SELECT max(id) FROM audit_event").fetchone()[0]
    conn.execute("DROP TRIGGER audit_event_no_delete")
    conn.execute("DELETE FROM audit_event WHERE id = ?", (last,))  # the rest still chains
    conn.close()
    result = _check(path)
    assert result.code == 1, result
    assert f"recorded that it ends at event {last}" in result.err


def test_a_sound_case_still_checks_clean(tmp_path: Path) -> None:
    path = case_with(tmp_path, {"a.txt": b"first " * 20, "b.txt": b"second " * 20})
    assert run_cli("add-identifier", str(path), "email", "a@example.com").code == 0
    result = _check(path)
    assert result.code == 0, result
    assert "Everything matches" in result.out


def test_one_damaged_item_is_named_and_the_others_are_still_checked(tmp_path: Path) -> None:
    big = os.urandom(6 * 1024 * 1024)  # most of the file's pages: a flipped byte lands here
    picture = tmp_path / "shot.png"
    Image.new("RGB", (40, 40), (9, 99, 199)).save(picture)
    path = case_with(tmp_path, {"a.txt": b"small " * 30, "video.mp4": b"\x00\x00\x00\x18ftypmp42"
                                 + big, "z.png": picture.read_bytes()})
    flip_a_byte_mid_file(path)
    with CaseFile.open(path, PASSPHRASE, actor="t", record_open=False) as case:
        report = check_case(case)
    assert not report.ok
    assert report.damaged_items == [2]
    assert report.evidence_checked == 2  # the other two were read and match
    assert any("video.mp4" in p and "damaged" in p for p in report.problems)
    # SQLite's findings (a hundred lines for one page) are cut to the first few and a count.
    assert all(len(p) < 600 for p in report.problems), report.problems
    result = _check(path)
    assert result.code == 1 and "video.mp4" in result.err and "Traceback" not in result.err
