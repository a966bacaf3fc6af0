"""Tabs behind another read nothing until shown: opening a case reads what the Evidence tab
and the checklist beside it show, and each other tab reads its part the moment it is chosen
(app/ui/kit/when_shown.py). Counted in two real ways: every SQL statement the case's engine
runs (SQLAlchemy's `before_cursor_execute`, listened to on every engine, so the one opened in
the worker is heard from its first statement), and a hook on each view's load method. What a
tab shows when chosen is what the case holds then, changes made while it was hidden included.
"""

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.core.records import add_event, add_identifier, add_payment, list_payments
from app.models.casefile import CaseFile
from app.ui.chats.conversations_view import ConversationsView
from app.ui.checklist.panel import ChecklistPanel
from app.ui.kit.controller import DataArea
from app.ui.reading.found_view import FoundView
from app.ui.records.record_tab import RecordTab
from app.ui.shell.main_window import MainWindow
from app.ui.shell.session import SafekeepSession
from tests.conftest import PASSPHRASE
from tests.ui.keys import click_tab
from tests.ui.shell_support import clock, open_case_in_shell, settle, shell, unlock_with

__all__ = ["clock", "shell"]


class Statements:
    """Every SQL statement any engine runs, in order."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        self.seen.append(statement)

    def since(self, mark: int) -> list[str]:
        return self.seen[mark:]


@pytest.fixture
def statements() -> Iterator[Statements]:
    heard = Statements()
    event.listen(Engine, "before_cursor_execute", heard)
    yield heard
    event.remove(Engine, "before_cursor_execute", heard)


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often each view's load method ran, by view (hooked before the window is built)."""
    counted: dict[str, int] = {}

    def hook(cls: type, name: str = "reload") -> None:
        original: Callable[..., None] = getattr(cls, name)

        def counting(self: object, *args: object, **kwargs: object) -> None:
            key = type(self).__name__
            counted[key] = counted.get(key, 0) + 1
            original(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, counting)

    for cls in (RecordTab, FoundView, ConversationsView, ChecklistPanel):
        hook(cls)
    return counted


def _case(make_case: Callable[..., CaseFile]) -> Path:
    case = make_case()
    add_identifier(case, "username", "@hidden_tab_user", platform="Instagram")
    add_payment(case, amount="150.00", method="bank-transfer", reference="first")
    add_event(case, datetime(2024, 1, 13, 14, 5, tzinfo=UTC), "They asked for money")
    path = case.path
    case.close()
    return path


def _window(shell: SafekeepSession) -> MainWindow:
    window = shell.main_window
    assert isinstance(window, MainWindow)
    return window


def _selects(statements: list[str]) -> set[str]:
    return {" ".join(s.split()) for s in statements if s.lstrip().upper().startswith("SELECT")}


def test_opening_reads_only_what_shows_and_each_tab_reads_when_chosen(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        statements: Statements, loads: dict[str, int]) -> None:
    path = _case(make_case)
    mark = len(statements.seen)
    open_case_in_shell(qtbot, shell, path)
    settle(qtbot)
    window = _window(shell)
    assert window.tabs.currentWidget() is window.evidence
    at_open = _selects(statements.since(mark))
    assert at_open, "opening reads the case"
    # The checklist beside the tabs shows, so it loaded; no tab behind Evidence did.
    assert loads == {"ChecklistPanel": 1}
    qtbot.waitUntil(lambda: window.checklist.state() is not None, timeout=5000)  # its steps
    for page in (window.identifiers, window.found, window.payments, window.timeline,
                 window.conversations):
        assert page.loader.stale, "a tab behind Evidence owes its load until chosen"
    assert window.payments.model.rowCount() == 0 and window.timeline.model.rowCount() == 0

    # Each tab, chosen: it reads its part then (statements nothing ran at open), once.
    for page, name in ((window.found, "FoundView"), (window.payments, "PaymentsView"),
                       (window.timeline, "TimelineView"),
                       (window.conversations, "ConversationsView")):
        mark = len(statements.seen)
        click_tab(qtbot, window.tabs, page)
        settle(qtbot)
        ran = _selects(statements.since(mark))
        assert ran - at_open, f"{name} read nothing new when chosen"
        assert loads.get(name) == 1, name
    # Offender details reads what the Evidence tab read too (details linked to items): its
    # statements are no proof, the hook on its load method is.
    assert "IdentifiersView" not in loads
    click_tab(qtbot, window.tabs, window.identifiers)
    settle(qtbot)
    assert loads.get("IdentifiersView") == 1
    shown = window.identifiers.model.row_at(0)
    assert shown is not None and shown.identifier.value == "@hidden_tab_user"
    assert window.payments.model.rowCount() == 1 and window.timeline.model.rowCount() == 1
    # Chosen again with nothing changed: no second read.
    click_tab(qtbot, window.tabs, window.payments)
    settle(qtbot)
    assert loads.get("PaymentsView") == 1


