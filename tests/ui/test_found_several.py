"""Found in evidence: several details chosen with Shift and the arrows are dismissed together
(a case of tiny screenshots had a hundred misread addresses, each dismissed on its own);
adding stays one at a time, each checked against its picture."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import SuggestionState, TextSuggestion
from app.ui.kit.controller import CaseController
from tests.ui.keys import put_focus
from tests.ui.test_views_found import add_picture, read_everything
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

ADDRESSES = ["anna.k@example.com", "bob.m@example.com", "cara.n@example.com"]
STAYING = ["dan.q@example.com", "eve.r@example.com", "fay.s@example.com"]


def _states(qtbot: QtBot, controller: CaseController) -> dict[str, str]:
    def read(case):  # type: ignore[no-untyped-def]
        with case.read() as session:
            return {s.normalised: s.state for s in session.scalars(select(TextSuggestion))}
    return run_in_case(qtbot, controller, read)  # type: ignore[return-value]


def test_several_chosen_are_dismissed_together(qtbot: QtBot,
                                               controller: CaseController) -> None:
    add_picture(qtbot, controller, ["Jess 21:14", *(f"mail {a}" for a in ADDRESSES),
                                    *(f"or {a}" for a in STAYING),
                                    "skype live:.cid.5a3f0c2e9d4b7a61"],
                "chat.png")
    view = read_everything(qtbot, controller)
    view.show()
    qtbot.waitUntil(lambda: view.select_group("email", ADDRESSES[0]), timeout=5000)
    put_focus(qtbot, view.tree)
    QTest.keyClick(view.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    QTest.keyClick(view.tree, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert sorted(g.normalised for g in view.chosen_groups()) == ADDRESSES
    assert not view.add_button.isEnabled()  # added one by one, each checked
    assert view.dismiss_button.text() == "Not right, dismiss these 3"
    put_focus(qtbot, view.dismiss_button)
    QTest.keyClick(view.dismiss_button, Qt.Key.Key_Space)
    settle(qtbot)
    qtbot.waitUntil(lambda: sorted(g.normalised for g in view._groups if g.kind == "email")
                    == STAYING, timeout=5000)
    chosen = view.selected_group()  # the one that took the first one's place
    assert chosen is not None and chosen.normalised == "dan.q@example.com"
    states = _states(qtbot, controller)
    assert {states[a] for a in ADDRESSES} == {SuggestionState.DISMISSED}
    assert states["live:.cid.5a3f0c2e9d4b7a61"] == SuggestionState.NEW
    assert view.message.text() == "3 dismissed. They will not be suggested again."
    # One chosen again: the buttons are as they were.
    assert view.select_group("skype-id", "live:.cid.5a3f0c2e9d4b7a61")
    assert view.add_button.isEnabled() and view.dismiss_button.text() == "Not right, dismiss"
