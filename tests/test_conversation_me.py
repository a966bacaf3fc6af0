"""Which sender is the person ("your messages on the right") is kept in the case file: chosen
through app.core.records, still there after the case is closed and opened again, audited,
checked against the conversation's people, listed by `safekeep list CASE conversations
--json` as `me`, and a v6 case file gains it (empty) when opened."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.intake import import_paths
from app.core.records import list_conversations, set_conversation_me
from app.errors import InvalidInput, NotFound
from app.models.audit import AuditEvent
from app.models.casefile import CaseFile
from tests.chats.test_whatsapp import write
from tests.conftest import PASSPHRASE
from tests.test_chat_import import Cli, listed, new_case

FIXTURES = Path(__file__).parent / "fixtures"
# A name that reads right to left and holds markup.
ODD_NAME = "\u05e9\u05e8\u05d4 <b>&amp;</b> =1+1"
CHAT = (f"13/01/2024, 14:05 - {ODD_NAME}: hi\n"
        "13/01/2024, 14:06 - Alex: pay\n")


def _conversation(case: CaseFile) -> int:
    (row,) = list_conversations(case)
    assert row.id is not None
    return row.id


def test_the_choice_is_kept_after_the_case_locks_and_is_audited(
        make_case: Callable[..., CaseFile], tmp_path: Path) -> None:
    case = make_case()
    import_paths(case, [write(tmp_path, CHAT)])
    conversation = _conversation(case)
    assert list_conversations(case)[0].me is None  # nobody until the person says
    set_conversation_me(case, conversation, ODD_NAME)
    set_conversation_me(case, conversation, ODD_NAME)  # the same again: no second event
    path = case.path
    case.close()
    with CaseFile.open(path, PASSPHRASE, actor="tester") as again:
        assert list_conversations(again)[0].me == ODD_NAME
        set_conversation_me(again, conversation, None)
        assert list_conversations(again)[0].me is None
        with again.read() as s:
            events = list(s.execute(select(AuditEvent.subject, AuditEvent.details)
                                    .where(AuditEvent.action == "conversation.me")))
        assert [e[0] for e in events] == [f"conversation:{conversation}"] * 2
        assert ODD_NAME in str(events[0][1]) and "null" in str(events[1][1])


def test_only_one_of_the_people_can_be_chosen(make_case: Callable[..., CaseFile],
                                              tmp_path: Path) -> None:
    case = make_case()
    import_paths(case, [write(tmp_path, CHAT)])
    conversation = _conversation(case)
    with pytest.raises(InvalidInput):
        set_conversation_me(case, conversation, "Someone else")
    with pytest.raises(InvalidInput):
        set_conversation_me(case, conversation, "=HYPERLINK(\"http://x\",\"y\") \x07")
    with pytest.raises(NotFound):
        set_conversation_me(case, conversation + 99, "Alex")
    assert list_conversations(case)[0].me is None


def test_the_command_line_lists_the_choice_as_me(tmp_path: Path, cli: Cli) -> None:
    case = new_case(tmp_path, cli)
    assert cli("add-evidence", case, str(write(tmp_path, CHAT))).code == 0
    (conversation,) = listed(cli, case, "conversations")
    assert "me" in conversation and conversation["me"] is None
    with CaseFile.open(Path(case), PASSPHRASE, actor="tester") as opened:
        set_conversation_me(opened, conversation["id"], "Alex")
    (conversation,) = listed(cli, case, "conversations")
    assert conversation["me"] == "Alex"


def test_a_v6_case_opens_with_nobody_chosen_and_can_choose(tmp_path: Path) -> None:
    copy = tmp_path / "schema_v6.skcase"
    shutil.copy2(FIXTURES / "schema_v6.skcase", copy)
    with CaseFile.open(copy, "fixture passphrase", actor="t") as case:
        (row,) = list_conversations(case)
        assert (row.participants, row.me) == (["Sam", "Alex"], None)
        assert row.id is not None
        set_conversation_me(case, row.id, "Sam")
    with CaseFile.open(copy, "fixture passphrase", actor="t") as case:
        assert list_conversations(case)[0].me == "Sam"
    # The v7 fixture was frozen with a choice made: it is read back as it was written.
    v7 = tmp_path / "schema_v7.skcase"
    shutil.copy2(FIXTURES / "schema_v7.skcase", v7)
    with CaseFile.open(v7, "fixture passphrase", actor="t") as case:
        assert list_conversations(case)[0].me == "Alex"