def test_a_change_made_while_a_tab_is_hidden_shows_when_it_is_chosen(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        statements: Statements, loads: dict[str, int]) -> None:
    open_case_in_shell(qtbot, shell, _case(make_case))
    settle(qtbot)
    window = _window(shell)
    payments = window.payments
    click_tab(qtbot, window.tabs, payments)
    settle(qtbot)
    assert payments.model.rowCount() == 1
    click_tab(qtbot, window.tabs, window.evidence)
    settle(qtbot)

    # Two payments saved while the Payments tab is hidden (as the checklist or another tab
    # would: through the controller, which says what changed).
    controller = shell.controller
    case = controller.require_case()
    for amount in ("60.00", "25.50"):
        done: list[object] = []
        controller.run(lambda ctx, a=amount: add_payment(case, amount=a, method="gift-card"),
                       changes=DataArea.PAYMENTS, on_result=done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=5000)
        settle(qtbot)
    assert loads.get("PaymentsView") == 1, "a hidden tab does not read"
    assert payments.model.rowCount() == 1  # what it showed, not read again yet
    assert payments.loader.stale
    # Counting across tabs stays right while it is hidden: the checklist read the change.
    assert loads.get("ChecklistPanel", 0) >= 3

    mark = len(statements.seen)
    click_tab(qtbot, window.tabs, payments)
    settle(qtbot)
    assert loads.get("PaymentsView") == 2, "one read for both changes"
    assert statements.since(mark), "the tab read the case as it showed"
    shown = sorted(payments.model.row_at(r).amount  # type: ignore[union-attr]
                   for r in range(payments.model.rowCount()))
    stored = sorted(p.amount for p in list_payments(case))
    assert shown == stored == [Decimal("25.50"), Decimal("60.00"), Decimal("150.00")]
    assert "235.50" in payments.totals.text()


def test_a_lock_forgets_what_a_hidden_tab_owed_and_the_next_opening_shows_the_case(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile],
        loads: dict[str, int]) -> None:
    path = _case(make_case)
    open_case_in_shell(qtbot, shell, path)
    settle(qtbot)
    window = _window(shell)
    click_tab(qtbot, window.tabs, window.timeline)
    settle(qtbot)
    assert window.timeline.model.rowCount() == 1
    window.lock_action.trigger()
    settle(qtbot)
    assert not shell.controller.is_open()
    assert window.timeline.model.rowCount() == 0 and not window.timeline.loader.stale
    assert window.tabs.currentWidget() is window.evidence  # the next opening starts there

    # Changed while locked, behind Safekeep's back: the reopened case shows it when chosen.
    with CaseFile.open(path, PASSPHRASE, actor="tester") as case:
        add_event(case, datetime(2024, 1, 14, 9, 0, tzinfo=UTC), "They threatened again")
    unlock_with(qtbot, shell)
    settle(qtbot)
    assert window.timeline.model.rowCount() == 0 and window.timeline.loader.stale
    click_tab(qtbot, window.tabs, window.timeline)
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() == 2, timeout=5000)


def test_going_to_a_record_on_a_tab_not_read_yet_selects_it(
        qtbot: QtBot, shell: SafekeepSession, make_case: Callable[..., CaseFile]) -> None:
    """A search hit or a link opens a tab that has not read its rows: the record is
    selected once they are in."""
    case = make_case()
    add_event(case, datetime(2024, 1, 13, 14, 5, tzinfo=UTC), "First")
    wanted = add_event(case, datetime(2024, 1, 15, 8, 0, tzinfo=UTC), "Second")
    path = case.path
    case.close()
    open_case_in_shell(qtbot, shell, path)
    settle(qtbot)
    window = _window(shell)
    assert window.timeline.model.rowCount() == 0
    assert window.navigate(DataArea.TIMELINE, wanted)
    qtbot.waitUntil(lambda: window.timeline.selected_id() == wanted, timeout=5000)
    assert window.tabs.currentWidget() is window.timeline
