"""Exhibit references, "AB/1": the producer's initials (asked once, else from the alias) and a
number given on arrival that never changes and is never given twice."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from app.core.intake import import_paths
from app.core.records import (
    case_summary,
    clean_initials,
    default_initials,
    edit_case,
    exhibit_file_stem,
    exhibit_reference,
    list_evidence,
    remove_evidence,
)
from app.models.casefile import CaseFile
from tests.conftest import CliResult

FIXTURES = Path(__file__).parent / "fixtures"


def _files(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(exist_ok=True)
    paths = []
    for name in names:
        path = folder / name
        path.write_text(f"evidence {name}")
        paths.append(path)
    return paths


def test_initials_from_what_a_person_types() -> None:
    assert clean_initials("a.b.") == "AB"
    assert clean_initials("José María") == "JM"
    assert clean_initials("Jean-Luc Picard") == "JP"
    assert clean_initials("ab/1") == "AB"
    assert clean_initials("xxxxxxxx") == "XXXX"
    assert default_initials("Alex Smith") == "AS"
    assert default_initials("Alex") == "AL"
    assert default_initials("12 34") == "EX"
    # Exhibit marks are written in the letters A to Z: on labels, in file names, in every font.
    assert clean_initials("Ørjan Łukasz") == "OL"
    assert clean_initials("Zoë") == "ZOE"
    assert clean_initials("Анна Петрова") == ""
    assert default_initials("Анна") == "EX"
    assert default_initials("Анна Smith") == "SM"
    assert exhibit_reference("AB", 3) == "AB/3"
    assert exhibit_file_stem("AB", 3) == "AB-3"


@given(st.text(max_size=60))
def test_initials_are_letters_only_whatever_is_typed(typed: str) -> None:
    cleaned = clean_initials(typed)
    assert len(cleaned) <= 4 and all("A" <= ch <= "Z" for ch in cleaned)
    assert "/" not in exhibit_file_stem(default_initials(typed), 1)


def test_numbers_follow_arrival_and_never_come_back(make_case: Callable[..., CaseFile],
                                                    tmp_path: Path) -> None:
    case = make_case()
    import_paths(case, _files(tmp_path / "in", "a.txt", "b.txt", "c.txt"))
    items = list_evidence(case)
    assert [i.exhibit_number for i in items] == [1, 2, 3]
    remove_evidence(case, items[-1].id, "added by mistake")  # the last one: its row id is free
    import_paths(case, _files(tmp_path / "more", "d.txt"))
    numbers = {i.original_name: i.exhibit_number for i in list_evidence(case)}
    assert numbers == {"a.txt": 1, "b.txt": 2, "d.txt": 4}  # 3 stays retired


def test_an_item_already_there_uses_no_number(make_case: Callable[..., CaseFile],
                                              tmp_path: Path) -> None:
    case = make_case()
    first = _files(tmp_path / "in", "a.txt")
    import_paths(case, first)
    import_paths(case, first)  # the same bytes again: "already there", nothing stored
    import_paths(case, _files(tmp_path / "more", "b.txt"))
    assert [i.exhibit_number for i in list_evidence(case)] == [1, 2]


def test_the_producer_gives_initials_once(make_case: Callable[..., CaseFile]) -> None:
    case = make_case(display_name="Alex Morgan")
    summary = case_summary(case)
    assert (summary.producer_initials, summary.producer_initials_given) == ("AM", False)
    edit_case(case, producer_initials=" j.s. ")
    summary = case_summary(case)
    assert (summary.producer_initials, summary.producer_initials_given) == ("JS", True)
    edit_case(case, producer_initials="")  # cleared: the name's initials apply again
    assert case_summary(case).producer_initials == "AM"


def test_a_case_from_before_exhibits_keeps_its_evidence_numbers(tmp_path: Path) -> None:
    """v2 printed items as "Evidence 0001": the migration gives each its old number, and the
    counter starts past every number ever given, removed items included."""
    copy = tmp_path / "v2.skcase"
    shutil.copy(FIXTURES / "schema_v2.skcase", copy)
    with CaseFile.open(copy, "fixture passphrase", actor="t") as case:
        items = list_evidence(case)
        assert items and all(i.exhibit_number == i.id for i in items)
        with case.read() as session:
            next_number = session.execute(text("SELECT next_exhibit FROM case_info")).scalar()
            highest = session.execute(text(
                "SELECT max(CAST(substr(subject, 10) AS INTEGER)) FROM audit_event "
                "WHERE subject LIKE 'evidence:%'")).scalar()
        assert next_number > max(max(i.id for i in items), highest or 0)


@pytest.mark.parametrize("typed, shown", [("ab", "AB"), ("", "TC")])
def test_edit_case_initials_from_the_command_line(
        cli: Callable[..., CliResult], tmp_path: Path, typed: str, shown: str) -> None:
    path = tmp_path / "c.skcase"
    assert cli("new", str(path), "--name", "Test case", "--kdf-profile", "1").code == 0
    assert cli("edit-case", str(path), "--initials", typed).code == 0
    info = cli("info", str(path)).out
    assert f"Exhibit references: {shown}/1, {shown}/2..." in info
